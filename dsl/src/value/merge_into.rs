//! Merging into a property a construct, a grant or a wiring extends (a role's
//! `Policies`, a bucket's `NotificationConfiguration`, a policy's `Statement`): a
//! literal (however it was given: a builder, a `value!` literal, a cast JSON document)
//! is opened up so the addition goes in beside what is there; a computed value (an
//! `Fn::If`, a parameter, or an intrinsic written as JSON like `{"Fn::If": [...]}`)
//! cannot be merged into, and the caller reports it instead of skipping the addition
//! (which would deploy without it). Every construct, grant and wiring that adds to a
//! value already there goes through these functions: wiring through their public form,
//! `Stack::edit_list` and `Stack::edit_statements`; grants and `configure` directly.

use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;

/// The intrinsic function an object written as JSON is (`{"Fn::If": [...]}`,
/// `{"Ref": "X"}`, `{"Condition": "C"}`: one key, a function's name), such as a JSON
/// document given through `.into_value().cast()`: computed, not an object to merge into.
fn json_intrinsic(m: &ExprMap) -> Option<&str> {
    let mut keys = m.keys();
    match (keys.next(), keys.next()) {
        (Some(k), None) if k == "Ref" || k == "Condition" || k.starts_with("Fn::") => {
            Some(k.as_str())
        }
        _ => None,
    }
}

/// The deepest literal opened for editing: as deep as a template may nest. Synth refuses
/// a deeper one with its own message; opening it here would recurse that deep first.
const MAX_OPENED_DEPTH: usize = crate::synth::depth::MAX_TEMPLATE_DEPTH;

/// Whether the JSON `v` nests at most `limit` containers deep, measured without recursion.
fn json_within(v: &serde_json::Value, limit: usize) -> bool {
    let mut todo = vec![(v, 1)];
    while let Some((v, depth)) = todo.pop() {
        let children: Box<dyn Iterator<Item = &serde_json::Value>> = match v {
            serde_json::Value::Object(m) => Box::new(m.values()),
            serde_json::Value::Array(items) => Box::new(items.iter()),
            _ => continue,
        };
        if depth > limit {
            return false;
        }
        todo.extend(children.map(|c| (c, depth + 1)));
    }
    true
}

/// Opens the literal object or list `e` holds into expressions, when it is not deeper
/// than [`MAX_OPENED_DEPTH`] (a deeper one stays as it is, so it is not merged into).
fn open(e: &mut Expr) {
    if let Expr::Lit(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) = e
        && json_within(v, MAX_OPENED_DEPTH)
    {
        *e = Expr::from_json(std::mem::take(v));
    }
}

/// The object `e` holds, opened for editing; `None` when it is computed (an intrinsic,
/// typed or written as JSON), not an object, or nested deeper than a template may be.
pub(crate) fn object(e: &mut Expr) -> Option<&mut ExprMap> {
    open(e);
    match e {
        Expr::Object(m) if json_intrinsic(m).is_none() => Some(m),
        _ => None,
    }
}

/// The list `e` holds, opened for editing; `None` when it is computed (or not a list).
pub(crate) fn array(e: &mut Expr) -> Option<&mut Vec<Expr>> {
    if matches!(e, Expr::Lit(serde_json::Value::Array(_))) {
        open(e);
    }
    match e {
        Expr::Array(items) => Some(items),
        _ => None,
    }
}

/// The list `e` holds, where a single item stands for a list of it (as IAM reads a
/// policy's `Statement`); `None` when it is computed.
pub(crate) fn items(e: &mut Expr) -> Option<&mut Vec<Expr>> {
    if matches!(e, Expr::Lit(serde_json::Value::Object(_))) {
        open(e);
    }
    if matches!(e, Expr::Object(m) if json_intrinsic(m).is_none()) {
        let one = std::mem::replace(e, Expr::Array(Vec::new()));
        *e = Expr::Array(vec![one]);
    }
    array(e)
}

/// How a message names a value that cannot be merged into: "computed by `Fn::If`".
pub(crate) fn computed(e: &Expr) -> String {
    let written = match e {
        Expr::Object(m) => json_intrinsic(m).map(str::to_string),
        Expr::Lit(serde_json::Value::Object(m)) if m.len() == 1 => m
            .keys()
            .find(|k| *k == "Ref" || *k == "Condition" || k.starts_with("Fn::"))
            .cloned(),
        _ => None,
    };
    match written.as_deref().or(e.intrinsic_name()) {
        Some(name) => format!("computed by `{}`", name.escape_debug()),
        None => match e {
            Expr::Lit(v) if !json_within(v, MAX_OPENED_DEPTH) => {
                format!("nested deeper than the {MAX_OPENED_DEPTH} levels a template may be")
            }
            _ => "not of the expected shape".to_string(),
        },
    }
}
