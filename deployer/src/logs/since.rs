//! `--since`: where the events start, as a duration back from now (`30s`, `10m`, `2h`,
//! `1d`, `1w`, `500ms`, `1h30m`: [`crate::cli::duration`]) or a time (RFC 3339 / ISO 8601
//! with its offset, e.g. `2026-12-02T09:30:00Z` or `2026-12-02T10:30:00+01:00`).

use std::time::Duration;

use jiff::Timestamp;

use crate::cli::duration::parse_duration;
use crate::output::escape::escape_line;

/// The longest `--since`: CloudWatch Logs keeps events at most 10 years (its longest
/// retention setting, 3653 days).
pub const MAX_SINCE: Duration = Duration::from_secs(3653 * 24 * 3600);

/// Where `--since` starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Since {
    /// This long before the command runs.
    Ago(Duration),
    /// At this time.
    At(Timestamp),
}

impl Since {
    /// The start, in milliseconds since the Unix epoch, for a command run at `now_ms`;
    /// never before the epoch.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use nephos_cli::logs::since::Since;
    /// assert_eq!(Since::Ago(Duration::from_secs(60)).start_ms(100_000), 40_000);
    /// ```
    pub fn start_ms(&self, now_ms: i64) -> i64 {
        match self {
            Self::Ago(d) => now_ms.saturating_sub(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            Self::At(t) => t.as_millisecond(),
        }
        .max(0)
    }
}

/// Parses `--since`, judged against the current time.
///
/// # Errors
/// As [`parse_since_at`].
pub fn parse_since(s: &str) -> Result<Since, String> {
    parse_since_at(s, Timestamp::now())
}

/// Parses `--since` as of `now`: a duration of at most [`MAX_SINCE`], or a time with its
/// offset that is not after `now` and not more than [`MAX_SINCE`] before it.
///
/// # Errors
/// Neither a duration nor a time (naming both forms), a time without an offset, in the
/// future, or further back than CloudWatch Logs keeps events.
///
/// # Example
/// ```
/// use nephos_cli::logs::since::{Since, parse_since_at};
/// let now: jiff::Timestamp = "2026-12-02T12:00:00Z".parse().unwrap();
/// assert_eq!(parse_since_at("10m", now).unwrap(), Since::Ago(std::time::Duration::from_secs(600)));
/// assert!(matches!(parse_since_at("2026-12-02T11:00:00Z", now), Ok(Since::At(_))));
/// assert!(parse_since_at("2026-12-02T13:00:00Z", now).is_err());
/// ```
pub fn parse_since_at(s: &str, now: Timestamp) -> Result<Since, String> {
    let text = s.trim();
    let shown = escape_line(s);
    // A time has a date first; a duration never starts with four digits and a dash.
    let looks_like_time = text.len() >= 5
        && text.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && text.as_bytes()[4] == b'-';
    if !looks_like_time {
        return parse_duration(text, MAX_SINCE)
            .map(Since::Ago)
            .map_err(|why| {
                format!(
                    "{why}; or a time with its offset, e.g. 2026-12-02T09:30:00Z (more than {} days back is longer than CloudWatch Logs keeps events)",
                    MAX_SINCE.as_secs() / 86_400
                )
            });
    }
    let at: Timestamp = text.parse().map_err(|_| {
        format!(
            "`{shown}` is not a time nephos reads: RFC 3339 with its offset, e.g. 2026-12-02T09:30:00Z or 2026-12-02T10:30:00+01:00 (a time without an offset could be in any zone)"
        )
    })?;
    if at > now {
        return Err(format!(
            "`{shown}` is in the future (it is {now} now): give a time before now, or a duration back from now, e.g. 10m"
        ));
    }
    let earliest = now
        .checked_sub(jiff::SignedDuration::from_secs(MAX_SINCE.as_secs() as i64))
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .max(Timestamp::UNIX_EPOCH);
    if at < earliest {
        return Err(format!(
            "`{shown}` is before {earliest}: CloudWatch Logs keeps events at most {} days, and none before 1970",
            MAX_SINCE.as_secs() / 86_400
        ));
    }
    Ok(Since::At(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-02T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn durations_in_the_units_people_type() {
        for (text, secs) in [("30s", 30), ("2h", 7200), ("1d", 86_400), ("1w", 604_800)] {
            assert_eq!(
                parse_since_at(text, now()),
                Ok(Since::Ago(Duration::from_secs(secs))),
                "{text}"
            );
        }
        assert_eq!(
            parse_since_at("1500ms", now()),
            Ok(Since::Ago(Duration::from_millis(1500)))
        );
    }

    #[test]
    fn times_with_an_offset_within_what_cloudwatch_keeps() {
        let Ok(Since::At(at)) = parse_since_at("2026-12-02T10:30:00+01:00", now()) else {
            panic!("not read as a time")
        };
        assert_eq!(at.to_string(), "2026-12-02T09:30:00Z");
        assert_eq!(
            Since::At(at).start_ms(0),
            at.as_millisecond(),
            "a time does not depend on when the command runs"
        );
        for (bad, why) in [
            ("2026-12-02T12:00:01Z", "in the future"),
            ("2026-12-02T09:30:00", "without an offset"),
            ("2026-12-02", "without an offset"),
            ("1969-12-31T23:59:59Z", "before"),
            ("2010-01-01T00:00:00Z", "before"),
            ("2999-01-01T00:00:00Z", "in the future"),
        ] {
            let e = parse_since_at(bad, now()).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn what_is_neither_is_refused_naming_both_forms() {
        for bad in [
            "",
            "m",
            "10",
            "10 m x",
            "-5m",
            "4000d",
            "99999999999999999999m",
        ] {
            let e = parse_since_at(bad, now()).unwrap_err();
            assert!(e.contains("2026-12-02T09:30:00Z"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn the_start_is_never_before_the_epoch() {
        assert_eq!(Since::Ago(MAX_SINCE).start_ms(1000), 0);
    }
}
