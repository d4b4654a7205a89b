//! Keeping the hotswap drift markers of a deploy that did not succeed (rev 3b).
//!
//! CloudFormation's update of a function may remove the marker a hotswap left on it (its
//! handler sets the function's tags to the template's). A deploy that did not succeed
//! (failed, rolled back, timed out, or stopped by an error while the update ran) therefore
//! waits for the stack to settle and then does what its final state needs:
//! - the update was rolled back or failed: the old (or a partly applied) template is in
//!   place and the functions may still run hotswapped code, so every marker that is gone
//!   is written back ([`mark_again`]) and the next deploy undoes the drift;
//! - the stack was updated and the update completed after all (it went on after
//!   `--timeout`): the new template is applied, so the marked functions are brought back to
//!   it now ([`reconcile`]), as after a deploy that succeeded; if that fails, their markers
//!   are written back instead. A stack that settled as it was before the deploy (its
//!   `LastUpdatedTime` unchanged: the change set failed, or approval was refused) keeps the
//!   hotswapped code and its markers;
//! - the stack is gone: so are its functions.
//!
//! While the stack is not known to be settled (it is still updating at the end of the
//! wait, its state cannot be read, or Ctrl-C ended the deploy: the user asked nephos to
//! stop waiting), the marker is not trusted, since the update can remove it afterwards: nephos
//! names each marked function with the commands that mark it again (fail closed).

use std::time::{Duration, Instant};

use super::apply::{HotswapBackends, Settle};
use super::reconcile::{Before, Marked, mark_again, reconcile};
use crate::cfn::lambda::DRIFT_MARKER;
use crate::cfn::model::Stack;
use crate::cfn::retry::RetryPolicy;
use crate::deploy::interrupt::Interrupt;
use crate::output::escape::escape_line;

/// How often and how long nephos reads the stack's status, after a deploy that did not
/// succeed, to learn its final state.
#[derive(Clone, Copy, Debug)]
pub struct SettleWait {
    /// The pause between reads.
    pub every: Duration,
    /// How long in all before nephos stops waiting and prints the commands instead.
    pub limit: Duration,
}

impl SettleWait {
    /// For AWS: a read every 5 s (the deploy's own polling pace), for at most 10 minutes,
    /// which covers the rollback of a stack of functions, tables and queues; a longer one
    /// (a distribution, a database) ends with the commands.
    pub const STANDARD: Self = Self {
        every: Duration::from_secs(5),
        limit: Duration::from_secs(600),
    };
}

/// The stack's state once the wait ended.
enum Final {
    /// Settled, as described.
    Settled(Stack),
    /// The stack no longer exists.
    Gone,
    /// Not known to be settled: the status (or why it cannot be read), in words.
    Unsettled(String),
}

/// After a deploy of `stack` that did not succeed: waits (as `wait` says) for the stack to
/// settle, then keeps the drift markers of `before` (read before the deploy changed the
/// stack) as the final state needs (see the module). `say` gets a line before the wait
/// starts. Returns the lines to show: the functions brought back to the template, the
/// markers that could not be written, and, when the stack is not known to be settled, one
/// line per function naming it, the properties it runs hotswapped and the commands that
/// mark it again.
///
/// Ctrl-C before the call (the deploy was interrupted) means no wait; Ctrl-C during the
/// wait ends it.
///
/// Calls: `DescribeStacks` (only when a function was marked, every `wait.every`), then as
/// [`mark_again`] or [`reconcile`].
#[allow(clippy::too_many_arguments)]
pub async fn keep_markers(
    b: HotswapBackends<'_>,
    retry: &RetryPolicy,
    settle: Settle,
    wait: SettleWait,
    stack: &str,
    before: &Before,
    interrupt: &Interrupt,
    say: &mut dyn FnMut(String),
) -> Vec<String> {
    let Before {
        marked: before,
        last_updated,
    } = before;
    if before.is_empty() {
        return Vec::new();
    }
    match final_state(b, retry, wait, stack, before, interrupt, say).await {
        Final::Gone => Vec::new(),
        Final::Settled(s) if s.status.is_success() && s.last_updated != *last_updated => {
            // The new template is applied: what a deploy that succeeded does.
            match reconcile(
                b.cfn, b.staging, b.lambda, retry, settle, stack, before, interrupt,
            )
            .await
            {
                Ok(lines) => lines,
                Err(e) => {
                    let mut lines = vec![e.to_string()];
                    lines.extend(mark_again(b.lambda, stack, before).await);
                    lines
                }
            }
        }
        Final::Settled(_) => mark_again(b.lambda, stack, before).await,
        Final::Unsettled(status) => {
            let mut lines = mark_again(b.lambda, stack, before).await;
            lines.extend(before.iter().map(|m| still_updating(stack, &status, m)));
            lines
        }
    }
}

