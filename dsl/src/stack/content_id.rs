//! Logical IDs that carry a hash of what they stand for, decided at synth.
//!
//! Some resources are snapshots: CloudFormation creates them once and never updates what
//! they captured (an API Gateway deployment snapshots the API's methods when it is
//! created). To take a new snapshot, the resource must be replaced, and the one change
//! CloudFormation always answers with a new resource is a new logical ID. So the
//! construct registers the resource here with a function that picks the resources whose
//! definitions the snapshot covers; at synth the ID becomes `<base><hash>`, the hash of
//! those definitions in canonical JSON. Same definitions, same ID (no change, no new
//! resource); any change to them, a new ID. Computed at synth, not when the construct is
//! added, so resources added later (another route, a user's authorizer) are covered.

use crate::diagnostic::Diagnostic;
use crate::stack::resource::ResourceEntry;
use crate::stack::stack::Stack;
use crate::value::expr::Target;

/// Picks the resources a content-addressed resource covers, given the stack and the
/// resource's own entry.
pub(crate) type Covers = for<'a> fn(&'a Stack, &'a ResourceEntry) -> Vec<&'a ResourceEntry>;

/// A resource whose logical ID ends in the hash of the resources `covers` picks.
#[derive(Clone, Debug)]
pub(crate) struct ContentId {
    pub(crate) resource: Target,
    pub(crate) covers: Covers,
}

/// Hex digits of the hash in the ID: 64 bits, so two versions of one API never collide
/// in practice, while the ID stays readable.
const HASH_CHARS: usize = 16;

/// The stack with every content-addressed resource renamed, or `None` when there is none.
/// Hashes are computed from the stack as built (before any rename), so they do not depend
/// on the order the resources were registered in. `DependsOn` entries follow the rename;
/// any other reference to the old ID is left dangling and reported by validation (no
/// construct hands out such a resource's handle).
pub(crate) fn resolve(stack: &Stack) -> Option<Stack> {
    if stack.content_ids.is_empty() {
        return None;
    }
    let mut renames: Vec<(Target, Target)> = Vec::new();
    for c in &stack.content_ids {
        let Some(entry) = stack.resources.iter().find(|e| e.target == c.resource) else {
            continue;
        };
        let hash = digest((c.covers)(stack, entry));
        let mut renamed = c.resource.clone();
        renamed.id = format!("{}{}", c.resource.id, &hash[..HASH_CHARS]).into();
        renames.push((c.resource.clone(), renamed));
    }
    let mut out = stack.clone();
    out.content_ids.clear();
    for (from, to) in renames {
        for e in &mut out.resources {
            if e.target == from {
                e.target = to.clone();
            }
            for d in &mut e.depends_on {
                if *d == from {
                    *d = to.clone();
                }
            }
        }
    }
    Some(out)
}

/// SHA-256 over each covered resource's logical ID, type and properties (overrides
/// applied) in canonical JSON, in logical-ID order.
fn digest(mut covered: Vec<&ResourceEntry>) -> String {
    covered.sort_by(|a, b| a.target.id.cmp(&b.target.id));
    covered.dedup_by(|a, b| a.target == b.target);
    let mut text = String::new();
    // Override problems are reported by the synth of the renamed stack itself.
    let mut ignored: Vec<Diagnostic> = Vec::new();
    for e in covered {
        let props = crate::synth::template::apply_overrides(e, &mut ignored).to_json();
        let doc =
            serde_json::json!({ "Id": &*e.target.id, "Type": e.type_name, "Properties": props });
        text.push_str(&crate::synth::canonical::to_pretty(&doc));
    }
    crate::asset::source::sha256_hex(text.as_bytes())
}
