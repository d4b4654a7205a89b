//! Property constraints: literal property values against the constraints their
//! resource type declares (checked now, or deferred until parameters are known).

use crate::diagnostic::Diagnostic;
use crate::synth::literals;
use crate::synth::note::Note;
use crate::synth::template::Resolved;

/// The literal constraints of every resource's resolved properties.
pub(super) fn check(resolved: &[Resolved], diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    let mut indexes = literals::Indexes::default();
    for r in resolved {
        indexes.check(
            &r.entry.target.id,
            &r.props,
            r.entry.constraints,
            diags,
            deferred,
        );
    }
}
