//! The diff's data model, serialised as-is for `--output json`.

use serde::Serialize;
use serde_json::Value;

use super::parameters::ParameterChange;
use crate::cfn::model::ResourceChange;
use crate::cfn::status::StackStatus;

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

/// What CloudFormation will do to one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// Create it.
    Add,
    /// Update it in place.
    Modify,
    /// Replace it: create a new one, delete the old one.
    Replace,
    /// Maybe replace it, depending on values known only at deploy time (or its type has no
    /// replacement facts).
    MayReplace,
    /// Delete it.
    Remove,
    /// Maybe delete it: its `Condition` is not known offline and may have changed.
    MayRemove,
    /// Only its `DependsOn` or `Metadata` changes: no resource update.
    OrderingOnly,
    /// Its `Type` changes under the same logical ID, which CloudFormation refuses ("Update
    /// of resource type is not permitted": the change set fails, nothing is replaced).
    TypeChange,
    /// The change set names a change action nephos does not know
    /// ([`ResourceDiff::unknown_action`]): what it does cannot be told, so it is counted
    /// apart and deploy refuses it.
    Unknown,
}

/// Whether an update replaces the resource (a new physical resource, the old one deleted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Replacement {
    /// The change is made in place.
    Never,
    /// The schema of the type is unknown, so nothing can be said.
    Unknown,
    /// It may replace: the facts say "maybe", it depends on a value only known at deploy
    /// time, or a replacing path lies inside the changed value.
    Conditional,
    /// The change replaces the resource.
    Always,
}

/// The difference between two templates.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateDiff {
    /// The stack's state and what deploy will do about it, when it is not a plain create
    /// or update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<StackState>,
    /// Resource changes, sorted by logical id.
    pub resources: Vec<ResourceDiff>,
    /// Parameters whose value changes, sorted by name.
    pub parameters: Vec<ParameterChange>,
    /// Changes in the other sections (Parameters, Outputs, Conditions, ...).
    pub sections: Vec<SectionChange>,
    /// IAM and resource-policy changes, each broadening or narrowing.
    pub security: Vec<SecurityChange>,
    /// Resources of the new template whose `Condition` is known to be false: not created.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_created: Vec<NotCreated>,
    /// The template's `Transform` (such as `AWS::Serverless-2016-10-31`): CloudFormation
    /// expands it at deploy time, so the offline review does not see the real resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transform: Option<String>,
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
    /// Whether nothing differs. A data-loss risk is always a difference (every risk also
    /// has its resource in [`TemplateDiff::resources`], see [`super::data_loss::judge`]).
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.data_loss.is_empty()
            && self.state.as_ref().is_none_or(|s| !s.acts)
            && self.parameters.is_empty()
            && self.sections.is_empty()
            && self.security.is_empty()
            && self.change_set.as_ref().is_none_or(Vec::is_empty)
    }

    /// What the summary line counts: resources by action, parameters and outputs apart.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            parameters: self.parameters.len(),
            outputs: self
                .sections
                .iter()
                .filter(|s| s.section == "Outputs")
                .count(),
            ..Counts::default()
        };
        for r in &self.resources {
            match r.action {
                Action::Add => c.added += 1,
                Action::Modify => c.updated += 1,
                Action::Replace => c.replaced += 1,
                Action::MayReplace => c.may_be_replaced += 1,
                Action::Remove => c.removed += 1,
                Action::MayRemove => c.may_be_removed += 1,
                Action::OrderingOnly => c.ordering_only += 1,
                Action::TypeChange => c.type_changed += 1,
                Action::Unknown => c.unknown_action += 1,
            }
        }
        c
    }
}

