//! Grants on a Step Functions state machine.

use crate::constructs::grants::{Grant, Granted, Grantee, actions, grant};
use crate::kind::Str;
use crate::stack::stack::Stack;
use crate::value::value::IntoValue;

/// Lets `grantee` start executions of the state machine `arn`
/// (`states:StartExecution`), of that state machine only.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::grants;
/// use nephos::constructs::{Code, Function, Runtime};
/// let mut stack = Stack::new("App");
/// let caller = stack.add("Caller", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";
/// assert!(grants::state_machine::start_execution(&mut stack, &caller, machine).is_some());
/// ```
pub fn start_execution(
    stack: &mut Stack,
    grantee: &impl Grantee,
    arn: impl IntoValue<Str>,
) -> Option<Granted> {
    grant(
        stack,
        grantee,
        Grant::new("states:StartExecution")
            .actions(actions::STATES_START_EXECUTION)
            .on(arn),
    )
}

/// Lets `grantee` answer the tasks of the state machine `arn` that wait for a task
/// token (`wait_for_task_token`): `states:SendTaskSuccess`, `SendTaskFailure` and
/// `SendTaskHeartbeat`, on that state machine only (as CDK's `grantTaskResponse`).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::grants;
/// use nephos::constructs::{Code, Function, Runtime};
/// let mut stack = Stack::new("App");
/// let worker = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";
/// assert!(grants::state_machine::task_response(&mut stack, &worker, machine).is_some());
/// ```
pub fn task_response(
    stack: &mut Stack,
    grantee: &impl Grantee,
    arn: impl IntoValue<Str>,
) -> Option<Granted> {
    grant(
        stack,
        grantee,
        Grant::new("answering the state machine's task tokens")
            .actions(actions::STATES_TASK_RESPONSE)
            .on(arn),
    )
}
