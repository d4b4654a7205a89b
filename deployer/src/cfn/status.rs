//! CloudFormation's statuses and change kinds, typed once at the seam.
//!
//! The known spellings are those of the CloudFormation API model, as the AWS SDK for Rust
//! generates them (`aws-sdk-cloudformation` 1.136, `types::{StackStatus, ResourceStatus,
//! ChangeSetStatus, ExecutionStatus, ChangeAction, Replacement}`). A spelling AWS adds later
//! is kept in `Unknown`, shown as-is, and never matches a decision: every question these types
//! answer is `false` for it, so a decision that needs a known status fails closed.

use std::fmt;

use serde::{Serialize, Serializer};

/// Defines a string-backed CloudFormation enum: known variants, `Unknown(String)`, parsing
/// from the wire spelling, `as_str`, `Display` and `Serialize` as that spelling.
macro_rules! cfn_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* #[doc = concat!("`", $wire, "`")] $variant,)+
            /// A spelling nephos does not know (added by AWS later, or sent by a faulty
            /// endpoint): kept as received, never treated as any known one.
            Unknown(String),
        }

        impl $name {
            /// Every spelling nephos knows, in the API model's order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant,)+];

            /// The status as CloudFormation spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(s) => s,
                }
            }

            /// Whether nephos does not know this spelling.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl Default for $name {
            /// An empty, unknown status: what a response without one is read as.
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

cfn_enum! {
    /// A stack's status (`DescribeStacks`, `ListStacks`).
    StackStatus {
        CreateInProgress = "CREATE_IN_PROGRESS",
        CreateFailed = "CREATE_FAILED",
        CreateComplete = "CREATE_COMPLETE",
        RollbackInProgress = "ROLLBACK_IN_PROGRESS",
        RollbackFailed = "ROLLBACK_FAILED",
        RollbackComplete = "ROLLBACK_COMPLETE",
        DeleteInProgress = "DELETE_IN_PROGRESS",
        DeleteFailed = "DELETE_FAILED",
        DeleteComplete = "DELETE_COMPLETE",
        UpdateInProgress = "UPDATE_IN_PROGRESS",
        UpdateCompleteCleanupInProgress = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
        UpdateComplete = "UPDATE_COMPLETE",
        UpdateFailed = "UPDATE_FAILED",
        UpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS",
        UpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED",
        UpdateRollbackCompleteCleanupInProgress = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        UpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE",
        ReviewInProgress = "REVIEW_IN_PROGRESS",
        ImportInProgress = "IMPORT_IN_PROGRESS",
        ImportComplete = "IMPORT_COMPLETE",
        ImportRollbackInProgress = "IMPORT_ROLLBACK_IN_PROGRESS",
        ImportRollbackFailed = "IMPORT_ROLLBACK_FAILED",
        ImportRollbackComplete = "IMPORT_ROLLBACK_COMPLETE",
    }
}

impl StackStatus {
    /// Whether an operation is still running (and the stack cannot be changed yet).
    /// `REVIEW_IN_PROGRESS` is excluded: nothing runs, the stack only holds a change set.
    /// An unknown status is not "in progress": waiting stops and the caller's decision on
    /// the status (which refuses unknown ones) takes over.
    pub fn is_in_progress(&self) -> bool {
        use StackStatus::*;
        matches!(
            self,
            CreateInProgress
                | RollbackInProgress
                | DeleteInProgress
                | UpdateInProgress
                | UpdateCompleteCleanupInProgress
                | UpdateRollbackInProgress
                | UpdateRollbackCompleteCleanupInProgress
                | ImportInProgress
                | ImportRollbackInProgress
        )
    }

    /// Whether waiting for the stack goes on: a known in-progress status, or one nephos does
    /// not know that CloudFormation spells as in progress (`*_IN_PROGRESS`). Stopping on the
    /// latter would report a running operation as ended (and restore what must stay until
    /// it ends); any other unknown status ends the wait, and the caller refuses it.
    pub fn is_running(&self) -> bool {
        self.is_in_progress()
            || matches!(self, StackStatus::Unknown(s) if s.ends_with("_IN_PROGRESS"))
    }

    /// Whether the last operation ended as its user wanted it.
    pub fn is_success(&self) -> bool {
        use StackStatus::*;
        matches!(
            self,
            CreateComplete | UpdateComplete | DeleteComplete | ImportComplete
        )
    }

    /// Whether the last operation failed: a known `*_FAILED` status, or an unknown one spelled
    /// that way (it is only reported, so a failure nephos cannot name still shows as one).
    pub fn is_failed(&self) -> bool {
        self.as_str().ends_with("_FAILED")
    }

