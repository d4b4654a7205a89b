//! Statements checked like IAM reads them: resource-policy principals, the resource a
//! `PolicyTarget` claims to be, case-insensitive action prefixes, and condition values
//! in an order-free canonical form.

use nephos::constructs::grants::{self, Grant};
use nephos::constructs::wiring::resource_policy::{self, PolicyKind, PolicyTarget};
use nephos::constructs::{Code, Function, FunctionRef, Queue, Runtime};
use nephos::kind::Str;
use nephos::policy::{Principal, Statement};
use nephos::{Handle, ResourceRef, Stack, Value};

fn f() -> Function {
    Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
}

// Kind 5: principals.

#[test]
fn malformed_resource_policy_principals_are_refused() {
    for (principal, says) in [
        (Principal::service(""), "service principal"),
        (Principal::service("sns amazonaws com"), "service principal"),
        (Principal::aws(""), "AWS principal"),
        (Principal::aws("not-an-account"), "AWS principal"),
        (Principal::aws("arn:aws:s3:::bucket"), "AWS principal"),
        (Principal::canonical_user("abc"), "canonical user"),
    ] {
        let mut stack = Stack::new("App");
        let q = stack.add("Q", Queue::new());
        resource_policy::add_statement(
            &mut stack,
            &q,
            Statement::allow()
                .action("sqs:SendMessage")
                .resource("*")
                .principal(principal.clone()),
        );
        let e = stack.synth().expect_err("refused").to_string();
        assert!(
            e.contains("QPolicy") && e.contains(says) && e.contains("123456789012"),
            "{principal:?}: {e}"
        );
    }
}

#[test]
fn well_formed_resource_policy_principals_pass() {
    for principal in [
        Principal::service("sns.amazonaws.com"),
        Principal::aws("123456789012"),
        Principal::aws("arn:aws:iam::123456789012:role/worker"),
        Principal::aws("arn:aws:sts::123456789012:assumed-role/r/s"),
        Principal::aws("*"),
        Principal::any(),
        Principal::canonical_user(
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
        ),
    ] {
        let mut stack = Stack::new("App");
        let q = stack.add("Q", Queue::new());
        resource_policy::add_statement(
            &mut stack,
            &q,
            Statement::allow()
                .action("sqs:SendMessage")
                .resource("*")
                .principal(principal.clone())
                // Anyone (`*`) needs a condition: a security check of its own.
                .condition("StringEquals", "aws:SourceAccount", "123456789012"),
        );
        stack
            .synth()
            .unwrap_or_else(|e| panic!("{principal:?}: {e}"));
    }
}

// Kind 6: a `PolicyTarget` implemented outside nephos claiming the wrong kind.

struct Forged(FunctionRef);
impl Handle for Forged {
    fn resource_ref(&self) -> &ResourceRef {
        self.0.resource_ref()
    }
}
impl PolicyTarget for Forged {
    fn policy_kind(&self) -> PolicyKind {
        PolicyKind::Queue
    }
    fn policy_target(&self) -> Value<Str> {
        self.0.arn().cast()
    }
}

#[test]
fn a_policy_target_of_the_wrong_kind_is_refused() {
    let mut stack = Stack::new("App");
    let fun = stack.add("Fn", f());
    resource_policy::add_statement(
        &mut stack,
        &Forged(fun),
        Statement::allow()
            .action("sqs:SendMessage")
            .resource("*")
            .principal(Principal::service("sns.amazonaws.com")),
    );
    let e = stack.synth().expect_err("refused").to_string();
    assert!(
        e.contains("AWS::Lambda::Function") && e.contains("AWS::SQS::QueuePolicy"),
        "{e}"
    );
}

// Kind 7: action names are case-insensitive.

#[test]
fn an_upper_case_service_prefix_is_accepted_as_written() {
    let mut stack = Stack::new("App");
    let fun = stack.add("Fn", f());
    grants::grant(
        &mut stack,
        &fun,
        Grant::new("x").actions(&["S3:GetObject"]).on("*"),
    );
    let t = stack
        .synth()
        .expect("IAM action names are case-insensitive");
    let p = t.json()["Resources"]["FnRole"]["Properties"]["Policies"].to_string();
    assert!(p.contains("\"S3:GetObject\""), "{p}");
    for bad in ["s3:Get Object", "s3:", "s3 :GetObject", "S3_x:Get"] {
        let mut stack = Stack::new("App");
        let fun = stack.add("Fn", f());
        grants::grant(&mut stack, &fun, Grant::new("x").actions(&[bad]).on("*"));
        assert!(stack.synth().is_err(), "{bad}");
    }
}

// Kind 8: condition values are order-free.

fn conditioned(first: Vec<&str>, second: &str) -> String {
    let mut stack = Stack::new("App");
    let fun = stack.add("Fn", f());
    grants::grant(
        &mut stack,
        &fun,
        Grant::new("a")
            .actions(&["s3:GetObject"])
            .on("arn:aws:s3:::b/*")
            .condition("StringEquals", "aws:SourceVpc", first)
            .condition("StringEquals", "aws:SourceVpc", second),
    );
    grants::grant(
        &mut stack,
        &fun,
        Grant::new("b")
            .actions(&["s3:PutObject"])
            .on("arn:aws:s3:::b/*")
            .condition(
                "StringEquals",
                "aws:SourceVpc",
                vec!["vpc-1", "vpc-2", "vpc-3"],
            ),
    );
    let t = stack.synth().expect("synth");
    t.json()["Resources"]["FnRole"]["Properties"]["Policies"].to_string()
}

#[test]
fn condition_values_are_sorted_deduplicated_and_merge() {
    let a = conditioned(vec!["vpc-3", "vpc-2"], "vpc-1");
    let b = conditioned(vec!["vpc-1", "vpc-3"], "vpc-2");
    let c = conditioned(vec!["vpc-2", "vpc-2", "vpc-1"], "vpc-3");
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert!(a.contains(r#"["vpc-1","vpc-2","vpc-3"]"#), "{a}");
    // One statement: the two grants' conditions are the same set, so they merge.
    let policies: serde_json::Value = serde_json::from_str(&a).unwrap();
    let statements = policies[0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    assert_eq!(statements.len(), 1, "{a}");
}

#[test]
fn statement_condition_values_are_canonical() {
    let doc = |s: Statement| {
        nephos::IntoValue::<nephos::policy::PolicyDocument>::into_value(
            nephos::policy::PolicyDocument::new().statement(s),
        )
        .to_json()
    };
    let a = doc(Statement::allow()
        .action("s3:GetObject")
        .resource("*")
        .condition("StringEquals", "aws:x", vec!["b", "a"])
        .condition("StringEquals", "aws:x", "a"));
    let b = doc(Statement::allow()
        .action("s3:GetObject")
        .resource("*")
        .condition("StringEquals", "aws:x", "a")
        .condition("StringEquals", "aws:x", "b"));
    assert_eq!(a, b);
    assert_eq!(
        a["Statement"][0]["Condition"]["StringEquals"]["aws:x"],
        serde_json::json!(["a", "b"])
    );
}
