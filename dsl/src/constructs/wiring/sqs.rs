//! SQS to Lambda: an event source mapping polling a queue for a function.
//!
//! Limits from the AWS Lambda Developer Guide, "Using Lambda with Amazon SQS" and the
//! `CreateEventSourceMapping` API reference: a batch of 1 to 10,000 messages (at most 10
//! for a FIFO queue), and above 10 only with a batching window of at least one second;
//! a batching window of 0 to 300 seconds; a maximum concurrency of 2 to 1,000.

use std::time::Duration;

use crate::constructs::grants::{self, Target};
use crate::constructs::wiring::event_source::from_source;
use crate::constructs::wiring::record_filter::{self, RecordFilter};
use crate::constructs::wiring::{FunctionEnd, event_source};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Int;
use crate::lambda::{EventSourceMapping, EventSourceMappingHandle};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// How Lambda polls a queue for a function: batch size and window, maximum
/// concurrency, and partial batch responses.
///
/// ```
/// use std::time::Duration;
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Queue, Runtime, wiring::sqs::SqsTrigger};
/// let mut stack = Stack::new("App");
/// let q = stack.add("Jobs", Queue::new());
/// let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// q.trigger_with(&mut stack, &f, SqsTrigger::new(10).report_batch_item_failures().max_concurrency(5));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// let m = &t["Resources"]["WorkerJobsTrigger"]["Properties"];
/// assert_eq!(m["FunctionResponseTypes"], serde_json::json!(["ReportBatchItemFailures"]));
/// assert_eq!(m["ScalingConfig"]["MaximumConcurrency"], 5);
///
/// let mut stack = Stack::new("App");
/// let q = stack.add("Jobs", Queue::new());
/// let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// q.trigger_with(&mut stack, &f, SqsTrigger::new(100));
/// assert!(stack.synth().unwrap_err().to_string().contains("batching window"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqsTrigger {
    batch_size: u32,
    window: Option<Duration>,
    max_concurrency: Option<u32>,
    report_failures: bool,
    filters: Vec<Result<serde_json::Value, Vec<String>>>,
}

impl SqsTrigger {
    /// Batches of up to `batch_size` messages, no batching window, no concurrency cap,
    /// and a failed invocation returning the whole batch to the queue.
    pub fn new(batch_size: u32) -> Self {
        SqsTrigger {
            batch_size,
            window: None,
            max_concurrency: None,
            report_failures: false,
            filters: Vec::new(),
        }
    }

    /// How long Lambda gathers messages before invoking (0 to 300 s, whole seconds).
    pub fn batching_window(mut self, window: Duration) -> Self {
        self.window = Some(window);
        self
    }

    /// At most `n` concurrent invocations for this queue (2 to 1,000).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    /// Partial batch responses (`ReportBatchItemFailures`): the function returns the IDs
    /// of the messages that failed (`{"batchItemFailures": [{"itemIdentifier": id}]}`), and
    /// only those return to the queue.
    pub fn report_batch_item_failures(mut self) -> Self {
        self.report_failures = true;
        self
    }

    /// Only messages matching `filter` invoke the function (a message's JSON body is
    /// matched with [`RecordFilter::body`]); several filters are ORed. Lambda deletes a
    /// message that matches no filter without invoking the function.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, Match, Queue, Runtime};
    /// use nephos::constructs::wiring::{record_filter::RecordFilter, sqs::SqsTrigger};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", Queue::new());
    /// let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// q.trigger_with(&mut stack, &f, SqsTrigger::new(10)
    ///     .filter(RecordFilter::new().body("type", Match::exact("order"))));
    /// let t = stack.synth().unwrap();
    /// let m = &t.json()["Resources"]["WorkerJobsTrigger"]["Properties"];
    /// assert_eq!(m["FilterCriteria"]["Filters"][0]["Pattern"], r#"{"body":{"type":["order"]}}"#);
    /// ```
    pub fn filter(mut self, filter: RecordFilter) -> Self {
        self.filters.push(filter.to_json());
        self
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(1..=10_000).contains(&self.batch_size) {
            out.push(format!(
                "the batch size {} is outside 1 to 10,000",
                self.batch_size
            ));
        }
        let window = self.window.unwrap_or_default();
        if window > Duration::from_secs(300) || window.subsec_nanos() != 0 {
            out.push(format!(
                "the batching window {window:?} is not a whole number of seconds from 0 to 300"
            ));
        }
        if self.batch_size > 10 && window.is_zero() {
            out.push(format!(
                "a batch size of {} (over 10) needs a batching window of at least one second",
                self.batch_size
            ));
        }
        if let Some(n) = self.max_concurrency
            && !(2..=1000).contains(&n)
        {
            out.push(format!("the maximum concurrency {n} is outside 2 to 1,000"));
        }
        out
    }

    fn mapping(&self, mut mapping: EventSourceMapping) -> EventSourceMapping {
        mapping = mapping.batch_size(Value::<Int>::from(i64::from(self.batch_size)));
        if let Some(w) = self.window {
            mapping = mapping.maximum_batching_window_in_seconds(w.as_secs() as i64);
        }
        if let Some(n) = self.max_concurrency {
            mapping = mapping.scaling_config(
                crate::lambda::event_source_mapping::ScalingConfig::new()
                    .maximum_concurrency(i64::from(n)),
            );
        }
        if self.report_failures {
            mapping = mapping.add_function_response_types(
                crate::lambda::event_source_mapping::FunctionResponseTypes::ReportBatchItemFailures,
            );
        }
        mapping
    }
}