    /// Whether the stack can take an update change set as it is. `UPDATE_FAILED` (an update
    /// made with rollback disabled failed) can: CloudFormation lets it be updated again or
    /// rolled back ("Roll back a stack", CloudFormation User Guide).
    pub fn is_updatable(&self) -> bool {
        use StackStatus::*;
        matches!(
            self,
            CreateComplete
                | UpdateComplete
                | UpdateRollbackComplete
                | UpdateFailed
                | ImportComplete
                | ImportRollbackComplete
        )
    }
}

cfn_enum! {
    /// A resource's status, as stack events and `DescribeStackResources` report it. Stack-level
    /// events carry the stack's status here, so stack-only spellings are listed as well.
    ResourceStatus {
        CreateInProgress = "CREATE_IN_PROGRESS",
        CreateFailed = "CREATE_FAILED",
        CreateComplete = "CREATE_COMPLETE",
        DeleteInProgress = "DELETE_IN_PROGRESS",
        DeleteFailed = "DELETE_FAILED",
        DeleteComplete = "DELETE_COMPLETE",
        DeleteSkipped = "DELETE_SKIPPED",
        UpdateInProgress = "UPDATE_IN_PROGRESS",
        UpdateFailed = "UPDATE_FAILED",
        UpdateComplete = "UPDATE_COMPLETE",
        ImportFailed = "IMPORT_FAILED",
        ImportComplete = "IMPORT_COMPLETE",
        ImportInProgress = "IMPORT_IN_PROGRESS",
        ImportRollbackInProgress = "IMPORT_ROLLBACK_IN_PROGRESS",
        ImportRollbackFailed = "IMPORT_ROLLBACK_FAILED",
        ImportRollbackComplete = "IMPORT_ROLLBACK_COMPLETE",
        ExportFailed = "EXPORT_FAILED",
        ExportComplete = "EXPORT_COMPLETE",
        ExportInProgress = "EXPORT_IN_PROGRESS",
        ExportRollbackInProgress = "EXPORT_ROLLBACK_IN_PROGRESS",
        ExportRollbackFailed = "EXPORT_ROLLBACK_FAILED",
        ExportRollbackComplete = "EXPORT_ROLLBACK_COMPLETE",
        UpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS",
        UpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE",
        UpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED",
        RollbackInProgress = "ROLLBACK_IN_PROGRESS",
        RollbackComplete = "ROLLBACK_COMPLETE",
        RollbackFailed = "ROLLBACK_FAILED",
        UpdateCompleteCleanupInProgress = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
        UpdateRollbackCompleteCleanupInProgress = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        ReviewInProgress = "REVIEW_IN_PROGRESS",
    }
}

/// How a resource status reads to a person following a deploy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusClass {
    /// Something failed.
    Failed,
    /// A step finished as wanted.
    Complete,
    /// A rollback moved (or ended).
    Rollback,
    /// Still running.
    InProgress,
    /// Anything else (a skipped delete, a status nephos does not know).
    Other,
}

impl ResourceStatus {
    /// The class, for display and for picking failures out of events.
    ///
    /// Read from the spelling, so an unknown one that ends in `_FAILED` still counts as a
    /// failure: classes are only shown (never acted on), and hiding a failure from the
    /// summary would mislead.
    pub fn class(&self) -> StatusClass {
        let s = self.as_str();
        if s.ends_with("_FAILED") {
            StatusClass::Failed
        } else if s.contains("ROLLBACK") {
            StatusClass::Rollback
        } else if s.ends_with("_COMPLETE") {
            StatusClass::Complete
        } else if s.ends_with("_IN_PROGRESS") {
            StatusClass::InProgress
        } else {
            StatusClass::Other
        }
    }

    /// Whether the status reports a failure.
    pub fn is_failed(&self) -> bool {
        self.class() == StatusClass::Failed
    }

    /// Whether the step (a rollback included) is still running, for progress counts.
    pub fn is_running(&self) -> bool {
        self.as_str().ends_with("_IN_PROGRESS")
    }
}

cfn_enum! {
    /// A change set's status (`DescribeChangeSet`).
    ChangeSetStatus {
        CreatePending = "CREATE_PENDING",
        CreateInProgress = "CREATE_IN_PROGRESS",
        CreateComplete = "CREATE_COMPLETE",
        DeletePending = "DELETE_PENDING",
        DeleteInProgress = "DELETE_IN_PROGRESS",
        DeleteComplete = "DELETE_COMPLETE",
        DeleteFailed = "DELETE_FAILED",
        Failed = "FAILED",
    }
}

cfn_enum! {
    /// Whether a change set can be executed (`DescribeChangeSet`'s `ExecutionStatus`).
    ExecutionStatus {
        Unavailable = "UNAVAILABLE",
        Available = "AVAILABLE",
        ExecuteInProgress = "EXECUTE_IN_PROGRESS",
        ExecuteComplete = "EXECUTE_COMPLETE",
        ExecuteFailed = "EXECUTE_FAILED",
        Obsolete = "OBSOLETE",
    }
}

