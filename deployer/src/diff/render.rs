//! Text rendering of a [`TemplateDiff`]: `[+] [~] [-]` per resource, property values old
//! and new (line diffs via `similar` for bulky ones), the security delta and a summary.

use std::io::{self, Write};

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use super::data_loss::keeps_data;
use super::model::{
    Action, ChangeKind, Evidence, PropertyChange, Replacement, ResourceDiff, TYPE_PATH,
    TemplateDiff,
};
use super::parameters::is_no_echo;
use super::security::Direction;
use super::value::{as_text, is_bulky, show};
use crate::output::escape::escape_line;
use crate::output::style::Style;

mod security;

/// Writes `diff` for people. `title` names the stack.
pub fn render(
    out: &mut dyn Write,
    title: &str,
    diff: &TemplateDiff,
    style: Style,
) -> io::Result<()> {
    writeln!(out, "{}", style.bold(&format!("Stack {title}")))?;
    if let Some(state) = &diff.state {
        writeln!(
            out,
            "{} {}: {}",
            style.yellow("[!]"),
            state.status,
            state.note
        )?;
    }
    if let Some(t) = &diff.transform {
        writeln!(
            out,
            "{} Transform {t}: CloudFormation expands this template at deploy time into resources this offline review cannot see; what follows is the template before expansion (the change set of `nephos diff --change-set` or deploy shows the expanded resources)",
            style.yellow("[!]")
        )?;
    }
    if diff.is_empty() {
        return writeln!(out, "  no changes");
    }
    // Scalar sections (AWSTemplateFormatVersion, Description, a Transform) under no
    // heading: each line names its section, and under the last heading it would read as
    // one of that heading's entries (a new stack's format version among its resources).
    for s in diff.sections.iter().filter(|s| s.key.is_empty()) {
        section_change(out, s, style)?;
    }
    if !diff.parameters.is_empty() {
        writeln!(out, "Parameter values")?;
        for p in &diff.parameters {
            writeln!(out, "{} {}", marker(p.kind, style), p.describe())?;
        }
    }
    if !diff.resources.is_empty() {
        writeln!(out, "Resources")?;
        for r in &diff.resources {
            resource(out, r, diff, style)?;
            safety_marks(out, diff, &r.logical_id, style)?;
        }
    }
    for n in &diff.not_created {
        writeln!(
            out,
            "[ ] {} {}: not created (condition {} is false)",
            style.dim(&escape_line(&n.resource_type)),
            escape_line(&n.logical_id),
            escape_line(&n.condition)
        )?;
    }
    // Keyed sections (Parameters, Outputs, Conditions, Mappings, Metadata, Rules) each under
    // a heading of their own; scalar ones were written above, under none.
    let mut current = "";
    for s in diff.sections.iter().filter(|s| !s.key.is_empty()) {
        if s.section != current {
            writeln!(out, "{}", escape_line(&s.section))?;
            current = &s.section;
        }
        section_change(out, s, style)?;
    }
    if !diff.security.is_empty() {
        writeln!(out, "IAM / security changes")?;
        for s in &diff.security {
            security::security(out, s, style)?;
        }
    }
    // The change set only adds news when it knows more than the template diff: replacement,
    // scope, causes, or a resource the template diff did not see change.
    let informative: Vec<_> = diff
        .change_set
        .iter()
        .flatten()
        .filter(|c| c.replacement.is_some() || !c.scope.is_empty() || !c.details.is_empty())
        .collect();
    if !informative.is_empty() {
        writeln!(out, "Change set")?;
        for c in informative {
            let mut line = format!(
                "  {} {} {}",
                c.action,
                c.logical_id,
                style.dim(&c.resource_type)
            );
            if let Some(r) = &c.replacement {
                line.push_str(&format!(" replacement={r}"));
            }
            if !c.scope.is_empty() {
                line.push_str(&format!(" scope={}", c.scope.join(",")));
            }
            writeln!(out, "{line}")?;
            for d in &c.details {
                let mut l = format!("      {}", d.target);
                if let Some(r) = &d.requires_recreation {
                    l.push_str(&format!(" recreation={r}"));
                }
                if let Some(s) = &d.change_source {
                    l.push_str(&format!(" source={s}"));
                }
                if let Some(e) = &d.causing_entity {
                    l.push_str(&format!(" caused by {e}"));
                }
                writeln!(out, "{l}")?;
            }
        }
    }
    writeln!(out, "{}", summary(diff))
}

