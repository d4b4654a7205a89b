//! Rules: each asserts something.

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;

/// Every rule.
pub(super) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    for (id, rule) in &stack.rules {
        if rule.assertions.is_empty() {
            diags.push(Diagnostic::error(
                Location::of(Section::Rule, id),
                "the rule has no assertion".to_string(),
                "add one with `.assert(condition, \"message\")`",
            ));
        }
    }
}
