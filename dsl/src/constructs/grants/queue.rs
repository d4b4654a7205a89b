//! Grants on an SQS queue.

use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, key, on};
use crate::stack::stack::Stack;

/// Lets `grantee` send messages to `queue` (and produce with its key).
pub fn send(stack: &mut Stack, grantee: &impl Grantee, queue: &Target<on::Queue>) -> Vec<Granted> {
    if queue.refuse_mismatch(stack, &grantee.grantee_name(), "sending to the queue") {
        return Vec::new();
    }
    let g = Grant::new("sending to the queue")
        .actions(actions::SQS_SEND)
        .on(queue.arn());
    [
        grant(stack, grantee, g),
        key::cover(stack, grantee, queue, actions::KMS_PRODUCE, "sqs"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Lets `grantee` receive and delete messages of `queue` (and decrypt them).
pub fn consume(
    stack: &mut Stack,
    grantee: &impl Grantee,
    queue: &Target<on::Queue>,
) -> Vec<Granted> {
    if queue.refuse_mismatch(stack, &grantee.grantee_name(), "consuming the queue") {
        return Vec::new();
    }
    let g = Grant::new("consuming the queue")
        .actions(actions::SQS_CONSUME)
        .on(queue.arn());
    [
        grant(stack, grantee, g),
        key::cover(stack, grantee, queue, actions::KMS_READ, "sqs"),
    ]
    .into_iter()
    .flatten()
    .collect()
}