cfn_enum! {
    /// What a change set does to one resource.
    ChangeAction {
        Add = "Add",
        Modify = "Modify",
        Remove = "Remove",
        Import = "Import",
        Dynamic = "Dynamic",
        SyncWithActual = "SyncWithActual",
    }
}

cfn_enum! {
    /// What executing the change set does to the physical resource (`ResourceChange`'s
    /// `PolicyAction`, from the resource's `DeletionPolicy` or `UpdateReplacePolicy`).
    PolicyAction {
        Delete = "Delete",
        Retain = "Retain",
        Snapshot = "Snapshot",
        ReplaceAndDelete = "ReplaceAndDelete",
        ReplaceAndRetain = "ReplaceAndRetain",
        ReplaceAndSnapshot = "ReplaceAndSnapshot",
    }
}

impl PolicyAction {
    /// Whether the resource is replaced: the `ReplaceAnd*` actions ("The resource will be
    /// replaced and then ...", `PolicyAction` in the CloudFormation API reference). Such an
    /// action is a replacement whatever the change's `Replacement` says beside it. An
    /// unknown action answers `false`: callers judge it apart, as a possible replacement.
    pub fn replaces(&self) -> bool {
        matches!(
            self,
            Self::ReplaceAndDelete | Self::ReplaceAndRetain | Self::ReplaceAndSnapshot
        )
    }
}

cfn_enum! {
    /// Whether a modification replaces the resource.
    Replacement {
        True = "True",
        False = "False",
        Conditional = "Conditional",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_spellings_round_trip_and_unknown_ones_are_kept() {
        for s in [
            "CREATE_COMPLETE",
            "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        ] {
            let st = StackStatus::from(s);
            assert!(!st.is_unknown(), "{s}");
            assert_eq!(st.as_str(), s);
        }
        let odd = StackStatus::from("UPDATE_PAUSED_IN_PROGRESS");
        assert_eq!(
            odd,
            StackStatus::Unknown("UPDATE_PAUSED_IN_PROGRESS".into())
        );
        assert_eq!(odd.to_string(), "UPDATE_PAUSED_IN_PROGRESS");
        assert_eq!(
            serde_json::to_string(&odd).unwrap(),
            "\"UPDATE_PAUSED_IN_PROGRESS\""
        );
        assert_eq!(ChangeAction::from("Modify"), ChangeAction::Modify);
        assert!(Replacement::from("Maybe").is_unknown());
    }

    #[test]
    fn only_the_replace_policy_actions_replace() {
        for p in PolicyAction::KNOWN {
            assert_eq!(p.replaces(), p.as_str().starts_with("Replace"), "{p}");
        }
        assert!(!PolicyAction::from("ReplaceLater").replaces());
        assert!(PolicyAction::from("ReplaceLater").is_unknown());
    }

    #[test]
    fn an_unknown_stack_status_answers_no_to_every_question() {
        // Even spelled like one, an unknown status is not taken for in progress, success or
        // updatable: decisions on it refuse instead of guessing.
        for s in ["FOO_IN_PROGRESS", "FOO_COMPLETE", ""] {
            let st = StackStatus::from(s);
            assert!(
                !st.is_in_progress() && !st.is_success() && !st.is_updatable(),
                "{s}"
            );
        }
    }

    #[test]
    fn an_unknown_in_progress_status_is_still_running_and_no_other_unknown_one_is() {
        assert!(StackStatus::from("UPDATE_PAUSED_IN_PROGRESS").is_running());
        assert!(StackStatus::UpdateInProgress.is_running());
        for s in ["UPDATE_VERIFIED_COMPLETE", "IN_PROGRESS_NOT", ""] {
            assert!(!StackStatus::from(s).is_running(), "{s}");
        }
        for st in StackStatus::KNOWN {
            assert_eq!(st.is_running(), st.is_in_progress(), "{st}");
        }
    }

    #[test]
    fn resource_status_classes() {
        assert_eq!(ResourceStatus::CreateFailed.class(), StatusClass::Failed);
        assert_eq!(
            ResourceStatus::CreateComplete.class(),
            StatusClass::Complete
        );
        assert_eq!(
            ResourceStatus::UpdateRollbackComplete.class(),
            StatusClass::Rollback
        );
        assert_eq!(
            ResourceStatus::from("NEW_FAILED").class(),
            StatusClass::Failed
        );
        assert_eq!(ResourceStatus::DeleteSkipped.class(), StatusClass::Other);
    }

    #[test]
    fn a_stack_failed_is_read_from_the_spelling() {
        assert!(StackStatus::UpdateRollbackFailed.is_failed());
        assert!(StackStatus::from("NEW_FAILED").is_failed());
        assert!(!StackStatus::UpdateRollbackComplete.is_failed());
        assert!(!StackStatus::from("FAILED_LATER").is_failed());
    }
}
