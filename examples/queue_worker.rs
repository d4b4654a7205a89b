//! A construct written outside nephos: `QueueWorker`, a queue-backed worker function with
//! a dead-letter queue, the kind of pattern a company writes once and uses in every
//! service. It uses only nephos' public API, the same the built-in constructs use:
//!
//! - `Construct` (what `stack.add` takes), with IDs derived by `constructs::ids`;
//! - built-in constructs as parts (two queues, a function);
//! - a grant from `constructs::grants` (consuming the queue, its KMS key included when it
//!   has one) and a wiring helper from `constructs::wiring` (the event source mapping,
//!   created after the role so CloudFormation finds the permissions);
//! - `Stack::problem` to refuse a setting at synth, naming the resource and the fix;
//! - an alarm-ready metric: the queue's `ApproximateAgeOfOldestMessage`, which a stack
//!   turns into a CloudWatch alarm (here: messages waiting more than 15 minutes).
//!
//! Run: `cargo run --example queue_worker`.

use std::process::ExitCode;

use nephos::cloudwatch::alarm::{ComparisonOperator, Dimension, Statistic};
use nephos::constructs::{
    Code, Function, FunctionRef, Queue, QueueRef, Runtime, grants, ids, wiring,
};
use nephos::kind::Str;
use nephos::lambda::event_source_mapping::FunctionResponseTypes;
use nephos::lambda::{EventSourceMapping, EventSourceMappingHandle};
use nephos::{
    App, Construct, Diagnostic, Handle, Location, Output, Stack, StackSettings, Value, cloudwatch,
};

/// A worker: a queue, a function invoked with batches of its messages, and a dead-letter
/// queue where a message lands after `max_receive_count` failed attempts.
pub struct QueueWorker {
    function: Function,
    timeout_seconds: i64,
    batch_size: i64,
    max_receive_count: i64,
}

impl QueueWorker {
    /// A worker running `handler` of `code` on `runtime`: batches of 10 messages, 30
    /// seconds per batch, 3 attempts per message.
    pub fn new(runtime: Runtime, handler: &str, code: Code) -> Self {
        QueueWorker {
            function: Function::new(runtime, handler, code),
            timeout_seconds: 30,
            batch_size: 10,
            max_receive_count: 3,
        }
    }

    /// The function's timeout per batch.
    pub fn timeout(mut self, seconds: i64) -> Self {
        self.timeout_seconds = seconds;
        self
    }

    /// Messages per invocation (1 to 10 without a batching window).
    pub fn batch_size(mut self, messages: i64) -> Self {
        self.batch_size = messages;
        self
    }

    /// Attempts before a message is parked in the dead-letter queue.
    pub fn max_receive_count(mut self, attempts: i64) -> Self {
        self.max_receive_count = attempts;
        self
    }

    /// Sets an environment variable of the function.
    pub fn env(mut self, key: &str, value: impl nephos::IntoValue<Str>) -> Self {
        self.function = self.function.env(key, value);
        self
    }
}

/// A worker added to a stack.
#[derive(Clone, Debug)]
pub struct QueueWorkerRef {
    queue: QueueRef,
    dead_letters: QueueRef,
    function: FunctionRef,
    mapping: EventSourceMappingHandle,
}

/// A CloudWatch metric, ready for an alarm: where it is published and for what.
#[derive(Clone, Debug)]
pub struct Metric {
    /// The namespace, such as `AWS/SQS`.
    pub namespace: &'static str,
    /// The metric's name.
    pub name: &'static str,
    /// Its dimensions, name and value.
    pub dimensions: Vec<(&'static str, Value<Str>)>,
}

impl Metric {
    /// An alarm when the metric's maximum over `period` seconds exceeds `threshold`.
    pub fn alarm_above(&self, threshold: i64, period: i64) -> cloudwatch::Alarm {
        self.dimensions.iter().fold(
            cloudwatch::Alarm::new()
                .namespace(self.namespace)
                .metric_name(self.name)
                .statistic(Statistic::Maximum)
                .period(period)
                .evaluation_periods(1)
                .threshold(threshold)
                .comparison_operator(ComparisonOperator::GreaterThanThreshold),
            |alarm, (name, value)| alarm.add_dimensions(Dimension::new(*name, value.clone())),
        )
    }
}

impl QueueWorkerRef {
    /// The queue work is sent to.
    pub fn queue(&self) -> &QueueRef {
        &self.queue
    }

