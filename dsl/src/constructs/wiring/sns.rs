//! SNS subscriptions: a topic delivering to an endpoint given as a value (email, HTTPS),
//! to a function (with an invoke permission) or to a queue (with a statement in the
//! queue's policy, and SNS allowed on the queue's KMS key).

use crate::constructs::grants::EncryptionKey;
#[cfg(feature = "lambda")]
use crate::constructs::wiring::invoke_permission;
use crate::constructs::wiring::queue_send::{Sender, SourceScope, allow_send};
use crate::constructs::wiring::resource_policy::{PolicyKind, PolicyTarget};
use crate::constructs::wiring::sns_filter::FilterPolicy;
use crate::constructs::wiring::{PushedFunction, QueueEnd, TopicEnd, place};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::kinds::{SqsQueueArn, SqsQueueUrl};
use crate::sns::{Subscription, SubscriptionHandle};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// A subscription's options: raw delivery, a [`FilterPolicy`] (with its scope), and a
/// dead-letter queue for messages SNS could not deliver (its `RedrivePolicy`, with a
/// statement in that queue's policy letting the topic, only, send to it).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{FilterPolicy, FilterPolicyScope, FilterMatch, Queue, SubscriptionOptions, Topic};
/// let mut stack = Stack::new("App");
/// let topic = stack.add("Orders", Topic::new());
/// let dlq = stack.add("Undelivered", Queue::new());
/// let q = stack.add("Refunds", Queue::new());
/// topic.subscribe_queue_with(&mut stack, &q, SubscriptionOptions::new()
///     .raw_message_delivery()
///     .filter(FilterPolicy::new(FilterPolicyScope::MessageBody).key("kind", [FilterMatch::exact("refund")]))
///     .dead_letter_queue(&dlq));
/// let t = stack.synth().unwrap();
/// let s = &t.json()["Resources"]["OrdersRefundsSubscription"]["Properties"];
/// assert_eq!(s["FilterPolicyScope"], "MessageBody");
/// assert_eq!(s["RedrivePolicy"]["deadLetterTargetArn"], serde_json::json!({"Fn::GetAtt": ["Undelivered", "Arn"]}));
/// ```
#[derive(Clone, Debug, Default)]
pub struct SubscriptionOptions {
    raw: bool,
    filter: Option<FilterPolicy>,
    dead_letter: Option<DeadLetterEnd>,
}

impl SubscriptionOptions {
    /// Every message, wrapped in SNS's JSON envelope, no dead-letter queue.
    pub fn new() -> Self {
        SubscriptionOptions::default()
    }

    /// Delivers the message as published, without SNS's envelope (queues only).
    pub fn raw_message_delivery(mut self) -> Self {
        self.raw = true;
        self
    }

    /// Delivers only messages the policy matches (checked against SNS's limits when
    /// the subscription is added).
    pub fn filter(mut self, policy: FilterPolicy) -> Self {
        self.filter = Some(policy);
        self
    }

    /// Sends messages SNS could not deliver (after its retries) to `queue`.
    pub fn dead_letter_queue(mut self, queue: &impl QueueEnd) -> Self {
        self.dead_letter = Some(DeadLetterEnd {
            queue: queue.resource_ref().clone(),
            kind: queue.policy_kind(),
            arn: queue.queue_arn(),
            url: queue.queue_url(),
            key: queue.queue_key(),
        });
        self
    }

    /// Writes the options into the subscription `id` of `topic`: the filter (its
    /// problems reported), the redrive policy and the dead-letter queue's policy
    /// statement (returned, for the subscription to wait for).
    fn apply(
        &self,
        stack: &mut Stack,
        id: &str,
        topic: &impl TopicEnd,
        mut s: Subscription,
    ) -> (Subscription, Option<ResourceRef>) {
        if self.raw {
            s = s.raw_message_delivery(true);
        }
        if let Some(policy) = &self.filter {
            let problems = policy.problems();
            if !problems.is_empty() {
                stack.problem(Diagnostic::error(
                    Location::property(id, "FilterPolicy"),
                    format!(
                        "the filter policy of subscription `{id}`: {} (Amazon SNS Developer Guide, \"Filter policy constraints\")",
                        problems.join("; ")
                    ),
                    "keep at most 5 keys, at most 150 combinations of values, numbers within ±1,000,000,000, and nested keys only for `FilterPolicyScope::MessageBody`",
                ));
            }
            s = s
                .filter_policy(policy.to_json())
                .filter_policy_scope(policy.scope().as_str());
        }
        let mut waits = None;
        if let Some(dlq) = &self.dead_letter {
            let tid = topic.resource_ref().logical_id().to_string();
            let qid = dlq.queue.logical_id().to_string();
            let topic_fifo = crate::constructs::wiring::fifo::is_fifo(
                stack,
                topic.resource_ref(),
                "FifoTopic",
                "whether its subscriptions' dead-letter queues must be FIFO",
            );
            let queue_fifo = crate::constructs::wiring::fifo::is_fifo(
                stack,
                &dlq.queue,
                "FifoQueue",
                "whether it may be a subscription's dead-letter queue",
            );
            if topic_fifo != queue_fifo {
                crate::constructs::wiring::fifo::refuse(
                    stack,
                    &dlq.queue,
                    "FifoQueue",
                    format!(
                        "queue `{qid}` is the dead-letter queue of subscription `{id}` of topic `{tid}`, and a subscription's dead-letter queue must be of the topic's type (FIFO for a FIFO topic, standard for a standard one; Amazon SNS Developer Guide, \"Amazon SNS dead-letter queues\")"
                    ),
                    "give the subscription a dead-letter queue of the topic's type",
                );
            }
            let policy = allow_send(stack, dlq, &sender(topic));
            s = s.redrive_policy(
                crate::value!({ "deadLetterTargetArn": dlq.arn.clone() })
                    .cast::<crate::kind::Json>(),
            );
            waits = Some(policy);
        }
        (s, waits)
    }
}

