//! Conditions evaluated offline where their inputs are known: a resource whose `Condition`
//! is false does not exist in the stack, so giving an existing table a false condition is
//! its removal, not an attribute change.
//!
//! Only literals (and parameters already resolved by [`super::parameters`]) are evaluated;
//! anything else is unknown, and a resource with an unknown condition is taken to exist,
//! as the deployed one does.

use serde_json::{Map, Value};

/// Deep enough for any condition a person writes; deeper is unknown (and cycles end).
const MAX_DEPTH: usize = 16;

/// The value of condition `name` in `template`, `None` when it cannot be known offline.
pub fn evaluate(template: &Value, name: &str) -> Option<bool> {
    let conditions = template.get("Conditions").and_then(Value::as_object)?;
    named(conditions, name, 0)
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
            [a, b] => Some(literal(a)? == literal(b)?),
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

/// A scalar's text as CloudFormation compares it in `Fn::Equals`.
fn literal(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
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
}
