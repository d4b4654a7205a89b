//! [`StreamTrigger`]: how Lambda reads a stream (a DynamoDB table's or a Kinesis
//! stream's) for a function, every option of the event source mapping typed.
//!
//! Ranges are the registry schema's (`AWS::Lambda::EventSourceMapping`: batch size 1 to
//! 10,000, batching window 0 to 300 s, retries up to 10,000, record age up to 604,800 s,
//! parallelization 1 to 10, tumbling window 0 to 900 s, at most 20 filters of 4,096
//! characters), checked at synth on the mapping the options are written into; what the
//! schema does not say is checked here, from the `CreateEventSourceMapping` API
//! reference: a maximum record age is -1 (forever) or 60 s and more, and
//! `AT_TIMESTAMP` is for Kinesis only.

use std::time::Duration;

use crate::constructs::grants::{self, Grantee, Target};
use crate::constructs::wiring::record_filter::RecordFilter;
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Int, Num};
use crate::lambda::EventSourceMapping;
use crate::lambda::event_source_mapping::{DestinationConfig, FunctionResponseTypes, OnFailure};
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Where Lambda starts reading a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartingPosition {
    /// The oldest record still in the stream.
    TrimHorizon,
    /// Only records written after the mapping is created.
    Latest,
    /// Records from this time on, in seconds since the Unix epoch (Kinesis only).
    AtTimestamp(u64),
}

impl StartingPosition {
    fn as_str(self) -> &'static str {
        match self {
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
            StartingPosition::Latest => "LATEST",
            StartingPosition::AtTimestamp(_) => "AT_TIMESTAMP",
        }
    }
}

/// Where the record of a batch that failed every retry (or expired) goes: Lambda sends
/// it there and the function's role is granted sending.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamFailureDestination {
    /// An SQS queue (`queue.grant_target()`).
    Queue(Target<grants::on::Queue>),
    /// An SNS topic (`topic.grant_target()`).
    Topic(Target<grants::on::Topic>),
}

/// How a function reads a stream. `StreamTrigger::default()` is batches of 100 from
/// `LATEST`, Lambda's defaults otherwise (retries until a record expires, a failing
/// batch blocks its shard).
///
/// ```
/// use std::time::Duration;
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Key, Runtime, StartingPosition, StreamFailureDestination, StreamTrigger, StreamView, Table, Queue};
/// let mut stack = Stack::new("App");
/// let table = stack.add("Orders", Table::new(Key::string("id")).stream(StreamView::NewImage));
/// let failed = stack.add("Failed", Queue::new());
/// let f = stack.add("Audit", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// table.stream_to(&mut stack, &f, StreamTrigger::new(StartingPosition::TrimHorizon)
///     .batch_size(50)
///     .bisect_on_error()
///     .retry_attempts(3)
///     .max_record_age(Duration::from_secs(3600))
///     .on_failure(StreamFailureDestination::Queue(failed.grant_target()))
///     .report_batch_item_failures()
///     .filter(serde_json::json!({"eventName": ["INSERT"]})));
/// let t = stack.synth().unwrap();
/// let m = &t.json()["Resources"]["AuditOrdersStream"]["Properties"];
/// assert_eq!(m["StartingPosition"], "TRIM_HORIZON");
/// assert_eq!(m["BisectBatchOnFunctionError"], true);
/// assert_eq!(m["FilterCriteria"]["Filters"][0]["Pattern"], r#"{"eventName":["INSERT"]}"#);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StreamTrigger {
    start: StartingPosition,
    batch_size: u32,
    window: Option<Duration>,
    bisect: bool,
    retries: Option<u32>,
    max_age: Option<Duration>,
    parallelization: Option<u32>,
    tumbling: Option<Duration>,
    on_failure: Option<StreamFailureDestination>,
    report_failures: bool,
    filters: Vec<Result<serde_json::Value, Vec<String>>>,
}

impl Default for StreamTrigger {
    fn default() -> Self {
        StreamTrigger::new(StartingPosition::Latest)
    }
}

impl StreamTrigger {
    /// Batches of 100 records from `start`.
    pub fn new(start: StartingPosition) -> Self {
        StreamTrigger {
            start,
            batch_size: 100,
            window: None,
            bisect: false,
            retries: None,
            max_age: None,
            parallelization: None,
            tumbling: None,
            on_failure: None,
            report_failures: false,
            filters: Vec::new(),
        }
    }

    /// Records per invocation (1 to 10,000).
    pub fn batch_size(mut self, n: u32) -> Self {
        self.batch_size = n;
        self
    }

    /// How long Lambda gathers records before invoking (whole seconds, 0 to 300).
    pub fn batching_window(mut self, window: Duration) -> Self {
        self.window = Some(window);
        self
    }

    /// On a function error, splits the batch in two and retries each half, to isolate
    /// a bad record.
    pub fn bisect_on_error(mut self) -> Self {
        self.bisect = true;
        self
    }

    /// Retries of a failed batch (0 to 10,000; without it, until the record expires).
    pub fn retry_attempts(mut self, n: u32) -> Self {
        self.retries = Some(n);
        self
    }

    /// Records older than this are skipped (whole seconds, 60 to 604,800; without it,
    /// records never expire before the stream drops them).
    pub fn max_record_age(mut self, age: Duration) -> Self {
        self.max_age = Some(age);
        self
    }

    /// Concurrent batches per shard (1 to 10).
    pub fn parallelization_factor(mut self, n: u32) -> Self {
        self.parallelization = Some(n);
        self
    }

