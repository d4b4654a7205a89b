//! The resource values (`Ref`, `Fn::GetAtt`) that are never an ARN, so synth can refuse
//! one where a property's pattern requires an ARN (`^arn:`) although the property itself
//! names no kind (Cognito's `LambdaConfig.KMSKeyID` is a plain string whose pattern says
//! `^arn:...`; a key's `Ref` is its key ID).
//!
//! A value is listed only with evidence that its kind is no ARN: the kind's name says no
//! ARN ([`crate::any_arn::is_arn_format`] is false) and either the AWS documentation's
//! sample of it is no ARN ([`crate::samples::sample`]: a KMS key ID) or its shape
//! ([`crate::kind_shapes`]: `^subnet-`, a schema pattern) rejects an ARN. A kind without
//! such evidence is left out: an unknown value is no reason to refuse a template.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{ResourceModel, Ty};

/// An ARN no kind that admits ARNs rejects: every part present and plain.
const ARN_PROBE: &str = "arn:aws:service:us-east-1:123456789012:resource/name-1";

/// Whether the kind `format` is never an ARN, on the evidence the module docs describe.
/// `carrying` is [`crate::kind_shapes::carrying_patterns`] of the schemas.
pub fn never_arn(
    schemas: &BTreeMap<String, Value>,
    carrying: &BTreeMap<String, BTreeSet<String>>,
    format: &str,
) -> bool {
    if crate::unions::is_union(format)
        || format == crate::any_arn::ANY_ARN_FORMAT
        || crate::any_arn::is_arn_format(format)
    {
        return false;
    }
    if let Some(sample) = crate::samples::sample(format) {
        return !sample.starts_with("arn:");
    }
    let Some((pattern, _)) =
        crate::kind_shapes::shape_with(schemas, carrying, &BTreeMap::new(), format)
    else {
        return false;
    };
    fancy_regex::Regex::new(&pattern)
        .ok()
        .and_then(|re| re.is_match(ARN_PROBE).ok())
        == Some(false)
}

/// The `kinds.rs` section: `NOT_ARNS`, one `(type, value, format)` row per resource value
/// of `models` that is never an ARN, `value` being `Ref` or the attribute's name, sorted.
/// `kinds` maps Rust name to kind name.
pub fn section<'m>(
    schemas: &BTreeMap<String, Value>,
    kinds: &BTreeMap<String, String>,
    models: impl IntoIterator<Item = &'m ResourceModel>,
) -> String {
    let carrying = crate::kind_shapes::carrying_patterns(schemas);
    let mut rows = BTreeSet::new();
    for m in models {
        let values = m
            .reference
            .iter()
            .map(|a| ("Ref", a))
            .chain(m.attributes.iter().map(|a| (a.name.as_str(), a)));
        for (value, attribute) in values {
            let Ty::Kind(rust) = &attribute.ty else {
                continue;
            };
            let Some(format) = kinds.get(rust) else {
                continue;
            };
            if never_arn(schemas, &carrying, format) {
                rows.insert((m.type_name.clone(), value.to_string(), format.clone()));
            }
        }
    }
    let mut table = crate::text_table::TextTable::new();
    for (t, v, f) in &rows {
        table.row(&[t, v, f]);
    }
    table.emit(
        "NOT_ARNS",
        3,
        "The resource values that are never an ARN, by type and value (`Ref` or the\nattribute), with their kind's format (sorted): `[type, value, format]`. Synth refuses one\nwhere a property's pattern requires an ARN. Written by nephos-codegen\n(`dsl/codegen/src/not_arn.rs`).",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_kinds_with_evidence_are_never_arns() {
        let schemas = BTreeMap::new();
        let mut carrying: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        carrying.insert(
            "AWS::EC2::Subnet.Id".into(),
            ["^subnet-[0-9a-f]+$", "^subnet-[a-z0-9]{8}"]
                .map(String::from)
                .into(),
        );
        // A documented sample that is no ARN.
        assert!(never_arn(&schemas, &carrying, "AWS::KMS::Key.Id"));
        // A shape that rejects an ARN.
        assert!(never_arn(&schemas, &carrying, "AWS::EC2::Subnet.Id"));
        // ARN kinds, unions, and kinds with no evidence are not listed.
        assert!(!never_arn(&schemas, &carrying, "AWS::KMS::Key.Arn"));
        assert!(!never_arn(&schemas, &carrying, "AWS::KMS::Alias.Arn"));
        assert!(!never_arn(&schemas, &carrying, "AWS::X::Thing.Id"));
        assert!(!never_arn(
            &schemas,
            &carrying,
            "AWS::KMS::Key.Id | AWS::KMS::Key.Arn"
        ));
    }
}
