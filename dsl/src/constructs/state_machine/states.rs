//! The states of a [`Definition`](super::Definition): Task (invoking a function, with
//! retriers and catchers), Pass, Wait, Choice, Parallel, Map, Succeed and Fail, as the
//! Amazon States Language defines them ("States" in the Step Functions Developer
//! Guide), each rendered to its ASL JSON and checked for what Step Functions refuses.

use serde_json::{Map as JMap, Value as J, json};

use super::Definition;
use super::condition::Condition;
use super::graph::Render;
use crate::constructs::grants::Target;

/// The largest count or number of seconds ASL takes in `MaxAttempts`, `IntervalSeconds`,
/// `TimeoutSeconds`, `HeartbeatSeconds` and a Wait's `Seconds` (a positive integer
/// below 99,999,999: Step Functions Developer Guide, "Quotas" and the ASL fields).
const MAX_COUNT: u32 = 99_999_999;
/// The longest a retrier's `MaxDelaySeconds` may be: 31,622,400 (366 days).
const MAX_DELAY_SECONDS: u32 = 31_622_400;

/// A state: build one with [`Task`], [`Pass`], [`Wait`], [`Choice`], [`Parallel`],
/// [`Map`], [`Succeed`] or [`Fail`] (each converts into it).
#[derive(Clone, Debug)]
pub enum State {
    /// Invokes a function.
    Task(Task),
    /// Passes its input on (or a fixed result).
    Pass(Pass),
    /// Waits for a time.
    Wait(Wait),
    /// Branches on conditions.
    Choice(Choice),
    /// Runs branches at the same time.
    Parallel(Parallel),
    /// Runs a flow for each item of an array.
    Map(Map),
    /// Ends the execution (or a branch) successfully.
    Succeed(Succeed),
    /// Ends the execution with an error.
    Fail(Fail),
}

