//! What the services would refuse, or accept and never serve, reported at synth (issue
//! 14). Every wiring that sends to, reads from or dead-letters into a queue asks one
//! place whether the queue is FIFO (and deduplicates by content), and refuses what SQS,
//! Lambda, EventBridge, EventBridge Scheduler or Step Functions would refuse (findings 1,
//! 7, 13, 14, 15 and 16 of the attack on it); then environment variable names (17),
//! sub-minute alarms on per-minute metrics (11) and API keys without a usage plan (12).

use std::time::Duration;

use nephos::Stack;
use nephos::constructs::metrics::AlarmOptions;
use nephos::constructs::state_machine::{Definition, Payload, SqsSendMessage, Succeed, Task};
use nephos::constructs::timing::Schedule;
use nephos::constructs::wiring::sqs::SqsTrigger;
use nephos::constructs::{
    Code, DeadLetter, Destination, EventInvokeConfig, EventTarget, Function, FunctionRef,
    JobTarget, Key, Queue, QueueRef, RestApi, Rule, Runtime, ScheduledJob, StartingPosition,
    StateMachine, StreamFailureDestination, StreamTrigger, StreamView, Table, Topic, UsagePlan,
};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn fifo(stack: &mut Stack, id: &str) -> QueueRef {
    stack.add(id, Queue::new().fifo())
}

fn template(stack: &Stack) -> J {
    stack
        .synth()
        .unwrap_or_else(|e| panic!("synth failed:\n{e}"))
        .json()
        .clone()
}

fn error(stack: &Stack) -> String {
    stack.synth().expect_err("synth should fail").to_string()
}

fn every_five_minutes() -> Schedule {
    Schedule::rate(Duration::from_secs(300))
}

#[test]
fn lambda_reads_a_fifo_queue_in_batches_of_at_most_ten() {
    for size in [11, 100] {
        let mut stack = Stack::new("App");
        let q = fifo(&mut stack, "Q");
        let w = function(&mut stack, "W");
        let options = SqsTrigger::new(size).batching_window(Duration::from_secs(5));
        q.trigger_with(&mut stack, &w, options);
        let e = error(&stack);
        assert!(
            e.contains("resource `WQTrigger`") && e.contains("FIFO queue `Q`"),
            "{e}"
        );
        let mut stack = Stack::new("App");
        let q = fifo(&mut stack, "Q");
        let w = function(&mut stack, "W");
        q.trigger(&mut stack, &w, i64::from(size));
        assert!(error(&stack).contains("FIFO queue `Q`"));
    }
    let mut stack = Stack::new("App");
    let q = fifo(&mut stack, "Q");
    let w = function(&mut stack, "W");
    q.trigger_with(&mut stack, &w, SqsTrigger::new(10));
    let t = template(&stack);
    assert_eq!(t["Resources"]["WQTrigger"]["Properties"]["BatchSize"], 10);
}

#[test]
fn a_queue_and_its_dead_letter_queue_are_of_one_kind() {
    let mut stack = Stack::new("App");
    let d = stack.add("D", Queue::new());
    stack.add("Q", Queue::new().dead_letter_queue(&d, 3).fifo());
    let e = error(&stack);
    assert!(
        e.contains("resource `Q` property `RedrivePolicy.deadLetterTargetArn`")
            && e.contains("`D` is a standard"),
        "{e}"
    );
    let mut stack = Stack::new("App");
    let d = fifo(&mut stack, "D");
    stack.add("Q", Queue::new().dead_letter_queue(&d, 3));
    assert!(error(&stack).contains("`D` is a FIFO"));
    let mut stack = Stack::new("App");
    let d = fifo(&mut stack, "D");
    stack.add("Q", Queue::new().fifo().dead_letter_queue(&d, 3));
    template(&stack);
}

#[test]
fn max_receive_count_is_one_to_a_thousand() {
    for count in [0, -1, 1001, 5000] {
        let mut stack = Stack::new("App");
        let d = stack.add("D", Queue::new());
        stack.add("Q", Queue::new().dead_letter_queue(&d, count));
        let e = error(&stack);
        assert!(
            e.contains("RedrivePolicy.maxReceiveCount") && e.contains(&count.to_string()),
            "{e}"
        );
    }
    for count in [1, 1000] {
        let mut stack = Stack::new("App");
        let d = stack.add("D", Queue::new().retention_seconds(1_209_600));
        stack.add("Q", Queue::new().dead_letter_queue(&d, count));
        template(&stack);
    }
}

