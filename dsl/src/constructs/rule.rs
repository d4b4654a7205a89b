//! [`Rule`]: an EventBridge rule, matching events by a pattern or running on a
//! schedule, and delivering to functions, queues and topics.

use crate::constructs::event_pattern::EventPattern;

use crate::constructs::Wrapped;
use crate::constructs::timing::Schedule;
#[cfg(feature = "lambda")]
use crate::constructs::wiring::PushedFunction;
#[cfg(feature = "sqs")]
use crate::constructs::wiring::QueueEnd;
#[cfg(all(feature = "stepfunctions", feature = "iam"))]
use crate::constructs::wiring::StartedStateMachine;
#[cfg(feature = "sns")]
use crate::constructs::wiring::TopicEnd;
use crate::constructs::wiring::events::{self, EventTarget};
use crate::diagnostic::{Diagnostic, Location};
use crate::events::RuleHandle;
use crate::events::rule::State;
use crate::kind::Str;
use crate::kinds::{EventsEventBusArnOrName, EventsRuleArn, EventsRuleName};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// An EventBridge rule: events matching a pattern (on the default bus or a named one),
/// or a schedule (on the default bus, where EventBridge runs schedules). Enabled unless
/// [`disabled`](Rule::disabled). Targets are added on the handle, each with what it
/// needs to be delivered to (an invoke permission, a queue or topic policy statement
/// scoped to the rule).
///
/// ```
/// use std::time::Duration;
/// use nephos::Stack;
/// use nephos::constructs::{Code, EventPattern, EventTarget, Function, Match, Queue, Rule, Runtime, timing::Schedule};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Cleanup", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let hourly = stack.add("Hourly", Rule::schedule(Schedule::rate(Duration::from_secs(3600))));
/// hourly.target_function(&mut stack, &f, EventTarget::new());
///
/// let q = stack.add("Stopped", Queue::new());
/// let stopped = stack.add("InstanceStopped", Rule::on_pattern(EventPattern::new()
///     .source("aws.ec2")
///     .detail("state", Match::exact("stopped"))));
/// stopped.target_queue(&mut stack, &q, EventTarget::new());
///
/// let t = stack.synth().unwrap();
/// let r = &t.json()["Resources"];
/// assert_eq!(r["Hourly"]["Properties"]["ScheduleExpression"], "rate(1 hour)");
/// assert_eq!(r["CleanupHourlyPermission"]["Properties"]["Principal"], "events.amazonaws.com");
/// assert_eq!(r["StoppedPolicy"]["Type"], "AWS::SQS::QueuePolicy");
/// ```
///
/// The construct holds the generated `AWS::Events::Rule` builder: options write into
/// it, and [`configure`](Rule::configure) reaches every property it has.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The builder and the hatch (no removal policy: CloudFormation's defaults apply).
    rule: Wrapped<crate::events::Rule>,
    /// The pattern or the schedule, checked when the rule is added.
    trigger: Trigger,
}

#[derive(Clone, Debug)]
enum Trigger {
    Pattern(EventPattern),
    Schedule(Schedule),
}

impl Rule {
    /// A rule matching events by `pattern`.
    pub fn on_pattern(pattern: EventPattern) -> Self {
        Rule::with(Trigger::Pattern(pattern))
    }

    /// A rule running on `schedule` (a rate or a cron expression; a one-time `at` is
    /// for EventBridge Scheduler, [`ScheduledJob`](crate::constructs::ScheduledJob)).
    pub fn schedule(schedule: Schedule) -> Self {
        Rule::with(Trigger::Schedule(schedule))
    }

    fn with(trigger: Trigger) -> Self {
        Rule {
            rule: Wrapped::new(crate::events::Rule::new().state(State::Enabled)),
            trigger,
        }
    }

    /// Matches events on the bus `name_or_arn` instead of the default bus (pattern rules
    /// only: EventBridge runs schedules on the default bus): an event bus handle's `name()`
    /// or `arn()`, or `Value::<EventsEventBusArnOrName>::literal("orders")` for a bus outside
    /// the app.
    pub fn bus(mut self, name_or_arn: impl IntoValue<EventsEventBusArnOrName>) -> Self {
        self.rule = self.rule.set(|r| r.event_bus_name(name_or_arn));
        self
    }

    /// The physical rule name (CloudFormation generates one otherwise).
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.rule = self.rule.set(|r| r.name(name));
        self
    }

    /// What the rule is for.
    pub fn description(mut self, text: impl IntoValue<Str>) -> Self {
        self.rule = self.rule.set(|r| r.description(text));
        self
    }

    /// Creates the rule disabled: it matches nothing and runs on no schedule until
    /// enabled.
    pub fn disabled(mut self) -> Self {
        self.rule = self.rule.set(|r| r.state(State::Disabled));
        self
    }

    /// Escape hatch to the generated `AWS::Events::Rule` builder: `f` sees it after the
    /// construct's defaults and options and may set or clear any property; a later
    /// `override_property` still wins. Targets are added on the handle.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{EventPattern, Rule};
    /// let mut stack = Stack::new("App");
    /// let p = EventPattern::new().source("com.example.orders");
    /// stack.add("Orders", Rule::on_pattern(p).configure(|l1| l1.description("orders")));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Orders"]["Properties"]["Description"], "orders");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::events::Rule) -> crate::events::Rule + Send + Sync + 'static,
    ) -> Self {
        self.rule = self.rule.configure(f);
        self
    }
}

