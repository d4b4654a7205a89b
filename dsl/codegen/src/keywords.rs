//! Every keyword the vendored registry schemas use, and what the generator does with it:
//! checked at synth (and where), read for another purpose, or not checked and why.
//!
//! The test `every_keyword_in_the_bundle_is_checked_or_listed` walks every schema node of
//! the bundle (the resource schema, and through `properties`, `definitions`, `items`,
//! `prefixItems`, `patternProperties`, `additionalProperties`, `allOf`/`anyOf`/`oneOf`,
//! `not`, `if`/`then`/`else` and schema-valued `dependencies`) and fails on a keyword not
//! listed here, so a schema refresh that brings a new keyword cannot be skipped in silence.

/// `(keyword, what happens to it)`. Keywords of schema nodes, the JSON Schema ones and
/// the registry's and cfn-lint's extensions.
pub const NODE_KEYWORDS: &[(&str, &str)] = &[
    ("$ref", "followed: the definition's keywords apply (build)"),
    (
        "additionalProperties",
        "`false` closes an object (typed fields); a schema types a map's values (build, map_checks)",
    ),
    (
        "allOf",
        "unconditional items checked, the rest listed with reasons (all_of::DECIDED)",
    ),
    (
        "anyOf",
        "required sets: combinations (AnyOf); formats: union kinds (unions)",
    ),
    (
        "const",
        "checked: an enum of one value, string or number (build::checks)",
    ),
    ("definitions", "followed through `$ref`"),
    (
        "dependencies",
        "property lists checked: combinations (Dependent)",
    ),
    ("dependentExcluded", "checked: combinations (Excluded)"),
    ("dependentRequired", "checked: combinations (Dependent)"),
    (
        "enum",
        "checked: typed enums and OneOf for strings, OneOfNumbers for numbers (build::checks)",
    ),
    ("exclusiveMaximum", "checked (build::checks)"),
    (
        "format",
        "checked: typed kinds and string formats (string_formats)",
    ),
    (
        "if",
        "not checked: the conditional allOf items are listed in all_of::DECIDED; Backup's \
         `LifecycleResourceType` has an `if` with no `then` or `else`, which holds for any value",
    ),
    (
        "insertionOrder",
        "not a constraint: whether list order matters when comparing deployed values",
    ),
    ("items", "followed: the item schema's keywords apply at `*`"),
    ("maxItems", "checked (build::checks)"),
    ("maxLength", "checked (build::checks)"),
    (
        "maxProperties",
        "checked: map entries or set properties (object_counts)",
    ),
    (
        "maxUniqueItems",
        "not checked: cfn-lint's extension on CloudWatch `Alarm` action lists (at most 5 \
         distinct items); no synth check counts distinct items yet",
    ),
    ("maximum", "checked (build::checks)"),
    ("minItems", "checked (build::checks)"),
    ("minLength", "checked (build::checks)"),
    (
        "minProperties",
        "checked: map entries or set properties (object_counts)",
    ),
    ("minimum", "checked (build::checks)"),
    ("multipleOf", "checked (build::checks)"),
    (
        "not",
        "`not: {enum}` checked as NoneOf; `not: {required}` only inside a listed allOf",
    ),
    (
        "oneOf",
        "required sets: combinations (OneOf); formats: union kinds (unions)",
    ),
    ("pattern", "checked (build::checks, check::ecma)"),
    (
        "patternProperties",
        "a map: its one key pattern checked (map_checks)",
    ),
    (
        "prefixItems",
        "checked: constraints at the item's index (build::checks)",
    ),
    ("properties", "typed fields; followed"),
    (
        "required",
        "checked: constructor arguments and synth presence",
    ),
    (
        "requiredOr",
        "checked: combinations (AnyOf of single properties)",
    ),
    ("requiredXor", "checked: combinations (Xor)"),
    (
        "then",
        "not checked: only in the conditional allOf items listed in all_of::DECIDED",
    ),
    ("type", "the Rust type of the value"),
    (
        "uniqueItems",
        "`true` on a list checked: UniqueItems (synth::unique)",
    ),
    (
        "uniqueKeys",
        "not checked: cfn-lint's extension (items unique by these keys: DynamoDB \
         `AttributeName`, CodePipeline and ECS `Name`); synth compares whole items only",
    ),
];

/// Keywords of the resource schema itself that describe the resource, not a value.
pub const RESOURCE_KEYWORDS: &[(&str, &str)] = &[
    ("additionalIdentifiers", "identity facts"),
    (
        "conditionalCreateOnlyProperties",
        "replacement facts (replacement)",
    ),
    ("createOnlyProperties", "replacement facts (replacement)"),
    ("deprecatedProperties", "deprecated fields"),
    ("primaryIdentifier", "identity facts (identity_properties)"),
    ("readOnlyProperties", "attributes, not settable (read_only)"),
    ("tagging", "tag facts"),
    ("typeName", "the resource type"),
    ("writeOnlyProperties", "not returned by the service (facts)"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// The keywords of the schema node `v` and of every schema node under it.
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        let Some(map) = v.as_object() else {
            return;
        };
        out.extend(map.keys().cloned());
        for key in ["properties", "definitions", "patternProperties"] {
            if let Some(subs) = map.get(key).and_then(Value::as_object) {
                subs.values().for_each(|s| walk(s, out));
            }
        }
        for key in ["items", "not", "if", "then", "else", "additionalProperties"] {
            if let Some(sub) = map.get(key).filter(|s| s.is_object()) {
                walk(sub, out);
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(subs) = map.get(key).and_then(Value::as_array) {
                subs.iter().for_each(|s| walk(s, out));
            }
        }
        if let Some(deps) = map.get("dependencies").and_then(Value::as_object) {
            deps.values().for_each(|s| walk(s, out));
        }
    }

    #[test]
    fn every_keyword_in_the_bundle_is_checked_or_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let (mut resource, mut node) = (BTreeSet::new(), BTreeSet::new());
        for entry in std::fs::read_dir(&dir).expect("the schema bundle") {
            let path = entry.expect("a bundle entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a schema file");
            let bundle: Value = serde_json::from_str(&text).expect("schema JSON");
            for schema in bundle.as_object().into_iter().flat_map(|m| m.values()) {
                let Some(map) = schema.as_object() else {
                    continue;
                };
                let listed_as_resource = |k: &String| RESOURCE_KEYWORDS.iter().any(|(r, _)| r == k);
                resource.extend(map.keys().filter(|k| listed_as_resource(k)).cloned());
                let value: serde_json::Map<String, Value> = map
                    .iter()
                    .filter(|(k, _)| !listed_as_resource(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                walk(&Value::Object(value), &mut node);
            }
        }
        let listed: BTreeSet<String> = NODE_KEYWORDS.iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(
            node, listed,
            "a schema keyword is neither checked nor listed, or a listed one is gone"
        );
        let listed: BTreeSet<String> = RESOURCE_KEYWORDS
            .iter()
            .map(|(k, _)| k.to_string())
            .collect();
        assert_eq!(resource, listed, "a resource keyword is gone");
    }
}
