//! Two synth checks on the final template, whatever built it (construct, `configure`,
//! generated resource): a standard queue's dead-letter queue must keep messages longer
//! than the queue (SQS keeps the original enqueue timestamp on redrive), and the
//! provisioned concurrency of all of a function's aliases and versions together may not
//! exceed its reserved concurrency.

use nephos::constructs::{Alias, Code, Function, FunctionRef, Queue, Runtime};
use nephos::{Stack, equals, fn_if, sqs};

fn errors(stack: &Stack) -> String {
    match stack.synth() {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

// --- dead-letter queue retention ---------------------------------------------------

#[test]
fn a_dead_letter_queue_shorter_than_its_source_is_refused() {
    // 4-day DLQ (the default) behind a 14-day queue.
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new());
    stack.add(
        "Jobs",
        Queue::new()
            .retention_seconds(1_209_600)
            .dead_letter_queue(&dlq, 5),
    );
    let e = errors(&stack);
    assert!(
        e.contains("queue `Jobs` keeps messages 1209600 s (14 days)")
            && e.contains("`Failed` keeps them 345600 s (4 days, SQS's default)")
            && e.contains("a message that failed for 4 days is deleted as it arrives")
            // Nothing keeps longer than 14 days: the source must be shortened too.
            && e.contains("shorten its retention (`.retention_seconds(...)`), and give `Failed` `.retention_seconds(1_209_600)`"),
        "{e}"
    );
    // A 7-day queue: the dead-letter queue's retention is the fix.
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new().retention_seconds(86_400));
    stack.add(
        "Jobs",
        Queue::new()
            .retention_seconds(604_800)
            .dead_letter_queue(&dlq, 5),
    );
    let e = errors(&stack);
    assert!(
        e.contains("`Failed` keeps them 86400 s (1 day)")
            && e.contains("give the dead-letter queue `Failed` the longest retention, `.retention_seconds(1_209_600)`"),
        "{e}"
    );
}

#[test]
fn default_behind_default_is_refused_and_a_longer_dead_letter_queue_is_not() {
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new());
    stack.add("Jobs", Queue::new().dead_letter_queue(&dlq, 5));
    let e = errors(&stack);
    assert!(e.contains("`Failed` keeps them 345600 s"), "{e}");

    // Equal literal retentions: refused too (a message redriven after a day has a day less).
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new().retention_seconds(600_000));
    let jobs = stack.add("Jobs", Queue::new().dead_letter_queue(&dlq, 5));
    // CloudFormation takes the number as a string too.
    stack
        .resource(&jobs)
        .override_property("MessageRetentionPeriod", "600000");
    let e = errors(&stack);
    assert!(e.contains("queue `Jobs` keeps messages 600000 s"), "{e}");

    // Both at SQS's maximum: the fix is to shorten the source.
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new().retention_seconds(1_209_600));
    stack.add(
        "Jobs",
        Queue::new()
            .retention_seconds(1_209_600)
            .dead_letter_queue(&dlq, 5),
    );
    assert!(errors(&stack).contains("shorten its retention"));

    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new().retention_seconds(1_209_600));
    stack.add("Jobs", Queue::new().dead_letter_queue(&dlq, 5));
    stack.synth().expect("a 14-day DLQ behind a 4-day queue");
}

#[test]
fn fifo_queues_reset_the_timestamp_and_are_not_checked() {
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new().fifo());
    stack.add("Jobs", Queue::new().fifo().dead_letter_queue(&dlq, 5));
    stack
        .synth()
        .expect("FIFO queues reset the enqueue timestamp on redrive");
}

