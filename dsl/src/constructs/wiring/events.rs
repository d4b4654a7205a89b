//! EventBridge rules delivering to a function (with an invoke permission scoped to the
//! rule), a queue or a topic (with a statement in its resource policy letting the rule,
//! only, send to it; EventBridge allowed on its customer-managed KMS key), each target
//! with its input, retry policy and dead-letter queue (Amazon EventBridge User Guide,
//! "Using resource-based policies for Amazon EventBridge" and "Event retry policy and
//! using dead-letter queues").

// Each target kind is compiled with its service; what they share is then partly unused.
#![cfg_attr(
    not(all(feature = "lambda", feature = "sqs", feature = "sns")),
    allow(unused_imports, dead_code)
)]

use std::collections::BTreeMap;
use std::time::Duration;

use crate::constructs::grants::EncryptionKey;
use crate::constructs::wiring::key_policy::allow_service;
use crate::constructs::wiring::list_property::append;
#[cfg(feature = "sqs")]
use crate::constructs::wiring::queue_send::{Sender, SourceScope, allow_send};
use crate::constructs::wiring::resource_policy::{PolicyKind, PolicyTarget, add_statement};
use crate::constructs::wiring::{PushedFunction, QueueEnd, TopicEnd, place};
use crate::diagnostic::{Diagnostic, Location};
use crate::events::RuleHandle;
use crate::events::rule::{DeadLetterConfig, InputTransformer, RetryPolicy, SqsParameters, Target};
use crate::kind::Str;
use crate::kinds::{SqsQueueArn, SqsQueueUrl};
use crate::policy::{Principal, Statement};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// The service principal of EventBridge.
pub const EVENTS: &str = "events.amazonaws.com";

/// Why a rule's target must be in the rule's Region and account: EventBridge delivers to
/// another Region or account only through an event bus target there (Amazon EventBridge User Guide,
/// "Sending and receiving events between AWS Regions").
pub const RULE_REGION: &str = "an EventBridge rule targets resources of its own Region and account (another's only through an event bus there: EventBridge User Guide, \"Sending and receiving events between AWS Regions\")";

/// How a rule delivers to one target: the input (the event itself unless set), the
/// retries, the dead-letter queue for events that could not be delivered, and the
/// message group of a FIFO queue.
///
/// ```
/// use std::time::Duration;
/// use nephos::Stack;
/// use nephos::constructs::{Code, EventTarget, Function, Queue, Rule, Runtime, timing::Schedule};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Report", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let dlq = stack.add("Undelivered", Queue::new());
/// let rule = stack.add("Nightly", Rule::schedule(Schedule::cron("0 2 * * ? *")));
/// rule.target_function(&mut stack, &f, EventTarget::new()
///     .input(serde_json::json!({ "kind": "nightly" }))
///     .retry(3, Duration::from_secs(3600))
///     .dead_letter_queue(&dlq));
/// let t = stack.synth().unwrap();
/// let target = &t.json()["Resources"]["Nightly"]["Properties"]["Targets"][0];
/// assert_eq!(target["RetryPolicy"]["MaximumRetryAttempts"], 3);
/// assert_eq!(target["Input"], r#"{"kind":"nightly"}"#);
/// ```
#[derive(Clone, Debug, Default)]
pub struct EventTarget {
    input: Option<Input>,
    #[cfg(feature = "sqs")]
    dead_letter: Option<Captured>,
    retry: Option<(u32, Duration)>,
    message_group_id: Option<String>,
}

#[derive(Clone, Debug)]
enum Input {
    Constant(serde_json::Value),
    Transformer(BTreeMap<String, String>, String),
}

impl EventTarget {
    /// The event as it is, every retry and event age EventBridge defaults to (185
    /// attempts over 24 hours), no dead-letter queue.
    pub fn new() -> Self {
        EventTarget::default()
    }

    /// Delivers `json` instead of the event.
    pub fn input(mut self, json: serde_json::Value) -> Self {
        self.input = Some(Input::Constant(json));
        self
    }

