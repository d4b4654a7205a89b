//! Merges grant statements into the fewest statements: first every statement on the
//! same resources becomes one (actions united), then every statement with the same
//! actions becomes one (resources united). Statements merge only with statements of the
//! same `Condition` (a KMS key's `kms:ViaService`, for example). The result is sorted, so
//! it is deterministic.

use std::collections::BTreeSet;

use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;

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
    match e {
        Expr::Lit(serde_json::Value::String(s)) => {
            let mut out = String::with_capacity(s.len() + 2);
            quote(&mut out, s);
            out
        }
        Expr::GetAtt(t, attribute) => {
            let mut out = String::with_capacity(t.id.len() + attribute.len() + 20);
            out.push_str("{\"Fn::GetAtt\":[");
            quote(&mut out, &t.id);
            out.push(',');
            quote(&mut out, attribute);
            out.push_str("]}");
            out
        }
        other => other.to_json().to_string(),
    }
}

/// Appends `text` as a JSON string, as serde_json writes it: text with nothing to
/// escape (no `"`, `\` or control character, serde_json's only escapes) is copied
/// between quotes; anything else goes through serde_json.
fn quote(out: &mut String, text: &str) {
    if text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(&serde_json::to_string(text).unwrap_or_default());
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

/// The merged statements.
///
/// Two passes over sorted lists rather than maps keyed by text: first the statements
/// with the same condition and resources (each resource's key made once) unite their
/// actions, then those with the same condition and actions unite their resources. Each
/// sort is stable, so the first statement of a group gives its condition (and, in the
/// first pass, its resources), and a resource named twice keeps its last value, as
/// maps keyed by the same texts would.
pub(crate) fn merge(grants: Vec<Grant>) -> Vec<Grant> {
    // One statement on at most one resource (a role's first grant, usually) is merged
    // already: nothing to unite, nothing to sort.
    if let [only] = grants.as_slice()
        && only.resources.len() <= 1
    {
        return grants;
    }
    struct Group {
        condition_key: String,
        /// Sorted by key, keys distinct.
        resources: Vec<(String, Expr)>,
        actions: BTreeSet<String>,
        condition: Option<Expr>,
    }
    let mut groups: Vec<Group> = grants
        .into_iter()
        .map(|g| {
            let mut resources: Vec<(String, Expr)> =
                g.resources.into_iter().map(|r| (key(&r), r)).collect();
            resources.sort_by(|a, b| a.0.cmp(&b.0));
            // Of resources with the same key, the last one given stays.
            let mut distinct: Vec<(String, Expr)> = Vec::with_capacity(resources.len());
            for r in resources {
                match distinct.last_mut() {
                    Some(last) if last.0 == r.0 => *last = r,
                    _ => distinct.push(r),
                }
            }
            Group {
                condition_key: g.condition.as_ref().map(key).unwrap_or_default(),
                resources: distinct,
                actions: g.actions,
                condition: g.condition,
            }
        })
        .collect();
    let same_resources = |a: &Group, b: &Group| {
        a.condition_key == b.condition_key
            && a.resources.len() == b.resources.len()
            && a.resources
                .iter()
                .zip(&b.resources)
                .all(|(x, y)| x.0 == y.0)
    };
    groups.sort_by(|a, b| {
        a.condition_key.cmp(&b.condition_key).then_with(|| {
            a.resources
                .iter()
                .map(|r| &r.0)
                .cmp(b.resources.iter().map(|r| &r.0))
        })
    });
    let mut by_resources: Vec<Group> = Vec::with_capacity(groups.len());
    for g in groups {
        match by_resources.last_mut() {
            Some(last) if same_resources(last, &g) => last.actions.extend(g.actions),
            _ => by_resources.push(g),
        }
    }
    by_resources.sort_by(|a, b| {
        a.condition_key
            .cmp(&b.condition_key)
            .then_with(|| a.actions.cmp(&b.actions))
    });
    // Groups with the same condition and actions are now next to each other.
    struct Merged {
        condition_key: String,
        actions: BTreeSet<String>,
        resources: Vec<(String, Expr)>,
        /// The resources of several groups, united by key (a later value replacing an
        /// earlier one), once a second group joins.
        united: Option<ExprMap>,
        condition: Option<Expr>,
    }
    let mut merged: Vec<Merged> = Vec::with_capacity(by_resources.len());
    for g in by_resources {
        if let Some(m) = merged.last_mut()
            && m.condition_key == g.condition_key
            && m.actions == g.actions
        {
            m.united
                .get_or_insert_with(|| std::mem::take(&mut m.resources).into_iter().collect())
                .extend(g.resources);
            continue;
        }
        merged.push(Merged {
            condition_key: g.condition_key,
            actions: g.actions,
            resources: g.resources,
            united: None,
            condition: g.condition,
        });
    }
    merged
        .into_iter()
        .map(|m| Grant {
            actions: m.actions,
            resources: match m.united {
                Some(united) => united.into_values().collect(),
                None => m.resources.into_iter().map(|(_, r)| r).collect(),
            },
            condition: m.condition,
        })
        .collect()
}

/// Adds `grant` to `statements` in place when they are one statement [`to_expr`] wrote
/// without a `Condition`, on exactly the one resource `grant` is on (equal expressions),
/// with its actions in order, and `grant` has no condition: [`merge`] would then unite the
/// actions and keep the rest as it is, so the statement gets the new actions in order
/// without being read back ([`from_owned`]), merged and written again ([`to_expr`]). A
/// role's second grant on the same resource (a table's read, then its write) is this
/// case. Whether it applied; when not, `grant` is left as it was.
pub(crate) fn add_in_place(statements: &mut [Expr], grant: &mut Grant) -> bool {
    if grant.condition.is_some() || grant.resources.len() != 1 {
        return false;
    }
    let [statement] = statements else {
        return false;
    };
    if !is_grant(statement) {
        return false;
    }
    let Expr::Object(m) = statement else {
        return false;
    };
    if m.contains_key("Condition")
        || !matches!(m.get("Resource"), Some(Expr::Array(r)) if *r == grant.resources)
    {
        return false;
    }
    let Some(Expr::Array(actions)) = m.get_mut("Action") else {
        return false;
    };
    fn text(a: &Expr) -> Option<&str> {
        match a {
            Expr::Lit(serde_json::Value::String(s)) => Some(s.as_str()),
            _ => None,
        }
    }
    // In order and distinct, as `to_expr` writes them; a statement written otherwise
    // is left to `merge`, which sorts them.
    if !actions
        .windows(2)
        .all(|w| matches!((text(&w[0]), text(&w[1])), (Some(a), Some(b)) if a < b))
    {
        return false;
    }
    let old = std::mem::take(actions);
    let mut new = std::mem::take(&mut grant.actions).into_iter().peekable();
    let mut united = Vec::with_capacity(old.len() + new.len());
    for a in old {
        let s = text(&a).unwrap_or_default();
        while let Some(n) = new.next_if(|n| n.as_str() < s) {
            united.push(Expr::Lit(n.into()));
        }
        new.next_if(|n| n == s);
        united.push(a);
    }
    united.extend(new.map(|n| Expr::Lit(n.into())));
    *actions = united;
    true
}

/// Renders a statement as policy JSON (as an expression, resources may be computed).
pub(crate) fn to_expr(g: Grant) -> Expr {
    let mut m = ExprMap::new();
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

/// Whether `e` is a statement [`to_expr`] writes: `Allow`, a list of literal actions,
/// a list of resources, and a `Condition` or nothing else.
fn is_grant(e: &Expr) -> bool {
    let Expr::Object(m) = e else { return false };
    let expected = if m.contains_key("Condition") { 4 } else { 3 };
    m.len() == expected
        && matches!(m.get("Effect"), Some(Expr::Lit(serde_json::Value::String(s))) if s == "Allow")
        && matches!(m.get("Resource"), Some(Expr::Array(_)))
        && matches!(m.get("Action"), Some(Expr::Array(actions))
            if actions.iter().all(|a| matches!(a, Expr::Lit(serde_json::Value::String(_)))))
}

/// Reads a statement written by [`to_expr`] back; `None` for anything else.
pub(crate) fn from_expr(e: &Expr) -> Option<Grant> {
    if !is_grant(e) {
        return None;
    }
    from_owned(e.clone()).ok()
}

/// Reads a statement written by [`to_expr`] back, taking its parts rather than copying
/// them; anything else is given back as it is.
pub(crate) fn from_owned(e: Expr) -> Result<Grant, Expr> {
    if !is_grant(&e) {
        return Err(e);
    }
    let Expr::Object(mut m) = e else {
        unreachable!("is_grant holds only for an object")
    };
    let condition = m.remove("Condition");
    let (Some(Expr::Array(actions)), Some(Expr::Array(resources))) =
        (m.remove("Action"), m.remove("Resource"))
    else {
        unreachable!("is_grant holds only with `Action` and `Resource` lists")
    };
    let actions = actions
        .into_iter()
        .filter_map(|a| match a {
            Expr::Lit(serde_json::Value::String(s)) => Some(s),
            _ => None,
        })
        .collect();
    Ok(Grant {
        actions,
        resources,
        condition,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

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

    /// The merge as it was written with maps keyed by text (before the sorted lists):
    /// the reference the merge is compared with.
    fn merge_with_maps(grants: Vec<Grant>) -> Vec<Grant> {
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

    /// The merge gives what the maps keyed by text gave, statement for statement, over
    /// many generated sets of grants: shared and repeated resources (a literal ARN, a
    /// `Fn::GetAtt`, a literal object spelling the same `Fn::GetAtt`, `*`), overlapping
    /// actions, and conditions that differ or agree.
    #[test]
    fn merge_matches_the_merge_by_maps() {
        use crate::value::expr::{StackKey, Target, TargetKind};
        let stack = StackKey::new(7, "S");
        let get_att = |id: &str| {
            Expr::GetAtt(
                Target {
                    stack: stack.clone(),
                    kind: TargetKind::Resource,
                    id: id.into(),
                },
                "Arn".into(),
            )
        };
        let resources = [
            Expr::Lit("arn:aws:sqs:eu-west-1:1:a".into()),
            Expr::Lit("arn:aws:sqs:eu-west-1:1:b\"q".into()),
            Expr::Lit("*".into()),
            get_att("Table0"),
            get_att("Table1"),
            Expr::Lit(serde_json::json!({"Fn::GetAtt": ["Table0", "Arn"]})),
        ];
        let actions = ["a:Get", "a:Put", "b:Send", "c:*", "a:Delete"];
        let conditions = [
            None,
            Some(Expr::Lit(
                serde_json::json!({"StringEquals": {"kms:ViaService": "sqs"}}),
            )),
            Some(Expr::Lit(
                serde_json::json!({"StringEquals": {"kms:ViaService": "dynamodb"}}),
            )),
        ];
        // A fixed linear congruential sequence: the same cases on every run.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % n
        };
        let mut merged_some = false;
        for _ in 0..2000 {
            let grants: Vec<Grant> = (0..1 + next(6))
                .map(|_| Grant {
                    actions: (0..1 + next(3))
                        .map(|_| actions[next(actions.len())].to_string())
                        .collect(),
                    resources: (0..1 + next(3))
                        .map(|_| resources[next(resources.len())].clone())
                        .collect(),
                    condition: conditions[next(conditions.len())].clone(),
                })
                .collect();
            let merged = merge(grants.clone());
            merged_some |= merged.len() < grants.len();
            assert_eq!(merged, merge_with_maps(grants.clone()), "{grants:?}");
        }
        assert!(merged_some);
    }

    /// Adding in place gives what reading the statements back, merging and writing them
    /// again gives, whenever it applies, over many generated policies: statements
    /// written by `to_expr` or not (actions out of order or repeated, a condition, two
    /// resources, a second statement), and grants on the same resource or another.
    #[test]
    fn adding_in_place_matches_the_merge() {
        let resources = [
            Expr::Lit("arn:aws:sqs:eu-west-1:1:a".into()),
            Expr::Lit("arn:aws:sqs:eu-west-1:1:b".into()),
            Expr::Lit(serde_json::json!({"Fn::GetAtt": ["Table0", "Arn"]})),
        ];
        let actions = ["a:Get", "a:Put", "b:Send", "c:*", "a:Delete", "A:Get"];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % n
        };
        let (mut applied, mut declined) = (0, 0);
        for _ in 0..3000 {
            let random_grant = |next: &mut dyn FnMut(usize) -> usize| Grant {
                actions: (0..next(4))
                    .map(|_| actions[next(actions.len())].to_string())
                    .collect(),
                resources: (0..1 + usize::from(next(5) == 0))
                    .map(|_| resources[next(resources.len())].clone())
                    .collect(),
                condition: (next(5) == 0).then(|| {
                    Expr::Lit(serde_json::json!({"StringEquals": {"kms:ViaService": "sqs"}}))
                }),
            };
            let mut statements: Vec<Expr> = (0..1 + usize::from(next(6) == 0))
                .map(|_| to_expr(random_grant(&mut next)))
                .collect();
            // Sometimes actions as a statement written by hand: out of order, repeated.
            if next(4) == 0
                && let Expr::Object(m) = &mut statements[0]
                && let Some(Expr::Array(a)) = m.get_mut("Action")
            {
                a.push(Expr::Lit(actions[next(actions.len())].into()));
            }
            let grant = random_grant(&mut next);
            let mut by_merge = Vec::new();
            let mut grants = Vec::new();
            for s in statements.clone() {
                match from_owned(s) {
                    Ok(g) => grants.push(g),
                    Err(s) => by_merge.push(s),
                }
            }
            grants.push(grant.clone());
            by_merge.extend(merge(grants).into_iter().map(to_expr));
            let mut in_place = grant.clone();
            if add_in_place(&mut statements, &mut in_place) {
                applied += 1;
                assert_eq!(statements, by_merge, "{grant:?}");
            } else {
                declined += 1;
                assert_eq!(in_place, grant);
            }
        }
        assert!(applied > 100 && declined > 100, "{applied} {declined}");
    }

    /// A statement is read back by value as by reference, and anything else is given
    /// back unchanged.
    #[test]
    fn statements_are_read_back_by_value_as_by_reference() {
        let mut c = g(&["kms:Decrypt", "kms:Encrypt"], &["arn:key", "arn:other"]);
        c.condition = Some(Expr::Lit(
            serde_json::json!({"StringEquals": {"kms:ViaService": "x"}}),
        ));
        for s in [g(&["x:Y"], &["arn:1"]), c] {
            let e = to_expr(s.clone());
            assert_eq!(from_owned(e.clone()), Ok(s.clone()));
            assert_eq!(from_expr(&e), Some(s));
        }
        let others = [
            Expr::Lit(serde_json::json!({"Effect": "Allow", "Action": ["x:Y"], "Resource": ["*"]})),
            Expr::from_json(
                serde_json::json!({"Effect": "Deny", "Action": ["x:Y"], "Resource": ["*"]}),
            ),
            Expr::from_json(
                serde_json::json!({"Effect": "Allow", "Action": [{"a": 1}], "Resource": ["*"]}),
            ),
            Expr::from_json(
                serde_json::json!({"Effect": "Allow", "Action": ["x:Y"], "Resource": ["*"], "Sid": "s"}),
            ),
            Expr::from_json(
                serde_json::json!({"Effect": "Allow", "Action": "x:Y", "Resource": ["*"]}),
            ),
            Expr::Lit("no".into()),
        ];
        for e in others {
            assert_eq!(from_owned(e.clone()), Err(e.clone()));
            assert_eq!(from_expr(&e), None);
        }
    }
}
