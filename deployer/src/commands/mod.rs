//! One module per subcommand; each writes to the context's writers and returns an exit code.

pub mod bootstrap;
pub mod deploy;
pub mod destroy;
pub mod diff;
pub mod environment;
pub mod init;
pub mod list;
pub mod logs;
pub mod ls;
pub mod outputs;
pub mod parameters;
pub mod reference;
pub mod regions;
pub mod spec;
pub mod stack_request;
pub mod status;
pub mod synth;
pub mod watch;

use crate::aws::connect;
use crate::cfn::halt::Halting;
use crate::cli::Cli;
use crate::commands::spec::{Connected, Next, Run};
use crate::context::{Backends, Context};
use crate::deploy::interrupt::WaitLimit;
use crate::error::Result;
use crate::output::Format;

/// Exit code: success, or no changes for `diff`.
pub const EXIT_OK: i32 = 0;
/// Exit code: an error, a failed deploy, or a refusal.
pub const EXIT_ERROR: i32 = 1;
/// Exit code of `diff` when there are changes.
pub const EXIT_CHANGES: i32 = 2;
/// Exit code of `deploy`, `destroy` and `bootstrap` stopped by Ctrl-C (128 + SIGINT, as a
/// shell reports a command ended by Ctrl-C), whether it stopped before any change or while
/// CloudFormation went on; the result line says which. `watch` stops with [`EXIT_OK`].
pub const EXIT_INTERRUPTED: i32 = 130;
/// Exit code when stdout was closed by its reader (128 + SIGPIPE, as a shell reports a
/// writer a closed pipe ended).
pub const EXIT_CLOSED_PIPE: i32 = 141;

/// Runs a parsed command line; errors are written to `ctx.err` as one line.
pub async fn run(mut cli: Cli, ctx: &mut Context<'_>) -> i32 {
    if let Err(e) = environment::select(&mut cli, ctx) {
        let _ = writeln!(ctx.err, "error: {}", escape_line(&e.0));
        return EXIT_ERROR;
    }
    ctx.invocation = crate::output::invocation::Invocation::of(&cli);
    if cli.region.is_some() {
        ctx.aws.region = cli.region.clone();
    }
    if cli.profile.is_some() {
        ctx.aws.profile = cli.profile.clone();
    }
    bound_waiting(&cli, &ctx.interrupt);
    match cli.command.dispatch(&cli, ctx).await {
        Ok(code) => code,
        // The reader went away (`nephos list | head`): nothing more can be said to it, and a
        // message on stderr would be noise; the shell's convention for a writer ended by a
        // closed pipe is 128 + SIGPIPE.
        Err(e) if e.is_closed_output() => EXIT_CLOSED_PIPE,
        // After Ctrl-C an error is what the interrupt caused (a child it stopped, a call
        // it refused): the shell's convention for a run the user interrupted is 130, and a
        // script must not take it for an ordinary failure (attack finding 4).
        Err(e) if ctx.interrupt.is_triggered() => {
            let _ = writeln!(
                ctx.err,
                "error: {}",
                escape_line(&ctx.invocation.complete(&e.0))
            );
            EXIT_INTERRUPTED
        }
        Err(e) => {
            // One line: a message quoting AWS or a template may hold newlines.
            let _ = writeln!(
                ctx.err,
                "error: {}",
                escape_line(&ctx.invocation.complete(&e.0))
            );
            EXIT_ERROR
        }
    }
}

/// Sets how long waits on CloudFormation may last. `--timeout` bounds waiting only, counted
/// from when a wait begins: it never expires during the app build or a prompt. Without it,
/// each wait on a stack or change set has the default bound (a stuck stack is not waited on
/// forever); following logs has none (it is meant to last until Ctrl-C).
fn bound_waiting(cli: &Cli, interrupt: &crate::deploy::interrupt::Interrupt) {
    if cli.command.follows_logs() {
        interrupt.waits_on_logs();
    }
    match cli.timeout {
        Some(WaitLimit::Total(limit)) => interrupt.limit_waiting(limit),
        Some(WaitLimit::Never) => {}
        None if cli.command.follows_logs() => {}
        None => interrupt.default_waiting(),
    }
}

use std::io::Write;

use crate::output::escape::escape_line;