impl Construct for Rule {
    type Handle = RuleRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> RuleRef {
        let mut rule = self.rule;
        match &self.trigger {
            Trigger::Pattern(p) => match p.to_value() {
                Ok(pattern) => rule = rule.set(|r| r.event_pattern(pattern)),
                Err(problems) => {
                    for problem in problems {
                        stack.problem(Diagnostic::error(
                            Location::property(id, "EventPattern"),
                            format!("the event pattern of rule `{id}`: {problem}"),
                            "fix the pattern's matchers (Amazon EventBridge User Guide, \"Event patterns\")",
                        ));
                    }
                }
            },
            Trigger::Schedule(s) => {
                // The expression as written, valid or not: synth checks it on the
                // template's rule (synth/checks/schedules.rs), as on a generated one; a
                // one-time `at(...)` is refused there by the registry schema's pattern.
                match (s.written(), s.expression()) {
                    (Some(text), _) => {
                        rule = rule.set(|r| r.schedule_expression(text.to_string()));
                    }
                    (None, Err(why)) => {
                        stack.problem(Diagnostic::error(
                            Location::property(id, "ScheduleExpression"),
                            format!("the schedule of rule `{id}`: {why}"),
                            "give `Schedule::rate` a whole number of minutes, such as `Duration::from_secs(300)`",
                        ));
                        // A stand-in, so the rule is not also reported without a schedule
                        // (synth fails on the error above: it is never deployed).
                        rule = rule.set(|r| r.schedule_expression("rate(1 day)"));
                    }
                    (None, Ok(e)) => {
                        rule = rule.set(|r| r.schedule_expression(e.to_string()));
                    }
                }
                // A schedule with an event bus other than the default one is refused on
                // the template's rule (`synth/checks/schedules.rs`), as on a generated one.
            }
        }
        // No property is owned: targets refer to the rule by its handle.
        RuleRef {
            rule: rule.prepare(stack, id, &[], |r| r).add_to(stack).handle,
        }
    }
}

/// A rule added to a stack.
#[derive(Clone, Debug)]
pub struct RuleRef {
    rule: RuleHandle,
}

impl RuleRef {
    /// The rule's ARN.
    pub fn arn(&self) -> Value<EventsRuleArn> {
        self.rule.arn()
    }

    /// The rule's name.
    pub fn name(&self) -> Value<EventsRuleName> {
        self.rule.name()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &RuleHandle {
        &self.rule
    }

    /// Invokes `function` (of the stack, or imported with `Function::from_arn` from
    /// this account) with each matched event, delivered as `options` say: a target, and
    /// the permission for EventBridge to invoke it for this rule only.
    #[cfg(feature = "lambda")]
    pub fn target_function(
        &self,
        stack: &mut Stack,
        function: &impl PushedFunction,
        options: EventTarget,
    ) {
        events::to_function(stack, &self.rule, function, &options);
    }

    /// Sends each matched event to `queue`: a target, and a statement in the queue's
    /// policy letting this rule (only) send to it; EventBridge is allowed on the queue's
    /// customer-managed key.
    #[cfg(feature = "sqs")]
    pub fn target_queue(&self, stack: &mut Stack, queue: &impl QueueEnd, options: EventTarget) {
        events::to_queue(stack, &self.rule, queue, &options);
    }

    /// Publishes each matched event to `topic`: a target, and a statement in the topic's
    /// policy letting this rule (only) publish; EventBridge is allowed on the topic's
    /// customer-managed key.
    #[cfg(feature = "sns")]
    pub fn target_topic(&self, stack: &mut Stack, topic: &impl TopicEnd, options: EventTarget) {
        events::to_topic(stack, &self.rule, topic, &options);
    }

    /// Starts an execution of `state_machine` (of the stack or imported with
    /// `StateMachine::from_arn`) for each matched event, its input the event unless
    /// `options` say otherwise: a target, and a role EventBridge assumes allowed
    /// `states:StartExecution` on that state machine only. EventBridge uses
    /// `StartExecution` for standard and express workflows alike.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{EventPattern, EventTarget, Rule, StateMachine};
    /// let mut stack = Stack::new("App");
    /// let flow = StateMachine::from_arn("arn:aws:states:eu-west-1:123456789012:stateMachine:orders").unwrap();
    /// let rule = stack.add("OnOrder", Rule::on_pattern(EventPattern::new().source("shop")));
    /// rule.target_state_machine(&mut stack, &flow, EventTarget::new());
    /// let t = stack.synth().unwrap();
    /// let target = &t.json()["Resources"]["OnOrder"]["Properties"]["Targets"][0];
    /// assert_eq!(target["Arn"], "arn:aws:states:eu-west-1:123456789012:stateMachine:orders");
    /// assert!(target["RoleArn"]["Fn::GetAtt"][0].as_str().unwrap().ends_with("Role"));
    /// ```
    ///
    /// An imported topic (or queue) is no target: its policy would have to let
    /// EventBridge publish, and it cannot be changed here (see `constructs::import`).
    ///
    /// ```compile_fail
    /// use nephos::Stack;
    /// use nephos::constructs::{EventPattern, EventTarget, Rule, Topic};
    /// let mut stack = Stack::new("App");
    /// let rule = stack.add("OnOrder", Rule::on_pattern(EventPattern::new().source("shop")));
    /// let alerts = Topic::from_arn("arn:aws:sns:eu-west-1:123456789012:alerts").unwrap();
    /// rule.target_topic(&mut stack, &alerts, EventTarget::new());
    /// ```
    #[cfg(all(feature = "stepfunctions", feature = "iam"))]
    pub fn target_state_machine(
        &self,
        stack: &mut Stack,
        state_machine: &impl StartedStateMachine,
        options: EventTarget,
    ) {
        crate::constructs::wiring::events_state_machine::to_state_machine(
            stack,
            &self.rule,
            state_machine,
            &options,
        );
    }
}

impl Handle for RuleRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.rule.resource_ref()
    }
}
