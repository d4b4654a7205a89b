//! Deliveries AWS refuses to or from FIFO queues and topics, caught when wiring instead
//! of at deploy (or, worse, at run time):
//!
//! - S3 event notifications cannot go to a FIFO queue (Amazon S3 User Guide, "Amazon S3
//!   Event Notifications", supported destinations: "Amazon SQS FIFO queues aren't
//!   supported as an Amazon S3 event notification destination").
//! - A standard SNS topic cannot deliver to a FIFO queue, and a FIFO topic delivers only
//!   to SQS queues (Amazon SNS Developer Guide, "FIFO topics": FIFO topics can deliver
//!   to SQS FIFO and standard queues; standard topics cannot deliver to FIFO queues).
//!
//! - A FIFO queue's sender must give each message a group (SQS `SendMessage`:
//!   `MessageGroupId` "is required for FIFO queues") and, unless the queue has
//!   content-based deduplication, a deduplication ID; it may not delay one message
//!   (`DelaySeconds` "can't be set per message" on a FIFO queue, only on the queue).
//!   EventBridge rules and EventBridge Scheduler give no deduplication ID, so their FIFO
//!   queue targets must have content-based deduplication (EventBridge API Reference,
//!   `SqsParameters`: "If you specify an SQS FIFO queue as a target, the queue must have
//!   content-based deduplication enabled"; the Scheduler's `SqsParameters` says the same).
//! - A queue's dead-letter queue is of its own type (SQS Developer Guide, "Using
//!   dead-letter queues": "the dead-letter queue of a FIFO queue must also be a FIFO
//!   queue", and a standard queue's must be standard).
//! - EventBridge's and EventBridge Scheduler's dead-letter queues are standard queues
//!   (EventBridge User Guide, "Using dead-letter queues": PutTargets answers "SQS FIFO is
//!   not supported by Dead Letter Queues").
//! - Lambda polls a FIFO queue in batches of at most 10 (`CreateEventSourceMapping`,
//!   `BatchSize`).
//!
//! FIFO is read from the resource's literal `FifoQueue`/`FifoTopic` now; the wiring is
//! derived from it, so an `override_property` of it later is refused at synth. A queue or
//! topic imported by a literal ARN is FIFO when its name ends in `.fifo`
//! ([`arn_names_fifo`]). Every wiring that sends to, reads from or dead-letters into a
//! queue asks [`queue_kind`], or for an end that may be imported [`target_is_fifo`] or
//! [`imported_queue_kind`].
//!
//! A construct of your own asks the same way, so it refuses what the built-in ones refuse:
//!
//! ```
//! use nephos::{Handle, Stack};
//! use nephos::constructs::Queue;
//! use nephos::constructs::wiring::fifo;
//! let mut stack = Stack::new("App");
//! let q = stack.add("Jobs", Queue::new().fifo());
//! let kind = fifo::queue_kind(&mut stack, q.resource_ref(), "what my sender must give");
//! assert!(kind.fifo && !kind.content_dedup);
//! let sends = fifo::Sends { group: false, dedup_id: Some(false), delay: false };
//! // A FIFO queue needs a message group and a deduplication ID from this sender.
//! assert_eq!(fifo::send_problems(kind, "Jobs", "my sender", sends).len(), 2);
//! ```

use crate::constructs::grants::{Target, on};
use crate::diagnostic::{Diagnostic, Location};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;

/// Whether the queue or topic `r` of the stack is FIFO (`property` is `FifoQueue` or
/// `FifoTopic`, literally `true`), recorded as derived from for `wiring`.
pub fn is_fifo(stack: &mut Stack, r: &ResourceRef, property: &str, wiring: &str) -> bool {
    if stack.properties(r).is_none() {
        // Not a resource of this stack: nothing known about it.
        return false;
    }
    stack.derived_from(
        r.logical_id(),
        property,
        wiring,
        &format!("set {property} on the builder (or with `configure`) before wiring"),
    );
    // CloudFormation takes a Boolean property as `true` or `"true"`.
    stack
        .property(r, property)
        .and_then(|v| v.literal_json())
        .is_some_and(|v| v == true || v == "true")
}

/// What wiring must know of a queue end: whether it is FIFO and has content-based
/// deduplication. A queue outside the stack (imported) is taken as standard, as nothing
/// is known of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueKind {
    /// `FifoQueue` is `true`.
    pub fifo: bool,
    /// `ContentBasedDeduplication` is `true`.
    pub content_dedup: bool,
}

