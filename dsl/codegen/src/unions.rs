//! Union reference kinds: a property that accepts any one of several resources' attributes.
//!
//! A KMS `KmsKeyId` takes a key's ID, its ARN or an alias name; an EC2 instance's
//! `SecurityGroupIds` entry a group's ID or its name. The registry schemas say so with an
//! `anyOf`/`oneOf` whose alternatives each carry a resource `format`; the AWS service spec
//! with several `relationshipRefs` on one property (kept in the supplement's `unions`, see
//! `scripts/spec_supplement.py`). Typing such a property with one member's kind rejects the
//! others, and a plain string accepts anything; so each set of members becomes one kind of
//! its own, into which every member kind converts (`nephos::union_kind!`).
//!
//! A union is carried through the model as an ordinary typed string kind whose kind name
//! lists the member formats, sorted by Rust name and joined by [`SEPARATOR`]
//! (`AWS::KMS::Alias.AliasName | AWS::KMS::Key.Arn | AWS::KMS::Key.Id`); that name is also
//! how error messages name it. [`section`] writes the union declarations of `kinds.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;

use crate::build::format_kind;
use crate::names::pascal;

/// Joins the member formats in a union's kind name.
pub const SEPARATOR: &str = " | ";

/// The member formats of a node whose `anyOf`/`oneOf` alternatives each name a resource
/// attribute (`{"format": "AWS::KMS::Key.Arn"}`), in schema order. An alternative that
/// admits only the empty string (DevOpsAgent's `RoleArn`: a role ARN or `""`) is no
/// resource and is skipped: the member kinds' literals can still be empty. Any other
/// alternative (a pattern, an object) means the property is not only a reference: `None`.
pub fn alternatives(node: &Value) -> Option<Vec<String>> {
    let alternatives = node
        .get("anyOf")
        .or_else(|| node.get("oneOf"))
        .and_then(Value::as_array)?;
    let mut formats = Vec::new();
    for alt in alternatives {
        if empty_string_only(alt) {
            continue;
        }
        let format = alt.get("format").and_then(Value::as_str)?;
        let only_format = alt
            .as_object()
            .is_some_and(|m| m.keys().all(|k| k == "format" || k == "type"))
            && alt.get("type").is_none_or(|t| t.as_str() == Some("string"));
        if !only_format || format_kind(format).is_none() {
            return None;
        }
        formats.push(format.to_string());
    }
    (!formats.is_empty()).then_some(formats)
}

/// `{"enum": [""]}` or `{"const": ""}`.
fn empty_string_only(alt: &Value) -> bool {
    alt.get("const").and_then(Value::as_str) == Some("")
        || alt
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1 && e[0].as_str() == Some(""))
}

/// The kind of a property referring to any of `formats`: `(Rust name, kind name)` of the
/// union, or of the one member left when the others name `own_type` (a resource's own
/// attributes are values the user chooses, as with a single format), repeat, or have
/// values the property's own `pattern` rejects ([`crate::samples::admits`]: a log group's
/// ARN-only `KmsKeyId` keeps only `AWS::KMS::Key.Arn`). Should the pattern reject every
/// member, the samples rather than the schema are suspect and all members stay. `None` when
/// no member is left. Every member kind is added to `kinds`, so the union's conversions
/// have their targets.
pub fn kind_of(
    formats: &[String],
    own_type: &str,
    pattern: Option<&str>,
    kinds: &mut BTreeMap<String, String>,
) -> Option<(String, String)> {
    let all: BTreeMap<String, String> = formats
        .iter()
        .filter_map(|f| {
            let (rust, of_type) = format_kind(f)?;
            (of_type != own_type).then(|| (rust, f.clone()))
        })
        .collect();
    let admitted: BTreeMap<String, String> = all
        .iter()
        .filter(|(_, f)| crate::samples::admits(pattern, f))
        .map(|(r, f)| (r.clone(), f.clone()))
        .collect();
    let members = if admitted.is_empty() { all } else { admitted };
    for (rust, format) in &members {
        kinds.insert(rust.clone(), format.clone());
    }
    match members.len() {
        0 => None,
        1 => members.into_iter().next(),
        _ => {
            let formats: Vec<&str> = members.values().map(String::as_str).collect();
            Some((union_name(&formats), formats.join(SEPARATOR)))
        }
    }
}

/// Whether a kind name is a union's ([`kind_of`]).
pub fn is_union(kind_name: &str) -> bool {
    kind_name.contains(SEPARATOR)
}

/// Fails when two different member sets would share one union's Rust name (the name
/// leaves out repeated services and resources, so in theory two sets could spell the same):
/// the second would silently take the first's members.
pub fn check_one_name(rust: &str, known: &str, name: &str) -> Result<(), String> {
    if known != name && (is_union(known) || is_union(name)) {
        return Err(format!(
            "the union kind {rust} would stand for both `{known}` and `{name}`"
        ));
    }
    Ok(())
}

