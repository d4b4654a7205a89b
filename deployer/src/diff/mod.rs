//! The offline template diff: what changes between the deployed template and the new one,
//! per resource and property, with a replacement prediction and an IAM/security delta.
//!
//! Computing ([`compute`], [`security`]) is apart from showing ([`render`]), and both are
//! pure functions of two parsed templates (and the parameter values of both sides), so `nephos diff` needs no network beyond
//! `GetTemplate` and runs in milliseconds.

pub mod bounds;
pub mod compute;
pub mod conditions;
pub mod data_loss;
pub mod equality;
pub mod evaluate;
pub mod facts;
pub mod managed;
pub mod model;
pub mod parameters;
pub mod reconcile;
pub mod rename;
pub mod render;
pub mod security;
mod security_computed;
mod security_grants;
mod security_identity;
pub mod unjudged;
pub mod value;

pub use compute::{diff_stack, diff_templates};
pub use model::{
    Action, ChangeKind, Identity, IdentityChange, PropertyChange, Replacement, ResourceDiff,
    SectionChange, TemplateDiff,
};

/// The review of deploying `new` over the deployed `old`, all passes in one place: the
/// offline diff ([`diff_stack`]: resources property by property, parameters resolved,
/// sections, conditions, security delta, renames, data-loss risks); when a change set was
/// computed, reconciliation with its `changes` and the data-loss risks judged again on what
/// it says; and, when `policies` is given, what each attached managed policy grants, read
/// from IAM ([`managed::expand`]). Used by every review `nephos deploy` and `nephos diff`
/// show (with the change set, offline, `--method direct`, refused from the template).
///
/// Only the last pass makes calls, and only reads; a policy it cannot read is marked
/// unknown with the reason, never left out.
pub async fn review(
    old: &serde_json::Value,
    new: &serde_json::Value,
    values: &parameters::ParameterValues,
    facts: &dyn facts::ReplacementFacts,
    changes: Option<Vec<crate::cfn::model::ResourceChange>>,
    policies: Option<managed::PolicyReader<'_>>,
) -> TemplateDiff {
    let mut diff = diff_stack(old, new, values, facts);
    if let Some(changes) = changes {
        reconcile_and_assess(&mut diff, changes, old, new);
    }
    if let Some(reader) = policies {
        reader.expand(&mut diff).await;
    }
    diff
}

/// Reconciles `diff` with a change set's `changes` and reassesses its data-loss risks,
/// which depend on what the change set says about replacement.
pub fn reconcile_and_assess(
    diff: &mut TemplateDiff,
    changes: Vec<crate::cfn::model::ResourceChange>,
    old: &serde_json::Value,
    new: &serde_json::Value,
) {
    reconcile::reconcile(diff, changes);
    data_loss::judge(old, new, diff);
}
