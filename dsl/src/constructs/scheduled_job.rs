//! [`ScheduledJob`]: an EventBridge Scheduler schedule (`AWS::Scheduler::Schedule`)
//! invoking a function, or sending to a queue or a topic, once or repeatedly, in a time
//! zone, through an execution role allowed exactly that call.

use std::time::Duration;

use crate::constructs::Configure;
use crate::constructs::configure::Owned;
use crate::constructs::grants::{self, Target};
use crate::constructs::ids;
use crate::constructs::timing::{Schedule, TimeZone};
#[cfg(feature = "lambda")]
use crate::constructs::wiring::InvokedFunction;
#[cfg(feature = "sns")]
use crate::constructs::wiring::PublishedTopic;
#[cfg(feature = "sqs")]
use crate::constructs::wiring::SentQueue;
#[cfg(feature = "stepfunctions")]
use crate::constructs::wiring::StartedStateMachine;
use crate::diagnostic::{Diagnostic, Location};
use crate::iam::RoleHandle;
use crate::kinds::{SchedulerScheduleArn, SchedulerScheduleName};
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::scheduler::ScheduleHandle;
use crate::scheduler::schedule::{
    DeadLetterConfig, FlexibleTimeWindow, FlexibleTimeWindowMode, RetryPolicy,
};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// The longest flexible time window EventBridge Scheduler takes (`MaximumWindowInMinutes`:
/// 1 to 1,440).
const MAX_WINDOW_MINUTES: u64 = 1_440;

/// What a [`ScheduledJob`] calls: a function (invoked asynchronously), a queue (a
/// message sent), a topic (a message published) or a state machine (an execution
/// started, `StartExecution`, standard or express). The execution role is granted that
/// one action on that one resource, and its customer-managed key through the service.
/// Each may be one of the stack or an imported one (`Function::from_arn`,
/// `Queue::from_arn`, `Topic::from_arn`, `StateMachine::from_arn`): the Scheduler calls
/// it under the role, so nothing of the target's own policy changes.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{JobTarget, Queue, ScheduledJob, timing::Schedule};
/// let mut stack = Stack::new("App");
/// let jobs = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs").unwrap();
/// stack.add("Tick", ScheduledJob::new(Schedule::cron("0 8 * * ? *"), JobTarget::queue(&jobs)));
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["Tick"]["Properties"]["Target"]["Arn"], "arn:aws:sqs:eu-west-1:123456789012:jobs");
/// ```
#[derive(Clone, Debug)]
pub struct JobTarget {
    /// The target, for its ARN and resource.
    what: Target<grants::on::Any>,
    call: Call,
    /// The message group of every message sent to a FIFO queue.
    message_group: Option<String>,
}

/// What the schedule calls, with the grant target of its type.
#[derive(Clone, Debug)]
#[cfg_attr(
    not(all(
        feature = "lambda",
        feature = "sqs",
        feature = "sns",
        feature = "stepfunctions"
    )),
    allow(dead_code)
)]
enum Call {
    Invoke(Target<grants::on::Function>),
    Send(Target<grants::on::Queue>),
    Publish(Target<grants::on::Topic>),
    Start(Target<grants::on::StateMachine>),
}

impl JobTarget {
    /// Invokes `function` (of the stack, a version, an alias or an imported one).
    #[cfg(feature = "lambda")]
    pub fn function(function: &impl InvokedFunction) -> Self {
        let target = function.invoke_target();
        JobTarget {
            what: target.untyped(),
            call: Call::Invoke(target),
            message_group: None,
        }
    }

    /// Sends a message to `queue`.
    #[cfg(feature = "sqs")]
    pub fn queue(queue: &impl SentQueue) -> Self {
        let target = queue.send_target();
        JobTarget {
            what: target.untyped(),
            call: Call::Send(target),
            message_group: None,
        }
    }

    /// Publishes a message to `topic`.
    #[cfg(feature = "sns")]
    pub fn topic(topic: &impl PublishedTopic) -> Self {
        let target = topic.publish_target();
        JobTarget {
            what: target.untyped(),
            call: Call::Publish(target),
            message_group: None,
        }
    }

    /// Starts an execution of `state_machine` (`states:StartExecution` on it only), its
    /// input the schedule's [`input`](ScheduledJob::input) (`{}` unless set).
    #[cfg(feature = "stepfunctions")]
    pub fn state_machine(state_machine: &impl StartedStateMachine) -> Self {
        let target = state_machine.start_target();
        JobTarget {
            what: target.untyped(),
            call: Call::Start(target),
            message_group: None,
        }
    }

