//! Typestate resources: the property a handle's `Ref` getter depends on is as the handle's
//! type says. A security group built with `vpc_id` has a handle whose `id()` is the group's
//! ID, which holds only while `VpcId` is set; `Value::no_value()` in it, or a
//! `remove_property`/`override_property` after the fact, would make `Ref` the group's name
//! with the type still saying ID (see [`crate::ref_state`]).

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::presence::Presence;
use crate::synth::template::Resolved;

/// Every resource whose handle assumes a property set or absent, against its properties as
/// written (after overrides).
pub(super) fn check(resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    for r in resolved {
        let Some(a) = r.entry.ref_assumption else {
            continue;
        };
        let id = &r.entry.target.id;
        let value = r.field(a.property);
        let problem = match (a.set, value) {
            (true, None) => Some("is not set (removed after the builder set it)"),
            (true, Some(v)) if !Presence::of(Some(v)).surely() => Some("may be AWS::NoValue"),
            (false, Some(_)) => Some("is set (by an override after the builder left it unset)"),
            _ => None,
        };
        if let Some(problem) = problem {
            let assumed = if a.set { "set" } else { "absent" };
            diags.push(Diagnostic::error(
                Location::property(id, a.property),
                format!(
                    "`{}` {problem}, but the handle's type assumes it {assumed}, so its `Ref` getter would give the other attribute",
                    a.property
                ),
                format!(
                    "set `{0}` with the builder's setter and leave it so, or, when whether it is set is decided at deploy, use the setter taking an `Option` (`set_...`), whose handle's `Ref` getter gives either kind",
                    a.property
                ),
            ));
        }
    }
}
