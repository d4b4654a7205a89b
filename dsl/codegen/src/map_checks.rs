//! The checks a schema states about a map (an object whose keys the user chooses, such as
//! a map-shaped `Tags`): which keys it takes, and how many.
//!
//! JSON Schema's `patternProperties` gives the shape of the values under keys matching a
//! pattern; with `additionalProperties: false` a key matching no pattern is invalid. With
//! one pattern, that pattern is then a check on every key (`nephos::Check::KeyPattern`):
//! FIS's `ExperimentTemplate.Tags` takes keys matching `.{1,128}`, so not the empty key.

use serde_json::Value;

/// Key patterns every key matches (unanchored, or a class of every character): checking
/// them would cost a regex and refuse nothing.
const EVERY_KEY: &[&str] = &[".*", r"^[\s\S]*$", r"^[\S\s]*$"];

/// Whether `node` is a map: an object with `patternProperties` or an
/// `additionalProperties` schema, rather than fixed properties.
pub fn is_map(node: &Value) -> bool {
    let non_empty = |k: &str| {
        node.get(k)
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
    };
    !non_empty("properties")
        && (non_empty("patternProperties") || non_empty("additionalProperties"))
}

/// The pattern every key of `node` must match, if the schema states one: its only
/// `patternProperties` key, when `additionalProperties` is false.
pub fn key_pattern(node: &Value) -> Option<&str> {
    if node.get("additionalProperties") != Some(&Value::Bool(false)) {
        return None;
    }
    let patterns = node.get("patternProperties")?.as_object()?;
    match patterns.keys().collect::<Vec<_>>()[..] {
        [one] if !EVERY_KEY.contains(&one.as_str()) => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_closed_map_with_one_pattern_checks_its_keys() {
        let tags = json!({"type": "object", "additionalProperties": false,
            "patternProperties": {".{1,128}": {"type": "string", "maxLength": 256}}});
        assert!(is_map(&tags));
        assert_eq!(key_pattern(&tags), Some(".{1,128}"));
    }

    #[test]
    fn open_maps_several_patterns_and_every_key_check_nothing() {
        let open = json!({"type": "object", "patternProperties": {"^a$": {"type": "string"}}});
        let several = json!({"type": "object", "additionalProperties": false,
            "patternProperties": {"^a$": {"type": "string"}, "^b$": {"type": "integer"}}});
        let every = json!({"type": "object", "additionalProperties": false,
            "patternProperties": {".*": {"type": "string"}}});
        for node in [open, several, every] {
            assert_eq!(key_pattern(&node), None, "{node}");
        }
        // An object with its own properties is no map.
        assert!(!is_map(
            &json!({"type": "object", "properties": {"A": {"type": "string"}},
            "additionalProperties": {"type": "string"}})
        ));
    }
}