    /// Aggregates over windows of this length (whole seconds, 0 to 900): the function
    /// receives and returns a state per window.
    pub fn tumbling_window(mut self, window: Duration) -> Self {
        self.tumbling = Some(window);
        self
    }

    /// Sends the record of a batch that failed every retry to a queue or topic.
    pub fn on_failure(mut self, destination: StreamFailureDestination) -> Self {
        self.on_failure = Some(destination);
        self
    }

    /// Partial batch responses (`ReportBatchItemFailures`): the function returns the
    /// sequence number of the first failed record, and Lambda retries from it.
    pub fn report_batch_item_failures(mut self) -> Self {
        self.report_failures = true;
        self
    }

    /// Only records matching this event filter pattern (Lambda's filter syntax, such as
    /// `{"eventName": ["INSERT"]}`) invoke the function; several filters are ORed. A
    /// pattern Lambda refuses (not an object, a field whose value is not a list of
    /// matchers, such as `{"eventName": "INSERT"}`) is a synth error; [`filter_by`]
    /// builds one from typed matchers instead.
    ///
    /// [`filter_by`]: StreamTrigger::filter_by
    pub fn filter(mut self, pattern: serde_json::Value) -> Self {
        let problems = super::record_filter::untyped_problems(&pattern);
        self.filters.push(if problems.is_empty() {
            Ok(pattern)
        } else {
            Err(problems)
        });
        self
    }

    /// Only records matching `filter` invoke the function; several filters are ORed.
    ///
    /// ```
    /// use nephos::constructs::{Match, StartingPosition, StreamTrigger};
    /// use nephos::constructs::wiring::record_filter::RecordFilter;
    /// let t = StreamTrigger::new(StartingPosition::Latest)
    ///     .filter_by(RecordFilter::new().field("eventName", Match::exact("INSERT")));
    /// # let _ = t;
    /// ```
    pub fn filter_by(mut self, filter: RecordFilter) -> Self {
        self.filters.push(filter.to_json());
        self
    }

    /// Problems the schema does not catch; `kinesis` says whether the source is one.
    fn problems(&self, kinesis: bool) -> Vec<String> {
        let mut out = Vec::new();
        for (what, d) in [
            ("batching window", self.window),
            ("maximum record age", self.max_age),
            ("tumbling window", self.tumbling),
        ] {
            if d.is_some_and(|d| d.subsec_nanos() != 0) {
                out.push(format!("the {what} is not a whole number of seconds"));
            }
        }
        if self.max_age.is_some_and(|a| a.as_secs() < 60) {
            out.push("a maximum record age under 60 seconds".to_string());
        }
        if !kinesis && matches!(self.start, StartingPosition::AtTimestamp(_)) {
            out.push(
                "`AT_TIMESTAMP` on a DynamoDB stream, which only Kinesis supports".to_string(),
            );
        }
        out
    }

    /// Grants `function` the failure destination, reports what Lambda would refuse on
    /// the mapping `id`, and writes the options into `mapping`.
    pub(super) fn apply(
        &self,
        stack: &mut Stack,
        id: &str,
        function: &impl Grantee,
        kinesis: bool,
        mut mapping: EventSourceMapping,
    ) -> EventSourceMapping {
        let problems = self.problems(kinesis);
        if !problems.is_empty() {
            stack.problem(Diagnostic::error(
                Location::resource(id),
                format!("the stream trigger: {}", problems.join("; ")),
                "give whole seconds, a record age of at least 60 s, and `AT_TIMESTAMP` only for Kinesis streams",
            ));
        }
        let secs = |d: Duration| Value::<Int>::from(i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        mapping = mapping
            .starting_position(self.start.as_str())
            .batch_size(Value::<Int>::from(i64::from(self.batch_size)));
        if let StartingPosition::AtTimestamp(t) = self.start {
            mapping = mapping.starting_position_timestamp(Value::<Num>::from(t as f64));
        }
        if let Some(w) = self.window {
            mapping = mapping.maximum_batching_window_in_seconds(secs(w));
        }
        if self.bisect {
            mapping = mapping.bisect_batch_on_function_error(true);
        }
        if let Some(n) = self.retries {
            mapping = mapping.maximum_retry_attempts(Value::<Int>::from(i64::from(n)));
        }
        if let Some(a) = self.max_age {
            mapping = mapping.maximum_record_age_in_seconds(secs(a));
        }
        if let Some(n) = self.parallelization {
            mapping = mapping.parallelization_factor(Value::<Int>::from(i64::from(n)));
        }
        if let Some(w) = self.tumbling {
            mapping = mapping.tumbling_window_in_seconds(secs(w));
        }
        if let Some(dest) = &self.on_failure {
            // Lambda sends the record without a message group, which a FIFO queue or
            // topic refuses.
            let (at, who) = (
                (id, "DestinationConfig"),
                "a stream trigger's on-failure destination",
            );
            let arn = match dest {
                StreamFailureDestination::Queue(q) => {
                    crate::constructs::wiring::fifo::require_standard(stack, q, false, at, who);
                    grants::queue::send(stack, function, q);
                    q.arn().clone()
                }
                StreamFailureDestination::Topic(t) => {
                    crate::constructs::wiring::fifo::require_standard(stack, t, true, at, who);
                    grants::topic::publish(stack, function, t);
                    t.arn().clone()
                }
            };
            mapping = mapping.destination_config(
                DestinationConfig::new().on_failure(OnFailure::new().destination(arn)),
            );
        }
        if self.report_failures {
            mapping =
                mapping.add_function_response_types(FunctionResponseTypes::ReportBatchItemFailures);
        }
        mapping = super::record_filter::apply(stack, id, &self.filters, mapping);
        mapping
    }
}
