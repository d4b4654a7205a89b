//! [`Queue`]: an SQS queue, optionally with a dead-letter queue.

use crate::constructs::RemovalPolicy;
use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::{self, Granted, Grantee, Target};
#[cfg(feature = "lambda")]
use crate::constructs::wiring::{FunctionEnd, sqs};
use crate::kind::{Int, Str};
use crate::kinds::{SqsQueueArn, SqsQueueName, SqsQueueUrl};
use crate::sqs::QueueHandle;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::PropsBuilder;
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
/// // Kept 14 days, longer than `Jobs`'s 4: see `dead_letter_queue`.
/// let dlq = stack.add("Failed", Queue::new().retention_seconds(1_209_600));
/// stack.add("Jobs", Queue::new().visibility_timeout(60).dead_letter_queue(&dlq, 5));
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["Jobs"]["Properties"]["RedrivePolicy"]["maxReceiveCount"], 5);
/// ```
///
/// The construct holds the generated `AWS::SQS::Queue` builder: options write into it, and
/// [`configure`](Queue::configure) reaches every property it has.
#[derive(Clone, Debug)]
pub struct Queue {
    /// The builder, the key every grant covers, the removal policy and the hatch.
    queue: Wrapped<crate::sqs::Queue>,
}

impl Default for Queue {
    fn default() -> Self {
        Queue {
            queue: Wrapped::stateful(crate::sqs::Queue::default()),
        }
    }
}

impl Queue {
    /// A standard queue.
    pub fn new() -> Self {
        Queue::default()
    }

    /// The physical queue name (a FIFO queue's name must end in `.fifo`).
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.queue = self.queue.set(|q| q.queue_name(name));
        self
    }

    /// Seconds a received message stays invisible to other consumers.
    pub fn visibility_timeout(mut self, seconds: impl IntoValue<Int>) -> Self {
        self.queue = self.queue.set(|q| q.visibility_timeout(seconds));
        self
    }

    /// Seconds a message is kept (60 to 1,209,600).
    pub fn retention_seconds(mut self, seconds: impl IntoValue<Int>) -> Self {
        self.queue = self.queue.set(|q| q.message_retention_period(seconds));
        self
    }

    /// Moves messages received `max_receive_count` times (1 to 1,000) without being
    /// deleted to `dlq`, a queue of the same kind (FIFO or standard). Otherwise a synth
    /// error, as SQS refuses the redrive policy (Amazon SQS Developer Guide, "Using
    /// dead-letter queues"; `RedrivePolicy`): checked on the template's queue
    /// (`synth/checks/sqs_queues.rs`), as on a generated `sqs::Queue`.
    ///
    /// A standard queue's `dlq` must keep messages longer than the queue does: SQS
    /// keeps the original enqueue timestamp when it moves a message there, so a
    /// dead-letter queue with the default 4 days behind a 4-day queue deletes the
    /// failures it exists to keep. A retention not longer than the queue's (both literal,
    /// or SQS's default of 345,600 seconds) is a synth error; give the dead-letter queue
    /// `.retention_seconds(1_209_600)`, 14 days, SQS's maximum.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::Queue;
    /// let mut stack = Stack::new("App");
    /// let dlq = stack.add("Failed", Queue::new());
    /// stack.add("Jobs", Queue::new().fifo().dead_letter_queue(&dlq, 5));
    /// assert!(stack.synth().unwrap_err().to_string().contains("FIFO"));
    ///
    /// let mut stack = Stack::new("App");
    /// let dlq = stack.add("Failed", Queue::new());
    /// stack.add("Jobs", Queue::new().dead_letter_queue(&dlq, 5));
    /// assert!(stack.synth().unwrap_err().to_string().contains(".retention_seconds(1_209_600)"));
    /// ```
    pub fn dead_letter_queue(mut self, dlq: &QueueRef, max_receive_count: i64) -> Self {
        let policy = Value::cast::<crate::sqs::queue::RedrivePolicy>(
            value!({ "deadLetterTargetArn": dlq.arn(), "maxReceiveCount": max_receive_count }),
        );
        self.queue = self.queue.set(|q| q.redrive_policy(policy));
        self
    }

    /// A FIFO queue.
    pub fn fifo(mut self) -> Self {
        self.queue = self.queue.set(|q| q.fifo_queue(true));
        self
    }

    /// Content-based deduplication (a FIFO queue's): SQS deduplicates messages by a
    /// SHA-256 hash of their body, so senders need not give a deduplication ID (and
    /// EventBridge rule and Scheduler targets, which cannot, need it).
    pub fn content_based_deduplication(mut self) -> Self {
        self.queue = self.queue.set(|q| q.content_based_deduplication(true));
        self
    }

    /// Encrypts with a KMS key.
    /// `key` is a key's ARN or ID (`key.arn()`, `key.id()` of an `AWS::KMS::Key`), an
    /// alias name (`alias.name()`, or `Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/sqs")`
    /// for the AWS managed key) or an alias ARN, as SQS takes it (Amazon SQS API Reference, `KmsMasterKeyId`). Grants on
    /// the queue cover the key by its ARN; an alias other than an AWS managed one is refused
    /// when a grant is made (see [`grants::key`](crate::constructs::grants::key)).
    pub fn kms_key(mut self, key: impl Into<EncryptionKey>) -> Self {
        self.queue = self.queue.kms_key(key, |q, key| q.kms_master_key_id(key));
        self
    }

    /// What happens to the queue's messages when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.queue = self.queue.removal_policy(Some(policy));
        self
    }

    /// Escape hatch to the generated `AWS::SQS::Queue` builder: `f` sees it after the
    /// construct's defaults (SQS-managed encryption unless a key is set) and options and
    /// may set or clear any property; a later `override_property` still wins. A key set
    /// here is not known to the queue's grants: use [`kms_key`](Queue::kms_key) for that.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::Queue;
    /// let mut stack = Stack::new("App");
    /// stack.add("Jobs", Queue::new().configure(|l1| l1.receive_message_wait_time_seconds(20)));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Jobs"]["Properties"]["ReceiveMessageWaitTimeSeconds"], 20);
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::sqs::Queue) -> crate::sqs::Queue + Send + Sync + 'static,
    ) -> Self {
        self.queue = self.queue.configure(f);
        self
    }
}