/// The union's Rust name from its member formats, sorted by the members' Rust names:
/// each member's service, then resource, is written only where it differs from the
/// previous member's, and a resource its attribute already starts with is not repeated:
/// `AWS::KMS::Alias.AliasName`, `AWS::KMS::Key.Arn`, `AWS::KMS::Key.Id` ->
/// `KmsAliasNameOrKeyArnOrId`; `AWS::EC2::SecurityGroup.Id`, `.Name` ->
/// `Ec2SecurityGroupIdOrName`.
pub fn union_name(formats: &[&str]) -> String {
    union_name_as(formats, false)
}

/// [`union_name`] from the registry's spelling of the formats when `registry`
/// ([`crate::build::format_kind_as`]): the name earlier releases gave the union.
pub fn union_name_as(formats: &[&str], registry: bool) -> String {
    let mut parts: Vec<(String, String, String)> =
        formats.iter().filter_map(|f| split(f, registry)).collect();
    parts.sort_by_key(|(s, r, a)| format!("{s}{r}{a}"));
    let mut out = Vec::new();
    let mut prev: Option<(&str, &str)> = None;
    for (service, resource, attr) in &parts {
        let mut name = String::new();
        let same_service = prev.is_some_and(|(s, _)| s == service);
        if !same_service {
            name.push_str(service);
        }
        let same_resource = same_service && prev.is_some_and(|(_, r)| r == resource);
        let says_resource = attr.len() > resource.len() && attr.starts_with(resource.as_str());
        if same_resource || says_resource {
            name.push_str(attr);
        } else {
            name.push_str(resource);
            name.push_str(attr);
        }
        out.push(name);
        prev = Some((service.as_str(), resource.as_str()));
    }
    out.join("Or")
}

/// `AWS::KMS::Key.Arn` -> (`Kms`, `Key`, `Arn`), the parts of `format_kind`'s name.
fn split(format: &str, registry: bool) -> Option<(String, String, String)> {
    let (type_name, attr) = crate::build::format_parts(format, registry)?;
    let parts: Vec<&str> = type_name.split("::").collect();
    let [vendor, service, resource] = parts[..] else {
        return None;
    };
    let vendor = if vendor == "AWS" {
        String::new()
    } else {
        pascal(vendor)
    };
    Some((
        format!("{vendor}{}", pascal(service)),
        pascal(resource),
        pascal(attr),
    ))
}

