//! The data-loss check: which changes would replace or remove a stateful resource.
//!
//! The rules (issue 6): removing a stateful resource is a risk unless its `DeletionPolicy`
//! keeps the data (`Retain`, `RetainExceptOnCreate`, `Snapshot`); replacing one is always a
//! risk, whatever its `UpdateReplacePolicy`, because even a retained old resource leaves the
//! stack using a new, empty one. A probable rename of a stateful resource is a replacement.
//!
//! A change that can delete a resource without removing it from the template is judged by
//! the resource's verdict in the review: a `Condition` newly placed on it, or changed, that
//! is known false removes it, one not known offline may remove it (CloudFormation then
//! deletes the resource), and one known true keeps it; the change set then decides.
//!
//! The change set is judged on its own as well: a `Remove` or a replacement (`True`,
//! `Conditional`) of a resource whose change-set `ResourceType` is stateful is a risk even
//! when the deployed template lacks the resource or could not be read, so a gap in what
//! nephos read can never skip the check.
//!
//! Evidence comes from the change set when it says something (its `Replacement` and
//! `Details`), else from the offline prediction (the type's `createOnlyProperties`), which
//! is all an emulator such as moto gives; each risk says which it is.
//!
//! One concept per file: `policy` (what keeps data), `assess` (the risks read from the
//! verdict per resource), `change_set` (the change set judged on its own), `nested`
//! (updates nephos cannot see into), `describe` (the wording) and `judge` (the review and
//! the risks made to agree).

mod assess;
mod change_set;
mod describe;
mod judge;
mod nested;
mod policy;

pub use super::model::{DataLoss, Evidence, Hazard};
pub use assess::assess;
pub use judge::{agrees, judge};
pub use nested::APPLIES_TEMPLATE;
pub use policy::{default_deletion_policy, holding, keeps_data};

#[cfg(test)]
mod tests;
