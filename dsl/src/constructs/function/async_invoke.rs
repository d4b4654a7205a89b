//! Asynchronous invocation options of a function: how long and how often Lambda retries
//! an event, and where it sends the record of a success or a failure.

use std::time::Duration;

use crate::constructs::grants::{self, Grant, Grantee, Target, actions, on};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Int, Str};
use crate::lambda::event_invoke_config as generated;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Where Lambda sends the record of an asynchronous invocation, as a grant target (its
/// ARN and key: `queue.grant_target()`, `Target::from(&handle)` or [`Target::by_arn`]).
/// The function's role is granted what the destination needs (Lambda checks the role
/// when the configuration is created).
#[derive(Clone, Debug, PartialEq)]
pub enum Destination {
    /// An SQS queue (`sqs:SendMessage`, and its key's produce actions).
    Queue(Target<on::Queue>),
    /// An SNS topic (`sns:Publish`, and its key's produce actions).
    Topic(Target<on::Topic>),
    /// Another Lambda function (`lambda:InvokeFunction`).
    Function(Target<on::Function>),
    /// An EventBridge event bus (`events:PutEvents`).
    EventBus(Target<on::EventBus>),
}

impl Destination {
    fn arn(&self) -> &Value<Str> {
        match self {
            Destination::Queue(t) => t.arn(),
            Destination::Topic(t) => t.arn(),
            Destination::Function(t) => t.arn(),
            Destination::EventBus(t) => t.arn(),
        }
    }

    /// Grants `function` what sending to this destination takes.
    fn grant(&self, stack: &mut Stack, function: &impl Grantee) {
        match self {
            Destination::Queue(q) => {
                grants::queue::send(stack, function, q);
            }
            Destination::Topic(t) => {
                grants::topic::publish(stack, function, t);
            }
            Destination::Function(f) => {
                grants::function::invoke(stack, function, f);
            }
            Destination::EventBus(b) => {
                let purpose = "sending events to the bus";
                if b.refuse_mismatch(stack, &function.grantee_name(), purpose) {
                    return;
                }
                grants::grant(
                    stack,
                    function,
                    Grant::new(purpose)
                        .actions(actions::EVENTS_PUT_EVENTS)
                        .on(b.arn()),
                );
            }
        }
    }
}

/// How Lambda handles asynchronous invocations of a function (an
/// `AWS::Lambda::EventInvokeConfig` on `$LATEST`, and one on each alias of the function,
/// `<Alias>EventInvokeConfig`, since Lambda keeps the options per qualifier and events
/// sent to an alias would otherwise get its defaults): the maximum age of an event (60 s to
/// 6 h), the retries after a failed attempt (0 to 2), and the destinations on success and
/// on failure. The ranges are the registry schema's, checked at synth.
///
/// ```
/// use std::time::Duration;
/// use nephos::Stack;
/// use nephos::constructs::{Code, Destination, EventInvokeConfig, Function, Queue, Runtime};
/// let mut stack = Stack::new("App");
/// let failed = stack.add("Failed", Queue::new());
/// stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("..."))
///     .async_invoke(EventInvokeConfig::new()
///         .max_event_age(Duration::from_secs(3600))
///         .retry_attempts(1)
///         .on_failure(Destination::Queue(failed.grant_target()))));
/// let t = stack.synth().unwrap();
/// let c = &t.json()["Resources"]["WorkerEventInvokeConfig"]["Properties"];
/// assert_eq!(c["MaximumRetryAttempts"], 1);
/// assert_eq!(c["DestinationConfig"]["OnFailure"]["Destination"], serde_json::json!({"Fn::GetAtt": ["Failed", "Arn"]}));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventInvokeConfig {
    max_event_age: Option<Duration>,
    retry_attempts: Option<u32>,
    on_success: Option<Destination>,
    on_failure: Option<Destination>,
}

impl EventInvokeConfig {
    /// Lambda's defaults: events kept up to 6 hours, two retries, no destination.
    pub fn new() -> Self {
        EventInvokeConfig::default()
    }

    /// Events older than this are discarded (whole seconds, 60 s to 21,600 s).
    pub fn max_event_age(mut self, age: Duration) -> Self {
        self.max_event_age = Some(age);
        self
    }

    /// Retries after a failed attempt (0 to 2).
    pub fn retry_attempts(mut self, n: u32) -> Self {
        self.retry_attempts = Some(n);
        self
    }

    /// Where the record of a successful invocation goes.
    pub fn on_success(mut self, destination: Destination) -> Self {
        self.on_success = Some(destination);
        self
    }

    /// Where the record of an event that failed every attempt (or expired) goes.
    pub fn on_failure(mut self, destination: Destination) -> Self {
        self.on_failure = Some(destination);
        self
    }

    /// Grants `function` its destinations, then adds the configuration under
    /// `<id>EventInvokeConfig`, after the role (`role`, when the stack manages it): for
    /// `$LATEST`, or for `alias` (its name and resource, which the configuration waits
    /// for since it names the alias as text) with `id` the alias's logical ID.
    pub(super) fn add(
        &self,
        stack: &mut Stack,
        id: &str,
        function: &super::FunctionRef,
        alias: Option<(&str, &crate::stack::handle::ResourceRef)>,
    ) -> crate::lambda::EventInvokeConfigHandle {
        let config_id = format!("{id}EventInvokeConfig");
        let qualifier = alias.map_or("$LATEST", |(name, _)| name);
        let mut config = crate::lambda::EventInvokeConfig::new(function.name(), qualifier);
        if let Some(age) = self.max_event_age {
            if age.subsec_nanos() != 0 {
                stack.problem(Diagnostic::error(
                    Location::property(&config_id, "MaximumEventAgeInSeconds"),
                    format!("the maximum event age {age:?} of function `{id}` is not a whole number of seconds"),
                    "give whole seconds from 60 to 21,600",
                ));
            }
            // Out of range saturates; the schema's range check reports it at synth.
            let secs = i64::try_from(age.as_secs()).unwrap_or(i64::MAX);
            config = config.maximum_event_age_in_seconds(Value::<Int>::from(secs));
        }
        if let Some(n) = self.retry_attempts {
            config = config.maximum_retry_attempts(Value::<Int>::from(i64::from(n)));
        }
        let mut destinations = generated::DestinationConfig::new();
        for (dest, success) in [(&self.on_success, true), (&self.on_failure, false)] {
            let Some(dest) = dest else { continue };
            let which = if success { "on-success" } else { "on-failure" };
            let who = format!("the {which} destination of function `{id}`");
            let at = (config_id.as_str(), "DestinationConfig");
            match dest {
                Destination::Queue(q) => {
                    crate::constructs::wiring::fifo::require_standard(stack, q, false, at, &who);
                }
                Destination::Topic(t) => {
                    crate::constructs::wiring::fifo::require_standard(stack, t, true, at, &who);
                }
                Destination::Function(_) | Destination::EventBus(_) => {}
            }
            dest.grant(stack, function);
            let arn = dest.arn().clone();
            destinations = if success {
                destinations.on_success(generated::OnSuccess::new(arn))
            } else {
                destinations.on_failure(generated::OnFailure::new(arn))
            };
        }
        if self.on_success.is_some() || self.on_failure.is_some() {
            config = config.destination_config(destinations);
        }
        let handle = stack.add(&config_id, config);
        if let Some(role) = function.role() {
            // Lambda checks the role may reach the destinations when it creates the
            // configuration.
            stack.resource(&handle).depends_on(role);
        }
        if let Some((_, alias)) = alias {
            stack.resource(&handle).depends_on(alias);
        }
        handle
    }
}
