//! Time zone names EventBridge Scheduler takes (`ScheduleExpressionTimezone`): the
//! IANA time zone database's zone and link names, vendored in `dsl/data/tz-names.txt`
//! (with the database version and how to refresh it), so a misspelt zone is a synth
//! error rather than a failed deployment.

use super::shown;

const NAMES: &str = include_str!("../../../data/tz-names.txt");

/// An IANA time zone name (`Europe/Paris`, `America/New_York`, `UTC`), checked against
/// the vendored time zone database.
///
/// ```
/// use nephos::constructs::timing::TimeZone;
/// assert!(TimeZone::new("Europe/Paris").check().is_ok());
/// assert!(TimeZone::new("Europe/Pariss").check().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeZone(String);

impl TimeZone {
    /// The zone named `name` (checked when the construct it is given to is added).
    pub fn new(name: &str) -> Self {
        TimeZone(name.to_string())
    }

    /// The name as given, checked or not.
    pub fn name(&self) -> &str {
        &self.0
    }

    /// The name, or why it is not a time zone name.
    pub fn check(&self) -> Result<&str, String> {
        let known = NAMES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .any(|l| l == self.0);
        if known {
            return Ok(&self.0);
        }
        let near: Vec<&str> = NAMES
            .lines()
            .filter(|l| !l.starts_with('#') && l.eq_ignore_ascii_case(&self.0))
            .collect();
        let hint = match near.first() {
            Some(n) => format!(" (names are case-sensitive: `{n}`)"),
            None => String::new(),
        };
        Err(format!(
            "`{}` is not a time zone name of the IANA time zone database{hint}",
            shown(&self.0)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::TimeZone;

    #[test]
    fn zone_and_link_names_pass_and_others_are_refused() {
        for ok in [
            "UTC",
            "Europe/Paris",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
            "US/Eastern",
        ] {
            assert!(TimeZone::new(ok).check().is_ok(), "{ok}");
        }
        assert!(
            TimeZone::new("europe/paris")
                .check()
                .unwrap_err()
                .contains("`Europe/Paris`")
        );
        assert!(TimeZone::new("CEST").check().is_err());
        assert!(TimeZone::new("").check().is_err());
        assert!(TimeZone::new("# IANA").check().is_err());
    }
}
