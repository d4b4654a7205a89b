//! How many of an object's fixed properties may be set: `minProperties`/`maxProperties`
//! on an object with `properties` (a generated struct), as opposed to a map's entries
//! ([`crate::map_checks`]).
//!
//! The vendored schemas state it where an object is a choice of one (CloudWatch Logs'
//! transformer `Processor`: exactly one of 23 processors per item; Ground Station's
//! `ConfigData`: exactly one config kind), of at least one (MGN's `PostLaunchActions`), or
//! of at least two (S3 Storage Lens groups' `And`/`Or`: a conjunction of at least two
//! filters). The bound may sit beside a `$ref` to the object's definition (Security Hub's
//! `Insight.Filters`: at most 10 of the filters), so the bound and the object's shape are
//! read from two nodes.
//!
//! Not read: a bound on one alternative of a `oneOf` (CloudFormation hooks'
//! `TargetFilters`), which the generated type merges with the others, so the bound would
//! refuse the other alternative's objects.

use serde_json::Value;

use crate::model::CheckSpec;

/// The set-count checks `bounds` states about the object `shape` describes (`shape` is
/// `bounds` itself, or the definition its `$ref` names): none when `shape` has no fixed
/// properties, or the bound refuses nothing (`minProperties: 0`, a `maxProperties` of at
/// least the number of properties).
pub fn checks(bounds: &Value, shape: &Value) -> Vec<CheckSpec> {
    let Some(properties) = shape
        .get("properties")
        .and_then(Value::as_object)
        .filter(|p| !p.is_empty())
    else {
        return Vec::new();
    };
    let names: Vec<String> = properties.keys().cloned().collect();
    let bound = |k: &str| bounds.get(k).and_then(Value::as_u64);
    let mut out = Vec::new();
    if let Some(n) = bound("minProperties").filter(|n| *n > 0) {
        out.push(CheckSpec::MinSet(n, names.clone()));
    }
    if let Some(n) = bound("maxProperties").filter(|n| *n < names.len() as u64) {
        out.push(CheckSpec::MaxSet(n, names));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn processor() -> Value {
        json!({"type": "object", "additionalProperties": false,
            "minProperties": 1, "maxProperties": 1,
            "properties": {"Csv": {"type": "object"}, "AddKeys": {"type": "object"}}})
    }

    #[test]
    fn an_object_of_one_choice_gives_both_bounds_with_its_names() {
        let names = vec!["AddKeys".to_string(), "Csv".to_string()];
        assert_eq!(
            checks(&processor(), &processor()),
            [
                CheckSpec::MinSet(1, names.clone()),
                CheckSpec::MaxSet(1, names)
            ]
        );
    }

    /// A bound beside a `$ref` counts the properties of the definition it names.
    #[test]
    fn a_bound_beside_a_reference_reads_the_definitions_properties() {
        let use_site = json!({"$ref": "#/definitions/Filters", "maxProperties": 1});
        let definition = json!({"type": "object",
            "properties": {"A": {"type": "string"}, "B": {"type": "string"}}});
        assert_eq!(
            checks(&use_site, &definition),
            [CheckSpec::MaxSet(1, vec!["A".into(), "B".into()])]
        );
        assert_eq!(checks(&use_site, &use_site), []);
    }

    /// Maps, a zero minimum and a maximum no object can exceed check nothing.
    #[test]
    fn bounds_that_refuse_nothing_and_maps_give_no_check() {
        let map = json!({"type": "object", "maxProperties": 2,
            "patternProperties": {".*": {"type": "string"}}});
        let loose = json!({"type": "object", "minProperties": 0, "maxProperties": 2,
            "properties": {"A": {"type": "string"}, "B": {"type": "string"}}});
        assert_eq!(checks(&map, &map), []);
        assert_eq!(checks(&loose, &loose), []);
    }
}
