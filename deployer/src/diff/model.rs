//! The diff's data model, serialised as-is for `--output json`.

use serde::Serialize;
use serde_json::Value;

use super::data_loss::DataLoss;
use super::rename::Rename;
use super::security::SecurityChange;
use crate::cfn::model::ResourceChange;

/// Whether an entry appears, disappears or changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the new template.
    Added,
    /// Only in the deployed template.
    Removed,
    /// In both, with different content.
    Modified,
}

/// Whether an update replaces the resource (a new physical resource, the old one deleted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Replacement {
    /// The change is made in place.
    Never,
    /// The schema of the type is unknown, so nothing can be said.
    Unknown,
    /// It depends on a value only known at deploy time (or on a nested create-only path).
    Conditional,
    /// The change replaces the resource.
    Always,
}

/// The difference between two templates.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateDiff {
    /// Resource changes, sorted by logical id.
    pub resources: Vec<ResourceDiff>,
    /// Changes in the other sections (Parameters, Outputs, Conditions, ...).
    pub sections: Vec<SectionChange>,
    /// IAM and resource-policy changes, each broadening or narrowing.
    pub security: Vec<SecurityChange>,
    /// Probable renames of logical IDs (a remove plus an identical add).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub renames: Vec<Rename>,
    /// Changes that would replace or remove a stateful resource, losing its data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_loss: Vec<DataLoss>,
    /// The change set CloudFormation computed, when the diff was reconciled with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_set: Option<Vec<ResourceChange>>,
}

impl TemplateDiff {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.sections.is_empty()
            && self.security.is_empty()
            && self.change_set.as_ref().is_none_or(Vec::is_empty)
    }

    /// Counts of added, modified (and of those, replaced) and removed resources.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.resources {
            match r.kind {
                ChangeKind::Added => c.added += 1,
                ChangeKind::Removed => c.removed += 1,
                ChangeKind::Modified => {
                    c.modified += 1;
                    if r.replacement == Replacement::Always {
                        c.replaced += 1;
                    }
                }
            }
        }
        c
    }
}

/// Resource counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Resources added.
    pub added: usize,
    /// Resources modified.
    pub modified: usize,
    /// Modified resources that will be replaced.
    pub replaced: usize,
    /// Resources removed.
    pub removed: usize,
}

/// One resource's change.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceDiff {
    /// Logical id.
    pub logical_id: String,
    /// Resource type (the new one when it changed).
    pub resource_type: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// The predicted replacement (the strongest of its property changes).
    pub replacement: Replacement,
    /// Property and attribute changes, for modified resources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<PropertyChange>,
}

/// One changed property (or resource attribute such as `DeletionPolicy`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyChange {
    /// Slash-separated path below `Properties`, or `[Attribute]` for a resource attribute.
    pub path: String,
    /// The deployed value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// Whether this change alone replaces the resource.
    pub replacement: Replacement,
}

/// A change in a template section other than Resources.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionChange {
    /// `Parameters`, `Outputs`, `Conditions`, `Mappings`, `Description`, ...
    pub section: String,
    /// The entry's key (empty for scalar sections such as `Description`).
    pub key: String,
    /// Added, removed or modified.
    pub kind: ChangeKind,
    /// The deployed value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}
