//! How the engine tells the world what it is doing, without deciding how it looks.

use serde::Serialize;

use super::outcome::Outcome;
use crate::cfn::model::{ChangeSetType, StackEvent};
use crate::diff::TemplateDiff;

/// A change set ready for review.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    /// The stack.
    pub stack: String,
    /// The change set's name.
    pub change_set: String,
    /// Create or update.
    pub kind: ChangeSetType,
    /// The capabilities granted, computed from the template.
    pub capabilities: Vec<String>,
    /// The diff, reconciled with the change set.
    pub diff: TemplateDiff,
    /// Whether the approval policy requires a yes.
    pub needs_approval: bool,
}

/// Receives everything a deploy or destroy has to say, in order.
pub trait Reporter {
    /// A one-line notice (a decision the user should know about).
    fn notice(&mut self, stack: &str, text: &str);
    /// The change set review, before approval and execution.
    fn review(&mut self, review: &Review);
    /// An operation on the stack started; `total` resources are involved.
    fn started(&mut self, stack: &str, operation: &str, total: usize);
    /// A new stack event.
    fn event(&mut self, stack: &str, event: &StackEvent);
    /// The end of the stack's operation.
    fn outcome(&mut self, outcome: &Outcome);
}
