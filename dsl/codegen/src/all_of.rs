//! The registry schemas' `allOf` blocks: which become checks and which do not, and why.
//!
//! An `allOf` item that only states `properties` (RDS `DBCluster`: `MasterUsername` is not
//! `rdsadmin`) holds whatever the other properties are, so its property constraints are
//! checked as the property's own ([`unconditional`]). Every other `allOf` in the bundle is
//! listed in [`DECIDED`] with the reason it is not a check yet; the test
//! `every_all_of_in_the_bundle_is_checked_or_listed` fails on one that is neither, so a
//! schema refresh cannot add a constraint synth skips without anyone deciding it.

use serde_json::Value;

/// The `(property, schema)` pairs of a type's `allOf` items that only state `properties`:
/// constraints on those properties that hold unconditionally.
pub fn unconditional(schema: &Value) -> Vec<(&str, &Value)> {
    let Some(items) = schema.get("allOf").and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let object = item.as_object()?;
            let props = object.get("properties")?.as_object()?;
            (object.len() == 1).then_some(props)
        })
        .flat_map(|props| props.iter().map(|(k, v)| (k.as_str(), v)))
        .collect()
}

/// The `allOf` blocks not turned into checks, by schema location (type name, then the
/// JSON pointer of the block's parent), with the reason. Each is a decision, kept visible.
pub const DECIDED: &[(&str, &str, &str)] = &[
    (
        "AWS::ARCRegionSwitch::Plan",
        "/definitions/DocumentDbConfiguration/properties/Behavior",
        "`[{$ref}, {}]`: the $ref's enum is not followed through allOf (the property is typed as its own schema says)",
    ),
    (
        "AWS::ARCRegionSwitch::Plan",
        "/definitions/Ec2AsgCapacityIncreaseConfiguration/properties/CapacityMonitoringApproach",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::ARCRegionSwitch::Plan",
        "/definitions/EcsCapacityIncreaseConfiguration/properties/CapacityMonitoringApproach",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::ARCRegionSwitch::Plan",
        "/definitions/EksResourceScalingConfiguration/properties/CapacityMonitoringApproach",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::ARCRegionSwitch::Plan",
        "/definitions/GlobalAuroraConfiguration/properties/Behavior",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::ARCRegionSwitch::Plan",
        "/definitions/LambdaUngraceful/properties/Behavior",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::ARCRegionSwitch::Plan",
        "/definitions/NeptuneGlobalDatabaseConfiguration/properties/Behavior",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::BedrockAgentCore::Gateway",
        "/properties/ProtocolType",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::BedrockAgentCore::GatewayTarget",
        "/definitions/OAuthCredentialProvider/properties/GrantType",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::SES::MailManagerIngressPoint",
        "/definitions/PublicNetworkConfiguration/properties/IpType",
        "`[{$ref}, {}]`, as above",
    ),
    (
        "AWS::ARCZonalShift::ZonalAutoshiftConfiguration",
        "",
        "required and anyOf-required nested in allOf: not read by the combinations",
    ),
    (
        "AWS::ARCZonalShift::ZonalAutoshiftConfiguration",
        "/allOf/0",
        "the inner allOf of the block above",
    ),
    (
        "AWS::CloudWatch::MetricStream",
        "",
        "required plus `oneOf: [{}, {required: [IncludeFilters, ExcludeFilters]}]` (not both): not read by the combinations",
    ),
    (
        "AWS::Cognito::UserPoolDomain",
        "",
        "if CustomDomainConfig is set then Domain is a fully qualified name: conditional patterns are not checked",
    ),
    (
        "AWS::DynamoDB::GlobalTable",
        "",
        "if LocalSecondaryIndexes then 2+ AttributeDefinitions and KeySchema items: conditional counts are not checked",
    ),
    (
        "AWS::DynamoDB::Table",
        "",
        "if LocalSecondaryIndexes then 2+ AttributeDefinitions and KeySchema items: conditional counts are not checked",
    ),
    (
        "AWS::RDS::DBCluster",
        "",
        "item 0 (MasterUsername not `rdsadmin`) is checked by `unconditional`; item 1 (not `admin` for PostgreSQL engines) is conditional and not checked",
    ),
    (
        "AWS::SecurityAgent::AgentSpace",
        "/definitions/ProviderResource",
        "oneOf-required sets nested in allOf: not read by the combinations",
    ),
    (
        "AWS::SecurityHub::AutomationRule",
        "/definitions/DateFilter/oneOf/1",
        "a oneOf branch requiring Start and End: not read by the combinations",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn all_ofs(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if m.contains_key("allOf") {
                    out.push(at.clone());
                }
                for (k, v) in m {
                    all_ofs(v, format!("{at}/{k}"), out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    all_ofs(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_all_of_in_the_bundle_is_checked_or_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let mut found = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("the schema bundle") {
            let path = entry.expect("a bundle entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a schema file");
            let bundle: Value = serde_json::from_str(&text).expect("schema JSON");
            let Some(types) = bundle.as_object() else {
                continue;
            };
            for (type_name, schema) in types {
                let mut at = Vec::new();
                all_ofs(schema, String::new(), &mut at);
                for pointer in at {
                    found.insert((type_name.clone(), pointer));
                }
            }
        }
        let listed: BTreeSet<(String, String)> = DECIDED
            .iter()
            .map(|(t, p, _)| (t.to_string(), p.to_string()))
            .collect();
        assert_eq!(
            found, listed,
            "an allOf is neither checked nor listed, or a listed one is gone"
        );
    }

    #[test]
    fn a_properties_only_item_is_unconditional_and_an_if_item_is_not() {
        let schema = serde_json::json!({"allOf": [
            {"properties": {"MasterUsername": {"not": {"enum": ["rdsadmin"]}}}},
            {"if": {"required": ["Engine"]}, "then": {"properties": {"MasterUsername": {"not": {"enum": ["admin"]}}}}}
        ]});
        let found = unconditional(&schema);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "MasterUsername");
    }
}