    /// Where messages that keep failing are parked.
    pub fn dead_letters(&self) -> &QueueRef {
        &self.dead_letters
    }

    /// The worker function.
    pub fn function(&self) -> &FunctionRef {
        &self.function
    }

    /// The event source mapping from the queue to the function.
    pub fn mapping(&self) -> &EventSourceMappingHandle {
        &self.mapping
    }

    /// How long the oldest message has waited, in seconds (SQS publishes
    /// `ApproximateAgeOfOldestMessage` per queue, under `QueueName`): the metric to alarm
    /// on when the worker falls behind or stops.
    pub fn oldest_message_age(&self) -> Metric {
        Metric {
            namespace: "AWS/SQS",
            name: "ApproximateAgeOfOldestMessage",
            dimensions: vec![("QueueName", self.queue.name().cast())],
        }
    }
}

/// Lambda's limit for an SQS event source mapping without a batching window (AWS Lambda
/// Developer Guide, "Using Lambda with Amazon SQS": `BatchSize` up to 10 unless
/// `MaximumBatchingWindowInSeconds` is set).
const MAX_BATCH_WITHOUT_WINDOW: i64 = 10;

impl Construct for QueueWorker {
    type Handle = QueueWorkerRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> QueueWorkerRef {
        if !(1..=MAX_BATCH_WITHOUT_WINDOW).contains(&self.batch_size) {
            stack.problem(Diagnostic::error(
                Location::resource(&ids::child(id, &["Worker", "Trigger"])),
                format!(
                    "worker `{id}` takes batches of {} messages; an SQS mapping without a batching window takes 1 to {MAX_BATCH_WITHOUT_WINDOW}",
                    self.batch_size
                ),
                "give `.batch_size(...)` a value from 1 to 10",
            ));
        }
        let dead_letters = stack.add(
            &ids::child(id, &["DeadLetters"]),
            Queue::new().retention_seconds(1_209_600),
        );
        // Lambda's advice for SQS sources: a visibility timeout of at least six times
        // the function's timeout, so a retried batch is not received twice meanwhile.
        let queue = stack.add(
            id,
            Queue::new()
                .visibility_timeout(self.timeout_seconds * 6)
                .dead_letter_queue(&dead_letters, self.max_receive_count),
        );
        let function = stack.add(
            &ids::child(id, &["Worker"]),
            self.function.timeout(self.timeout_seconds),
        );
        // The grant, on the queue's ARN and key, before the mapping that needs it.
        grants::queue::consume(stack, &function, &queue.grant_target());
        let mapping = EventSourceMapping::new(function.name())
            .event_source_arn(queue.arn())
            .batch_size(self.batch_size)
            .add_function_response_types(FunctionResponseTypes::ReportBatchItemFailures);
        let mapping =
            wiring::event_source(stack, &function, queue.resource_ref(), "Trigger", mapping);
        QueueWorkerRef {
            queue,
            dead_letters,
            function,
            mapping,
        }
    }
}

/// The stack: a thumbnail worker, an alarm on its backlog, and its queue's URL.
pub fn stack() -> Stack {
    let mut stack = Stack::new("QueueWorker");
    stack.description("A queue-backed worker written as a construct outside nephos");
    let thumbnails = stack.add(
        "Thumbnails",
        QueueWorker::new(
            Runtime::Python312,
            "index.handler",
            Code::inline("def handler(event, context):\n    return {'batchItemFailures': []}\n"),
        )
        .timeout(60)
        .batch_size(5)
        .env("SIZES", "64,256"),
    );
    stack.add(
        "ThumbnailsBacklogAlarm",
        thumbnails
            .oldest_message_age()
            .alarm_above(900, 300)
            .alarm_description("Thumbnail requests have waited more than 15 minutes"),
    );
    stack.output("ThumbnailsQueueUrl", Output::new(thumbnails.queue().url()));
    stack.output(
        "ThumbnailsDeadLettersUrl",
        Output::new(thumbnails.dead_letters().url()),
    );
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("queue-worker"));
    app
}

fn main() -> ExitCode {
    app().run()
}
