//! The verdict per resource: whether the change replaces or removes a stateful resource,
//! from the template comparison and the change set, with its cause and policy.

use serde_json::Value;

use super::change_set::{change_set_risk, recreation_causes};
use super::nested::changed_inside;
use super::policy::{deletion_policy, holding, keeps_data, replace_policy, resource};
use super::{DataLoss, Evidence, Hazard};
use crate::cfn::model::ResourceChange;
use crate::cfn::status::{ChangeAction, Replacement as CfnReplacement};
use crate::diff::model::{Action, ChangeKind, Replacement, TemplateDiff};
use nephos::facts::DataHolding;

/// The data-loss risks of `diff` (between the deployed `old` and the `new` template),
/// using its change set when it was reconciled with one.
///
/// The verdict per resource is its action in `diff` (the template comparison, with the
/// parameter values resolved and conditions evaluated where they are known, reconciled
/// with the change set): a risk is read from it, never judged a second time by another
/// rule that could disagree with what the review shows. A `Condition` newly placed on a
/// stateful resource, or changed, is a removal when it is known false, a possible removal
/// when it is not known ([`Action::MayRemove`]), and nothing when it is known true (the
/// resource stays); the change set then decides. Then the change set judged on its own.
pub fn assess(old: &Value, new: &Value, diff: &TemplateDiff) -> Vec<DataLoss> {
    let changes: &[ResourceChange] = diff.change_set.as_deref().unwrap_or(&[]);
    let mut out = Vec::new();
    for r in &diff.resources {
        let old_r = resource(old, &r.logical_id);
        let new_r = resource(new, &r.logical_id);
        // A type nephos cannot show holds no data is judged as one that does (fail closed).
        let held = holding(old_r, new_r, &r.resource_type);
        let stateful = held.may_hold_data();
        let data_unknown = held == DataHolding::Unknown;
        // Only a resource that exists can lose data; an added one has none yet. A type
        // change is refused by CloudFormation as a whole: nothing is replaced. A change
        // action nephos does not know is judged from the change set alone (below), which
        // names it.
        if !stateful || old_r.is_none() || matches!(r.action, Action::TypeChange | Action::Unknown)
        {
            continue;
        }
        let change = changes.iter().find(|c| c.logical_id == r.logical_id);
        let removed_by_cs = change.is_some_and(|c| c.action == ChangeAction::Remove);
        let (deletion, policy_is_default) = deletion_policy(old_r, new_r, &r.resource_type);
        if r.action == Action::MayRemove && !removed_by_cs {
            if keeps_data(deletion.as_deref(), &r.resource_type) {
                continue;
            }
            out.push(DataLoss {
                logical_id: r.logical_id.clone(),
                resource_type: r.resource_type.clone(),
                hazard: Hazard::MayBeRemoved,
                cause: Some("its Condition is not known offline and may have changed".into()),
                policy: deletion,
                evidence: Evidence::Template,
                policy_is_default,
                data_unknown,
            });
            continue;
        }
        if r.kind == ChangeKind::Removed || removed_by_cs {
            let rename = diff.renames.iter().find(|n| n.from == r.logical_id);
            if rename.is_none() && keeps_data(deletion.as_deref(), &r.resource_type) {
                continue;
            }
            out.push(DataLoss {
                logical_id: r.logical_id.clone(),
                resource_type: r.resource_type.clone(),
                hazard: if rename.is_some() {
                    Hazard::Renamed
                } else {
                    Hazard::Removed
                },
                cause: rename.map(|n| n.to.clone()),
                policy: deletion,
                policy_is_default,
                data_unknown,
                evidence: if removed_by_cs {
                    Evidence::ChangeSet
                } else {
                    Evidence::Template
                },
            });
            continue;
        }
        let hazard = match r.replacement {
            Replacement::Always => Hazard::Replaced,
            // No replacement facts for the type: it may replace.
            Replacement::Conditional | Replacement::Unknown => Hazard::MayBeReplaced,
            Replacement::Never if r.action != Action::OrderingOnly => {
                if let Some(risk) = changed_inside(&r.logical_id, &r.resource_type, change, held) {
                    out.push(risk);
                }
                continue;
            }
            Replacement::Never => continue,
        };
        // The change set is the evidence only when it says as much: a `False` that the
        // prediction overrode (see `reconcile::worse`) is not.
        // A `ReplaceAnd*` (or unknown) policy action says so too, whatever `Replacement`.
        let said = change.filter(|c| {
            c.policy_action
                .as_ref()
                .is_some_and(|p| p.replaces() || p.is_unknown())
                || match &c.replacement {
                    Some(CfnReplacement::False) => hazard != Hazard::Replaced,
                    other => other.is_some(),
                }
        });
        let overridden =
            change.is_some_and(|c| c.replacement == Some(CfnReplacement::False) && said.is_none());
        let from_cs = said.map(recreation_causes).filter(|c| !c.is_empty());
        let predicted: Vec<String> = r
            .properties
            .iter()
            .filter(|p| {
                matches!(
                    p.replacement,
                    Replacement::Always | Replacement::Conditional
                )
            })
            .map(|p| match &p.cause {
                Some(c) => format!("{} ({c})", p.path),
                None => p.path.clone(),
            })
            .collect();
        let mut cause = from_cs.or_else(|| (!predicted.is_empty()).then_some(predicted));
        if overridden && let Some(c) = cause.as_mut() {
            c.push("although the change set says Replacement False".into());
        }
        if cause.is_none() && said.is_none() && r.replacement == Replacement::Unknown {
            let paths: Vec<&str> = r.properties.iter().map(|p| p.path.as_str()).collect();
            cause = Some(vec![format!(
                "a change to a type with no replacement facts ({})",
                paths.join(", ")
            )]);
        }
        out.push(DataLoss {
            logical_id: r.logical_id.clone(),
            resource_type: r.resource_type.clone(),
            hazard,
            cause: cause.map(|c| c.join(", ")),
            policy: replace_policy(old_r, new_r, &r.resource_type),
            policy_is_default: false,
            data_unknown,
            evidence: if said.is_some() {
                Evidence::ChangeSet
            } else {
                Evidence::Template
            },
        });
    }
    for c in changes {
        if !out.iter().any(|d| d.logical_id == c.logical_id)
            && let Some(risk) = change_set_risk(old, c)
        {
            out.push(risk);
        }
    }
    out
}
