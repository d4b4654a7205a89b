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
use super::security_computed::{NOT_KNOWN, branches, not_known};
use super::value::{is_intrinsic, show};

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
            // An ACL computed at deploy time may be a public one.
            let computed = p.get("AccessControl").is_some_and(is_intrinsic);
            if computed || PUBLIC_ACLS.contains(&acl.as_str()) {
                vec![grant(
                    owner,
                    "public-acl",
                    "*".into(),
                    if computed {
                        format!("AccessControl {acl} ({NOT_KNOWN})")
                    } else {
                        format!("AccessControl {acl}")
                    },
                    s("BucketName"),
                )]
            } else {
                Vec::new()
            }
        }
        // The rules, or one rule, may be computed at deploy time: read by `Fn::If` branch,
        // or not known offline.
        "AWS::EC2::SecurityGroup" => {
            let mut out = Vec::new();
            for list in p
                .get("SecurityGroupIngress")
                .map(|v| branches(v, ""))
                .into_iter()
                .flatten()
            {
                let rules: Vec<&Value> = match list.value {
                    Value::Array(a) if list.known => a.iter().collect(),
                    one => vec![one],
                };
                for b in rules.into_iter().flat_map(|r| branches(r, &list.when)) {
                    if b.known {
                        out.extend(open_ingress(owner, b.value, owner.to_owned()));
                    } else {
                        out.push(not_known(owner, "open-ingress", b.value, b.when));
                    }
                }
            }
            out
        }
        "AWS::EC2::SecurityGroupIngress" => open_ingress(owner, p, s("GroupId") + &s("GroupName"))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// An ingress rule from every address: a grant to `*` of the protocol and ports.
fn open_ingress(owner: &str, rule: &Value, group: String) -> Option<Grant> {
    let s = |k: &str| rule.get(k).map(show).unwrap_or_default();
    // A CIDR computed at deploy time (a parameter, an import) may match every address.
    let computed = ["CidrIp", "CidrIpv6"]
        .into_iter()
        .find_map(|k| rule.get(k).filter(|v| is_intrinsic(v)))
        .map(|v| format!("{} ({NOT_KNOWN})", show(v)));
    let cidr = [s("CidrIp"), s("CidrIpv6")]
        .into_iter()
        .find(|c| OPEN_CIDRS.contains(&c.as_str()))
        .or(computed)?;
    Some(grant(
        owner,
        "open-ingress",
        cidr,
        format!("{} {}-{}", s("IpProtocol"), s("FromPort"), s("ToPort")),
        group,
    ))
}
