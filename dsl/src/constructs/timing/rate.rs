//! `rate(value unit)` expressions.

use std::time::Duration;

use super::shown;

/// The units a rate takes, with their length in seconds, largest first.
const UNITS: &[(&str, u64)] = &[("day", 86_400), ("hour", 3_600), ("minute", 60)];

/// The rate expression for `interval`, in the largest unit dividing it.
pub(super) fn from_duration(interval: Duration) -> Result<String, String> {
    let secs = interval.as_secs();
    if interval.subsec_nanos() != 0 || secs == 0 || !secs.is_multiple_of(60) {
        return Err(format!(
            "a rate of {interval:?} is not a positive whole number of minutes, the finest rate EventBridge schedules"
        ));
    }
    let (unit, len) = UNITS
        .iter()
        .find(|(_, len)| secs.is_multiple_of(*len))
        .copied()
        .unwrap_or(("minute", 60));
    let value = secs / len;
    let plural = if value == 1 { "" } else { "s" };
    Ok(format!("rate({value} {unit}{plural})"))
}

/// Checks the body of a written `rate(...)`: a positive whole value and a unit, singular
/// exactly when the value is 1 (EventBridge refuses `rate(1 minutes)` and `rate(5
/// minute)`).
pub(super) fn check(body: &str) -> Result<(), String> {
    let mut parts = body.split(' ');
    let (Some(value), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!(
            "`rate({})` is not `rate(value unit)` with one space",
            shown(body)
        ));
    };
    let n: u64 = match value.parse() {
        Ok(n) if n > 0 && value.bytes().all(|b| b.is_ascii_digit()) => n,
        _ => {
            return Err(format!(
                "the rate's value `{}` is not a positive whole number",
                shown(value)
            ));
        }
    };
    let singular = unit.strip_suffix('s').unwrap_or(unit);
    if !UNITS.iter().any(|(u, _)| *u == singular) {
        return Err(format!(
            "the rate's unit `{}` is none of minute(s), hour(s), day(s)",
            shown(unit)
        ));
    }
    match (n == 1, unit.ends_with('s')) {
        (true, true) => Err(format!(
            "a rate of 1 takes the singular unit: `rate(1 {singular})`, not `rate(1 {unit})`"
        )),
        (false, false) => Err(format!(
            "a rate of {n} takes the plural unit: `rate({n} {unit}s)`, not `rate({n} {unit})`"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_the_largest_unit_and_the_right_number() {
        let rate = |s| from_duration(Duration::from_secs(s));
        assert_eq!(rate(60).unwrap(), "rate(1 minute)");
        assert_eq!(rate(300).unwrap(), "rate(5 minutes)");
        assert_eq!(rate(3_600).unwrap(), "rate(1 hour)");
        assert_eq!(rate(5_400).unwrap(), "rate(90 minutes)");
        assert_eq!(rate(172_800).unwrap(), "rate(2 days)");
        assert!(rate(0).is_err());
        assert!(rate(90).is_err());
        assert!(from_duration(Duration::from_millis(60_500)).is_err());
    }

    #[test]
    fn written_rates_follow_eventbridges_rules() {
        assert!(check("1 minute").is_ok());
        assert!(check("12 hours").is_ok());
        assert!(check("1 minutes").unwrap_err().contains("singular"));
        assert!(check("5 day").unwrap_err().contains("plural"));
        assert!(check("0 minutes").is_err());
        assert!(check("-1 minute").is_err());
        assert!(check("+2 minutes").is_err());
        assert!(check("5 weeks").is_err());
        assert!(check("5  minutes").is_err());
        assert!(check("5").is_err());
    }
}