macro_rules! into_state {
    ($($t:ident),*) => {$(
        impl From<$t> for State {
            fn from(s: $t) -> State {
                State::$t(s)
            }
        }
    )*};
}
into_state!(Task, Pass, Wait, Choice, Parallel, Map, Succeed, Fail);

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
fn error_problems(field: &str, errors: &[ErrorName], last: bool, out: &mut Vec<String>) {
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

    fn problems(&self, last: bool, out: &mut Vec<String>) {
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

    fn to_json(&self) -> J {
        let mut m = JMap::new();
        m.insert("ErrorEquals".into(), errors_json(&self.errors));
        m.insert("Next".into(), json!(self.next));
        if let Some(p) = &self.result_path {
            m.insert("ResultPath".into(), json!(p));
        }
        J::Object(m)
    }
}

/// The function a [`Task`] invokes: a function of the stack, one of its versions or
/// aliases, or an imported function. The state machine's role may invoke exactly that
/// ARN (an alias or version ARN grants only that alias or version).
#[derive(Clone, Debug, PartialEq)]
pub struct TaskFunction {
    pub(crate) target: Target,
}

impl From<&crate::constructs::FunctionRef> for TaskFunction {
    fn from(f: &crate::constructs::FunctionRef) -> Self {
        TaskFunction {
            target: Target::of("function", f, f.arn()).encrypted_with(None),
        }
    }
}

impl From<&crate::constructs::AliasRef> for TaskFunction {
    fn from(a: &crate::constructs::AliasRef) -> Self {
        TaskFunction {
            target: Target::of("function alias", a, a.arn()).encrypted_with(None),
        }
    }
}

impl From<&crate::constructs::VersionRef> for TaskFunction {
    fn from(v: &crate::constructs::VersionRef) -> Self {
        TaskFunction {
            target: Target::of("function version", v, v.arn()).encrypted_with(None),
        }
    }
}

impl From<&crate::constructs::import::ImportedFunction> for TaskFunction {
    fn from(f: &crate::constructs::import::ImportedFunction) -> Self {
        TaskFunction {
            target: Target::by_arn("function", f.arn()).encrypted_with(None),
        }
    }
}

/// Where a state's result goes in its input: replacing it (no `ResultPath`), at a path,
/// or nowhere (`ResultPath: null`, the input passes on unchanged).
#[derive(Clone, Debug, Default, PartialEq)]
enum ResultPath {
    #[default]
    Replace,
    At(String),
    Discard,
}

impl ResultPath {
    fn write(&self, m: &mut JMap<String, J>) {
        match self {
            ResultPath::Replace => {}
            ResultPath::At(p) => {
                m.insert("ResultPath".into(), json!(p));
            }
            ResultPath::Discard => {
                m.insert("ResultPath".into(), J::Null);
            }
        }
    }
}

/// Writes `Next`, or `End: true` for a state that has none.
fn write_next(next: &Option<String>, m: &mut JMap<String, J>) {
    match next {
        Some(n) => m.insert("Next".into(), json!(n)),
        None => m.insert("End".into(), json!(true)),
    };
}

/// The options Task, Parallel and Map share: where the result goes, retriers,
/// catchers, the next state.
#[derive(Clone, Debug, Default)]
struct Flow {
    result_path: ResultPath,
    retry: Vec<Retry>,
    catch: Vec<Catch>,
    next: Option<String>,
}

impl Flow {
    fn write(&self, m: &mut JMap<String, J>) {
        self.result_path.write(m);
        if !self.retry.is_empty() {
            m.insert(
                "Retry".into(),
                J::Array(self.retry.iter().map(Retry::to_json).collect()),
            );
        }
        if !self.catch.is_empty() {
            m.insert(
                "Catch".into(),
                J::Array(self.catch.iter().map(Catch::to_json).collect()),
            );
        }
        write_next(&self.next, m);
    }

    fn problems(&self, out: &mut Vec<String>) {
        if let ResultPath::At(p) = &self.result_path {
            path_problem("ResultPath", p, out);
        }
        for (i, r) in self.retry.iter().enumerate() {
            r.problems(i + 1 == self.retry.len(), out);
        }
        for (i, c) in self.catch.iter().enumerate() {
            error_problems("Catch", &c.errors, i + 1 == self.catch.len(), out);
            if let Some(p) = &c.result_path {
                path_problem("ResultPath", p, out);
            }
        }
    }

    fn transitions(&self) -> impl Iterator<Item = &str> {
        self.next
            .iter()
            .map(String::as_str)
            .chain(self.catch.iter().map(|c| c.next.as_str()))
    }
}

fn path_problem(field: &str, path: &str, out: &mut Vec<String>) {
    if !path.starts_with('$') {
        out.push(format!(
            "its `{field}` `{}` is not a path beginning with `$` (such as `$.result`)",
            path.escape_debug()
        ));
    }
}

/// `text` has the shape of an RFC 3339 timestamp with a time zone, as ASL's timestamps
/// must (`2030-01-31T09:00:00Z`, `2030-01-31T09:00:00.5+01:00`).
pub(crate) fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || b[10] != b'T'
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    rest == "Z"
        || (rest.len() == 6
            && rest.is_ascii()
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':'
            && rest[1..3]
                .bytes()
                .chain(rest[4..].bytes())
                .all(|c| c.is_ascii_digit()))
}

/// Invokes a function with the state's input as its event; the function's result is
/// the state's result.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Runtime};
/// use nephos::constructs::state_machine::{Catch, ErrorName, Retry, Task};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Charge", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let task = Task::invoke(&f)
///     .retry(Retry::on(ErrorName::LAMBDA_TRANSIENT).max_attempts(6))
///     .catch(Catch::all("Refund").result_path("$.error"))
///     .timeout_seconds(30)
///     .next("Ship");
/// # let _ = task;
/// ```
#[derive(Clone, Debug)]
pub struct Task {
    function: TaskFunction,
    timeout: Option<u32>,
    heartbeat: Option<u32>,
    flow: Flow,
}

