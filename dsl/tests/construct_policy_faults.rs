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

// Kind 10: deliveries and endpoints AWS refuses at deploy or run time, caught at synth.

#[test]
fn fifo_deliveries_aws_refuses_are_synth_errors() {
    use nephos::constructs::{Bucket, NotificationFilter, S3Event, Topic};
    // S3 cannot notify a FIFO queue.
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new().configure(|l1| l1.fifo_queue(true)));
    let b = stack.add("B", Bucket::new());
    b.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("a/"),
        &q,
    );
    let e = stack.synth().expect_err("refused").to_string();
    assert!(
        e.contains("`Q`") && e.contains("FifoQueue") && e.contains("S3"),
        "{e}"
    );

    // A standard topic cannot deliver to a FIFO queue; a FIFO topic can.
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new().configure(|l1| l1.fifo_queue(true)));
    let t = stack.add("T", Topic::new());
    t.subscribe_queue_with(
        &mut stack,
        &q,
        nephos::constructs::SubscriptionOptions::new(),
    );
    let e = stack.synth().expect_err("refused").to_string();
    assert!(
        e.contains("FifoQueue") && e.contains("standard topic `T`"),
        "{e}"
    );
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new().configure(|l1| l1.fifo_queue(true)));
    let t = stack.add("T", Topic::new().configure(|l1| l1.fifo_topic(true)));
    t.subscribe_queue_with(
        &mut stack,
        &q,
        nephos::constructs::SubscriptionOptions::new(),
    );
    stack.synth().expect("FIFO topic to FIFO queue");

    // A FIFO topic delivers only to queues.
    let mut stack = Stack::new("App");
    let fun = stack.add("Fn", f());
    let t = stack.add("T", Topic::new().configure(|l1| l1.fifo_topic(true)));
    t.subscribe_function(&mut stack, &fun);
    let e = stack.synth().expect_err("refused").to_string();
    assert!(
        e.contains("FifoTopic") && e.contains("only to SQS queues"),
        "{e}"
    );

    // FIFO set by an override after wiring would bypass the check: refused.
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new());
    let t = stack.add("T", Topic::new());
    t.subscribe_queue_with(
        &mut stack,
        &q,
        nephos::constructs::SubscriptionOptions::new(),
    );
    stack.resource(&q).override_property("FifoQueue", true);
    let e = stack.synth().expect_err("refused").to_string();
    assert!(e.contains("FifoQueue"), "{e}");
}

#[test]
fn a_disabled_rest_endpoints_url_is_a_synth_error() {
    use nephos::constructs::RestApi;
    for disabled in [true, false] {
        let mut stack = Stack::new("App");
        let fun = stack.add("Fn", f());
        let api = stack.add(
            "Rest",
            RestApi::new("h")
                .stage("prod")
                .configure(move |l1| l1.disable_execute_api_endpoint(disabled)),
        );
        api.route(&mut stack, "GET", "/x", &fun);
        stack.output("Url", nephos::Output::new(api.url()));
        let r = stack.synth();
        if disabled {
            let e = r.expect_err("refused").to_string();
            assert!(
                e.contains("Url") && e.contains("DisableExecuteApiEndpoint"),
                "{e}"
            );
        } else {
            r.expect("enabled endpoint");
        }
    }
}

#[cfg(feature = "apigatewayv2")]
#[test]
fn http_api_quick_create_and_a_disabled_endpoints_url_are_synth_errors() {
    use nephos::constructs::HttpApi;
    let mut stack = Stack::new("App");
    let fun = stack.add("Fn", f());
    let api = stack.add(
        "Http",
        HttpApi::new("h")
            .configure(|l1| l1.target("arn:aws:lambda:eu-west-1:123456789012:function:x")),
    );
    api.route(&mut stack, "GET", "/x", &fun);
    let e = stack.synth().expect_err("refused").to_string();
    assert!(e.contains("Target") && e.contains("$default"), "{e}");

    // Disabled without using `url()`: fine (a custom domain serves it).
    let mut stack = Stack::new("App");
    let fun = stack.add("Fn", f());
    let api = stack.add(
        "Http",
        HttpApi::new("h").configure(|l1| l1.disable_execute_api_endpoint(true)),
    );
    api.route(&mut stack, "GET", "/x", &fun);
    stack.synth().expect("no url used");
    stack.output("Url", nephos::Output::new(api.url()));
    let e = stack.synth().expect_err("refused").to_string();
    assert!(e.contains("DisableExecuteApiEndpoint"), "{e}");
}

// Kind 11: messages and fixes that are true.

#[test]
fn a_conditional_source_into_a_shared_resource_policy_gets_a_true_fix() {
    use nephos::constructs::Topic;
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", nephos::Parameter::string());
    let prod = stack.condition("IsProd", nephos::equals(&env, "prod"));
    let t = stack.add("T", Topic::new());
    stack.resource(&t).condition(&prod);
    let t2 = stack.add("T2", Topic::new());
    let q = stack.add("Q", Queue::new());
    t.subscribe_queue_with(
        &mut stack,
        &q,
        nephos::constructs::SubscriptionOptions::new(),
    );
    t2.subscribe_queue_with(
        &mut stack,
        &q,
        nephos::constructs::SubscriptionOptions::new(),
    );
    let e = stack.synth().expect_err("refused").to_string();
    assert!(
        e.contains("`QPolicy` is the one resource policy of `Q`")
            && e.contains("create `T` unconditionally")
            && !e.contains("give `QPolicy` the condition"),
        "{e}"
    );
}

#[test]
fn a_role_of_the_stack_given_by_arn_receives_the_grants() {
    let mut stack = Stack::new("App");
    let role = stack.add(
        "R",
        nephos::iam::Role::new(
            nephos::policy::PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::service("lambda.amazonaws.com"))
                    .action("sts:AssumeRole"),
            ),
        ),
    );
    let fun = stack.add("Fn", f().role(role.arn()));
    let q = stack.add("Q", Queue::new());
    q.grant_send(&mut stack, &fun);
    let t = stack.synth().expect("granted to the stack's role");
    let p = t.json()["Resources"]["R"]["Properties"]["Policies"].to_string();
    assert!(p.contains("sqs:SendMessage"), "{p}");

    // A role from elsewhere: refused, naming the ways on.
    let mut stack = Stack::new("App");
    let fun = stack.add(
        "Fn",
        f().role(Value::literal("arn:aws:iam::123456789012:role/other")),
    );
    let q = stack.add("Q", Queue::new());
    q.grant_send(&mut stack, &fun);
    let e = stack.synth().expect_err("refused").to_string();
    assert!(
        e.contains("not an `AWS::IAM::Role` of this stack") && e.contains(".role(role.arn())"),
        "{e}"
    );
}