    /// Delivers `template` with each `<name>` replaced by the part of the event at the
    /// JSON path `paths[name]` (`("id", "$.detail.id")`).
    pub fn input_transformer(mut self, paths: &[(&str, &str)], template: &str) -> Self {
        let paths = paths
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.input = Some(Input::Transformer(paths, template.to_string()));
        self
    }

    /// Retries a failed delivery up to `attempts` times (0 to 185) while the event is
    /// younger than `max_age` (60 seconds to 24 hours).
    pub fn retry(mut self, attempts: u32, max_age: Duration) -> Self {
        self.retry = Some((attempts, max_age));
        self
    }

    #[cfg(feature = "sqs")]
    /// Sends events that could not be delivered to `queue` (with a statement in its
    /// policy letting the rule, only, send to it).
    pub fn dead_letter_queue(mut self, queue: &impl QueueEnd) -> Self {
        self.dead_letter = Some(Captured::of(queue));
        self
    }

    /// The message group of a FIFO queue target (required by one, refused by others).
    pub fn message_group_id(mut self, id: &str) -> Self {
        self.message_group_id = Some(id.to_string());
        self
    }
}

#[cfg(feature = "sqs")]
/// A queue as a wiring needs it later: the queue ends are borrowed only while the
/// options are built.
#[derive(Clone, Debug)]
struct Captured {
    resource: ResourceRef,
    arn: Value<SqsQueueArn>,
    url: Value<SqsQueueUrl>,
    key: Option<EncryptionKey>,
}

#[cfg(feature = "sqs")]
impl Captured {
    fn of(queue: &impl QueueEnd) -> Self {
        Captured {
            resource: queue.resource_ref().clone(),
            arn: queue.queue_arn(),
            url: queue.queue_url(),
            key: queue.queue_key(),
        }
    }
}

#[cfg(feature = "sqs")]
impl Handle for Captured {
    fn resource_ref(&self) -> &ResourceRef {
        &self.resource
    }
}

#[cfg(feature = "sqs")]
impl PolicyTarget for Captured {
    fn policy_kind(&self) -> PolicyKind {
        PolicyKind::Queue
    }

    fn policy_target(&self) -> Value<Str> {
        self.url.clone().cast()
    }
}

#[cfg(feature = "sqs")]
impl QueueEnd for Captured {
    fn queue_arn(&self) -> Value<SqsQueueArn> {
        self.arn.clone()
    }

    fn queue_url(&self) -> Value<SqsQueueUrl> {
        self.url.clone()
    }

    fn queue_key(&self) -> Option<EncryptionKey> {
        self.key.clone()
    }
}

/// Invokes `function` with the events of `rule`: a target, and the permission for
/// EventBridge to invoke the function on behalf of this rule only (for an imported
/// function too: the permission is this stack's).
#[cfg(feature = "lambda")]
pub fn to_function(
    stack: &mut Stack,
    rule: &RuleHandle,
    function: &impl PushedFunction,
    options: &EventTarget,
) {
    let fid = function.pushed_name();
    let rid = rule.resource_ref().logical_id().to_string();
    crate::constructs::wiring::require_pushed_home(
        stack,
        function,
        &format!("the target of rule `{rid}` invoking function `{fid}`"),
        Some(RULE_REGION),
    );
    let mut ends: Vec<&ResourceRef> = function.pushed_resource().into_iter().collect();
    ends.push(rule.resource_ref());
    place(
        stack,
        &format!("{fid}{rid}Permission"),
        crate::constructs::wiring::invoke_permission(function, EVENTS, rule.arn()),
        &ends,
        "an invoke permission",
    );
    let target = Target::new(
        function.pushed_arn(),
        crate::constructs::ids::fragment_within(&fid, 64),
    );
    add_target(stack, rule, &fid, target, options, false);
}

