//! What to do with a stack, given the state it is found in.

use crate::cfn::model::Stack;
use crate::cfn::status::StackStatus;

/// The action a deploy takes before creating its change set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateAction {
    /// No stack: create it.
    Create,
    /// A settled stack: update it.
    Update,
    /// An operation is running: wait for it, then decide again.
    Wait,
    /// A stack that never got created (ROLLBACK_COMPLETE, REVIEW_IN_PROGRESS, ...): it holds
    /// nothing, can only be deleted, so delete it and create it again.
    DeleteAndRecreate,
    /// UPDATE_ROLLBACK_FAILED: the rollback must be continued before any update.
    ContinueRollback,
    /// Nothing the deployer can safely do; the message says what the user can.
    Refuse {
        /// Why.
        reason: String,
        /// What to do next.
        next_step: String,
    },
}

/// Decides from the stack's current status (`None`: it does not exist).
///
/// This is the one table of stack states: a status CloudFormation adds goes here (the match
/// is exhaustive over the known ones, so the compiler asks for it). A status nephos does not
/// know is refused, never guessed at.
pub fn decide(stack: Option<&Stack>) -> StateAction {
    use StackStatus::*;
    let Some(stack) = stack else {
        return StateAction::Create;
    };
    let name = &stack.name;
    match &stack.status {
        DeleteComplete => StateAction::Create,
        RollbackComplete | RollbackFailed | ReviewInProgress | CreateFailed => {
            StateAction::DeleteAndRecreate
        }
        UpdateRollbackFailed => StateAction::ContinueRollback,
        DeleteFailed => StateAction::Refuse {
            reason: format!(
                "stack {name} is DELETE_FAILED: an earlier delete left resources behind"
            ),
            next_step: format!(
                "finish the delete with `nephos destroy {name}` (see `nephos status {name}` for the resources that failed)"
            ),
        },
        CreateInProgress
        | RollbackInProgress
        | DeleteInProgress
        | UpdateInProgress
        | UpdateCompleteCleanupInProgress
        | UpdateRollbackInProgress
        | UpdateRollbackCompleteCleanupInProgress
        | ImportInProgress
        | ImportRollbackInProgress => StateAction::Wait,
        CreateComplete
        | UpdateComplete
        | UpdateRollbackComplete
        | ImportComplete
        | ImportRollbackComplete => StateAction::Update,
        other @ (UpdateFailed | ImportRollbackFailed) => StateAction::Refuse {
            reason: format!("stack {name} is in {other}, which nephos does not know how to update"),
            next_step: format!("inspect it with `nephos status {name}`"),
        },
        Unknown(other) => StateAction::Refuse {
            reason: format!(
                "stack {name} is in {other:?}, a status nephos does not know, so it cannot tell whether an update is safe"
            ),
            next_step: format!(
                "inspect it with `nephos status {name}` and deploy again once it shows a known settled status (or update nephos)"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(status: &str) -> StateAction {
        decide(Some(&Stack {
            name: "s".into(),
            status: status.into(),
            ..Default::default()
        }))
    }

    #[test]
    fn every_documented_state_has_an_action() {
        assert_eq!(decide(None), StateAction::Create);
        for s in [
            "CREATE_COMPLETE",
            "UPDATE_COMPLETE",
            "UPDATE_ROLLBACK_COMPLETE",
            "IMPORT_COMPLETE",
        ] {
            assert_eq!(at(s), StateAction::Update, "{s}");
        }
        for s in [
            "CREATE_IN_PROGRESS",
            "UPDATE_IN_PROGRESS",
            "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "ROLLBACK_IN_PROGRESS",
            "DELETE_IN_PROGRESS",
        ] {
            assert_eq!(at(s), StateAction::Wait, "{s}");
        }
        for s in ["ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS", "ROLLBACK_FAILED"] {
            assert_eq!(at(s), StateAction::DeleteAndRecreate, "{s}");
        }
        assert_eq!(at("UPDATE_ROLLBACK_FAILED"), StateAction::ContinueRollback);
        assert!(matches!(at("DELETE_FAILED"), StateAction::Refuse { .. }));
        assert!(matches!(
            at("IMPORT_ROLLBACK_FAILED"),
            StateAction::Refuse { .. }
        ));
    }

    #[test]
    fn the_table_agrees_with_the_status_classes() {
        // `wait` stops on `is_in_progress` and an update needs `is_updatable`: the table
        // must say the same for every known status.
        for st in StackStatus::KNOWN {
            let s = st.as_str();
            assert_eq!(at(s) == StateAction::Wait, st.is_in_progress(), "{s}");
            assert_eq!(at(s) == StateAction::Update, st.is_updatable(), "{s}");
        }
    }

    #[test]
    fn an_unknown_status_is_refused_naming_it_and_the_way_on() {
        for s in ["UPDATE_PAUSED_IN_PROGRESS", "FOO_COMPLETE", ""] {
            let StateAction::Refuse { reason, next_step } = at(s) else {
                panic!("{s:?} not refused");
            };
            assert!(reason.contains(&format!("{s:?}")), "{reason}");
            assert!(reason.contains("does not know"), "{reason}");
            assert!(next_step.contains("nephos status s"), "{next_step}");
        }
    }
}
