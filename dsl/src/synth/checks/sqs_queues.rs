//! What SQS refuses of one `AWS::SQS::Queue`'s attributes and its redrive policy, checked
//! on the template so the `Queue` construct and the generated `sqs::Queue` (or a raw
//! resource) get the one check:
//!
//! - the FIFO-only attributes on a standard queue (Amazon SQS API Reference, `CreateQueue`:
//!   "The following attributes apply only to FIFO (first-in-first-out) queues"
//!   (`ContentBasedDeduplication`) and "only to high throughput for FIFO queues"
//!   (`DeduplicationScope`, `FifoThroughputLimit`));
//! - a redrive policy's `maxReceiveCount` outside 1 to 1,000 (`RedrivePolicy`: "When the
//!   ReceiveCount for a message exceeds the maxReceiveCount ... valid values are from 1 to
//!   1,000" — <https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html>);
//! - a dead-letter queue of the other kind ("The dead-letter queue of a FIFO queue must
//!   also be a FIFO queue. Similarly, the dead-letter queue of a standard queue must also
//!   be a standard queue", Amazon SQS Developer Guide, "Using dead-letter queues":
//!   <https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html>).
//!
//! A queue's kind is its `FifoQueue` when literal (absent is standard); a dead-letter queue
//! is a queue of the stack (by `Fn::GetAtt`/`Ref`) or a literal SQS ARN, whose name ends in
//! `.fifo` exactly when it is a FIFO queue (queue names hold no other period). Anything
//! computed is left to SQS.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::{literal, open, resource_named};

const QUEUE: &str = "AWS::SQS::Queue";

/// The attributes SQS takes only on a FIFO queue (module docs).
const FIFO_ONLY: &[&str] = &[
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
];

/// Whether a queue of the stack is FIFO, when its `FifoQueue` tells (absent: standard).
fn is_fifo(r: &Resolved) -> Option<bool> {
    match r.field("FifoQueue") {
        None | Some(Expr::NoValue) => Some(false),
        Some(Expr::Lit(v)) => match v {
            serde_json::Value::Bool(b) => Some(*b),
            // CloudFormation takes a Boolean property as `"true"` or `"false"` too.
            serde_json::Value::String(s) if s == "true" => Some(true),
            serde_json::Value::String(s) if s == "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The kind of the dead-letter queue `e` names, and how messages name it.
fn target_kind(e: &Expr, ids: &Resources) -> Option<(bool, String)> {
    if let Some(text) = literal(e) {
        let mut parts = text.splitn(6, ':');
        let (Some("arn"), _, Some("sqs"), _, _, Some(name)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        if name.contains("{{resolve:") {
            return None;
        }
        return Some((
            name.ends_with(".fifo"),
            format!("`{}`", text.escape_debug()),
        ));
    }
    let id = resource_named(e)?;
    let r = ids.get(id).filter(|r| r.entry.type_name == QUEUE)?;
    Some((is_fifo(r)?, format!("`{id}`")))
}

fn kind(fifo: bool) -> &'static str {
    if fifo { "a FIFO" } else { "a standard" }
}

/// Refuses each queue's FIFO-only attributes on a standard queue, a `maxReceiveCount`
/// outside 1 to 1,000 and a dead-letter queue of the other kind.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    if !resources.has(QUEUE) {
        return;
    }
    for r in resources.of_type(QUEUE) {
        let id = &*r.entry.target.id;
        let fifo = is_fifo(r);
        if fifo == Some(false) {
            for property in FIFO_ONLY {
                if matches!(r.field(property), None | Some(Expr::NoValue)) {
                    continue;
                }
                diags.push(Diagnostic::error(
                    Location::property(id, property),
                    format!(
                        "queue `{id}` is a standard queue (no `FifoQueue: true`), and SQS takes `{property}` only on a FIFO queue (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html)"
                    ),
                    format!(
                        "make it a FIFO queue (`FifoQueue: true`; call `.fifo()` on the `Queue` construct), or remove `{property}`"
                    ),
                ));
            }
        }
        let Some(policy) = r.field("RedrivePolicy") else {
            continue;
        };
        let policy = open(policy);
        let Expr::Object(map) = &*policy else {
            continue;
        };
        if let Some(Expr::Lit(v)) = map.get("maxReceiveCount")
            && let Some(count) = v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            && !(1..=1000).contains(&count)
        {
            diags.push(Diagnostic::error(
                Location::property(id, "RedrivePolicy.maxReceiveCount"),
                format!(
                    "queue `{id}`'s dead-letter `maxReceiveCount` is {count}; SQS takes 1 to 1,000 (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html)"
                ),
                "give a receive count from 1 to 1,000 (`dead_letter_queue(&dlq, count)` on the `Queue` construct)",
            ));
        }
        if let (Some(own), Some(target)) = (fifo, map.get("deadLetterTargetArn"))
            && let Some((other, name)) = target_kind(target, resources)
            && own != other
        {
            diags.push(Diagnostic::error(
                Location::property(id, "RedrivePolicy.deadLetterTargetArn"),
                format!(
                    "queue `{id}` is {} queue and its dead-letter queue {name} is {} queue; SQS takes a dead-letter queue of the queue's own kind (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html)",
                    kind(own),
                    kind(other)
                ),
                if own {
                    "give a FIFO queue as the dead-letter queue (call `.fifo()` on it)"
                } else {
                    "give a standard queue (without `.fifo()`) as the dead-letter queue"
                },
            ));
        }
    }
}
