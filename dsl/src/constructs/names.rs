//! Physical names computed inside the template, so a resource's name (and ARN) can be
//! used without referring to the resource itself: that is what keeps wiring such as an
//! S3 notification and its Lambda permission free of cycles.

use crate::kind::Str;
use crate::value::expr::Expr;
use crate::value::intrinsics::{select, split};
use crate::value::value::Value;
use crate::{aws, sub};

/// The stack id's UUID: lower-case hex, unique per stack, stable across updates.
pub(crate) fn stack_uuid() -> Value<Str> {
    select(2, split("/", aws::stack_id()))
}

/// A bucket name unique per stack: `<stack>-<id>-<uuid>`, lower case, at most 63 bytes.
pub(crate) fn bucket_name(stack: &str, id: &str) -> Value<Str> {
    let clean = |s: &str| -> String {
        s.to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    };
    // 63 bytes: the 36-byte UUID, two hyphens, and 25 for the readable part.
    let mut stack_part = clean(stack);
    let mut id_part = clean(id);
    id_part.truncate(12);
    stack_part.truncate(24 - id_part.len().min(12));
    sub!(
        "${prefix}-${uuid}",
        prefix = format!("{stack_part}-{id_part}"),
        uuid = stack_uuid()
    )
}

/// `arn:<partition>:s3:::<name>` from a name, without referring to the bucket.
pub(crate) fn bucket_arn(name: &Value<Str>) -> Value<Str> {
    sub!("arn:${AWS::Partition}:s3:::${name}", name = name.clone())
}

/// Whether a value refers to some resource (so using it would create a dependency).
pub(crate) fn refers_to_resources(v: &Value<Str>) -> bool {
    let mut found = false;
    v.expr.walk(&mut |e| {
        found |= matches!(e, Expr::Ref(t) | Expr::GetAtt(t, _) if t.kind == crate::value::expr::TargetKind::Resource)
    });
    found
}
