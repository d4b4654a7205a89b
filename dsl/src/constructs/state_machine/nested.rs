//! A task that starts another state machine (`arn:${Partition}:states:::states:startExecution`):
//! request-response (started, not awaited), `.sync:2` (waits for the execution and takes
//! its output as JSON) or `.waitForTaskToken` (waits for the token passed in its input).
//! The role's statements are the ones the Step Functions Developer Guide lists for each
//! pattern ("IAM policies for integrated services", AWS Step Functions): `states:StartExecution`
//! on the state machine; for `.sync`, also `states:DescribeExecution` and
//! `states:StopExecution` on its executions, and `events:PutTargets`, `events:PutRule`
//! and `events:DescribeRule` on the rule Step Functions manages for it
//! (`StepFunctionsGetEventsForStepFunctionsExecutionRule`).

use serde_json::{Map as JMap, Value as J, json};

use super::render::Render;
use super::service::{Payload, WAIT_FOR_TASK_TOKEN, resource};
use crate::constructs::grants::{self, Grant, Grantee, actions};
use crate::constructs::wiring::StateMachineEnd;
use crate::kind::Str;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// What a `.sync` task's role needs on the executions it follows.
const STATES_FOLLOW_EXECUTION: &[&str] = &["states:DescribeExecution", "states:StopExecution"];
/// What a `.sync` task's role needs on the EventBridge rule Step Functions manages.
const EVENTS_MANAGED_RULE: &[&str] =
    &["events:DescribeRule", "events:PutRule", "events:PutTargets"];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Pattern {
    RequestResponse,
    Sync,
    WaitForTaskToken,
}

/// Starts an execution of a state machine.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::StateMachine;
/// use nephos::constructs::state_machine::{Definition, Payload, StartExecution, Succeed, Task};
/// let mut stack = Stack::new("App");
/// let child = stack.add("Child", StateMachine::new(Definition::new("Done").state("Done", Succeed::new())));
/// let task = Task::call(StartExecution::new(&child).input(Payload::at("$.order")).sync());
/// # let _ = task;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StartExecution {
    arn: Value<Str>,
    name: Value<Str>,
    resource: ResourceRef,
    input: Payload,
    pattern: Pattern,
}

impl StartExecution {
    /// Starts `state_machine` with the state's input, without waiting for it.
    pub fn new(state_machine: &impl StateMachineEnd) -> Self {
        StartExecution {
            arn: state_machine.state_machine_arn().cast(),
            name: state_machine.state_machine_name().cast(),
            resource: state_machine.resource_ref().clone(),
            input: Payload::Input,
            pattern: Pattern::RequestResponse,
        }
    }
    /// The execution's input (the state's input unless set).
    pub fn input(mut self, input: Payload) -> Self {
        self.input = input;
        self
    }
    /// Waits for the execution to end; the task's result is its output, as JSON
    /// (`startExecution.sync:2`). Only a Standard state machine can run such a task.
    pub fn sync(mut self) -> Self {
        self.pattern = Pattern::Sync;
        self
    }
    /// Waits until the started execution returns the task token its input carries
    /// (`{"input": <input>, "taskToken": <token>}`).
    pub fn wait_for_task_token(mut self) -> Self {
        self.pattern = Pattern::WaitForTaskToken;
        self
    }

    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        let suffix = match self.pattern {
            Pattern::RequestResponse => "",
            Pattern::Sync => ".sync:2",
            Pattern::WaitForTaskToken => WAIT_FOR_TASK_TOKEN,
        };
        m.insert(
            "Resource".into(),
            resource(render, "states:startExecution", suffix),
        );
        let mut p = JMap::new();
        let key = render.value(Some(&self.resource), "StateMachine", &self.arn);
        p.insert("StateMachineArn".into(), json!(format!("${{{key}}}")));
        let input = if self.pattern == Pattern::WaitForTaskToken {
            self.input.with_token()
        } else {
            self.input.clone()
        };
        input.write("Input", &mut p);
        m.insert("Parameters".into(), J::Object(p));
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        self.input.problems("Input", out);
    }

    /// Whether it waits (`.sync` or `.waitForTaskToken`).
    pub(super) fn waits(&self) -> bool {
        self.pattern != Pattern::RequestResponse
    }

    pub(super) fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        grants::grant(
            stack,
            grantee,
            Grant::new("starting the state machine")
                .actions(actions::STATES_START_EXECUTION)
                .on(self.arn.clone()),
        );
        if self.pattern != Pattern::Sync {
            return;
        }
        grants::grant(
            stack,
            grantee,
            Grant::new("following the executions it starts")
                .actions(STATES_FOLLOW_EXECUTION)
                .on(crate::sub!(
                    "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${name}:*",
                    name = self.name.clone()
                )),
        );
        grants::grant(
            stack,
            grantee,
            Grant::new("the rule Step Functions manages to follow executions")
                .actions(EVENTS_MANAGED_RULE)
                .on(crate::sub(
                    "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
                    [],
                )),
        );
    }
}