/// The marks under a resource line: a data-loss risk (which `nephos deploy` refuses unless
/// allowed) or a probable rename with the advice to keep the old ID.
fn safety_marks(
    out: &mut dyn Write,
    diff: &TemplateDiff,
    id: &str,
    style: Style,
) -> io::Result<()> {
    let mut risky = false;
    for d in diff.data_loss.iter().filter(|d| d.logical_id == id) {
        risky = true;
        writeln!(out, "    {} {}", style.red("⚠ data loss:"), d.describe())?;
    }
    for n in &diff.renames {
        if n.from == id && !risky {
            writeln!(out, "    {} {}", style.yellow("↪"), n.advice())?;
        } else if n.to == id {
            writeln!(
                out,
                "    {} probable rename of {}",
                style.yellow("↪"),
                n.from
            )?;
        }
    }
    Ok(())
}

/// A section entry on one line: an output's value (and export), a parameter's type and
/// default, or compact JSON.
fn entry(v: &Value) -> String {
    if let Some(value) = v.get("Value") {
        let export = v
            .pointer("/Export/Name")
            .map(|e| format!(" (export {})", show(e)))
            .unwrap_or_default();
        return format!("{}{export}", show(value));
    }
    if let (Some(t), true) = (v.get("Type").and_then(Value::as_str), v.is_object()) {
        // A NoEcho default is already hidden (`parameters::redact`); say it is NoEcho.
        let default = v
            .get("Default")
            .map(|d| format!(", default {}", show(d)))
            .unwrap_or_default();
        let no_echo = if is_no_echo(v) { ", NoEcho" } else { "" };
        return format!("{t}{no_echo}{default}");
    }
    show(v)
}

