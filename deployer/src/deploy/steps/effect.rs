//! Whether a call that failed on nephos's side took effect anyway.
//!
//! A write whose answer was lost (a time-out, a 5xx, a dropped connection) may still have
//! reached CloudFormation: ExecuteChangeSet may have started the update, UpdateStack may be
//! running. Before nephos restores anything or says the stack is unchanged, it reads the
//! stack (and the change set) again and compares them with what it saw before the call.

use crate::cfn::model::Stack;
use crate::cfn::status::{ExecutionStatus, StackStatus};
use crate::deploy::engine::Engine;
use crate::deploy::steps::apply::stack_difference;

/// What reading the stack again after a failed write shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The stack is as before the call (and the change set still waits to be executed):
    /// the call did not take effect.
    None,
    /// The stack (or the change set) moved: the operation started, and is followed.
    Started,
    /// It cannot be told (why): nothing may be restored or claimed unchanged.
    Unknown(String),
}

impl Engine<'_> {
    /// Reads `name` (and `change_set`, when the failed call was its execution) after a
    /// failed write and compares it with `before` (`None`: the stack did not exist, or for
    /// a create change set it was REVIEW_IN_PROGRESS).
    pub async fn effect_of_failed_write(
        &self,
        name: &str,
        change_set: Option<&str>,
        before: Option<&Stack>,
    ) -> Effect {
        let now = match self.retry.run(|| self.cfn.describe_stack(name)).await {
            Ok(s) => s,
            Err(e) => return Effect::Unknown(format!("the stack cannot be read ({e})")),
        };
        // The same comparison as the check before the update (identity, status, last
        // update, parameters); a create change set's stack is only known to be in review.
        let moved = match (before, change_set) {
            (Some(_), _) => stack_difference(before, now.as_ref()).is_some(),
            (None, Some(_)) => now
                .as_ref()
                .is_none_or(|n| n.status != StackStatus::ReviewInProgress),
            (None, None) => now.is_some(),
        };
        if moved {
            return Effect::Started;
        }
        let Some(cs) = change_set else {
            return Effect::None;
        };
        match self
            .retry
            .run(|| self.cfn.describe_change_set(name, cs))
            .await
        {
            Ok(c) if c.execution_status == ExecutionStatus::Available => Effect::None,
            Ok(c) => match c.execution_status {
                ExecutionStatus::ExecuteInProgress
                | ExecutionStatus::ExecuteComplete
                | ExecutionStatus::ExecuteFailed => Effect::Started,
                other => Effect::Unknown(format!("change set {cs} is {other}")),
            },
            Err(e) => Effect::Unknown(format!("change set {cs} cannot be read ({e})")),
        }
    }
}