#[test]
fn a_schedule_to_a_fifo_queue_gives_a_group_and_needs_content_deduplication() {
    let mut stack = Stack::new("App");
    let q = fifo(&mut stack, "Q");
    stack.add(
        "J",
        ScheduledJob::new(every_five_minutes(), JobTarget::queue(&q)),
    );
    let e = error(&stack);
    assert!(
        e.contains("schedule `J` must give the messages it sends a message group"),
        "{e}"
    );
    assert!(e.contains("content-based deduplication"), "{e}");

    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new().fifo().content_based_deduplication());
    stack.add(
        "J",
        ScheduledJob::new(
            every_five_minutes(),
            JobTarget::queue(&q).message_group_id("ticks"),
        ),
    );
    let t = template(&stack);
    assert_eq!(
        t["Resources"]["J"]["Properties"]["Target"]["SqsParameters"],
        json!({ "MessageGroupId": "ticks" })
    );

    // A group on a standard queue, or one too long.
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new());
    stack.add(
        "J",
        ScheduledJob::new(
            every_five_minutes(),
            JobTarget::queue(&q).message_group_id("ticks"),
        ),
    );
    assert!(error(&stack).contains("only a FIFO queue target takes"));
}

#[test]
fn eventbridge_dead_letter_queues_are_standard() {
    let mut stack = Stack::new("App");
    let d = fifo(&mut stack, "D");
    let w = function(&mut stack, "W");
    let rule = stack.add("R", Rule::schedule(every_five_minutes()));
    rule.target_function(&mut stack, &w, EventTarget::new().dead_letter_queue(&d));
    let e = error(&stack);
    assert!(
        e.contains("resource `R` property `Targets`") && e.contains("`D` is a FIFO queue"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    let d = fifo(&mut stack, "D");
    let w = function(&mut stack, "W");
    stack.add(
        "J",
        ScheduledJob::new(every_five_minutes(), JobTarget::function(&w)).dead_letter_queue(&d),
    );
    let e = error(&stack);
    assert!(
        e.contains("resource `J` property `Target.DeadLetterConfig`") && e.contains("`D`"),
        "{e}"
    );
}

#[test]
fn a_rule_to_a_fifo_queue_needs_content_deduplication() {
    let mut stack = Stack::new("App");
    let q = fifo(&mut stack, "Q");
    let rule = stack.add("R", Rule::schedule(every_five_minutes()));
    rule.target_queue(&mut stack, &q, EventTarget::new().message_group_id("g"));
    assert!(error(&stack).contains("content-based deduplication"));
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new().fifo().content_based_deduplication());
    let rule = stack.add("R", Rule::schedule(every_five_minutes()));
    rule.target_queue(&mut stack, &q, EventTarget::new().message_group_id("g"));
    template(&stack);
}

#[test]
fn lambda_sends_records_and_dead_letters_to_standard_queues_and_topics_only() {
    let lambda = || Function::new(Runtime::Python312, "index.handler", Code::inline("x"));
    let mut stack = Stack::new("App");
    let d = fifo(&mut stack, "D");
    stack.add(
        "W",
        lambda().dead_letter(DeadLetter::Queue(d.grant_target())),
    );
    let e = error(&stack);
    assert!(
        e.contains("resource `W` property `DeadLetterConfig`") && e.contains("`D` is a FIFO queue"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    let d = fifo(&mut stack, "D");
    let t = stack.add("T", Topic::new().fifo());
    stack.add(
        "W",
        lambda().async_invoke(
            EventInvokeConfig::new()
                .on_failure(Destination::Queue(d.grant_target()))
                .on_success(Destination::Topic(t.grant_target())),
        ),
    );
    let e = error(&stack);
    assert!(
        e.contains("resource `WEventInvokeConfig` property `DestinationConfig`")
            && e.contains("`D` is a FIFO queue, but the on-failure destination")
            && e.contains("`T` is a FIFO topic, but the on-success destination"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    let table = stack.add(
        "Orders",
        Table::new(Key::string("id")).stream(StreamView::NewImage),
    );
    let d = fifo(&mut stack, "D");
    let w = function(&mut stack, "W");
    table.stream_to(
        &mut stack,
        &w,
        StreamTrigger::new(StartingPosition::TrimHorizon)
            .on_failure(StreamFailureDestination::Queue(d.grant_target())),
    );
    assert!(error(&stack).contains("`D` is a FIFO queue, but a stream trigger's on-failure"));

    // Standard ones are fine.
    let mut stack = Stack::new("App");
    let d = stack.add("D", Queue::new());
    stack.add(
        "W",
        lambda()
            .dead_letter(DeadLetter::Queue(d.grant_target()))
            .async_invoke(
                EventInvokeConfig::new().on_failure(Destination::Queue(d.grant_target())),
            ),
    );
    template(&stack);
}

fn send(q: &QueueRef, f: impl Fn(SqsSendMessage) -> SqsSendMessage) -> StateMachine {
    StateMachine::new(
        Definition::new("Send")
            .state("Send", Task::call(f(SqsSendMessage::new(q))).next("Done"))
            .state("Done", Succeed::new()),
    )
}

#[test]
fn a_state_machine_sending_to_a_fifo_queue_gives_what_sqs_needs() {
    let mut stack = Stack::new("App");
    let q = fifo(&mut stack, "Q");
    stack.add("SM", send(&q, |s| s.delay_seconds(5)));
    let e = error(&stack);
    assert!(
        e.contains("state `Send` of state machine `SM`")
            && e.contains("message group")
            && e.contains("deduplication ID")
            && e.contains("per-message delay"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    let q = fifo(&mut stack, "Q");
    stack.add(
        "SM",
        send(&q, |s| {
            s.message_group_id(Payload::at("$.customer"))
                .message_deduplication_id(Payload::at("$.orderId"))
        }),
    );
    let t = template(&stack);
    let definition = t["Resources"]["SM"]["Properties"].to_string();
    assert!(
        definition.contains("MessageGroupId.$") && definition.contains("MessageDeduplicationId.$"),
        "{definition}"
    );

    // Content-based deduplication stands for the deduplication ID; a standard queue
    // needs neither.
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new().fifo().content_based_deduplication());
    stack.add(
        "SM",
        send(&q, |s| s.message_group_id(Payload::json(json!("orders")))),
    );
    template(&stack);
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new());
    stack.add("SM", send(&q, |s| s.delay_seconds(5)));
    template(&stack);
}

#[test]
fn reserved_and_malformed_environment_variable_names_are_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "W",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
            .env("AWS_REGION", "x")
            .env("1BAD", "y")
            .env("_HANDLER", "z")
            .env("TABLE_NAME", "t"),
    );
    let e = error(&stack);
    for name in [
        "`AWS_REGION` is reserved",
        "`_HANDLER` is reserved",
        "`1BAD` is not a name",
    ] {
        assert!(e.contains(name), "{name} in {e}");
    }
    assert!(
        e.contains("resource `W` property `Environment.Variables`"),
        "{e}"
    );
    assert!(!e.contains("TABLE_NAME"), "{e}");
    // Also when set through the escape hatch.
    let mut stack = Stack::new("App");
    stack.add(
        "W",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")).configure(|l1| {
            l1.environment(
                nephos::lambda::function::Environment::new().insert_variables(
                    "AWS_SESSION_TOKEN",
                    nephos::Value::<nephos::kind::Str>::from("x").into_any(),
                ),
            )
        }),
    );
    assert!(error(&stack).contains("`AWS_SESSION_TOKEN` is reserved"));
}

#[test]
fn a_sub_minute_alarm_on_a_per_minute_aws_metric_is_a_warning() {
    let mut stack = Stack::new("App");
    let w = function(&mut stack, "W");
    w.metric_errors().period(Duration::from_secs(30)).alarm(
        &mut stack,
        "Errs",
        AlarmOptions::above(0.0),
    );
    let t = stack.synth().unwrap();
    let warnings: Vec<String> = t.warnings().iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("alarm `Errs`") && w.contains("once a minute")),
        "{warnings:?}"
    );
    let mut stack = Stack::new("App");
    let w = function(&mut stack, "W");
    w.metric_errors().period(Duration::from_secs(60)).alarm(
        &mut stack,
        "Errs",
        AlarmOptions::above(0.0),
    );
    assert!(stack.synth().unwrap().warnings().is_empty());
}

#[test]
fn an_api_key_without_a_usage_plan_is_a_warning() {
    let mut stack = Stack::new("App");
    let w = function(&mut stack, "W");
    let api = stack.add("Api", RestApi::new("a"));
    api.route(&mut stack, "GET", "/a", &w)
        .require_api_key(&mut stack);
    let t = stack.synth().unwrap();
    let warnings: Vec<String> = t.warnings().iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("ApiKeyRequired") && w.contains("403")),
        "{warnings:?}"
    );
    let mut stack = Stack::new("App");
    let w = function(&mut stack, "W");
    let api = stack.add("Api", RestApi::new("a"));
    api.route(&mut stack, "GET", "/a", &w)
        .require_api_key(&mut stack);
    api.usage_plan(&mut stack, "Partners", UsagePlan::new());
    let t = stack.synth().unwrap();
    assert!(
        !t.warnings()
            .iter()
            .any(|w| w.to_string().contains("ApiKeyRequired")),
        "{:?}",
        t.warnings()
    );
}
