//! Error handling of a state: the error names `ErrorEquals` lists ([`ErrorName`]),
//! retriers ([`Retry`]) and catchers ([`Catch`]), rendered to ASL and checked.

use serde_json::{Map as JMap, Value as J, json};

use super::flow::{MAX_COUNT, MAX_DELAY_SECONDS, path_problem};

/// An error name in `ErrorEquals`: one of the `States.*` errors Step Functions raises,
/// a Lambda service error, or an error a function raises (its exception's name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorName(std::borrow::Cow<'static, str>);

impl ErrorName {
    /// Any error (`States.ALL`): alone in its list, and in the last retrier or catcher.
    pub const ALL: ErrorName = ErrorName::known("States.ALL");
    /// The task ran longer than its timeout (`States.Timeout`).
    pub const TIMEOUT: ErrorName = ErrorName::known("States.Timeout");
    /// The task failed (`States.TaskFailed`: any error but a timeout).
    pub const TASK_FAILED: ErrorName = ErrorName::known("States.TaskFailed");
    /// The role may not do what the task asked (`States.Permissions`).
    pub const PERMISSIONS: ErrorName = ErrorName::known("States.Permissions");
    /// A branch of a Parallel or Map state failed (`States.BranchFailed`).
    pub const BRANCH_FAILED: ErrorName = ErrorName::known("States.BranchFailed");
    /// Lambda's own transient failures, which AWS recommends retrying ("Handling
    /// transient Lambda service exceptions", Step Functions Developer Guide).
    pub const LAMBDA_TRANSIENT: [ErrorName; 4] = [
        ErrorName::known("Lambda.ServiceException"),
        ErrorName::known("Lambda.AWSLambdaException"),
        ErrorName::known("Lambda.SdkClientException"),
        ErrorName::known("Lambda.TooManyRequestsException"),
    ];

    const fn known(name: &'static str) -> Self {
        ErrorName(std::borrow::Cow::Borrowed(name))
    }

    /// An error the function raises, by name (`"ValidationError"`). The `States.` prefix
    /// is Step Functions' own: such a name is a synth error (use the constants).
    pub fn custom(name: impl Into<String>) -> Self {
        ErrorName(std::borrow::Cow::Owned(name.into()))
    }

    /// The name as ASL writes it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn errors_json(errors: &[ErrorName]) -> J {
    json!(errors.iter().map(ErrorName::as_str).collect::<Vec<_>>())
}

/// What is wrong with an `ErrorEquals` list, given whether it is the last of its field.
pub(super) fn error_problems(field: &str, errors: &[ErrorName], last: bool, out: &mut Vec<String>) {
    // The predefined error names (AWS Step Functions Developer Guide, "Handling errors in
    // Step Functions workflows", error names); any other `States.` name is refused there.
    const STATES_ERRORS: &[&str] = &[
        "States.ALL",
        "States.DataLimitExceeded",
        "States.Runtime",
        "States.Http.Socket",
        "States.Timeout",
        "States.HeartbeatTimeout",
        "States.TaskFailed",
        "States.Permissions",
        "States.ResultPathMatchFailure",
        "States.ParameterPathFailure",
        "States.BranchFailed",
        "States.NoChoiceMatched",
        "States.IntrinsicFailure",
        "States.ExceedToleratedFailureThreshold",
        "States.ItemReaderFailed",
        "States.ResultWriterFailed",
        "States.QueryEvaluationError",
    ];
    if errors.is_empty() {
        out.push(format!("a `{field}` entry names no error"));
    }
    for e in errors {
        let name = e.as_str();
        if name.is_empty() {
            out.push(format!("a `{field}` entry names an empty error"));
        } else if name.starts_with("States.") && !STATES_ERRORS.contains(&name) {
            out.push(format!(
                "a `{field}` entry names `{}`, which is not an error Step Functions raises (the `States.` prefix is reserved)",
                name.escape_debug()
            ));
        }
    }
    if errors.contains(&ErrorName::ALL) && (errors.len() > 1 || !last) {
        out.push(format!(
            "`States.ALL` must be alone in its list, in the last `{field}` entry"
        ));
    }
}

/// How a failed task is retried: on which errors, how often, how long between tries.
///
/// ```
/// use nephos::constructs::state_machine::{ErrorName, Retry};
/// let r = Retry::on(ErrorName::LAMBDA_TRANSIENT).interval_seconds(2).max_attempts(6).backoff_rate(2.0);
/// assert_eq!(r.to_json()["MaxAttempts"], 6);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Retry {
    errors: Vec<ErrorName>,
    interval: Option<u32>,
    max_attempts: Option<u32>,
    backoff: Option<f64>,
    max_delay: Option<u32>,
    full_jitter: bool,
}