impl Task {
    /// Invokes `function` (a function, version or alias of the stack, or an imported one).
    pub fn invoke(function: impl Into<TaskFunction>) -> Self {
        Task {
            function: function.into(),
            timeout: None,
            heartbeat: None,
            flow: Flow::default(),
        }
    }
    /// Fails with `States.Timeout` after `seconds` (1 to 99,999,999).
    pub fn timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }
    /// Fails with `States.HeartbeatTimeout` when no heartbeat came for `seconds`.
    pub fn heartbeat_seconds(mut self, seconds: u32) -> Self {
        self.heartbeat = Some(seconds);
        self
    }
    /// Adds a retrier (tried in order; `States.ALL` last).
    pub fn retry(mut self, retry: Retry) -> Self {
        self.flow.retry.push(retry);
        self
    }
    /// Adds a catcher (tried in order after the retriers; `States.ALL` last).
    pub fn catch(mut self, catch: Catch) -> Self {
        self.flow.catch.push(catch);
        self
    }
    /// Puts the result at `path` of the input (`$.charge`) rather than replacing it.
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.flow.result_path = ResultPath::At(path.into());
        self
    }
    /// Discards the result: the input passes on (`ResultPath: null`).
    pub fn discard_result(mut self) -> Self {
        self.flow.result_path = ResultPath::Discard;
        self
    }
    /// Goes to `state` next (without: the end of its flow).
    pub fn next(mut self, state: impl Into<String>) -> Self {
        self.flow.next = Some(state.into());
        self
    }

    /// The function it invokes.
    pub fn function(&self) -> &TaskFunction {
        &self.function
    }
}

/// Passes its input on, or a fixed result, to the next state.
#[derive(Clone, Debug, Default)]
pub struct Pass {
    result: Option<J>,
    result_path: ResultPath,
    next: Option<String>,
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
    next: Option<String>,
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
}

/// Goes to the state of the first condition that holds, else to its default (without
/// one, no match fails the execution with `States.NoChoiceMatched`).
///
/// ```
/// use nephos::constructs::state_machine::{Choice, Condition};
/// let c = Choice::new()
///     .when(Condition::string("$.status").equals("paid"), "Ship")
///     .when(Condition::number("$.attempts").at_least(3.0), "GiveUp")
///     .otherwise("Wait");
/// # let _ = c;
/// ```
#[derive(Clone, Debug, Default)]
pub struct Choice {
    choices: Vec<(Condition, String)>,
    default: Option<String>,
}

impl Choice {
    /// A choice of no rules yet (at least one is needed).
    pub fn new() -> Self {
        Choice::default()
    }
    /// When `condition` holds, goes to `next`.
    pub fn when(mut self, condition: Condition, next: impl Into<String>) -> Self {
        self.choices.push((condition, next.into()));
        self
    }
    /// When no condition holds, goes to `next` (`Default`).
    pub fn otherwise(mut self, next: impl Into<String>) -> Self {
        self.default = Some(next.into());
        self
    }
}

/// Runs its branches at the same time on the same input; its result is the array of
/// their results. A branch's states go only to states of that branch.
#[derive(Clone, Debug, Default)]
pub struct Parallel {
    pub(crate) branches: Vec<Definition>,
    flow: Flow,
}

impl Parallel {
    /// No branches yet (at least one is needed).
    pub fn new() -> Self {
        Parallel::default()
    }
    /// Adds a branch.
    pub fn branch(mut self, branch: Definition) -> Self {
        self.branches.push(branch);
        self
    }
    /// Adds a retrier.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.flow.retry.push(retry);
        self
    }
    /// Adds a catcher.
    pub fn catch(mut self, catch: Catch) -> Self {
        self.flow.catch.push(catch);
        self
    }
    /// Puts the results at `path` of the input.
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.flow.result_path = ResultPath::At(path.into());
        self
    }
    /// Goes to `state` next.
    pub fn next(mut self, state: impl Into<String>) -> Self {
        self.flow.next = Some(state.into());
        self
    }
}

