//! Grants made without a policy document: a Lambda layer permission, an access key, a
//! group membership, a public canned ACL and ingress open to the internet.
//!
//! The registry schemas say which properties are policy documents (see
//! `nephos::facts::policy_documents`), but nothing in them, in cfn-lint's data or in the AWS
//! service spec marks "this type or value grants access": an access key is a credential, a
//! group membership inherits the group's policies, `PublicRead` is an enum value and
//! `0.0.0.0/0` a CIDR. So this is a small reviewed list, each entry with the AWS fact it
//! rests on (the AWS CloudFormation User Guide's page of each type).

use serde_json::Value;

use super::security::Grant;
use super::value::show;

/// Canned ACLs that grant to everyone or to every AWS account (S3 User Guide, "Canned ACL").
const PUBLIC_ACLS: [&str; 3] = ["PublicRead", "PublicReadWrite", "AuthenticatedRead"];
/// CIDRs that match every address.
const OPEN_CIDRS: [&str; 2] = ["0.0.0.0/0", "::/0"];

fn grant(
    owner: &str,
    policy: &'static str,
    principal: String,
    action: String,
    resource: String,
) -> Grant {
    Grant {
        owner: owner.to_owned(),
        policy,
        effect: "Allow".into(),
        principal,
        resource,
        condition: String::new(),
        action,
    }
}

/// The grants of one resource of a type on the reviewed list (none for other types).
pub(super) fn without_document(owner: &str, ty: &str, p: &Value) -> Vec<Grant> {
    let s = |k: &str| p.get(k).map(show).unwrap_or_default();
    match ty {
        "AWS::Lambda::LayerVersionPermission" => vec![grant(
            owner,
            "layer-permission",
            format!(
                "{}{}",
                s("Principal"),
                p.get("OrganizationId")
                    .map(|o| format!(" in {}", show(o)))
                    .unwrap_or_default()
            ),
            s("Action"),
            s("LayerVersionArn"),
        )],
        // A new key is a new credential for the user: whatever the user may do, the key
        // holder may do.
        "AWS::IAM::AccessKey" => vec![grant(
            owner,
            "access-key",
            format!(
                "access key ({})",
                p.get("Status").map(show).unwrap_or_else(|| "Active".into())
            ),
            "(every permission of the user)".into(),
            s("UserName"),
        )],
        "AWS::IAM::UserToGroupAddition" => {
            let users = match p.get("Users") {
                Some(Value::Array(a)) => a.iter().map(show).collect(),
                Some(v) => vec![show(v)],
                None => Vec::new(),
            };
            users
                .into_iter()
                .map(|u| {
                    grant(
                        owner,
                        "group-membership",
                        u,
                        "(every permission of the group)".into(),
                        s("GroupName"),
                    )
                })
                .collect()
        }
        "AWS::S3::Bucket" => {
            let acl = s("AccessControl");
            if PUBLIC_ACLS.contains(&acl.as_str()) {
                vec![grant(
                    owner,
                    "public-acl",
                    "*".into(),
                    format!("AccessControl {acl}"),
                    s("BucketName"),
                )]
            } else {
                Vec::new()
            }
        }
        "AWS::EC2::SecurityGroup" => p
            .get("SecurityGroupIngress")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|rule| open_ingress(owner, rule, owner.to_owned()))
            .collect(),
        "AWS::EC2::SecurityGroupIngress" => open_ingress(owner, p, s("GroupId") + &s("GroupName"))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// An ingress rule from every address: a grant to `*` of the protocol and ports.
fn open_ingress(owner: &str, rule: &Value, group: String) -> Option<Grant> {
    let s = |k: &str| rule.get(k).map(show).unwrap_or_default();
    let cidr = [s("CidrIp"), s("CidrIpv6")]
        .into_iter()
        .find(|c| OPEN_CIDRS.contains(&c.as_str()))?;
    Some(grant(
        owner,
        "open-ingress",
        cidr,
        format!("{} {}-{}", s("IpProtocol"), s("FromPort"), s("ToPort")),
        group,
    ))
}
