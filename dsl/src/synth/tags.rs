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
