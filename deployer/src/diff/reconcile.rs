//! Reconciling the offline diff with the change set CloudFormation computed.
//!
//! The change set is authoritative on replacement (it knows resolved values), and it can
//! name resources the template diff cannot see changing (a modified parameter or a
//! re-resolved reference); the offline diff keeps the per-property old and new values that
//! a change set never shows.

use super::model::{Action, ChangeKind, Replacement, ResourceDiff, TemplateDiff};
use crate::cfn::model::ResourceChange;
use crate::cfn::status::{ChangeAction, PolicyAction, Replacement as CfnReplacement};

/// Merges `changes` into `diff`, in place.
pub fn reconcile(diff: &mut TemplateDiff, changes: Vec<ResourceChange>) {
    for c in &changes {
        let replacement = said_replacement(c);
        let unknown_action = match &c.action {
            ChangeAction::Unknown(a) => Some(a.clone()),
            _ => None,
        };
        match diff
            .resources
            .iter_mut()
            .find(|r| r.logical_id == c.logical_id)
        {
            Some(r) => {
                // The change set decides removal too (a condition false at deploy time):
                // the review never calls a removed resource updated in place.
                let removed = c.action == ChangeAction::Remove && r.kind != ChangeKind::Removed;
                if removed {
                    r.kind = ChangeKind::Removed;
                }
                if let Some(rep) = replacement {
                    r.replacement = worse(r.replacement, rep);
                }
                let unknown = unknown_action.is_some();
                if unknown {
                    r.unknown_action = unknown_action;
                }
                if removed || replacement.is_some() || unknown {
                    r.settle();
                }
            }
            None => {
                let mut r = ResourceDiff {
                    logical_id: c.logical_id.clone(),
                    resource_type: c.resource_type.clone(),
                    kind: match c.action {
                        ChangeAction::Add | ChangeAction::Import => ChangeKind::Added,
                        ChangeAction::Remove => ChangeKind::Removed,
                        _ => ChangeKind::Modified,
                    },
                    action: Action::Modify,
                    replacement: replacement.unwrap_or(Replacement::Never),
                    properties: Vec::new(),
                    condition_unknown: false,
                    unknown_action,
                };
                r.settle();
                diff.resources.push(r);
            }
        }
    }
    // A condition unknown offline is known to the change set: the resource is removed when
    // it says so, else it stays (and is gone from the review when nothing else changes).
    diff.resources.retain_mut(|r| {
        if !r.condition_unknown {
            return true;
        }
        r.condition_unknown = false;
        let change = changes.iter().find(|c| c.logical_id == r.logical_id);
        if change.is_some_and(|c| c.action == ChangeAction::Remove) {
            r.kind = ChangeKind::Removed;
        } else {
            r.properties.retain(|p| p.path != "[Condition]");
            if change.is_none() && r.properties.is_empty() {
                return false;
            }
        }
        r.settle();
        true
    });
    diff.resources
        .sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
    diff.change_set = Some(changes);
}

/// The replacement the change set says for `c`, from its `Replacement` and its
/// `PolicyAction`: a `ReplaceAnd*` policy action is a replacement whatever `Replacement`
/// says beside it. A replacement or a policy action nephos does not know is read as a
/// possible replacement (fail closed; deploy refuses an unknown policy action, see
/// [`crate::diff::unjudged`]).
fn said_replacement(c: &ResourceChange) -> Option<Replacement> {
    let said = match &c.replacement {
        Some(CfnReplacement::True) => Some(Replacement::Always),
        Some(CfnReplacement::Conditional | CfnReplacement::Unknown(_)) => {
            Some(Replacement::Conditional)
        }
        Some(CfnReplacement::False) => Some(Replacement::Never),
        None => None,
    };
    match &c.policy_action {
        Some(p) if p.replaces() => Some(Replacement::Always),
        Some(PolicyAction::Unknown(_)) => Some(said.map_or(Replacement::Conditional, |s| {
            s.max(Replacement::Conditional)
        })),
        _ => said,
    }
}