/// Reads the stack until it settles, the wait ends, or Ctrl-C.
async fn final_state(
    b: HotswapBackends<'_>,
    retry: &RetryPolicy,
    wait: SettleWait,
    stack: &str,
    before: &[Marked],
    interrupt: &Interrupt,
    say: &mut dyn FnMut(String),
) -> Final {
    // The user asked nephos to stop waiting: one read, no wait.
    let stopped = interrupt.is_triggered();
    let start = Instant::now();
    let mut said = false;
    loop {
        let status = match retry.run(|| b.cfn.describe_stack(stack)).await {
            Ok(Some(s)) if !s.status.is_running() => return Final::Settled(s),
            Ok(Some(s)) => s.status,
            Ok(None) => return Final::Gone,
            // Unknown counts as running: a read that fails proves nothing settled.
            Err(e) => return Final::Unsettled(format!("in an unknown state ({e})")),
        };
        if stopped || start.elapsed() >= wait.limit {
            return Final::Unsettled(status.as_str().to_owned());
        }
        if !said {
            said = true;
            say(waiting_line(stack, status.as_str(), wait.limit, before));
        }
        let pause = wait.every.min(wait.limit.saturating_sub(start.elapsed()));
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = interrupt.triggered() => return Final::Unsettled(status.as_str().to_owned()),
        }
    }
}

/// The line said before waiting for the stack to settle.
fn waiting_line(stack: &str, status: &str, limit: Duration, before: &[Marked]) -> String {
    let names: Vec<String> = before
        .iter()
        .map(|m| escape_line(&m.logical_id).into_owned())
        .collect();
    format!(
        "{stack} is still {}: waiting up to {} s for it to settle, to keep the hotswap drift markers of {} as its final state needs (Ctrl-C stops the wait; then the commands to do it by hand are printed)",
        escape_line(status),
        limit.as_secs(),
        names.join(", ")
    )
}

/// The line for a marked function of a stack CloudFormation may still be updating.
fn still_updating(stack: &str, status: &str, m: &Marked) -> String {
    let marker = m.marker.split_whitespace().collect::<Vec<_>>().join(" ");
    let tag = format!("{DRIFT_MARKER}={marker}");
    let quote = |s: &str| shlex::try_quote(s).map_or_else(|_| "''".to_owned(), |q| q.into_owned());
    // Two commands, no `$(...)`: each backticked step is completed with the run's
    // --region and --profile, which would quote a command substitution into one word.
    format!(
        "{} ({}) runs hotswapped {} and {stack} is still {}: CloudFormation's update may yet remove its tag {DRIFT_MARKER}, and then no deploy would restore it. Once the stack settles (`nephos status {stack}`), mark it again if the tag is gone: `aws lambda get-function --function-name {} --query Configuration.FunctionArn --output text` prints its ARN, then `aws lambda tag-resource --resource ARN --tags {}`; then run `nephos deploy {stack}`",
        escape_line(&m.logical_id),
        escape_line(&m.physical_id),
        escape_line(&marker),
        escape_line(status),
        escape_line(&quote(&m.physical_id)),
        escape_line(&quote(&tag)),
    )
}

#[cfg(test)]
#[path = "tests_unsettled.rs"]
mod tests;