/// A subscription's dead-letter queue, kept by value so the options can be built before
/// the subscription (what [`allow_send`] needs of it).
#[derive(Clone, Debug)]
struct DeadLetterEnd {
    queue: ResourceRef,
    kind: PolicyKind,
    arn: Value<SqsQueueArn>,
    url: Value<SqsQueueUrl>,
    key: Option<EncryptionKey>,
}

impl Handle for DeadLetterEnd {
    fn resource_ref(&self) -> &ResourceRef {
        &self.queue
    }
}

impl PolicyTarget for DeadLetterEnd {
    fn policy_kind(&self) -> PolicyKind {
        self.kind
    }

    fn policy_target(&self) -> Value<Str> {
        self.url.clone().cast()
    }
}

impl QueueEnd for DeadLetterEnd {
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

/// SNS sending for `topic`, limited to the topic's ARN: what a queue subscribed to it,
/// or a subscription's dead-letter queue, allows in its policy and key.
fn sender(topic: &impl TopicEnd) -> Sender {
    Sender {
        service: "sns.amazonaws.com",
        source: format!("topic `{}`", topic.resource_ref().logical_id()),
        arn: topic.topic_arn().into_value(),
        scope: SourceScope::Arn,
    }
}

/// A subscription of `topic` to an endpoint given as a value, with `protocol` (such as
/// `email`): its ID, `<Topic><kind>Subscription<endpoint>`, is derived from the topic and
/// the endpoint ([`value_fragment`](crate::constructs::ids::value_fragment)), so two
/// addresses never take each other's ID.
pub fn subscribe_endpoint(
    stack: &mut Stack,
    topic: &impl TopicEnd,
    kind: &str,
    protocol: &str,
    endpoint: impl IntoValue<Str>,
) -> SubscriptionHandle {
    let endpoint = endpoint.into_value();
    if protocol != "sqs" {
        crate::constructs::wiring::fifo::refuse_fifo_topic(
            stack,
            topic.resource_ref(),
            &format!(
                "which delivers only to SQS queues, so it cannot take the `{}` subscription to {} (Amazon SNS Developer Guide, \"Message delivery for FIFO topics\")",
                protocol.escape_debug(),
                match endpoint.literal_str() {
                    Some(e) => format!("`{}`", e.escape_debug()),
                    None => "the endpoint given".to_string(),
                }
            ),
            "subscribe it to a standard topic (or subscribe an SQS queue to this one and deliver from the queue)",
        );
    }
    let id = format!(
        "{}{kind}Subscription{}",
        topic.resource_ref().logical_id(),
        crate::constructs::ids::value_fragment(&endpoint)
    );
    place(
        stack,
        &id,
        Subscription::new(protocol, topic.topic_arn()).endpoint(endpoint),
        &[topic.resource_ref()],
        "a subscription",
    )
}

/// Invokes `function` with every message of `topic`: a subscription plus the permission
/// for SNS to invoke it, scoped to the topic.
#[cfg(feature = "lambda")]
pub fn subscribe_function(
    stack: &mut Stack,
    topic: &impl TopicEnd,
    function: &impl PushedFunction,
) -> SubscriptionHandle {
    subscribe_function_with(stack, topic, function, &SubscriptionOptions::new())
}

/// As [`subscribe_function`], with a filter policy or a dead-letter queue (raw delivery
/// is for queues: refused here).
#[cfg(feature = "lambda")]
pub fn subscribe_function_with(
    stack: &mut Stack,
    topic: &impl TopicEnd,
    function: &impl PushedFunction,
    options: &SubscriptionOptions,
) -> SubscriptionHandle {
    let fid = function.pushed_name();
    let tid = topic.resource_ref().logical_id().to_string();
    crate::constructs::wiring::fifo::refuse_fifo_topic(
        stack,
        topic.resource_ref(),
        &format!(
            "which delivers only to SQS queues, so it cannot invoke function `{fid}` (Amazon SNS Developer Guide, \"FIFO topics\")"
        ),
        "subscribe an SQS queue to the topic and trigger the function from the queue, or make the topic a standard one",
    );
    crate::constructs::wiring::require_pushed_home(
        stack,
        function,
        &format!("the subscription of topic `{tid}` invoking function `{fid}`"),
        None,
    );
    let mut ends: Vec<&ResourceRef> = function.pushed_resource().into_iter().collect();
    ends.push(topic.resource_ref());
    place(
        stack,
        &format!("{fid}{tid}Permission"),
        invoke_permission(function, "sns.amazonaws.com", topic.topic_arn()),
        &ends,
        "an invoke permission",
    );
    let id = format!("{tid}{fid}Subscription");
    if options.raw {
        stack.problem(Diagnostic::error(
            Location::property(&id, "RawMessageDelivery"),
            format!("subscription `{id}` delivers to a function, which SNS does not deliver raw (raw delivery is for SQS, HTTP/S and Firehose endpoints)"),
            "drop `raw_message_delivery()` for a function subscription",
        ));
    }
    let s = Subscription::new("lambda", topic.topic_arn())
        .endpoint(function.pushed_arn().cast::<Str>());
    let (s, waits) = options.apply(stack, &id, topic, s);
    let handle = place(stack, &id, s, &ends, "a subscription");
    if let Some(policy) = waits {
        stack.resource(&handle).depends_on(&policy);
    }
    handle
}

/// Delivers every message of `topic` to `queue`: a subscription plus a statement in the
/// queue's policy letting the topic (only) send to it.
#[cfg(feature = "sqs")]
#[deprecated(
    note = "a bare `bool` says nothing at the call: use `subscribe_queue_with(stack, topic, queue, &SubscriptionOptions::new().raw_message_delivery())` (or `SubscriptionOptions::new()`)"
)]
pub fn subscribe_queue(
    stack: &mut Stack,
    topic: &impl TopicEnd,
    queue: &impl QueueEnd,
    raw_message_delivery: bool,
) -> SubscriptionHandle {
    let options = if raw_message_delivery {
        SubscriptionOptions::new().raw_message_delivery()
    } else {
        SubscriptionOptions::new()
    };
    subscribe_queue_with(stack, topic, queue, &options)
}