/// The replacement the review shows, from the offline `predicted` one and the change set's
/// `said`: the change set decides (it knows resolved values), except that its `False` does
/// not hide a replacement the type's facts predict from the templates (a create-only
/// property whose value visibly changes): the worse of the two is kept, so the summary and
/// the data-loss check never show "in place" next to "requires replacement". A prediction
/// that is only conditional (a value unknown offline) or absent (no facts for the type)
/// yields to the change set, which resolved it.
fn worse(predicted: Replacement, said: Replacement) -> Replacement {
    match (predicted, said) {
        (Replacement::Always, _) => Replacement::Always,
        (_, said) => said,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff_templates, facts::TableFacts};
    use serde_json::json;

    fn modify(id: &str, action: &str, replacement: &str, policy: Option<&str>) -> ResourceChange {
        ResourceChange {
            action: action.into(),
            logical_id: id.into(),
            resource_type: "AWS::SNS::Topic".into(),
            replacement: Some(replacement.into()),
            policy_action: policy.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn an_unknown_change_action_is_shown_and_counted_apart_never_in_place() {
        let old = json!({"Resources": {"Q": {"Type": "AWS::SNS::Topic", "Properties": {"A": 1}}}});
        let new = json!({"Resources": {"Q": {"Type": "AWS::SNS::Topic", "Properties": {"A": 2}}}});
        for (id, kept) in [("Q", true), ("New", false)] {
            let mut d = diff_templates(&old, &new, &TableFacts::default());
            assert_eq!(d.resources.iter().any(|r| r.logical_id == id), kept);
            reconcile(&mut d, vec![modify(id, "Frobnicate", "False", None)]);
            let r = d.resources.iter().find(|r| r.logical_id == id).unwrap();
            assert_eq!(r.action, Action::Unknown, "{id} (in template: {kept})");
            assert_eq!(r.unknown_action.as_deref(), Some("Frobnicate"));
            let c = d.counts();
            assert_eq!((c.updated, c.unknown_action), (0, 1), "{c:?}");
        }
    }

    #[test]
    fn a_replace_policy_action_replaces_whatever_replacement_says() {
        let old = json!({"Resources": {"Q": {"Type": "AWS::SNS::Topic", "Properties": {"A": 1}}}});
        let new = json!({"Resources": {"Q": {"Type": "AWS::SNS::Topic", "Properties": {"A": 2}}}});
        for (policy, action) in [
            (Some("ReplaceAndDelete"), Action::Replace),
            (Some("ReplaceAndRetain"), Action::Replace),
            (Some("ReplaceAndSnapshot"), Action::Replace),
            (Some("Zap"), Action::MayReplace),
            (Some("Retain"), Action::Modify),
            (None, Action::Modify),
        ] {
            let mut d = diff_templates(&old, &new, &TableFacts::default());
            reconcile(&mut d, vec![modify("Q", "Modify", "False", policy)]);
            assert_eq!(d.resources[0].action, action, "{policy:?}");
        }
    }

    #[test]
    fn the_change_set_decides_replacement_and_adds_indirect_changes() {
        let old =
            json!({"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {"A": 1}}}});
        let new =
            json!({"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {"A": 2}}}});
        let mut d = diff_templates(&old, &new, &TableFacts::default());
        assert_eq!(d.resources[0].replacement, Replacement::Unknown);
        reconcile(
            &mut d,
            vec![
                ResourceChange {
                    action: "Modify".into(),
                    logical_id: "T".into(),
                    resource_type: "AWS::DynamoDB::Table".into(),
                    replacement: Some("True".into()),
                    ..Default::default()
                },
                ResourceChange {
                    action: "Modify".into(),
                    logical_id: "Fn".into(),
                    resource_type: "AWS::Lambda::Function".into(),
                    replacement: Some("False".into()),
                    ..Default::default()
                },
            ],
        );
        assert_eq!(d.resources[0].logical_id, "Fn");
        assert_eq!(d.resources[1].replacement, Replacement::Always);
        assert_eq!(d.change_set.as_ref().map(Vec::len), Some(2));
    }
}
