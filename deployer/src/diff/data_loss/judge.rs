//! One verdict per resource: the data-loss risks and the resources' actions (which the
//! summary line counts and the rendered lines name) are made to agree, so the review never
//! says "update in place" next to a risk that says "replaced" or "removed".

use serde_json::Value;

use super::Hazard;
use super::assess::assess;
use crate::diff::model::{Action, ChangeKind, Replacement, ResourceDiff, TemplateDiff};

/// Sets `diff`'s data-loss risks ([`assess`]) and makes its resource changes agree with
/// them, whichever judgement (the template's facts, the change set's `Action` or
/// `Replacement`, a detail of the change set) found the risk:
/// - a replacement is counted and shown as replaced (or possibly replaced);
/// - a removal (the change set's `Remove`, a rename) as removed, a possible removal as
///   possibly removed;
/// - a nested stack updated in place stays an update in place, as its risk says.
///
/// Every risk has its resource in the review (one is added if the comparison had none), so
/// the summary, the risk lines and the exit code (non-zero when anything differs) read the
/// same verdict. [`agrees`] states the invariant.
pub fn judge(old: &Value, new: &Value, diff: &mut TemplateDiff) {
    diff.data_loss = assess(old, new, diff);
    let mut added = false;
    for risk in &diff.data_loss {
        let at = match diff
            .resources
            .iter()
            .position(|r| r.logical_id == risk.logical_id)
        {
            Some(at) => at,
            None => {
                added = true;
                diff.resources.push(ResourceDiff {
                    logical_id: risk.logical_id.clone(),
                    resource_type: risk.resource_type.clone(),
                    kind: ChangeKind::Modified,
                    action: Action::Modify,
                    replacement: Replacement::Never,
                    properties: Vec::new(),
                    condition_unknown: false,
                    unknown_action: None,
                });
                diff.resources.len() - 1
            }
        };
        let r = &mut diff.resources[at];
        // An action nephos does not know stays shown and counted as such (the risk line
        // names it): calling it a removal or a replacement would be a guess.
        if r.action == Action::Unknown {
            continue;
        }
        match risk.hazard {
            Hazard::Replaced | Hazard::MayBeReplaced if r.kind == ChangeKind::Modified => {
                let (action, replacement) = if risk.hazard == Hazard::Replaced {
                    (Action::Replace, Replacement::Always)
                } else {
                    (Action::MayReplace, Replacement::Conditional)
                };
                if matches!(r.action, Action::Modify | Action::OrderingOnly)
                    || (r.action == Action::MayReplace && action == Action::Replace)
                {
                    r.action = action;
                    if r.replacement < replacement {
                        r.replacement = replacement;
                    }
                }
            }
            Hazard::Removed | Hazard::Renamed => r.action = Action::Remove,
            Hazard::MayBeRemoved if r.action != Action::Remove => r.action = Action::MayRemove,
            _ => {}
        }
    }
    if added {
        diff.resources
            .sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
    }
}

/// Whether every data-loss risk of `diff` agrees with its resource's action: the verdict
/// the summary counts is the one the risk line states. `None`: they agree; otherwise the
/// first resource whose action contradicts its risk.
pub fn agrees(diff: &TemplateDiff) -> Option<String> {
    diff.data_loss.iter().find_map(|risk| {
        let action = diff
            .resources
            .iter()
            .find(|r| r.logical_id == risk.logical_id)
            .map(|r| r.action);
        let fits = match (risk.hazard, action) {
            (_, None) => false,
            (_, Some(Action::Unknown)) => true,
            (Hazard::Replaced, Some(a)) => matches!(a, Action::Replace | Action::Remove),
            (Hazard::MayBeReplaced, Some(a)) => {
                matches!(a, Action::Replace | Action::MayReplace | Action::Remove)
            }
            (Hazard::Removed | Hazard::Renamed, Some(a)) => a == Action::Remove,
            (Hazard::MayBeRemoved, Some(a)) => matches!(a, Action::MayRemove | Action::Remove),
            (Hazard::ChangedInside, Some(a)) => a != Action::Add,
        };
        (!fits).then(|| format!("{}: {:?} shown as {action:?}", risk.logical_id, risk.hazard))
    })
}
