//! The IAM/security delta: which permissions a template change grants or takes away.
//!
//! Every policy statement, Lambda permission and managed-policy attachment is exploded into
//! atomic grants (one effect, principal, action and resource each); the delta is the set
//! difference of the grants of both templates, grouped back for display. A grant that
//! appears with `Allow` (or disappears with `Deny`) broadens access; the reverse narrows it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::model::ChangeKind;
pub use super::model::{Direction, SecurityChange};
use super::security_computed as computed;
use super::value::{is_intrinsic, show};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Grant {
    pub(super) owner: String,
    pub(super) policy: &'static str,
    pub(super) effect: String,
    pub(super) principal: String,
    pub(super) resource: String,
    pub(super) condition: String,
    pub(super) action: String,
}

/// The grant delta between two templates: the grants that appear or disappear.
pub fn diff(old: &Value, new: &Value) -> Vec<SecurityChange> {
    let (a, b) = (grants(old), grants(new));
    let mut out = group(b.difference(&a), ChangeKind::Added);
    out.extend(group(a.difference(&b), ChangeKind::Removed));
    sort(&mut out);
    out
}

/// The review's whole security delta: the grant delta ([`diff`]) and every change of who a
/// resource acts as ([`super::security_identity`]), which no grant shows. `old`/`new` are
/// the resolved templates, `old_res`/`new_res` the resources existing on each side,
/// `resources` the resource diff.
pub(super) fn review(
    old: &Value,
    new: &Value,
    old_res: &Map<String, Value>,
    new_res: &Map<String, Value>,
    resources: &[super::model::ResourceDiff],
) -> Vec<SecurityChange> {
    let mut out = diff(old, new);
    out.extend(super::security_identity::diff(
        old, new, old_res, new_res, resources,
    ));
    sort(&mut out);
    out
}

/// The order of the review: by resource, kind, then what is granted or which property.
fn sort(out: &mut [SecurityChange]) {
    out.sort_by(|x, y| (&x.owner, x.kind, &x.resource).cmp(&(&y.owner, y.kind, &y.resource)));
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
                // A part not known offline may be an Allow or a Deny: any change to it may
                // broaden access.
                let direction = match (kind, allow) {
                    _ if effect == computed::NOT_KNOWN => Direction::Broadening,
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
                    expansion: None,
                    identity: None,
                }
            },
        )
        .collect()
}

/// Every grant a template makes.
pub(super) fn grants(t: &Value) -> BTreeSet<Grant> {
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
                identity_policies(id, p, &mut out);
            }
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy"
            | "AWS::IAM::RolePolicy" => {
                statements(id, "identity", p.get("PolicyDocument"), &mut out);
            }
            "AWS::IAM::User" | "AWS::IAM::Group" => identity_policies(id, p, &mut out),
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
            "AWS::Lambda::Url" | "AWS::ApiGateway::Method" | "AWS::ApiGatewayV2::Route" => {
                out.extend(public_endpoint(id, ty, p));
            }
            _ => {
                // Every other policy carrier, found in the registry schemas (see
                // `nephos::facts::policy_documents`), is a resource policy.
                for prop in nephos::facts::policy_documents(ty) {
                    statements(id, "resource", p.get(*prop), &mut out);
                }
                out.extend(super::security_grants::without_document(id, ty, p));
            }
        }
    }
    out
}

