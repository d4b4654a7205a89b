//! Template limits: section sizes and the description's length.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::limits;

/// Counts of resources, parameters, outputs and mappings, and the description's length.
pub(super) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    limits::count(
        "resources",
        stack.resources.len(),
        limits::MAX_RESOURCES,
        diags,
    );
    limits::count(
        "parameters",
        stack.parameters.len(),
        limits::MAX_PARAMETERS,
        diags,
    );
    limits::count("outputs", stack.outputs.len(), limits::MAX_OUTPUTS, diags);
    limits::count(
        "mappings",
        stack.mappings.len(),
        limits::MAX_MAPPINGS,
        diags,
    );
    if let Some(d) = &stack.description
        && d.len() > 1024
    {
        diags.push(Diagnostic::error(
            Location::stack(),
            format!(
                "the description is {} bytes; CloudFormation allows 1024",
                d.len()
            ),
            "shorten the description",
        ));
    }
}
