//! [`Queue`]: an SQS queue, optionally with a dead-letter queue.

use crate::constructs::RemovalPolicy;
use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::constructs::wiring::{FunctionEnd, sqs};
use crate::kind::{Int, Str};
use crate::kinds::{KmsKeyArn, SqsQueueArn, SqsQueueName, SqsQueueUrl};
use crate::sqs::QueueHandle;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value;
use crate::value::value::{IntoValue, Value};

/// An SQS queue, encrypted with SQS-managed keys unless a KMS key is given, kept when
/// removed from the stack unless [`RemovalPolicy::Destroy`] is chosen.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::Queue;
/// let mut stack = Stack::new("App");
/// let dlq = stack.add("Failed", Queue::new());
/// stack.add("Jobs", Queue::new().visibility_timeout(60).dead_letter_queue(&dlq, 5));
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["Jobs"]["Properties"]["RedrivePolicy"]["maxReceiveCount"], 5);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Queue {
    name: Option<Value<Str>>,
    visibility_timeout: Option<Value<Int>>,
    retention_seconds: Option<Value<Int>>,
    dead_letter: Option<(QueueRef, i64)>,
    fifo: bool,
    kms_key: Option<Value<KmsKeyArn>>,
    removal: RemovalPolicy,
}

impl Queue {
    /// A standard queue.
    pub fn new() -> Self {
        Queue::default()
    }

    /// The physical queue name (a FIFO queue's name must end in `.fifo`).
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.name = Some(name.into_value());
        self
    }

    /// Seconds a received message stays invisible to other consumers.
    pub fn visibility_timeout(mut self, seconds: impl IntoValue<Int>) -> Self {
        self.visibility_timeout = Some(seconds.into_value());
        self
    }

    /// Seconds a message is kept (60 to 1,209,600).
    pub fn retention_seconds(mut self, seconds: impl IntoValue<Int>) -> Self {
        self.retention_seconds = Some(seconds.into_value());
        self
    }

    /// Moves messages received `max_receive_count` times without being deleted to `dlq`.
    pub fn dead_letter_queue(mut self, dlq: &QueueRef, max_receive_count: i64) -> Self {
        self.dead_letter = Some((dlq.clone(), max_receive_count));
        self
    }

    /// A FIFO queue.
    pub fn fifo(mut self) -> Self {
        self.fifo = true;
        self
    }

    /// Encrypts with a customer-managed KMS key.
    pub fn kms_key(mut self, arn: impl IntoValue<KmsKeyArn>) -> Self {
        self.kms_key = Some(arn.into_value());
        self
    }

    /// What happens to the queue's messages when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal = policy;
        self
    }
}

impl Construct for Queue {
    type Handle = QueueRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> QueueRef {
        let mut q = crate::sqs::Queue::new();
        if let Some(n) = self.name {
            if let Some(literal) = n.literal_str()
                && let Some((problem, fix)) =
                    crate::constructs::names::message_name_problem("queue", literal, 80, self.fifo)
            {
                stack.problem(crate::Diagnostic::error(
                    crate::Location::property(id, "QueueName"),
                    problem,
                    fix,
                ));
            }
            q = q.queue_name(n);
        }
        if let Some(v) = self.visibility_timeout {
            q = q.visibility_timeout(v);
        }
        if let Some(r) = self.retention_seconds {
            q = q.message_retention_period(r);
        }
        if let Some((dlq, max)) = &self.dead_letter {
            q = q.redrive_policy(Value::cast::<crate::sqs::queue::RedrivePolicy>(
                value!({ "deadLetterTargetArn": dlq.arn(), "maxReceiveCount": *max }),
            ));
        }
        if self.fifo {
            q = q.fifo_queue(true);
        }
        let kms_key = self.kms_key.clone();
        q = match self.kms_key {
            Some(k) => q.kms_master_key_id(k.cast::<Str>()),
            None => q.sqs_managed_sse_enabled(true),
        };
        let queue = stack.add(id, q);
        self.removal.apply(stack, &queue);
        QueueRef { queue, kms_key }
    }
}

/// A queue added to a stack.
#[derive(Clone, Debug)]
pub struct QueueRef {
    queue: QueueHandle,
    /// The customer-managed key, which every grant and delivery to the queue covers.
    kms_key: Option<Value<KmsKeyArn>>,
}

impl QueueRef {
    /// The queue's URL.
    pub fn url(&self) -> Value<SqsQueueUrl> {
        self.queue.url()
    }

    /// The queue's ARN.
    pub fn arn(&self) -> Value<SqsQueueArn> {
        self.queue.arn()
    }

    /// The queue's name.
    pub fn name(&self) -> Value<SqsQueueName> {
        self.queue.name()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &QueueHandle {
        &self.queue
    }

    /// What grants on the queue are on: its ARN and key.
    pub fn grant_target(&self) -> Target {
        Target::from(&self.queue).encrypted_with(self.kms_key.clone())
    }

    /// Lets `grantee` send messages.
    pub fn grant_send(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::queue::send(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` receive and delete messages.
    pub fn grant_consume(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::queue::consume(stack, grantee, &self.grant_target())
    }

    /// Invokes `function` with batches of messages: an event source mapping plus the
    /// consume grant it needs.
    pub fn trigger(
        &self,
        stack: &mut Stack,
        function: &impl FunctionEnd,
        batch_size: i64,
    ) -> crate::lambda::EventSourceMappingHandle {
        sqs::trigger(
            stack,
            &self.grant_target(),
            self.handle(),
            function,
            batch_size,
        )
    }
}

impl Handle for QueueRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.queue.resource_ref()
    }
}
