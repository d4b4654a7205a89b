//! Properties the vendored schemas carry that CloudFormation does not have.
//!
//! cfn-lint adds a resource `format` to registry schemas by patching a property path. Where
//! the path names no property of the provider schema, the patch creates one holding only the
//! format: no `type`, no `$ref`, nothing a value is checked against. Among the 1,854 types
//! there are four: `AWS::CertificateManager::Certificate`'s top-level `Id` (the AWS
//! CloudFormation reference lists no `Id` property: the certificate's ARN is its `Ref`), and
//! one property in each of three definitions that no `$ref` reaches (GameLift `Build`'s
//! `S3Location`, EMR `Cluster`'s `CloudWatchLogConfiguration`, Glue `Connection`'s
//! `AuthenticationConfigurationInput`; the real types live under other definition names). A
//! setter for such a property writes a key CloudFormation rejects, so [`drop_from`] removes
//! them when the schemas are loaded, before anything is built from them.

use serde_json::Value;

/// Whether `node` is such a patch artifact: an object whose only key is `format`.
pub fn is_artifact(node: &Value) -> bool {
    node.as_object()
        .is_some_and(|m| m.len() == 1 && m.contains_key("format"))
}

/// Removes every patch artifact from `schema`'s top-level properties and its definitions'
/// properties; returns the JSON pointers removed, in order.
pub fn drop_from(schema: &mut Value) -> Vec<String> {
    let mut dropped = Vec::new();
    let mut drop_in = |props: Option<&mut Value>, at: String| {
        let Some(props) = props.and_then(Value::as_object_mut) else {
            return;
        };
        let names: Vec<String> = props
            .iter()
            .filter(|(_, n)| is_artifact(n))
            .map(|(k, _)| k.clone())
            .collect();
        for name in names {
            props.remove(&name);
            dropped.push(format!("{at}/properties/{name}"));
        }
    };
    drop_in(schema.get_mut("properties"), String::new());
    if let Some(defs) = schema.get_mut("definitions").and_then(Value::as_object_mut) {
        for (name, def) in defs.iter_mut() {
            drop_in(def.get_mut("properties"), format!("/definitions/{name}"));
        }
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_format_alone_is_dropped_a_typed_property_stays() {
        let mut schema = json!({
            "properties": {
                "Id": {"format": "AWS::ACM::Certificate.Arn"},
                "DomainName": {"type": "string"},
                "Zone": {"$ref": "#/definitions/Z", "format": "AWS::Route53::HostedZone.Id"}
            },
            "definitions": {"S3Location": {"properties": {"RoleArn": {"format": "AWS::IAM::Role.Arn"}}}}
        });
        let dropped = drop_from(&mut schema);
        assert_eq!(
            dropped,
            [
                "/properties/Id",
                "/definitions/S3Location/properties/RoleArn"
            ]
        );
        assert!(schema["properties"].get("Id").is_none());
        assert!(schema["properties"].get("DomainName").is_some());
        assert!(schema["properties"].get("Zone").is_some());
    }
}
