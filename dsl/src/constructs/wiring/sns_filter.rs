//! [`FilterPolicy`]: which messages an SNS subscription receives, typed.
//!
//! Limits from the Amazon SNS Developer Guide, "Filter policy constraints": at most five
//! keys; the total combination of values (the product of the number of values of every
//! key) at most 150; numbers from -10⁹ to 10⁹ with five decimal digits; no nesting when
//! the policy applies to message attributes (only to the message body). They are
//! checked when the subscription is added, naming it.

use std::collections::BTreeMap;

use serde_json::{Value as J, json};

use crate::constructs::event_pattern::Cmp;

/// What a policy applies to: the message attributes (SNS's default) or the message
/// body (a JSON message; keys may then be nested paths).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FilterPolicyScope {
    /// The message's attributes (`String` and `String.Array` ones).
    #[default]
    MessageAttributes,
    /// The message body, parsed as JSON.
    MessageBody,
}

impl FilterPolicyScope {
    /// The value of the subscription's `FilterPolicyScope`.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterPolicyScope::MessageAttributes => "MessageAttributes",
            FilterPolicyScope::MessageBody => "MessageBody",
        }
    }
}

/// A comparison of a numeric condition: EventBridge's [`Cmp`], whose numeric matching
/// SNS filter policies share (one operator set, one emptiness check).
pub type NumericOp = Cmp;

/// One value a key may match (a key's values are ORed).
#[derive(Clone, Debug, PartialEq)]
pub enum FilterMatch {
    /// This exact string (case-sensitive).
    Exact(String),
    /// This exact number.
    Number(f64),
    /// A string starting with this.
    Prefix(String),
    /// A string ending with this.
    Suffix(String),
    /// This string, ignoring case.
    EqualsIgnoreCase(String),
    /// Any value but these strings.
    AnythingBut(Vec<String>),
    /// Any value not starting with this.
    AnythingButPrefix(String),
    /// A number satisfying every comparison (`[(Ge, 0.0), (Lt, 100.0)]`: 0 ≤ n < 100).
    Numeric(Vec<(NumericOp, f64)>),
    /// The key is present (`true`) or absent (`false`).
    Exists(bool),
    /// An IP address in this CIDR block (`10.0.0.0/24`).
    Cidr(String),
}

impl FilterMatch {
    /// [`FilterMatch::Exact`].
    pub fn exact(s: impl Into<String>) -> Self {
        FilterMatch::Exact(s.into())
    }

    /// [`FilterMatch::Prefix`].
    pub fn prefix(s: impl Into<String>) -> Self {
        FilterMatch::Prefix(s.into())
    }

    /// [`FilterMatch::Suffix`].
    pub fn suffix(s: impl Into<String>) -> Self {
        FilterMatch::Suffix(s.into())
    }

    /// [`FilterMatch::AnythingBut`].
    pub fn anything_but<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Self {
        FilterMatch::AnythingBut(values.into_iter().map(Into::into).collect())
    }

    /// A number from `low` (inclusive) to `high` (exclusive).
    pub fn between(low: f64, high: f64) -> Self {
        FilterMatch::Numeric(vec![(NumericOp::Ge, low), (NumericOp::Lt, high)])
    }

    fn numbers(&self) -> Vec<f64> {
        match self {
            FilterMatch::Number(n) => vec![*n],
            FilterMatch::Numeric(ops) => ops.iter().map(|(_, n)| *n).collect(),
            _ => Vec::new(),
        }
    }

    fn to_json(&self) -> J {
        match self {
            FilterMatch::Exact(s) => json!(s),
            FilterMatch::Number(n) => json!(n),
            FilterMatch::Prefix(s) => json!({"prefix": s}),
            FilterMatch::Suffix(s) => json!({"suffix": s}),
            FilterMatch::EqualsIgnoreCase(s) => json!({"equals-ignore-case": s}),
            FilterMatch::AnythingBut(v) => json!({"anything-but": v}),
            FilterMatch::AnythingButPrefix(s) => json!({"anything-but": {"prefix": s}}),
            FilterMatch::Numeric(ops) => {
                let list: Vec<J> = ops
                    .iter()
                    .flat_map(|(op, n)| [json!(op.as_str()), json!(n)])
                    .collect();
                json!({"numeric": list})
            }
            FilterMatch::Exists(b) => json!({"exists": b}),
            FilterMatch::Cidr(s) => json!({"cidr": s}),
        }
    }
}