    /// The message group (1 to 128 characters) of the messages sent to a FIFO queue,
    /// which needs one (and content-based deduplication: the Scheduler gives no
    /// deduplication ID). A synth error on any other target.
    ///
    /// ```
    /// use std::time::Duration;
    /// use nephos::Stack;
    /// use nephos::constructs::{JobTarget, Queue, ScheduledJob, timing::Schedule};
    /// let mut stack = Stack::new("App");
    /// let q = stack.add("Jobs", Queue::new().fifo().content_based_deduplication());
    /// let every = Schedule::rate(Duration::from_secs(300));
    /// stack.add("Tick", ScheduledJob::new(every, JobTarget::queue(&q).message_group_id("ticks")));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Tick"]["Properties"]["Target"]["SqsParameters"]["MessageGroupId"], "ticks");
    /// ```
    pub fn message_group_id(mut self, group: &str) -> Self {
        self.message_group = Some(group.to_string());
        self
    }
}

impl JobTarget {
    /// `target` with the message group of a queue target, and what the Scheduler refuses
    /// of it: a FIFO queue without a group or content-based deduplication, a group on
    /// anything but a FIFO queue.
    fn queue_parameters(
        &self,
        stack: &mut Stack,
        id: &str,
        mut target: crate::scheduler::schedule::Target,
    ) -> crate::scheduler::schedule::Target {
        use crate::constructs::wiring::fifo;
        let kind = match (&self.call, self.what.resource()) {
            (Call::Send(_), Some(queue)) => {
                let kind = fifo::queue_kind(
                    stack,
                    queue,
                    "whether a schedule's target needs a message group",
                );
                let sends = fifo::Sends {
                    group: self.message_group.is_some(),
                    dedup_id: None,
                    delay: false,
                };
                let who = format!("schedule `{id}`");
                for (message, fix) in fifo::send_problems(kind, queue.logical_id(), &who, sends) {
                    stack.problem(Diagnostic::error(
                        Location::property(id, "Target.SqsParameters"),
                        message,
                        &fix,
                    ));
                }
                kind
            }
            (Call::Send(_), None) => {
                let kind = fifo::imported_queue_kind(self.what.arn());
                let sends = fifo::Sends {
                    group: self.message_group.is_some(),
                    dedup_id: None,
                    delay: false,
                };
                let who = format!("schedule `{id}`");
                let queue = self
                    .what
                    .arn()
                    .literal_str()
                    .unwrap_or("the imported queue");
                for (message, fix) in fifo::send_problems(kind, queue, &who, sends) {
                    stack.problem(Diagnostic::error(
                        Location::property(id, "Target.SqsParameters"),
                        message,
                        &fix,
                    ));
                }
                kind
            }
            _ => fifo::QueueKind::default(),
        };
        if let Some(group) = &self.message_group {
            if !kind.fifo {
                stack.problem(Diagnostic::error(
                    Location::property(id, "Target.SqsParameters.MessageGroupId"),
                    format!("schedule `{id}` gives a message group, which only a FIFO queue target takes"),
                    "remove `message_group_id`, or send to a FIFO queue",
                ));
            } else if let Some(problem) =
                crate::constructs::wiring::fifo::message_group_problem(group)
            {
                stack.problem(Diagnostic::error(
                    Location::property(id, "Target.SqsParameters.MessageGroupId"),
                    format!("schedule `{id}`: {problem}"),
                    "give `message_group_id` 1 to 128 ASCII letters, digits or punctuation",
                ));
            }
            target = target.sqs_parameters(
                crate::scheduler::schedule::SqsParameters::new().message_group_id(group.clone()),
            );
        }
        target
    }
}

/// An EventBridge Scheduler schedule: a rate, a cron expression or one time (`at`), in a
/// time zone (UTC unless given; the name checked against the IANA database at synth),
/// run at the time or within a flexible window, calling one target through an execution
/// role of its own that may make only that call (assumed by the Scheduler for this
/// account only).
///
/// ```
/// use std::time::Duration;
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, JobTarget, Runtime, ScheduledJob, timing::Schedule};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Report", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// stack.add("WeeklyReport", ScheduledJob::new(Schedule::cron("0 8 ? * MON *"), JobTarget::function(&f))
///     .time_zone("Europe/Paris")
///     .flexible_window(Duration::from_secs(15 * 60)));
/// let t = stack.synth().unwrap();
/// let s = &t.json()["Resources"]["WeeklyReport"]["Properties"];
/// assert_eq!(s["ScheduleExpressionTimezone"], "Europe/Paris");
/// assert_eq!(s["FlexibleTimeWindow"]["MaximumWindowInMinutes"], 15.0);
/// assert_eq!(s["Target"]["RoleArn"]["Fn::GetAtt"][0], "WeeklyReportRole");
///
/// let mut stack = Stack::new("App");
/// let f = stack.add("Report", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// stack.add("Typo", ScheduledJob::new(Schedule::cron("0 8 * * ? *"), JobTarget::function(&f)).time_zone("Europe/Pariss"));
/// assert!(stack.synth().unwrap_err().to_string().contains("Europe/Pariss"));
/// ```
///
/// The construct holds the generated `AWS::Scheduler::Schedule` builder, reached with
/// [`configure`](ScheduledJob::configure).
#[derive(Clone, Debug)]
pub struct ScheduledJob {
    schedule: Schedule,
    target: JobTarget,
    time_zone: Option<TimeZone>,
    window: Option<Duration>,
    input: Option<serde_json::Value>,
    retry: Option<(u32, Duration)>,
    dead_letter: Option<Target<grants::on::Queue>>,
    description: Option<String>,
    configure: Configure<crate::scheduler::Schedule>,
}

