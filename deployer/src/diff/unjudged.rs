//! Changes of a change set whose effect nephos cannot judge: a change `Action` or a
//! `PolicyAction` it does not know. The review shows them; deploy refuses to execute them
//! (fail closed), naming each one.

use super::model::TemplateDiff;
use crate::cfn::status::{ChangeAction, PolicyAction};
use crate::output::escape::escape_line;

/// Why the change set of `diff` cannot be judged: each change whose action or policy action
/// nephos does not know, named with its logical ID (escaped: both come from the change
/// set); `None` when every change is known (or there is no change set).
///
/// ```
/// use nephos_cli::cfn::model::ResourceChange;
/// use nephos_cli::diff::{TemplateDiff, unjudged::unjudged};
///
/// let diff = TemplateDiff {
///     change_set: Some(vec![ResourceChange {
///         action: "Frobnicate".into(),
///         logical_id: "Queue".into(),
///         ..Default::default()
///     }]),
///     ..Default::default()
/// };
/// assert!(unjudged(&diff).unwrap().contains("change action `Frobnicate` on Queue"));
/// ```
pub fn unjudged(diff: &TemplateDiff) -> Option<String> {
    let mut seen = Vec::new();
    for c in diff.change_set.iter().flatten() {
        let id = escape_line(&c.logical_id);
        if let ChangeAction::Unknown(a) = &c.action {
            seen.push(format!("change action `{}` on {id}", escape_line(a)));
        }
        if let Some(PolicyAction::Unknown(p)) = &c.policy_action {
            seen.push(format!("policy action `{}` on {id}", escape_line(p)));
        }
    }
    (!seen.is_empty()).then(|| {
        format!(
            "the change set has a {} that nephos does not know, so it cannot tell what executing it would do",
            seen.join(", a ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::model::ResourceChange;

    fn with(changes: Vec<ResourceChange>) -> TemplateDiff {
        TemplateDiff {
            change_set: Some(changes),
            ..Default::default()
        }
    }

    #[test]
    fn names_each_unknown_action_escaped_and_passes_known_ones() {
        let known = ResourceChange {
            action: "Modify".into(),
            logical_id: "A".into(),
            policy_action: Some("ReplaceAndDelete".into()),
            ..Default::default()
        };
        assert_eq!(unjudged(&with(vec![known.clone()])), None);
        assert_eq!(unjudged(&TemplateDiff::default()), None);
        let odd = ResourceChange {
            action: "Frob\u{1b}[2Jnicate".into(),
            logical_id: "B".into(),
            policy_action: Some("Shred".into()),
            ..Default::default()
        };
        let reason = unjudged(&with(vec![known, odd])).unwrap();
        assert!(
            reason.contains("change action `Frob\\x1b[2Jnicate` on B"),
            "{reason}"
        );
        assert!(reason.contains("policy action `Shred` on B"), "{reason}");
        assert!(!reason.contains('\u{1b}'), "{reason}");
    }
}
