//! A function in a VPC whose execution role cannot create network interfaces. Lambda makes
//! an elastic network interface in the function's subnets, with the execution role's
//! permissions (`ec2:CreateNetworkInterface`, `ec2:DescribeNetworkInterfaces`,
//! `ec2:DeleteNetworkInterface`, ...: the AWS managed policy
//! `AWSLambdaVPCAccessExecutionRole`, <https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html>),
//! and refuses to create the function when the role lacks them ("The provided execution
//! role does not have permissions to call CreateNetworkInterface on EC2"). The `Function`
//! construct attaches that policy to the role it makes; an L1 function with its own role
//! is checked here.
//!
//! Reported only where synth sees every permission the role has: a role of this stack
//! (`Fn::GetAtt` of its `Arn`) whose managed policies are AWS managed ones by literal ARN,
//! whose inline policies are literal, and that no other policy resource of the stack names.
//! Anything computed, a customer managed policy, or a role from elsewhere is let through.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, Target};
use crate::value::sub::SubPart;

/// AWS managed policies known not to allow `ec2:CreateNetworkInterface` (their names, the
/// end of `arn:aws:iam::aws:policy/...`; AWS Managed Policy Reference): Lambda's basic
/// execution policy, which a function's role holds by default (`logs:` actions only), the
/// X-Ray daemon's (`xray:` only, attached for tracing), and Lambda's SQS, DynamoDB and
/// Kinesis event source policies (their service's read actions and `logs:`). Every other
/// managed policy counts as allowing it: many
/// broad ones do (AmazonVPCFullAccess, AWSLambdaMSKExecutionRole, ...), and a false
/// error would block a stack that deploys, while a missed one fails at deploy and rolls
/// back.
const NON_GRANTING_POLICIES: &[&str] = &[
    "service-role/AWSLambdaBasicExecutionRole",
    "AWSXRayDaemonWriteAccess",
    "service-role/AWSLambdaSQSQueueExecutionRole",
    "service-role/AWSLambdaDynamoDBExecutionRole",
    "service-role/AWSLambdaKinesisExecutionRole",
];

/// The policy resources that attach a policy to a role apart from the role itself.
const POLICY_TYPES: &[&str] = &[
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
];

/// Checks every `AWS::Lambda::Function` with a `VpcConfig`.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_type("AWS::Lambda::Function") {
        let Some(vpc) = r.field("VpcConfig") else {
            continue;
        };
        // `SubnetIds` empty (or absent) takes the function out of the VPC.
        if matches!(vpc, Expr::NoValue)
            || matches!(crate::value::expr::field(vpc, "SubnetIds"), Some(Expr::Array(s)) if s.is_empty())
        {
            continue;
        }
        let Some(Expr::GetAtt(role, attribute)) = r.field("Role") else {
            continue;
        };
        if &**attribute != "Arn" {
            continue;
        }
        // The first resource of the role's target in stack order, of any type: the first
        // of its ID, unless that one is of another stack.
        let role_entry = match resources.first(&role.id) {
            Some(o) if same(&o.entry.target, role) => o,
            Some(_) => match resources.all().iter().find(|o| same(&o.entry.target, role)) {
                Some(o) => o,
                None => continue,
            },
            None => continue,
        };
        if role_entry.entry.type_name != "AWS::IAM::Role" || may_grant(role_entry, resources) {
            continue;
        }
        let id = &*r.entry.target.id;
        diags.push(Diagnostic::error(
            Location::property(id, "VpcConfig"),
            format!(
                "function `{id}` runs in a VPC, and its role `{}` has no permission to create network interfaces (ec2:CreateNetworkInterface and the rest of the AWS managed policy AWSLambdaVPCAccessExecutionRole): Lambda refuses to create the function",
                role.id
            ),
            format!(
                "add `arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole` (`Fn::Sub` with `${{AWS::Partition}}`) to the ManagedPolicyArns of `{}`, or use the `Function` construct's `.vpc(...)`, which does",
                role.id
            ),
        ));
    }
}

fn same(a: &Target, b: &Target) -> bool {
    a.stack == b.stack && a.id == b.id
}

/// Whether the role may allow `ec2:CreateNetworkInterface`: anything synth cannot read
/// counts as allowing it.
fn may_grant(role: &Resolved, resources: &Resources) -> bool {
    match role.field("ManagedPolicyArns") {
        None | Some(Expr::NoValue) => {}
        Some(Expr::Array(arns)) => {
            if arns.iter().any(|a| match text(a) {
                Some(arn) => granting_arn(&arn),
                None => true,
            }) {
                return true;
            }
        }
        Some(_) => return true,
    }
    if let Some(policies) = role.field("Policies")
        && inline_may_grant(policies)
    {
        return true;
    }
    resources
        .of_types(POLICY_TYPES)
        .iter()
        .any(|o| o.props.values().any(|v| names(v, &role.entry.target)))
}

