//! The markers of a deploy that did not succeed, through the scripted CloudFormation and
//! Lambda: nephos waits for the stack to settle and keeps what its final state needs (rev
//! 3b); it prints the commands only when it cannot learn that state.

use std::time::Duration;

use super::*;
use crate::cfn::model::Stack;
use crate::cfn::status::StackStatus;
use crate::deploy::fake::{FakeCfn, FakeStaging, stack as stack_in};
use crate::hotswap::fake::FakeLambda;
use crate::hotswap::tests::{NOW, deployed, resource};

/// No pause between reads; at most 2 s in all (a test that waits that long failed anyway).
const QUICK: SettleWait = SettleWait {
    every: Duration::ZERO,
    limit: Duration::from_secs(2),
};

fn marked() -> Vec<Marked> {
    vec![Marked {
        logical_id: "Fn".into(),
        physical_id: "api-Fn-123".into(),
        marker: "Code Environment".into(),
    }]
}

/// Read before the deploy: `Fn` marked, the stack last updated at 10:00.
fn before() -> Before {
    Before {
        marked: marked(),
        last_updated: Some("2026-12-01T10:00:00Z".into()),
    }
}

/// The stack in `status`, last updated at `at`, with the parameter the template needs.
fn at(status: StackStatus, at: &str) -> Option<Stack> {
    let mut s = stack_in(status);
    if let Some(s) = s.as_mut() {
        s.last_updated = Some(at.into());
        s.parameters = vec![("Stage".into(), "dev".into())];
    }
    s
}

/// A stack whose reads answer `statuses` in order, holding `Fn` as `api-Fn-123`.
fn cfn(statuses: Vec<Option<Stack>>) -> FakeCfn {
    FakeCfn::new(statuses)
        .with_template(&deployed().to_string())
        .with_resources(vec![
            resource("Fn", Some("api-Fn-123"), "AWS::Lambda::Function"),
            resource("Role", Some("api-Role-1"), "AWS::IAM::Role"),
            resource("Table", Some("api-Table-9"), "AWS::DynamoDB::Table"),
        ])
}

fn mark(lambda: &FakeLambda) {
    lambda
        .markers
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert("api-Fn-123".into(), "Code Environment".into());
}

/// Runs [`keep_markers`]; returns its lines and what it said before waiting.
async fn keep(
    cfn: &FakeCfn,
    lambda: &FakeLambda,
    wait: SettleWait,
    interrupt: &Interrupt,
) -> (Vec<String>, Vec<String>) {
    let staging = FakeStaging::default();
    let b = HotswapBackends {
        cfn,
        staging: &staging,
        lambda,
    };
    let mut said = Vec::new();
    let lines = keep_markers(
        b,
        &RetryPolicy::IMMEDIATE,
        NOW,
        wait,
        "api",
        &before(),
        interrupt,
        &mut |l| said.push(l),
    )
    .await;
    (lines, said)
}

fn describes(cfn: &FakeCfn) -> usize {
    cfn.calls
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|c| c.starts_with("DescribeStacks"))
        .count()
}

/// Timed out while CloudFormation updates; the update then rolls back, and its rollback
/// removed the marker: nephos waits, then writes the marker back itself.
#[tokio::test]
async fn after_a_timeout_nephos_waits_for_the_rollback_and_marks_the_function_again() {
    let cfn = cfn(vec![
        at(StackStatus::UpdateInProgress, "2026-12-01T11:00:00Z"),
        at(
            StackStatus::UpdateRollbackInProgress,
            "2026-12-01T11:00:00Z",
        ),
        at(StackStatus::UpdateRollbackComplete, "2026-12-01T11:00:00Z"),
    ]);
    let lambda = FakeLambda::new(&["Successful"]);
    let interrupt = Interrupt::new();
    interrupt.time_out();
    let (lines, said) = keep(&cfn, &lambda, QUICK, &interrupt).await;
    assert!(lines.is_empty(), "{lines:?}");
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("api is still UPDATE_IN_PROGRESS: waiting up to 2 s")
            && said[0].contains("markers of Fn"),
        "{said:?}"
    );
    assert_eq!(describes(&cfn), 3);
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Code Environment")
    );
    // Nothing but the tag: the function keeps the code it runs.
    assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
    assert!(cfn.write_calls().is_empty());
}

/// The update failed (rollback disabled: `UPDATE_FAILED`), the marker is gone: written
/// back, no commands to run by hand.
#[tokio::test]
async fn an_update_that_failed_gets_the_gone_marker_back() {
    let cfn = cfn(vec![at(StackStatus::UpdateFailed, "2026-12-01T11:00:00Z")]);
    let lambda = FakeLambda::new(&["Successful"]);
    let (lines, said) = keep(&cfn, &lambda, QUICK, &Interrupt::new()).await;
    assert!(lines.is_empty() && said.is_empty(), "{lines:?} {said:?}");
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Code Environment")
    );
}

/// Settled (the update rolled back): the gone marker is written back, nothing to say.
#[tokio::test]
async fn a_rolled_back_stack_gets_the_gone_marker_back_silently() {
    let cfn = cfn(vec![at(
        StackStatus::UpdateRollbackComplete,
        "2026-12-01T11:00:00Z",
    )]);
    let lambda = FakeLambda::new(&["Successful"]);
    let (lines, said) = keep(&cfn, &lambda, QUICK, &Interrupt::new()).await;
    assert!(lines.is_empty() && said.is_empty(), "{lines:?} {said:?}");
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Code Environment")
    );
}

