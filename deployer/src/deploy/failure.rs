//! Explaining a failed operation root cause first.
//!
//! When one resource fails, CloudFormation cancels its siblings and reports each of them as
//! failed with "Resource creation cancelled"; those come later and outnumber the real cause,
//! so the report picks the earliest failure that is not such a cascade.

use serde::Serialize;

use crate::cfn::model::{Stack, StackEvent};
use crate::cfn::status::StackStatus;

/// Why a deploy or destroy failed, and what to do next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureReport {
    /// The stack.
    pub stack: String,
    /// Its final status.
    pub status: String,
    /// The stack's own status reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack_reason: Option<String>,
    /// The first real failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<StackEvent>,
    /// Other real failures, in order.
    pub other_failures: Vec<StackEvent>,
    /// How many failures were only cancellations caused by the root cause.
    pub cancelled: usize,
    /// What the user should do now.
    pub next_step: String,
}

/// Whether an event is only a consequence of another resource's failure.
fn is_cascade(e: &StackEvent) -> bool {
    e.reason.as_deref().is_some_and(|r| {
        let r = r.to_ascii_lowercase();
        r.contains("resource creation cancelled")
            || r.contains("resource update cancelled")
            || r.contains("resource deletion cancelled")
    })
}

/// Builds the report from the stack's final state and the events of this operation
/// (chronological).
pub fn summarize(stack: &Stack, events: &[StackEvent]) -> FailureReport {
    let failed: Vec<&StackEvent> = events
        .iter()
        .filter(|e| !e.is_stack_event() && e.status.is_failed())
        .collect();
    let (cascade, real): (Vec<&StackEvent>, Vec<&StackEvent>) =
        failed.into_iter().partition(|e| is_cascade(e));
    let mut real = real.into_iter().cloned();
    let root_cause = real.next();
    let mut next = next_step(&stack.name, &stack.status);
    if let Some(e) = root_cause.as_ref().filter(|e| denied_by_nephos(e)) {
        next = format!(
            "nephos's data-loss stack policy denied CloudFormation's replacement or removal of {id}, which the review did not show as allowed; if losing its data is intended, rerun with --allow-replace {id} (or --allow-data-loss); {next}",
            id = e.logical_id
        );
    }
    FailureReport {
        stack: stack.name.clone(),
        status: stack.status.to_string(),
        stack_reason: stack.status_reason.clone(),
        root_cause,
        other_failures: real.collect(),
        cancelled: cascade.len(),
        next_step: next,
    }
}

/// Whether `e` failed because a statement of nephos's own stack policy denied it (its
/// `Sid` starts with [`SID_PREFIX`]; CloudFormation names the denying statement's `Sid` in
/// the reason).
fn denied_by_nephos(e: &StackEvent) -> bool {
    e.reason.as_deref().is_some_and(|r| {
        r.contains("stack policy") && r.contains(crate::deploy::policy::SID_PREFIX)
    })
}

/// The next step for each final state of a failed operation.
pub fn next_step(name: &str, status: &StackStatus) -> String {
    use StackStatus::*;
    match status {
        RollbackComplete => format!(
            "the stack was never created; fix the cause and run `nephos deploy` again (it deletes the empty stack {name} first)"
        ),
        UpdateRollbackComplete => {
            "the stack is back on its previous template; fix the cause and run `nephos deploy` again".into()
        }
        UpdateRollbackFailed => format!(
            "the rollback is stuck; run `nephos deploy {name} --yes` to continue it (ContinueUpdateRollback), or skip the resources that cannot roll back with `aws cloudformation continue-update-rollback --stack-name {name} --resources-to-skip ...`"
        ),
        RollbackFailed | DeleteFailed => format!(
            "the stack must be deleted: `nephos destroy {name}`; resources that could not be deleted are named above"
        ),
        CreateFailed => format!(
            "rollback was disabled, so the failed resources stay as they are; fix the cause and deploy again (nephos deletes the failed create first, once it judged its resources), or `nephos destroy {name}`"
        ),
        UpdateFailed => format!(
            "rollback was disabled, so the failed resources stay as they are; fix the cause and deploy again (the next deploy updates the stack as it is), or roll it back with `aws cloudformation rollback-stack --stack-name {name}`"
        ),
        _ => format!("see `nephos status {name}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::status::ResourceStatus;

    fn ev(t: &str, id: &str, status: ResourceStatus, reason: &str) -> StackEvent {
        StackEvent {
            id: format!("{id}-{t}"),
            timestamp: t.into(),
            logical_id: id.into(),
            resource_type: "AWS::SQS::Queue".into(),
            status,
            reason: Some(reason.into()),
        }
    }

    #[test]
    fn the_root_cause_is_the_first_failure_that_is_not_a_cancellation() {
        let events = [
            ev("1", "A", ResourceStatus::CreateInProgress, ""),
            ev(
                "2",
                "B",
                ResourceStatus::CreateFailed,
                "Resource creation cancelled",
            ),
            ev(
                "3",
                "A",
                ResourceStatus::CreateFailed,
                "Queue name already exists",
            ),
            ev(
                "4",
                "C",
                ResourceStatus::CreateFailed,
                "Resource creation cancelled",
            ),
        ];
        let stack = Stack {
            name: "s".into(),
            status: StackStatus::RollbackComplete,
            ..Default::default()
        };
        let r = summarize(&stack, &events);
        assert_eq!(r.root_cause.map(|e| e.logical_id), Some("A".to_string()));
        assert_eq!(r.cancelled, 2);
        assert!(r.next_step.contains("never created"));
    }
}
