//! The capabilities a template needs, computed from what it contains, so that nephos never
//! grants `CAPABILITY_NAMED_IAM` or `CAPABILITY_AUTO_EXPAND` blindly.

use serde_json::Value;

/// IAM types whose presence requires `CAPABILITY_IAM`.
const IAM_TYPES: [&str; 9] = [
    "AWS::IAM::AccessKey",
    "AWS::IAM::Group",
    "AWS::IAM::InstanceProfile",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Policy",
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::UserToGroupAddition",
    "AWS::IAM::RolePolicy",
];

/// The properties that give an IAM resource a custom name (`CAPABILITY_NAMED_IAM`).
const NAME_PROPERTIES: [&str; 5] = [
    "RoleName",
    "UserName",
    "GroupName",
    "ManagedPolicyName",
    "InstanceProfileName",
];

/// `CAPABILITY_IAM`, `CAPABILITY_NAMED_IAM` and/or `CAPABILITY_AUTO_EXPAND`, sorted.
pub fn required(template: &Value) -> Vec<String> {
    let mut iam = false;
    let mut named = false;
    let mut expand = template.get("Transform").is_some();
    if let Some(res) = template.get("Resources").and_then(Value::as_object) {
        for r in res.values() {
            let ty = r.get("Type").and_then(Value::as_str).unwrap_or("");
            if IAM_TYPES.contains(&ty) {
                iam = true;
                let props = r.get("Properties");
                named |= NAME_PROPERTIES
                    .iter()
                    .any(|p| props.and_then(|x| x.get(*p)).is_some());
            }
            // Nested stacks and macros may create IAM resources we cannot see.
            if ty == "AWS::CloudFormation::Stack" || ty == "AWS::Serverless::Application" {
                iam = true;
                expand = true;
            }
        }
    }
    let mut out = Vec::new();
    if expand {
        out.push("CAPABILITY_AUTO_EXPAND".to_owned());
    }
    if named {
        out.push("CAPABILITY_NAMED_IAM".to_owned());
    } else if iam {
        out.push("CAPABILITY_IAM".to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn capabilities_follow_the_template() {
        let plain = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
        assert!(required(&plain).is_empty());
        let role = json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}});
        assert_eq!(required(&role), ["CAPABILITY_IAM"]);
        let named = json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x"}}}});
        assert_eq!(required(&named), ["CAPABILITY_NAMED_IAM"]);
        let sam = json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}});
        assert_eq!(required(&sam), ["CAPABILITY_AUTO_EXPAND"]);
    }
}
