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
//! FIFO is read from the resource's literal `FifoQueue`/`FifoTopic` now; the wiring is
//! derived from it, so an `override_property` of it later is refused at synth.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;

/// Whether the queue or topic `r` of the stack is FIFO (`property` is `FifoQueue` or
/// `FifoTopic`, literally `true`), recorded as derived from for `wiring`.
pub(crate) fn is_fifo(stack: &mut Stack, r: &ResourceRef, property: &str, wiring: &str) -> bool {
    if stack.position(&r.target).is_none() {
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

/// Reports a delivery AWS refuses: `what` from `source` to `target` (how messages name
/// them), at `target`'s `property`, with `fix`.
pub(crate) fn refuse(
    stack: &mut Stack,
    at: &ResourceRef,
    property: &str,
    message: String,
    fix: &str,
) {
    stack.problem(Diagnostic::error(
        Location::property(at.logical_id(), property),
        message,
        fix,
    ));
}