/// A subscription's filter policy: for each key (a message attribute's name, or a path
/// into the JSON body), the values it may match; a message is delivered when every key
/// matches one of its values.
///
/// ```
/// use nephos::constructs::{FilterPolicy, FilterPolicyScope, FilterMatch};
/// let p = FilterPolicy::new(FilterPolicyScope::MessageAttributes)
///     .key("event", [FilterMatch::exact("order_placed"), FilterMatch::prefix("refund_")])
///     .key("amount", [FilterMatch::between(0.0, 1000.0)]);
/// assert_eq!(p.to_json(), serde_json::json!({
///     "amount": [{"numeric": [">=", 0.0, "<", 1000.0]}],
///     "event": ["order_placed", {"prefix": "refund_"}]
/// }));
/// assert!(p.problems().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FilterPolicy {
    scope: FilterPolicyScope,
    /// Key path (one element for a top-level key) -> the values it may match.
    keys: BTreeMap<Vec<String>, Vec<FilterMatch>>,
}

/// The most keys a policy may have, and the most combinations of values.
const MAX_KEYS: usize = 5;
const MAX_COMBINATIONS: usize = 150;
/// The range of numbers SNS compares.
const MAX_NUMBER: f64 = 1e9;

impl FilterPolicy {
    /// An empty policy for `scope`.
    pub fn new(scope: FilterPolicyScope) -> Self {
        FilterPolicy {
            scope,
            keys: BTreeMap::new(),
        }
    }

    /// Matches the top-level key `name` against `values` (any of them).
    pub fn key(
        self,
        name: impl Into<String>,
        values: impl IntoIterator<Item = FilterMatch>,
    ) -> Self {
        self.path([name.into()], values)
    }

    /// Matches the nested key at `path` of the message body (`["store", "city"]`)
    /// against `values`; only for [`FilterPolicyScope::MessageBody`].
    pub fn path<S: Into<String>>(
        mut self,
        path: impl IntoIterator<Item = S>,
        values: impl IntoIterator<Item = FilterMatch>,
    ) -> Self {
        let path: Vec<String> = path.into_iter().map(Into::into).collect();
        self.keys.entry(path).or_default().extend(values);
        self
    }

    /// The scope.
    pub fn scope(&self) -> FilterPolicyScope {
        self.scope
    }

    /// The policy as SNS takes it (nested objects for body paths).
    pub fn to_json(&self) -> J {
        let mut root = serde_json::Map::new();
        for (path, values) in &self.keys {
            let Some((last, parents)) = path.split_last() else {
                continue;
            };
            let mut node = &mut root;
            for p in parents {
                let entry = node.entry(p.clone()).or_insert_with(|| json!({}));
                if !entry.is_object() {
                    *entry = json!({});
                }
                node = entry.as_object_mut().expect("made an object just above");
            }
            node.insert(
                last.clone(),
                J::Array(values.iter().map(FilterMatch::to_json).collect()),
            );
        }
        J::Object(root)
    }

