//! [`ImportedQueue`]: an SQS queue outside the stack (`Queue::from_arn`).

use crate::constructs::Queue;
use crate::constructs::grants::{self, Granted, Grantee};
use crate::constructs::import::{Arn, ImportError, imported};
use crate::kinds::SqsQueueArn;
use crate::stack::stack::Stack;
use crate::value::value::Value;

imported!(
    /// An SQS queue outside the stack, known by ARN: grants on it (see the
    /// [module](crate::constructs::import) for what cannot be done with it).
    ImportedQueue,
    SqsQueueArn,
    Queue "queue",
    keyed
);

impl Queue {
    /// The queue `arn` (`arn:aws:sqs:<region>:<account>:<name>`), checked: an ARN of
    /// another service, a malformed one or a name SQS refuses is an [`ImportError`].
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, Queue, Runtime};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// let jobs = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs").unwrap();
    /// jobs.grant_consume(&mut stack, &f);
    /// let t = stack.synth().unwrap();
    /// let policy = t.json()["Resources"]["WorkerRole"]["Properties"]["Policies"][0].to_string();
    /// assert!(policy.contains("arn:aws:sqs:eu-west-1:123456789012:jobs"));
    /// assert!(Queue::from_arn("arn:aws:sns:eu-west-1:123456789012:jobs").is_err());
    /// ```
    pub fn from_arn(arn: &str) -> Result<ImportedQueue, ImportError> {
        let parsed = Arn::parse("queue", arn, "sqs")?;
        let name = parsed.resource();
        let fifo = name.ends_with(".fifo");
        if let Some((problem, _)) =
            crate::constructs::names::message_name_problem("queue", name, 80, fifo)
        {
            return Err(ImportError::new("queue", arn, problem));
        }
        Ok(ImportedQueue::from_value(Value::literal(arn)))
    }

    /// The queue whose ARN is `arn`, a typed value (another stack's queue, a
    /// parameter): its kind says it is a queue's, so nothing is parsed.
    pub fn from_arn_value(arn: Value<SqsQueueArn>) -> ImportedQueue {
        ImportedQueue::from_value(arn)
    }
}

impl ImportedQueue {
    /// Lets `grantee` send messages (and produce with its key).
    pub fn grant_send(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::queue::send(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` receive and delete messages (and decrypt them).
    pub fn grant_consume(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::queue::consume(stack, grantee, &self.grant_target())
    }
}

#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
impl ImportedQueue {
    /// Invokes `function` with batches of this queue's messages, polled as `options`
    /// say: the consume grant (and its key's, given with `encrypted_with`) on the
    /// function's role, and an event source mapping
    /// `<Function><fragment of the queue's ARN>Trigger` in this stack. The queue's own
    /// policy is not involved (Lambda polls with the function's role), so this works on
    /// a queue of this account; a queue of another account must let the role in.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, Queue, Runtime, wiring::sqs::SqsTrigger};
    /// let mut stack = Stack::new("App");
    /// let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// let jobs = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs").unwrap();
    /// let m = jobs.trigger_with(&mut stack, &f, SqsTrigger::new(10));
    /// let t = stack.synth().unwrap();
    /// let id = nephos::Handle::resource_ref(&m).logical_id().to_string();
    /// assert_eq!(t.json()["Resources"][&id]["Properties"]["EventSourceArn"], "arn:aws:sqs:eu-west-1:123456789012:jobs");
    /// ```
    pub fn trigger_with(
        &self,
        stack: &mut Stack,
        function: &impl crate::constructs::wiring::FunctionEnd,
        options: crate::constructs::wiring::sqs::SqsTrigger,
    ) -> crate::lambda::EventSourceMappingHandle {
        crate::constructs::wiring::sqs::trigger_imported(
            stack,
            &self.grant_target(),
            function,
            &options,
        )
    }
}
