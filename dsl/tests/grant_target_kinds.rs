//! Grant targets are typed by their resource type (`grants::on`): a value of another
//! type's ARN kind does not compile (the trybuild cases `tests/compile_fail/grant_*.rs`
//! and `tests/compile_fail_grants/`), and a literal ARN, which the types cannot judge, is
//! checked when granted: its service and resource prefix must be those of the type's ARN
//! template (`kinds::OWN_ARN_SHAPES`), else the grant is a synth error naming it and
//! nothing is granted. A computed value cast to `AnyArn` is taken for any type (the
//! cast is the user's word).

use nephos::constructs::grants::{self, Target, on, table::TableTarget};
use nephos::constructs::{Code, Destination, EventInvokeConfig, Function, FunctionRef, Runtime};
use nephos::kind::AnyArn;
use nephos::{Stack, Value};
use serde_json::Value as J;

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn error(stack: &Stack) -> String {
    stack.synth().unwrap_err().to_string()
}

/// The statements of the worker's `Grants` policy, or none when it has none.
fn statements(stack: &Stack) -> Vec<J> {
    let t = stack.synth().unwrap().json().clone();
    t["Resources"]["WorkerRole"]["Properties"]["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_topic_arn_given_as_a_queue_is_refused_naming_the_grant() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let topic = Target::by_arn("queue", "arn:aws:sns:eu-west-1:123456789012:alerts");
    assert!(grants::queue::send(&mut stack, &f, &topic).is_empty());
    let e = error(&stack);
    assert!(
        e.contains("function `Worker` cannot receive sending to the queue")
            && e.contains("arn:aws:sns:eu-west-1:123456789012:alerts")
            && e.contains("no queue's ARN")
            && e.contains("AWS::SQS::Queue"),
        "{e}"
    );
}

#[test]
fn a_literal_of_another_type_is_refused_in_every_family() {
    const LAMBDA: &str = "arn:aws:lambda:eu-west-1:123456789012:function:f";
    const QUEUE: &str = "arn:aws:sqs:eu-west-1:123456789012:jobs";
    type Grant = fn(&mut Stack, &FunctionRef);
    let cases: [(&str, Grant); 11] = [
        ("consuming the queue", |s, f| {
            grants::queue::consume(s, f, &Target::by_arn("q", "arn:aws:sns:eu-west-1:1:t"));
        }),
        ("publishing to the topic", |s, f| {
            grants::topic::publish(s, f, &Target::by_arn("t", QUEUE));
        }),
        ("reading the bucket", |s, f| {
            // A table's ARN as a bucket, as a literal `AnyArn`.
            let table: Value<AnyArn> =
                Value::literal("arn:aws:dynamodb:eu-west-1:123456789012:table/orders");
            grants::bucket::read(s, f, &Target::by_arn("b", table));
        }),
        ("read access to the table", |s, f| {
            let t = TableTarget::new(Target::by_arn("t", "arn:aws:s3:::orders"));
            grants::table::read(s, f, &t);
        }),
        ("reading the stream", |s, f| {
            grants::kinesis::read(s, f, &Target::by_arn("s", QUEUE));
        }),
        ("reading the secret", |s, f| {
            let p = "arn:aws:ssm:eu-west-1:123456789012:parameter/db/password";
            grants::secret::read(s, f, &Target::by_arn("s", p));
        }),
        ("reading the parameter", |s, f| {
            let secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
            grants::parameter::read(s, f, &Target::by_arn("p", secret));
        }),
        ("lambda:InvokeFunction", |s, f| {
            // A layer's ARN is Lambda's, but no function's.
            let layer = "arn:aws:lambda:eu-west-1:123456789012:layer:shared:3";
            grants::function::invoke(s, f, &Target::by_arn("f", layer));
        }),
        ("states:StartExecution", |s, f| {
            grants::state_machine::start_execution(s, f, LAMBDA);
        }),
        ("answering the state machine's task tokens", |s, f| {
            grants::state_machine::task_response(s, f, LAMBDA);
        }),
        ("sending events to the bus", |s, _| {
            s.add(
                "Async",
                Function::new(Runtime::Python312, "index.handler", Code::inline("x")).async_invoke(
                    EventInvokeConfig::new()
                        .on_failure(Destination::EventBus(Target::by_arn("bus", QUEUE))),
                ),
            );
        }),
    ];
    for (purpose, grant) in cases {
        let mut stack = Stack::new("App");
        let f = function(&mut stack);
        grant(&mut stack, &f);
        let e = error(&stack);
        assert!(
            e.contains(&format!("cannot receive {purpose} on")) && e.contains("ARN template"),
            "{purpose}: {e}"
        );
    }
}

#[test]
fn literals_of_the_type_pass_with_wildcards_and_empty_accounts() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    // A wildcard region and account, and AWS's public parameter (no account).
    grants::queue::send(
        &mut stack,
        &f,
        &Target::by_arn("queues", "arn:aws:sqs:*:*:jobs-*"),
    );
    grants::parameter::read(
        &mut stack,
        &f,
        &Target::by_arn(
            "parameter",
            "arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        ),
    );
    // A bucket's ARN has neither region nor account; a version's ARN is a function's.
    grants::bucket::read(
        &mut stack,
        &f,
        &Target::by_arn("bucket", "arn:aws:s3:::orders"),
    );
    grants::function::invoke(
        &mut stack,
        &f,
        &Target::by_arn(
            "function",
            "arn:aws:lambda:eu-west-1:123456789012:function:f:3",
        ),
    );
    grants::state_machine::start_execution(
        &mut stack,
        &f,
        "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:orders",
    );
    let s = statements(&stack);
    let text = serde_json::to_string(&s).unwrap();
    for arn in [
        "arn:aws:sqs:*:*:jobs-*",
        "parameter/aws/service/ami-amazon-linux-latest",
        "arn:aws:s3:::orders/*",
        "function:f:3",
        "stateMachine:orders",
    ] {
        assert!(text.contains(arn), "{arn}: {text}");
    }
}

#[test]
fn a_computed_value_cast_to_any_arn_is_taken_for_any_type() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let shared: Value<AnyArn> = nephos::import_value("SharedQueueArn");
    let target: Target<on::Queue> = Target::by_arn("shared queue", shared);
    assert_eq!(grants::queue::send(&mut stack, &f, &target).len(), 1);
    assert!(stack.synth().is_ok());
}
