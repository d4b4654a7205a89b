//! `nephos logs STACK [FUNCTION]`: a function's CloudWatch logs.

use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;

use super::EXIT_OK;
use crate::cfn::logs::{LogQuery, LogReader};
use crate::cfn::seam::CloudFormation;
use crate::cli::Cli;
use crate::cli::stack_name;
use crate::commands::spec::{Local, Spec};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::logs::group::locate;
use crate::logs::since::{Since, parse_since};
use crate::logs::tail::{FOLLOW_EVERY, Render, follow, read, write_events};
use crate::output::Format;
use crate::output::escape::escape_line;

/// The longest `--filter` pattern CloudWatch Logs accepts (FilterLogEvents'
/// `filterPattern`, 0 to 1024 characters).
pub const MAX_FILTER_CHARS: usize = 1024;

/// Show a function's CloudWatch logs, finding its log group from the stack.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The deployed stack.
    #[arg(value_parser = stack_name)]
    pub stack: String,
    /// The function's logical ID (needed when the stack has more than one).
    #[arg(value_parser = crate::cli::values::non_blank)]
    pub function: Option<String>,
    /// Keep showing new events until Ctrl-C (or --timeout).
    #[arg(short, long)]
    pub follow: bool,
    /// Where to start: a duration back from now (500ms, 30s, 10m, 2h, 1d, 1w, 1h30m) or a
    /// time with its offset (2026-12-02T09:30:00Z); at most 3653 days back (CloudWatch
    /// Logs' longest retention).
    #[arg(long, value_name = "DURATION|TIME", default_value = "10m", value_parser = parse_since)]
    pub since: Since,
    /// A CloudWatch Logs filter pattern, e.g. `ERROR` or `"request id"`.
    #[arg(long, value_parser = filter_pattern)]
    pub filter: Option<String>,
}

fn filter_pattern(s: &str) -> std::result::Result<String, String> {
    crate::cli::values::non_blank(s)?;
    if s.chars().count() > MAX_FILTER_CHARS {
        return Err(format!(
            "a filter pattern has at most {MAX_FILTER_CHARS} characters"
        ));
    }
    Ok(s.to_owned())
}

/// Runs `logs` with the real CloudWatch Logs client (see [`show`] for the work).
pub async fn run(args: &LogsArgs, format: Format, ctx: &mut Context<'_>) -> Result<i32> {
    if ctx.backends.is_some() {
        return Err(Error::new(
            "nephos logs needs a CloudWatch Logs backend; this context has only CloudFormation fakes (call commands::logs::show)",
        ));
    }
    let clients = crate::aws::connect(&ctx.aws).await?;
    show(args, format, ctx, clients.cloudformation(), &clients.logs).await
}

/// Finds the function's log group from the stack and writes its events.
///
/// # Errors
/// The stack or function cannot be read or found, a name from AWS fails its check, or a
/// call fails.
pub async fn show(
    args: &LogsArgs,
    format: Format,
    ctx: &mut Context<'_>,
    cfn: &dyn CloudFormation,
    logs: &dyn LogReader,
) -> Result<i32> {
    let stack = args.stack.as_str();
    let exists = ctx
        .retry
        .call(Some(stack), "DescribeStacks", || cfn.describe_stack(stack))
        .await?;
    if exists.is_none() {
        return Err(Error::with_next(
            format!(
                "stack {} does not exist in this account and region",
                escape_line(stack)
            ),
            format!(
                "list the deployed stacks with `nephos list` (a stack name, as CloudFormation has it), or deploy this one with `nephos deploy {}`",
                escape_line(stack)
            ),
        ));
    }
    let resources = ctx
        .retry
        .call(Some(stack), "ListStackResources", || {
            cfn.stack_resources(stack)
        })
        .await?;
    let body = ctx
        .retry
        .call(Some(stack), "GetTemplate", || cfn.get_template(stack))
        .await?;
    let template = crate::source::template::parse_template(&body).map_err(|why| {
        Error::new(format!(
            "{stack}: the deployed template cannot be read: {}",
            escape_line(&why)
        ))
    })?;
    let located =
        locate(stack, &resources, &template, args.function.as_deref()).map_err(Error::new)?;
    tracing::info!(function = %located.logical_id, group = %located.group, "log group");
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let query = LogQuery {
        group: located.group.clone(),
        start_ms: args.since.start_ms(now_ms),
        pattern: args.filter.clone(),
    };
    let render = if format == Format::Json {
        Render::JsonLines
    } else {
        Render::Text
    };
    if format == Format::Text {
        writeln!(
            ctx.err,
            "{} (function {} of {stack})",
            located.group,
            escape_line(&located.logical_id)
        )?;
    }
    if args.follow {
        let interrupt = ctx.interrupt.clone();
        follow(logs, query, ctx.out, render, &interrupt, FOLLOW_EVERY).await?;
        return Ok(EXIT_OK);
    }
    let found = read(logs, &query)
        .await
        .map_err(|e| e.in_call(Some(stack), "FilterLogEvents"))?;
    if found.missing {
        let line = ctx.invocation.complete(&format!(
            "the log group {} does not exist yet: the function has not logged anything. Invoke it, then run `nephos logs {stack} {} --follow` to see its lines as they come",
            located.group,
            escape_line(&located.logical_id)
        ));
        writeln!(ctx.err, "{line}")?;
        return Ok(EXIT_OK);
    }
    write_events(ctx.out, &found.events, render)?;
    if found.cut {
        writeln!(
            ctx.err,
            "more events than nephos shows at once ({} pages or {} events): narrow with --since or --filter",
            crate::logs::tail::MAX_PAGES,
            crate::logs::tail::MAX_EVENTS
        )?;
    }
    Ok(EXIT_OK)
}

impl Spec for LogsArgs {
    const NAME: &'static str = "logs";
    const FOLLOWS_LOGS: bool = true;
}

impl Local for LogsArgs {
    async fn run_local(&self, cli: &Cli, ctx: &mut Context<'_>) -> Result<i32> {
        run(self, cli.output, ctx).await
    }
}
