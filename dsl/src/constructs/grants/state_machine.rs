//! Grants on a Step Functions state machine.

use crate::constructs::grants::{Grant, Granted, Grantee, Target, TargetArn, actions, grant, on};
use crate::stack::stack::Stack;

/// Lets `grantee` start executions of the state machine `arn`
/// (`states:StartExecution`), of that state machine only. `arn` is a state machine's ARN
/// (`Value<StepFunctionsStateMachineArn>`), a `Value<AnyArn>` or a literal ARN
/// ([`Target::by_arn`]): a function's name or another resource's ARN does not compile,
/// and a literal ARN of another type is a synth error.
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
    arn: impl TargetArn<on::StateMachine>,
) -> Option<Granted> {
    let machine = Target::<on::StateMachine>::by_arn("state machine", arn);
    if machine.refuse_mismatch(stack, &grantee.grantee_name(), "states:StartExecution") {
        return None;
    }
    grant(
        stack,
        grantee,
        Grant::new("states:StartExecution")
            .actions(actions::STATES_START_EXECUTION)
            .on(machine.arn()),
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
    arn: impl TargetArn<on::StateMachine>,
) -> Option<Granted> {
    let machine = Target::<on::StateMachine>::by_arn("state machine", arn);
    let purpose = "answering the state machine's task tokens";
    if machine.refuse_mismatch(stack, &grantee.grantee_name(), purpose) {
        return None;
    }
    grant(
        stack,
        grantee,
        Grant::new(purpose)
            .actions(actions::STATES_TASK_RESPONSE)
            .on(machine.arn()),
    )
}