    /// What SNS would refuse about this policy (empty when it is valid).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.keys.is_empty() {
            out.push("the policy has no key".to_string());
        }
        if self.keys.len() > MAX_KEYS {
            out.push(format!(
                "the policy has {} keys, over SNS's {MAX_KEYS}",
                self.keys.len()
            ));
        }
        let combinations = self
            .keys
            .values()
            .map(Vec::len)
            .fold(1usize, |a, n| a.saturating_mul(n.max(1)));
        if combinations > MAX_COMBINATIONS {
            out.push(format!(
                "the policy's values combine {combinations} ways, over SNS's {MAX_COMBINATIONS}"
            ));
        }
        for (path, values) in &self.keys {
            let key = path.join(".");
            if path.iter().any(String::is_empty) {
                out.push(format!(
                    "the key `{}` has an empty name",
                    key.escape_debug()
                ));
            }
            if path.len() > 1 && self.scope == FilterPolicyScope::MessageAttributes {
                out.push(format!(
                    "the nested key `{}` applies to message attributes, which SNS does not nest (use `FilterPolicyScope::MessageBody`)",
                    key.escape_debug()
                ));
            }
            if self
                .keys
                .keys()
                .any(|other| other.len() > path.len() && other.starts_with(path))
            {
                out.push(format!(
                    "the key `{}` is both matched and nested into",
                    key.escape_debug()
                ));
            }
            if values.is_empty() {
                out.push(format!(
                    "the key `{}` has no value to match",
                    key.escape_debug()
                ));
            }
            for v in values {
                if v.numbers()
                    .iter()
                    .any(|n| !n.is_finite() || n.abs() > MAX_NUMBER)
                {
                    out.push(format!(
                        "a number of key `{}` is outside -1,000,000,000 to 1,000,000,000",
                        key.escape_debug()
                    ));
                }
                if let FilterMatch::Numeric(ops) = v
                    && !ops.is_empty()
                    && Cmp::matches_no_number(ops)
                {
                    out.push(format!(
                        "the numeric condition of key `{}` ({}) matches no number, so the subscription would receive nothing",
                        key.escape_debug(),
                        v.to_json()
                    ));
                }
                if let FilterMatch::Prefix(p)
                | FilterMatch::Suffix(p)
                | FilterMatch::AnythingButPrefix(p) = v
                    && p.is_empty()
                {
                    out.push(format!(
                        "a prefix or suffix of key `{}` is empty, so it matches every string (or, under `anything_but`, none)",
                        key.escape_debug()
                    ));
                }
                if matches!(v, FilterMatch::Numeric(ops) if ops.is_empty())
                    || matches!(v, FilterMatch::AnythingBut(list) if list.is_empty())
                {
                    out.push(format!(
                        "a condition of key `{}` has nothing to compare",
                        key.escape_debug()
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{FilterMatch, FilterPolicy, FilterPolicyScope, NumericOp};

    fn problems(m: FilterMatch) -> Vec<String> {
        FilterPolicy::new(FilterPolicyScope::MessageAttributes)
            .key("a", [m])
            .problems()
    }

    #[test]
    fn ranges_that_match_no_number_and_empty_prefixes_are_refused() {
        for m in [
            FilterMatch::between(5.0, 1.0),
            FilterMatch::between(1.0, 1.0),
            FilterMatch::Numeric(vec![(NumericOp::Gt, 1.0), (NumericOp::Le, 1.0)]),
            FilterMatch::Numeric(vec![(NumericOp::Eq, 1.0), (NumericOp::Eq, 2.0)]),
        ] {
            let p = problems(m.clone());
            assert!(
                p.iter().any(|p| p.contains("matches no number")),
                "{m:?}: {p:?}"
            );
        }
        for m in [
            FilterMatch::prefix(""),
            FilterMatch::suffix(""),
            FilterMatch::AnythingButPrefix(String::new()),
        ] {
            let p = problems(m.clone());
            assert!(p.iter().any(|p| p.contains("is empty")), "{m:?}: {p:?}");
        }
        for m in [
            FilterMatch::between(1.0, 5.0),
            FilterMatch::Numeric(vec![(NumericOp::Ge, 1.0), (NumericOp::Le, 1.0)]),
            FilterMatch::Numeric(vec![(NumericOp::Eq, 1.0)]),
            FilterMatch::Numeric(vec![(NumericOp::Gt, 0.0)]),
            FilterMatch::prefix("a"),
        ] {
            assert_eq!(problems(m.clone()), Vec::<String>::new(), "{m:?}");
        }
    }
}
