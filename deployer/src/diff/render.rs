//! Text rendering of a [`TemplateDiff`]: `[+] [~] [-]` per resource, property values old
//! and new (line diffs via `similar` for bulky ones), the security delta and a summary.

use std::io::{self, Write};

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use super::data_loss::keeps_data;
use super::managed::Expansion;
use super::model::{
    Action, ChangeKind, Evidence, Identity, IdentityChange, PropertyChange, Replacement,
    ResourceDiff, TYPE_PATH, TemplateDiff,
};
use super::parameters::is_no_echo;
use super::security::{Direction, SecurityChange};
use super::value::{as_text, is_bulky, show};
use crate::output::escape::escape_line;
use crate::output::style::Style;

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
    let mut current = "";
    for s in &diff.sections {
        if s.section != current && !s.key.is_empty() {
            writeln!(out, "{}", s.section)?;
            current = &s.section;
        }
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
    }
    if !diff.security.is_empty() {
        writeln!(out, "IAM / security changes")?;
        for s in &diff.security {
            security(out, s, style)?;
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

fn security(out: &mut dyn Write, s: &SecurityChange, style: Style) -> io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::model::ResourceChange;
    use crate::diff::diff_templates;
    use crate::diff::facts::TableFacts;
    use crate::diff::reconcile::reconcile;
    use serde_json::json;

    fn stack(table: &str, actions: Value, memory: u32, extra: bool) -> Value {
        let mut t = json!({
            "Description": "users",
            "Resources": {
                "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": table,
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
                "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": memory,
                    "Environment": {"Variables": {"TABLE": {"Ref": "Table"}}}}},
                "Role": {"Type": "AWS::IAM::Role", "Properties": {
                    "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                    "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
                        {"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": ["Table", "Arn"]}}]}}]}}
            },
            "Outputs": {"TableName": {"Value": {"Ref": "Table"}, "Export": {"Name": "users-table"}}}
        });
        if extra {
            t["Resources"]["Dlq"] = json!({"Type": "AWS::SQS::Queue"});
        } else {
            t["Resources"]["Old"] = json!({"Type": "AWS::SNS::Topic"});
        }
        t
    }

    #[test]
    fn the_text_diff_reads_like_a_plan() {
        let old = stack("users", json!(["dynamodb:GetItem"]), 128, false);
        let new = stack(
            "users-v2",
            json!(["dynamodb:GetItem", "dynamodb:PutItem"]),
            256,
            true,
        );
        let facts = TableFacts(vec![
            ("AWS::DynamoDB::Table", vec!["TableName", "KeySchema"]),
            ("AWS::Lambda::Function", vec!["FunctionName"]),
            ("AWS::IAM::Role", vec!["RoleName", "Path"]),
        ]);
        let mut diff = diff_templates(&old, &new, &facts);
        reconcile(
            &mut diff,
            vec![ResourceChange {
                action: "Modify".into(),
                logical_id: "Fn".into(),
                resource_type: "AWS::Lambda::Function".into(),
                replacement: Some("False".into()),
                policy_action: None,
                scope: vec!["Properties".into()],
                details: vec![crate::cfn::model::ChangeDetail {
                    target: "Properties.Environment".into(),
                    requires_recreation: Some("Never".into()),
                    change_source: Some("ResourceReference".into()),
                    causing_entity: Some("Table".into()),
                }],
            }],
        );
        let mut out = Vec::new();
        render(&mut out, "users-api", &diff, Style::plain()).unwrap_or_default();
        insta::assert_snapshot!(String::from_utf8_lossy(&out));
        insta::assert_json_snapshot!(diff.counts(), @r#"
        {
          "added": 1,
          "updated": 2,
          "replaced": 1,
          "mayBeReplaced": 0,
          "removed": 1,
          "mayBeRemoved": 0,
          "orderingOnly": 0,
          "parameters": 0,
          "outputs": 0
        }
        "#);
    }

    /// The text and JSON of a diff of `old` → `new` with deployed and requested values.
    fn reviewed(
        old: &Value,
        new: &Value,
        deployed: Option<&[(&str, &str)]>,
        requested: &[(&str, &str)],
    ) -> (String, String, TemplateDiff) {
        use crate::cfn::model::Stack;
        use crate::diff::diff_stack;
        use crate::diff::facts::SchemaFacts;
        use crate::diff::parameters::ParameterValues;
        let stack = deployed.map(|d| Stack {
            name: "s".into(),
            id: "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1".into(),
            parameters: d
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        });
        let req = requested
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let values = ParameterValues::of(stack.as_ref(), &req);
        let diff = diff_stack(old, new, &values, &SchemaFacts);
        let mut out = Vec::new();
        render(&mut out, "s", &diff, Style::plain()).unwrap_or_default();
        let json = serde_json::to_string(&diff).unwrap_or_default();
        (String::from_utf8_lossy(&out).into_owned(), json, diff)
    }

    fn with_secret(default: &str) -> Value {
        json!({"Parameters": {"Secret": {"Type": "String", "NoEcho": true, "Default": default}},
            "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "q-${Secret}"}}}},
            "Outputs": {"O": {"Value": {"Ref": "Secret"}}}})
    }

    /// Every line break a terminal honours: LF, CR LF, VT, FF, NEL, LS, PS.
    const BREAKS: [&str; 7] = [
        "\n", "\r\n", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}",
    ];

    #[test]
    fn untrusted_text_never_starts_a_review_line() {
        // atk12b finding 3: a Description, an output value or a parameter value holding a
        // line break wrote review lines nephos did not write.
        for br in BREAKS {
            let forged = format!("x{br}[-] AWS::DynamoDB::Table Table{br}Summary: 0 to add");
            let t = |d: &str, out: &str| {
                json!({"Description": d,
                    "Parameters": {"Env": {"Type": "String"}},
                    "Resources": {"Q": {"Type": "AWS::SQS::Queue"}},
                    "Outputs": {"O": {"Value": out}, "E": {"Value": {"Ref": "Env"}}}})
            };
            let (old, new) = (t("d", "o"), t(&forged, &forged));
            let (text, _, _) = reviewed(&old, &new, Some(&[("Env", "dev")]), &[("Env", &forged)]);
            let lines: Vec<&str> = text.split('\n').collect();
            assert_eq!(
                lines.iter().filter(|l| l.starts_with("Summary:")).count(),
                1,
                "{br:?}: {text}"
            );
            assert!(
                !lines.iter().any(|l| l.starts_with("[-]")),
                "{br:?}: {text}"
            );
            assert!(
                !BREAKS.iter().any(|b| *b != "\n" && text.contains(b)),
                "{br:?}: a raw line break in {text:?}"
            );
            assert!(text.contains("Env: dev → x"), "{text}");
        }
    }

    #[test]
    fn a_no_echo_default_or_value_is_never_shown() {
        let (old, new) = (with_secret("hunter2"), with_secret("hunter3"));
        type Values<'a> = &'a [(&'a str, &'a str)];
        let cases: [(&Value, Option<Values>, Values); 4] = [
            (&old, Some(&[("Secret", "****")]), &[]),
            (&old, Some(&[("Secret", "****")]), &[("Secret", "hunter4")]),
            (&Value::Null, None, &[]),
            (&old, None, &[]),
        ];
        for (before, deployed, requested) in cases {
            let (text, json, _) = reviewed(before, &new, deployed, requested);
            for leak in ["hunter2", "hunter3", "hunter4"] {
                assert!(
                    !text.contains(leak) && !json.contains(leak),
                    "{text}\n{json}"
                );
            }
        }
        // A changed hidden default is still a change, and says so.
        let (text, ..) = reviewed(&old, &new, Some(&[("Secret", "****")]), &[]);
        assert!(
            text.contains("[~] Secret: String, NoEcho, default (hidden: NoEcho) → String, NoEcho, default (hidden: NoEcho), changed"),
            "{text}"
        );
        // Dropping NoEcho is named.
        let mut plain = with_secret("x");
        plain["Parameters"]["Secret"] = json!({"Type": "String"});
        let mut masked = plain.clone();
        masked["Parameters"]["Secret"]["NoEcho"] = json!(true);
        let (text, ..) = reviewed(&masked, &plain, Some(&[("Secret", "****")]), &[]);
        assert!(
            text.contains("[~] Secret: String, NoEcho → String (NoEcho removed"),
            "{text}"
        );
    }

    #[test]
    fn joined_strings_and_outputs_read_with_the_new_values() {
        let t = json!({"Parameters": {"Env": {"Type": "String", "Default": "dev"}},
            "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {
                "DisplayName": {"Fn::Join": ["-", [{"Ref": "Env"}, "x"]]}}}},
            "Outputs": {"E": {"Value": {"Ref": "Env"}}}});
        let (text, ..) = reviewed(&t, &t, Some(&[("Env", "dev")]), &[("Env", "prod")]);
        assert!(text.contains("DisplayName: dev-x → prod-x"), "{text}");
        assert!(text.contains("[~] E: dev → prod"), "{text}");
        // Unknown values read as `${...}` tokens in the joined string.
        let mut other = t.clone();
        other["Resources"]["T"]["Properties"]["DisplayName"] =
            json!({"Fn::Join": ["-", [{"Ref": "Env"}, "y"]]});
        let (text, ..) = reviewed(&t, &other, None, &[]);
        assert!(text.contains("DisplayName: ${Env}-x → ${Env}-y"), "{text}");
    }

    #[test]
    fn a_new_stack_names_the_resources_its_false_conditions_leave_out() {
        let t = json!({"Parameters": {"Env": {"Type": "String", "Default": "prod"}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            "Resources": {"ProdTable": {"Type": "AWS::DynamoDB::Table", "Condition": "IsProd"},
                "Q": {"Type": "AWS::SQS::Queue"}}});
        let (text, _, diff) = reviewed(&Value::Null, &t, None, &[("Env", "dev")]);
        assert_eq!(diff.counts().added, 1, "{text}");
        assert!(
            text.contains(
                "[ ] AWS::DynamoDB::Table ProdTable: not created (condition IsProd is false)"
            ),
            "{text}"
        );
        let (_, _, diff) = reviewed(&Value::Null, &t, None, &[]);
        assert_eq!(diff.counts().added, 2, "the default prod creates it");
    }

    #[test]
    fn a_transform_and_types_without_facts_are_said_plainly() {
        let t = |name: &str| {
            json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"St": {
                "Type": "AWS::Serverless::SimpleTable", "Properties": {"TableName": name}}}})
        };
        let (text, json, diff) = reviewed(&t("a"), &t("b"), None, &[]);
        assert!(
            text.contains("[!] Transform AWS::Serverless-2016-10-31: CloudFormation expands this template at deploy time"),
            "{text}"
        );
        assert!(
            json.contains(r#""transform":"AWS::Serverless-2016-10-31""#),
            "{json}"
        );
        assert!(
            text.contains("[~] AWS::Serverless::SimpleTable St (may replace: no replacement facts for AWS::Serverless::SimpleTable)"),
            "{text}"
        );
        assert_eq!(
            (diff.counts().may_be_replaced, diff.counts().updated),
            (1, 0)
        );
    }

    #[test]
    fn a_reader_of_a_replaced_resource_says_why_it_may_change() {
        let t = |topic: &str| {
            json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": topic}},
                "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": {"Fn::GetAtt": "Topic.TopicName"}}}}})
        };
        let (text, ..) = reviewed(&t("a"), &t("b"), None, &[]);
        assert!(
            text.contains("TableName: ${Topic.TopicName} (may replace: reads Topic, which is replaced, so its new value is unknown until deploy)"),
            "{text}"
        );
        assert!(
            text.contains("⚠ data loss: Table (AWS::DynamoDB::Table) may be replaced"),
            "{text}"
        );
    }
}