/// Runs `processor` for each item of an array of the input (inline, at most
/// `max_concurrency` at a time); its result is the array of their results.
#[derive(Clone, Debug)]
pub struct Map {
    pub(crate) processor: Definition,
    items_path: Option<String>,
    max_concurrency: Option<u32>,
    flow: Flow,
}

impl Map {
    /// Runs `processor` for each item of the input (an array, or the one at
    /// [`items_path`](Map::items_path)).
    pub fn new(processor: Definition) -> Self {
        Map {
            processor,
            items_path: None,
            max_concurrency: None,
            flow: Flow::default(),
        }
    }
    /// The array is at `path` of the input (`$.orders`).
    pub fn items_path(mut self, path: impl Into<String>) -> Self {
        self.items_path = Some(path.into());
        self
    }
    /// At most `n` items at a time (0: as many as Step Functions allows).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }
    /// Adds a retrier.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.flow.retry.push(retry);
        self
    }
    /// Adds a catcher.
    pub fn catch(mut self, catch: Catch) -> Self {
        self.flow.catch.push(catch);
        self
    }
    /// Puts the results at `path` of the input.
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.flow.result_path = ResultPath::At(path.into());
        self
    }
    /// Goes to `state` next.
    pub fn next(mut self, state: impl Into<String>) -> Self {
        self.flow.next = Some(state.into());
        self
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
}

impl State {
    /// The states it may go to next (in its own flow).
    pub(crate) fn transitions(&self) -> Vec<&str> {
        match self {
            State::Task(t) => t.flow.transitions().collect(),
            State::Parallel(p) => p.flow.transitions().collect(),
            State::Map(m) => m.flow.transitions().collect(),
            State::Pass(p) => p.next.iter().map(String::as_str).collect(),
            State::Wait(w) => w.next.iter().map(String::as_str).collect(),
            State::Choice(c) => c
                .choices
                .iter()
                .map(|(_, n)| n.as_str())
                .chain(c.default.as_deref())
                .collect(),
            State::Succeed(_) | State::Fail(_) => Vec::new(),
        }
    }

    /// It ends its flow (`End: true`, Succeed, Fail).
    pub(crate) fn is_terminal(&self) -> bool {
        match self {
            State::Task(t) => t.flow.next.is_none(),
            State::Parallel(p) => p.flow.next.is_none(),
            State::Map(m) => m.flow.next.is_none(),
            State::Pass(p) => p.next.is_none(),
            State::Wait(w) => w.next.is_none(),
            State::Choice(_) => false,
            State::Succeed(_) | State::Fail(_) => true,
        }
    }