/// Sends the events of `rule` to `queue`: a target, and a statement in the queue's
/// policy letting this rule (only) send to it; EventBridge is allowed on the queue's
/// customer-managed key. A FIFO queue needs [`EventTarget::message_group_id`].
#[cfg(feature = "sqs")]
pub fn to_queue(
    stack: &mut Stack,
    rule: &RuleHandle,
    queue: &impl QueueEnd,
    options: &EventTarget,
) {
    use crate::constructs::wiring::fifo;
    let kind = fifo::queue_kind(
        stack,
        queue.resource_ref(),
        "whether a rule's target needs a message group",
    );
    let rid = rule.resource_ref().logical_id().to_string();
    let sends = fifo::Sends {
        group: options.message_group_id.is_some(),
        dedup_id: None,
        delay: false,
    };
    let qid = queue.resource_ref().logical_id();
    for (message, fix) in fifo::send_problems(kind, qid, &format!("rule `{rid}`"), sends) {
        fifo::refuse(stack, rule.resource_ref(), "Targets", message, &fix);
    }
    // The target first: the key policy's scope is chosen from what the rule refers to.
    let target = Target::new(queue.queue_arn(), target_id(queue.resource_ref()));
    add_target(
        stack,
        rule,
        queue.resource_ref().logical_id(),
        target,
        options,
        kind.fifo,
    );
    allow_queue(stack, rule, &Captured::of(queue));
}

/// Publishes the events of `rule` to `topic`: a target, and a statement in the topic's
/// policy letting this rule (only) publish; EventBridge is allowed on the topic's
/// customer-managed key.
#[cfg(feature = "sns")]
pub fn to_topic(
    stack: &mut Stack,
    rule: &RuleHandle,
    topic: &impl TopicEnd,
    options: &EventTarget,
) {
    let rid = rule.resource_ref().logical_id().to_string();
    let tid = topic.resource_ref().logical_id().to_string();
    add_statement(
        stack,
        topic,
        Statement::allow()
            .principal(Principal::service(EVENTS))
            .action("sns:Publish")
            .resource(topic.topic_arn())
            .condition("ArnEquals", "aws:SourceArn", rule.arn()),
    );
    // The target first: the key policy's scope is chosen from what the rule refers to.
    let target = Target::new(topic.topic_arn(), target_id(topic.resource_ref()));
    add_target(
        stack,
        rule,
        topic.resource_ref().logical_id(),
        target,
        options,
        false,
    );
    if let Some(key) = topic.topic_key() {
        allow_service(
            stack,
            &key,
            EVENTS,
            &format!("rule `{rid}`"),
            rule.arn().into_value(),
            &format!("topic `{tid}`"),
        );
    }
}

/// The queue policy statement (and key policy statement) letting `rule` send to `queue`.
#[cfg(feature = "sqs")]
fn allow_queue(stack: &mut Stack, rule: &RuleHandle, queue: &Captured) {
    let sender = Sender {
        service: EVENTS,
        source: format!("rule `{}`", rule.resource_ref().logical_id()),
        arn: rule.arn().into_value(),
        scope: SourceScope::Arn,
    };
    allow_send(stack, queue, &sender);
}

/// A target's `Id`: the target resource's logical ID, as a fragment of at most 64
/// characters of the letters EventBridge takes.
fn target_id(target: &ResourceRef) -> String {
    crate::constructs::ids::fragment_within(target.logical_id(), 64)
}