/// `Summary: 1 to add, 1 to update in place, 1 to replace, 0 may be replaced, 0 to remove`,
/// then parameters, outputs and ordering-only changes apart, and the risks.
pub fn summary(diff: &TemplateDiff) -> String {
    let c = diff.counts();
    let broadening = diff
        .security
        .iter()
        .filter(|s| s.direction == Direction::Broadening)
        .count();
    let mut s = format!(
        "Summary: {} to add, {} to update in place, {} to replace, {} may be replaced, {} to remove",
        c.added, c.updated, c.replaced, c.may_be_replaced, c.removed
    );
    if c.may_be_removed > 0 {
        s.push_str(&format!(", {} may be removed", c.may_be_removed));
    }
    if c.type_changed > 0 {
        s.push_str(&format!(
            ", {} type change(s) CloudFormation refuses",
            c.type_changed
        ));
    }
    if c.unknown_action > 0 {
        s.push_str(&format!(
            ", {} with a change action nephos does not know",
            c.unknown_action
        ));
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut apart = Vec::new();
    if c.parameters > 0 {
        apart.push(plural(
            c.parameters,
            "parameter changed",
            "parameters changed",
        ));
    }
    if c.outputs > 0 {
        apart.push(plural(c.outputs, "output changed", "outputs changed"));
    }
    if c.ordering_only > 0 {
        apart.push(format!("{} ordering only", c.ordering_only));
    }
    if !apart.is_empty() {
        s.push_str(&format!("; {}", apart.join(", ")));
    }
    let losses = diff.data_loss.len();
    if losses > 0 {
        s.push_str(&format!(
            "; {}",
            plural(losses, "data-loss risk", "data-loss risks")
        ));
    }
    if broadening > 0 {
        s.push_str(&format!(
            "; {}",
            plural(
                broadening,
                "broadening security change",
                "broadening security changes"
            )
        ));
    }
    s
}

fn marker(kind: ChangeKind, style: Style) -> String {
    match kind {
        ChangeKind::Added => style.green("[+]"),
        ChangeKind::Removed => style.red("[-]"),
        ChangeKind::Modified => style.yellow("[~]"),
    }
}

fn replacement_note(r: Replacement, resource_type: &str, style: Style) -> String {
    match r {
        Replacement::Always => style.red(" (requires replacement)"),
        Replacement::Conditional => style.yellow(" (may replace)"),
        Replacement::Unknown => style.yellow(&format!(
            " (may replace: no replacement facts for {resource_type})"
        )),
        Replacement::Never => String::new(),
    }
}

/// One resource's line, its note naming the verdict the summary counts (and its risk, when
/// the change set is what says it), then its property changes.
fn resource(
    out: &mut dyn Write,
    r: &ResourceDiff,
    diff: &TemplateDiff,
    style: Style,
) -> io::Result<()> {
    let risk = diff.data_loss.iter().find(|d| d.logical_id == r.logical_id);
    let from_change_set = risk.filter(|d| d.evidence == Evidence::ChangeSet);
    let note = match (r.kind, r.action) {
        (_, Action::OrderingOnly) => style.dim(" (ordering only, no resource update)"),
        (_, Action::TypeChange) => style.red(
            " (type change: CloudFormation refuses to change the type of a logical ID; keep the type, or give the new resource a new logical ID)",
        ),
        (_, Action::Unknown) => style.red(&format!(
            " (unknown change action `{}` from the change set: nephos cannot tell what it does; deploy refuses it)",
            escape_line(r.unknown_action.as_deref().unwrap_or_default())
        )),
        (_, Action::MayRemove) => match from_change_set.and_then(|d| d.cause.as_deref()) {
            Some(cause) => style.red(&format!(" (may be removed: {cause}, from the change set)")),
            None => style.red(" (may be removed: condition unknown offline)"),
        },
        (ChangeKind::Modified, Action::Remove) => {
            style.red(" (removed: the change set removes it)")
        }
        (ChangeKind::Modified, _) => replacement_note(r.replacement, &r.resource_type, style),
        _ => String::new(),
    };
    writeln!(
        out,
        "{} {} {}{note}",
        marker(r.kind, style),
        style.dim(&r.resource_type),
        r.logical_id
    )?;
    let n = r.properties.len();
    for (i, p) in r.properties.iter().enumerate() {
        property(out, p, &r.resource_type, i + 1 == n, style)?;
    }
    Ok(())
}

/// The note on a policy attribute whose new value no longer keeps the data the old one
/// kept: the update itself changes nothing, but a later removal or replacement deletes it.
fn dropped_keep(p: &PropertyChange, resource_type: &str) -> Option<String> {
    let attribute = match p.path.as_str() {
        "[DeletionPolicy]" => "removing it later deletes its data",
        "[UpdateReplacePolicy]" => "replacing it later deletes the old resource and its data",
        _ => return None,
    };
    let keeps = |v: &Option<Value>| keeps_data(v.as_ref().and_then(Value::as_str), resource_type);
    (keeps(&p.old) && !keeps(&p.new)).then(|| format!(" (no longer keeps the data: {attribute})"))
}

fn property(
    out: &mut dyn Write,
    p: &PropertyChange,
    resource_type: &str,
    last: bool,
    style: Style,
) -> io::Result<()> {
    let branch = if last { " └─" } else { " ├─" };
    let kind = match (&p.old, &p.new) {
        (None, _) => ChangeKind::Added,
        (_, None) => ChangeKind::Removed,
        _ => ChangeKind::Modified,
    };
    let note = match (dropped_keep(p, resource_type), &p.cause, p.replacement) {
        _ if p.path == TYPE_PATH => style.red(" (refused by CloudFormation)"),
        (Some(dropped), _, _) => style.yellow(&dropped),
        // The template text is the same; the value it reads is new.
        (None, Some(c), Replacement::Always | Replacement::Conditional) => {
            style.yellow(&format!(" (may replace: {c})"))
        }
        (None, Some(c), _) => style.yellow(&format!(" (may change: {c})")),
        (None, None, Replacement::Unknown) => String::new(),
        (None, None, r) => replacement_note(r, "", style),
    };
    let bulky = p.old.as_ref().is_some_and(is_bulky) || p.new.as_ref().is_some_and(is_bulky);
    let indent = if last { "       " } else { " │     " };
    if bulky {
        writeln!(out, "{branch} {} {}{note}", marker(kind, style), p.path)?;
        values(out, indent, p.old.as_ref(), p.new.as_ref(), style)
    } else {
        let value = match (&p.old, &p.new) {
            (Some(o), Some(n)) if p.cause.is_some() && o == n => show(n),
            (Some(o), Some(n)) => format!("{} → {}", show(o), show(n)),
            (None, Some(n)) => show(n),
            (Some(o), None) => show(o),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "{branch} {} {}: {value}{note}",
            marker(kind, style),
            p.path
        )
    }
}

/// Old and new values: `old → new` on one line, or a line diff for bulky values.
fn values(
    out: &mut dyn Write,
    indent: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    style: Style,
) -> io::Result<()> {
    let bulky = old.is_some_and(is_bulky) || new.is_some_and(is_bulky);
    if !bulky {
        return match (old, new) {
            (Some(o), Some(n)) => writeln!(out, "{indent}{} → {}", show(o), show(n)),
            (Some(v), None) | (None, Some(v)) => writeln!(out, "{indent}{}", show(v)),
            (None, None) => Ok(()),
        };
    }
    let a = old.map(as_text).unwrap_or_default();
    let b = new.map(as_text).unwrap_or_default();
    text_diff(out, indent, &a, &b, style)
}

/// A line diff of two texts: the changed lines with three lines of context, hunks
/// separated by `…`.
pub fn text_diff(
    out: &mut dyn Write,
    indent: &str,
    a: &str,
    b: &str,
    style: Style,
) -> io::Result<()> {
    let diff = TextDiff::from_lines(a, b);
    for (n, group) in diff.grouped_ops(3).iter().enumerate() {
        if n > 0 {
            writeln!(out, "{indent}  …")?;
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let line = change.value().trim_end_matches('\n');
                match change.tag() {
                    ChangeTag::Delete => {
                        writeln!(out, "{indent}{}", style.red(&format!("- {line}")))?
                    }
                    ChangeTag::Insert => {
                        writeln!(out, "{indent}{}", style.green(&format!("+ {line}")))?
                    }
                    ChangeTag::Equal => writeln!(out, "{indent}  {line}")?,
                }
            }
        }
    }
    Ok(())
}

