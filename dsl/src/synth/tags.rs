//! Tags in a canonical order: a list of `{Key, Value}` is written sorted by key, so the
//! same tags given in another order give the same template (no phantom update).
//! Duplicate keys are reported: every service that takes tag lists rejects them.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::path::Path;
use crate::value::expr::Expr;

/// Sorts every tag list (a `Tags` property whose items all have a literal `Key`) below
/// `props`, at any depth of plain objects and lists, and reports duplicate keys.
pub(crate) fn canonicalize(id: &str, props: &mut Expr, diags: &mut Vec<Diagnostic>) {
    visit(id, Path::Root, props, diags);
}

/// Whether [`canonicalize`] has anything to do below `props`: a tag list out of order or
/// with a repeated key. Read-only, so synth keeps a resource's own properties (no copy)
/// when its tags are already in canonical order, as they almost always are.
pub(crate) fn needs_canonicalizing<'a>(
    props: impl IntoIterator<Item = (&'a String, &'a Expr)>,
) -> bool {
    props.into_iter().any(|(name, v)| entry_needs(name, v))
}

fn entry_needs(name: &str, v: &Expr) -> bool {
    list_needs(name, v) || expr_needs(v)
}

/// Whether `v`, held under `name`, is itself a tag list [`canonicalize`] would reorder or
/// report (what it holds aside): the check [`needs_canonicalizing`] makes at each entry
/// of an object, which synth's depth check makes during its own walk of every property
/// (`depth::fits_noting_tags`), so the properties are walked once for both.
pub(crate) fn list_needs(name: &str, v: &Expr) -> bool {
    name == "Tags"
        && match v {
            Expr::Array(items) => unordered(items, expr_key),
            Expr::Lit(serde_json::Value::Array(items)) => unordered(items, json_key),
            _ => false,
        }
}

fn expr_needs(e: &Expr) -> bool {
    match e {
        Expr::Object(map) => map.iter().any(|(name, v)| entry_needs(name, v)),
        Expr::Array(items) => items.iter().any(expr_needs),
        Expr::Lit(v) => literal_needs(v),
        _ => false,
    }
}

/// Whether plain JSON holds a tag list, at any depth, that [`canonicalize`] would reorder
/// or report.
pub(crate) fn literal_needs(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Object(map) => map.iter().any(|(name, v)| {
            (name == "Tags"
                && matches!(v, serde_json::Value::Array(items) if unordered(items, json_key)))
                || literal_needs(v)
        }),
        serde_json::Value::Array(items) => items.iter().any(literal_needs),
        _ => false,
    }
}

/// Whether [`sort_by_key`] would reorder `items` or report a repeated key: every key is
/// known and some key is not strictly greater than the one before it.
fn unordered<T>(items: &[T], key: fn(&T) -> Option<&str>) -> bool {
    items.iter().all(|t| key(t).is_some()) && items.windows(2).any(|p| key(&p[0]) >= key(&p[1]))
}

fn expr_key(item: &Expr) -> Option<&str> {
    match item {
        Expr::Object(m) => match m.get("Key") {
            Some(Expr::Lit(serde_json::Value::String(k))) => Some(k),
            _ => None,
        },
        Expr::Lit(v) => json_key(v),
        _ => None,
    }
}

fn json_key(item: &serde_json::Value) -> Option<&str> {
    item.get("Key").and_then(serde_json::Value::as_str)
}

fn visit(id: &str, path: Path, e: &mut Expr, diags: &mut Vec<Diagnostic>) {
    match e {
        Expr::Object(map) => {
            for (name, v) in map.iter_mut() {
                let here = path.key(name);
                if name == "Tags" {
                    match v {
                        Expr::Array(items) => sort_by_key(id, here, items, expr_key, diags),
                        Expr::Lit(serde_json::Value::Array(items)) => {
                            sort_by_key(id, here, items, json_key, diags)
                        }
                        _ => {}
                    }
                }
                visit(id, here, v, diags);
            }
        }
        Expr::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                visit(id, path.index(i), v, diags);
            }
        }
        Expr::Lit(v) => visit_literal(id, path, v, diags),
        _ => {}
    }
}

