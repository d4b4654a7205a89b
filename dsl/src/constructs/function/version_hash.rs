//! The content a function version's ID covers: the function's properties and what they
//! refer to in the same stack.
//!
//! A reference is written as its text (`{"Ref": "Layer"}`), which stays the same when
//! the resource behind it changes: a layer version with new content is replaced, the
//! function's `Layers` then names the new one, but a hash of the text alone would keep
//! the version's ID and no version would be published. So the properties of every
//! resource the function refers to are hashed too, and theirs in turn, within a bound.
//! This may publish a version when a referent changed in a way the function does not
//! see (a bucket's lifecycle rules behind its name), which costs an identical version;
//! missing a change would leave aliases on the old code, so the hash errs on the side of
//! publishing.

use crate::constructs::ids::{content_hash, referred_resources};
use crate::stack::handle::Handle;
use crate::stack::stack::Stack;

use super::FunctionRef;

/// The property of the execution role: not followed. Its permissions are read at each
/// call, for every version alike, and every grant changes its policy, so following it
/// would give a version ID that depends on whether grants come before `version()`.
const ROLE: &str = "Role";

/// How many references deep the hash follows (function -> layer is one).
const MAX_DEPTH: usize = 4;

/// How many referred resources the hash covers at most: past this a large graph (a
/// function referring to a VPC's subnets and their route tables) stops being walked.
const MAX_RESOURCES: usize = 64;

/// Sixteen hex digits over the function's properties and, when it refers to resources
/// of `stack` (other than its role), their properties by logical ID.
pub(super) fn version_hash(stack: &Stack, function: &FunctionRef) -> String {
    let referred = referred_resources(
        stack,
        &function.added,
        function.resource_ref().logical_id(),
        &[ROLE],
        MAX_DEPTH,
        MAX_RESOURCES,
    );
    if referred.is_empty() {
        // What the ID was before references were followed: a function referring to
        // nothing but its role keeps its version.
        return function.added_hash();
    }
    content_hash(&serde_json::json!({
        "Function": function.added.to_json(),
        "Referred": referred,
    }))
}
