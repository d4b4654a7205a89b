//! Policy parts CloudFormation computes at deploy time.
//!
//! A policy document, a statement, a list of inline policies or of ingress rules may be
//! written as an intrinsic (`Fn::If`, `Fn::Sub`, `Ref`, `Fn::ImportValue`...) instead of the
//! object or list the grant extraction reads. Such a part is never dropped: an `Fn::If` is
//! split into its two branches, each read under its condition, and anything else becomes one
//! grant "not known offline" quoting the expression, which counts as broadening whichever
//! way it changes (it may be an `Allow` as well as a `Deny`).

use serde_json::Value;

use super::security::Grant;
use super::value::{is_intrinsic, show};

/// The effect of a grant whose content only deploy time resolves.
pub(super) const NOT_KNOWN: &str = "(not known offline)";

/// One value a policy position may take, and under which conditions.
pub(super) struct Branch<'a> {
    /// The value: an object or list to read when `known`, else the intrinsic itself.
    pub(super) value: &'a Value,
    /// The `Fn::If` conditions leading here (`condition IsProd is true`), joined by `, `;
    /// empty when unconditional.
    pub(super) when: String,
    /// Whether `value` is plain JSON (not an intrinsic).
    pub(super) known: bool,
}

/// The values `v` may take offline: plain JSON as it is, each branch of an `Fn::If` under
/// its condition, nothing for `Ref: AWS::NoValue` (the part is absent), and any other
/// intrinsic as an unknown branch. The branches are at most as many as `v` has JSON nodes.
pub(super) fn branches<'a>(v: &'a Value, when: &str) -> Vec<Branch<'a>> {
    let mut out = Vec::new();
    walk(v, when.to_owned(), &mut out);
    out
}

fn walk<'a>(v: &'a Value, when: String, out: &mut Vec<Branch<'a>>) {
    if !is_intrinsic(v) {
        out.push(Branch {
            value: v,
            when,
            known: true,
        });
        return;
    }
    if v.get("Ref").and_then(Value::as_str) == Some("AWS::NoValue") {
        return;
    }
    if let Some(Value::Array(a)) = v.get("Fn::If")
        && let [name, then, otherwise] = a.as_slice()
    {
        let name = show(name);
        walk(then, and(&when, &format!("condition {name} is true")), out);
        walk(
            otherwise,
            and(&when, &format!("condition {name} is false")),
            out,
        );
        return;
    }
    out.push(Branch {
        value: v,
        when,
        known: false,
    });
}

/// `when` and `more`, joined.
pub(super) fn and(when: &str, more: &str) -> String {
    match (when.is_empty(), more.is_empty()) {
        (true, _) => more.to_owned(),
        (_, true) => when.to_owned(),
        _ => format!("{when}, {more}"),
    }
}

/// The grant of a policy part only deploy time resolves: its expression, shown.
pub(super) fn not_known(owner: &str, policy: &'static str, expr: &Value, when: String) -> Grant {
    Grant {
        owner: owner.to_owned(),
        policy,
        effect: NOT_KNOWN.into(),
        principal: String::new(),
        resource: show(expr),
        condition: when,
        action: "(whatever it resolves to)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_if_splits_into_its_branches_and_no_value_is_nothing() {
        let v = json!({"Fn::If": ["IsProd", {"a": 1}, {"Fn::If": ["Eu", {"Ref": "AWS::NoValue"}, {"Fn::Sub": "x"}]}]});
        let got: Vec<(String, bool)> = branches(&v, "")
            .into_iter()
            .map(|b| (b.when, b.known))
            .collect();
        assert_eq!(
            got,
            [
                ("condition IsProd is true".to_owned(), true),
                (
                    "condition IsProd is false, condition Eu is false".to_owned(),
                    false
                ),
            ]
        );
        assert_eq!(branches(&json!([1]), "w")[0].when, "w");
    }

    fn one(ty: &str, props: Value) -> Value {
        json!({"Resources": {"R": {"Type": ty, "Properties": props}}})
    }

    /// Every place of a template that carries a grant, written as an intrinsic, with a text
    /// the review must show for it.
    fn computed_places() -> Vec<(Value, &'static str)> {
        let stmt = json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"});
        let sub = json!({"Fn::Sub": "{\"Statement\": [${Stmts}]}"});
        let if_doc = json!({"Fn::If": ["IsProd", {"Statement": [stmt]}, {"Ref": "AWS::NoValue"}]});
        vec![
            (
                one("AWS::IAM::ManagedPolicy", json!({"PolicyDocument": sub})),
                "${Stmts}",
            ),
            (
                one("AWS::IAM::Policy", json!({"PolicyDocument": if_doc})),
                "condition IsProd is true",
            ),
            (
                one(
                    "AWS::IAM::Policy",
                    json!({"PolicyDocument": {"Statement": {"Ref": "Stmts"}}}),
                ),
                "${Stmts}",
            ),
            (
                one(
                    "AWS::S3::BucketPolicy",
                    json!({"PolicyDocument": {"Statement": [{"Fn::If": ["Open", stmt, {"Ref": "AWS::NoValue"}]}]}}),
                ),
                "condition Open is true",
            ),
            (
                one(
                    "AWS::IAM::Role",
                    json!({"Policies": {"Fn::If": ["IsProd", [{"PolicyName": "p", "PolicyDocument": {"Statement": [stmt]}}], []]}}),
                ),
                "condition IsProd is true",
            ),
            (
                one(
                    "AWS::IAM::Role",
                    json!({"Policies": [{"Fn::ImportValue": "SharedPolicy"}]}),
                ),
                "SharedPolicy",
            ),
            (
                one(
                    "AWS::EC2::SecurityGroup",
                    json!({"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Ref": "Cidr"}}]}),
                ),
                "${Cidr}",
            ),
            (
                one(
                    "AWS::EC2::SecurityGroup",
                    json!({"SecurityGroupIngress": {"Ref": "Rules"}}),
                ),
                "${Rules}",
            ),
            (
                one("AWS::S3::Bucket", json!({"AccessControl": {"Ref": "Acl"}})),
                "${Acl}",
            ),
            (
                one(
                    "AWS::Lambda::Url",
                    json!({"AuthType": {"Ref": "Auth"}, "TargetFunctionArn": "arn:f"}),
                ),
                "${Auth}",
            ),
            (
                one(
                    "AWS::ApiGateway::Method",
                    json!({"HttpMethod": "GET", "AuthorizationType": {"Ref": "Auth"}}),
                ),
                "${Auth}",
            ),
        ]
    }

    #[test]
    fn a_grant_built_from_intrinsics_is_shown_never_dropped() {
        use crate::diff::model::Direction;
        use crate::diff::security::diff;
        for (t, shown) in computed_places() {
            let added = diff(&Value::Null, &t);
            let text = format!("{added:?}");
            assert!(
                !added.is_empty() && text.contains(shown),
                "{t}: no grant showing {shown}: {text}"
            );
            assert!(
                added.iter().all(|c| c.direction == Direction::Broadening),
                "{t}: {text}"
            );
        }
    }

    #[test]
    fn removing_a_part_not_known_offline_may_broaden_too() {
        use crate::diff::model::Direction;
        use crate::diff::security::diff;
        let t = one(
            "AWS::IAM::ManagedPolicy",
            json!({"PolicyDocument": {"Fn::ImportValue": "Doc"}}),
        );
        let removed = diff(&t, &Value::Null);
        assert_eq!(removed.len(), 1, "{removed:?}");
        assert_eq!(removed[0].effect, NOT_KNOWN);
        assert_eq!(removed[0].direction, Direction::Broadening);
    }
}
