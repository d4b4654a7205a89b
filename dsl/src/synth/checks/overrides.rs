//! Overrides of derived properties: an `override_property` (or `remove_property`) is
//! applied at synth, after a construct or a grant computed other things from the
//! property (see [`Stack::derived_from`]), which would then stay on the old value.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;

/// Every override that touches a property something was derived from.
pub(super) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    if stack.derived.is_empty() {
        return;
    }
    for entry in &stack.resources {
        for o in &entry.overrides {
            for d in stack
                .derived
                .iter()
                .filter(|d| *d.id == *entry.target.id && d.touched_by(&o.path))
            {
                let verb = if o.value.is_some() {
                    "override_property"
                } else {
                    "remove_property"
                };
                diags.push(Diagnostic::error(
                    Location::property(&entry.target.id, &o.path),
                    format!(
                        "`{verb}(\"{}\")` on `{}` changes {}, from which {} was already derived (overrides apply at synth, after it), so that would stay on the old value",
                        o.path.escape_debug(),
                        entry.target.id,
                        d.path,
                        d.derives
                    ),
                    d.fix.clone(),
                ));
            }
        }
    }
}