/// A stack state that decides what deploy does before (or instead of) an update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackState {
    /// The stack's status, such as `ROLLBACK_COMPLETE`.
    pub status: StackStatus,
    /// What `nephos deploy` will do: `deleteAndRecreate`, `continueRollback`, `wait` or
    /// `refuse`.
    pub action: String,
    /// The same in words, with the next step when deploy refuses.
    pub note: String,
    /// Whether deploy would act on the stack because of its state alone (everything but
    /// waiting for an operation in progress), which makes the diff a change (exit 2).
    pub acts: bool,
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Resources added.
    pub added: usize,
    /// Resources updated in place.
    pub updated: usize,
    /// Resources replaced.
    pub replaced: usize,
    /// Resources that may be replaced.
    pub may_be_replaced: usize,
    /// Resources removed.
    pub removed: usize,
    /// Resources that may be removed (a condition unknown offline that may have changed).
    pub may_be_removed: usize,
    /// Resources whose `DependsOn` or `Metadata` alone changes (no resource update).
    pub ordering_only: usize,
    /// Resources whose `Type` changes under the same logical ID (CloudFormation refuses).
    #[serde(skip_serializing_if = "is_zero")]
    pub type_changed: usize,
    /// Resources whose change action from the change set nephos does not know.
    #[serde(skip_serializing_if = "is_zero")]
    pub unknown_action: usize,
    /// Parameters whose value changes.
    pub parameters: usize,
    /// Outputs added, changed or removed.
    pub outputs: usize,
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
    /// What CloudFormation will do to it.
    pub action: Action,
    /// The predicted replacement (the strongest of its property changes).
    pub replacement: Replacement,
    /// Property and attribute changes, for modified resources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<PropertyChange>,
    /// Its `Condition` is not known offline and may have changed: it may be removed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub condition_unknown: bool,
    /// The change set's `Action` for it, as received, when nephos does not know it (such
    /// as `Frobnicate`): the resource is shown and counted as [`Action::Unknown`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_action: Option<String>,
}

impl ResourceDiff {
    /// Sets [`ResourceDiff::action`] from the kind, the replacement and the changes (after
    /// computing, and again after a change set revised the replacement).
    pub fn settle(&mut self) {
        self.action = match self.kind {
            // Whatever the templates say: nephos cannot tell what the change set does.
            _ if self.unknown_action.is_some() => Action::Unknown,
            ChangeKind::Added => Action::Add,
            ChangeKind::Removed => Action::Remove,
            ChangeKind::Modified if self.condition_unknown => Action::MayRemove,
            // Whatever else changes: CloudFormation refuses the whole update.
            ChangeKind::Modified if self.properties.iter().any(|p| p.path == TYPE_PATH) => {
                Action::TypeChange
            }
            ChangeKind::Modified
                if !self.properties.is_empty()
                    && self
                        .properties
                        .iter()
                        .all(|p| p.path == "[DependsOn]" || p.path == "[Metadata]")
                    && self.replacement != Replacement::Always =>
            {
                Action::OrderingOnly
            }
            ChangeKind::Modified => match self.replacement {
                Replacement::Always => Action::Replace,
                // No replacement facts for the type: it may replace, never "in place".
                Replacement::Conditional | Replacement::Unknown => Action::MayReplace,
                Replacement::Never => Action::Modify,
            },
        };
    }
}

/// The path of a resource's `Type` change in [`ResourceDiff::properties`].
pub const TYPE_PATH: &str = "[Type]";

fn is_zero(n: &usize) -> bool {
    *n == 0
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
    /// Why the value changes when the template text does not say so (the new value of a
    /// replaced resource it reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// A resource of the new template that is not created: its condition is false.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotCreated {
    /// Logical id.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// The condition known to be false.
    pub condition: String,
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

/// What would happen to a stateful resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Hazard {
    /// An update replaces it.
    Replaced,
    /// An update may replace it (CloudFormation's `Conditional`).
    MayBeReplaced,
    /// It is removed from the stack.
    Removed,
    /// It may be removed: a `Condition` newly placed on it (or changed) may be false, or its
    /// condition is not known offline and may have changed; CloudFormation then deletes it.
    MayBeRemoved,
    /// Its logical ID is probably renamed: removed, and an identical one added.
    Renamed,
    /// It is updated in place, but the update applies another template whose own changes
    /// nephos does not see (a nested stack): it may replace or remove stateful resources
    /// inside it, and nephos's stack policy does not reach them.
    ChangedInside,
}