/// The kind of the queue `queue`, both properties recorded as derived from for `wiring`.
pub fn queue_kind(stack: &mut Stack, queue: &ResourceRef, wiring: &str) -> QueueKind {
    let fifo = is_fifo(stack, queue, "FifoQueue", wiring);
    QueueKind {
        fifo,
        content_dedup: fifo && is_fifo(stack, queue, "ContentBasedDeduplication", wiring),
    }
}

/// The kind of a queue outside the stack, from its imported ARN: a FIFO queue's name ends
/// in `.fifo` (SQS Developer Guide, "Amazon SQS FIFO queues"). Its content-based
/// deduplication cannot be read from the ARN; it is taken as set, so only what the ARN
/// proves is refused.
pub fn imported_queue_kind(arn: &crate::value::value::Value<crate::kind::Str>) -> QueueKind {
    let fifo = arn_names_fifo(arn);
    QueueKind {
        fifo,
        content_dedup: fifo,
    }
}

/// How a sender fills each message it sends to a queue.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sends {
    /// It gives a `MessageGroupId`.
    pub group: bool,
    /// It gives a `MessageDeduplicationId`; `None`: it cannot (EventBridge, Scheduler).
    pub dedup_id: Option<bool>,
    /// It sets `DelaySeconds` per message.
    pub delay: bool,
}

/// What SQS (or the sending service) refuses of `sends` to the queue `queue` of kind
/// `kind`: each a message naming `who` and the queue, and its fix.
pub fn send_problems(
    kind: QueueKind,
    queue: &str,
    who: &str,
    sends: Sends,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !kind.fifo {
        return out;
    }
    if !sends.group {
        out.push((
            format!("queue `{queue}` is a FIFO queue: {who} must give the messages it sends a message group (`MessageGroupId`)"),
            "give the sender a message group (`message_group_id(..)`)".to_string(),
        ));
    }
    match sends.dedup_id {
        None if !kind.content_dedup => out.push((
            format!("queue `{queue}` is a FIFO queue without content-based deduplication, and {who} sends no deduplication ID, which the service needs the queue to have"),
            "call `.content_based_deduplication()` on the queue".to_string(),
        )),
        Some(false) if !kind.content_dedup => out.push((
            format!("queue `{queue}` is a FIFO queue without content-based deduplication: {who} must give each message a deduplication ID"),
            "give the sender `message_deduplication_id(..)`, or call `.content_based_deduplication()` on the queue".to_string(),
        )),
        _ => {}
    }
    if sends.delay {
        out.push((
            format!("queue `{queue}` is a FIFO queue, which takes no per-message delay from {who}"),
            "remove the message's delay (set `delay_seconds` on the queue instead)".to_string(),
        ));
    }
    out
}

/// Whether the literal ARN `arn` names a FIFO queue or topic: their names end in `.fifo`
/// (SQS Developer Guide, "Amazon SQS FIFO queues": "The name of a FIFO queue must end with
/// the `.fifo` suffix"; SNS Developer Guide, "FIFO topics": a FIFO topic's name ends in
/// `.fifo`). An ARN known only at deploy proves nothing.
pub fn arn_names_fifo(arn: &crate::value::value::Value<crate::kind::Str>) -> bool {
    arn.literal_str().is_some_and(|a| a.ends_with(".fifo"))
}

/// Whether the queue or (when `topic`) topic `target` is FIFO: a resource of the stack by
/// its literal `FifoQueue`/`FifoTopic` (recorded as derived from for `wiring`, as
/// [`is_fifo`]), one outside it (imported) by its literal ARN ([`arn_names_fifo`]).
pub fn target_is_fifo<F: on::Resource>(
    stack: &mut Stack,
    target: &Target<F>,
    topic: bool,
    wiring: &str,
) -> bool {
    let property = if topic { "FifoTopic" } else { "FifoQueue" };
    match target.resource() {
        Some(r) if stack.properties(r).is_some() => is_fifo(stack, r, property, wiring),
        _ => arn_names_fifo(target.arn()),
    }
}