/// One change of a section other than `Resources`: `[+] key: value`, `[~] key: old → new`
/// (bulky values as a line diff); a scalar section's label is the section's name.
fn section_change(
    out: &mut dyn Write,
    s: &super::model::SectionChange,
    style: Style,
) -> io::Result<()> {
    let label = escape_line(if s.key.is_empty() {
        s.section.as_str()
    } else {
        s.key.as_str()
    });
    let (o, n) = (s.old.as_ref().map(entry), s.new.as_ref().map(entry));
    match (o, n) {
        (Some(o), Some(n)) if o.len() + n.len() <= 100 => {
            let dropped = s.section == "Parameters"
                && s.old.as_ref().is_some_and(is_no_echo)
                && !s.new.as_ref().is_some_and(is_no_echo);
            let note = if dropped {
                " (NoEcho removed: its value is no longer masked)"
            } else {
                ""
            };
            writeln!(out, "{} {label}: {o} → {n}{note}", marker(s.kind, style))?
        }
        (Some(_), Some(_)) => {
            writeln!(out, "{} {label}", marker(s.kind, style))?;
            values(out, "    ", s.old.as_ref(), s.new.as_ref(), style)?;
        }
        (Some(v), None) | (None, Some(v)) => {
            writeln!(out, "{} {label}: {v}", marker(s.kind, style))?
        }
        (None, None) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests;