    /// The flows nested in it (a Parallel's branches, a Map's processor), with how
    /// messages name each.
    pub(crate) fn nested(&self) -> Vec<(String, &Definition)> {
        match self {
            State::Parallel(p) => p
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| (format!("branch {}", i + 1), b))
                .collect(),
            State::Map(m) => vec![("item processor".to_string(), &m.processor)],
            _ => Vec::new(),
        }
    }

    /// What Step Functions would refuse in the state itself (not its transitions).
    pub(crate) fn problems(&self, out: &mut Vec<String>) {
        match self {
            State::Task(t) => {
                t.flow.problems(out);
                for (field, v) in [
                    ("TimeoutSeconds", t.timeout),
                    ("HeartbeatSeconds", t.heartbeat),
                ] {
                    if v.is_some_and(|n| !(1..=MAX_COUNT).contains(&n)) {
                        out.push(format!("its `{field}` is not 1 to 99,999,999"));
                    }
                }
                if let (Some(h), Some(t)) = (t.heartbeat, t.timeout)
                    && h >= t
                {
                    out.push("its heartbeat is not shorter than its timeout".to_string());
                }
            }
            State::Parallel(p) => {
                p.flow.problems(out);
                if p.branches.is_empty() {
                    out.push("it is a Parallel state of no branches".to_string());
                }
            }
            State::Map(m) => {
                m.flow.problems(out);
                if let Some(p) = &m.items_path {
                    path_problem("ItemsPath", p, out);
                }
            }
            State::Pass(p) => {
                if let ResultPath::At(path) = &p.result_path {
                    path_problem("ResultPath", path, out);
                }
            }
            State::Wait(w) => match &w.until {
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
            },
            State::Choice(c) => {
                if c.choices.is_empty() {
                    out.push("it is a Choice state of no rules".to_string());
                }
                for (cond, _) in &c.choices {
                    cond.problems(out);
                }
            }
            State::Succeed(_) | State::Fail(_) => {}
        }
    }

    /// The state as ASL JSON; its nested flows and its functions through `render`.
    pub(crate) fn to_json(&self, render: &mut Render) -> J {
        let mut m = JMap::new();
        let kind = match self {
            State::Task(t) => {
                let key = render.function(&t.function.target);
                m.insert("Resource".into(), json!(format!("${{{key}}}")));
                if let Some(n) = t.timeout {
                    m.insert("TimeoutSeconds".into(), json!(n));
                }
                if let Some(n) = t.heartbeat {
                    m.insert("HeartbeatSeconds".into(), json!(n));
                }
                t.flow.write(&mut m);
                "Task"
            }
            State::Pass(p) => {
                if let Some(r) = &p.result {
                    m.insert("Result".into(), r.clone());
                }
                p.result_path.write(&mut m);
                write_next(&p.next, &mut m);
                "Pass"
            }
            State::Wait(w) => {
                let (field, value) = match &w.until {
                    Until::Seconds(n) => ("Seconds", json!(n)),
                    Until::Timestamp(t) => ("Timestamp", json!(t)),
                    Until::SecondsPath(p) => ("SecondsPath", json!(p)),
                    Until::TimestampPath(p) => ("TimestampPath", json!(p)),
                };
                m.insert(field.into(), value);
                write_next(&w.next, &mut m);
                "Wait"
            }
            State::Choice(c) => {
                let rules = c
                    .choices
                    .iter()
                    .map(|(cond, next)| {
                        let mut rule = cond.to_json();
                        rule["Next"] = json!(next);
                        rule
                    })
                    .collect();
                m.insert("Choices".into(), J::Array(rules));
                if let Some(d) = &c.default {
                    m.insert("Default".into(), json!(d));
                }
                "Choice"
            }
            State::Parallel(p) => {
                let branches = p.branches.iter().map(|b| b.to_json(render)).collect();
                m.insert("Branches".into(), J::Array(branches));
                p.flow.write(&mut m);
                "Parallel"
            }
            State::Map(mp) => {
                let mut processor = mp.processor.to_json(render);
                processor["ProcessorConfig"] = json!({"Mode": "INLINE"});
                m.insert("ItemProcessor".into(), processor);
                if let Some(p) = &mp.items_path {
                    m.insert("ItemsPath".into(), json!(p));
                }
                if let Some(n) = mp.max_concurrency {
                    m.insert("MaxConcurrency".into(), json!(n));
                }
                mp.flow.write(&mut m);
                "Map"
            }
            State::Succeed(_) => "Succeed",
            State::Fail(f) => {
                if let Some(e) = &f.error {
                    m.insert("Error".into(), json!(e));
                }
                if let Some(c) = &f.cause {
                    m.insert("Cause".into(), json!(c));
                }
                "Fail"
            }
        };
        m.insert("Type".into(), json!(kind));
        J::Object(m)
    }

    /// The functions its tasks invoke, nested flows included.
    pub(crate) fn functions<'a>(&'a self, out: &mut Vec<&'a TaskFunction>) {
        if let State::Task(t) = self {
            out.push(&t.function);
        }
        for (_, d) in self.nested() {
            out.extend(d.functions());
        }
    }
}