/// Appends `target` (to the resource whose logical ID, or fragment of an ARN, is `to`)
/// with `options` to the rule's `Targets`; a target of the same `Id`
/// with other settings is a synth error, as are options EventBridge refuses.
pub fn add_target(
    stack: &mut Stack,
    rule: &RuleHandle,
    to: &str,
    mut target: Target,
    options: &EventTarget,
    fifo: bool,
) {
    let rid = rule.resource_ref().logical_id().to_string();
    let tid = to.to_string();
    let at = Location::property(&rid, "Targets");
    let refuse = |stack: &mut Stack, message: String, fix: &str| {
        stack.problem(Diagnostic::error(at.clone(), message, fix));
    };
    match &options.input {
        Some(Input::Constant(json)) => target = target.input(json.to_string()),
        Some(Input::Transformer(paths, template)) => {
            for problem in transformer_problems(paths, template) {
                refuse(
                    stack,
                    format!("the input transformer of rule `{rid}`'s target `{tid}`: {problem}"),
                    "give every `<name>` of the template a path starting with `$` (`(\"name\", \"$.detail.name\")`)",
                );
            }
            target = target.input_transformer(
                InputTransformer::new(template.clone()).input_paths_map(paths.clone()),
            );
        }
        None => {}
    }
    if let Some((attempts, age)) = options.retry {
        target = target.retry_policy(
            RetryPolicy::new()
                .maximum_retry_attempts(i64::from(attempts))
                .maximum_event_age_in_seconds(i64::try_from(age.as_secs()).unwrap_or(i64::MAX)),
        );
    }
    #[cfg(feature = "sqs")]
    if let Some(dlq) = &options.dead_letter {
        crate::constructs::wiring::fifo::refuse_fifo_dead_letter(
            stack,
            &crate::constructs::grants::Target::of("queue", &dlq.resource, dlq.arn.clone()),
            (&rid, "Targets"),
            &format!("rule `{rid}`'s target `{tid}`"),
        );
        target = target.dead_letter_config(DeadLetterConfig::new().arn(dlq.arn.clone()));
    }
    match (&options.message_group_id, fifo) {
        (Some(group), true) => {
            if let Some(problem) = crate::constructs::wiring::fifo::message_group_problem(group) {
                refuse(
                    stack,
                    format!("rule `{rid}`'s target `{tid}`: {problem}"),
                    "give `message_group_id` 1 to 128 ASCII letters, digits or punctuation",
                );
            }
            target = target.sqs_parameters(SqsParameters::new(group.clone()));
        }
        // Reported by `to_queue` with the queue's other FIFO requirements.
        (None, true) => {}
        (Some(_), false) => refuse(
            stack,
            format!(
                "rule `{rid}`'s target `{tid}` is not a FIFO queue, so it takes no message group"
            ),
            "remove `message_group_id` from the target's options",
        ),
        (None, false) => {}
    }
    let item = IntoValue::<Target>::into_value(target).into_any();
    let id = crate::constructs::ids::fragment_within(to, 64);
    let same_id = stack
        .property(rule.resource_ref(), "Targets")
        .and_then(|l| l.to_json().as_array().cloned())
        .and_then(|items| items.into_iter().find(|t| t["Id"] == id.as_str()));
    if let Some(existing) = same_id
        && existing != item.to_json()
    {
        refuse(
            stack,
            format!("rule `{rid}` targets `{tid}` twice with different settings"),
            "target it once, with the options you want",
        );
        return;
    }
    append(
        stack,
        rule.resource_ref(),
        "Targets",
        item,
        &format!("target `{tid}`"),
    );
    // By `Id` (the target's logical ID or ARN fragment, stable across synths), so
    // swapping two wirings gives the same template; EventBridge keeps no order.
    crate::constructs::wiring::list_property::sort_by_key(
        stack,
        rule.resource_ref(),
        "Targets",
        "Id",
    );
    // After the target is in: the dead-letter queue's key policy scope depends on it.
    #[cfg(feature = "sqs")]
    if let Some(dlq) = &options.dead_letter {
        allow_queue(stack, rule, dlq);
    }
}

/// What EventBridge refuses in an input transformer: a `<name>` of the template without
/// a path, a path not starting with `$`.
fn transformer_problems(paths: &BTreeMap<String, String>, template: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, path) in paths {
        if !path.starts_with('$') {
            problems.push(format!(
                "the path of `{}` is `{}`, which does not start with `$`",
                name.escape_debug(),
                path.escape_debug()
            ));
        }
    }
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else { break };
        let name = &after[..close];
        let is_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.');
        if is_name && !paths.contains_key(name) && !name.starts_with("aws.events") {
            problems.push(format!(
                "the template uses `<{}>`, which has no path",
                name.escape_debug()
            ));
        }
        rest = &after[close + 1..];
    }
    problems
}
