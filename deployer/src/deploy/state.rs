//! What to do with a stack, given the state it is found in.

use crate::cfn::model::Stack;

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
pub fn decide(stack: Option<&Stack>) -> StateAction {
    let Some(stack) = stack else {
        return StateAction::Create;
    };
    let status = &stack.status;
    match status.as_str() {
        "DELETE_COMPLETE" => StateAction::Create,
        "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "REVIEW_IN_PROGRESS" | "CREATE_FAILED" => {
            StateAction::DeleteAndRecreate
        }
        "UPDATE_ROLLBACK_FAILED" => StateAction::ContinueRollback,
        "DELETE_FAILED" => StateAction::Refuse {
            reason: format!(
                "stack {} is DELETE_FAILED: an earlier delete left resources behind",
                stack.name
            ),
            next_step: format!(
                "finish the delete with `nephos destroy {}` (see `nephos status {}` for the resources that failed)",
                stack.name, stack.name
            ),
        },
        _ if status.is_in_progress() => StateAction::Wait,
        _ if status.is_updatable() => StateAction::Update,
        other => StateAction::Refuse {
            reason: format!(
                "stack {} is in {other}, which nephos does not know how to update",
                stack.name
            ),
            next_step: format!("inspect it with `nephos status {}`", stack.name),
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
}
