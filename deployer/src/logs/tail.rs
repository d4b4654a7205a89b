//! Reading a log group's events, page by page and bounded, once or following.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use crate::cfn::error::CfnError;
use crate::cfn::logs::{LogEvent, LogQuery, LogReader};
use crate::deploy::interrupt::Interrupt;
use crate::output::escape::escape_line;

/// The most pages one read takes (FilterLogEvents answers up to 10,000 events or 1 MB a
/// page); past it the read stops and says so, rather than paging without end.
pub const MAX_PAGES: usize = 100;

/// The most events one read shows.
pub const MAX_EVENTS: usize = 10_000;

/// How often `--follow` asks for new events.
pub const FOLLOW_EVERY: Duration = Duration::from_secs(2);

/// What one read found.
#[derive(Debug, Default)]
pub struct Read {
    /// The events, oldest first.
    pub events: Vec<LogEvent>,
    /// Whether the log group does not exist (yet).
    pub missing: bool,
    /// Whether a bound stopped the read before its last page.
    pub cut: bool,
}

/// Reads every event of `query` (to the bounds).
///
/// # Errors
/// A failed call.
pub async fn read(reader: &dyn LogReader, query: &LogQuery) -> Result<Read, CfnError> {
    let mut out = Read::default();
    let mut token = None;
    for _ in 0..MAX_PAGES {
        let Some(page) = reader.filter_events(query, token.take()).await? else {
            out.missing = true;
            return Ok(out);
        };
        out.events.extend(page.events);
        if out.events.len() >= MAX_EVENTS {
            out.events.truncate(MAX_EVENTS);
            out.cut = true;
            return Ok(out);
        }
        match page.next {
            // A token equal to the one just used would repeat the page for ever.
            Some(next) => token = Some(next),
            None => return Ok(out),
        }
    }
    out.cut = true;
    Ok(out)
}

/// How events are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Render {
    /// `2026-12-01T13:20:03.123Z stream message`, one line per event.
    Text,
    /// One JSON object per line.
    JsonLines,
}

/// Writes `events` to `out`: every message escaped and kept on one line.
///
/// # Errors
/// A failed write.
pub fn write_events(
    out: &mut dyn Write,
    events: &[LogEvent],
    render: Render,
) -> std::io::Result<()> {
    for e in events {
        // Lambda ends each line it forwards with a newline; it is not part of the message.
        let message = e.message.strip_suffix('\n').unwrap_or(&e.message);
        match render {
            Render::Text => writeln!(
                out,
                "{} {} {}",
                utc_timestamp(e.timestamp_ms),
                escape_line(&e.stream),
                escape_line(message)
            )?,
            Render::JsonLines => writeln!(
                out,
                "{}",
                serde_json::json!({
                    "timestamp": utc_timestamp(e.timestamp_ms),
                    "stream": e.stream,
                    "message": message,
                })
            )?,
        }
    }
    Ok(())
}

/// How far behind the newest event shown a follow reads again: CloudWatch Logs takes an
/// event whenever it is delivered, and Lambda writes one stream per sandbox, so an event of
/// another stream can arrive seconds after a newer one was shown (`aws logs tail --follow`
/// reads again too). Events already shown are skipped by id.
pub const LATE_EVENTS_MS: i64 = 60_000;

/// Where a follow is in a log group: the next read's start, and the ids of the events
/// shown since then (a read from `start_ms` returns them again).
#[derive(Clone, Debug)]
pub struct Cursor {
    query: LogQuery,
    /// The start the follow was asked for: never read before it.
    first_ms: i64,
    /// The newest event's time shown so far.
    newest_ms: Option<i64>,
    /// Ids of the events shown at or after `query.start_ms`, with their times.
    shown: HashMap<String, i64>,
}

impl Cursor {
    /// A cursor at `query`'s start.
    pub fn new(query: LogQuery) -> Self {
        Self {
            first_ms: query.start_ms,
            query,
            newest_ms: None,
            shown: HashMap::new(),
        }
    }

    /// The log group read.
    pub fn group(&self) -> &str {
        &self.query.group
    }

    /// Reads the events not shown yet (to [`read`]'s bounds) and moves the start to
    /// [`LATE_EVENTS_MS`] before the newest one; a group that does not exist yet has none.
    ///
    /// # Errors
    /// A failed call.
    pub async fn poll(&mut self, reader: &dyn LogReader) -> Result<Vec<LogEvent>, CfnError> {
        let found = read(reader, &self.query).await?;
        let fresh: Vec<LogEvent> = found
            .events
            .iter()
            .filter(|e| !self.shown.contains_key(&e.id))
            .cloned()
            .collect();
        self.shown
            .extend(fresh.iter().map(|e| (e.id.clone(), e.timestamp_ms)));
        if let Some(newest) = found.events.iter().map(|e| e.timestamp_ms).max() {
            self.newest_ms = Some(self.newest_ms.map_or(newest, |n| n.max(newest)));
        }
        if let Some(newest) = self.newest_ms {
            // A read cut by the bounds must still move on, or it would read the same
            // oldest events for ever: then the start is the newest event it reached.
            let start = if found.cut {
                newest
            } else {
                newest.saturating_sub(LATE_EVENTS_MS)
            };
            self.query.start_ms = self.query.start_ms.max(start).max(self.first_ms);
            let from = self.query.start_ms;
            self.shown.retain(|_, ms| *ms >= from);
        }
        Ok(fresh)
    }
}

