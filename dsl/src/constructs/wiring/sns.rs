//! SNS subscriptions: a topic delivering to an endpoint given as a value (email, HTTPS),
//! to a function (with an invoke permission) or to a queue (with a statement in the
//! queue's policy, and SNS allowed on the queue's KMS key).

#[cfg(feature = "lambda")]
use crate::constructs::wiring::invoke_permission;
use crate::constructs::wiring::key_policy::allow_service;
use crate::constructs::wiring::resource_policy::add_statement;
use crate::constructs::wiring::{FunctionEnd, QueueEnd, TopicEnd, place};
use crate::kind::Str;
use crate::policy::{Principal, Statement};
use crate::sns::{Subscription, SubscriptionHandle};
use crate::stack::stack::Stack;
use crate::value::value::IntoValue;

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
    function: &impl FunctionEnd,
) -> SubscriptionHandle {
    let fid = function.resource_ref().logical_id().to_string();
    let tid = topic.resource_ref().logical_id().to_string();
    if crate::constructs::wiring::fifo::is_fifo(
        stack,
        topic.resource_ref(),
        "FifoTopic",
        "whether its subscriptions are allowed",
    ) {
        crate::constructs::wiring::fifo::refuse(
            stack,
            topic.resource_ref(),
            "FifoTopic",
            format!(
                "topic `{tid}` is a FIFO topic, which delivers only to SQS queues, so it cannot invoke function `{fid}` (Amazon SNS Developer Guide, \"FIFO topics\")"
            ),
            "subscribe an SQS queue to the topic and trigger the function from the queue, or make the topic a standard one",
        );
    }
    let ends = [function.resource_ref(), topic.resource_ref()];
    place(
        stack,
        &format!("{fid}{tid}Permission"),
        invoke_permission(function, "sns.amazonaws.com", topic.topic_arn()),
        &ends,
        "an invoke permission",
    );
    place(
        stack,
        &format!("{tid}{fid}Subscription"),
        Subscription::new("lambda", topic.topic_arn())
            .endpoint(function.function_arn().cast::<Str>()),
        &ends,
        "a subscription",
    )
}

/// Delivers every message of `topic` to `queue`: a subscription plus a statement in the
/// queue's policy letting the topic (only) send to it.
#[cfg(feature = "sqs")]
pub fn subscribe_queue(
    stack: &mut Stack,
    topic: &impl TopicEnd,
    queue: &impl QueueEnd,
    raw_message_delivery: bool,
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
    let policy = add_statement(
        stack,
        queue,
        Statement::allow()
            .principal(Principal::service("sns.amazonaws.com"))
            .action("sqs:SendMessage")
            .resource(queue.queue_arn())
            .condition("ArnEquals", "aws:SourceArn", topic.topic_arn()),
    );
    if let Some(key) = &queue.queue_key() {
        allow_service(
            stack,
            key,
            "sns.amazonaws.com",
            &format!("topic `{tid}`"),
            topic.topic_arn().into_value(),
            &format!("queue `{}`", queue.resource_ref().logical_id()),
        );
    }
    let id = format!("{tid}{}Subscription", queue.resource_ref().logical_id());
    let mut s =
        Subscription::new("sqs", topic.topic_arn()).endpoint(queue.queue_arn().cast::<Str>());
    if raw_message_delivery {
        s = s.raw_message_delivery(true);
    }
    let handle = place(
        stack,
        &id,
        s,
        &[topic.resource_ref(), queue.resource_ref()],
        "a subscription",
    );
    stack.resource(&handle).depends_on(&policy);
    handle
}
