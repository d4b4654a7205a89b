//! Required combinations the registry schemas state beside `required`: a `oneOf` or
//! `anyOf` whose alternatives are only `required` sets, `requiredXor` (a registry
//! extension: one of these properties), `requiredOr` (cfn-lint's: at least one of them),
//! `dependentRequired` / `dependencies` with
//! property lists (setting one property requires others), and `dependentExcluded` (a
//! cfn-lint extension: setting one property forbids others). A `oneOf` and a
//! `requiredXor` are exclusive too: exactly one alternative may be set ([`is_exclusive`]). They are read at the schema's
//! root and in every definition reachable from a top-level property, and emitted with
//! the property path that leads to the object they constrain (`*` is a list's items), so
//! synth (`dsl/src/synth/combinations.rs`) can refuse a resource that misses one.

use std::collections::BTreeSet;

use serde_json::Value;

/// How deep definitions are followed from a top-level property (registry schemas nest
/// far less; the bound keeps a recursive definition from looping).
const MAX_DEPTH: usize = 8;

/// One rule: the path to the object it applies to, its kind and its property sets.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Combination {
    /// Property names (and `*` for list items) from the resource's `Properties`.
    pub path: Vec<String>,
    /// `OneOf`, `AnyOf`, `Xor`, `Dependent` or `Excluded` (the dsl's `Rule` variants).
    pub rule: &'static str,
    /// The sets: for `Dependent` and `Excluded`, the first set is the one property that
    /// triggers it.
    pub sets: Vec<Vec<String>>,
}

/// Every combination of one type's schema, sorted and without duplicates.
pub fn of(schema: &Value) -> Vec<Combination> {
    let mut out = BTreeSet::new();
    let mut path = Vec::new();
    let mut stack = Vec::new();
    walk(schema, schema, &mut path, &mut stack, &mut out);
    out.into_iter().collect()
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// The rules stated on one object schema.
fn rules(node: &Value, path: &[String], out: &mut BTreeSet<Combination>) {
    for (key, rule) in [("oneOf", "OneOf"), ("anyOf", "AnyOf")] {
        let Some(alts) = node.get(key).and_then(Value::as_array) else {
            continue;
        };
        // Only alternatives that state presence alone: others (types, nested schemas,
        // `{}`) state more and are left to the service.
        let sets: Option<Vec<Vec<String>>> = alts.iter().map(presence_set).collect();
        if let Some(sets) = sets.filter(|s| !s.is_empty()) {
            out.insert(Combination {
                path: path.to_vec(),
                rule,
                sets,
            });
        }
    }
    if let Some(names) = node.get("requiredXor").and_then(strings)
        && !names.is_empty()
    {
        out.insert(Combination {
            path: path.to_vec(),
            rule: "Xor",
            sets: names.into_iter().map(|n| vec![n]).collect(),
        });
    }
    // cfn-lint's extension: at least one of these properties (EC2 `Subnet`'s address
    // sources, EventBridge `Rule`'s pattern or schedule): an `anyOf` of single names.
    if let Some(names) = node.get("requiredOr").and_then(strings)
        && !names.is_empty()
    {
        out.insert(Combination {
            path: path.to_vec(),
            rule: "AnyOf",
            sets: names.into_iter().map(|n| vec![n]).collect(),
        });
    }
    // cfn-lint's extension (patched into the vendored schemas): when the key is set,
    // none of the listed properties may be.
    if let Some(map) = node.get("dependentExcluded").and_then(Value::as_object) {
        for (trigger, excluded) in map {
            if let Some(excluded) = strings(excluded).filter(|n| !n.is_empty()) {
                out.insert(Combination {
                    path: path.to_vec(),
                    rule: "Excluded",
                    sets: vec![vec![trigger.clone()], excluded],
                });
            }
        }
    }
    for key in ["dependentRequired", "dependencies"] {
        let Some(map) = node.get(key).and_then(Value::as_object) else {
            continue;
        };
        for (trigger, needs) in map {
            // `dependencies` may hold a schema instead of a list: not a presence rule.
            if let Some(needs) = strings(needs).filter(|n| !n.is_empty()) {
                out.insert(Combination {
                    path: path.to_vec(),
                    rule: "Dependent",
                    sets: vec![vec![trigger.clone()], needs],
                });
            }
        }
    }
}

/// The property set of one `oneOf`/`anyOf` alternative when presence alone decides
/// whether it holds: a bare `required` set, or one that also closes the object to exactly
/// those properties (`"additionalProperties": false` with `properties` naming only required
/// ones, optionally `"type": "object"`): the registry's way of writing "exactly one of
/// these members" (S3 `TargetObjectKeyFormat`). Either way an object holding two
/// alternatives' sets in full breaks a `oneOf`, and one holding none breaks both rules.
fn presence_set(alt: &Value) -> Option<Vec<String>> {
    let o = alt.as_object()?;
    let required = strings(o.get("required")?).filter(|s| !s.is_empty())?;
    if o.len() == 1 {
        return Some(required);
    }
    let closed = o.get("additionalProperties") == Some(&Value::Bool(false));
    let only_required = o
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| p.keys().all(|k| required.contains(k)));
    let known = o.iter().all(|(k, v)| match k.as_str() {
        "required" | "additionalProperties" | "properties" => true,
        "type" => v == "object",
        _ => false,
    });
    (closed && only_required && known).then_some(required)
}

/// Whether a rule forbids setting some of its properties together: a `oneOf` or
/// `requiredXor` of two or more sets (exactly one holds), or `dependentExcluded`.
pub fn is_exclusive(c: &Combination) -> bool {
    match c.rule {
        "OneOf" | "Xor" => c.sets.len() > 1,
        "Excluded" => true,
        _ => false,
    }
}

