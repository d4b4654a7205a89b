//! The IAM/security delta: which permissions a template change grants or takes away.
//!
//! Every policy statement, Lambda permission and managed-policy attachment is exploded into
//! atomic grants (one effect, principal, action and resource each); the delta is the set
//! difference of the grants of both templates, grouped back for display. A grant that
//! appears with `Allow` (or disappears with `Deny`) broadens access; the reverse narrows it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::model::ChangeKind;
use super::value::show;

/// Whether a change gives or takes away access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// More access than before.
    Broadening,
    /// Less access than before.
    Narrowing,
}

/// A group of grants that appeared or disappeared together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityChange {
    /// Broadening or narrowing.
    pub direction: Direction,
    /// Added or removed (never modified: a changed grant is one of each).
    pub kind: ChangeKind,
    /// The logical id of the resource carrying the policy.
    pub owner: String,
    /// What kind of policy: `identity`, `trust`, `resource`, `lambda-permission`, `managed`.
    pub policy: String,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// Who (empty for identity policies, whose principal is the role they attach to).
    pub principal: String,
    /// The actions.
    pub actions: Vec<String>,
    /// The resource the grants apply to.
    pub resource: String,
    /// The statement's condition, compact JSON, if any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Grant {
    owner: String,
    policy: &'static str,
    effect: String,
    principal: String,
    resource: String,
    condition: String,
    action: String,
}

/// The security delta between two templates.
pub fn diff(old: &Value, new: &Value) -> Vec<SecurityChange> {
    let (a, b) = (grants(old), grants(new));
    let mut out = group(b.difference(&a), ChangeKind::Added);
    out.extend(group(a.difference(&b), ChangeKind::Removed));
    out.sort_by(|x, y| (&x.owner, x.kind, &x.resource).cmp(&(&y.owner, y.kind, &y.resource)));
    out
}

/// Grants that differ only in their action are shown together.
type GroupKey = (String, &'static str, String, String, String, String);

fn group<'a>(grants: impl Iterator<Item = &'a Grant>, kind: ChangeKind) -> Vec<SecurityChange> {
    let mut groups: BTreeMap<GroupKey, Vec<String>> = BTreeMap::new();
    for g in grants {
        let key = (
            g.owner.clone(),
            g.policy,
            g.effect.clone(),
            g.principal.clone(),
            g.resource.clone(),
            g.condition.clone(),
        );
        groups.entry(key).or_default().push(g.action.clone());
    }
    groups
        .into_iter()
        .map(
            |((owner, policy, effect, principal, resource, condition), actions)| {
                let allow = effect == "Allow";
                let direction = match (kind, allow) {
                    (ChangeKind::Added, true) | (ChangeKind::Removed, false) => {
                        Direction::Broadening
                    }
                    _ => Direction::Narrowing,
                };
                SecurityChange {
                    direction,
                    kind,
                    owner,
                    policy: policy.to_owned(),
                    effect,
                    principal,
                    actions,
                    resource,
                    condition,
                }
            },
        )
        .collect()
}

/// Every grant a template makes.
fn grants(t: &Value) -> BTreeSet<Grant> {
    let mut out = BTreeSet::new();
    let Some(resources) = t.get("Resources").and_then(Value::as_object) else {
        return out;
    };
    for (id, r) in resources {
        let ty = r.get("Type").and_then(Value::as_str).unwrap_or("");
        let p = r.get("Properties").unwrap_or(&Value::Null);
        match ty {
            "AWS::IAM::Role" => {
                statements(id, "trust", p.get("AssumeRolePolicyDocument"), &mut out);
                for pol in p
                    .get("Policies")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    statements(id, "identity", pol.get("PolicyDocument"), &mut out);
                }
                managed(id, p.get("ManagedPolicyArns"), &mut out);
            }
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy"
            | "AWS::IAM::RolePolicy" => {
                statements(id, "identity", p.get("PolicyDocument"), &mut out);
            }
            "AWS::IAM::User" | "AWS::IAM::Group" => {
                for pol in p
                    .get("Policies")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    statements(id, "identity", pol.get("PolicyDocument"), &mut out);
                }
                managed(id, p.get("ManagedPolicyArns"), &mut out);
            }
            "AWS::S3::BucketPolicy"
            | "AWS::SQS::QueuePolicy"
            | "AWS::SNS::TopicPolicy"
            | "AWS::KMS::Key"
            | "AWS::SecretsManager::ResourcePolicy" => {
                let doc = p
                    .get("PolicyDocument")
                    .or_else(|| p.get("KeyPolicy"))
                    .or_else(|| p.get("ResourcePolicy"));
                statements(id, "resource", doc, &mut out);
            }
            "AWS::Lambda::Permission" => lambda_permission(id, p, &mut out),
            _ => {}
        }
    }
    out
}

fn list(v: Option<&Value>) -> Vec<String> {
    match v {
        None => Vec::new(),
        Some(Value::Array(a)) => a.iter().map(show).collect(),
        Some(one) => vec![show(one)],
    }
}