impl ScheduledJob {
    /// Calls `target` on `schedule`, at the scheduled time (no flexible window), in UTC.
    pub fn new(schedule: Schedule, target: JobTarget) -> Self {
        ScheduledJob {
            schedule,
            target,
            time_zone: None,
            window: None,
            input: None,
            retry: None,
            dead_letter: None,
            description: None,
            configure: Configure::new(),
        }
    }

    /// The IANA time zone the schedule's times are in (`America/New_York`): cron
    /// expressions and `at` follow its daylight saving time.
    pub fn time_zone(mut self, name: &str) -> Self {
        self.time_zone = Some(TimeZone::new(name));
        self
    }

    /// Lets the Scheduler run the job at any time within `window` after the scheduled
    /// one (whole minutes, 1 to 1,440), spreading load.
    pub fn flexible_window(mut self, window: Duration) -> Self {
        self.window = Some(window);
        self
    }

    /// The input the target receives (the function's event, the message's body).
    pub fn input(mut self, json: serde_json::Value) -> Self {
        self.input = Some(json);
        self
    }

    /// Retries a failed call up to `attempts` times (0 to 185) while the event is
    /// younger than `max_age` (60 seconds to 24 hours).
    pub fn retry(mut self, attempts: u32, max_age: Duration) -> Self {
        self.retry = Some((attempts, max_age));
        self
    }

    /// Sends calls that failed every retry to `queue` (the execution role is granted
    /// sending to it).
    #[cfg(feature = "sqs")]
    pub fn dead_letter_queue(mut self, queue: &impl SentQueue) -> Self {
        self.dead_letter = Some(queue.send_target());
        self
    }

    /// What the schedule is for.
    pub fn description(mut self, text: &str) -> Self {
        self.description = Some(text.to_string());
        self
    }

    /// Escape hatch to the generated `AWS::Scheduler::Schedule` builder: `f` sees it
    /// after the construct's defaults and options and may set or clear any property but
    /// the target, which the execution role is derived from (a later `override_property`
    /// still wins elsewhere).
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, JobTarget, Runtime, ScheduledJob, timing::Schedule};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Report", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// stack.add("Once", ScheduledJob::new(Schedule::at("2030-01-01T09:00:00"), JobTarget::function(&f))
    ///     .configure(|l1| l1.end_date("2030-01-02T00:00:00Z")));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Once"]["Properties"]["EndDate"], "2030-01-02T00:00:00Z");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::scheduler::Schedule) -> crate::scheduler::Schedule + Send + Sync + 'static,
    ) -> Self {
        self.configure.push(f);
        self
    }
}

/// The schedule's properties the execution role is derived from.
const OWNED: &[Owned] = &[Owned::new(
    "Target",
    "ScheduledJob::new",
    "the target the execution role is allowed to call",
)];

