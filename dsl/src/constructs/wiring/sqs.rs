//! SQS to Lambda: an event source mapping polling a queue for a function.

use crate::constructs::grants::{self, Target};
use crate::constructs::wiring::{FunctionEnd, event_source};
use crate::kind::{Int, Str};
use crate::lambda::{EventSourceMapping, EventSourceMappingHandle};
use crate::stack::handle::Handle;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Invokes `function` with batches of `batch_size` messages of `queue` (the resource
/// `source`, the queue itself): the consume grant (and its key's) on the function's role,
/// then an event source mapping `<Function><Queue>Trigger` that waits for the role.
pub fn trigger(
    stack: &mut Stack,
    queue: &Target,
    source: &impl Handle,
    function: &impl FunctionEnd,
    batch_size: i64,
) -> EventSourceMappingHandle {
    grants::queue::consume(stack, function, queue);
    let mapping = EventSourceMapping::new(function.function_name())
        .event_source_arn(queue.arn().clone().cast::<Str>())
        .batch_size(Value::<Int>::from(batch_size));
    event_source(stack, function, source.resource_ref(), "Trigger", mapping)
}
