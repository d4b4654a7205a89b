//! Conditions evaluated offline where their inputs are known: a resource whose `Condition`
//! is false does not exist in the stack, so giving an existing table a false condition is
//! its removal, not an attribute change.
//!
//! `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` are evaluated over operands in normal form
//! ([`super::evaluate`]: `Fn::FindInMap`, `Fn::Select`, `Fn::Split`, `Fn::Join`, `Fn::Sub`
//! over known values and parameters already resolved by [`super::parameters`]); a NoEcho
//! value that may change is not known. What cannot be known is `None`, and the caller
//! decides (a resource whose condition is unknown and may have changed may be removed).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::evaluate::{known, normalize};

/// Deep enough for any condition a person writes; deeper is unknown (and cycles end).
const MAX_DEPTH: usize = 16;

/// The most nodes an expansion ([`expanded`]) produces. Inlining a condition that names
/// another twice, nested, doubles at each level; past this bound the expansion is `None`,
/// which its callers take as "may differ".
const MAX_EXPANDED: usize = 100_000;

/// One evaluation over a template's conditions: each named condition is evaluated once
/// (memoised), so conditions naming each other many times cost their number, not the
/// number of paths through them.
struct Ctx<'a> {
    conditions: &'a Map<String, Value>,
    /// What the operands evaluate in: the template's mappings only (no conditions, so an
    /// operand never starts another evaluation of them).
    scope: Value,
    memo: RefCell<BTreeMap<String, Option<bool>>>,
    left: Cell<usize>,
}

impl<'a> Ctx<'a> {
    fn of(template: &'a Value) -> Option<Self> {
        let conditions = template.get("Conditions").and_then(Value::as_object)?;
        let mut scope = Map::new();
        if let Some(m) = template.get("Mappings") {
            scope.insert("Mappings".into(), m.clone());
        }
        Some(Self {
            conditions,
            scope: Value::Object(scope),
            memo: RefCell::new(BTreeMap::new()),
            left: Cell::new(MAX_EXPANDED),
        })
    }

    fn named(&self, name: &str, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(done) = self.memo.borrow().get(name) {
            return *done;
        }
        // A cycle back to `name` meets this entry: unknown.
        self.memo.borrow_mut().insert(name.to_owned(), None);
        let value = self.eval(self.conditions.get(name)?, depth + 1);
        self.memo.borrow_mut().insert(name.to_owned(), value);
        value
    }

