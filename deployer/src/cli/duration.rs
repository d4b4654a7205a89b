//! Durations as CDK, SAM and rain users type them: a number and a unit (`500ms`, `30s`,
//! `10m`, `2h`, `1d`, `1w`), units combined (`1h30m`), or ISO 8601 (`PT10M`). Parsed by
//! `jiff` (its "friendly" and ISO 8601 duration formats); days and weeks count as 24 hours
//! and 7 days (months and years have no fixed length and are refused).

use std::time::Duration;

use jiff::{SignedDuration, Span, SpanRelativeTo};

use crate::output::escape::escape_line;

/// The units, as said in errors and `--help`.
pub const UNITS: &str =
    "a number and a unit: ms, s, m, h, d or w (e.g. 500ms, 30s, 10m, 2h, 1d, 1w, or 1h30m)";

/// Parses a duration of at most `max`.
///
/// # Errors
/// Not a duration (naming the units), a negative one, months or years, or one longer
/// than `max`.
///
/// # Example
/// ```
/// use std::time::Duration;
/// use nephos_cli::cli::duration::parse_duration;
/// let day = Duration::from_secs(86_400);
/// assert_eq!(parse_duration("1h30m", day).unwrap(), Duration::from_secs(5400));
/// assert_eq!(parse_duration("250ms", day).unwrap(), Duration::from_millis(250));
/// assert!(parse_duration("2d", day).is_err());
/// ```
pub fn parse_duration(s: &str, max: Duration) -> Result<Duration, String> {
    let shown = escape_line(s);
    let span: Span = s
        .trim()
        .parse()
        .map_err(|_| format!("`{shown}` is not a duration: {UNITS}"))?;
    let signed: SignedDuration = span
        .to_duration(SpanRelativeTo::days_are_24_hours())
        .map_err(|_| {
            format!("`{shown}`: months and years have no fixed length; give days or weeks")
        })?;
    if signed.is_negative() {
        return Err(format!("`{shown}` is negative: give a length, e.g. 10m"));
    }
    let d =
        Duration::try_from(signed).map_err(|_| format!("`{shown}` is not a duration: {UNITS}"))?;
    if d > max {
        return Err(format!("`{shown}` is longer than {}", shown_max(max)));
    }
    Ok(d)
}

/// `max` in the largest whole unit that divides it (`3653 days`, `12 hours`).
fn shown_max(max: Duration) -> String {
    let secs = max.as_secs();
    for (unit, len) in [
        ("day", 86_400),
        ("hour", 3600),
        ("minute", 60),
        ("second", 1),
    ] {
        if secs >= len && secs.is_multiple_of(len) {
            let n = secs / len;
            return format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        }
    }
    format!("{} ms", max.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);

    #[test]
    fn the_units_people_type_are_read() {
        let year = DAY * 366;
        for (text, want) in [
            ("500ms", Duration::from_millis(500)),
            ("30s", Duration::from_secs(30)),
            ("10m", Duration::from_secs(600)),
            ("2h", Duration::from_secs(7200)),
            ("1d", DAY),
            ("1w", DAY * 7),
            ("1h30m", Duration::from_secs(5400)),
            ("1.5h", Duration::from_secs(5400)),
            ("PT10M", Duration::from_secs(600)),
            (" 10m ", Duration::from_secs(600)),
            ("0s", Duration::ZERO),
        ] {
            assert_eq!(parse_duration(text, year), Ok(want), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_bounded_duration_is_refused_with_the_reason() {
        for (text, why) in [
            ("", "not a duration"),
            ("10", "not a duration"),
            ("m", "not a duration"),
            ("ten minutes", "not a duration"),
            ("-5m", "negative"),
            ("5m ago", "negative"),
            ("1mo", "months and years"),
            ("1y", "months and years"),
            ("2d", "longer than 1 day"),
            ("99999999999999999999999h", "not a duration"),
            ("10\u{1b}[31mm", "not a duration"),
        ] {
            let e = parse_duration(text, DAY).unwrap_err();
            assert!(e.contains(why), "{text:?}: {e}");
            assert!(!e.contains('\u{1b}'), "{e}");
        }
    }
}
