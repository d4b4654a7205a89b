//! Lambda runtimes past their end of life. The registry schema's `Runtime` enum keeps every
//! runtime Lambda ever had (`nodejs4.3`, `python2.7`), so the schema check lets them through
//! and Lambda refuses the function at deploy. The dates are cfn-lint's data for its rules
//! W2531, E2531 and E2533 (`LmbdRuntimeLifecycle.json`, after the AWS page
//! <https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html>), vendored as
//! `dsl/data/lambda-runtime-lifecycle.json` by `scripts/refresh_schemas.py` from the pinned
//! cfn-lint, and applied as cfn-lint applies them, on the day the table was vendored (see
//! [`as_of`]: never the system clock, so synth stays deterministic):
//!
//! - Lambda blocks creating functions on the runtime (E2531; E2533 once updates are blocked
//!   too): an error. A function already deployed on it may still be updated until the
//!   update block, but synth cannot tell a new function from a deployed one, and a new one
//!   fails.
//! - deprecated, not yet blocked (W2531): a warning naming the block dates and the successor.

use std::sync::OnceLock;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::value::expr::Expr;

/// cfn-lint's runtime lifecycle table (see the module docs for its source).
const LIFECYCLE_DATA: &str = include_str!("../../data/lambda-runtime-lifecycle.json");

/// One runtime's dates, as days since 1970-01-01 (`None`: not announced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lifecycle {
    pub(crate) deprecated: Option<i64>,
    pub(crate) create_block: Option<i64>,
    pub(crate) update_block: Option<i64>,
    pub(crate) successor: Option<&'static str>,
    /// The dates as the table writes them, for messages.
    dates: [Option<&'static str>; 3],
}

/// One runtime's entry as the table writes it, its texts borrowed from the table (parsing
/// into `serde_json::Value` copied every key and text into maps and strings: about a
/// tenth of a one-function app's process).
#[derive(serde::Deserialize)]
struct Entry<'a> {
    #[serde(default)]
    deprecated: Option<&'a str>,
    #[serde(default, rename = "create-block")]
    create_block: Option<&'a str>,
    #[serde(default, rename = "update-block")]
    update_block: Option<&'a str>,
    #[serde(default)]
    successor: Option<&'a str>,
}