/// The union declarations of `kinds.rs`: each union with its members, then, for a union
/// whose members all belong to a larger one (a key's ARN or ID, inside a key's ARN, ID or
/// alias name), the conversion into the larger one.
pub fn section(kinds: &BTreeMap<String, String>) -> String {
    let unions: BTreeMap<&str, BTreeSet<String>> = kinds
        .iter()
        .filter(|(_, name)| is_union(name))
        .map(|(rust, name)| {
            let members = name
                .split(SEPARATOR)
                .filter_map(|f| format_kind(f).map(|k| k.0))
                .collect();
            (rust.as_str(), members)
        })
        .collect();
    let mut out = String::new();
    for (rust, members) in &unions {
        let name = &kinds[*rust];
        let docs: Vec<String> = members.iter().map(|m| format!("[`{m}`]")).collect();
        let list = members.iter().cloned().collect::<Vec<_>>().join(", ");
        let _ = writeln!(
            out,
            "crate::union_kind!(\n/// One of {}: `{name}`.\n{rust}, {:?}, [{list}]\n);\n\
             crate::union_kind!(@from {rust}, [{list}]);",
            docs.join(", "),
            name,
        );
    }
    for (sub, sub_members) in &unions {
        for (sup, sup_members) in &unions {
            if sub != sup && sub_members.is_subset(sup_members) {
                let _ = writeln!(out, "crate::union_kind!(@into {sup}, [{sub}]);");
                let _ = writeln!(out, "crate::union_kind!(@from {sup}, [{sub}]);");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_factor_out_the_shared_service_and_resource() {
        assert_eq!(
            union_name(&[
                "AWS::KMS::Key.Id",
                "AWS::KMS::Alias.AliasName",
                "AWS::KMS::Key.Arn"
            ]),
            "KmsAliasNameOrKeyArnOrId"
        );
        assert_eq!(
            union_name(&["AWS::EC2::SecurityGroup.Name", "AWS::EC2::SecurityGroup.Id"]),
            "Ec2SecurityGroupIdOrName"
        );
        assert_eq!(
            union_name(&["AWS::SQS::Queue.Arn", "AWS::SNS::Topic.TopicArn"]),
            "SnsTopicArnOrSqsQueueArn"
        );
    }

    #[test]
    fn format_alternatives_make_a_union_and_the_empty_string_is_no_member() {
        let kms = json!({"type": "string", "anyOf": [
            {"format": "AWS::KMS::Key.Arn"}, {"format": "AWS::KMS::Key.Id"},
            {"format": "AWS::KMS::Alias.AliasName"}]});
        let mut kinds = BTreeMap::new();
        let formats = alternatives(&kms).unwrap();
        let (rust, name) = kind_of(&formats, "AWS::S3::Bucket", None, &mut kinds).unwrap();
        assert_eq!(rust, "KmsAliasNameOrKeyArnOrId");
        assert_eq!(
            name,
            "AWS::KMS::Alias.AliasName | AWS::KMS::Key.Arn | AWS::KMS::Key.Id"
        );
        assert_eq!(
            kinds.keys().collect::<Vec<_>>(),
            ["KmsAliasAliasName", "KmsKeyArn", "KmsKeyId"]
        );

        let role = json!({"type": "string", "anyOf": [
            {"format": "AWS::IAM::Role.Arn"}, {"enum": [""]}]});
        let formats = alternatives(&role).unwrap();
        let (rust, _) = kind_of(&formats, "AWS::DevOpsAgent::Service", None, &mut kinds).unwrap();
        assert_eq!(rust, "IamRoleArn");

        // A pattern alternative is a value of its own, not a reference.
        let mixed = json!({"anyOf": [{"format": "AWS::KMS::Key.Arn"}, {"pattern": "^alias/"}]});
        assert_eq!(alternatives(&mixed), None);
        // The alias's own name is the alias's to choose, so only the key kinds are left.
        let own = kind_of(&formats_of(&kms), "AWS::KMS::Alias", None, &mut kinds).unwrap();
        assert_eq!(own.0, "KmsKeyArnOrId");
    }

    #[test]
    fn members_the_property_s_pattern_rejects_are_dropped() {
        // `AWS::Logs::LogGroup.KmsKeyId` as the vendored registry schema writes it.
        let log_group = json!({"type": "string", "anyOf": [
            {"format": "AWS::KMS::Key.Arn"}, {"format": "AWS::KMS::Key.Id"},
            {"format": "AWS::KMS::Alias.AliasName"}],
            "pattern": "^arn:[a-z0-9-]+:kms:[a-z0-9-]+:\\d{12}:(key|alias)/.+\\Z"});
        let pattern = log_group["pattern"].as_str();
        let mut kinds = BTreeMap::new();
        let kind = kind_of(
            &formats_of(&log_group),
            "AWS::Logs::LogGroup",
            pattern,
            &mut kinds,
        );
        assert_eq!(
            kind,
            Some(("KmsKeyArn".to_string(), "AWS::KMS::Key.Arn".to_string()))
        );
        assert_eq!(kinds.keys().collect::<Vec<_>>(), ["KmsKeyArn"]);
        // A pattern no member passes is no evidence against any one of them.
        let none = kind_of(&formats_of(&log_group), "", Some("^nothing$"), &mut kinds);
        assert_eq!(none.unwrap().0, "KmsAliasNameOrKeyArnOrId");
    }

    fn formats_of(node: &Value) -> Vec<String> {
        alternatives(node).unwrap()
    }

    #[test]
    fn one_union_name_for_two_member_sets_fails() {
        let a = "AWS::KMS::Key.Arn | AWS::KMS::Key.Id";
        assert!(check_one_name("KmsKeyArnOrId", a, a).is_ok());
        assert!(check_one_name("KmsKeyArn", "AWS::KMS::Key.Arn", "AWS::KMS::Key.Arn").is_ok());
        let err = check_one_name("KmsKeyArnOrId", a, "AWS::KMS::Key.Arn").unwrap_err();
        assert!(err.contains("KmsKeyArnOrId"), "{err}");
    }

    #[test]
    fn a_smaller_union_converts_into_a_larger_one() {
        let mut kinds = BTreeMap::new();
        let full = [
            "AWS::KMS::Alias.AliasName",
            "AWS::KMS::Key.Arn",
            "AWS::KMS::Key.Id",
        ]
        .map(String::from);
        for formats in [&full[..], &full[1..]] {
            let (rust, name) = kind_of(formats, "", None, &mut kinds).unwrap();
            kinds.insert(rust, name);
        }
        let text = section(&kinds);
        assert!(text.contains(
            "KmsKeyArnOrId, \"AWS::KMS::Key.Arn | AWS::KMS::Key.Id\", [KmsKeyArn, KmsKeyId]"
        ));
        assert!(
            text.contains("crate::union_kind!(@into KmsAliasNameOrKeyArnOrId, [KmsKeyArnOrId]);")
        );
        assert!(!text.contains("@into KmsKeyArnOrId"));
    }
}
