//! What `Ref` returns for a resource type, from the AWS service spec.
//!
//! The registry schema's `primaryIdentifier` is not always what `Ref` returns: an EventBridge
//! rule's identifier is its ARN, but `Ref` gives its name. A getter that types a `Ref` by the
//! primary identifier then wires a name where an ARN is expected, and that compiles. The AWS
//! service spec (`@aws-cdk/aws-service-spec`) records the answer as `cfnRefIdentifier`;
//! `scripts/refresh_service_spec.py` vendors it as [`REFERENCE_FILE`]. Where the spec records
//! nothing, `Ref` returns the primary identifier and the generator keeps the schema's
//! `primaryIdentifier` (see [`ref_property`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// The vendored `Ref` facts, relative to the workspace root:
/// `{"source": "...", "types": {"AWS::Events::Rule": ["EventBusName", "Name"]}}`.
pub const REFERENCE_FILE: &str = "dsl/schemas/aws-service-spec/reference.json";

/// Loads [`REFERENCE_FILE`]: the property names whose value `Ref` returns, by type name.
/// Errors name the file when it cannot be read or has no `types` object of string lists.
pub fn load(path: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let types = v
        .get("types")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{}: no \"types\" object", path.display()))?;
    let mut out = BTreeMap::new();
    for (t, names) in types {
        let names: Vec<String> = names
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if names.is_empty() {
            return Err(format!(
                "{}: {t}: expected a non-empty list of names",
                path.display()
            ));
        }
        out.insert(t.clone(), names);
    }
    Ok(out)
}

/// The property whose value `Ref` returns, per the service spec, or `None` when the spec
/// records nothing (then `Ref` returns the primary identifier) or several names
/// ([`composite`]).
pub fn ref_property(spec: Option<&Vec<String>>) -> Option<&str> {
    match spec.map(Vec::as_slice) {
        Some([one]) => Some(one.as_str()),
        _ => None,
    }
}

/// Whether the spec's `Ref` has several parts. CloudFormation then joins them by `|` where
/// the qualifier applies: an EventBridge rule's `Ref` is `EventBusName|Name`, `orders|r1` on
/// a custom bus and `r1` on the default one (cloudformation-coverage-roadmap #1131). Its
/// value is then neither part's, so the `Ref` getter must take neither part's kind.
pub fn composite(spec: Option<&Vec<String>>) -> bool {
    spec.is_some_and(|names| names.len() > 1)
}

/// Whether the spec's `Ref` differs from the schema's single primary identifier `ids`
/// (`/properties/Arn`), so that identifier's getter must become a `Fn::GetAtt`.
pub fn differs(ids: &[String], spec_property: Option<&str>) -> bool {
    match (ids, spec_property) {
        ([one], Some(p)) => one.trim_start_matches("/properties/") != p,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_names_are_no_one_property() {
        let names = vec!["EventBusName".to_string(), "Name".to_string()];
        assert_eq!(ref_property(Some(&names)), None);
        assert!(composite(Some(&names)));
        let one = vec!["Name".to_string()];
        assert_eq!(ref_property(Some(&one)), Some("Name"));
        assert!(!composite(Some(&one)));
        assert_eq!(ref_property(None), None);
        assert!(!composite(None));
    }

    #[test]
    fn differs_only_from_a_single_other_identifier() {
        let arn = vec!["/properties/Arn".to_string()];
        assert!(differs(&arn, Some("Name")));
        assert!(!differs(&arn, Some("Arn")));
        assert!(!differs(&arn, None));
        let two = vec!["/properties/ApiId".into(), "/properties/RouteId".into()];
        assert!(!differs(&two, Some("RouteId")));
    }

    /// An EventBridge rule: identified by its ARN, but `Ref` gives its name.
    fn rule(spec: Option<&[&str]>, gettable: &[&str]) -> crate::model::ResourceModel {
        let schema = serde_json::json!({
            "properties": {"Arn": {"type": "string"}, "Name": {"type": "string"},
                           "EventBusName": {"type": "string"}},
            "readOnlyProperties": ["/properties/Arn"],
            "primaryIdentifier": ["/properties/Arn"]});
        let mut extras = crate::schemas::Extras::default();
        if let Some(names) = spec {
            extras.refs.insert(
                "AWS::Events::Rule".into(),
                names.iter().map(|n| n.to_string()).collect(),
            );
        }
        extras.getatts.insert(
            "AWS::Events::Rule".into(),
            gettable.iter().map(|n| n.to_string()).collect(),
        );
        crate::build::build("AWS::Events::Rule", &schema, &extras).expect("builds")
    }

    #[test]
    fn the_spec_s_ref_wins_and_the_identifier_becomes_a_get_att() {
        use crate::model::Ty;
        let m = rule(Some(&["Name"]), &["Arn"]);
        let r = m.reference.as_ref().expect("a Ref getter");
        assert_eq!((r.name.as_str(), r.method.as_str()), ("Name", "name"));
        assert_eq!(r.ty, Ty::Kind("EventsRuleName".into()));
        let arn = m
            .attributes
            .iter()
            .find(|a| a.method == "arn")
            .expect("arn()");
        assert_eq!(arn.name, "Arn");
        assert_eq!(arn.ty, Ty::Kind("EventsRuleArn".into()));
        // Not gettable: the identifier's getter is gone rather than a wrong `Ref`.
        let m = rule(Some(&["Name"]), &[]);
        assert_eq!(m.reference.as_ref().map(|r| r.name.as_str()), Some("Name"));
        assert!(m.attributes.iter().all(|a| a.method != "arn"));
    }

    #[test]
    fn a_ref_of_several_parts_takes_neither_part_s_kind() {
        use crate::model::Ty;
        let m = rule(Some(&["EventBusName", "Name"]), &["Arn"]);
        let r = m.reference.as_ref().expect("a Ref getter");
        assert_eq!(r.method, "reference");
        assert_eq!(r.ty, Ty::Kind("EventsRuleRef".into()));
        assert_ne!(r.ty, Ty::Kind("EventsRuleName".into()));
        assert_eq!(m.kinds["EventsRuleRef"], "AWS::Events::Rule.Ref");
        // The identifier was not `Ref` either: it stays a `Fn::GetAtt`.
        let arn = m.attributes.iter().find(|a| a.method == "arn");
        assert_eq!(arn.map(|a| a.name.as_str()), Some("Arn"));
    }

    #[test]
    fn without_an_answer_the_primary_identifier_stays() {
        let m = rule(None, &["Arn"]);
        let r = m.reference.as_ref().expect("a Ref getter");
        assert_eq!((r.name.as_str(), r.method.as_str()), ("Arn", "arn"));
        assert!(m.attributes.iter().all(|a| a.name != "Arn"));
    }

    #[test]
    fn an_empty_answer_is_refused() {
        let dir = std::env::temp_dir().join(format!("nephos-ref-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("reference.json");
        std::fs::write(&path, r#"{"types": {"AWS::X::Y": []}}"#).expect("write");
        assert!(load(&path).unwrap_err().contains("AWS::X::Y"));
        std::fs::write(&path, r#"{"types": {"AWS::X::Y": ["Name"]}}"#).expect("write");
        assert_eq!(load(&path).expect("loads")["AWS::X::Y"], ["Name"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
