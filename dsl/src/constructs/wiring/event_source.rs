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
    let id = format!(
        "{}{}{suffix}",
        function.resource_ref().logical_id(),
        source.logical_id()
    );
    let handle = place(
        stack,
        &id,
        mapping,
        &[function.resource_ref(), source],
        "an event source mapping",
    );
    if let Some(role) = function.execution_role() {
        stack.resource(&handle).depends_on(role);
    }
    handle
}
