//! Conditions evaluated offline where their inputs are known: a resource whose `Condition`
//! is false does not exist in the stack, so giving an existing table a false condition is
//! its removal, not an attribute change.
//!
//! `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` are evaluated over operands in normal form
//! ([`super::evaluate`]: `Fn::FindInMap`, `Fn::Select`, `Fn::Split`, `Fn::Join`, `Fn::Sub`
//! over known values and parameters already resolved by [`super::parameters`]); a NoEcho
//! value that may change is not known. What cannot be known is `None`, and the caller
//! decides (a resource whose condition is unknown and may have changed may be removed).

use serde_json::{Map, Value};

use super::evaluate::{known, normalize};

/// Deep enough for any condition a person writes; deeper is unknown (and cycles end).
const MAX_DEPTH: usize = 16;

/// The value of condition `name` in `template`, `None` when it cannot be known offline.
pub fn evaluate(template: &Value, name: &str) -> Option<bool> {
    let conditions = with_mappings(template)?;
    named(&conditions, name, 0)
}

fn named(conditions: &Map<String, Value>, name: &str, depth: usize) -> Option<bool> {
    if depth > MAX_DEPTH {
        return None;
    }
    eval(conditions, conditions.get(name)?, depth + 1)
}

fn eval(conditions: &Map<String, Value>, v: &Value, depth: usize) -> Option<bool> {
    if depth > MAX_DEPTH {
        return None;
    }
    let m = v.as_object().filter(|m| m.len() == 1)?;
    let (k, arg) = m.iter().next()?;
    let list = || arg.as_array().map(Vec::as_slice).unwrap_or(&[]);
    match k.as_str() {
        "Condition" => named(conditions, arg.as_str()?, depth),
        "Fn::Not" => eval(conditions, list().first()?, depth + 1).map(|b| !b),
        "Fn::And" => all(conditions, list(), depth, true),
        "Fn::Or" => all(conditions, list(), depth, false),
        "Fn::Equals" => match list() {
            [a, b] => {
                let t = template(conditions);
                let (a, b) = (normalize(a, &t)?, normalize(b, &t)?);
                Some(known(&a)? == known(&b)?)
            }
            _ => None,
        },
        _ => None,
    }
}

/// `Fn::And` (`and == true`) or `Fn::Or`: decided by the known operands when they suffice.
fn all(conditions: &Map<String, Value>, items: &[Value], depth: usize, and: bool) -> Option<bool> {
    let mut unknown = false;
    for c in items {
        match eval(conditions, c, depth + 1) {
            Some(b) if b != and => return Some(b),
            Some(_) => {}
            None => unknown = true,
        }
    }
    (!unknown && !items.is_empty()).then_some(and)
}

/// The template the conditions evaluate in: their mappings. The conditions carry
/// `Mappings` along (see [`evaluate`]) so that `Fn::FindInMap` can be looked up.
fn template(conditions: &Map<String, Value>) -> Value {
    let mut t = Map::new();
    if let Some(m) = conditions.get(MAPPINGS) {
        t.insert("Mappings".into(), m.clone());
    }
    Value::Object(t)
}

/// The key under which [`evaluate`] hands the template's mappings to the evaluation (not a
/// valid condition name, so it never clashes with one).
const MAPPINGS: &str = "::Mappings";

/// Condition `name` of `template` with every `Condition` it reads inlined and its operands
/// in normal form: two sides whose expanded conditions are the same have the same value,
/// even when it is not known offline. `None` when it is missing or too deep.
pub fn expanded(template: &Value, name: &str) -> Option<Value> {
    let conditions = with_mappings(template)?;
    expand(&conditions, conditions.get(name)?, 0)
}

fn expand(conditions: &Map<String, Value>, v: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    match v {
        Value::Object(m) if m.len() == 1 => {
            let (k, arg) = m.iter().next()?;
            match (k.as_str(), arg) {
                ("Condition", Value::String(c)) => {
                    expand(conditions, conditions.get(c)?, depth + 1)
                }
                ("Fn::Equals", _) => {
                    let t = template(conditions);
                    normalize(v, &t).map(|n| with_maps(&n, &t))
                }
                _ => {
                    let mut o = Map::new();
                    o.insert(k.clone(), expand(conditions, arg, depth + 1)?);
                    Some(Value::Object(o))
                }
            }
        }
        Value::Array(a) => a
            .iter()
            .map(|x| expand(conditions, x, depth + 1))
            .collect::<Option<Vec<_>>>()
            .map(Value::Array),
        other => Some(other.clone()),
    }
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

/// The template's conditions, with its mappings under [`MAPPINGS`].
fn with_mappings(template: &Value) -> Option<Map<String, Value>> {
    let mut conditions = template
        .get("Conditions")
        .and_then(Value::as_object)?
        .clone();
    if let Some(m) = template.get("Mappings") {
        conditions.insert(MAPPINGS.into(), m.clone());
    }
    Some(conditions)
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
