//! What the live view shows while a stack operation runs, as a pure function of the events
//! seen: a count line, the resources in progress (since when) and the failed ones with
//! CloudFormation's reasons, times in the local time zone with its label.
//!
//! The lines are drawn by the progress bar straight to the terminal, past the escaping
//! writer, so every text from AWS is escaped here.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::cfn::model::StackEvent;
use crate::cfn::status::ResourceStatus;
use crate::output::escape::escape_line;

/// How many resources in progress, and how many failed ones, are listed (then "and N
/// more"): a stack of 500 resources must not scroll the terminal away.
pub const MAX_LISTED: usize = 10;

/// The longest reason shown, in characters (the rest is cut, with an ellipsis).
pub const MAX_REASON_CHARS: usize = 200;

/// One resource's latest event.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tracked {
    resource_type: String,
    status: ResourceStatus,
    /// When the resource entered its status (RFC 3339, from the event).
    since: String,
    reason: Option<String>,
}

/// The state of one stack operation, from its events.
#[derive(Clone, Debug, Default)]
pub struct Board {
    stack: String,
    total: usize,
    resources: BTreeMap<String, Tracked>,
}

impl Board {
    /// An operation on `stack` touching `total` resources.
    pub fn new(stack: &str, total: usize) -> Self {
        Self {
            stack: stack.to_owned(),
            total,
            resources: BTreeMap::new(),
        }
    }

    /// Takes an event in (stack-level events only show as lines, not here).
    pub fn apply(&mut self, e: &StackEvent) {
        if e.is_stack_event() {
            return;
        }
        self.resources.insert(
            e.logical_id.clone(),
            Tracked {
                resource_type: e.resource_type.clone(),
                status: e.status.clone(),
                since: e.timestamp.clone(),
                reason: e.reason.clone().filter(|r| !r.is_empty()),
            },
        );
    }

    /// The lines to draw, times shown in `tz`.
    ///
    /// # Example
    /// ```
    /// use nephos_cli::progress::board::Board;
    /// let b = Board::new("api", 3);
    /// let lines = b.render(&jiff::tz::TimeZone::UTC);
    /// assert_eq!(lines, ["api: 3 pending, 0 in progress, 0 done, 0 failed"]);
    /// ```
    pub fn render(&self, tz: &TimeZone) -> Vec<String> {
        let running: Vec<(&String, &Tracked)> = self
            .resources
            .iter()
            .filter(|(_, t)| t.status.is_running() && !t.status.is_failed())
            .collect();
        let failed: Vec<(&String, &Tracked)> = self
            .resources
            .iter()
            .filter(|(_, t)| t.status.is_failed())
            .collect();
        let done = self.resources.len() - running.len() - failed.len();
        let pending = self.total.saturating_sub(self.resources.len());
        let mut lines = vec![format!(
            "{}: {pending} pending, {} in progress, {done} done, {} failed",
            escape_line(&self.stack),
            running.len(),
            failed.len()
        )];
        list(&mut lines, &running, |id, t| {
            format!(
                "  in progress  {}  {}  since {}",
                escape_line(id),
                escape_line(&t.resource_type),
                local_time(&t.since, tz)
            )
        });
        list(&mut lines, &failed, |id, t| {
            format!(
                "  failed  {}  {}  {}  {}",
                escape_line(id),
                escape_line(&t.resource_type),
                local_time(&t.since, tz),
                t.reason
                    .as_deref()
                    .map_or_else(|| "(no reason given)".to_owned(), reason)
            )
        });
        lines
    }
}

fn list(
    lines: &mut Vec<String>,
    items: &[(&String, &Tracked)],
    line: impl Fn(&str, &Tracked) -> String,
) {
    for (id, t) in items.iter().take(MAX_LISTED) {
        lines.push(line(id, t));
    }
    if items.len() > MAX_LISTED {
        lines.push(format!("  and {} more", items.len() - MAX_LISTED));
    }
}

fn reason(r: &str) -> String {
    let r = escape_line(r);
    if r.chars().count() > MAX_REASON_CHARS {
        format!("{}…", r.chars().take(MAX_REASON_CHARS).collect::<String>())
    } else {
        r.into_owned()
    }
}