/// An endpoint anyone can call: a function URL with `AuthType: NONE`, an API Gateway
/// method with `AuthorizationType: NONE` (the default) or an HTTP API route without an
/// authorizer. It is a grant to `*`, so adding one broadens access; an authorized endpoint
/// grants nothing here (its callers need IAM permissions, which are diffed themselves).
fn public_endpoint(owner: &str, ty: &str, p: &Value) -> Option<Grant> {
    let str_of = |k: &str| p.get(k).map(show).unwrap_or_default();
    // An authorization computed at deploy time may be `NONE`: it counts as open, and the
    // grant says it is not known offline.
    let open = |k: &str| {
        p.get(k)
            .is_none_or(|v| is_intrinsic(v) || show(v) == "NONE")
    };
    let not_known = |k: &str| {
        p.get(k)
            .filter(|v| is_intrinsic(v))
            .map(|v| format!(" ({k} {}: not known offline)", show(v)))
            .unwrap_or_default()
    };
    let (policy, action, resource, condition) = match ty {
        "AWS::Lambda::Url" => {
            if !p
                .get("AuthType")
                .is_some_and(|v| is_intrinsic(v) || show(v) == "NONE")
            {
                return None;
            }
            let qualifier = p
                .get("Qualifier")
                .map(|q| format!(":{}", show(q)))
                .unwrap_or_default();
            (
                "function-url",
                "lambda:InvokeFunctionUrl".to_owned(),
                format!("{}{qualifier}", str_of("TargetFunctionArn")),
                format!("AuthType NONE{}", not_known("AuthType")),
            )
        }
        "AWS::ApiGateway::Method" => {
            if !open("AuthorizationType") {
                return None;
            }
            let key = if p.get("ApiKeyRequired").and_then(Value::as_bool) == Some(true) {
                "AuthorizationType NONE, API key required"
            } else {
                "AuthorizationType NONE"
            };
            (
                "api-method",
                format!("execute-api:Invoke {}", str_of("HttpMethod")),
                format!("{}/{}", str_of("RestApiId"), str_of("ResourceId")),
                format!("{key}{}", not_known("AuthorizationType")),
            )
        }
        _ => {
            if !open("AuthorizationType") {
                return None;
            }
            (
                "api-route",
                format!("execute-api:Invoke {}", str_of("RouteKey")),
                str_of("ApiId"),
                format!("no AuthorizationType{}", not_known("AuthorizationType")),
            )
        }
    };
    Some(Grant {
        owner: owner.to_owned(),
        policy,
        effect: "Allow".into(),
        principal: "*".into(),
        resource,
        condition,
        action,
    })
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
    if let Some(doc) = doc {
        computed_document(owner, policy, doc, "", out);
    }
}

/// A document that may be written as an intrinsic (`Fn::If`, or text built by `Fn::Sub`):
/// read branch by branch, or shown as not known offline, never dropped.
fn computed_document(
    owner: &str,
    policy: &'static str,
    doc: &Value,
    when: &str,
    out: &mut BTreeSet<Grant>,
) {
    for b in computed::branches(doc, when) {
        if b.known {
            document(owner, policy, b.value, &b.when, out);
        } else {
            out.insert(computed::not_known(owner, policy, b.value, b.when));
        }
    }
}

/// The grants of one policy document (an object, or JSON text) under the `Fn::If`
/// conditions `when` leading to it.
fn document(owner: &str, policy: &'static str, doc: &Value, when: &str, out: &mut BTreeSet<Grant>) {
    // A document may be written as a JSON string (the schemas allow object or string).
    // One that does not parse cannot be judged, so it is a grant of its own text: adding
    // or changing it needs approval (fail closed).
    let parsed;
    let doc = match doc {
        // Duplicate keys are unreadable too: which of two `Effect`s IAM applies is not
        // something to guess.
        Value::String(text) => match crate::source::unique_json::from_str_unique(text) {
            Ok(v) => {
                parsed = v;
                &parsed
            }
            Err(_) => {
                out.insert(Grant {
                    owner: owner.to_owned(),
                    policy,
                    effect: "Allow".into(),
                    principal: "(unreadable policy text)".into(),
                    resource: show(&Value::String(text.chars().take(200).collect())),
                    condition: when.to_owned(),
                    action: "(unreadable policy text)".into(),
                });
                return;
            }
        },
        other => other,
    };
    let stmts: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
        // A single statement, as `AWS::Events::EventBusPolicy.Statement`.
        None if doc.get("Effect").is_some() => vec![doc],
        None => return,
    };
    for listed in stmts {
        // `Statement` itself, or one of its entries, may be an intrinsic too.
        for b in computed::branches(listed, when) {
            match b.value {
                Value::Array(a) if b.known => {
                    for s in a {
                        statement(owner, policy, s, &b.when, out);
                    }
                }
                s if b.known => statement(owner, policy, s, &b.when, out),
                s => {
                    out.insert(computed::not_known(owner, policy, s, b.when));
                }
            }
        }
    }
}

