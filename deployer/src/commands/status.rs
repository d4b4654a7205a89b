//! `nephos status STACK`: state, last events, resource summary; `--wait` follows it until
//! it settles (how to resume after Ctrl-C stopped a deploy's waiting).

use serde_json::json;
use std::collections::BTreeMap;

use clap::Args;

use super::{EXIT_ERROR, EXIT_OK, write_json};
use crate::cfn::lambda::Lambda;
use crate::cli::Cli;
use crate::cli::stack_name;
use crate::commands::spec::{Connected, Next, Run, Spec};
use crate::context::{Backends, Context};
use crate::deploy::failure::summarize;
use crate::deploy::outcome::Outcome;
use crate::deploy::wait::Settled;
use crate::error::{Error, Result};
use crate::hotswap::reconcile::{Marked, read_markers};
use crate::output::Format;
use crate::progress::text::event_line;
use crate::progress::{Mode, reporter};

/// Show a stack's state, its last events and a summary of its resources.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The stack name.
    #[arg(value_parser = stack_name)]
    pub stack: String,
    /// How many recent events to show.
    #[arg(long, default_value_t = 10)]
    pub events: usize,
    /// Wait until the stack settles, streaming its events.
    #[arg(long)]
    pub wait: bool,
}

/// Runs `status`. With `lambda`, the stack's functions are read for the drift markers a
/// hotswap leaves ([`crate::hotswap::reconcile`]): a hotswapped function is drift the
/// template does not show, so it is said with the deploy that reconciles it; when the
/// markers cannot be read, that is said and the exit code is 1 (in sync is not assumed).
pub async fn run(
    args: &StatusArgs,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
    lambda: Option<&dyn Lambda>,
) -> Result<i32> {
    let name = args.stack.as_str();
    let Some(mut stack) = ctx
        .retry
        .call(Some(name), "DescribeStacks", || b.cfn.describe_stack(name))
        .await?
    else {
        return Err(Error::new(format!("stack {name} does not exist")));
    };
    if args.wait && stack.status.is_in_progress() {
        let settings = ctx.settings();
        let mode = Mode::choose(format, ctx.interactive);
        let mut completing =
            crate::output::invocation::CompletingWriter::new(ctx.out, ctx.invocation.clone());
        let mut rep = reporter(mode, &mut completing, ctx.style);
        let mut engine = settings.engine(b, &mut *rep);
        let mut seen = engine.event_ids(name).await?;
        let (settled, events) = engine.wait_settled(name, &mut seen, None).await?;
        match settled {
            Settled::Done(s) => {
                if s.status.is_failed() {
                    engine
                        .reporter
                        .outcome(&Outcome::Failed(summarize(&s, &events)));
                    return Ok(EXIT_ERROR);
                }
                stack = s;
            }
            Settled::Gone => {
                drop(engine);
                drop(rep);
                drop(completing);
                writeln!(ctx.out, "{name}: deleted")?;
                return Ok(EXIT_OK);
            }
            Settled::Interrupted(s) => {
                drop(engine);
                drop(rep);
                drop(completing);
                let status = s.map_or_else(|| stack.status.clone(), |s| s.status);
                let said = match ctx.interrupt.timed_out_at() {
                    Some(bound) => format!(
                        "{name}: {status}; {}",
                        crate::deploy::wait::timed_out_resume(name, &status, &bound)
                    ),
                    None => format!(
                        "{name}: stopped waiting while it is {status}; CloudFormation goes on: follow it with `nephos status {name} --wait`"
                    ),
                };
                writeln!(
                    ctx.out,
                    "{}",
                    crate::output::escape::escape_line(&ctx.invocation.complete(&said))
                )?;
                return Ok(EXIT_ERROR);
            }
        }
    }
    let enough = |read: &[crate::cfn::model::StackEvent]| read.len() >= args.events;
    let events = ctx
        .retry
        .call(Some(name), "DescribeStackEvents", || {
            b.cfn.stack_events(name, &enough)
        })
        .await?;
    let resources = ctx
        .retry
        .call(Some(name), "ListStackResources", || {
            b.cfn.stack_resources(name)
        })
        .await?;
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &resources {
        *by_status.entry(r.status.as_str()).or_default() += 1;
    }
    let recent: Vec<_> = events.iter().take(args.events).collect();
    let drift = match lambda {
        Some(l) => Drift::read(l, &resources).await,
        None => Drift::NotRead,
    };
    let code = if matches!(drift, Drift::Unknown(_)) {
        EXIT_ERROR
    } else {
        EXIT_OK
    };
    if format == Format::Json {
        write_json(
            ctx.out,
            &json!({
                "stack": stack.name,
                "status": stack.status,
                "statusReason": stack.status_reason,
                "terminationProtection": stack.termination_protection,
                "resources": by_status,
                "hotswapped": drift.json(),
                "events": recent,
            }),
        )?;
        return Ok(code);
    }
    writeln!(ctx.out, "{}: {}", stack.name, stack.status)?;
    if let Some(r) = &stack.status_reason {
        writeln!(ctx.out, "  reason: {r}")?;
    }
    writeln!(
        ctx.out,
        "  termination protection: {}",
        if stack.termination_protection {
            "on"
        } else {
            "off"
        }
    )?;
    let summary: Vec<String> = by_status.iter().map(|(s, n)| format!("{n} {s}")).collect();
    writeln!(
        ctx.out,
        "  resources: {} ({})",
        resources.len(),
        summary.join(", ")
    )?;
    if let Some(text) = drift.text(name) {
        let text = ctx.invocation.complete(&text);
        writeln!(ctx.out, "{text}")?;
    }
    if !recent.is_empty() {
        writeln!(ctx.out, "Last events")?;
        let tz = jiff::tz::TimeZone::system();
        for e in recent.iter().rev() {
            writeln!(ctx.out, "  {}", event_line(name, e, ctx.style, &tz))?;
        }
    }
    Ok(code)
}