/// The same for plain JSON given whole (such as a raw resource's property).
fn visit_literal(id: &str, path: Path, v: &mut serde_json::Value, diags: &mut Vec<Diagnostic>) {
    match v {
        serde_json::Value::Object(map) => {
            for (name, v) in map.iter_mut() {
                let here = path.key(name);
                if name == "Tags"
                    && let serde_json::Value::Array(items) = v
                {
                    sort_by_key(id, here, items, json_key, diags);
                }
                visit_literal(id, here, v, diags);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                visit_literal(id, path.index(i), v, diags);
            }
        }
        _ => {}
    }
}

fn sort_by_key<T>(
    id: &str,
    path: Path,
    items: &mut [T],
    key: fn(&T) -> Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    if !items.iter().all(|t| key(t).is_some()) {
        // A computed key: its order cannot be known here, so the list is kept as given.
        return;
    }
    // Stable: equal keys (an error below) keep their order.
    items.sort_by(|a, b| key(a).cmp(&key(b)));
    for pair in items.windows(2) {
        if key(&pair[0]) == key(&pair[1]) {
            diags.push(Diagnostic::error(
                Location::property(id, &path.render()),
                format!(
                    "tag key `{}` is given twice; tag keys must be unique",
                    key(&pair[0]).unwrap_or_default()
                ),
                "give each tag key once (a later `.tag()` call does not replace an earlier one)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::value::expr_map::ExprMap;

    fn tag(key: &str) -> Expr {
        Expr::Object(ExprMap::from([
            ("Key".to_string(), Expr::Lit(json!(key))),
            ("Value".to_string(), Expr::Lit(json!("v"))),
        ]))
    }

    /// Synth keeps a resource's own properties exactly when canonicalizing would change
    /// nothing and report nothing: tag lists (built or literal, at any depth) in order,
    /// out of order, with a repeated key, with a computed key.
    #[test]
    fn needs_canonicalizing_exactly_when_canonicalize_changes_or_reports() {
        let computed = Expr::Object(ExprMap::from([(
            "Key".to_string(),
            Expr::Pseudo(crate::value::pseudo::Pseudo::Region),
        )]));
        let lists: Vec<Expr> = vec![
            Expr::Array(vec![]),
            Expr::Array(vec![tag("a"), tag("b")]),
            Expr::Array(vec![tag("b"), tag("a")]),
            Expr::Array(vec![tag("a"), tag("a")]),
            Expr::Array(vec![tag("b"), computed.clone(), tag("a")]),
            Expr::Lit(json!([{ "Key": "a" }, { "Key": "b" }])),
            Expr::Lit(json!([{ "Key": "b" }, { "Key": "a" }])),
            Expr::Lit(json!({ "Inner": { "Tags": [{ "Key": "b" }, { "Key": "a" }] } })),
            Expr::Lit(json!({ "Inner": { "Tags": [{ "Key": "a" }, { "Key": "b" }] } })),
        ];
        let mut cases: Vec<ExprMap> = Vec::new();
        for list in &lists {
            cases.push(ExprMap::from([("Tags".to_string(), list.clone())]));
            // Nested below a property and inside a list.
            cases.push(ExprMap::from([(
                "Config".to_string(),
                Expr::Array(vec![Expr::Object(ExprMap::from([(
                    "Tags".to_string(),
                    list.clone(),
                )]))]),
            )]));
            cases.push(ExprMap::from([("Other".to_string(), list.clone())]));
        }
        let mut needing = 0;
        for props in cases {
            let mut root = Expr::Object(props.clone());
            let mut diags = Vec::new();
            canonicalize("R", &mut root, &mut diags);
            let changes = root != Expr::Object(props.clone()) || !diags.is_empty();
            assert_eq!(needs_canonicalizing(props.iter()), changes, "{props:?}");
            // The depth check's walk notes the same (what synth uses), at any budget
            // the properties fit in.
            for budget in [8, 124] {
                let mut noted = false;
                let fit = props.iter().all(|(name, v)| {
                    crate::synth::depth::fits_noting_tags(name, v, budget, &mut noted)
                });
                assert!(fit, "{props:?}");
                assert_eq!(noted, changes, "{props:?}");
            }
            needing += usize::from(changes);
        }
        assert!(needing >= 8, "the cases cover lists that need sorting");
    }
}
