//! FIFO limits wherever a queue or topic is used, of the stack or imported by ARN (an
//! imported one is FIFO when its ARN's name ends in `.fifo`): Lambda's dead-letter
//! queues and topics, asynchronous and stream on-failure destinations and EventBridge
//! Scheduler's dead-letter queues are standard only; Lambda takes no batching window on
//! a FIFO queue trigger; SQS takes its FIFO-only attributes on FIFO queues only. Run with
//! `--features kms,secretsmanager,ssm,stepfunctions,ecr,events,scheduler`.
#![cfg(all(feature = "events", feature = "scheduler"))]

use std::time::Duration;

use nephos::Stack;
use nephos::constructs::timing::Schedule;
use nephos::constructs::{
    Code, DeadLetter, Destination, EventInvokeConfig, Function, FunctionRef, JobTarget, Key, Queue,
    Runtime, ScheduledJob, SqsTrigger, StartingPosition, StreamFailureDestination, StreamTrigger,
    StreamView, Table, Topic,
};

const FIFO_QUEUE: &str = "arn:aws:sqs:eu-west-1:123456789012:jobs.fifo";
const FIFO_TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:alerts.fifo";
const QUEUE: &str = "arn:aws:sqs:eu-west-1:123456789012:jobs";

fn lambda() -> Function {
    Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
}

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(id, lambda())
}

/// The synth error of `stack`, which must fail.
fn error(stack: &Stack) -> String {
    stack.synth().unwrap_err().to_string()
}

#[test]
fn an_imported_fifo_queue_or_topic_is_refused_where_lambda_needs_a_standard_one() {
    let queue = || Queue::from_arn(FIFO_QUEUE).unwrap().grant_target();
    let topic = || Topic::from_arn(FIFO_TOPIC).unwrap().grant_target();
    let cases: Vec<(&str, Function)> = vec![
        (
            "the on-failure destination of function `W`",
            lambda().async_invoke(EventInvokeConfig::new().on_failure(Destination::Queue(queue()))),
        ),
        (
            "the on-success destination of function `W`",
            lambda().async_invoke(EventInvokeConfig::new().on_success(Destination::Topic(topic()))),
        ),
        (
            "the dead-letter queue of function `W`",
            lambda().dead_letter(DeadLetter::Queue(queue())),
        ),
        (
            "the dead-letter queue of function `W`",
            lambda().dead_letter(DeadLetter::Topic(topic())),
        ),
    ];
    for (what, f) in cases {
        let mut s = Stack::new("App");
        s.add("W", f);
        let e = error(&s);
        assert!(e.contains(&format!("{what} must be a standard")), "{e}");
        assert!(e.contains(".fifo` is a FIFO"), "{e}");
    }
    // A standard one imported is taken as before.
    let mut s = Stack::new("App");
    s.add(
        "W",
        lambda().dead_letter(DeadLetter::Queue(
            Queue::from_arn(QUEUE).unwrap().grant_target(),
        )),
    );
    s.synth().unwrap();
}

#[test]
fn an_imported_fifo_queue_is_refused_as_a_stream_on_failure_destination() {
    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    let table = s.add(
        "Orders",
        Table::new(Key::string("pk")).stream(StreamView::NewImage),
    );
    table.stream_to(
        &mut s,
        &f,
        StreamTrigger::new(StartingPosition::Latest).on_failure(StreamFailureDestination::Queue(
            Queue::from_arn(FIFO_QUEUE).unwrap().grant_target(),
        )),
    );
    let e = error(&s);
    assert!(
        e.contains("a stream trigger's on-failure destination must be a standard queue"),
        "{e}"
    );
}

#[test]
fn an_imported_fifo_queue_as_a_schedule_dead_letter_queue_is_refused_by_the_fifo_rule() {
    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    s.add(
        "Nightly",
        ScheduledJob::new(
            Schedule::rate(Duration::from_secs(3600)),
            JobTarget::function(&f),
        )
        .dead_letter_queue(&Queue::from_arn(FIFO_QUEUE).unwrap()),
    );
    let e = error(&s);
    assert!(
        e.contains(
            "the dead-letter queue of schedule `Nightly` (EventBridge) must be a standard queue"
        ),
        "{e}"
    );
}

#[test]
fn a_fifo_queue_trigger_takes_no_batching_window() {
    let window = SqsTrigger::new(10).batching_window(Duration::from_secs(5));
    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    let q = s.add("Jobs", Queue::new().fifo().content_based_deduplication());
    q.trigger_with(&mut s, &f, window.clone());
    let e = error(&s);
    assert!(
        e.contains("WJobsTrigger") && e.contains("Lambda takes none for FIFO queue `Jobs`"),
        "{e}"
    );

    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    Queue::from_arn(FIFO_QUEUE)
        .unwrap()
        .trigger_with(&mut s, &f, window.clone());
    let e = error(&s);
    assert!(e.contains("Lambda takes none for FIFO queue `arn:"), "{e}");

    // A standard queue takes the window.
    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    let q = s.add("Jobs", Queue::new());
    q.trigger_with(&mut s, &f, window);
    s.synth().unwrap();
}

#[test]
fn a_fifo_queue_trigger_takes_a_batching_window_of_zero_lambdas_default() {
    let zero = SqsTrigger::new(10).batching_window(Duration::ZERO);
    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    let q = s.add("Jobs", Queue::new().fifo().content_based_deduplication());
    q.trigger_with(&mut s, &f, zero.clone());
    let t = s.synth().unwrap();
    assert_eq!(
        t.json()["Resources"]["WJobsTrigger"]["Properties"]["MaximumBatchingWindowInSeconds"],
        0
    );

    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    Queue::from_arn(FIFO_QUEUE)
        .unwrap()
        .trigger_with(&mut s, &f, zero);
    s.synth().unwrap();
}

#[test]
fn fifo_only_attributes_are_refused_on_a_standard_queue() {
    let mut s = Stack::new("App");
    s.add("Jobs", Queue::new().content_based_deduplication());
    let e = error(&s);
    assert!(
        e.contains("SQS takes `ContentBasedDeduplication` only on a FIFO queue")
            && e.contains("call `.fifo()`"),
        "{e}"
    );
    let mut s = Stack::new("App");
    s.add(
        "Jobs",
        Queue::new().configure(|q| q.fifo_throughput_limit("perMessageGroupId")),
    );
    let e = error(&s);
    assert!(
        e.contains("`FifoThroughputLimit` only on a FIFO queue"),
        "{e}"
    );

    // On a FIFO queue they are taken, and `FifoQueue` may not then be overridden.
    let mut s = Stack::new("App");
    let q = s.add("Jobs", Queue::new().fifo().content_based_deduplication());
    s.synth().unwrap();
    s.resource(&q).override_property("FifoQueue", false);
    let e = error(&s);
    assert!(e.contains("FifoQueue"), "{e}");
}
