//! Stack statuses, typed, and what each one allows.

use std::fmt;

use serde::{Serialize, Serializer};

/// A CloudFormation stack status. Unknown strings are kept, so a status added by AWS later
/// is shown as-is instead of failing the parse.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StackStatus(pub String);

impl StackStatus {
    /// The status as CloudFormation spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether an operation is still running (and the stack cannot be changed yet).
    /// `REVIEW_IN_PROGRESS` is excluded: nothing runs, the stack only holds a change set.
    pub fn is_in_progress(&self) -> bool {
        self.0.ends_with("_IN_PROGRESS") && self.0 != "REVIEW_IN_PROGRESS"
    }

    /// Whether the last operation ended as its user wanted it.
    pub fn is_success(&self) -> bool {
        matches!(
            self.0.as_str(),
            "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "DELETE_COMPLETE" | "IMPORT_COMPLETE"
        )
    }

    /// Whether the stack can take an update change set as it is.
    pub fn is_updatable(&self) -> bool {
        matches!(
            self.0.as_str(),
            "CREATE_COMPLETE"
                | "UPDATE_COMPLETE"
                | "UPDATE_ROLLBACK_COMPLETE"
                | "IMPORT_COMPLETE"
                | "IMPORT_ROLLBACK_COMPLETE"
        )
    }
}

impl From<&str> for StackStatus {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl fmt::Display for StackStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for StackStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