/// The grants of one statement.
fn statement(owner: &str, policy: &'static str, s: &Value, when: &str, out: &mut BTreeSet<Grant>) {
    if is_intrinsic(s) {
        for b in computed::branches(s, when) {
            if b.known {
                statement(owner, policy, b.value, &b.when, out);
            } else {
                out.insert(computed::not_known(owner, policy, b.value, b.when));
            }
        }
        return;
    }
    let effect = s.get("Effect").map(show).unwrap_or_else(|| "Allow".into());
    let condition = computed::and(
        when,
        &s.get("Condition").map(Value::to_string).unwrap_or_default(),
    );
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

/// The inline `Policies` and `ManagedPolicyArns` of a role, user or group.
fn identity_policies(owner: &str, p: &Value, out: &mut BTreeSet<Grant>) {
    // The list, or one of its policies, may be an intrinsic: read by branch, or not known.
    let policies = p.get("Policies").map(|v| computed::branches(v, ""));
    for list in policies.into_iter().flatten() {
        let entries: Vec<&Value> = match list.value {
            Value::Array(a) if list.known => a.iter().collect(),
            one => vec![one],
        };
        for entry in entries {
            for b in computed::branches(entry, &list.when) {
                if !b.known {
                    out.insert(computed::not_known(owner, "identity", b.value, b.when));
                } else if let Some(doc) = b.value.get("PolicyDocument") {
                    computed_document(owner, "identity", doc, &b.when, out);
                }
            }
        }
    }
    managed(owner, p.get("ManagedPolicyArns"), out);
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

    /// One template per permission-bearing type, each granting something.
    fn bearing() -> Vec<(&'static str, &'static str, Value)> {
        let doc = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
            "Action": "s3:GetObject", "Resource": "*"}]});
        let identity = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]});
        let inline = json!([{"PolicyName": "p", "PolicyDocument": identity}]);
        vec![
            (
                "AWS::IAM::Role",
                "trust",
                json!({"AssumeRolePolicyDocument": doc}),
            ),
            ("AWS::IAM::Role", "identity", json!({"Policies": inline})),
            (
                "AWS::IAM::Role",
                "managed",
                json!({"ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}),
            ),
            (
                "AWS::IAM::Policy",
                "identity",
                json!({"PolicyDocument": identity}),
            ),
            (
                "AWS::IAM::ManagedPolicy",
                "identity",
                json!({"PolicyDocument": identity}),
            ),
            ("AWS::IAM::User", "identity", json!({"Policies": inline})),
            (
                "AWS::IAM::User",
                "managed",
                json!({"ManagedPolicyArns": ["arn:aws:iam::1:policy/x"]}),
            ),
            ("AWS::IAM::Group", "identity", json!({"Policies": inline})),
            (
                "AWS::S3::BucketPolicy",
                "resource",
                json!({"PolicyDocument": doc}),
            ),
            (
                "AWS::SNS::TopicPolicy",
                "resource",
                json!({"PolicyDocument": doc}),
            ),
            (
                "AWS::SQS::QueuePolicy",
                "resource",
                json!({"PolicyDocument": doc}),
            ),
            ("AWS::KMS::Key", "resource", json!({"KeyPolicy": doc})),
            (
                "AWS::Lambda::Permission",
                "lambda-permission",
                json!({"Action": "lambda:InvokeFunction",
                "FunctionName": "f", "Principal": "sns.amazonaws.com"}),
            ),
            (
                "AWS::Lambda::Url",
                "function-url",
                json!({"AuthType": "NONE", "TargetFunctionArn": "arn:f"}),
            ),
            (
                "AWS::ApiGateway::Method",
                "api-method",
                json!({"HttpMethod": "POST", "AuthorizationType": "NONE",
                "RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "Users"}}),
            ),
            (
                "AWS::ApiGatewayV2::Route",
                "api-route",
                json!({"ApiId": {"Ref": "Http"}, "RouteKey": "GET /"}),
            ),
        ]
    }

    fn one(ty: &str, props: &Value) -> Value {
        json!({"Resources": {"R": {"Type": ty, "Properties": props}}})
    }

    #[test]
    fn every_permission_bearing_type_broadens_when_added_and_narrows_when_removed() {
        for (ty, policy, props) in bearing() {
            let t = one(ty, &props);
            let added = diff(&Value::Null, &t);
            assert!(!added.is_empty(), "{ty}: no grant");
            assert!(
                added
                    .iter()
                    .all(|c| c.direction == Direction::Broadening && c.policy == policy),
                "{ty}: {added:?}"
            );
            let removed = diff(&t, &Value::Null);
            assert!(
                removed.iter().all(|c| c.direction == Direction::Narrowing),
                "{ty}: {removed:?}"
            );
        }
    }

    #[test]
    fn authorized_endpoints_grant_nothing_and_opening_one_broadens() {
        let url = |auth: &str| {
            one(
                "AWS::Lambda::Url",
                &json!({"AuthType": auth, "TargetFunctionArn": "arn:f"}),
            )
        };
        assert!(diff(&Value::Null, &url("AWS_IAM")).is_empty());
        let opened = diff(&url("AWS_IAM"), &url("NONE"));
        assert_eq!(opened.len(), 1);
        assert_eq!(opened[0].direction, Direction::Broadening);
        assert_eq!(opened[0].principal, "*");
        assert_eq!(
            diff(&url("NONE"), &url("AWS_IAM"))[0].direction,
            Direction::Narrowing
        );

        let method = |auth: &str| {
            one(
                "AWS::ApiGateway::Method",
                &json!({"HttpMethod": "GET", "AuthorizationType": auth}),
            )
        };
        assert!(diff(&Value::Null, &method("AWS_IAM")).is_empty());
        assert!(diff(&Value::Null, &method("COGNITO_USER_POOLS")).is_empty());
        let route = |auth: Option<&str>| {
            let mut p = json!({"RouteKey": "GET /"});
            if let Some(a) = auth {
                p["AuthorizationType"] = json!(a);
            }
            one("AWS::ApiGatewayV2::Route", &p)
        };
        assert!(diff(&Value::Null, &route(Some("JWT"))).is_empty());
        assert_eq!(
            diff(&Value::Null, &route(None))[0].actions,
            ["execute-api:Invoke GET /"]
        );
        assert_eq!(
            diff(&route(Some("JWT")), &route(Some("NONE")))[0].direction,
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

    #[test]
    fn a_policy_text_with_a_repeated_key_is_unreadable_and_needs_approval() {
        // As an object this grants one read; as text with a second `Effect`/`Action`, IAM may
        // read either: the text is a grant of its own (broadening) rather than last-wins.
        let text = |body: &str| {
            json!({"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy",
                "Properties": {"PolicyDocument": body}}}})
        };
        let clean = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let repeated = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Action":"*","Resource":"*"}]}"#;
        let d = diff(&text(clean), &text(repeated));
        assert!(
            d.iter().any(|c| c.direction == Direction::Broadening
                && c.actions
                    .iter()
                    .any(|a| a.contains("unreadable policy text"))),
            "{d:?}"
        );
    }
}
