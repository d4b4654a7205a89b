//! Grants on an SNS topic.

use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, key, on};
use crate::stack::stack::Stack;

/// Lets `grantee` publish to `topic` (and produce with its key).
pub fn publish(
    stack: &mut Stack,
    grantee: &impl Grantee,
    topic: &Target<on::Topic>,
) -> Vec<Granted> {
    if topic.refuse_mismatch(stack, &grantee.grantee_name(), "publishing to the topic") {
        return Vec::new();
    }
    let g = Grant::new("publishing to the topic")
        .actions(actions::SNS_PUBLISH)
        .on(topic.arn());
    [
        grant(stack, grantee, g),
        key::cover(stack, grantee, topic, actions::KMS_PRODUCE, "sns"),
    ]
    .into_iter()
    .flatten()
    .collect()
}
