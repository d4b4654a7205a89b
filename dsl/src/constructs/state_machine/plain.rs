//! The states that do no work: Pass (its input or a fixed result), Wait (seconds or
//! a time), Succeed and Fail.

use serde_json::{Map as JMap, Value as J, json};

use super::flow::{MAX_COUNT, ResultPath, is_timestamp, path_problem, write_next};

/// Passes its input on, or a fixed result, to the next state.
#[derive(Clone, Debug, Default)]
pub struct Pass {
    result: Option<J>,
    result_path: ResultPath,
    pub(super) next: Option<String>,
}

impl Pass {
    /// Passes the input on unchanged.
    pub fn new() -> Self {
        Pass::default()
    }
    /// Its result is `json` (rather than its input).
    pub fn result(mut self, json: J) -> Self {
        self.result = Some(json);
        self
    }
    /// Puts the result at `path` of the input.
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.result_path = ResultPath::At(path.into());
        self
    }
    /// Goes to `state` next.
    pub fn next(mut self, state: impl Into<String>) -> Self {
        self.next = Some(state.into());
        self
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        if let ResultPath::At(path) = &self.result_path {
            path_problem("ResultPath", path, out);
        }
    }

    /// Writes its fields but `Type`.
    pub(super) fn write(&self, m: &mut JMap<String, J>) {
        if let Some(r) = &self.result {
            m.insert("Result".into(), r.clone());
        }
        self.result_path.write(m);
        write_next(&self.next, m);
    }
}

#[derive(Clone, Debug)]
enum Until {
    Seconds(u32),
    Timestamp(String),
    SecondsPath(String),
    TimestampPath(String),
}

/// Waits a number of seconds or until a time, given or read from the input.
#[derive(Clone, Debug)]
pub struct Wait {
    until: Until,
    pub(super) next: Option<String>,
}

impl Wait {
    /// Waits `seconds` (1 to 99,999,999).
    pub fn seconds(seconds: u32) -> Self {
        Wait {
            until: Until::Seconds(seconds),
            next: None,
        }
    }
    /// Waits until `rfc3339` (`2030-01-31T09:00:00Z`).
    pub fn until(rfc3339: impl Into<String>) -> Self {
        Wait {
            until: Until::Timestamp(rfc3339.into()),
            next: None,
        }
    }
    /// Waits the number of seconds at `path` of the input.
    pub fn seconds_path(path: impl Into<String>) -> Self {
        Wait {
            until: Until::SecondsPath(path.into()),
            next: None,
        }
    }
    /// Waits until the timestamp at `path` of the input.
    pub fn until_path(path: impl Into<String>) -> Self {
        Wait {
            until: Until::TimestampPath(path.into()),
            next: None,
        }
    }
    /// Goes to `state` next.
    pub fn next(mut self, state: impl Into<String>) -> Self {
        self.next = Some(state.into());
        self
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        match &self.until {
            Until::Seconds(n) if !(1..=MAX_COUNT).contains(n) => {
                out.push("it waits a number of seconds not 1 to 99,999,999".to_string())
            }
            Until::Timestamp(t) if !is_timestamp(t) => out.push(format!(
                "it waits until `{}`, not an RFC 3339 timestamp (`2030-01-31T09:00:00Z`)",
                t.escape_debug()
            )),
            Until::SecondsPath(p) => path_problem("SecondsPath", p, out),
            Until::TimestampPath(p) => path_problem("TimestampPath", p, out),
            _ => {}
        }
    }

    /// Writes its fields but `Type`.
    pub(super) fn write(&self, m: &mut JMap<String, J>) {
        let (field, value) = match &self.until {
            Until::Seconds(n) => ("Seconds", json!(n)),
            Until::Timestamp(t) => ("Timestamp", json!(t)),
            Until::SecondsPath(p) => ("SecondsPath", json!(p)),
            Until::TimestampPath(p) => ("TimestampPath", json!(p)),
        };
        m.insert(field.into(), value);
        write_next(&self.next, m);
    }
}

/// Ends its flow successfully.
#[derive(Clone, Debug, Default)]
pub struct Succeed;

impl Succeed {
    /// A Succeed state.
    pub fn new() -> Self {
        Succeed
    }
}

/// Ends the execution as failed, with an error name and a cause.
#[derive(Clone, Debug, Default)]
pub struct Fail {
    error: Option<String>,
    cause: Option<String>,
}

impl Fail {
    /// A Fail state without error or cause.
    pub fn new() -> Self {
        Fail::default()
    }
    /// The error name (`OrderInvalid`).
    pub fn error(mut self, name: impl Into<String>) -> Self {
        self.error = Some(name.into());
        self
    }
    /// A human-readable cause.
    pub fn cause(mut self, text: impl Into<String>) -> Self {
        self.cause = Some(text.into());
        self
    }

    /// Writes its fields but `Type`.
    pub(super) fn write(&self, m: &mut JMap<String, J>) {
        if let Some(e) = &self.error {
            m.insert("Error".into(), json!(e));
        }
        if let Some(c) = &self.cause {
            m.insert("Cause".into(), json!(c));
        }
    }
}
