//! Which properties of a resource type hold an IAM policy document (or one policy
//! statement), read from the registry schemas: the security review diffs the grants of
//! every such property, so a type that gains one in a new schema is reviewed without a
//! code change.
//!
//! The schemas have no "this is an IAM policy" marker, so the rule combines the name and
//! the declared type: a top-level property whose name ends in `Policy`, `PolicyDocument`,
//! `PolicyText`, `AccessPolicies` or is `Statement`, and whose value is JSON (the type
//! includes `object`, or `format: json`, or no type at all as on
//! `AWS::IAM::ManagedPolicy.PolicyDocument`); a plain string counts only when the name
//! ends in `PolicyDocument`. Structured properties (`$ref`: lifecycle, scaling, redrive
//! definitions) and plain-string names like `SecurityPolicy` (`TLS_1_2`) are not policies.
//! Properties that match but hold no statements (`RedrivePolicy`, `FilterPolicy`) yield
//! no grants at review time.

use serde_json::Value;

const SUFFIXES: [&str; 4] = ["Policy", "PolicyDocument", "PolicyText", "AccessPolicies"];

/// The policy-document properties of one schema, sorted.
pub fn of(schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(name, p)| is_policy(name, p))
        .map(|(name, _)| name.clone())
        .collect();
    out.sort();
    out
}

fn is_policy(name: &str, p: &Value) -> bool {
    let named = name == "Statement" || SUFFIXES.iter().any(|s| name.ends_with(s));
    if !named || p.get("$ref").is_some() {
        return false;
    }
    let types: Vec<&str> = match p.get("type") {
        None => Vec::new(),
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        Some(_) => return false,
    };
    let json = p.get("format").and_then(Value::as_str) == Some("json");
    types.is_empty()
        || json
        || types.contains(&"object")
        || (types == ["string"] && name.ends_with("PolicyDocument"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_valued_policy_names_are_policies_and_structured_or_enum_ones_are_not() {
        let schema = json!({"properties": {
            "PolicyDocument": {"format": "json"},
            "RepositoryPolicyText": {"type": ["object", "string"]},
            "Statement": {"type": ["object", "string"], "format": "json"},
            "XPolicyDocument": {"type": "string"},
            "SecurityPolicy": {"type": "string"},
            "LifecyclePolicy": {"$ref": "#/definitions/LifecyclePolicy"},
            "AccessPolicies": {"type": "array"},
            "Name": {"type": "object"}
        }});
        assert_eq!(
            of(&schema),
            [
                "PolicyDocument",
                "RepositoryPolicyText",
                "Statement",
                "XPolicyDocument"
            ]
        );
    }
}