#[test]
fn a_redrive_policy_set_on_the_generated_queue_is_checked_alike() {
    // Through `configure` on the construct.
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new());
    let arn = dlq.arn();
    stack.add(
        "Jobs",
        Queue::new().configure(move |q| {
            q.redrive_policy(
                sqs::queue::RedrivePolicy::new()
                    .dead_letter_target_arn(arn.clone())
                    .max_receive_count(3),
            )
        }),
    );
    assert!(errors(&stack).contains("dead-letter queue `Failed`"));

    // On the generated resource.
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", sqs::Queue::new());
    stack.add(
        "Jobs",
        sqs::Queue::new().redrive_policy(
            sqs::queue::RedrivePolicy::new()
                .dead_letter_target_arn(dlq.arn())
                .max_receive_count(3),
        ),
    );
    assert!(errors(&stack).contains("dead-letter queue `Failed`"));

    // A retention the template chooses from literals is judged by its worst pair: an
    // `Fn::If` whose longer branch is the dead-letter queue's shorter one.
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", nephos::Parameter::string().default("dev"));
    let prod = stack.condition("IsProd", equals(&env, "prod"));
    let dlq = stack.add(
        "Failed",
        sqs::Queue::new()
            .message_retention_period(fn_if::<nephos::kind::Int>(&prod, 1_209_600, 604_800)),
    );
    stack.add(
        "Jobs",
        sqs::Queue::new()
            .message_retention_period(fn_if::<nephos::kind::Int>(&prod, 604_800, 86_400))
            .redrive_policy(
                sqs::queue::RedrivePolicy::new()
                    .dead_letter_target_arn(dlq.arn())
                    .max_receive_count(3),
            ),
    );
    let e = errors(&stack);
    assert!(
        e.contains("(in one of the values the template chooses from) 604800 s (7 days)"),
        "{e}"
    );

    // A mapping's rows: a `prod` row of 14 days behind a 14-day dead-letter queue loses
    // data in prod only, and is refused; 7 days in prod is taken.
    for (prod_seconds, refused) in [("1209600", true), ("604800", false)] {
        let mut stack = Stack::new("App");
        let env = stack.parameter("Env", nephos::Parameter::string().default("dev"));
        let rows = stack.mapping(
            "Retention",
            nephos::Mapping::new()
                .entry("dev", "Seconds", "345600")
                .entry("prod", "Seconds", prod_seconds),
        );
        let dlq = stack.add(
            "Failed",
            sqs::Queue::new().message_retention_period(1_209_600),
        );
        stack.add(
            "Jobs",
            sqs::Queue::new()
                .message_retention_period(rows.find::<nephos::kind::Int>(&env, "Seconds"))
                .redrive_policy(
                    sqs::queue::RedrivePolicy::new()
                        .dead_letter_target_arn(dlq.arn())
                        .max_receive_count(3),
                ),
        );
        assert_eq!(
            errors(&stack).contains("dead-letter queue `Failed`"),
            refused,
            "prod row {prod_seconds}: {}",
            errors(&stack)
        );
    }

    // A retention computed at deploy (a parameter's value) is left to the user.
    let mut stack = Stack::new("App");
    let days = stack.parameter("Retention", nephos::Parameter::number().default(60.0));
    let dlq = stack.add(
        "Failed",
        sqs::Queue::new().message_retention_period(days.value().cast::<nephos::kind::Int>()),
    );
    stack.add(
        "Jobs",
        sqs::Queue::new().redrive_policy(
            sqs::queue::RedrivePolicy::new()
                .dead_letter_target_arn(dlq.arn())
                .max_receive_count(3),
        ),
    );
    stack.synth().expect("a computed retention is not judged");
}

// --- provisioned concurrency summed over aliases and versions ------------------------

fn reserved(stack: &mut Stack, n: i64) -> FunctionRef {
    stack.add(
        "Api",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
            .reserved_concurrency(n),
    )
}

