//! Grants on a Kinesis data stream.

use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, key, on};
use crate::stack::stack::Stack;

/// Lets `grantee` read `stream`'s records (and decrypt them with its key).
pub fn read(
    stack: &mut Stack,
    grantee: &impl Grantee,
    stream: &Target<on::Stream>,
) -> Vec<Granted> {
    if stream.refuse_mismatch(stack, &grantee.grantee_name(), "reading the stream") {
        return Vec::new();
    }
    let g = Grant::new("reading the stream")
        .actions(actions::KINESIS_READ)
        .on(stream.arn());
    [
        grant(stack, grantee, g),
        key::cover(stack, grantee, stream, actions::KMS_READ, "kinesis"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Lets `grantee` put records into `stream` (and encrypt them with its key).
pub fn write(
    stack: &mut Stack,
    grantee: &impl Grantee,
    stream: &Target<on::Stream>,
) -> Vec<Granted> {
    if stream.refuse_mismatch(stack, &grantee.grantee_name(), "writing to the stream") {
        return Vec::new();
    }
    let g = Grant::new("writing to the stream")
        .actions(actions::KINESIS_WRITE)
        .on(stream.arn());
    [
        grant(stack, grantee, g),
        key::cover(stack, grantee, stream, actions::KMS_PRODUCE, "kinesis"),
    ]
    .into_iter()
    .flatten()
    .collect()
}
