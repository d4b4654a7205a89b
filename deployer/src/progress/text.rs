//! Plain text: one line per event, the review as a diff, the outcome root cause first.

use std::io::{self, Write};

use jiff::tz::TimeZone;

use crate::cfn::model::StackEvent;
use crate::cfn::status::StatusClass;
use crate::deploy::outcome::Outcome;
use crate::deploy::report::{Reporter, Review};
use crate::diff::render::render;
use crate::output::escape::escape_line;
use crate::output::style::Style;
use crate::progress::board::local_time;

/// Writes reports as text lines; event times in a time zone, labelled (the system's:
/// the issue's "event times are local and labelled"; `--output json` keeps RFC 3339 UTC).
pub struct TextReporter<'w> {
    out: &'w mut dyn Write,
    style: Style,
    tz: TimeZone,
}

impl<'w> TextReporter<'w> {
    /// A reporter writing to `out`, times in the system's time zone.
    pub fn new(out: &'w mut dyn Write, style: Style) -> Self {
        Self::with_zone(out, style, TimeZone::system())
    }

    /// A reporter writing to `out`, times in `tz` (tests fix it).
    pub fn with_zone(out: &'w mut dyn Write, style: Style, tz: TimeZone) -> Self {
        Self { out, style, tz }
    }
}

/// One event line: `time zone  stack  STATUS  Type  LogicalId  reason`, the time
/// `HH:MM:SS` in `tz` with the zone's label (`14:03:22 CET`).
///
/// # Example
/// ```
/// use nephos_cli::cfn::model::StackEvent;
/// use nephos_cli::cfn::status::ResourceStatus;
/// use nephos_cli::output::style::Style;
/// use nephos_cli::progress::text::event_line;
/// let e = StackEvent {
///     timestamp: "2026-12-01T12:00:05Z".into(),
///     logical_id: "Table".into(),
///     resource_type: "AWS::DynamoDB::Table".into(),
///     status: ResourceStatus::CreateComplete,
///     ..StackEvent::default()
/// };
/// let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(1));
/// assert!(event_line("api", &e, Style::plain(), &tz).starts_with("13:00:05 +01:00  api  CREATE_COMPLETE"));
/// ```
pub fn event_line(stack: &str, e: &StackEvent, style: Style, tz: &TimeZone) -> String {
    let text = e.status.as_str();
    let status = match e.status.class() {
        StatusClass::Failed => style.red(text),
        StatusClass::Complete => style.green(text),
        StatusClass::Rollback => style.yellow(text),
        StatusClass::InProgress | StatusClass::Other => text.to_owned(),
    };
    let reason = e
        .reason
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|r| format!("  {}", style.dim(&escape_line(r))))
        .unwrap_or_default();
    format!(
        "{}  {stack}  {status}  {}  {}{reason}",
        local_time(&e.timestamp, tz),
        escape_line(&e.resource_type),
        escape_line(&e.logical_id)
    )
}

/// Writes a review: the change set, capabilities, then the diff.
pub fn write_review(out: &mut dyn Write, r: &Review, style: Style) -> io::Result<()> {
    let kind = match r.kind {
        crate::cfn::model::ChangeSetType::Create => "create",
        crate::cfn::model::ChangeSetType::Update => "update",
    };
    render(
        out,
        &format!("{} ({kind}, change set {})", r.stack, r.change_set),
        &r.diff,
        style,
    )?;
    if !r.capabilities.is_empty() {
        writeln!(out, "Capabilities: {}", r.capabilities.join(", "))?;
    }
    if r.needs_approval {
        writeln!(out, "{}", style.yellow("These changes need approval."))?;
    }
    Ok(())
}