fn principals(v: Option<&Value>) -> Vec<String> {
    match v {
        None => vec![String::new()],
        Some(Value::Object(m)) if !super::value::is_intrinsic(v.unwrap_or(&Value::Null)) => m
            .iter()
            .flat_map(|(kind, who)| {
                list(Some(who))
                    .into_iter()
                    .map(move |w| format!("{kind}:{w}"))
            })
            .collect(),
        Some(other) => list(Some(other)),
    }
}

fn statements(owner: &str, policy: &'static str, doc: Option<&Value>, out: &mut BTreeSet<Grant>) {
    let stmts = match doc.and_then(|d| d.get("Statement")) {
        Some(Value::Array(a)) => a.clone(),
        Some(one) => vec![one.clone()],
        None => return,
    };
    for s in &stmts {
        let effect = s.get("Effect").map(show).unwrap_or_else(|| "Allow".into());
        let condition = s.get("Condition").map(Value::to_string).unwrap_or_default();
        let mut actions = list(s.get("Action"));
        actions.extend(
            list(s.get("NotAction"))
                .into_iter()
                .map(|a| format!("NOT {a}")),
        );
        let mut res = list(s.get("Resource"));
        res.extend(
            list(s.get("NotResource"))
                .into_iter()
                .map(|r| format!("NOT {r}")),
        );
        if res.is_empty() {
            res.push(String::new());
        }
        let mut who = principals(s.get("Principal"));
        who.extend(
            list(s.get("NotPrincipal"))
                .into_iter()
                .map(|p| format!("NOT {p}")),
        );
        for principal in &who {
            for resource in &res {
                for action in &actions {
                    out.insert(Grant {
                        owner: owner.to_owned(),
                        policy,
                        effect: effect.clone(),
                        principal: principal.clone(),
                        resource: resource.clone(),
                        condition: condition.clone(),
                        action: action.clone(),
                    });
                }
            }
        }
    }
}

fn managed(owner: &str, arns: Option<&Value>, out: &mut BTreeSet<Grant>) {
    for arn in list(arns) {
        out.insert(Grant {
            owner: owner.to_owned(),
            policy: "managed",
            effect: "Allow".into(),
            principal: String::new(),
            resource: arn,
            condition: String::new(),
            action: "(attach managed policy)".into(),
        });
    }
}

fn lambda_permission(owner: &str, p: &Value, out: &mut BTreeSet<Grant>) {
    let mut cond = serde_json::Map::new();
    for k in [
        "SourceArn",
        "SourceAccount",
        "PrincipalOrgID",
        "FunctionUrlAuthType",
    ] {
        if let Some(v) = p.get(k) {
            cond.insert(k.to_owned(), Value::String(show(v)));
        }
    }
    out.insert(Grant {
        owner: owner.to_owned(),
        policy: "lambda-permission",
        effect: "Allow".into(),
        principal: p.get("Principal").map(show).unwrap_or_default(),
        resource: p.get("FunctionName").map(show).unwrap_or_default(),
        condition: if cond.is_empty() {
            String::new()
        } else {
            Value::Object(cond).to_string()
        },
        action: p.get("Action").map(show).unwrap_or_default(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn role(actions: Value) -> Value {
        json!({"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": ["T", "Arn"]}}]}}]}}}})
    }

    #[test]
    fn an_added_action_is_broadening_and_only_that_action_is_listed() {
        let d = diff(
            &role(json!(["dynamodb:GetItem"])),
            &role(json!(["dynamodb:GetItem", "dynamodb:PutItem"])),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].direction, Direction::Broadening);
        assert_eq!(d[0].actions, ["dynamodb:PutItem"]);
        assert_eq!(d[0].resource, "${T.Arn}");
    }

    #[test]
    fn a_removed_allow_narrows_and_a_removed_deny_broadens() {
        let d = diff(&role(json!("s3:GetObject")), &role(json!([])));
        assert_eq!(d[0].direction, Direction::Narrowing);
        let deny = |on: bool| {
            let stmt = if on {
                json!([{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}])
            } else {
                json!([])
            };
            json!({"Resources": {"P": {"Type": "AWS::S3::BucketPolicy", "Properties": {"PolicyDocument": {"Statement": stmt}}}}})
        };
        assert_eq!(
            diff(&deny(true), &deny(false))[0].direction,
            Direction::Broadening
        );
    }

    #[test]
    fn lambda_permissions_are_grants() {
        let new = json!({"Resources": {"Perm": {"Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "Fn"},
            "Principal": "s3.amazonaws.com", "SourceArn": "arn:aws:s3:::b"}}}});
        let d = diff(&Value::Null, &new);
        assert_eq!(d[0].policy, "lambda-permission");
        assert_eq!(d[0].principal, "s3.amazonaws.com");
        assert_eq!(d[0].direction, Direction::Broadening);
    }
}
