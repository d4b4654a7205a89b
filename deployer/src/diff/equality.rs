//! CloudFormation's idea of "the same value", not raw JSON equality:
//!
//! - a string and a number or boolean with the same text are equal (`"5"` and `5`,
//!   `"true"` and `true`): CloudFormation passes every scalar to the service as text;
//! - lists the registry schema marks `insertionOrder: false` compare as multisets;
//! - object keys compare as sets (their order never matters).

use serde_json::Value;

/// Which lists of a resource type compare without order.
pub trait ListOrder {
    /// Whether the list at `path` (slash-separated below `Properties`, list indices as
    /// `*`) is `insertionOrder: false`.
    fn unordered(&self, path: &str) -> bool;
}

/// Every list is ordered (for values outside `Properties`).
pub struct Ordered;

impl ListOrder for Ordered {
    fn unordered(&self, _: &str) -> bool {
        false
    }
}

/// The text CloudFormation gives a scalar, or `None` for objects, lists and null.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether `a` and `b` are the same value to CloudFormation; `path` is where they sit
/// below `Properties` (empty at the top).
pub fn same(path: &str, a: &Value, b: &Value, order: &dyn ListOrder) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same(&join(path, k), v, w, order)))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return false;
            }
            let item = join(path, "*");
            let in_order = || x.iter().zip(y).all(|(v, w)| same(&item, v, w, order));
            if order.unordered(path) {
                // The same order is the common case, and linear.
                in_order() || multiset_equal(&item, x, y, order)
            } else {
                in_order()
            }
        }
        (Value::Null, Value::Null) => true,
        _ => match (scalar_text(a), scalar_text(b)) {
            (Some(s), Some(t)) => s == t,
            _ => false,
        },
    }
}

/// Whether two lists hold the same items with the same multiplicities, in any order.
fn multiset_equal(item: &str, x: &[Value], y: &[Value], order: &dyn ListOrder) -> bool {
    let mut used = vec![false; y.len()];
    x.iter().all(|v| {
        let found = y
            .iter()
            .enumerate()
            .find(|(i, w)| !used[*i] && same(item, v, w, order))
            .map(|(i, _)| i);
        match found {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        }
    })
}

/// `path/key`, or `key` at the top.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}/{key}")
    }
}

/// `DependsOn` as a set of logical IDs: a string and a one-item list are the same, and
/// the order of the list does not matter.
pub fn depends_on(v: Option<&Value>) -> Vec<String> {
    let mut ids: Vec<String> = match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(scalar_text).collect(),
        _ => Vec::new(),
    };
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Tags;
    impl ListOrder for Tags {
        fn unordered(&self, path: &str) -> bool {
            path == "Tags"
        }
    }

    #[test]
    fn scalars_compare_as_text() {
        assert!(same("", &json!("5"), &json!(5), &Ordered));
        assert!(same(
            "",
            &json!({"A": "true"}),
            &json!({"A": true}),
            &Ordered
        ));
        assert!(!same("", &json!("5"), &json!(6), &Ordered));
        assert!(!same("", &json!("5"), &json!(["5"]), &Ordered));
        assert!(!same("", &json!(null), &json!(""), &Ordered));
    }

    #[test]
    fn unordered_lists_are_multisets_and_ordered_lists_are_not() {
        let a =
            json!({"Tags": [{"Key": "a", "Value": 1}, {"Key": "b", "Value": "2"}], "L": [1, 2]});
        let b =
            json!({"Tags": [{"Value": 2, "Key": "b"}, {"Key": "a", "Value": "1"}], "L": [1, 2]});
        assert!(same("", &a, &b, &Tags));
        assert!(!same("", &a, &b, &Ordered));
        let c = json!({"Tags": [{"Key": "a"}, {"Key": "a"}]});
        let d = json!({"Tags": [{"Key": "a"}, {"Key": "b"}]});
        assert!(!same("", &c, &d, &Tags), "multiplicities count");
        let e = json!({"L": [2, 1]});
        assert!(!same("", &json!({"L": [1, 2]}), &e, &Tags));
    }

    #[test]
    fn depends_on_is_a_set() {
        assert_eq!(
            depends_on(Some(&json!("A"))),
            depends_on(Some(&json!(["A"])))
        );
        assert_eq!(
            depends_on(Some(&json!(["B", "A"]))),
            depends_on(Some(&json!(["A", "B"])))
        );
    }
}
