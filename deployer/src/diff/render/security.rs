//! The security delta's lines: a statement granted or taken away, or a change of the
//! identity a resource acts as with what each side's role is allowed.

use std::io::{self, Write};

use super::marker;
use crate::diff::managed::Expansion;
use crate::diff::model::{Identity, IdentityChange};
use crate::diff::security::{Direction, SecurityChange};
use crate::output::escape::escape_line;
use crate::output::style::Style;

/// Writes one security change (indented detail lines under it).
pub(super) fn security(out: &mut dyn Write, s: &SecurityChange, style: Style) -> io::Result<()> {
    let dir = match s.direction {
        Direction::Broadening => style.red("broadening"),
        Direction::Narrowing => style.green("narrowing"),
        Direction::Same => style.yellow("same permissions"),
    };
    if let Some(id) = &s.identity {
        return identity(out, s, id, &dir, style);
    }
    let who = if s.principal.is_empty() {
        String::new()
    } else {
        format!(" to {}", s.principal)
    };
    let on = if s.resource.is_empty() {
        String::new()
    } else {
        format!(" on {}", s.resource)
    };
    let cond = if s.condition.is_empty() {
        String::new()
    } else {
        format!(" when {}", s.condition)
    };
    writeln!(
        out,
        "{} {dir} {} ({}): {} {}{who}{on}{cond}",
        marker(s.kind, style),
        s.owner,
        s.policy,
        s.effect,
        s.actions.join(", ")
    )?;
    match &s.expansion {
        Some(Expansion::Known { statements }) => {
            for st in statements {
                writeln!(out, "      grants: {st}")?;
            }
            Ok(())
        }
        Some(Expansion::Unknown { reason }) => {
            writeln!(out, "      grants: unknown ({reason})")
        }
        None => Ok(()),
    }
}

/// A change of who a resource acts as: the property, old and new identity, the verdict,
/// then what each side's role is allowed.
fn identity(
    out: &mut dyn Write,
    s: &SecurityChange,
    id: &IdentityChange,
    dir: &str,
    style: Style,
) -> io::Result<()> {
    let side = |i: &Option<Identity>| {
        i.as_ref()
            .map_or_else(|| "(none)".to_owned(), |i| i.value.clone())
    };
    writeln!(
        out,
        "{} {dir} {} ({}, who it acts as): {} → {}: {}",
        marker(s.kind, style),
        escape_line(&s.owner),
        escape_line(&id.property),
        side(&id.old),
        side(&id.new),
        escape_line(&id.verdict)
    )?;
    for (label, i) in [("was", &id.old), ("now", &id.new)] {
        let Some(i) = i else { continue };
        let name = escape_line(i.logical_id.as_deref().unwrap_or(&i.value)).into_owned();
        match &i.allowed {
            None => writeln!(out, "      {label} {name}: allowed not known offline")?,
            Some(lines) if lines.is_empty() => {
                writeln!(out, "      {label} {name}: allowed nothing")?
            }
            Some(lines) => {
                writeln!(out, "      {label} {name} allowed:")?;
                for l in lines {
                    writeln!(out, "        {l}")?;
                }
            }
        }
    }
    Ok(())
}
