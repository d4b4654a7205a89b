//! Checks the constructs used to make only on what they built now run on the template
//! (issue 13): SnapStart's limits (dsl/src/synth/checks/snap_start.rs) and the resource
//! name rules the registry schemas do not state (bucket_names.rs, message_names.rs,
//! secret_names.rs). The generated types get them (their stacks used to synthesize), and
//! a construct's stack still gets exactly one error per mistake. The secret cases need
//! `--features secretsmanager` (scripts/test.sh runs this file in the `kms,secretsmanager,...`
//! set); the rest run with the default features too.

use nephos::constructs::{Bucket, Code, Function, Queue, Runtime};
use nephos::lambda::function::{self as l1fn, ApplyOn, EphemeralStorage, SnapStart};
use nephos::{Diagnostic, Stack, Value};

fn errors(stack: &Stack) -> Vec<Diagnostic> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().cloned().collect(),
    }
}

fn one_error(stack: &Stack) -> String {
    let e = errors(stack);
    assert_eq!(e.len(), 1, "{e:#?}");
    e[0].to_string()
}

/// A generated function of `runtime` with SnapStart on published versions.
fn l1_function(runtime: l1fn::Runtime) -> nephos::lambda::Function {
    nephos::lambda::Function::new(
        l1fn::Code::new().zip_file("def handler(e, c): return e"),
        Value::literal("arn:aws:iam::123456789012:role/app"),
    )
    .handler("index.handler")
    .runtime(runtime)
    .snap_start(SnapStart::new(ApplyOn::PublishedVersions))
}

#[test]
fn snap_start_limits_hold_for_the_generated_function() {
    let mut stack = Stack::new("App");
    stack.add("Node", l1_function(l1fn::Runtime::Nodejs22X));
    let e = one_error(&stack);
    assert!(
        e.contains("`Node`") && e.contains("not one SnapStart supports"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    stack.add(
        "Big",
        l1_function(l1fn::Runtime::Python312).ephemeral_storage(EphemeralStorage::new(1024)),
    );
    let e = one_error(&stack);
    assert!(e.contains("1024 MB is above the 512 MB"), "{e}");

    // A supported runtime within the limits, and SnapStart off, synthesize.
    let mut stack = Stack::new("App");
    stack.add("Py", l1_function(l1fn::Runtime::Python312));
    stack.add(
        "Off",
        l1_function(l1fn::Runtime::Nodejs22X).snap_start(SnapStart::new(ApplyOn::None)),
    );
    assert!(errors(&stack).is_empty(), "{:#?}", errors(&stack));
}

#[test]
fn the_function_construct_gets_one_snap_start_error() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        Function::new(Runtime::Nodejs22X, "index.handler", Code::inline("x")).snap_start(),
    );
    let e = one_error(&stack);
    assert!(e.contains("SnapStart supports"), "{e}");
}

#[test]
fn bucket_names_beyond_the_schema_hold_for_the_generated_bucket() {
    for (name, why) in [
        ("ab", "3 to 63"),
        ("a..b", "two adjacent dots"),
        ("a.-b", "dot next to a hyphen"),
        ("192.168.5.4", "IP address"),
        ("xn--bucket", "reserves"),
        ("logs-s3alias", "reserves"),
    ] {
        let mut stack = Stack::new("App");
        stack.add("B", nephos::s3::Bucket::new().bucket_name(name));
        // (A generated bucket without a public access block is an error of its own.)
        let e: Vec<String> = errors(&stack)
            .iter()
            .map(|e| e.to_string())
            .filter(|e| !e.contains("NEPHOS-BUCKET-PUBLIC"))
            .collect();
        assert_eq!(e.len(), 1, "{name}: {e:#?}");
        assert!(
            e[0].contains("bucket `B`") && e[0].contains(why),
            "{name}: {e:#?}"
        );
        // The construct: the same one error.
        let mut stack = Stack::new("App");
        stack.add("B", Bucket::new().name(name));
        let e = one_error(&stack);
        assert!(e.contains(why), "{name}: {e}");
    }
    let mut stack = Stack::new("App");
    stack.add(
        "B",
        nephos::s3::Bucket::new().bucket_name("my-bucket.logs-1"),
    );
    stack.add(
        "C",
        nephos::s3::Bucket::new().bucket_name(nephos::aws::stack_name()),
    );
    let names: Vec<Diagnostic> = errors(&stack)
        .into_iter()
        .filter(|e| !e.to_string().contains("NEPHOS-BUCKET-PUBLIC"))
        .collect();
    assert!(names.is_empty(), "{names:#?}");
}

#[test]
fn queue_and_topic_names_hold_for_the_generated_types() {
    let long = "q".repeat(81);
    type AddTo = Box<dyn Fn(&mut Stack)>;
    let cases: Vec<(&str, AddTo, &str)> = vec![
        (
            "space",
            Box::new(|s| {
                s.add("Q", nephos::sqs::Queue::new().queue_name("bad name"));
            }),
            "contains ` `",
        ),
        (
            "fifo without suffix",
            Box::new(|s| {
                s.add(
                    "Q",
                    nephos::sqs::Queue::new()
                        .fifo_queue(true)
                        .queue_name("jobs"),
                );
            }),
            "does not end in `.fifo`",
        ),
        (
            "too long",
            Box::new(move |s| {
                s.add("Q", nephos::sqs::Queue::new().queue_name(long.as_str()));
            }),
            "1 to 80",
        ),
        (
            "standard topic with suffix",
            Box::new(|s| {
                s.add("T", nephos::sns::Topic::new().topic_name("alerts.fifo"));
            }),
            "ends in `.fifo`, but the topic is not FIFO",
        ),
    ];
    for (case, add, why) in cases {
        let mut stack = Stack::new("App");
        add(&mut stack);
        let e = one_error(&stack);
        assert!(e.contains(why), "{case}: {e}");
    }
    let mut stack = Stack::new("App");
    stack.add(
        "Q",
        nephos::sqs::Queue::new()
            .fifo_queue(true)
            .queue_name("jobs.fifo"),
    );
    stack.add("T", nephos::sns::Topic::new().topic_name("alerts_1"));
    assert!(errors(&stack).is_empty(), "{:#?}", errors(&stack));
}

#[test]
fn the_queue_construct_gets_one_name_error() {
    let mut stack = Stack::new("App");
    stack.add("Q", Queue::new().name("bad name"));
    let e = one_error(&stack);
    assert!(e.contains("contains ` `"), "{e}");
}

#[cfg(feature = "secretsmanager")]
#[test]
fn secret_names_hold_for_the_generated_secret() {
    let mut stack = Stack::new("App");
    stack.add("S", nephos::secretsmanager::Secret::new().name("a b"));
    let e = one_error(&stack);
    assert!(e.contains("secret `S`") && e.contains("` `"), "{e}");
    // A name like the ARN's suffix: a warning, not an error.
    let mut stack = Stack::new("App");
    stack.add("S", nephos::secretsmanager::Secret::new().name("db-AbC123"));
    let t = stack.synth().unwrap();
    let w: Vec<String> = t.warnings().iter().map(|w| w.to_string()).collect();
    assert!(w.iter().any(|w| w.contains("partial ARN")), "{w:#?}");
    // The construct: one error.
    let mut stack = Stack::new("App");
    stack.add("S", nephos::constructs::Secret::new().name("a b"));
    let e = one_error(&stack);
    assert!(e.contains("` `"), "{e}");
}
