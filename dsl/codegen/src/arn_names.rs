//! The ARN-name rule: a string property (or list of strings) whose NAME says it holds ARNs
//! (`DeadLetterTargetArn`, `NotificationARNs`: [`names_arn`]) takes
//! `nephos::kind::AnyArn` when nothing else types it.
//!
//! The registry gives most such properties a kind already (a `format`, the supplement, the
//! corrections table, the same-name rule, an ARN-only `pattern`: `crate::any_arn`); the rest
//! stayed plain strings, so an SQS queue's redrive policy took the dead-letter queue's URL
//! (its `Ref`) and the deploy failed. The name is a good signal but not proof: a property
//! that also takes a name, an ID, an alias or the empty text (X-Ray's `RuleARN`: "a rule by
//! either name or ARN") is a reviewed exclusion in [`EXCLUSIONS_FILE`], each entry naming
//! the property by its JSON pointer into the type's schema and saying what else it takes.
//! The listing the exclusions were reviewed from is `dsl/codegen/scripts/arn_named_strings.py`
//! (its `--check`, a step of `scripts/test.sh`, fails on a candidate left untyped).
//!
//! The rule runs last, after the ARN-pattern rule (`build::build_with`), so every other
//! source of a kind keeps precedence; an exclusion that holds back nothing (the schema
//! changed, another rule types the property now) or names no property stops the generator.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

/// The reviewed exclusions, relative to the workspace root.
pub const EXCLUSIONS_FILE: &str = "dsl/codegen/data/arn_named_exclusions.json";

/// The key [`mark`] writes into an excluded property's schema node, with the exclusion's
/// pointer as its value: the field builder leaves such a property a plain string and
/// records the pointer as used.
pub const HELD_KEY: &str = "x-nephos-arn-name-excluded";

/// Whether a property name says it holds one ARN or several: it ends in `Arn`, `ARN` or
/// `arn`, optionally plural (`(Arn|ARN|arn)s?$`).
pub fn names_arn(name: &str) -> bool {
    let name = name.strip_suffix('s').unwrap_or(name);
    name.ends_with("Arn") || name.ends_with("ARN") || name.ends_with("arn")
}

/// One reviewed exclusion: the property at `pointer` takes more than one plain ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exclusion {
    /// JSON pointer to the property in the type's schema
    /// (`/definitions/Provider/properties/KeyArn`, `.../oneOf/1/properties/...`).
    pub pointer: String,
    /// What else it takes (`name`, `alias`, `model ID`, `empty`).
    pub admits: String,
}

/// Loads the `exclusions` list of [`EXCLUSIONS_FILE`] below `root`, by type name.
///
/// # Errors
/// The file cannot be read or parsed, or an entry lacks `type`, `pointer`, `admits` or
/// `reason`, or names a property whose name does not say ARN.
pub fn load(root: &Path) -> Result<BTreeMap<String, Vec<Exclusion>>, String> {
    let path = root.join(EXCLUSIONS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the exclusions (see [`load`]).
///
/// # Errors
/// As [`load`], less the file access.
pub fn parse(text: &str) -> Result<BTreeMap<String, Vec<Exclusion>>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let entries = v
        .get("exclusions")
        .and_then(Value::as_array)
        .ok_or("no `exclusions` list")?;
    let mut out: BTreeMap<String, Vec<Exclusion>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let field = |name: &str| {
            e.get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| format!("exclusion {i}: no `{name}`"))
        };
        let (type_name, pointer, admits) = (field("type")?, field("pointer")?, field("admits")?);
        field("reason")?;
        let name = pointer.rsplit('/').next().unwrap_or("");
        if !names_arn(name) {
            return Err(format!(
                "exclusion {i} ({type_name} {pointer}): `{name}` is no ARN-named property"
            ));
        }
        out.entry(type_name)
            .or_default()
            .push(Exclusion { pointer, admits });
    }
    Ok(out)
}