    fn eval(&self, v: &Value, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let m = v.as_object().filter(|m| m.len() == 1)?;
        let (k, arg) = m.iter().next()?;
        let list = || arg.as_array().map(Vec::as_slice).unwrap_or(&[]);
        match k.as_str() {
            "Condition" => self.named(arg.as_str()?, depth),
            "Fn::Not" => self.eval(list().first()?, depth + 1).map(|b| !b),
            "Fn::And" => self.all(list(), depth, true),
            "Fn::Or" => self.all(list(), depth, false),
            "Fn::Equals" => match list() {
                [a, b] => {
                    let (a, b) = (normalize(a, &self.scope)?, normalize(b, &self.scope)?);
                    Some(known(&a)? == known(&b)?)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// `Fn::And` (`and == true`) or `Fn::Or`: decided by the known operands when they
    /// suffice.
    fn all(&self, items: &[Value], depth: usize, and: bool) -> Option<bool> {
        let mut unknown = false;
        for c in items {
            match self.eval(c, depth + 1) {
                Some(b) if b != and => return Some(b),
                Some(_) => {}
                None => unknown = true,
            }
        }
        (!unknown && !items.is_empty()).then_some(and)
    }

    fn expand(&self, v: &Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.left.set(self.left.get().checked_sub(1)?);
        match v {
            Value::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next()?;
                match (k.as_str(), arg) {
                    ("Condition", Value::String(c)) => {
                        self.expand(self.conditions.get(c)?, depth + 1)
                    }
                    ("Fn::Equals", _) => {
                        normalize(v, &self.scope).map(|n| with_maps(&n, &self.scope))
                    }
                    _ => {
                        let mut o = Map::new();
                        o.insert(k.clone(), self.expand(arg, depth + 1)?);
                        Some(Value::Object(o))
                    }
                }
            }
            Value::Array(a) => a
                .iter()
                .map(|x| self.expand(x, depth + 1))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            other => Some(other.clone()),
        }
    }
}

/// The value of condition `name` in `template`, `None` when it cannot be known offline.
pub fn evaluate(template: &Value, name: &str) -> Option<bool> {
    Ctx::of(template)?.named(name, 0)
}

/// Condition `name` of `template` with every `Condition` it reads inlined and its operands
/// in normal form: two sides whose expanded conditions are the same have the same value,
/// even when it is not known offline. `None` when it is missing, too deep or too large
/// ([`MAX_EXPANDED`] nodes).
pub fn expanded(template: &Value, name: &str) -> Option<Value> {
    let ctx = Ctx::of(template)?;
    ctx.expand(ctx.conditions.get(name)?, 0)
}

/// `v` with the map of each `Fn::FindInMap` left unevaluated spelled out, so that a
/// changed mapping makes two expansions differ.
fn with_maps(v: &Value, t: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = match (k.as_str(), x) {
                        ("Fn::FindInMap", Value::Array(a)) if !a.is_empty() => {
                            let mut a = a.clone();
                            let map = a[0].as_str().and_then(|n| t.get("Mappings")?.get(n));
                            if let Some(map) = map {
                                a[0] = map.clone();
                            }
                            Value::Array(a)
                        }
                        _ => with_maps(x, t),
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| with_maps(x, t)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literal_conditions_are_known_and_the_rest_is_not() {
        let t = json!({"Conditions": {
            "Never": {"Fn::Equals": ["a", "b"]},
            "Always": {"Fn::Not": [{"Condition": "Never"}]},
            "Both": {"Fn::And": [{"Condition": "Always"}, {"Fn::Equals": [1, "1"]}]},
            "Either": {"Fn::Or": [{"Condition": "Always"}, {"Fn::Equals": [{"Ref": "Env"}, "prod"]}]},
            "Unknown": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "Loop": {"Condition": "Loop"}
        }});
        assert_eq!(evaluate(&t, "Never"), Some(false));
        assert_eq!(evaluate(&t, "Always"), Some(true));
        assert_eq!(evaluate(&t, "Both"), Some(true));
        assert_eq!(evaluate(&t, "Either"), Some(true));
        assert_eq!(evaluate(&t, "Unknown"), None);
        assert_eq!(evaluate(&t, "Loop"), None);
        assert_eq!(evaluate(&t, "Missing"), None);
    }

    #[test]
    fn find_in_map_select_split_and_join_are_evaluated_in_conditions() {
        let t = json!({
            "Mappings": {"M": {"dev": {"keep": "yes"}, "prod": {"keep": "no"}}},
            "Conditions": {
                "Map": {"Fn::Equals": [{"Fn::FindInMap": ["M", "prod", "keep"]}, "yes"]},
                "Sel": {"Fn::Equals": [{"Fn::Select": [0, ["z", "b"]]}, "z"]},
                "Split": {"Fn::Equals": [{"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]}, "b"]},
                "Join": {"Fn::Equals": [{"Fn::Join": ["-", ["a", "b"]]}, "a-b"]},
                "Masked": {"Fn::Equals": ["(NoEcho Secret: new value)", "s3cr3t"]},
                "Open": {"Fn::Equals": [{"Fn::FindInMap": ["M", {"Ref": "Env"}, "keep"]}, "yes"]}
            }
        });
        assert_eq!(evaluate(&t, "Map"), Some(false));
        assert_eq!(evaluate(&t, "Sel"), Some(true));
        assert_eq!(evaluate(&t, "Split"), Some(true));
        assert_eq!(evaluate(&t, "Join"), Some(true));
        assert_eq!(evaluate(&t, "Masked"), None, "a NoEcho value is not known");
        assert_eq!(evaluate(&t, "Open"), None);
        // Expanded, an unknown condition compares by its inputs.
        let mut other = t.clone();
        other["Mappings"]["M"]["dev"]["keep"] = json!("no");
        assert_ne!(expanded(&t, "Open"), expanded(&other, "Open"));
        assert_eq!(expanded(&t, "Open"), expanded(&t.clone(), "Open"));
        assert_ne!(expanded(&t, "Masked"), expanded(&t, "Sel"));
    }
}
