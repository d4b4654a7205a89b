//! Keeping the hotswap drift markers of a deploy that did not succeed (rev 3b).
//!
//! A failed deploy writes back the markers CloudFormation's update removed
//! ([`mark_again`]). That is only true once the stack has settled: after Ctrl-C or
//! `--timeout` (or an error while the update runs) CloudFormation may still be updating,
//! the marker is still there when nephos looks, and the update can remove it afterwards;
//! the next deploy would then trust a function that runs hotswapped code. So while the
//! stack is not known to be settled, nephos does not trust the marker: it says which
//! functions were hotswapped, with their properties, and how to mark them again once the
//! stack settles.

use super::reconcile::{Marked, mark_again};
use crate::cfn::lambda::{DRIFT_MARKER, Lambda};
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::CloudFormation;
use crate::output::escape::escape_line;

/// After a deploy of `stack` that did not succeed: writes back the markers of `before`
/// (the functions marked before the deploy) that are gone, and, unless the stack is
/// settled, one line per function naming it, the properties it runs hotswapped and the
/// command that marks it again once the stack settles. Also returns [`mark_again`]'s lines.
///
/// Calls: `DescribeStacks` (only when a function was marked), then as [`mark_again`].
pub async fn keep_markers(
    cfn: &dyn CloudFormation,
    lambda: &dyn Lambda,
    retry: &RetryPolicy,
    stack: &str,
    before: &[Marked],
) -> Vec<String> {
    if before.is_empty() {
        return Vec::new();
    }
    // Unknown counts as running: a read that fails proves nothing settled.
    let running = match retry.run(|| cfn.describe_stack(stack)).await {
        Ok(Some(s)) => s.status.is_running().then(|| s.status.as_str().to_owned()),
        Ok(None) => None,
        Err(e) => Some(format!("in an unknown state ({e})")),
    };
    let mut lines = mark_again(lambda, stack, before).await;
    if let Some(status) = running {
        lines.extend(before.iter().map(|m| still_updating(stack, &status, m)));
    }
    lines
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
mod tests {
    use super::*;
    use crate::cfn::status::StackStatus;
    use crate::deploy::fake::{FakeCfn, stack as stack_in};
    use crate::hotswap::fake::FakeLambda;

    fn marked() -> Vec<Marked> {
        vec![Marked {
            logical_id: "Fn".into(),
            physical_id: "api-Fn-123".into(),
            marker: "Code Environment".into(),
        }]
    }

    /// rev 3b: interrupted while CloudFormation updates, the marker is still on the
    /// function, so writing it back is skipped, and the update may remove it later. The
    /// function and the way to mark it again are named.
    #[tokio::test]
    async fn a_stack_still_updating_names_each_marked_function_and_how_to_mark_it_again() {
        let cfn = FakeCfn::new(vec![stack_in(StackStatus::UpdateInProgress)]);
        let lambda = FakeLambda::new(&["Successful"]);
        lambda
            .markers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert("api-Fn-123".into(), "Code Environment".into());
        let lines = keep_markers(&cfn, &lambda, &RetryPolicy::IMMEDIATE, "api", &marked()).await;
        assert_eq!(lines.len(), 1, "{lines:?}");
        for needle in [
            "Fn (api-Fn-123) runs hotswapped Code Environment",
            "api is still UPDATE_IN_PROGRESS",
            "--tags 'nephos:hotswapped=Code Environment'",
            "--function-name api-Fn-123",
            "nephos deploy api",
        ] {
            assert!(lines[0].contains(needle), "{needle}: {lines:?}");
        }
        // Completed with the run's region, each command stays one the shell runs as meant.
        let cli = crate::cli::Cli::from_args(["nephos", "--region", "eu-west-1", "deploy"])
            .unwrap_or_else(|e| panic!("{e}"));
        let done = crate::output::invocation::Invocation::of(&cli).complete(&lines[0]);
        assert!(
            done.contains("--output text --region eu-west-1`")
                && done.contains("--tags 'nephos:hotswapped=Code Environment' --region eu-west-1`"),
            "{done}"
        );
    }

    /// Settled (the update rolled back): the gone marker is written back, nothing to say.
    #[tokio::test]
    async fn a_settled_stack_gets_the_gone_marker_back_silently() {
        let cfn = FakeCfn::new(vec![stack_in(StackStatus::UpdateRollbackComplete)]);
        let lambda = FakeLambda::new(&["Successful"]);
        let lines = keep_markers(&cfn, &lambda, &RetryPolicy::IMMEDIATE, "api", &marked()).await;
        assert!(lines.is_empty(), "{lines:?}");
        assert_eq!(
            lambda.markers().get("api-Fn-123").map(String::as_str),
            Some("Code Environment")
        );
    }
}
