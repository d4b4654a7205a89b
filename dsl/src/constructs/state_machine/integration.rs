//! [`Integration`]: what a [`Task`](super::Task) calls, a Lambda function or one of the
//! service integrations, with what each writes into the state, what Step Functions would
//! refuse in it and what the role is granted for it.

use serde_json::{Map as JMap, Value as J, json};

use super::dynamodb::DynamoItem;
use super::messaging::{PutEvents, SnsPublish, SqsSendMessage};
use super::nested::StartExecution;
use super::render::Render;
use super::task::TaskFunction;
use crate::constructs::grants::{self, Grantee};
use crate::stack::stack::Stack;

/// What a task calls: build it with [`Task::invoke`](super::Task::invoke) for a function,
/// or give one of the service calls to [`Task::call`](super::Task::call). The integration
/// patterns each supports are its methods (`wait_for_task_token`, `sync`): a pattern a
/// service does not offer is not a method of its type.
#[derive(Clone, Debug, PartialEq)]
pub enum Integration {
    /// Invokes a function (its ARN as the `Resource`).
    Function(TaskFunction),
    /// Publishes to an SNS topic.
    SnsPublish(SnsPublish),
    /// Sends to an SQS queue.
    SqsSendMessage(SqsSendMessage),
    /// Puts an event on an EventBridge bus.
    PutEvents(PutEvents),
    /// Reads, writes, updates or deletes a DynamoDB item.
    DynamoItem(DynamoItem),
    /// Starts an execution of a state machine.
    StartExecution(StartExecution),
}

macro_rules! into_integration {
    ($($t:ident),*) => {$(
        impl From<$t> for Integration {
            fn from(call: $t) -> Integration {
                Integration::$t(call)
            }
        }
    )*};
}
into_integration!(
    SnsPublish,
    SqsSendMessage,
    PutEvents,
    DynamoItem,
    StartExecution
);

impl Integration {
    /// The function it invokes, if it is a function's.
    pub fn function(&self) -> Option<&TaskFunction> {
        match self {
            Integration::Function(f) => Some(f),
            _ => None,
        }
    }

    /// It waits for a job or a callback (`.sync`, `.waitForTaskToken`), which only a
    /// Standard workflow runs.
    pub fn waits(&self) -> bool {
        match self {
            Integration::Function(_) | Integration::DynamoItem(_) => false,
            Integration::SnsPublish(s) => s.waits(),
            Integration::SqsSendMessage(s) => s.waits(),
            Integration::PutEvents(p) => p.waits(),
            Integration::StartExecution(s) => s.waits(),
        }
    }

    /// The topic or queue a messaging task sends to, when it is outside the stack: the
    /// task reaches it only in the state machine's Region.
    pub(super) fn sends_outside(
        &self,
    ) -> Option<crate::constructs::grants::Target<crate::constructs::grants::on::Any>> {
        match self {
            Integration::SnsPublish(s) => s.outside(),
            Integration::SqsSendMessage(s) => s.outside(),
            _ => None,
        }
    }

    /// Writes `Resource` and `Parameters`.
    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        match self {
            Integration::Function(f) => {
                let key = render.value(f.target().resource(), "Function", f.target().arn());
                m.insert("Resource".into(), json!(format!("${{{key}}}")));
            }
            Integration::SnsPublish(s) => s.write(m, render),
            Integration::SqsSendMessage(s) => s.write(m, render),
            Integration::PutEvents(p) => p.write(m, render),
            Integration::DynamoItem(d) => d.write(m, render),
            Integration::StartExecution(s) => s.write(m, render),
        }
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        match self {
            Integration::Function(_) => {}
            Integration::SnsPublish(s) => s.problems(out),
            Integration::SqsSendMessage(s) => s.problems(out),
            Integration::PutEvents(p) => p.problems(out),
            Integration::DynamoItem(d) => d.problems(out),
            Integration::StartExecution(s) => s.problems(out),
        }
    }

    /// Grants `grantee` what the call needs, and nothing else.
    pub fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        match self {
            Integration::Function(f) => {
                grants::function::invoke(stack, grantee, f.target());
            }
            Integration::SnsPublish(s) => s.grant(stack, grantee),
            Integration::SqsSendMessage(s) => s.grant(stack, grantee),
            Integration::PutEvents(p) => p.grant(stack, grantee),
            Integration::DynamoItem(d) => d.grant(stack, grantee),
            Integration::StartExecution(s) => s.grant(stack, grantee),
        }
    }
}