/// Timed out, and CloudFormation then completed the update: the new template is
/// applied, so the hotswapped function is brought back to it through Lambda, and its
/// marker removed, as a deploy that succeeded does.
#[tokio::test]
async fn an_update_that_completes_after_the_timeout_brings_the_function_back_to_its_template() {
    let cfn = cfn(vec![
        at(StackStatus::UpdateInProgress, "2026-12-01T11:00:00Z"),
        at(StackStatus::UpdateComplete, "2026-12-01T11:00:00Z"),
    ]);
    let lambda = FakeLambda::new(&["Successful"]);
    mark(&lambda);
    let interrupt = Interrupt::new();
    interrupt.time_out();
    let (lines, _) = keep(&cfn, &lambda, QUICK, &interrupt).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("Fn was hotswapped earlier: Code, Environment restored"),
        "{lines:?}"
    );
    let calls = lambda.calls();
    assert_eq!(
        calls[0],
        r#"UpdateFunctionCode api-Fn-123 S3 { bucket: "nephos-staging-123456789012-eu-west-1", key: "assets/aaa.zip", version: None }"#
    );
    assert!(
        calls.iter().any(
            |c| c.starts_with("UpdateFunctionConfiguration api-Fn-123") && c.contains("STAGE")
        ),
        "{calls:?}"
    );
    assert!(lambda.markers().is_empty(), "{:?}", lambda.markers());
}

/// A deploy that failed before CloudFormation changed anything (the stack's
/// `LastUpdatedTime` is the one read before): the hotswapped code stays, marked.
#[tokio::test]
async fn a_stack_the_deploy_did_not_update_keeps_its_hotswapped_code_and_marker() {
    let cfn = cfn(vec![at(
        StackStatus::UpdateComplete,
        "2026-12-01T10:00:00Z",
    )]);
    let lambda = FakeLambda::new(&["Successful"]);
    mark(&lambda);
    let (lines, _) = keep(&cfn, &lambda, QUICK, &Interrupt::new()).await;
    assert!(lines.is_empty(), "{lines:?}");
    assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Code Environment")
    );
}

/// Bringing the function back fails: its marker is written back (fail closed) and the
/// failure is said.
#[tokio::test]
async fn a_failed_restore_after_the_update_completed_keeps_the_marker() {
    let cfn = cfn(vec![at(
        StackStatus::UpdateComplete,
        "2026-12-01T11:00:00Z",
    )]);
    let lambda = FakeLambda::new(&["Successful"]).failing("UpdateFunctionCode");
    let (lines, _) = keep(&cfn, &lambda, QUICK, &Interrupt::new()).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("back to its template failed"),
        "{lines:?}"
    );
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Code Environment")
    );
}

/// Still updating when the wait ends: the marker is not trusted, the function and the
/// commands that mark it again are named (fail closed).
#[tokio::test]
async fn a_stack_still_updating_at_the_end_of_the_wait_names_each_function_and_the_commands() {
    let cfn = cfn(vec![at(
        StackStatus::UpdateInProgress,
        "2026-12-01T11:00:00Z",
    )]);
    let lambda = FakeLambda::new(&["Successful"]);
    mark(&lambda);
    let wait = SettleWait {
        every: Duration::from_millis(10),
        limit: Duration::from_millis(50),
    };
    let (lines, said) = keep(&cfn, &lambda, wait, &Interrupt::new()).await;
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(describes(&cfn) >= 2, "it waited");
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

/// Ctrl-C ended the deploy: the user asked nephos to stop waiting, so it reads once and
/// prints the commands.
#[tokio::test]
async fn after_ctrl_c_nephos_does_not_wait_and_prints_the_commands() {
    let cfn = cfn(vec![
        at(StackStatus::UpdateInProgress, "2026-12-01T11:00:00Z"),
        at(StackStatus::UpdateRollbackComplete, "2026-12-01T11:00:00Z"),
    ]);
    let lambda = FakeLambda::new(&["Successful"]);
    mark(&lambda);
    let interrupt = Interrupt::new();
    interrupt.trigger();
    let (lines, said) = keep(&cfn, &lambda, SettleWait::STANDARD, &interrupt).await;
    assert!(said.is_empty(), "{said:?}");
    assert_eq!(describes(&cfn), 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("api is still UPDATE_IN_PROGRESS"),
        "{lines:?}"
    );
}

/// A stack whose state cannot be read is not known to be settled.
#[tokio::test]
async fn a_stack_that_cannot_be_read_counts_as_unsettled() {
    let cfn = cfn(vec![at(
        StackStatus::UpdateComplete,
        "2026-12-01T11:00:00Z",
    )])
    .failing(
        "DescribeStacks",
        vec![crate::cfn::error::CfnError::new(
            crate::cfn::error::ErrorKind::AccessDenied,
            "denied",
        )],
    );
    let lambda = FakeLambda::new(&["Successful"]);
    mark(&lambda);
    let (lines, _) = keep(&cfn, &lambda, QUICK, &Interrupt::new()).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("in an unknown state"), "{lines:?}");
    assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
}