impl Construct for ScheduledJob {
    type Handle = ScheduledJobRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> ScheduledJobRef {
        // The expression as written, valid or not: synth checks it on the template's
        // schedule (synth/checks/schedules.rs), as on a generated one.
        let expression = match (self.schedule.written(), self.schedule.expression()) {
            (Some(text), _) => text.to_string(),
            (None, Ok(e)) => e.to_string(),
            (None, Err(why)) => {
                stack.problem(Diagnostic::error(
                    Location::property(id, "ScheduleExpression"),
                    format!("the schedule of `{id}`: {why}"),
                    "give `Schedule::rate` a whole number of minutes, such as `Duration::from_secs(300)`",
                ));
                String::from("rate(1 day)")
            }
        };
        let window = match self.window {
            None => FlexibleTimeWindow::new(FlexibleTimeWindowMode::Off),
            Some(w) => {
                let minutes = w.as_secs() / 60;
                if w.subsec_nanos() != 0
                    || !w.as_secs().is_multiple_of(60)
                    || !(1..=MAX_WINDOW_MINUTES).contains(&minutes)
                {
                    stack.problem(Diagnostic::error(
                        Location::property(id, "FlexibleTimeWindow.MaximumWindowInMinutes"),
                        format!("the flexible window of `{id}` is {w:?}; EventBridge Scheduler takes 1 to 1,440 whole minutes"),
                        "give `flexible_window` a whole number of minutes from 1 to 1,440, or leave it out to run at the scheduled time",
                    ));
                }
                FlexibleTimeWindow::new(FlexibleTimeWindowMode::Flexible)
                    .maximum_window_in_minutes(minutes as f64)
            }
        };
        let trust = PolicyDocument::new().statement(
            Statement::allow()
                .principal(Principal::service("scheduler.amazonaws.com"))
                .action("sts:AssumeRole")
                .condition(
                    "StringEquals",
                    "aws:SourceAccount",
                    crate::aws::account_id(),
                ),
        );
        let role: RoleHandle = stack.add(&ids::child(id, &["Role"]), crate::iam::Role::new(trust));
        match &self.target.call {
            Call::Invoke(f) => {
                grants::function::invoke(stack, &role, f);
            }
            Call::Send(q) => {
                grants::queue::send(stack, &role, q);
            }
            Call::Publish(t) => {
                grants::topic::publish(stack, &role, t);
            }
            Call::Start(m) => {
                grants::state_machine::start_execution(
                    stack,
                    &role,
                    m.arn().clone().cast::<crate::kind::AnyArn>(),
                );
            }
        }
        // The target was made from an ARN kind (`grants::Target::by_arn`/`of` take nothing
        // else), so its ARN is one; Scheduler's `Target.Arn` takes an ARN only.
        let mut target = crate::scheduler::schedule::Target::new(
            self.target.what.arn().clone().cast::<crate::kind::AnyArn>(),
            role.arn(),
        );
        if let Some(json) = &self.input {
            target = target.input(json.to_string());
        }
        if let Some((attempts, age)) = self.retry {
            target = target.retry_policy(
                RetryPolicy::new()
                    .maximum_retry_attempts(f64::from(attempts))
                    .maximum_event_age_in_seconds(age.as_secs() as f64),
            );
        }
        target = self.target.queue_parameters(stack, id, target);
        #[cfg(feature = "sqs")]
        if let Some(dlq) = &self.dead_letter {
            crate::constructs::wiring::fifo::refuse_fifo_dead_letter(
                stack,
                dlq,
                (id, "Target.DeadLetterConfig"),
                &format!("schedule `{id}`"),
            );
        }
        if let Some(dlq) = &self.dead_letter {
            grants::queue::send(stack, &role, dlq);
            // The schema types `DeadLetterConfig.Arn` `AnyArn` (its pattern admits ARNs only);
            // a grant target's ARN is a string (`Target::by_arn`), here the queue's ARN.
            target = target.dead_letter_config(
                DeadLetterConfig::new().arn(dlq.arn().clone().cast::<crate::kind::AnyArn>()),
            );
        }
        let mut schedule = crate::scheduler::Schedule::new(window, expression, target)
            .state(crate::scheduler::schedule::ScheduleState::Enabled);
        // The zone as given: synth checks it on the template's schedule
        // (synth/checks/schedules.rs), as on a generated one.
        if let Some(tz) = &self.time_zone {
            schedule = schedule.schedule_expression_timezone(tz.name().to_string());
        }
        if let Some(text) = &self.description {
            schedule = schedule.description(text.clone());
        }
        let schedule = self.configure.apply_owning(stack, id, schedule, OWNED);
        ScheduledJobRef {
            schedule: stack.add(id, schedule),
            role,
        }
    }
}

/// A scheduled job added to a stack.
#[derive(Clone, Debug)]
pub struct ScheduledJobRef {
    schedule: ScheduleHandle,
    role: RoleHandle,
}

impl ScheduledJobRef {
    /// The schedule's ARN.
    pub fn arn(&self) -> Value<SchedulerScheduleArn> {
        self.schedule.arn()
    }

    /// The schedule's name.
    pub fn name(&self) -> Value<SchedulerScheduleName> {
        self.schedule.name()
    }

    /// The execution role the Scheduler assumes to call the target.
    pub fn role(&self) -> &RoleHandle {
        &self.role
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &ScheduleHandle {
        &self.schedule
    }
}

impl Handle for ScheduledJobRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.schedule.resource_ref()
    }
}
