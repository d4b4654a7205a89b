//! Event source mappings: Lambda polling a queue or a stream for a function.

use crate::constructs::wiring::{FunctionEnd, place};
use crate::lambda::{EventSourceMapping, EventSourceMappingHandle};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;

/// Adds `mapping` from `source` to `function` under `<Function><Source><suffix>` (the
/// same pair twice is one mapping), created after the function's role: CloudFormation
/// checks the role's permissions when it creates the mapping, so grant them first.
pub fn event_source(
    stack: &mut Stack,
    function: &impl FunctionEnd,
    source: &ResourceRef,
    suffix: &str,
    mapping: EventSourceMapping,
) -> EventSourceMappingHandle {
    from_source(
        stack,
        function,
        (source.logical_id(), Some(source)),
        suffix,
        mapping,
    )
}

/// As [`event_source`], for a source named `name` in the mapping's ID that is a
/// resource of the stack (`Some`) or one outside it (`None`, an imported queue: `name`
/// is then a fragment of its ARN).
pub fn from_source(
    stack: &mut Stack,
    function: &impl FunctionEnd,
    (name, source): (&str, Option<&ResourceRef>),
    suffix: &str,
    mapping: EventSourceMapping,
) -> EventSourceMappingHandle {
    let id = format!("{}{name}{suffix}", function.resource_ref().logical_id());
    let mut ends = vec![function.resource_ref()];
    ends.extend(source);
    let handle = place(stack, &id, mapping, &ends, "an event source mapping");
    if let Some(role) = function.execution_role() {
        stack.resource(&handle).depends_on(role);
    }
    handle
}