/// The definition a `$ref` names, with its name.
fn deref<'a>(root: &'a Value, v: &'a Value) -> (Option<&'a str>, &'a Value) {
    match v
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        Some(name) => (
            Some(name),
            root.get("definitions")
                .and_then(|d| d.get(name))
                .unwrap_or(&Value::Null),
        ),
        None => (None, v),
    }
}

fn walk(
    root: &Value,
    node: &Value,
    path: &mut Vec<String>,
    stack: &mut Vec<String>,
    out: &mut BTreeSet<Combination>,
) {
    rules(node, path, out);
    if path.len() >= MAX_DEPTH {
        return;
    }
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, prop) in props {
        path.push(name.clone());
        let (mut def, mut target) = deref(root, prop);
        if target.get("type").and_then(Value::as_str) == Some("array")
            && let Some(items) = target.get("items")
        {
            path.push("*".to_string());
            (def, target) = deref(root, items);
        }
        if let Some(def) = def {
            if !stack.iter().any(|d| d == def) {
                stack.push(def.to_string());
                walk(root, target, path, stack, out);
                stack.pop();
            }
        } else if target.get("properties").is_some() {
            walk(root, target, path, stack, out);
        }
        if path.last().is_some_and(|p| p == "*") {
            path.pop();
        }
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// cfn-lint's `requiredOr` (EventBridge `Rule`: a pattern or a schedule) is an `anyOf`
    /// of single properties.
    #[test]
    fn required_or_is_any_of_single_properties() {
        let schema = serde_json::json!({
            "requiredOr": ["EventPattern", "ScheduleExpression"],
            "properties": {"EventPattern": {"type": "object"}, "ScheduleExpression": {"type": "string"}}
        });
        let s = |v: &str| vec![v.to_string()];
        assert_eq!(
            of(&schema),
            vec![Combination {
                path: vec![],
                rule: "AnyOf",
                sets: vec![s("EventPattern"), s("ScheduleExpression")],
            }]
        );
    }

    /// Root `oneOf`, a definition's `requiredXor` under a list and `dependentRequired`.
    #[test]
    fn reads_rules_at_the_root_and_in_definitions() {
        let schema = serde_json::json!({
            "oneOf": [{"required": ["A"]}, {"required": ["B"]}],
            "anyOf": [{"required": ["A"]}, {"type": "object"}],
            "dependentRequired": {"C": ["D"]},
            "properties": {
                "Rules": {"type": "array", "items": {"$ref": "#/definitions/Rule"}},
                "Self": {"$ref": "#/definitions/Loop"}
            },
            "definitions": {
                "Rule": {"requiredXor": ["X", "Y"], "properties": {"X": {"type": "string"}}},
                "Loop": {"requiredXor": ["Z"], "properties": {"Again": {"$ref": "#/definitions/Loop"}}}
            }
        });
        let got = of(&schema);
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(got.contains(&Combination {
            path: vec![],
            rule: "OneOf",
            sets: vec![s(&["A"]), s(&["B"])]
        }));
        assert!(got.contains(&Combination {
            path: s(&["Rules", "*"]),
            rule: "Xor",
            sets: vec![s(&["X"]), s(&["Y"])]
        }));
        assert!(got.contains(&Combination {
            path: vec![],
            rule: "Dependent",
            sets: vec![s(&["C"]), s(&["D"])]
        }));
        // The anyOf with a non-`required` alternative is not a presence rule.
        assert!(!got.iter().any(|c| c.rule == "AnyOf"));
        // The recursive definition is read once, not followed forever.
        assert_eq!(got.iter().filter(|c| c.sets == vec![s(&["Z"])]).count(), 1);
    }

    /// A `oneOf` of closed single-member shapes (S3 `TargetObjectKeyFormat`) is a presence
    /// rule; one whose alternative admits more than its required set, or adds a type
    /// constraint, is not.
    #[test]
    fn closed_alternatives_are_presence_rules_and_open_ones_are_not() {
        let closed = serde_json::json!({"oneOf": [
            {"additionalProperties": false, "properties": {"A": {}}, "required": ["A"], "type": "object"},
            {"additionalProperties": false, "properties": {"B": {}}, "required": ["B"]}
        ]});
        assert_eq!(of(&closed).len(), 1);
        assert!(is_exclusive(&of(&closed)[0]));
        let wider = serde_json::json!({"oneOf": [
            {"additionalProperties": false, "properties": {"A": {}, "B": {}}, "required": ["A"]},
            {"required": ["B"]}
        ]});
        assert!(of(&wider).is_empty());
        let typed = serde_json::json!({"oneOf": [
            {"required": ["A"], "type": "string"},
            {"required": ["B"]}
        ]});
        assert!(of(&typed).is_empty());
    }

    /// `dependentExcluded` becomes one `Excluded` rule per trigger; a one-set `oneOf` is not
    /// exclusive, `anyOf` never is.
    #[test]
    fn excluded_properties_and_which_rules_exclude() {
        let schema = serde_json::json!({
            "dependentExcluded": {"Threshold": ["ThresholdMetricId"]},
            "oneOf": [{"required": ["Only"]}],
            "anyOf": [{"required": ["A"]}, {"required": ["B"]}]
        });
        let got = of(&schema);
        let excluded = got
            .iter()
            .find(|c| c.rule == "Excluded")
            .expect("an Excluded rule");
        assert_eq!(
            excluded.sets,
            vec![
                vec!["Threshold".to_string()],
                vec!["ThresholdMetricId".to_string()]
            ]
        );
        assert!(is_exclusive(excluded));
        assert!(
            !got.iter()
                .filter(|c| c.rule != "Excluded")
                .any(is_exclusive)
        );
    }
}
