//! Conditions reach everything a construct creates: a resource with no `Condition` of
//! its own takes the one of its owners (a construct's main resource, or both ends of a
//! wiring), resolved at synth so a condition set after adding or wiring still counts.
//!
//! Why at synth and not when the condition is set: wiring can happen before or after
//! `stack.resource(&f).condition(&c)`, and the result must not depend on that order.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::value::expr::Target;

/// The stack with inherited conditions filled in, or `None` when nothing is inherited.
pub(crate) fn apply(stack: &Stack, diags: &mut Vec<Diagnostic>) -> Option<Stack> {
    // Only a condition can be inherited: in a stack without one (the usual case) there is
    // nothing to resolve.
    if stack.resources.iter().all(|e| e.condition.is_none()) {
        return None;
    }
    let own: BTreeMap<&str, Option<&Target>> = stack
        .resources
        .iter()
        .map(|e| (&*e.target.id, e.condition.as_ref()))
        .collect();
    let mut memo: BTreeMap<Arc<str>, Option<Target>> = BTreeMap::new();
    let mut inherited: Vec<(usize, Target)> = Vec::new();
    for (i, entry) in stack.resources.iter().enumerate() {
        if entry.condition.is_some() {
            continue;
        }
        let Some(owners) = stack.owners.get(&entry.target.id) else {
            continue;
        };
        // Every owner's condition, deduplicated, in the owners' order.
        let mut found: Vec<(Arc<str>, Target)> = Vec::new();
        for o in owners {
            if let Some(c) = effective(stack, &own, &o.id, &mut memo, 0)
                && !found.iter().any(|(_, t)| *t == c)
            {
                found.push((o.id.clone(), c));
            }
        }
        match found.as_slice() {
            [] => {}
            [(_, c)] => inherited.push((i, c.clone())),
            [(a, ca), (b, cb), ..] => diags.push(Diagnostic::error(
                Location::resource(&entry.target.id),
                format!(
                    "`{}` wires `{a}` (condition `{}`) and `{b}` (condition `{}`), so it can be created under neither condition alone",
                    entry.target.id, ca.id, cb.id
                ),
                format!(
                    "give `{a}` and `{b}` the same condition, or declare a condition that holds when both do (`and(...)` of both) and set it on `{}` with `stack.resource(...).condition(...)`",
                    entry.target.id
                ),
            )),
        }
    }
    if inherited.is_empty() {
        return None;
    }
    let mut out = stack.clone();
    for (i, c) in inherited {
        out.resources[i].condition = Some(c);
    }
    Some(out)
}

/// The condition resource `id` is created under: its own, else its owners' (when they
/// agree; disagreement is reported for the resource itself).
fn effective(
    stack: &Stack,
    own: &BTreeMap<&str, Option<&Target>>,
    id: &Arc<str>,
    memo: &mut BTreeMap<Arc<str>, Option<Target>>,
    depth: usize,
) -> Option<Target> {
    if let Some(c) = memo.get(id) {
        return c.clone();
    }
    let result = match own.get(&**id) {
        Some(Some(c)) => Some((*c).clone()),
        // Ownership never forms a cycle (an owner exists before what it owns); the
        // bound is a guard, not a rule.
        Some(None) if depth < 16 => {
            let mut found: Option<Target> = None;
            for o in stack.owners.get(id).into_iter().flatten() {
                if let Some(c) = effective(stack, own, &o.id, memo, depth + 1) {
                    found.get_or_insert(c);
                }
            }
            found
        }
        _ => None,
    };
    memo.insert(id.clone(), result.clone());
    result
}
