//! Grants on an S3 bucket: bucket-level actions on its ARN, object actions on
//! `<arn>/*`.

use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, key, on};
use crate::kind::Str;
use crate::stack::stack::Stack;
use crate::sub;
use crate::value::value::Value;

/// The ARN of the objects of `bucket`.
fn objects(bucket: &Target<on::Bucket>) -> Value<Str> {
    sub!(
        "${arn}/${pattern}",
        arn = bucket.arn().clone(),
        pattern = "*"
    )
}

fn all(granted: impl IntoIterator<Item = Option<Granted>>) -> Vec<Granted> {
    granted.into_iter().flatten().collect()
}

/// Lets `grantee` list `bucket`, find its region and read objects.
pub fn read(
    stack: &mut Stack,
    grantee: &impl Grantee,
    bucket: &Target<on::Bucket>,
) -> Vec<Granted> {
    if bucket.refuse_mismatch(stack, &grantee.grantee_name(), "reading the bucket") {
        return Vec::new();
    }
    let list = Grant::new("listing the bucket")
        .actions(actions::S3_LIST)
        .on(bucket.arn());
    let read = Grant::new("reading objects")
        .actions(actions::S3_READ_OBJECTS)
        .on(objects(bucket));
    all([
        grant(stack, grantee, list),
        grant(stack, grantee, read),
        key::cover(stack, grantee, bucket, actions::KMS_READ, "s3"),
    ])
}

/// Lets `grantee` write objects (multipart uploads included) and find the bucket's region.
pub fn put(stack: &mut Stack, grantee: &impl Grantee, bucket: &Target<on::Bucket>) -> Vec<Granted> {
    if bucket.refuse_mismatch(stack, &grantee.grantee_name(), "writing objects") {
        return Vec::new();
    }
    let locate = Grant::new("finding the bucket's region")
        .actions(actions::S3_LOCATE)
        .on(bucket.arn());
    let put = Grant::new("writing objects")
        .actions(actions::S3_PUT)
        .on(objects(bucket));
    all([
        grant(stack, grantee, locate),
        grant(stack, grantee, put),
        key::cover(stack, grantee, bucket, actions::KMS_PRODUCE, "s3"),
    ])
}

/// Lets `grantee` delete objects.
pub fn delete(
    stack: &mut Stack,
    grantee: &impl Grantee,
    bucket: &Target<on::Bucket>,
) -> Vec<Granted> {
    if bucket.refuse_mismatch(stack, &grantee.grantee_name(), "deleting objects") {
        return Vec::new();
    }
    let delete = Grant::new("deleting objects")
        .actions(actions::S3_DELETE)
        .on(objects(bucket));
    all([grant(stack, grantee, delete)])
}
