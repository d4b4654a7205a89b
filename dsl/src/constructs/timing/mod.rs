//! When something runs: schedule expressions for EventBridge rules and EventBridge
//! Scheduler, and the time zone names the Scheduler takes, checked at synth on the
//! template's `AWS::Events::Rule` and `AWS::Scheduler::Schedule` resources, whether a
//! construct or a generated type wrote them (a malformed one is a synth error naming the
//! resource and the fix, never a failed deployment). Always compiled: synth checks the
//! resources whatever features are on.
//!
//! The rules are EventBridge's ("Schedule expressions for rules" in the Amazon
//! EventBridge User Guide, and "Schedule types on EventBridge Scheduler"):
//!
//! - `rate(value unit)`: a positive whole `value`, `unit` one of `minute(s)`, `hour(s)`,
//!   `day(s)`, singular exactly when the value is 1;
//! - `cron(minutes hours day-of-month month day-of-week year)`: six fields, and one of
//!   day-of-month or day-of-week must be `?`;
//! - `at(yyyy-mm-ddThh:mm:ss)`: a one-time schedule, EventBridge Scheduler only.
//!
//! ```
//! use std::time::Duration;
//! use nephos::constructs::timing::Schedule;
//! assert_eq!(Schedule::rate(Duration::from_secs(60)).expression(), Ok("rate(1 minute)"));
//! assert_eq!(Schedule::rate(Duration::from_secs(7200)).expression(), Ok("rate(2 hours)"));
//! assert_eq!(Schedule::cron("0 3 * * ? *").expression(), Ok("cron(0 3 * * ? *)"));
//! assert!(Schedule::cron("0 3 * * *").expression().is_err()); // five fields
//! assert!(Schedule::parse("rate(1 minutes)").expression().is_err()); // plural for 1
//! ```

mod at;
mod cron;
mod rate;
mod time_zone;

pub use time_zone::TimeZone;

use std::time::Duration;

/// A schedule expression: a rate, a cron expression or (EventBridge Scheduler only) one
/// time. Built from typed parts or parsed from text; either way it is checked, and an
/// invalid one carries the reason, reported at synth by the construct it is given to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    kind: Kind,
    /// The expression, or why it is not one.
    checked: Result<String, String>,
    /// The expression as written (`None` for a rate from a duration, which has no text
    /// when it is not a whole number of minutes).
    written: Option<String>,
}

/// Which kind of expression, for the constructs that take only some kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `rate(...)`.
    Rate,
    /// `cron(...)`.
    Cron,
    /// `at(...)`.
    At,
}

impl Schedule {
    /// Every `interval`, a whole number of minutes (EventBridge's finest rate), written in
    /// the largest unit that divides it: 90 s is refused, 120 s is `rate(2 minutes)`,
    /// 86 400 s `rate(1 day)`.
    pub fn rate(interval: Duration) -> Self {
        let checked = rate::from_duration(interval);
        Schedule {
            kind: Kind::Rate,
            written: checked.as_ref().ok().cloned(),
            checked,
        }
    }

    /// A cron expression of six fields, `minutes hours day-of-month month day-of-week
    /// year`, without the `cron(...)` around it: `"0 12 ? * MON-FRI *"`.
    pub fn cron(fields: &str) -> Self {
        Schedule {
            kind: Kind::Cron,
            checked: cron::check(fields).map(|f| format!("cron({f})")),
            written: Some(format!("cron({fields})")),
        }
    }

    /// Once, at `date_time` (`yyyy-mm-ddThh:mm:ss`, in the schedule's time zone): for
    /// EventBridge Scheduler only (a rule refuses it at synth).
    pub fn at(date_time: &str) -> Self {
        Schedule {
            kind: Kind::At,
            checked: at::check(date_time).map(|d| format!("at({d})")),
            written: Some(format!("at({date_time})")),
        }
    }

    /// An expression written out (`rate(5 minutes)`, `cron(0 12 * * ? *)`,
    /// `at(2030-01-01T00:00:00)`), checked like the typed ones.
    pub fn parse(text: &str) -> Self {
        let inner = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(')'))
        };
        if let Some(body) = inner("rate(") {
            Schedule {
                kind: Kind::Rate,
                checked: rate::check(body).map(|()| text.to_string()),
                written: Some(text.to_string()),
            }
        } else if let Some(body) = inner("cron(") {
            Schedule::cron(body)
        } else if let Some(body) = inner("at(") {
            Schedule::at(body)
        } else {
            Schedule {
                kind: Kind::Rate,
                checked: Err(format!(
                    "`{}` is neither `rate(...)`, `cron(...)` nor `at(...)`",
                    shown(text)
                )),
                written: Some(text.to_string()),
            }
        }
    }

    /// The expression CloudFormation receives, or why it would be refused.
    pub fn expression(&self) -> Result<&str, &str> {
        match &self.checked {
            Ok(e) => Ok(e),
            Err(e) => Err(e),
        }
    }

    /// The expression as written, valid or not (`rate(1 minutes)` as given to
    /// [`parse`](Self::parse)), for the template: the constructs write it as it is and
    /// synth refuses it with the rules above, as it refuses the same text written on a
    /// generated `events::Rule` or `scheduler::Schedule`. `None` only for a
    /// [`rate`](Self::rate) that is not a whole number of minutes (no text states it).
    ///
    /// ```
    /// use std::time::Duration;
    /// use nephos::constructs::timing::Schedule;
    /// assert_eq!(Schedule::parse("rate(1 minutes)").written(), Some("rate(1 minutes)"));
    /// assert_eq!(Schedule::cron("0 3 * * *").written(), Some("cron(0 3 * * *)"));
    /// assert_eq!(Schedule::rate(Duration::from_secs(90)).written(), None);
    /// ```
    pub fn written(&self) -> Option<&str> {
        self.written.as_deref()
    }

    /// Which kind of expression it is.
    pub fn kind(&self) -> Kind {
        self.kind
    }
}

/// `text` as a message shows it: escaped (it may come from anywhere), at most 60
/// characters.
fn shown(text: &str) -> String {
    let mut out: String = text.escape_debug().take(60).collect();
    if text.escape_debug().nth(60).is_some() {
        out.push_str("...");
    }
    out
}
