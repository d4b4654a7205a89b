//! [`Check::UniqueItems`](crate::check::Check::UniqueItems): a list whose schema says
//! `uniqueItems: true` may not repeat an item. CloudFormation validates the resource's
//! properties against its registry schema, and a repeated item fails that validation at
//! deploy (`array items are not unique`), after the stack has started to change.
//!
//! Only items synth knows whole are compared: literals, and lists and objects made of
//! literals. An item that is or holds an intrinsic (a `Ref`, an `Fn::If` that may be
//! `AWS::NoValue`) has its value only at deploy, so it is let through, as the other
//! checks let computed values through.
//!
//! Equality is JSON Schema's: numbers by value (`1` and `1.0` are the same item), objects
//! whatever their key order.

use std::collections::HashMap;

use serde_json::Value as J;

use crate::value::expr::Expr;

/// The first repeated item of a list: the indexes of its first two occurrences and the
/// item as JSON. `None` when no two comparable items are equal.
pub(crate) fn first_repeat(items: &[Item<'_>]) -> Option<(usize, usize, J)> {
    // One item cannot repeat (most such lists hold one: a table's one key); nothing is
    // rendered for it.
    if items.len() < 2 {
        return None;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(json) = item.literal() else {
            continue;
        };
        let mut key = String::new();
        canonical(&json, &mut key);
        if let Some(&first) = seen.get(&key) {
            return Some((first, i, json));
        }
        seen.insert(key, i);
    }
    None
}

/// One item of a list: an expression built in Rust, or JSON inside a literal.
#[derive(Clone, Copy)]
pub(crate) enum Item<'a> {
    Expr(&'a Expr),
    Json(&'a J),
}

impl Item<'_> {
    /// The item's whole value, when it holds no intrinsic.
    fn literal(&self) -> Option<J> {
        match self {
            Item::Json(v) => Some((*v).clone()),
            Item::Expr(e) => literal(e),
        }
    }
}

/// An expression's value when it is literal all the way down; `None` when any part of
/// it is computed (including `AWS::NoValue`, which removes a member) or invalid.
fn literal(e: &Expr) -> Option<J> {
    match e {
        Expr::Lit(v) => Some(v.clone()),
        Expr::Array(items) => items
            .iter()
            .map(literal)
            .collect::<Option<Vec<_>>>()
            .map(J::Array),
        Expr::Object(map) => map
            .iter()
            .map(|(k, v)| Some((k.clone(), literal(v)?)))
            .collect::<Option<serde_json::Map<_, _>>>()
            .map(J::Object),
        _ => None,
    }
}

/// A text equal for equal JSON values: keys sorted, numbers by value (so `1` and `1.0`
/// agree), strings quoted.
fn canonical(v: &J, out: &mut String) {
    match v {
        J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            // A whole float is the integer it equals; the bound keeps the cast exact.
            (_, _, Some(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
                out.push_str(&(x as i64).to_string())
            }
            (_, _, Some(x)) => out.push_str(&format!("{x:?}")),
            _ => out.push_str(&n.to_string()),
        },
        J::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        J::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for k in keys {
                out.push_str(&J::String(k.clone()).to_string());
                out.push(':');
                canonical(&map[k], out);
                out.push(',');
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::value::expr_map::ExprMap;
    use crate::value::pseudo::Pseudo;

    fn exprs(items: &[Expr]) -> Vec<Item<'_>> {
        items.iter().map(Item::Expr).collect()
    }

    /// The first repeat is named with both indexes; numbers compare by value and objects
    /// whatever their key order.
    #[test]
    fn literal_repeats_are_found_by_json_value() {
        let items = [json!("a"), json!(1), json!("b"), json!(1.0)];
        let items: Vec<Item> = items.iter().map(Item::Json).collect();
        assert_eq!(first_repeat(&items), Some((1, 3, json!(1.0))));
        let a: J = serde_json::from_str(r#"{"x": 1, "y": [2]}"#).unwrap();
        let b: J = serde_json::from_str(r#"{"y": [2.0], "x": 1}"#).unwrap();
        let objects = [a, b];
        let objects: Vec<Item> = objects.iter().map(Item::Json).collect();
        assert_eq!(first_repeat(&objects).map(|(i, j, _)| (i, j)), Some((0, 1)));
        let distinct = [json!("1"), json!(1), json!([1]), json!({"1": 1})];
        let distinct: Vec<Item> = distinct.iter().map(Item::Json).collect();
        assert_eq!(first_repeat(&distinct), None);
    }

    /// Built items compare when literal all the way down; an item holding an intrinsic or
    /// `AWS::NoValue` is let through, even beside an equal-looking one.
    #[test]
    fn computed_items_are_let_through() {
        let region = Expr::Pseudo(Pseudo::Region);
        let object = |v: Expr| Expr::Object(ExprMap::from([("K".to_string(), v)]));
        let items = vec![
            region.clone(),
            region.clone(),
            object(region.clone()),
            object(region),
            Expr::NoValue,
            Expr::NoValue,
            object(Expr::Lit(json!("v"))),
        ];
        assert_eq!(first_repeat(&exprs(&items)), None);
        let mut repeated = items.clone();
        repeated.push(Expr::Lit(json!({"K": "v"})));
        assert_eq!(
            first_repeat(&exprs(&repeated)),
            Some((6, 7, json!({"K": "v"})))
        );
    }
}