/// What SQS refuses in the message group `group` a sender gives a FIFO queue (SQS API
/// Reference, `SendMessage`, `MessageGroupId`: up to 128 characters, "alphanumeric
/// characters and punctuation" ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``), or `None`. One
/// check for the EventBridge rule and the Scheduler targets. An EventBridge rule sends
/// the group as written (`SqsParameters` takes no input path), so a `$.detail.id` is a
/// literal group of ASCII punctuation and letters, accepted here as SQS accepts it.
///
/// ```
/// use nephos::constructs::wiring::fifo::message_group_problem;
/// assert!(message_group_problem("orders").is_none());
/// assert!(message_group_problem("").is_some());
/// assert!(message_group_problem("a b").is_some());
/// ```
pub fn message_group_problem(group: &str) -> Option<String> {
    let len = group.chars().count();
    if !(1..=128).contains(&len) {
        return Some(format!(
            "the message group `{}` has {len} characters; SQS takes 1 to 128",
            group.escape_debug()
        ));
    }
    let bad: String = group
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || c.is_ascii_punctuation()))
        .collect();
    (!bad.is_empty()).then(|| {
        format!(
            "the message group `{}` has characters SQS refuses (`{}`); it takes ASCII letters, digits and punctuation only",
            group.escape_debug(),
            bad.escape_debug()
        )
    })
}

/// Refuses the FIFO queue `dlq` (of the stack or imported) as the dead-letter queue of
/// `who` (an EventBridge rule target or a schedule), reported at `at`'s `property`.
pub fn refuse_fifo_dead_letter(
    stack: &mut Stack,
    dlq: &Target<on::Queue>,
    at: (&str, &str),
    who: &str,
) {
    require_standard(
        stack,
        dlq,
        false,
        at,
        &format!("the dead-letter queue of {who} (EventBridge)"),
    );
}

/// Refuses the FIFO queue (or, when `topic`, topic) `target` where only a standard one
/// works, whether of the stack or imported (see [`target_is_fifo`]): `what` names the use
/// ("the on-failure destination of function `F`"), reported at `at`'s `property`.
/// Lambda's asynchronous destinations and dead-letter queues are standard queues and
/// topics (AWS Lambda Developer Guide, "Capturing records of Lambda asynchronous
/// invocations": a FIFO one fails every delivery); so are EventBridge's dead-letter
/// queues.
pub fn require_standard<F: on::Resource>(
    stack: &mut Stack,
    target: &Target<F>,
    topic: bool,
    (at, property): (&str, &str),
    what: &str,
) {
    let noun = if topic { "topic" } else { "queue" };
    let wiring = format!("whether it may be {what}");
    if target_is_fifo(stack, target, topic, &wiring) {
        // `Target::what` names it as messages do: by logical ID, or by its ARN.
        stack.problem(Diagnostic::error(
            Location::property(at, property),
            format!(
                "{} is a FIFO {noun}, but {what} must be a standard {noun}",
                target.what
            ),
            format!("give a standard {noun} (without `.fifo()`, its name not ending in `.fifo`)"),
        ));
    }
}

/// Refuses the FIFO topic `topic` of the stack as the destination of a delivery only a
/// standard topic takes, and says whether it did: `refusal` completes the message
/// "topic `T` is a FIFO topic, ..." (what cannot be delivered, and the document that
/// says so), reported at the topic's `FifoTopic` with `fix`. One check for every service
/// that publishes into a topic or subscribes an endpoint to it:
///
/// - an SNS FIFO topic delivers only to SQS queues: email, HTTP(S), SMS, mobile and
///   Lambda subscriptions are refused by `Subscribe` (Amazon SNS Developer Guide,
///   "Message delivery for FIFO topics": "Attempts to subscribe customer managed
///   endpoints to SNS FIFO topics result in errors");
/// - S3 event notifications go to standard topics only (Amazon S3 User Guide, "Amazon S3
///   Event Notifications", supported destinations: "SNS FIFO is not allowed");
/// - a CloudWatch alarm action names the topic only, with no message group, and SNS
///   `Publish` requires a `MessageGroupId` for a FIFO topic (Amazon SNS API Reference,
///   `Publish`), so every notification of the alarm would fail.
pub fn refuse_fifo_topic(stack: &mut Stack, topic: &ResourceRef, refusal: &str, fix: &str) -> bool {
    let fifo = is_fifo(
        stack,
        topic,
        "FifoTopic",
        "whether its subscriptions and publishers are allowed",
    );
    if fifo {
        refuse(
            stack,
            topic,
            "FifoTopic",
            format!("topic `{}` is a FIFO topic, {refusal}", topic.logical_id()),
            fix,
        );
    }
    fifo
}

/// Reports a delivery AWS refuses: `what` from `source` to `target` (how messages name
/// them), at `target`'s `property`, with `fix`.
pub fn refuse(stack: &mut Stack, at: &ResourceRef, property: &str, message: String, fix: &str) {
    stack.problem(Diagnostic::error(
        Location::property(at.logical_id(), property),
        message,
        fix,
    ));
}
