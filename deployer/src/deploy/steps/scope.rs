//! The change set scope of one deploy: how far the deploy got, which decides the cleanup
//! that every exit passes through and what a failure says about the stack.
//!
//! [`Engine::deploy`](crate::deploy::engine::Engine::deploy) runs the steps inside the scope
//! and, whatever they end with (an outcome, or an error from any call after
//! `CreateChangeSet`), deletes the change set this run created and did not execute. The steps
//! only say how far they got; none of them deletes on its own way out, and none says what
//! became of the change set: the cleanup attaches that to the outcome as data
//! ([`crate::deploy::outcome::Discarded`]), from what it verified, and the renderers word it.

use crate::cfn::model::ChangeSetType;
use crate::cfn::status::StackStatus;
use crate::deploy::outcome::Outcome;

/// How far a deploy got with its change set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reached {
    /// No change set of this run exists (not created yet, or CloudFormation found nothing
    /// to change): the stack is as it was.
    #[default]
    Nothing,
    /// This run's change set exists and was not executed: it is deleted on every exit.
    ChangeSet,
    /// A change set stays in place: left for review (`--no-execute`), or the user's own
    /// (`--change-set NAME`), which nephos did not create and does not delete.
    Kept,
    /// The change set was executed (or the direct update started): the stack is changing.
    Executed,
    /// The execution (or the direct update) failed on nephos's side and reading the stack
    /// again could not tell whether CloudFormation started it: nothing is deleted, restored
    /// or claimed unchanged.
    MaybeExecuted,
}

/// The state a deploy carries through its steps for the cleanup and the failure message.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// How far it got.
    pub reached: Reached,
    /// The change set's name (this run's, or the one given with `--change-set`).
    pub change_set: String,
    /// Create or update.
    pub kind: Option<ChangeSetType>,
    /// The stack's settled status the deploy started from (`Some(None)`: it did not
    /// exist; `None`: not read yet).
    pub status_before: Option<Option<StackStatus>>,
}

impl Scope {
    /// The outcome of a deploy whose write `step` the seam refused after Ctrl-C
    /// ([`crate::cfn::halt`]): what was and was not changed, and the next step.
    pub fn interrupted(&self, stack: &str, step: &str) -> Outcome {
        let status = match &self.status_before {
            Some(Some(s)) => s.to_string(),
            Some(None) => "not created".to_owned(),
            None => "not read".to_owned(),
        };
        let resume = match self.reached {
            Reached::Executed | Reached::MaybeExecuted => format!(
                "interrupted after the update had started, before {step} (not sent): see the stack with `nephos status {stack} --wait`, then run `nephos deploy` again"
            ),
            Reached::Kept => format!(
                "interrupted before any change; nothing was changed ({step} was not sent) and change set {} is left in place: run `nephos deploy` again",
                self.change_set
            ),
            Reached::Nothing | Reached::ChangeSet => format!(
                "interrupted before any change; nothing was changed ({step} was not sent): run `nephos deploy` again"
            ),
        };
        Outcome::Interrupted {
            stack: stack.to_owned(),
            status,
            cancelled: false,
            resume,
            discarded: None,
        }
    }

    /// What a failure leaves behind and the next step, for the end of its message.
    /// `deleted`: whether the cleanup deleted this run's change set (`None`: it had none
    /// to delete).
    pub fn after_failure(&self, stack: &str, deleted: Option<bool>) -> String {
        let cs = &self.change_set;
        let state = match &self.status_before {
            Some(Some(s)) => format!("the stack is unchanged ({s})"),
            Some(None) => "the stack was not created".to_owned(),
            None => format!(
                "no change set was made; see the stack's state with `nephos status {stack}`"
            ),
        };
        match (self.reached, deleted) {
            (Reached::Nothing, _) => {
                format!("{state}; fix the cause above and run `nephos deploy` again")
            }
            (Reached::ChangeSet, Some(true)) => format!(
                "change set {cs} was deleted and {state}; fix the cause above and run `nephos deploy` again"
            ),
            (Reached::ChangeSet, _) => format!(
                "{state}, but change set {cs} could not be deleted: delete it with `aws cloudformation delete-change-set --stack-name {stack} --change-set-name {cs}`, then run `nephos deploy` again"
            ),
            (Reached::Kept, _) => format!(
                "{state} and change set {cs} is left in place; fix the cause above and run `nephos deploy {stack} --change-set {cs}` again (or `nephos deploy` for a new one)"
            ),
            (Reached::Executed, _) => format!(
                "the update was started and nephos no longer follows it: see how it goes on with `nephos status {stack} --wait`"
            ),
            (Reached::MaybeExecuted, _) => format!(
                "nephos cannot tell whether CloudFormation started the update (the call's answer was lost and the stack could not be read again), so the stack may be changing and nephos's data-loss stack policy is left on it: check it with `nephos status {stack} --wait` before anything else"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_says_the_state_and_a_next_step() {
        for reached in [
            Reached::Nothing,
            Reached::ChangeSet,
            Reached::Kept,
            Reached::Executed,
            Reached::MaybeExecuted,
        ] {
            for deleted in [None, Some(true), Some(false)] {
                let scope = Scope {
                    reached,
                    change_set: "cs1".into(),
                    kind: Some(ChangeSetType::Update),
                    status_before: Some(Some(StackStatus::UpdateComplete)),
                };
                let m = scope.after_failure("api", deleted);
                assert!(m.contains("`nephos "), "{reached:?}: {m}");
                assert!(
                    m.contains(StackStatus::UpdateComplete.as_str())
                        || m.contains("update was started")
                        || m.contains("cannot tell whether"),
                    "{reached:?}: {m}"
                );
            }
        }
        let scope = Scope {
            reached: Reached::ChangeSet,
            change_set: "cs1".into(),
            ..Default::default()
        };
        assert!(
            scope
                .after_failure("api", Some(false))
                .contains("delete-change-set")
        );
        assert!(
            scope
                .after_failure("api", Some(true))
                .contains("was deleted")
        );
    }
}