/// As [`subscribe_queue`], with the subscription's options (raw delivery, filter policy,
/// dead-letter queue).
#[cfg(feature = "sqs")]
pub fn subscribe_queue_with(
    stack: &mut Stack,
    topic: &impl TopicEnd,
    queue: &impl QueueEnd,
    options: &SubscriptionOptions,
) -> SubscriptionHandle {
    let tid = topic.resource_ref().logical_id().to_string();
    let qid = queue.resource_ref().logical_id().to_string();
    let queue_fifo = crate::constructs::wiring::fifo::is_fifo(
        stack,
        queue.resource_ref(),
        "FifoQueue",
        "whether a topic may deliver to it",
    );
    let topic_fifo = crate::constructs::wiring::fifo::is_fifo(
        stack,
        topic.resource_ref(),
        "FifoTopic",
        "whether it may deliver to a FIFO queue",
    );
    if queue_fifo && !topic_fifo {
        crate::constructs::wiring::fifo::refuse(
            stack,
            queue.resource_ref(),
            "FifoQueue",
            format!(
                "queue `{qid}` is a FIFO queue, and standard topic `{tid}` cannot deliver to a FIFO queue (Amazon SNS Developer Guide, \"FIFO topics\")"
            ),
            "make the topic a FIFO topic (`FifoTopic`), or subscribe a standard queue",
        );
    }
    let policy = allow_send(stack, queue, &sender(topic));
    let id = format!("{tid}{}Subscription", queue.resource_ref().logical_id());
    let s = Subscription::new("sqs", topic.topic_arn()).endpoint(queue.queue_arn().cast::<Str>());
    let (s, waits) = options.apply(stack, &id, topic, s);
    let handle = place(
        stack,
        &id,
        s,
        &[topic.resource_ref(), queue.resource_ref()],
        "a subscription",
    );
    stack.resource(&handle).depends_on(&policy);
    if let Some(dlq_policy) = waits
        && dlq_policy != policy
    {
        stack.resource(&handle).depends_on(&dlq_policy);
    }
    handle
}
