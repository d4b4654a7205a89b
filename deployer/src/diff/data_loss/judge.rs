//! Making the review agree with the risks: the resources' actions (which the summary line
//! counts) are set from the data-loss verdict.

use serde_json::Value;

use super::assess::assess;
use super::Hazard;
use crate::diff::model::{Action, ChangeKind, Replacement, TemplateDiff};

/// Sets `diff`'s data-loss risks ([`assess`]) and makes its resource changes agree with
/// them: a resource at risk of replacement is counted and shown as replaced (or possibly
/// replaced), never "updated in place", whichever judgement (the template's facts, the
/// change set's `Replacement`, a detail of the change set) found the risk. The summary line
/// is counted from the resources, so it can never say "0 may be replaced" next to a risk
/// that says "may be replaced".
pub fn judge(old: &Value, new: &Value, diff: &mut TemplateDiff) {
    diff.data_loss = assess(old, new, diff);
    for risk in &diff.data_loss {
        let (action, replacement) = match risk.hazard {
            Hazard::Replaced => (Action::Replace, Replacement::Always),
            Hazard::MayBeReplaced => (Action::MayReplace, Replacement::Conditional),
            _ => continue,
        };
        let Some(r) = diff
            .resources
            .iter_mut()
            .find(|r| r.logical_id == risk.logical_id && r.kind == ChangeKind::Modified)
        else {
            continue;
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
}