/// Every type the exclusions name is one of `schemas`.
///
/// # Errors
/// An exclusion names a type the vendored schemas lack.
pub fn check_types(
    schemas: &BTreeMap<String, Value>,
    exclusions: &BTreeMap<String, Vec<Exclusion>>,
) -> Result<(), String> {
    match exclusions.keys().find(|t| !schemas.contains_key(*t)) {
        Some(t) => Err(format!(
            "{EXCLUSIONS_FILE}: `{t}` is no type of the vendored schemas (review the exclusion)"
        )),
        None => Ok(()),
    }
}

/// `schema` with each exclusion's property marked ([`HELD_KEY`]).
///
/// # Errors
/// A pointer that resolves to no property (the last step is no member of a `properties`
/// object, or the schema has nothing there): the schema changed under the exclusion.
pub fn mark(type_name: &str, mut schema: Value, exclusions: &[Exclusion]) -> Result<Value, String> {
    for e in exclusions {
        let in_properties = e
            .pointer
            .rsplit('/')
            .nth(1)
            .is_some_and(|p| p == "properties");
        let node = schema
            .pointer_mut(&e.pointer)
            .and_then(Value::as_object_mut)
            .filter(|_| in_properties)
            .ok_or_else(|| {
                format!(
                    "{type_name}: the exclusion at {} names no property (the schema changed: \
                     review {EXCLUSIONS_FILE})",
                    e.pointer
                )
            })?;
        node.insert(HELD_KEY.into(), json!(e.pointer));
    }
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_say_arn() {
        for yes in [
            "Arn",
            "RoleArn",
            "TopicARN",
            "NotificationARNs",
            "SubnetArns",
            "deadLetterTargetArn",
            "arn",
        ] {
            assert!(names_arn(yes), "{yes}");
        }
        for no in ["Learning", "Barnes", "ArnPrefix", "Name", "Arnss", "ARNS"] {
            assert!(!names_arn(no), "{no}");
        }
    }

    #[test]
    fn entries_need_a_reason_and_an_arn_name() {
        let entry = |pointer: &str, reason: &str| {
            format!(
                r#"{{"exclusions": [{{"type": "T", "pointer": "{pointer}", "admits": "name",
                "reason": "{reason}"}}]}}"#
            )
        };
        let ok = parse(&entry("/definitions/D/properties/RuleARN", "name or ARN")).unwrap();
        assert_eq!(ok["T"][0].pointer, "/definitions/D/properties/RuleARN");
        assert_eq!(ok["T"][0].admits, "name");
        assert!(parse(&entry("/definitions/D/properties/RuleARN", "")).is_err());
        assert!(parse(&entry("/definitions/D/properties/RuleName", "x")).is_err());
        assert!(parse(r#"{"other": []}"#).is_err());
    }

    #[test]
    fn marks_follow_pointers_into_alternatives_and_stop_at_a_missing_property() {
        let schema = json!({"definitions": {"S": {"oneOf": [
            {"properties": {"A": {"type": "string"}}},
            {"properties": {"AcmPcaArn": {"type": "string"}}}]}}});
        let one = |pointer: &str| Exclusion {
            pointer: pointer.into(),
            admits: "empty".into(),
        };
        let p = "/definitions/S/oneOf/1/properties/AcmPcaArn";
        let out = mark("T", schema.clone(), &[one(p)]).unwrap();
        assert_eq!(out.pointer(p).unwrap()[HELD_KEY], json!(p));
        for gone in [
            "/definitions/S/oneOf/2/properties/AcmPcaArn",
            "/definitions/S/oneOf/1/properties/OtherArn",
            // A definition, not a property.
            "/definitions/S",
        ] {
            let err = mark("T", schema.clone(), &[one(gone)]).unwrap_err();
            assert!(err.contains(gone) && err.contains("review"), "{err}");
        }
    }

    #[test]
    fn an_exclusion_of_an_unknown_type_stops_the_generator() {
        let schemas: BTreeMap<String, Value> = [("AWS::A::B".to_string(), json!({}))].into();
        let mut ex = BTreeMap::new();
        ex.insert("AWS::A::B".to_string(), Vec::new());
        assert!(check_types(&schemas, &ex).is_ok());
        ex.insert("AWS::A::Gone".to_string(), Vec::new());
        assert!(
            check_types(&schemas, &ex)
                .unwrap_err()
                .contains("AWS::A::Gone")
        );
    }
}
