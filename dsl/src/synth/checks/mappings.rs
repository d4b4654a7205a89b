//! Mappings: not empty, keys CloudFormation accepts, at most 200 attributes per key.

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;

/// Every mapping.
pub(super) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let key_ok = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
    };
    for (t, m) in &stack.mappings {
        let loc = Location::of(Section::Mapping, &t.id);
        if m.entries.is_empty() {
            diags.push(Diagnostic::error(
                loc.clone(),
                "the mapping is empty".to_string(),
                "add an entry or remove the mapping",
            ));
        }
        for (k1, inner) in &m.entries {
            for k in std::iter::once(k1).chain(inner.keys()) {
                if !key_ok(k) {
                    diags.push(Diagnostic::error(
                        loc.clone(),
                        format!("key `{k}` has characters a mapping key cannot have"),
                        "use letters, digits, `-`, `.` and `_`",
                    ));
                }
            }
            if inner.len() > 200 {
                diags.push(Diagnostic::error(
                    loc.clone(),
                    format!(
                        "`{k1}` has {} attributes; CloudFormation allows 200",
                        inner.len()
                    ),
                    "split the mapping",
                ));
            }
        }
    }
}