impl Retry {
    /// Retries on `errors` (Step Functions' defaults: 1 second, 3 attempts, rate 2).
    pub fn on(errors: impl IntoIterator<Item = ErrorName>) -> Self {
        Retry {
            errors: errors.into_iter().collect(),
            interval: None,
            max_attempts: None,
            backoff: None,
            max_delay: None,
            full_jitter: false,
        }
    }
    /// Retries on any error (`States.ALL`; the last retrier of its state).
    pub fn all() -> Self {
        Retry::on([ErrorName::ALL])
    }
    /// Seconds before the first retry (1 to 99,999,999).
    pub fn interval_seconds(mut self, seconds: u32) -> Self {
        self.interval = Some(seconds);
        self
    }
    /// Retries at most `n` times (0 to 99,999,999; 0: never).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = Some(n);
        self
    }
    /// Multiplies the interval by `rate` (at least 1.0) after each retry.
    pub fn backoff_rate(mut self, rate: f64) -> Self {
        self.backoff = Some(rate);
        self
    }
    /// Caps the interval at `seconds` (1 to 31,622,400).
    pub fn max_delay_seconds(mut self, seconds: u32) -> Self {
        self.max_delay = Some(seconds);
        self
    }
    /// Randomizes each interval between 0 and its value (`JitterStrategy: FULL`).
    pub fn full_jitter(mut self) -> Self {
        self.full_jitter = true;
        self
    }

    /// The retrier as ASL JSON.
    pub fn to_json(&self) -> J {
        let mut m = JMap::new();
        m.insert("ErrorEquals".into(), errors_json(&self.errors));
        if let Some(n) = self.interval {
            m.insert("IntervalSeconds".into(), json!(n));
        }
        if let Some(n) = self.max_attempts {
            m.insert("MaxAttempts".into(), json!(n));
        }
        if let Some(r) = self.backoff {
            m.insert("BackoffRate".into(), json!(r));
        }
        if let Some(n) = self.max_delay {
            m.insert("MaxDelaySeconds".into(), json!(n));
        }
        if self.full_jitter {
            m.insert("JitterStrategy".into(), json!("FULL"));
        }
        J::Object(m)
    }

    pub(super) fn problems(&self, last: bool, out: &mut Vec<String>) {
        error_problems("Retry", &self.errors, last, out);
        if self.interval.is_some_and(|n| !(1..=MAX_COUNT).contains(&n)) {
            out.push("a retrier's `IntervalSeconds` is not 1 to 99,999,999".to_string());
        }
        if self.max_attempts.is_some_and(|n| n > MAX_COUNT) {
            out.push("a retrier's `MaxAttempts` is above 99,999,999".to_string());
        }
        if self.backoff.is_some_and(|r| !r.is_finite() || r < 1.0) {
            out.push("a retrier's `BackoffRate` is below 1.0 (or not a number)".to_string());
        }
        if self
            .max_delay
            .is_some_and(|n| !(1..=MAX_DELAY_SECONDS).contains(&n))
        {
            out.push("a retrier's `MaxDelaySeconds` is not 1 to 31,622,400".to_string());
        }
    }
}

/// Where a failed state goes instead of failing the execution: on which errors, to
/// which state, and where the error goes in the input (`ResultPath`).
#[derive(Clone, Debug, PartialEq)]
pub struct Catch {
    errors: Vec<ErrorName>,
    next: String,
    result_path: Option<String>,
}

impl Catch {
    /// On `errors`, goes to `next`.
    pub fn on(errors: impl IntoIterator<Item = ErrorName>, next: impl Into<String>) -> Self {
        Catch {
            errors: errors.into_iter().collect(),
            next: next.into(),
            result_path: None,
        }
    }
    /// On any error (`States.ALL`; the last catcher of its state), goes to `next`.
    pub fn all(next: impl Into<String>) -> Self {
        Catch::on([ErrorName::ALL], next)
    }
    /// Puts the error (`Error`, `Cause`) at `path` of the input rather than replacing it.
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.result_path = Some(path.into());
        self
    }

    /// The state it goes to on those errors.
    pub fn next(&self) -> &str {
        &self.next
    }

    /// What Step Functions would refuse in the catcher, given whether it is the last.
    pub(super) fn problems(&self, last: bool, out: &mut Vec<String>) {
        error_problems("Catch", &self.errors, last, out);
        if let Some(p) = &self.result_path {
            path_problem("ResultPath", p, out);
        }
    }

    pub(super) fn to_json(&self) -> J {
        let mut m = JMap::new();
        m.insert("ErrorEquals".into(), errors_json(&self.errors));
        m.insert("Next".into(), json!(self.next));
        if let Some(p) = &self.result_path {
            m.insert("ResultPath".into(), json!(p));
        }
        J::Object(m)
    }
}
