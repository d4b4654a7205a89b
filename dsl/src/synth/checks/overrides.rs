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
            // `derived_from` keeps repeats; each distinct record is reported once.
            let touched = stack.derived.iter().enumerate().filter(|(i, d)| {
                *d.id == *entry.target.id
                    && d.touched_by(&o.path)
                    && !stack.derived[..*i].contains(d)
            });
            for (_, d) in touched {
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

#[cfg(test)]
mod tests {
    use crate::Stack;
    use crate::constructs::{Key, Table};

    /// The same record made twice (two grants reading one property) is one error, and a
    /// different record on the same property is another.
    #[test]
    fn a_repeated_record_is_reported_once() {
        let mut stack = Stack::new("S");
        let t = stack.add("T", Table::new(Key::string("id")));
        for _ in 0..3 {
            stack.derived_from("T", "SSESpecification", "the grants' key", "set it first");
        }
        stack.derived_from("T", "SSESpecification", "the stream grant", "set it first");
        stack
            .resource(&t)
            .override_property("SSESpecification.SSEEnabled", true);
        let err = stack.synth().unwrap_err().to_string();
        assert_eq!(err.matches("the grants' key").count(), 1, "{err}");
        assert_eq!(err.matches("the stream grant").count(), 1, "{err}");
    }
}