/// Writes an outcome, root cause first for failures.
pub fn write_outcome(out: &mut dyn Write, o: &Outcome, style: Style) -> io::Result<()> {
    let ok = style.green("✓");
    let bad = style.red("✗");
    match o {
        Outcome::NoChanges {
            stack,
            skipped_locally: true,
            ..
        } => {
            writeln!(
                out,
                "{ok} {stack}: no changes (template, parameters and tags unchanged; nothing sent)"
            )
        }
        Outcome::NoChanges {
            stack,
            skipped_locally: false,
            discarded,
        } => {
            let why = match discarded {
                Some(d) if d.deleted => "the empty change set was deleted".to_owned(),
                Some(d) => format!("the empty {}", d.words()),
                None => "CloudFormation found nothing to change".to_owned(),
            };
            writeln!(out, "{ok} {stack}: no changes ({why})")
        }
        Outcome::Deployed {
            stack,
            status,
            outputs,
            elapsed,
        } => {
            writeln!(
                out,
                "{ok} {stack}: {status} in {:.1}s",
                elapsed.as_secs_f64()
            )?;
            if !outputs.is_empty() {
                writeln!(out, "Outputs")?;
                for o in outputs {
                    let export = o
                        .export_name
                        .as_deref()
                        .map(|e| format!("  (export {})", escape_line(e)))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  {} = {}{export}",
                        escape_line(&o.key),
                        escape_line(&o.value)
                    )?;
                }
            }
            Ok(())
        }
        Outcome::Destroyed { stack, retained } => {
            writeln!(out, "{ok} {stack}: destroyed")?;
            if !retained.is_empty() {
                writeln!(out, "  retained (DeletionPolicy): {}", retained.join(", "))?;
            }
            Ok(())
        }
        Outcome::ChangeSetLeft { stack, change_set } => writeln!(
            out,
            "• {stack}: change set {change_set} left for review; execute it with `nephos deploy {stack} --change-set {change_set}`"
        ),
        Outcome::Refused {
            stack,
            reason,
            next_step,
            discarded,
        } => {
            let fate = discarded
                .as_ref()
                .map(|d| format!(" ({})", d.words()))
                .unwrap_or_default();
            writeln!(out, "{bad} {stack}: {reason}{fate}")?;
            writeln!(out, "  next: {next_step}")
        }
        Outcome::DataLossRefused {
            stack,
            risks,
            deleted_change_set,
        } => {
            let cleanup = deleted_change_set
                .as_deref()
                .map(|cs| format!(" (change set {cs} deleted)"))
                .unwrap_or_default();
            writeln!(
                out,
                "{bad} {stack}: refused: these changes would lose data; the stack was not changed{cleanup}"
            )?;
            for r in risks {
                writeln!(out, "  - {}", r.describe())?;
            }
            writeln!(out, "  next: {}", allow_hint(risks))
        }
        Outcome::Interrupted {
            stack,
            status,
            cancelled,
            resume,
            discarded,
        } => {
            let what = if *cancelled {
                "stopped waiting and cancelled the update"
            } else {
                "stopped waiting"
            };
            let fate = discarded
                .as_ref()
                .map(|d| format!("; {}", d.words()))
                .unwrap_or_default();
            writeln!(out, "⏸ {stack}: {what} (status {status}{fate})")?;
            writeln!(out, "  resume: {resume}")
        }
        Outcome::Failed(f) => {
            if f.status.starts_with("change set") {
                writeln!(
                    out,
                    "{bad} {}: failed, the {}",
                    f.stack,
                    style.red(&f.status)
                )?;
            } else {
                writeln!(
                    out,
                    "{bad} {}: failed, stack is {}",
                    f.stack,
                    style.red(&f.status)
                )?;
            }
            if let Some(e) = &f.root_cause {
                writeln!(
                    out,
                    "  root cause: {} ({}) {}: {}",
                    escape_line(&e.logical_id),
                    escape_line(&e.resource_type),
                    e.status,
                    escape_line(e.reason.as_deref().unwrap_or("no reason given"))
                )?;
            }
            for e in &f.other_failures {
                writeln!(
                    out,
                    "  also failed: {} ({}) {}: {}",
                    escape_line(&e.logical_id),
                    escape_line(&e.resource_type),
                    e.status,
                    escape_line(e.reason.as_deref().unwrap_or(""))
                )?;
            }
            if f.cancelled > 0 {
                writeln!(
                    out,
                    "  {} more resource(s) were cancelled as a consequence",
                    f.cancelled
                )?;
            }
            if let Some(r) = &f.stack_reason {
                writeln!(out, "  stack reason: {}", escape_line(r))?;
            }
            writeln!(out, "  next: {}", f.next_step)
        }
    }
}

/// How to allow refused data-loss risks: one `--allow-replace` per resource, or all.
pub fn allow_hint(risks: &[crate::diff::data_loss::DataLoss]) -> String {
    let mut ids: Vec<&str> = risks.iter().map(|r| r.logical_id.as_str()).collect();
    ids.dedup();
    let flags: Vec<String> = ids.iter().map(|i| format!("--allow-replace {i}")).collect();
    format!(
        "if this is intended, rerun with {} (one per resource) or --allow-data-loss (all of them); otherwise keep the deployed logical IDs and create-only property values",
        flags.join(" ")
    )
}

impl Reporter for TextReporter<'_> {
    fn notice(&mut self, stack: &str, text: &str) {
        let _ = writeln!(self.out, "{stack}: {text}");
    }

    fn review(&mut self, review: &Review) {
        let _ = write_review(self.out, review, self.style);
    }

    fn started(&mut self, stack: &str, operation: &str, total: usize) {
        let _ = writeln!(self.out, "{stack}: {operation} started ({total} resources)");
    }

    fn event(&mut self, stack: &str, event: &StackEvent) {
        let _ = writeln!(
            self.out,
            "{}",
            event_line(stack, event, self.style, &self.tz)
        );
    }

    fn outcome(&mut self, outcome: &Outcome) {
        let _ = write_outcome(self.out, outcome, self.style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::status::ResourceStatus;
    use crate::progress::json::JsonReporter;

    fn event() -> StackEvent {
        StackEvent {
            id: "e1".into(),
            timestamp: "2026-12-01T23:30:05Z".into(),
            logical_id: "Table".into(),
            resource_type: "AWS::DynamoDB::Table".into(),
            status: ResourceStatus::CreateFailed,
            reason: Some("boom".into()),
        }
    }

    #[test]
    fn plain_event_times_are_in_the_zone_and_labelled_and_json_stays_utc() {
        let mut out = Vec::new();
        {
            let tz = TimeZone::fixed(jiff::tz::offset(2));
            let mut r = TextReporter::with_zone(&mut out, Style::plain(), tz);
            r.event("api", &event());
        }
        let text = String::from_utf8_lossy(&out);
        // 23:30 UTC is 01:30 the next day at +02:00.
        assert_eq!(
            text,
            "01:30:05 +02:00  api  CREATE_FAILED  AWS::DynamoDB::Table  Table  boom\n"
        );
        let mut out = Vec::new();
        JsonReporter::new(&mut out).event("api", &event());
        let json = String::from_utf8_lossy(&out);
        assert!(
            json.contains(r#""timestamp":"2026-12-01T23:30:05Z""#),
            "{json}"
        );
    }

    #[test]
    fn a_named_zone_is_labelled_with_its_abbreviation() {
        let Ok(tz) = TimeZone::get("Europe/Paris") else {
            // No time zone database on this machine: the fixed-offset test covers the rest.
            return;
        };
        let line = event_line("api", &event(), Style::plain(), &tz);
        assert!(line.starts_with("00:30:05 CET  api"), "{line}");
    }
}
