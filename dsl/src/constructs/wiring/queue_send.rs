//! A service sending into a queue on behalf of one source (SNS from a topic, EventBridge
//! from a rule, S3 from a bucket): the statement in the queue's policy and, for a queue
//! under a customer-managed key, the service allowed on that key. Written once here so
//! every delivery into a queue is scoped the same way.

use crate::aws;
use crate::constructs::wiring::QueueEnd;
use crate::constructs::wiring::key_policy::allow_service;
use crate::constructs::wiring::resource_policy::add_statement;
use crate::kind::Str;
use crate::policy::{Principal, Statement};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// How the queue policy's statement limits the service to the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceScope {
    /// `ArnEquals` on `aws:SourceArn`: the source's ARN names its account (a topic, a
    /// rule).
    Arn,
    /// `ArnLike` on `aws:SourceArn` and `StringEquals` on `aws:SourceAccount`: an S3
    /// bucket's ARN has no account in it, so the account is checked beside it (Amazon S3
    /// User Guide, "Granting permissions to publish event notification messages").
    ArnInAccount,
}

/// Who sends: the service principal, the source it sends for (as messages name it,
/// such as "topic `Orders`") and the source's ARN.
#[derive(Clone, Debug)]
pub struct Sender {
    /// The service principal, such as `sns.amazonaws.com`.
    pub service: &'static str,
    /// The source as messages name it, such as "topic `Orders`".
    pub source: String,
    /// The source's ARN, which the statement (and the key's) is limited to.
    pub arn: Value<Str>,
    /// How the statement is limited to the source.
    pub scope: SourceScope,
}

/// Lets `sender` send to `queue`: `sqs:SendMessage` on the queue for the service, limited
/// to the source, in the queue's one policy ([`add_statement`], returned for a wiring to
/// wait for), and the service allowed on the queue's customer-managed key, if any
/// ([`allow_service`]: a key outside the stack is a synth error).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::Queue;
/// use nephos::constructs::wiring::queue_send::{Sender, SourceScope, allow_send};
/// use nephos::IntoValue;
/// let mut stack = Stack::new("App");
/// let q = stack.add("Jobs", Queue::new());
/// let from = Sender {
///     service: "sns.amazonaws.com",
///     source: "topic `Orders`".into(),
///     arn: "arn:aws:sns:eu-west-1:123456789012:orders".into_value(),
///     scope: SourceScope::Arn,
/// };
/// allow_send(&mut stack, &q, &from);
/// let t = stack.synth().unwrap();
/// let s = &t.json()["Resources"]["JobsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
/// assert_eq!(s["Action"], serde_json::json!(["sqs:SendMessage"]));
/// assert_eq!(s["Condition"]["ArnEquals"]["aws:SourceArn"], "arn:aws:sns:eu-west-1:123456789012:orders");
/// ```
pub fn allow_send(stack: &mut Stack, queue: &impl QueueEnd, sender: &Sender) -> ResourceRef {
    let mut statement = Statement::allow()
        .principal(Principal::service(sender.service))
        .action("sqs:SendMessage")
        .resource(queue.queue_arn());
    statement = match sender.scope {
        SourceScope::Arn => statement.condition("ArnEquals", "aws:SourceArn", sender.arn.clone()),
        SourceScope::ArnInAccount => statement
            .condition("ArnLike", "aws:SourceArn", sender.arn.clone())
            .condition("StringEquals", "aws:SourceAccount", aws::account_id()),
    };
    let policy = add_statement(stack, queue, statement);
    if let Some(key) = &queue.queue_key() {
        allow_service(
            stack,
            key,
            sender.service,
            &sender.source,
            sender.arn.clone(),
            &format!("queue `{}`", queue.resource_ref().logical_id()),
        );
    }
    policy
}