/// The queue's properties the construct derives grants from when added.
const OWNED: &[Owned] = &[Owned::new(
    "KmsMasterKeyId",
    "kms_key",
    "the KMS key that grants on the queue cover",
)];

impl Construct for Queue {
    type Handle = QueueRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> QueueRef {
        let ready = self.queue.prepare(stack, id, OWNED, |q| {
            if q.props().contains("KmsMasterKeyId") || q.props().contains("SqsManagedSseEnabled") {
                q
            } else {
                q.sqs_managed_sse_enabled(true)
            }
        });
        // The name (SQS's rules), the FIFO-only attributes and the redrive policy are
        // checked on the template's queue (`synth/checks/message_names.rs`,
        // `sqs_queues.rs`), as on a generated `sqs::Queue`.
        let added = ready.add_to(stack);
        QueueRef {
            queue: added.handle,
            kms_key: added.kms_key,
        }
    }
}

/// A queue added to a stack.
#[derive(Clone, Debug)]
pub struct QueueRef {
    queue: QueueHandle,
    /// The customer-managed key, which every grant and delivery to the queue covers.
    kms_key: Option<EncryptionKey>,
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
    pub fn grant_target(&self) -> Target<grants::on::Queue> {
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
    #[cfg(feature = "lambda")]
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

impl QueueRef {
    /// Invokes `function` with batches of messages, polled as `options` say (batch
    /// window, maximum concurrency, partial batch responses): an event source mapping
    /// plus the consume grant it needs.
    #[cfg(feature = "lambda")]
    pub fn trigger_with(
        &self,
        stack: &mut Stack,
        function: &impl FunctionEnd,
        options: sqs::SqsTrigger,
    ) -> crate::lambda::EventSourceMappingHandle {
        sqs::trigger_with(
            stack,
            &self.grant_target(),
            self.handle(),
            function,
            &options,
        )
    }
}

/// The queue's CloudWatch metrics (namespace `AWS/SQS`, dimension `QueueName`; Amazon
/// SQS Developer Guide, "Available CloudWatch metrics for Amazon SQS").
#[cfg(feature = "cloudwatch")]
impl QueueRef {
    /// The age of the oldest message waiting, in seconds, its maximum over five
    /// minutes: what shows a consumer falling behind or stopped.
    pub fn metric_approximate_age_of_oldest_message(&self) -> crate::constructs::metrics::Metric {
        crate::constructs::metrics::Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage")
            .dimension("QueueName", self.name())
            .statistic(crate::cloudwatch::alarm::Statistic::Maximum)
    }
}

impl Handle for QueueRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.queue.resource_ref()
    }
}
