//! The checks the constructs make on a resource's properties hold for the generated type
//! of the same resource (issue 13, atk13c F): EventBridge rule and Scheduler expressions
//! and time zones, KMS aliases and rotation, SSM parameter names and values. Each is one
//! synth check on the template's resource (dsl/src/synth/checks/{schedules,kms,ssm}.rs),
//! so the construct's stack gets exactly one error for one mistake, and a computed value
//! is no finding. Run with `--features kms,ssm,events,scheduler` (scripts/test.sh).
#![cfg(all(
    feature = "kms",
    feature = "ssm",
    feature = "events",
    feature = "scheduler",
    feature = "lambda",
    feature = "iam"
))]

use nephos::constructs::timing::Schedule as Timing;
use nephos::constructs::{
    Code, Function, FunctionRef, JobTarget, KmsKey, Rule, Runtime, ScheduledJob, StringParameter,
};
use nephos::kind::AnyArn;
use nephos::kinds::IamRoleArn;
use nephos::scheduler::schedule::{FlexibleTimeWindow, FlexibleTimeWindowMode, Target};
use nephos::ssm::parameter::Type;
use nephos::{Diagnostic, Stack, Value};

/// The errors synth reports (none when it succeeds).
fn errors(stack: &Stack) -> Vec<Diagnostic> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().cloned().collect(),
    }
}

/// The one error synth reports, as text; fails when there are none or several.
fn one_error(stack: &Stack) -> String {
    let e = errors(stack);
    assert_eq!(e.len(), 1, "{e:#?}");
    e[0].to_string()
}

