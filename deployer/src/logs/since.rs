//! `--since`: a duration back from now, as `30s`, `10m`, `2h` or `1d`.

use std::time::Duration;

/// The longest `--since`: CloudWatch Logs keeps events at most 10 years (its longest
/// retention setting, 3653 days).
pub const MAX_SINCE: Duration = Duration::from_secs(3653 * 24 * 3600);

/// Parses `--since`.
///
/// # Errors
/// A value that is not a whole number followed by `s`, `m`, `h` or `d`, or one longer
/// than [`MAX_SINCE`].
///
/// # Example
/// ```
/// use nephos_cli::logs::since::parse_since;
/// assert_eq!(parse_since("10m").unwrap().as_secs(), 600);
/// assert!(parse_since("10").is_err());
/// ```
pub fn parse_since(s: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "`{}` is not a duration: a whole number and a unit, e.g. 30s, 10m, 2h or 1d",
            crate::output::escape::escape_line(s)
        )
    };
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let unit_secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let secs = n.checked_mul(unit_secs).ok_or_else(bad)?;
    let d = Duration::from_secs(secs);
    if d > MAX_SINCE {
        return Err(format!(
            "--since reaches back more than {} days, longer than CloudWatch Logs keeps events",
            MAX_SINCE.as_secs() / 86_400
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_bad_values() {
        assert_eq!(parse_since("30s").unwrap().as_secs(), 30);
        assert_eq!(parse_since("2h").unwrap().as_secs(), 7200);
        assert_eq!(parse_since("1d").unwrap().as_secs(), 86_400);
        for bad in [
            "",
            "m",
            "10",
            "10 m",
            "-5m",
            "1.5h",
            "10w",
            "99999999999999999999m",
            "4000d",
        ] {
            assert!(parse_since(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