/// Where the knowledge of a risk comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Evidence {
    /// CloudFormation's change set said so.
    ChangeSet,
    /// Predicted from the templates (schema facts), the change set saying nothing.
    Template,
}

/// One change that would lose a stateful resource's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataLoss {
    /// The logical ID (the deployed one for a rename).
    pub logical_id: String,
    /// Its type.
    pub resource_type: String,
    /// What would happen.
    pub hazard: Hazard,
    /// What forces it: the properties forcing a replacement (with their causing entity
    /// when the change set names one), or the new logical ID of a rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The policy that applies (`UpdateReplacePolicy` for a replacement, `DeletionPolicy`
    /// otherwise), `None` when the template leaves the default (`Delete`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Change set or template.
    pub evidence: Evidence,
    /// `policy` is not in the template: it is AWS's default for the type.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub policy_is_default: bool,
    /// nephos does not know whether the resource holds data (its type is in neither the
    /// stateful list nor the reviewed no-data list, [`nephos::facts::DataHolding::Unknown`]):
    /// it is gated like a stateful one, and worded as unknown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub data_unknown: bool,
}

/// Whether a change gives or takes away access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// More access than before.
    Broadening,
    /// Less access than before.
    Narrowing,
    /// Neither more nor less: a resource now acts as another identity the template shows to
    /// be allowed exactly what the old one was ([`IdentityChange`]). Still shown.
    Same,
}

/// A group of grants that appeared or disappeared together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityChange {
    /// Broadening, narrowing, or (for a change of identity only) the same.
    pub direction: Direction,
    /// Added or removed for a grant (a changed grant is one of each); for a change of
    /// identity, added (a new resource acting as someone) or modified.
    pub kind: ChangeKind,
    /// The logical id of the resource carrying the policy.
    pub owner: String,
    /// What kind of policy: `identity`, `trust`, `resource`, `lambda-permission`, `managed`.
    pub policy: String,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// Who (empty for identity policies, whose principal is the role they attach to).
    pub principal: String,
    /// The actions.
    pub actions: Vec<String>,
    /// The resource the grants apply to.
    pub resource: String,
    /// The statement's condition, compact JSON, if any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
    /// For a managed policy attached or detached: what it grants, read from IAM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expansion: Option<super::managed::Expansion>,
    /// For a change of who a resource acts as (`policy` is `acts-as`): the property, the
    /// old and new identity with what each is allowed, and why the direction is what it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityChange>,
}

/// A property naming an IAM identity (a role a resource assumes, an instance profile, the
/// roles a policy attaches to; `nephos::facts::identity_properties`) whose value changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityChange {
    /// The property's path below `Properties`, list indices and map keys included
    /// (`Targets/0/RoleArn`).
    pub property: String,
    /// The identity before (`None`: the property was not set, or the resource is new).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Identity>,
    /// The identity after (`None`: the property is cleared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Identity>,
    /// Why the change is broadening, narrowing or the same, in words (`not known offline`
    /// when the template cannot show what an identity may do).
    pub verdict: String,
}

/// One side of an [`IdentityChange`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// The value as written (`${Admin.Arn}`, an ARN), parameters resolved.
    pub value: String,
    /// The logical ID of the role it refers to, when it is a role of that side's template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical_id: Option<String>,
    /// What that role is allowed, one grant a line (`Allow s3:GetObject on *`, `managed
    /// policy arn:...`); `None` when not known offline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}

/// A probable rename of a logical ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rename {
    /// The deployed logical ID (removed).
    pub from: String,
    /// The new logical ID (added).
    pub to: String,
    /// The resource type both have.
    pub resource_type: String,
    /// Whether the resource may hold data: it does, or nephos cannot show it does not
    /// ([`nephos::facts::DataHolding::may_hold_data`]).
    pub stateful: bool,
}

/// What a managed policy grants, or why that is unknown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum Expansion {
    /// Its statements, one line each (`Allow s3:GetObject on arn:...`).
    Known {
        /// The statements.
        statements: Vec<String>,
    },
    /// It could not be read.
    Unknown {
        /// Why.
        reason: String,
    },
}