fn schedule(expression: &str) -> nephos::scheduler::Schedule {
    nephos::scheduler::Schedule::new(
        FlexibleTimeWindow::new(FlexibleTimeWindowMode::Off),
        expression,
        Target::new(
            Value::<AnyArn>::literal("arn:aws:sqs:us-east-1:123456789012:jobs"),
            Value::<IamRoleArn>::literal("arn:aws:iam::123456789012:role/scheduler"),
        ),
    )
}

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add(
        "Job",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

#[test]
fn scheduler_time_zone_and_expression_on_the_generated_schedule() {
    let mut stack = Stack::new("App");
    stack.add(
        "S",
        schedule("cron(0 12 * * ? *)").schedule_expression_timezone("Mars/Olympus"),
    );
    let e = one_error(&stack);
    assert!(
        e.contains("`S`") && e.contains("Mars/Olympus") && e.contains("IANA"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    stack.add("S", schedule("rate(1 minutes)"));
    let e = one_error(&stack);
    assert!(e.contains("`S`") && e.contains("singular"), "{e}");

    // Right, and computed: no finding.
    let mut stack = Stack::new("App");
    stack.add(
        "S",
        schedule("at(2030-01-31T09:30:00)").schedule_expression_timezone("Europe/Paris"),
    );
    let zone = stack.parameter("Zone", nephos::Parameter::string());
    let expression = stack.parameter("Expr", nephos::Parameter::string());
    stack.add(
        "T",
        nephos::scheduler::Schedule::new(
            FlexibleTimeWindow::new(FlexibleTimeWindowMode::Off),
            expression.value(),
            Target::new(
                Value::<AnyArn>::literal("arn:aws:sqs:us-east-1:123456789012:jobs"),
                Value::<IamRoleArn>::literal("arn:aws:iam::123456789012:role/scheduler"),
            ),
        )
        .schedule_expression_timezone(zone.value()),
    );
    assert!(errors(&stack).is_empty(), "{:#?}", errors(&stack));
}

#[test]
fn rule_expressions_on_the_generated_rule() {
    for (expression, expected) in [
        ("rate(1 minutes)", "singular"),
        ("cron(0 12 * * * *)", "`?` in one of them"),
        ("cron(0 12 ? * FUN *)", "day-of-week"),
        // Outside rate/cron: the schema's own pattern, one error.
        ("at(2030-01-01T00:00:00)", "does not satisfy"),
    ] {
        let mut stack = Stack::new("App");
        stack.add(
            "R",
            nephos::events::Rule::new().schedule_expression(expression),
        );
        let e = one_error(&stack);
        assert!(e.contains("`R`") && e.contains(expected), "{expected}: {e}");
    }
    let mut stack = Stack::new("App");
    stack.add(
        "R",
        nephos::events::Rule::new().schedule_expression("cron(0 12 ? * MON-FRI *)"),
    );
    assert!(errors(&stack).is_empty());
}

#[test]
fn the_constructs_get_one_error_each() {
    // ScheduledJob: a wrong zone and a wrong expression, one error each.
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    stack.add(
        "Bad",
        ScheduledJob::new(Timing::cron("0 8 * * ? *"), JobTarget::function(&f))
            .time_zone("Mars/Olympus"),
    );
    let e = one_error(&stack);
    assert!(e.contains("`Bad`") && e.contains("Mars/Olympus"), "{e}");
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    stack.add(
        "Bad",
        ScheduledJob::new(Timing::parse("rate(1 minutes)"), JobTarget::function(&f)),
    );
    let e = one_error(&stack);
    assert!(e.contains("`Bad`") && e.contains("singular"), "{e}");

    // Rule: a wrong expression and a one-time schedule.
    for (s, expected) in [
        (Timing::parse("rate(2 hour)"), "plural"),
        (Timing::at("2030-01-01T00:00:00"), "does not satisfy"),
        (
            Timing::rate(std::time::Duration::from_secs(90)),
            "whole number of minutes",
        ),
    ] {
        let mut stack = Stack::new("App");
        stack.add("Bad", Rule::schedule(s));
        let e = one_error(&stack);
        assert!(
            e.contains("`Bad`") && e.contains(expected),
            "{expected}: {e}"
        );
    }

    // KmsKey: a reserved alias.
    let mut stack = Stack::new("App");
    stack.add("Data", KmsKey::new().alias("alias/aws/mine"));
    let e = one_error(&stack);
    assert!(e.contains("DataAlias") && e.contains("alias/aws/"), "{e}");

    // StringParameter: a reserved name.
    let mut stack = Stack::new("App");
    stack.add("P", StringParameter::new("v").name("/aws/mine"));
    let e = one_error(&stack);
    assert!(e.contains("`P`") && e.contains("`aws` or `ssm`"), "{e}");
}

#[test]
fn kms_aliases_and_rotation_on_the_generated_types() {
    let mut stack = Stack::new("App");
    let key = stack.add("Key", nephos::kms::Key::new());
    stack.add("Alias", nephos::kms::Alias::new("alias/aws/mine", key.id()));
    let e = one_error(&stack);
    assert!(
        e.contains("`Alias`") && e.contains("alias/aws/") && e.contains("AWS managed"),
        "{e}"
    );

    // One name twice: the second is refused, naming the first (also across a construct).
    let mut stack = Stack::new("App");
    let key = stack.add("Key", nephos::kms::Key::new());
    stack.add("Data", KmsKey::new().alias("app/data"));
    stack.add("Again", nephos::kms::Alias::new("alias/app/data", key.id()));
    let e = one_error(&stack);
    assert!(
        e.contains("`Again`") && e.contains("already the name of `DataAlias`"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    stack.add(
        "Signing",
        nephos::kms::Key::new()
            .key_spec(nephos::kms::key::KeySpec::Rsa2048)
            .key_usage(nephos::kms::key::KeyUsage::SignVerify)
            .enable_key_rotation(true),
    );
    let e = one_error(&stack);
    assert!(e.contains("`Signing`") && e.contains("RSA_2048"), "{e}");

    // A computed alias name: no finding.
    let mut stack = Stack::new("App");
    let key = stack.add("Key", nephos::kms::Key::new());
    let name = stack.parameter("Name", nephos::Parameter::string());
    stack.add("Alias", nephos::kms::Alias::new(name.value(), key.id()));
    assert!(errors(&stack).is_empty(), "{:#?}", errors(&stack));
}

#[test]
fn ssm_names_and_values_on_the_generated_parameter() {
    for (name, expected) in [
        ("/aws/mine", "`aws` or `ssm`"),
        ("ssm-config", "`aws` or `ssm`"),
        ("app/url", "does not begin with one"),
    ] {
        let mut stack = Stack::new("App");
        stack.add(
            "P",
            nephos::ssm::Parameter::new(Type::String, "v").name(name),
        );
        let e = one_error(&stack);
        assert!(e.contains("`P`") && e.contains(expected), "{name}: {e}");
    }
    let mut stack = Stack::new("App");
    stack.add(
        "P",
        nephos::ssm::Parameter::new(Type::String, "x".repeat(4097)),
    );
    let e = one_error(&stack);
    assert!(e.contains("`P`") && e.contains("4097 bytes"), "{e}");
    let mut stack = Stack::new("App");
    stack.add(
        "P",
        nephos::ssm::Parameter::new(Type::String, "abc").allowed_pattern("^[0-9]+$"),
    );
    let e = one_error(&stack);
    assert!(
        e.contains("`P`") && e.contains("does not match its own allowed pattern"),
        "{e}"
    );
    // Right, and computed: no finding.
    let mut stack = Stack::new("App");
    let name = stack.parameter("Name", nephos::Parameter::string());
    stack.add(
        "P",
        nephos::ssm::Parameter::new(Type::String, "v").name(name.value()),
    );
    stack.add(
        "Q",
        nephos::ssm::Parameter::new(Type::String, "42")
            .name("/app/answer")
            .allowed_pattern("^[0-9]+$"),
    );
    assert!(errors(&stack).is_empty(), "{:#?}", errors(&stack));
}

/// A scheduled rule on a custom event bus (atk13d F4): EventBridge's PutRule refuses it
/// ("ScheduleExpression is supported only on the default event bus"). Refused on the
/// generated `events::Rule` by a bus of the stack and by a literal name, with exactly one
/// error for the `Rule` construct; the default bus (by name or ARN) is no finding.
#[test]
fn a_schedule_on_a_custom_bus_is_refused_on_the_generated_rule() {
    use nephos::kinds::EventsEventBusArnOrName as Bus;
    let rule = || nephos::events::Rule::new().schedule_expression("rate(5 minutes)");
    let mut stack = Stack::new("App");
    let bus = stack.add("Bus", nephos::events::EventBus::new("custom"));
    stack.add("R", rule().event_bus_name(bus.name()));
    let e = one_error(&stack);
    assert!(
        e.contains("`R`") && e.contains("event bus `Bus`") && e.contains("default bus"),
        "{e}"
    );
    let mut stack = Stack::new("App");
    stack.add("R", rule().event_bus_name(Value::<Bus>::literal("orders")));
    let e = one_error(&stack);
    assert!(e.contains("`orders`") && e.contains("default bus"), "{e}");
    for ok in [
        "default",
        "arn:aws:events:us-east-1:123456789012:event-bus/default",
    ] {
        let mut stack = Stack::new("App");
        stack.add("R", rule().event_bus_name(Value::<Bus>::literal(ok)));
        assert!(errors(&stack).is_empty(), "{ok}: {:#?}", errors(&stack));
    }
    // The construct: one error, the same check.
    let mut stack = Stack::new("App");
    stack.add(
        "R",
        Rule::schedule(Timing::parse("rate(5 minutes)")).bus(Value::<Bus>::literal("orders")),
    );
    let e = one_error(&stack);
    assert!(e.contains("default bus"), "{e}");
}

/// SQS's FIFO-only attributes on a standard queue, a dead-letter queue of the other kind
/// and a `maxReceiveCount` outside 1..1,000 (atk13d F4): refused on the generated
/// `sqs::Queue` (cfn-lint catches only some of them; SQS refuses all), one error each.
#[test]
fn sqs_queue_rules_hold_for_the_generated_queue() {
    use nephos::sqs::Queue;
    use nephos::sqs::queue::RedrivePolicy;
    let mut stack = Stack::new("App");
    stack.add(
        "Std",
        Queue::new()
            .content_based_deduplication(true)
            .deduplication_scope("messageGroup")
            .fifo_throughput_limit("perMessageGroupId"),
    );
    let e: Vec<String> = errors(&stack).iter().map(|d| d.to_string()).collect();
    assert_eq!(e.len(), 3, "{e:#?}");
    for p in [
        "ContentBasedDeduplication",
        "DeduplicationScope",
        "FifoThroughputLimit",
    ] {
        assert!(
            e.iter()
                .any(|m| m.contains("`Std`") && m.contains(&format!("`{p}` only on a FIFO queue"))),
            "{p}: {e:#?}"
        );
    }

    let mut stack = Stack::new("App");
    let dlq = stack.add("Dlq", Queue::new());
    stack.add(
        "Fifo",
        Queue::new()
            .fifo_queue(true)
            .queue_name("jobs.fifo")
            .redrive_policy(
                RedrivePolicy::new()
                    .dead_letter_target_arn(dlq.arn())
                    .max_receive_count(5000),
            ),
    );
    let e: Vec<String> = errors(&stack).iter().map(|d| d.to_string()).collect();
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(
        e.iter()
            .any(|m| m.contains("`Fifo`") && m.contains("5000") && m.contains("1 to 1,000")),
        "{e:#?}"
    );
    assert!(
        e.iter().any(|m| m.contains("a FIFO queue and its dead-letter queue `Dlq` is a standard queue")),
        "{e:#?}"
    );

    // The reverse, by a literal ARN: a standard queue with a FIFO dead-letter queue.
    let mut stack = Stack::new("App");
    stack.add(
        "Std",
        Queue::new().redrive_policy(
            RedrivePolicy::new()
                .dead_letter_target_arn(Value::<AnyArn>::literal(
                    "arn:aws:sqs:us-east-1:123456789012:failed.fifo",
                ))
                .max_receive_count(5),
        ),
    );
    let e = one_error(&stack);
    assert!(
        e.contains("a standard queue and its dead-letter queue"),
        "{e}"
    );

    // Right: FIFO with FIFO, attributes on a FIFO queue, 1 and 1,000.
    let mut stack = Stack::new("App");
    let dlq = stack.add("Dlq", Queue::new().fifo_queue(true));
    stack.add(
        "Fifo",
        Queue::new()
            .fifo_queue(true)
            .content_based_deduplication(true)
            .redrive_policy(
                RedrivePolicy::new()
                    .dead_letter_target_arn(dlq.arn())
                    .max_receive_count(1000),
            ),
    );
    assert!(errors(&stack).is_empty(), "{:#?}", errors(&stack));

    // The construct: one error for a DLQ of the other kind.
    let mut stack = Stack::new("App");
    let dlq = stack.add(
        "Failed",
        nephos::constructs::Queue::new().retention_seconds(1_209_600),
    );
    stack.add(
        "Jobs",
        nephos::constructs::Queue::new()
            .fifo()
            .dead_letter_queue(&dlq, 5),
    );
    let e = one_error(&stack);
    assert!(
        e.contains("dead-letter queue `Failed` is a standard queue"),
        "{e}"
    );
}
