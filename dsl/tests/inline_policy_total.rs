//! IAM counts all of a role's inline policies toward one limit (10,240 characters; IAM
//! User Guide, "IAM and AWS STS quotas"): its own `Policies`, its `<Role>DependentGrants`
//! (the statements synth moves out of the role to avoid a dependency cycle) and any
//! `AWS::IAM::RolePolicy` a user writes. Each is checked like the role's own policies:
//! counted toward the one total, and searched for wildcard actions.

use nephos::constructs::grants::{self, Grant};
use nephos::constructs::{Code, Function, FunctionRef, Runtime};
use nephos::security::IAM_WILDCARD_ACTION;
use nephos::{RawResource, Stack};
use serde_json::json;

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

/// `n` distinct actions of about 40 characters each (of the form IAM takes).
fn actions(prefix: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("lambda:{prefix}ConfigurationOfFunction{i:04}"))
        .collect()
}

fn grant_on(stack: &mut Stack, grantee: &FunctionRef, target: &FunctionRef, actions: &[String]) {
    let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
    grants::grant(
        stack,
        grantee,
        Grant::new("many actions")
            .actions(&actions)
            .on(target.arn()),
    )
    .unwrap();
}

#[test]
fn the_moved_statements_count_toward_the_roles_inline_policy_total() {
    // About 5,600 characters stay in the role and about 5,600 move (the function on
    // itself): each alone is under the limit, together they are over it.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Poller");
    let other = function(&mut stack, "Other");
    grant_on(&mut stack, &f, &other, &actions("Get", 140));
    grant_on(&mut stack, &f, &f, &actions("Put", 140));
    let e = stack.synth().unwrap_err().to_string();
    assert!(
        e.contains("PollerRole")
            && e.contains("`PollerRoleDependentGrants`")
            && e.contains("IAM allows 10240"),
        "{e}"
    );

    // Half of each fits.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Poller");
    let other = function(&mut stack, "Other");
    grant_on(&mut stack, &f, &other, &actions("Get", 70));
    grant_on(&mut stack, &f, &f, &actions("Put", 70));
    let t = stack.synth().unwrap();
    assert!(
        t.json()["Resources"]["PollerRoleDependentGrants"].is_object(),
        "the statements on the function moved"
    );
}

#[test]
fn a_user_written_role_policy_counts_toward_the_roles_total() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Poller");
    let other = function(&mut stack, "Other");
    grant_on(&mut stack, &f, &other, &actions("Get", 140));
    let role = f.role().unwrap().clone();
    let extra: Vec<String> = actions("Put", 140);
    stack.add(
        "Extra",
        RawResource::new("AWS::IAM::RolePolicy")
            .property("PolicyName", "extra")
            .property("RoleName", role.name())
            .property(
                "PolicyDocument",
                json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": extra, "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:x"}
                ]}),
            ),
    );
    let e = stack.synth().unwrap_err().to_string();
    assert!(
        e.contains("`Extra`") && e.contains("IAM allows 10240"),
        "{e}"
    );
}

#[test]
fn a_wildcard_action_that_moved_is_reported_unless_the_role_suppressed_it() {
    let build = |suppress: bool| {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "Poller");
        grants::grant(
            &mut stack,
            &f,
            Grant::new("everything on itself")
                .actions(&["*"])
                .on(f.arn()),
        )
        .unwrap();
        if suppress {
            let role = f.role().unwrap().clone();
            stack
                .resource(&role)
                .suppress(IAM_WILDCARD_ACTION, "a test of suppression");
        }
        stack
    };
    let e = build(false).synth().unwrap_err().to_string();
    assert!(
        e.contains(IAM_WILDCARD_ACTION) && e.contains("PollerRoleDependentGrants"),
        "{e}"
    );
    let t = build(true).synth().unwrap();
    assert!(t.json()["Resources"]["PollerRoleDependentGrants"].is_object());
}

#[test]
fn a_wildcard_action_in_a_user_written_role_policy_is_reported() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Poller");
    let role = f.role().unwrap().clone();
    stack.add(
        "Extra",
        RawResource::new("AWS::IAM::RolePolicy")
            .property("PolicyName", "extra")
            .property("RoleName", role.name())
            .property(
                "PolicyDocument",
                json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "*", "Resource": "*"}
                ]}),
            ),
    );
    let e = stack.synth().unwrap_err().to_string();
    assert!(
        e.contains(IAM_WILDCARD_ACTION) && e.contains("Extra"),
        "{e}"
    );
}

