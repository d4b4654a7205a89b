//! Outputs: Condition in the stack, description length, export names valid and unique.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::value::expr::Expr;

use super::references::foreign;

/// Every output.
pub(super) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let mut exports: BTreeSet<String> = BTreeSet::new();
    for o in &stack.outputs {
        let loc = Location::output(&o.id);
        if let Some(c) = &o.condition
            && c.stack != stack.key
        {
            diags.push(foreign(stack, &loc, c, "Condition"));
        }
        if o.description.as_ref().is_some_and(|d| d.len() > 1024) {
            diags.push(Diagnostic::error(
                loc.clone(),
                "the description is over 1024 bytes".to_string(),
                "shorten it",
            ));
        }
        if let Some(Expr::Lit(serde_json::Value::String(name))) = &o.export {
            let ok = !name.is_empty()
                && name.len() <= 255
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':');
            if !ok {
                diags.push(Diagnostic::error(
                    loc.clone(),
                    format!("export name `{name}` is not valid"),
                    "use 1 to 255 letters, digits, `-` and `:`",
                ));
            }
            if !exports.insert(name.clone()) {
                diags.push(Diagnostic::error(
                    loc.clone(),
                    format!("export name `{name}` is used by another output of this stack"),
                    "export names are unique per account and region: give each output its own",
                ));
            }
        }
    }
}