#[test]
fn provisioned_concurrency_is_summed_over_all_aliases() {
    let mut stack = Stack::new("App");
    let f = reserved(&mut stack, 5);
    let v = f.version(&mut stack);
    f.alias(
        &mut stack,
        Alias::new("blue", &v).provisioned_concurrency(4),
    );
    f.alias(
        &mut stack,
        Alias::new("green", &v).provisioned_concurrency(4),
    );
    let e = errors(&stack);
    assert!(
        e.contains("function `Api`'s aliases and versions ask for 8 provisioned environments in all (alias `blue` (`ApiAliasBlue`) 4, alias `green` (`ApiAliasGreen`) 4), more than its reserved concurrency of 5"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    let f = reserved(&mut stack, 5);
    let v = f.version(&mut stack);
    f.alias(
        &mut stack,
        Alias::new("blue", &v).provisioned_concurrency(2),
    );
    f.alias(
        &mut stack,
        Alias::new("green", &v).provisioned_concurrency(3),
    );
    stack
        .synth()
        .expect("a sum equal to the reserved concurrency is allowed");
}

#[test]
fn a_generated_version_with_provisioned_concurrency_counts_too() {
    let mut stack = Stack::new("App");
    let f = reserved(&mut stack, 5);
    let v = f.version(&mut stack);
    f.alias(
        &mut stack,
        Alias::new("live", &v).provisioned_concurrency(3),
    );
    stack.add(
        "Pinned",
        nephos::lambda::Version::new(f.name()).provisioned_concurrency_config(
            nephos::lambda::version::ProvisionedConcurrencyConfiguration::new(3),
        ),
    );
    let e = errors(&stack);
    assert!(
        e.contains("ask for 6 provisioned environments") && e.contains("version `Pinned` 3"),
        "{e}"
    );
    // Another function's aliases are not counted.
    let mut stack = Stack::new("App");
    let f = reserved(&mut stack, 5);
    let g = stack.add(
        "Other",
        Function::new(Runtime::Python312, "index.handler", Code::inline("y")),
    );
    let v = f.version(&mut stack);
    f.alias(
        &mut stack,
        Alias::new("live", &v).provisioned_concurrency(5),
    );
    let w = g.version(&mut stack);
    g.alias(
        &mut stack,
        Alias::new("live", &w).provisioned_concurrency(5),
    );
    stack
        .synth()
        .expect("each function within its own reserved concurrency");
}

// --- the dead-letter target is an ARN ------------------------------------------------

/// `RedrivePolicy.deadLetterTargetArn` takes any resource's ARN (`AnyArn`, the ARN-name
/// rule of issue 13): the dead-letter queue's `arn()` (construct or generated handle) and a
/// literal ARN compile and land as written; its URL or name does not compile
/// (tests/compile_fail/queue_url_for_dead_letter_target.rs).
#[test]
fn the_dead_letter_target_takes_the_queue_s_arn() {
    use nephos::IntoValue;
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new().retention_seconds(1_209_600));
    let raw = stack.add("Raw", sqs::Queue::new().message_retention_period(1_209_600));
    let policy = |arn: nephos::Value<nephos::kind::AnyArn>| {
        sqs::queue::RedrivePolicy::new()
            .dead_letter_target_arn(arn)
            .max_receive_count(3)
    };
    stack.add(
        "Jobs",
        sqs::Queue::new().redrive_policy(policy(dlq.arn().into_value())),
    );
    stack.add(
        "Other",
        sqs::Queue::new().redrive_policy(policy(raw.arn().into_value())),
    );
    stack.add(
        "Outside",
        sqs::Queue::new().redrive_policy(policy(nephos::Value::literal(
            "arn:aws:sqs:us-east-1:123456789012:elsewhere-dlq",
        ))),
    );
    let t = stack.synth().expect("synth").json().clone();
    let target =
        |id: &str| t["Resources"][id]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"].clone();
    assert_eq!(
        target("Jobs"),
        serde_json::json!({"Fn::GetAtt": ["Failed", "Arn"]})
    );
    assert_eq!(
        target("Other"),
        serde_json::json!({"Fn::GetAtt": ["Raw", "Arn"]})
    );
    assert_eq!(
        target("Outside"),
        "arn:aws:sqs:us-east-1:123456789012:elsewhere-dlq"
    );
}
