//! Merges grant statements into the fewest statements: first every statement on the
//! same resources becomes one (actions united), then every statement with the same
//! actions becomes one (resources united). Statements merge only with statements of the
//! same `Condition` (a KMS key's `kms:ViaService`, for example). The result is sorted, so
//! it is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use crate::value::expr::Expr;

/// An `Allow` statement a grant produces: actions on resources.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Grant {
    pub(crate) actions: BTreeSet<String>,
    pub(crate) resources: Vec<Expr>,
    /// The statement's `Condition` block, if any.
    pub(crate) condition: Option<Expr>,
}

/// The compact JSON text of `e`, which orders and identifies resources and conditions.
/// A literal string and `Fn::GetAtt` (a grant's usual resources) are written directly,
/// as serde_json writes their JSON; anything else goes through its JSON value.
fn key(e: &Expr) -> String {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match e {
        Expr::Lit(serde_json::Value::String(s)) => quoted(s),
        Expr::GetAtt(t, attribute) => {
            format!(
                "{{\"Fn::GetAtt\":[{},{}]}}",
                quoted(&t.id),
                quoted(attribute)
            )
        }
        other => other.to_json().to_string(),
    }
}

/// The merged statements.
pub(crate) fn merge(grants: Vec<Grant>) -> Vec<Grant> {
    // Each resource's key is made once and travels with it through both passes.
    type Group = (Vec<(String, Expr)>, BTreeSet<String>, Option<Expr>);
    let condition_key = |c: &Option<Expr>| c.as_ref().map(key).unwrap_or_default();
    let mut by_resources: BTreeMap<(String, Vec<String>), Group> = BTreeMap::new();
    for g in grants {
        let mut resources: BTreeMap<String, Expr> = BTreeMap::new();
        for r in g.resources {
            resources.insert(key(&r), r);
        }
        let entry = by_resources
            .entry((
                condition_key(&g.condition),
                resources.keys().cloned().collect(),
            ))
            .or_insert_with(|| {
                (
                    resources.into_iter().collect(),
                    BTreeSet::new(),
                    g.condition.clone(),
                )
            });
        entry.1.extend(g.actions);
    }
    type Merged = (BTreeMap<String, Expr>, Option<Expr>);
    let mut by_actions: BTreeMap<(String, BTreeSet<String>), Merged> = BTreeMap::new();
    for ((condition, _), (resources, actions, c)) in by_resources {
        let entry = by_actions
            .entry((condition, actions))
            .or_insert_with(|| (BTreeMap::new(), c));
        entry.0.extend(resources);
    }
    by_actions
        .into_iter()
        .map(|((_, actions), (resources, condition))| Grant {
            actions,
            resources: resources.into_values().collect(),
            condition,
        })
        .collect()
}

/// Renders a statement as policy JSON (as an expression, resources may be computed).
pub(crate) fn to_expr(g: Grant) -> Expr {
    let mut m = BTreeMap::new();
    m.insert("Effect".to_string(), Expr::Lit("Allow".into()));
    m.insert(
        "Action".to_string(),
        Expr::Array(g.actions.into_iter().map(|a| Expr::Lit(a.into())).collect()),
    );
    m.insert("Resource".to_string(), Expr::Array(g.resources));
    if let Some(c) = g.condition {
        m.insert("Condition".to_string(), c);
    }
    Expr::Object(m)
}

/// Reads a statement written by [`to_expr`] back; `None` for anything else.
pub(crate) fn from_expr(e: &Expr) -> Option<Grant> {
    let Expr::Object(m) = e else { return None };
    let condition = m.get("Condition").cloned();
    let expected = if condition.is_some() { 4 } else { 3 };
    if m.get("Effect") != Some(&Expr::Lit("Allow".into())) || m.len() != expected {
        return None;
    }
    let Some(Expr::Array(actions)) = m.get("Action") else {
        return None;
    };
    let Some(Expr::Array(resources)) = m.get("Resource") else {
        return None;
    };
    let actions = actions
        .iter()
        .map(|a| match a {
            Expr::Lit(serde_json::Value::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect::<Option<BTreeSet<String>>>()?;
    Some(Grant {
        actions,
        resources: resources.clone(),
        condition,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(actions: &[&str], resources: &[&str]) -> Grant {
        Grant {
            actions: actions.iter().map(|s| s.to_string()).collect(),
            resources: resources.iter().map(|r| Expr::Lit((*r).into())).collect(),
            condition: None,
        }
    }

    #[test]
    fn same_resources_unite_actions_then_same_actions_unite_resources() {
        let merged = merge(vec![
            g(&["a:Get"], &["arn:1"]),
            g(&["a:Put"], &["arn:1"]),
            g(&["a:Get", "a:Put"], &["arn:2"]),
            g(&["b:Send"], &["arn:3"]),
        ]);
        assert_eq!(
            merged,
            vec![
                g(&["a:Get", "a:Put"], &["arn:1", "arn:2"]),
                g(&["b:Send"], &["arn:3"])
            ]
        );
    }

    /// The keys written directly are the JSON text serde_json writes for the same value,
    /// so resources sort as before.
    #[test]
    fn direct_keys_are_the_json_text() {
        use crate::value::expr::{StackKey, Target, TargetKind};
        let target = Target {
            stack: StackKey::new(1, "S"),
            kind: TargetKind::Resource,
            id: "Table\"0".into(),
        };
        for e in [
            Expr::Lit("arn:aws:s3:::b\u{7f}\\\"x".into()),
            Expr::GetAtt(target, "Arn".into()),
        ] {
            assert_eq!(key(&e), e.to_json().to_string());
        }
    }

    #[test]
    fn statements_round_trip_through_their_json() {
        let s = g(&["x:Y"], &["arn:1"]);
        assert_eq!(from_expr(&to_expr(s.clone())), Some(s));
        assert_eq!(from_expr(&Expr::Lit("no".into())), None);
        let mut c = g(&["kms:Decrypt"], &["arn:key"]);
        c.condition = Some(Expr::Lit(
            serde_json::json!({"StringEquals": {"kms:ViaService": "x"}}),
        ));
        assert_eq!(from_expr(&to_expr(c.clone())), Some(c));
    }

    #[test]
    fn statements_with_different_conditions_never_merge() {
        let mut a = g(&["kms:Decrypt"], &["arn:key"]);
        a.condition = Some(Expr::Lit(
            serde_json::json!({"StringEquals": {"kms:ViaService": "sqs"}}),
        ));
        let mut b = g(&["kms:Decrypt"], &["arn:key"]);
        b.condition = Some(Expr::Lit(
            serde_json::json!({"StringEquals": {"kms:ViaService": "dynamodb"}}),
        ));
        let plain = g(&["kms:Decrypt"], &["arn:key"]);
        let merged = merge(vec![a.clone(), b.clone(), plain.clone(), a.clone()]);
        assert_eq!(merged.len(), 3);
        assert!(merged.contains(&a) && merged.contains(&b) && merged.contains(&plain));
    }
}