/// Runs one command: [`Run::start`] (everything that needs no AWS: contradicting flags,
/// the source and its templates, `--parameter` keys, checked before any call, the STS call
/// of the header included, so an input problem is reported as itself even when AWS cannot
/// be reached); then, when it asks, connects, states the target and [`Run::run`]s.
pub(crate) async fn run_command<C: Run>(
    command: &C,
    cli: &Cli,
    ctx: &mut Context<'_>,
) -> Result<i32> {
    let prepared = match command.start(cli, ctx).await? {
        Next::Done(code) => return Ok(code),
        Next::Connect(prepared) => prepared,
    };
    let clients;
    let mut lambda: Option<&dyn crate::cfn::lambda::Lambda> = None;
    let mut logs: Option<&dyn crate::cfn::logs::LogReader> = None;
    let backends = match ctx.backends {
        Some(b) => b,
        None => {
            clients = connect(&ctx.aws).await?;
            lambda = Some(&clients.lambda);
            logs = Some(&clients.logs);
            Backends {
                cfn: clients.cloudformation(),
                staging: &clients.staging,
                iam: &clients.iam,
            }
        }
    };
    // Ctrl-C means "stop before the next change": every write that starts one, whichever
    // command or step sends it, is refused at the seam once it fired (`cfn::halt`).
    let halting_cfn = Halting::new(backends.cfn, ctx.interrupt.clone());
    let halting_staging = Halting::new(backends.staging, ctx.interrupt.clone());
    let halting_lambda = lambda.map(|l| Halting::new(l, ctx.interrupt.clone()));
    let backends = Backends {
        cfn: &halting_cfn,
        staging: &halting_staging,
        iam: backends.iam,
    };
    let lambda = halting_lambda
        .as_ref()
        .map(|l| l as &dyn crate::cfn::lambda::Lambda);
    if C::TARGET_HEADER {
        let region = backends.staging.region();
        target_header(cli.output, ctx, backends, &region).await?;
    }
    let aws = Connected {
        backends,
        lambda,
        logs,
    };
    command.run(prepared, cli, ctx, aws).await
}

/// States the account (from STS, so it is the one the credentials really act in) and the
/// region before anything is reviewed or changed; no command that changes a stack runs
/// when the account cannot be told.
pub(crate) async fn target_header(
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
    region: &str,
) -> Result<()> {
    let account = ctx
        .retry
        .call(None, "GetCallerIdentity", || b.staging.account_id())
        .await?;
    // Both are AWS or environment answers: checked before a command acts on them.
    crate::cfn::identity::check_account(&account)
        .map_err(|e| e.in_call(None, "GetCallerIdentity"))?;
    crate::cfn::identity::check_region(region).map_err(|e| e.in_call(None, "GetCallerIdentity"))?;
    let profile = ctx
        .aws
        .profile
        .as_deref()
        .map(|p| format!(", profile {p}"))
        .unwrap_or_default();
    let line = format!("Target: account {account}, region {region}{profile}");
    // In JSON mode stdout holds only the JSON document.
    if format == Format::Json {
        writeln!(ctx.err, "{line}")?;
    } else {
        writeln!(ctx.out, "{}", ctx.style.bold(&line))?;
    }
    Ok(())
}

/// Writes a JSON document (pretty) to `out`.
pub fn write_json(out: &mut dyn Write, v: &impl serde::Serialize) -> Result<()> {
    let text =
        serde_json::to_string_pretty(v).map_err(|e| crate::error::Error::new(e.to_string()))?;
    writeln!(out, "{text}")?;
    Ok(())
}

/// Whether the format is JSON.
pub fn is_json(f: Format) -> bool {
    f == Format::Json
}

#[cfg(test)]
mod tests_attack12;
#[cfg(test)]
mod tests_interrupt;
#[cfg(test)]
mod tests_status;
#[cfg(test)]
mod tests_support;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::deploy::interrupt::{DEFAULT_WAIT, Interrupt};

    fn bound(args: &[&str]) -> Option<(Duration, bool)> {
        let cli = Cli::from_args(std::iter::once("nephos").chain(args.iter().copied())).unwrap();
        let i = Interrupt::new();
        bound_waiting(&cli, &i);
        i.wait_limit()
    }

    #[test]
    fn waits_on_stacks_are_bounded_by_default_and_logs_follow_is_not() {
        assert_eq!(
            bound(&["status", "api", "--wait"]),
            Some((DEFAULT_WAIT, true))
        );
        assert_eq!(bound(&["destroy", "api"]), Some((DEFAULT_WAIT, true)));
        assert_eq!(
            bound(&["status", "api", "--wait", "--timeout", "30"]),
            Some((Duration::from_secs(30), false))
        );
        assert_eq!(
            bound(&["status", "api", "--wait", "--timeout", "none"]),
            None
        );
        assert_eq!(bound(&["status", "api", "--wait", "--timeout", "0"]), None);
        assert_eq!(bound(&["logs", "api", "--follow"]), None);
    }
}