/// What synth says of a runtime on day `today` (days since 1970-01-01), if anything.
pub(crate) fn problem(
    function: &str,
    runtime: &str,
    today: i64,
    table: &[(&'static str, Lifecycle)],
) -> Option<Diagnostic> {
    let (_, l) = table.iter().find(|(name, _)| *name == runtime)?;
    let reached = |day: Option<i64>| day.is_some_and(|d| d <= today);
    let [deprecated, create, update] = l.dates.map(|d| d.unwrap_or("-"));
    let successor = match &l.successor {
        Some(s) => format!("a supported runtime such as `{s}`"),
        None => "a supported runtime".to_string(),
    };
    let at = Location::property(function, "Runtime");
    if reached(l.create_block) {
        let update_note = if reached(l.update_block) {
            format!("and updating one since {update}")
        } else {
            format!("(a function already on it can be updated until {update})")
        };
        return Some(Diagnostic::error(
            at,
            format!(
                "runtime `{runtime}` reached its end of life: deprecated on {deprecated}, Lambda refuses creating a function on it since {create} {update_note} (cfn-lint E2531/E2533 dates)"
            ),
            format!("move the function to {successor}"),
        ));
    }
    if reached(l.deprecated) {
        return Some(Diagnostic::warning(
            at,
            format!(
                "runtime `{runtime}` is deprecated since {deprecated}: Lambda refuses creating a function on it from {create} and updating one from {update} (cfn-lint W2531 dates)"
            ),
            format!("move the function to {successor}"),
        ));
    }
    None
}

/// The vendored table, parsed once.
pub(crate) fn table() -> &'static [(&'static str, Lifecycle)] {
    static TABLE: OnceLock<Vec<(&'static str, Lifecycle)>> = OnceLock::new();
    TABLE.get_or_init(|| parse(LIFECYCLE_DATA))
}

/// Parses the table: `{runtime: {"deprecated", "create-block", "update-block": "YYYY-MM-DD"
/// or null, "successor": name or null}}`, its texts borrowed from the file (they hold no
/// escapes). The file is part of the crate: a malformed one (a field that is not text or
/// null, a text with an escape) gives an empty table, a build defect the tests catch;
/// fields the table may add are ignored.
fn parse(text: &'static str) -> Vec<(&'static str, Lifecycle)> {
    let Ok(data) = serde_json::from_str::<std::collections::BTreeMap<&str, Entry>>(text) else {
        return Vec::new();
    };
    data.into_iter()
        .map(|(name, e)| {
            let day = |d: Option<&str>| d.and_then(days_of);
            (
                name,
                Lifecycle {
                    deprecated: day(e.deprecated),
                    create_block: day(e.create_block),
                    update_block: day(e.update_block),
                    successor: e.successor,
                    dates: [e.deprecated, e.create_block, e.update_block],
                },
            )
        })
        .collect()
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (the proleptic Gregorian calendar).
pub(crate) fn days_of(date: &str) -> Option<i64> {
    let (y, m, d) = match date.as_bytes() {
        // The table's form, read digit by digit (`str::parse` and `splitn` cost several
        // hundred instructions a date, a third of reading the table).
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]
            if [y0, y1, y2, y3, m0, m1, d0, d1]
                .iter()
                .all(|b| b.is_ascii_digit()) =>
        {
            let n = |digits: &[u8]| {
                digits
                    .iter()
                    .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'))
            };
            (n(&[*y0, *y1, *y2, *y3]), n(&[*m0, *m1]), n(&[*d0, *d1]))
        }
        _ => {
            let mut parts = date.splitn(3, '-');
            let y: i64 = parts.next()?.parse().ok()?;
            let m: i64 = parts.next()?.parse().ok()?;
            let d: i64 = parts.next()?.parse().ok()?;
            (y, m, d)
        }
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The day the table was vendored (`dsl/data/lambda-runtime-lifecycle.as-of`, written by
/// `scripts/refresh_schemas.py` beside the table), as days since 1970-01-01. Synth judges
/// the dates on that day, not on the system clock: the same code with the same nephos gives
/// the same result on every day, so a stack's CI does not start failing on a date with no
/// change (cfn-lint, which reads the clock, may say more once a later block date passes;
/// refreshing the table brings those dates in, as a new nephos version).
fn as_of() -> i64 {
    days_of(AS_OF_DATA.trim()).unwrap_or(0)
}

/// The vendoring day of [`LIFECYCLE_DATA`] (`YYYY-MM-DD`).
const AS_OF_DATA: &str = include_str!("../../data/lambda-runtime-lifecycle.as-of");

/// Checks the literal `Runtime` of every `AWS::Lambda::Function`.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    let today = as_of();
    for r in resources.of_type("AWS::Lambda::Function") {
        if let Some(Expr::Lit(serde_json::Value::String(runtime))) = r.field("Runtime")
            && let Some(d) = problem(&r.entry.target.id, runtime, today, table())
        {
            diags.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn dates_count_days_from_the_epoch() {
        assert_eq!(days_of("1970-01-01"), Some(0));
        assert_eq!(days_of("2000-03-01"), Some(11_017));
        assert_eq!(days_of("2026-12-03"), Some(20_790));
        assert_eq!(days_of("2026-13-01"), None);
        assert_eq!(days_of("soon"), None);
        // Other forms than `YYYY-MM-DD` are read as before: numbers between dashes.
        assert_eq!(days_of("2000-3-1"), Some(11_017));
        assert_eq!(days_of("+2000-03-01"), Some(11_017));
        assert_eq!(days_of("2000-03-0x"), None);
        // Every day of a leap year and the next, in the fixed form, one after another.
        let first = days_of("2024-01-01").unwrap();
        let mut n = first;
        for (month, days) in [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            .into_iter()
            .enumerate()
        {
            for day in 1..=days {
                assert_eq!(days_of(&format!("2024-{:02}-{day:02}", month + 1)), Some(n));
                n += 1;
            }
        }
        assert_eq!(days_of("2025-01-01"), Some(n));
    }

    /// Synth judges on the vendoring day, a fixed date in the crate, not on the clock.
    #[test]
    fn the_judging_day_is_the_vendoring_day() {
        assert!(
            as_of() >= days_of("2026-12-03").unwrap(),
            "the as-of file is read: {AS_OF_DATA:?}"
        );
    }

    /// Judged as cfn-lint judges them, on fixed days: `nodejs14.x` (creation blocked on
    /// 2024-01-09, update on 2027-03-03) is an error after the first, `python2.7` (both
    /// blocked in 2021 and 2022) an error, `nodejs20.x` (deprecated 2026-04-30, blocked from
    /// 2027-02-01) a warning between the two, a current runtime nothing.
    #[test]
    fn the_vendored_dates_decide_error_warning_or_nothing() {
        let t = table();
        assert!(t.len() > 40, "the vendored table is read: {}", t.len());
        let day = |d: &str| days_of(d).unwrap();
        let on = |runtime: &str, d: &str| problem("Fn", runtime, day(d), t);
        let old = on("nodejs14.x", "2026-12-03").expect("blocked");
        assert_eq!(old.severity, Severity::Error);
        assert!(old.message.contains("since 2024-01-09"), "{}", old.message);
        assert!(old.message.contains("until 2027-03-03"), "{}", old.message);
        assert!(old.fix.contains("nodejs24.x"), "{}", old.fix);
        let gone = on("python2.7", "2026-12-03").expect("blocked");
        assert_eq!(gone.severity, Severity::Error);
        assert!(gone.message.contains("updating one since 2022-05-30"));
        let deprecated = on("nodejs20.x", "2026-12-03").expect("deprecated");
        assert_eq!(deprecated.severity, Severity::Warning);
        assert_eq!(
            on("nodejs20.x", "2027-02-01").map(|d| d.severity),
            Some(Severity::Error)
        );
        assert_eq!(on("nodejs20.x", "2026-01-01"), None);
        assert_eq!(on("python3.12", "2026-12-03"), None);
        assert_eq!(on("not-a-runtime", "2026-12-03"), None);
        // No date announced: never blocked.
        assert_eq!(
            on("dotnet9", "2030-01-01").map(|d| d.severity),
            Some(Severity::Warning)
        );
    }
}
