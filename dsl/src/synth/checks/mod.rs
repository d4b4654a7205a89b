//! Every synth-time check of a stack, one family per file, run in a fixed order and
//! reported together.
//!
//! The order is part of the output: diagnostics are listed in the order the checks run,
//! so a new family goes at the place its diagnostics should appear, in [`all`].

mod arn_refs;
mod attributes;
mod conditions;
mod constraints;
mod cycles;
mod embedded;
mod intrinsics;
mod limits;
mod mappings;
mod names;
mod outputs;
mod overrides;
mod parameters;
mod ref_assumptions;
mod references;
mod route53_alias;
mod rules;

use crate::diagnostic::Diagnostic;
use crate::stack::stack::Stack;
use crate::synth::note::Note;
use crate::synth::template::Resolved;

/// Runs every check, in a fixed order.
pub(crate) fn all(
    stack: &Stack,
    resolved: &[Resolved],
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    names::stack_name(stack, diags);
    names::logical_ids(stack, diags);
    let known = references::known(stack);
    // Per expression, its references then its intrinsic functions.
    for (loc, e) in &references::expressions(stack, resolved) {
        references::check(stack, &known, loc, e, diags);
        intrinsics::check(stack, loc, e, diags);
    }
    cycles::check(stack, resolved, diags);
    conditions::check(stack, diags);
    attributes::check(stack, &known, diags);
    overrides::check(stack, diags);
    parameters::check(stack, diags);
    mappings::check(stack, diags);
    outputs::check(stack, diags);
    rules::check(stack, diags);
    ref_assumptions::check(resolved, diags);
    crate::synth::semantic::check(resolved, diags, deferred);
    crate::synth::lambda_runtimes::check(resolved, diags);
    crate::synth::lambda_vpc::check(resolved, diags);
    crate::synth::api_keys::check(resolved, diags);
    late(stack, resolved, diags);
    crate::synth::security::check(resolved, diags);
    constraints::check(resolved, diags, deferred);
    arn_refs::check(resolved, diags);
    route53_alias::check(resolved, diags);
    embedded::check(stack, resolved, diags);
    limits::check(stack, diags);
}

/// The checks grants and constructs left for synth ([`Stack::check_at_synth`]), in the
/// order they were left; a diagnostic several of them find is reported once.
fn late(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    let mut found: Vec<Diagnostic> = Vec::new();
    for check in stack.late_checks.iter() {
        for d in (check.0)(resolved) {
            if !found.contains(&d) {
                found.push(d);
            }
        }
    }
    diags.extend(found);
}
