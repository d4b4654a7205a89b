//! The change set judged on its own: each change by its own `ResourceType`, `Action`,
//! `Replacement` and `Details`, so a gap in what nephos read of the templates can never
//! skip the check.

use serde_json::Value;

use super::nested::changed_inside;
use super::policy::{holding, keeps_data, policy, resource};
use super::{DataLoss, Evidence, Hazard};
use crate::cfn::model::ResourceChange;
use crate::cfn::status::{ChangeAction, PolicyAction, Replacement as CfnReplacement};
use nephos::facts::DataHolding;

/// `--allow-data-loss` is a deliberate choice.
pub(super) fn change_set_risk(old: &Value, c: &ResourceChange) -> Option<DataLoss> {
    let old_r = resource(old, &c.logical_id);
    // A type nephos cannot show holds no data is judged as one that does (fail closed).
    let held = holding(old_r, None, &c.resource_type);
    if !held.may_hold_data() {
        return None;
    }
    let mut unknown = None;
    let (hazard, attribute) = match &c.action {
        // A new resource holds no data yet.
        ChangeAction::Add => return None,
        ChangeAction::Remove => (Hazard::Removed, "DeletionPolicy"),
        // A `ReplaceAnd*` policy action replaces the resource whatever `Replacement` says;
        // one nephos does not know may (fail closed).
        ChangeAction::Modify if c.policy_action.as_ref().is_some_and(PolicyAction::replaces) => {
            (Hazard::Replaced, "UpdateReplacePolicy")
        }
        ChangeAction::Modify if matches!(c.policy_action, Some(PolicyAction::Unknown(_))) => {
            (Hazard::MayBeReplaced, "UpdateReplacePolicy")
        }
        ChangeAction::Modify => match &c.replacement {
            // `False` holds only when no detail says otherwise: a detail whose
            // RequiresRecreation is not `Never` contradicts it and counts as a possible
            // replacement (named by `recreation_causes`). In place is safe only for a type
            // whose contents nephos judges.
            Some(CfnReplacement::False) if !details_may_recreate(c) => {
                return changed_inside(&c.logical_id, &c.resource_type, Some(c), held);
            }
            Some(CfnReplacement::False) => {
                unknown = Some(
                    "CloudFormation says Replacement False, but a detail of the change says the property may require recreation"
                        .to_owned(),
                );
                (Hazard::MayBeReplaced, "UpdateReplacePolicy")
            }
            Some(CfnReplacement::True) => (Hazard::Replaced, "UpdateReplacePolicy"),
            Some(CfnReplacement::Conditional) => (Hazard::MayBeReplaced, "UpdateReplacePolicy"),
            // Named by `recreation_causes`.
            Some(CfnReplacement::Unknown(_)) => (Hazard::MayBeReplaced, "UpdateReplacePolicy"),
            // The change set's own fields judge too: the template comparison's in-place
            // prediction does not stand in for a Replacement CloudFormation did not give.
            None => {
                unknown = Some(
                    "a modification for which CloudFormation did not say whether it replaces the resource"
                        .to_owned(),
                );
                (Hazard::MayBeReplaced, "UpdateReplacePolicy")
            }
        },
        action @ (ChangeAction::Dynamic | ChangeAction::Import | ChangeAction::SyncWithActual) => {
            unknown = Some(format!(
                "a change action `{action}` whose effect on the resource nephos cannot judge before it runs"
            ));
            (Hazard::MayBeReplaced, "UpdateReplacePolicy")
        }
        ChangeAction::Unknown(a) => {
            unknown = Some(format!("a change action `{a}` that nephos does not know"));
            (Hazard::MayBeRemoved, "DeletionPolicy")
        }
    };
    let policy = policy(old_r, attribute);
    // A removal whose policy action nephos does not know is not taken as kept.
    let policy_known = !matches!(c.policy_action, Some(PolicyAction::Unknown(_)));
    if hazard == Hazard::Removed && policy_known && keeps_data(policy.as_deref(), &c.resource_type)
    {
        return None;
    }
    let mut causes = recreation_causes(c);
    causes.extend(unknown);
    Some(DataLoss {
        logical_id: c.logical_id.clone(),
        resource_type: c.resource_type.clone(),
        hazard,
        cause: (!causes.is_empty()).then(|| causes.join(", ")),
        policy,
        evidence: Evidence::ChangeSet,
        policy_is_default: false,
        data_unknown: held == DataHolding::Unknown,
    })
}

/// Whether a detail of the change may recreate the resource: its `RequiresRecreation` is
/// anything but `Never`, or is missing on a property (CloudFormation gives it for every
/// `Properties` target).
fn details_may_recreate(c: &ResourceChange) -> bool {
    c.details
        .iter()
        .any(|d| match d.requires_recreation.as_deref() {
            Some(r) => r != "Never",
            None => d.target.starts_with("Properties"),
        })
}

/// The properties a change set says force recreation, with the entity that caused each
/// change when it names one (a parameter or another resource).
pub(super) fn recreation_causes(c: &ResourceChange) -> Vec<String> {
    let mut causes: Vec<String> = c
        .details
        .iter()
        .filter(|d| {
            matches!(
                d.requires_recreation.as_deref(),
                Some("Always" | "Conditionally")
            )
        })
        .map(|d| {
            let name = d.target.strip_prefix("Properties.").unwrap_or(&d.target);
            match (&d.causing_entity, &d.change_source) {
                (Some(e), Some(s)) => format!("{name} (caused by {s} {e})"),
                (Some(e), None) => format!("{name} (caused by {e})"),
                _ => name.to_owned(),
            }
        })
        .collect();
    // A replacement spelling nephos does not know is read as a possible one; say so.
    if let Some(CfnReplacement::Unknown(r)) = &c.replacement {
        causes.push(format!("a replacement `{r}` that nephos does not know"));
    }
    match &c.policy_action {
        Some(PolicyAction::Unknown(p)) => {
            causes.push(format!("a policy action `{p}` that nephos does not know"));
        }
        Some(p) if p.replaces() => causes.push(format!("the change set's policy action `{p}`")),
        _ => {}
    }
    causes
}