/// A managed policy ARN that may grant: any but the few of [`NON_GRANTING_POLICIES`]
/// (a customer's policy says what it says elsewhere; an AWS one may be broad).
fn granting_arn(arn: &str) -> bool {
    match arn.split_once(":iam::aws:policy/") {
        Some((_, name)) => !NON_GRANTING_POLICIES.contains(&name),
        None => true,
    }
}

/// The text of a literal string or an `Fn::Sub` whose only placeholders are pseudo
/// parameters (written `${AWS::Partition}`); `None` for anything else.
fn text(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(serde_json::Value::String(s)) => Some(s.clone()),
        Expr::Sub(parts) => parts
            .iter()
            .map(|p| match p {
                SubPart::Text(t) => Some(t.to_string()),
                SubPart::Pseudo(_) => Some("${pseudo}".to_string()),
                SubPart::Var(..) => None,
            })
            .collect(),
        _ => None,
    }
}

/// Whether inline policies may allow `ec2:CreateNetworkInterface`: an action that matches
/// it (`ec2:CreateNetworkInterface`, `ec2:*`, `ec2:Create*`, `*`), a `NotAction`, or any
/// computed part.
fn inline_may_grant(e: &Expr) -> bool {
    match e {
        Expr::Lit(v) => json_may_grant(v),
        Expr::Array(items) => items.iter().any(inline_may_grant),
        Expr::Object(map) => map.iter().any(|(k, v)| match k.as_str() {
            "NotAction" => true,
            "Action" => action_may_grant(v),
            _ => inline_may_grant(v),
        }),
        Expr::NoValue => false,
        _ => true,
    }
}

fn action_may_grant(e: &Expr) -> bool {
    match e {
        Expr::Lit(serde_json::Value::String(a)) => matches_create_eni(a),
        Expr::Lit(serde_json::Value::Array(items)) => items
            .iter()
            .any(|a| a.as_str().is_none_or(matches_create_eni)),
        Expr::Array(items) => items.iter().any(action_may_grant),
        Expr::NoValue => false,
        _ => true,
    }
}

fn json_may_grant(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Array(items) => items.iter().any(json_may_grant),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| match k.as_str() {
            "NotAction" => true,
            "Action" => action_may_grant(&Expr::Lit(v.clone())),
            _ => json_may_grant(v),
        }),
        _ => false,
    }
}

/// Whether an IAM action pattern matches `ec2:CreateNetworkInterface` (case-insensitive,
/// `*` and `?` wildcards).
fn matches_create_eni(pattern: &str) -> bool {
    fn glob(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) => glob(&p[1..], t) || (!t.is_empty() && glob(p, &t[1..])),
            (Some(b'?'), Some(_)) => glob(&p[1..], &t[1..]),
            (Some(a), Some(b)) => a == b && glob(&p[1..], &t[1..]),
            _ => false,
        }
    }
    glob(
        pattern.to_ascii_lowercase().as_bytes(),
        b"ec2:createnetworkinterface",
    )
}

/// Whether an expression refers to `target` anywhere (`Ref` or `Fn::GetAtt`), or is
/// computed in a way synth cannot follow (counted as naming it).
fn names(e: &Expr, target: &Target) -> bool {
    match e {
        Expr::Ref(t) | Expr::GetAtt(t, _) => same(t, target),
        Expr::Lit(_) | Expr::NoValue | Expr::Pseudo(_) | Expr::Invalid(..) => false,
        Expr::Array(items) => items.iter().any(|i| names(i, target)),
        Expr::Object(map) => map.values().any(|v| names(v, target)),
        Expr::Sub(parts) => parts.iter().any(|p| match p {
            SubPart::Var(_, v) => names(v, target),
            _ => false,
        }),
        Expr::If(_, a, b) => names(a, target) || names(b, target),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_patterns_that_allow_creating_a_network_interface() {
        for allows in [
            "ec2:CreateNetworkInterface",
            "ec2:*",
            "EC2:create*",
            "*",
            "ec2:Create?etworkInterface",
        ] {
            assert!(matches_create_eni(allows), "{allows}");
        }
        for denies in [
            "ec2:DescribeNetworkInterfaces",
            "s3:*",
            "ec2:CreateNetworkInterfacePermission",
        ] {
            assert!(!matches_create_eni(denies), "{denies}");
        }
        assert!(granting_arn(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
        ));
        assert!(granting_arn(
            "arn:${pseudo}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
        ));
        assert!(!granting_arn(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        ));
        assert!(!granting_arn(
            "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
        ));
        assert!(granting_arn("arn:aws:iam::123456789012:policy/Mine"));
        // Broad AWS managed policies that allow it too are not refused (rev 6).
        for broad in [
            "AmazonVPCFullAccess",
            "service-role/AWSLambdaMSKExecutionRole",
        ] {
            assert!(
                granting_arn(&format!("arn:aws:iam::aws:policy/{broad}")),
                "{broad}"
            );
        }
    }
}