/// An event time (RFC 3339) as `HH:MM:SS` in `tz`, labelled with the zone's abbreviation
/// (`14:03:22 CET`), or with its offset when it has none; text that is not a time is shown
/// escaped, as it came.
///
/// # Example
/// ```
/// use nephos_cli::progress::board::local_time;
/// let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(2));
/// assert_eq!(local_time("2026-12-01T12:00:05Z", &tz), "14:00:05 +02:00");
/// ```
pub fn local_time(ts: &str, tz: &TimeZone) -> String {
    let Ok(t) = ts.parse::<Timestamp>() else {
        return escape_line(ts).into_owned();
    };
    let zoned = t.to_zoned(tz.clone());
    let abbreviation = tz.to_offset_info(t).abbreviation().to_owned();
    let label = if abbreviation.is_empty() || abbreviation.starts_with(['+', '-']) {
        zoned.strftime("%:z").to_string()
    } else {
        abbreviation
    };
    format!("{} {label}", zoned.strftime("%H:%M:%S"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: u32, id: &str, status: ResourceStatus, reason: Option<&str>) -> StackEvent {
        StackEvent {
            id: format!("e{s}"),
            timestamp: format!("2026-12-01T12:00:{s:02}Z"),
            logical_id: id.into(),
            resource_type: if id == "api" {
                "AWS::CloudFormation::Stack"
            } else {
                "AWS::SQS::Queue"
            }
            .into(),
            status,
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn in_progress_and_failed_resources_are_listed_with_local_labelled_times() {
        let mut b = Board::new("api", 4);
        for e in [
            ev(1, "api", ResourceStatus::UpdateInProgress, None),
            ev(2, "Queue", ResourceStatus::CreateInProgress, None),
            ev(3, "Table", ResourceStatus::UpdateInProgress, None),
            ev(4, "Table", ResourceStatus::UpdateComplete, None),
            ev(
                5,
                "Bad",
                ResourceStatus::CreateFailed,
                Some("Resource handler returned message: \u{1b}[2Jno"),
            ),
        ] {
            b.apply(&e);
        }
        let tz = TimeZone::fixed(jiff::tz::offset(1));
        assert_eq!(
            b.render(&tz),
            [
                "api: 1 pending, 1 in progress, 1 done, 1 failed",
                "  in progress  Queue  AWS::SQS::Queue  since 13:00:02 +01:00",
                "  failed  Bad  AWS::SQS::Queue  13:00:05 +01:00  Resource handler returned message: \\x1b[2Jno",
            ]
        );
        // A resource that settles leaves the in-progress list.
        b.apply(&ev(6, "Queue", ResourceStatus::CreateComplete, None));
        let lines = b.render(&TimeZone::UTC);
        assert_eq!(lines[0], "api: 1 pending, 0 in progress, 2 done, 1 failed");
        assert_eq!(
            lines[1],
            "  failed  Bad  AWS::SQS::Queue  12:00:05 UTC  Resource handler returned message: \\x1b[2Jno"
        );
    }

    #[test]
    fn long_lists_and_reasons_are_bounded() {
        let mut b = Board::new("api", 30);
        for i in 0..(MAX_LISTED as u32 + 3) {
            b.apply(&ev(
                i,
                &format!("Q{i:02}"),
                ResourceStatus::CreateInProgress,
                None,
            ));
        }
        b.apply(&ev(
            40,
            "Bad",
            ResourceStatus::CreateFailed,
            Some(&"x".repeat(1000)),
        ));
        let lines = b.render(&TimeZone::UTC);
        assert_eq!(lines.len(), 1 + MAX_LISTED + 1 + 1);
        assert_eq!(lines[MAX_LISTED + 1], "  and 3 more");
        assert!(lines[MAX_LISTED + 2].ends_with(&format!("{}…", "x".repeat(MAX_REASON_CHARS))));
        assert_eq!(
            local_time("not a time\u{7}", &TimeZone::UTC),
            "not a time\\x07"
        );
    }
}