/// A policy whose computed values (ARNs known only at deploy) are estimated over the
/// limit, while its literal part is well under it, is not refused: IAM decides at
/// deploy, so synth warns and leaves a deferred note. Only a literal part alone over the
/// limit is an error.
#[test]
fn only_the_literal_part_over_the_limit_is_an_error() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Poller");
    // 110 ARNs given at deploy: about 11,000 bytes at 100 each, under 3,000 literal.
    let mut grant = Grant::new("sending to the given queues").actions(&["sqs:SendMessage"]);
    for i in 0..110 {
        let arn = stack.parameter(&format!("Queue{i}Arn"), nephos::Parameter::string());
        grant = grant.on(&arn);
    }
    grants::grant(&mut stack, &f, grant).unwrap();
    let t = stack.synth().unwrap();
    assert!(
        t.warnings()
            .iter()
            .any(|w| w.message.contains("110 computed values")
                && w.message.contains("IAM decides at deploy")),
        "{:#?}",
        t.warnings()
    );
    assert!(
        t.deferred()
            .iter()
            .any(|d| d.resource == "PollerRole" && d.check.contains("10240")),
        "{:#?}",
        t.deferred()
    );
}

/// An `AWS::IAM::Policy` listing the same role twice is one inline policy of it, counted
/// once.
#[test]
fn a_policy_naming_its_role_twice_counts_once() {
    let build = |roles: usize| {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "Poller");
        let role = f.role().unwrap().clone();
        let names: Vec<_> = (0..roles).map(|_| role.name()).collect();
        stack.add(
            "Extra",
            RawResource::new("AWS::IAM::Policy")
                .property("PolicyName", "extra")
                .property("Roles", names)
                .property(
                    "PolicyDocument",
                    json!({"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": actions("Put", 140), "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:x"}
                    ]}),
                ),
        );
        stack
    };
    // About 5,900 bytes: over the limit only if counted twice.
    build(1).synth().unwrap();
    build(2).synth().unwrap();
}

/// A policy resource naming its role by a literal name: an identity outside the stack is
/// known by that name, and this stack's policies naming it are counted together, each
/// once however often it names the role; a name that is an in-stack role's literal
/// `RoleName` counts toward that role instead.
#[test]
fn policies_naming_a_role_by_literal_name_count_together() {
    let policy = |roles: Vec<&str>| {
        RawResource::new("AWS::IAM::Policy")
            .property("PolicyName", "extra")
            .property("Roles", roles)
            .property(
                "PolicyDocument",
                json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": actions("Put", 140), "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:x"}
                ]}),
            )
    };
    // About 5,900 bytes each: two of them exceed the role's 10,240, one does not.
    let outside = |second: Vec<&str>| {
        let mut stack = Stack::new("App");
        stack.add("First", policy(vec!["external-role"]));
        stack.add("Second", policy(second));
        stack.synth()
    };
    let err = outside(vec!["external-role"]).unwrap_err().to_string();
    assert!(
        err.contains(
            "the inline policies this stack attaches to role `external-role` (`First`, `Second`)"
        ),
        "{err}"
    );
    outside(vec!["other-role"]).unwrap();
    // One policy naming the outside role twice holds it once.
    let mut stack = Stack::new("App");
    stack.add("Only", policy(vec!["external-role", "external-role"]));
    stack.synth().unwrap();
    // A role of the stack with that literal name gets both policies.
    let mut stack = Stack::new("App");
    stack.add(
        "Named",
        RawResource::new("AWS::IAM::Role")
            .property("RoleName", "external-role")
            .property(
                "AssumeRolePolicyDocument",
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            ),
    );
    stack.add("First", policy(vec!["external-role"]));
    stack.add("Second", policy(vec!["external-role"]));
    let err = stack.synth().unwrap_err().to_string();
    assert!(
        err.contains("the role's inline policies (its `Policies` and the policies `First`, `Second` attached to it)"),
        "{err}"
    );
}