/// What the functions' drift markers say.
enum Drift {
    /// No Lambda client (a context of CloudFormation fakes only): not looked at.
    NotRead,
    /// The functions a hotswap changed (none: in line with the template).
    Marked(Vec<Marked>),
    /// The markers could not be read: why.
    Unknown(String),
}

impl Drift {
    async fn read(lambda: &dyn Lambda, resources: &[crate::cfn::model::StackResource]) -> Self {
        match read_markers(lambda, resources).await {
            Ok(m) => Self::Marked(m),
            Err(why) => Self::Unknown(why),
        }
    }

    /// `hotswapped` of the JSON document: the functions, or `null` with `unknown` saying
    /// why they could not be read.
    fn json(&self) -> serde_json::Value {
        match self {
            Self::NotRead => serde_json::Value::Null,
            Self::Marked(m) => {
                json!({"functions": m.iter().map(|m| json!({"logicalId": m.logical_id, "function": m.physical_id, "properties": m.marker.split_whitespace().collect::<Vec<_>>()})).collect::<Vec<_>>()})
            }
            Self::Unknown(why) => json!({"functions": null, "unknown": why}),
        }
    }

    /// The lines of the text output, if any.
    fn text(&self, stack: &str) -> Option<String> {
        match self {
            Self::Marked(m) if !m.is_empty() => {
                Some(crate::commands::diff::hotswap_drift(stack, m))
            }
            Self::Unknown(why) => Some(format!(
                "{stack}: whether a hotswap changed its functions is not known: {why}; until they can be read, do not take the functions for the template's (`nephos diff` and `nephos deploy` read them too)"
            )),
            _ => None,
        }
    }
}

impl Spec for StatusArgs {
    const NAME: &'static str = "status";
}

impl Run for StatusArgs {
    type Prepared = ();

    async fn start(&self, _cli: &Cli, _ctx: &mut Context<'_>) -> Result<Next<Self::Prepared>> {
        Ok(Next::Connect(()))
    }

    async fn run(
        &self,
        (): (),
        cli: &Cli,
        ctx: &mut Context<'_>,
        aws: Connected<'_>,
    ) -> Result<i32> {
        run(self, cli.output, ctx, aws.backends, aws.lambda).await
    }
}