/// Follows `query`: writes what is there, then asks again every [`FOLLOW_EVERY`] until
/// `interrupt` stops waiting (Ctrl-C or `--timeout`), never writing an event twice.
///
/// # Errors
/// A failed call or write.
pub async fn follow(
    reader: &dyn LogReader,
    query: LogQuery,
    out: &mut dyn Write,
    render: Render,
    interrupt: &Interrupt,
    every: Duration,
) -> crate::error::Result<()> {
    let mut cursor = Cursor::new(query);
    // `--timeout` bounds a follow as it bounds any other wait.
    let _waiting = interrupt.waiting();
    loop {
        let fresh = cursor
            .poll(reader)
            .await
            .map_err(|e| e.in_call(None, "FilterLogEvents"))?;
        write_events(out, &fresh, render)?;
        out.flush()?;
        if interrupt.sleep(every).await {
            return Ok(());
        }
    }
}

/// `ms` since the Unix epoch as an RFC 3339 UTC time with milliseconds.
///
/// # Example
/// ```
/// use nephos_cli::logs::tail::utc_timestamp;
/// assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00.000Z");
/// assert_eq!(utc_timestamp(1_796_131_203_123), "2026-12-01T13:20:03.123Z");
/// ```
pub fn utc_timestamp(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let day_secs = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        day_secs / 3600,
        day_secs % 3600 / 60,
        day_secs % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01: counted in 400-year eras of
/// 146,097 days, with years starting on 1 March so the leap day ends a year.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468; // days from 0000-03-01
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153; // month from March = 0
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::logs::LogPage;
    use async_trait::async_trait;
    use std::sync::Mutex;

    /// Answers scripted pages in order; counts the calls.
    struct Scripted(Mutex<Vec<Option<LogPage>>>, Mutex<Vec<LogQuery>>);

    #[async_trait]
    impl LogReader for Scripted {
        async fn filter_events(
            &self,
            query: &LogQuery,
            _token: Option<String>,
        ) -> Result<Option<LogPage>, CfnError> {
            self.1.lock().unwrap().push(query.clone());
            let mut pages = self.0.lock().unwrap();
            Ok(if pages.is_empty() {
                Some(LogPage::default())
            } else {
                pages.remove(0)
            })
        }
    }

    fn event(ms: i64, id: &str, msg: &str) -> LogEvent {
        LogEvent {
            timestamp_ms: ms,
            stream: "s".into(),
            message: msg.into(),
            id: id.into(),
        }
    }

    fn query() -> LogQuery {
        LogQuery {
            group: "/aws/lambda/f".into(),
            start_ms: 0,
            pattern: None,
        }
    }

    #[tokio::test]
    async fn an_endless_token_chain_stops_at_the_page_bound() {
        struct Endless;
        #[async_trait]
        impl LogReader for Endless {
            async fn filter_events(
                &self,
                _: &LogQuery,
                _: Option<String>,
            ) -> Result<Option<LogPage>, CfnError> {
                Ok(Some(LogPage {
                    events: vec![event(1, "a", "x")],
                    next: Some("again".into()),
                }))
            }
        }
        let r = read(&Endless, &query()).await.unwrap();
        assert!(r.cut);
        assert_eq!(r.events.len(), MAX_PAGES);
    }

    #[tokio::test]
    async fn following_never_repeats_an_event_and_moves_the_start() {
        let pages = vec![
            Some(LogPage {
                events: vec![event(5, "a", "one\n"), event(7, "b", "two")],
                next: None,
            }),
            // The start time is inclusive: `b` comes again, with a new event at the same time.
            Some(LogPage {
                events: vec![event(7, "b", "two"), event(7, "c", "three")],
                next: None,
            }),
        ];
        let reader = Scripted(Mutex::new(pages), Mutex::new(Vec::new()));
        let interrupt = Interrupt::new();
        interrupt.limit_waiting(Duration::from_millis(120));
        let mut out = Vec::new();
        follow(
            &reader,
            query(),
            &mut out,
            Render::Text,
            &interrupt,
            Duration::from_millis(20),
        )
        .await
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].ends_with(" s one") && lines[2].ends_with(" s three"),
            "{text}"
        );
        let queries = reader.1.lock().unwrap();
        assert!(queries.len() >= 2 && queries[1].start_ms == 0);
    }

    /// atk15 D: an event delivered after a newer one (another stream, ingestion delay) is
    /// still shown, once; the start moves on behind the newest event.
    #[tokio::test]
    async fn an_event_that_arrives_after_a_newer_one_is_shown_once() {
        let base = 10 * LATE_EVENTS_MS;
        let new = event(base, "new", "NEW-first");
        let late = event(base - 5_000, "late", "LATE-by-5s");
        let pages = vec![
            Some(LogPage {
                events: vec![new.clone()],
                next: None,
            }),
            Some(LogPage {
                events: vec![late.clone(), new.clone()],
                next: None,
            }),
            Some(LogPage {
                events: vec![late, new],
                next: None,
            }),
        ];
        let reader = Scripted(Mutex::new(pages), Mutex::new(Vec::new()));
        let mut cursor = Cursor::new(query());
        let mut shown = Vec::new();
        for _ in 0..4 {
            shown.extend(cursor.poll(&reader).await.unwrap());
        }
        let ids: Vec<&str> = shown.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["new", "late"]);
        let queries = reader.1.lock().unwrap();
        assert_eq!(queries[1].start_ms, base - LATE_EVENTS_MS);
        assert_eq!(queries.last().unwrap().start_ms, base - LATE_EVENTS_MS);
    }

    #[test]
    fn messages_stay_on_one_line_and_escaped() {
        let mut out = Vec::new();
        write_events(&mut out, &[event(0, "a", "x\x1b[2Jy\nz\n")], Render::Text).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "1970-01-01T00:00:00.000Z s x\\x1b[2Jy\\x0az\n");
    }

    #[test]
    fn dates_across_leap_years() {
        assert_eq!(utc_timestamp(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(utc_timestamp(-1), "1969-12-31T23:59:59.999Z");
    }
}