/// What Lambda refuses of polling the FIFO queue `queue` (of the stack or imported, see
/// [`fifo::target_is_fifo`](crate::constructs::wiring::fifo::target_is_fifo)): batches of
/// more than 10, and any batching window but 0 s, Lambda's default (AWS Lambda Developer
/// Guide, "Lambda parameters for Amazon SQS event source mappings": `BatchSize` "For FIFO
/// queues, the maximum is 10"; `MaximumBatchingWindowInSeconds` "Batching window is not
/// supported for FIFO queues", default 0).
fn fifo_problems(
    stack: &mut Stack,
    queue: &Target<grants::on::Queue>,
    batch_size: u32,
    window: Option<Duration>,
) -> Vec<String> {
    let mut out = Vec::new();
    if !crate::constructs::wiring::fifo::target_is_fifo(
        stack,
        queue,
        false,
        "how a queue trigger may poll it",
    ) {
        return out;
    }
    let what = &queue.what;
    if batch_size > 10 {
        out.push(format!(
            "the batch size {batch_size} is over 10, the most Lambda takes from FIFO {what}"
        ));
    }
    // A window of 0 s is Lambda's default, taken on a FIFO queue like no window at all.
    if let Some(window) = window
        && !window.is_zero()
    {
        out.push(format!(
            "the batching window {window:?} is set, and Lambda takes none for FIFO {what}"
        ));
    }
    out
}

/// Invokes `function` with batches of `batch_size` messages of `queue` (the resource
/// `source`, the queue itself): the consume grant (and its key's) on the function's role,
/// then an event source mapping `<Function><Queue>Trigger` that waits for the role.
pub fn trigger(
    stack: &mut Stack,
    queue: &Target<grants::on::Queue>,
    source: &impl Handle,
    function: &impl FunctionEnd,
    batch_size: i64,
) -> EventSourceMappingHandle {
    let size = u32::try_from(batch_size).unwrap_or(u32::MAX);
    if let Some(problem) = fifo_problems(stack, queue, size, None).pop() {
        stack.problem(Diagnostic::error(
            Location::resource(&format!(
                "{}{}Trigger",
                function.resource_ref().logical_id(),
                source.resource_ref().logical_id()
            )),
            format!("the queue trigger: {problem}"),
            "give a batch size of at most 10",
        ));
    }
    grants::queue::consume(stack, function, queue);
    let mapping = EventSourceMapping::new(function.function_name())
        .event_source_arn(queue.arn().clone().cast::<crate::kinds::AmazonMqBrokerArnOrDynamoDbTableStreamArnOrKinesisStreamArnOrStreamConsumerConsumerArnOrMskClusterArnOrServerlessClusterArnOrSqsQueueArn>())
        .batch_size(Value::<Int>::from(batch_size));
    event_source(stack, function, source.resource_ref(), "Trigger", mapping)
}

/// As [`trigger`], with the polling options of `options`; what Lambda would refuse is a
/// synth error naming the mapping.
pub fn trigger_with(
    stack: &mut Stack,
    queue: &Target<grants::on::Queue>,
    source: &impl Handle,
    function: &impl FunctionEnd,
    options: &SqsTrigger,
) -> EventSourceMappingHandle {
    let name = source.resource_ref().logical_id().to_string();
    trigger_from(
        stack,
        queue,
        (&name, Some(source.resource_ref())),
        function,
        options,
    )
}

/// As [`trigger_with`], for a queue outside the stack (`queue` has no resource): the
/// mapping is `<Function><fragment of the queue's ARN>Trigger`. Only this stack's
/// function role and mapping are involved, so the queue's policy is not changed.
pub fn trigger_imported(
    stack: &mut Stack,
    queue: &Target<grants::on::Queue>,
    function: &impl FunctionEnd,
    options: &SqsTrigger,
) -> EventSourceMappingHandle {
    let name = crate::constructs::ids::value_fragment(queue.arn());
    stack.require_home(
        queue.arn(),
        &format!(
            "the event source mapping from {} to function `{}`",
            queue.what(),
            function.resource_ref().logical_id()
        ),
        crate::Reach::Region,
        "Lambda maps only an SQS queue of the function's Region (AWS Lambda Developer Guide, \"Creating and configuring an Amazon SQS event source mapping\")",
    );
    trigger_from(stack, queue, (&name, None), function, options)
}

fn trigger_from(
    stack: &mut Stack,
    queue: &Target<grants::on::Queue>,
    source: (&str, Option<&ResourceRef>),
    function: &impl FunctionEnd,
    options: &SqsTrigger,
) -> EventSourceMappingHandle {
    let mut problems = options.problems();
    problems.extend(fifo_problems(
        stack,
        queue,
        options.batch_size,
        options.window,
    ));
    if !problems.is_empty() {
        stack.problem(Diagnostic::error(
            Location::resource(&format!(
                "{}{}Trigger",
                function.resource_ref().logical_id(),
                source.0
            )),
            format!("the queue trigger: {}", problems.join("; ")),
            "keep the batch size from 1 to 10,000 (at most 10 on a FIFO queue; over 10 with `batching_window` of 1 s or more), the window up to 300 s (0 s or none on a FIFO queue) and the concurrency from 2 to 1,000",
        ));
    }
    grants::queue::consume(stack, function, queue);
    let mapping = options.mapping(
        EventSourceMapping::new(function.function_name())
            .event_source_arn(queue.arn().clone().cast::<crate::kinds::AmazonMqBrokerArnOrDynamoDbTableStreamArnOrKinesisStreamArnOrStreamConsumerConsumerArnOrMskClusterArnOrServerlessClusterArnOrSqsQueueArn>()),
    );
    let id = format!(
        "{}{}Trigger",
        function.resource_ref().logical_id(),
        source.0
    );
    let mapping = record_filter::apply(stack, &id, &options.filters, mapping);
    from_source(stack, function, source, "Trigger", mapping)
}
