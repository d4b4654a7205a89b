//! The Task state: invokes a function with the state's input as its event, or calls a
//! service ([`Integration`]), with a timeout, a heartbeat, retriers and catchers.

use serde_json::{Map as JMap, Value as J, json};

use super::flow::{Flow, MAX_COUNT, flow_options};
use super::integration::Integration;
use super::render::Render;
use crate::constructs::grants::{Target, on};
use crate::constructs::wiring::InvokedFunction;

/// The function a [`Task`] invokes, as its [`InvokedFunction::invoke_target`] gives it:
/// the state machine's role may invoke exactly that ARN.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskFunction {
    target: Target<on::Function>,
}

impl TaskFunction {
    /// What the role's invoke grant is on.
    pub fn target(&self) -> &Target<on::Function> {
        &self.target
    }
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
    // Boxed: a service call is several times the size of the other states' fields.
    call: Box<Integration>,
    timeout: Option<u32>,
    heartbeat: Option<u32>,
    pub(super) flow: Flow,
}

flow_options!(Task);

impl Task {
    /// Invokes `function` (a function, version or alias of the stack, an imported one, or
    /// any [`InvokedFunction`] of your own).
    pub fn invoke(function: &impl InvokedFunction) -> Self {
        Task::call(Integration::Function(TaskFunction {
            target: function.invoke_target(),
        }))
    }
    /// Calls a service: [`SnsPublish`](super::SnsPublish),
    /// [`SqsSendMessage`](super::SqsSendMessage), [`PutEvents`](super::PutEvents),
    /// [`DynamoItem`](super::DynamoItem) or [`StartExecution`](super::StartExecution).
    /// The state machine's role is granted what that call needs (the actions the Step
    /// Functions Developer Guide lists for it, on its target only).
    pub fn call(call: impl Into<Integration>) -> Self {
        Task {
            call: Box::new(call.into()),
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

    /// The function it invokes, if it invokes one.
    pub fn function(&self) -> Option<&TaskFunction> {
        self.call.function()
    }

    /// What it calls.
    pub fn integration(&self) -> &Integration {
        &self.call
    }

    /// What Step Functions would refuse in the task itself.
    pub(super) fn problems(&self, out: &mut Vec<String>) {
        self.flow.problems(out);
        self.call.problems(out);
        for (field, v) in [
            ("TimeoutSeconds", self.timeout),
            ("HeartbeatSeconds", self.heartbeat),
        ] {
            if v.is_some_and(|n| !(1..=MAX_COUNT).contains(&n)) {
                out.push(format!("its `{field}` is not 1 to 99,999,999"));
            }
        }
        if let (Some(h), Some(t)) = (self.heartbeat, self.timeout)
            && h >= t
        {
            out.push("its heartbeat is not shorter than its timeout".to_string());
        }
    }

    /// Writes its fields but `Type`; the function's ARN through `render`.
    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        self.call.write(m, render);
        if let Some(n) = self.timeout {
            m.insert("TimeoutSeconds".into(), json!(n));
        }
        if let Some(n) = self.heartbeat {
            m.insert("HeartbeatSeconds".into(), json!(n));
        }
        self.flow.write(m);
    }
}
