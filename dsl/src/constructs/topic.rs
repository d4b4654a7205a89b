//! [`Topic`]: an SNS topic and its subscriptions.

use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::constructs::wiring::{PushedFunction, QueueEnd, sns};
use crate::kind::Str;
use crate::kinds::{SnsTopicArn, SnsTopicName};
use crate::sns::TopicHandle;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::PropsBuilder;
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// An SNS topic.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::Topic;
/// let mut stack = Stack::new("App");
/// let topic = stack.add("Alerts", Topic::new().display_name("Alerts"));
/// topic.subscribe_email(&mut stack, "ops@example.com");
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["AlertsEmailSubscriptionOpsExampleCom"]["Properties"]["Protocol"], "email");
/// ```
///
/// The construct holds the generated `AWS::SNS::Topic` builder: options write into it, and
/// [`configure`](Topic::configure) reaches every property it has.
#[derive(Clone, Debug)]
pub struct Topic {
    /// The builder, the key every grant covers and the hatch (no removal policy: a
    /// topic holds no data, CloudFormation's defaults apply).
    topic: Wrapped<crate::sns::Topic>,
}

impl Default for Topic {
    fn default() -> Self {
        Topic {
            topic: Wrapped::new(crate::sns::Topic::default()),
        }
    }
}

impl Topic {
    /// A standard topic.
    pub fn new() -> Self {
        Topic::default()
    }

    /// The physical topic name (a FIFO topic's must end in `.fifo`; without one, nephos
    /// computes `<stack>-<id>-<uuid>.fifo`).
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.topic = self.topic.set(|t| t.topic_name(name));
        self
    }

    /// The display name (used as the sender of SMS and email).
    pub fn display_name(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.topic = self.topic.set(|t| t.display_name(text));
        self
    }

    /// A FIFO topic.
    pub fn fifo(mut self) -> Self {
        self.topic = self.topic.set(|t| t.fifo_topic(true));
        self
    }

    /// Encrypts with a KMS key.
    /// `key` is a key's ARN or ID (`key.arn()`, `key.id()` of an `AWS::KMS::Key`), an
    /// alias name (`alias.name()`, or `Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/sns")`
    /// for the AWS managed key) or an alias ARN, as SNS takes it (Amazon SNS API Reference, `KmsMasterKeyId`). Grants on
    /// the topic cover the key by its ARN; an alias other than an AWS managed one is refused
    /// when a grant is made (see [`grants::key`](crate::constructs::grants::key)).
    pub fn kms_key(mut self, key: impl Into<EncryptionKey>) -> Self {
        self.topic = self.topic.kms_key(key, |t, key| t.kms_master_key_id(key));
        self
    }

    /// Escape hatch to the generated `AWS::SNS::Topic` builder: `f` sees it after the
    /// construct's defaults and options and may set or clear any property; a later
    /// `override_property` still wins. A key set here is not known to the topic's
    /// grants: use [`kms_key`](Topic::kms_key) for that.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::Topic;
    /// let mut stack = Stack::new("App");
    /// stack.add("Events", Topic::new().configure(|l1| l1.tracing_config("Active")));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Events"]["Properties"]["TracingConfig"], "Active");
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::sns::Topic) -> crate::sns::Topic + Send + Sync + 'static,
    ) -> Self {
        self.topic = self.topic.configure(f);
        self
    }
}

/// The topic's properties the construct derives grants from when added.
const OWNED: &[Owned] = &[Owned::new(
    "KmsMasterKeyId",
    "kms_key",
    "the KMS key that grants on the topic cover",
)];

impl Construct for Topic {
    type Handle = TopicRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> TopicRef {
        let fifo = |t: &crate::sns::Topic| {
            t.props().get_json("FifoTopic") == Some(serde_json::Value::Bool(true))
        };
        let mut ready = self.topic.prepare(stack, id, OWNED, |t| t);
        if fifo(ready.builder()) && !ready.builder().props().contains("TopicName") {
            // CloudFormation's generated name lacks the `.fifo` a FIFO topic's name needs
            // (CreateTopic refuses it), so nephos computes one, from the final builder
            // only: FIFO set or cleared by `configure` decides it.
            let name = crate::constructs::names::fifo_topic_name(stack.name(), id);
            ready = ready.set(|t| t.topic_name(name));
        }
        // The name (SNS's rules) is checked at synth, on every topic of the template
        // (`synth/checks/message_names.rs`).
        let added = ready.add_to(stack);
        TopicRef {
            topic: added.handle,
            kms_key: added.kms_key,
        }
    }
}

/// A topic added to a stack.
#[derive(Clone, Debug)]
pub struct TopicRef {
    topic: TopicHandle,
    /// The customer-managed key, which every grant and delivery to the topic covers.
    kms_key: Option<EncryptionKey>,
}

impl TopicRef {
    /// The topic's ARN.
    pub fn arn(&self) -> Value<SnsTopicArn> {
        self.topic.arn()
    }

    /// The topic's name.
    pub fn name(&self) -> Value<SnsTopicName> {
        self.topic.name()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &TopicHandle {
        &self.topic
    }

    /// What grants on the topic are on: its ARN and key.
    pub fn grant_target(&self) -> Target<grants::on::Topic> {
        Target::from(&self.topic).encrypted_with(self.kms_key.clone())
    }

    /// Lets `grantee` publish.
    pub fn grant_publish(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::topic::publish(stack, grantee, &self.grant_target())
    }

    /// Emails every message to `address` (after the recipient confirms).
    pub fn subscribe_email(
        &self,
        stack: &mut Stack,
        address: impl IntoValue<Str>,
    ) -> crate::sns::SubscriptionHandle {
        sns::subscribe_endpoint(stack, self, "Email", "email", address)
    }

    /// Posts every message to an HTTPS endpoint.
    pub fn subscribe_https(
        &self,
        stack: &mut Stack,
        url: impl IntoValue<Str>,
    ) -> crate::sns::SubscriptionHandle {
        sns::subscribe_endpoint(stack, self, "Https", "https", url)
    }

    /// Invokes `function` (of the stack, or imported with `Function::from_arn` from
    /// this account) with every message: a subscription plus the permission for SNS to
    /// invoke it, scoped to this topic.
    #[cfg(feature = "lambda")]
    pub fn subscribe_function(
        &self,
        stack: &mut Stack,
        function: &impl PushedFunction,
    ) -> crate::sns::SubscriptionHandle {
        sns::subscribe_function(stack, self, function)
    }

    /// Invokes `function` with the messages `options` let through (filter policy,
    /// dead-letter queue): as [`subscribe_function`](TopicRef::subscribe_function).
    #[cfg(feature = "lambda")]
    pub fn subscribe_function_with(
        &self,
        stack: &mut Stack,
        function: &impl PushedFunction,
        options: sns::SubscriptionOptions,
    ) -> crate::sns::SubscriptionHandle {
        sns::subscribe_function_with(stack, self, function, &options)
    }

    /// Delivers the messages `options` let through to `queue` (raw or not, filtered,
    /// with a dead-letter queue): as [`subscribe_queue`](TopicRef::subscribe_queue).
    #[cfg(feature = "sqs")]
    pub fn subscribe_queue_with(
        &self,
        stack: &mut Stack,
        queue: &impl QueueEnd,
        options: sns::SubscriptionOptions,
    ) -> crate::sns::SubscriptionHandle {
        sns::subscribe_queue_with(stack, self, queue, &options)
    }

    /// Delivers every message to `queue`: a subscription plus a statement in the queue's
    /// policy letting this topic (only) send to it.
    #[cfg(feature = "sqs")]
    #[deprecated(
        note = "a bare `bool` says nothing at the call: use `subscribe_queue_with(stack, queue, SubscriptionOptions::new().raw_message_delivery())` (or `SubscriptionOptions::new()` for SNS's JSON envelope)"
    )]
    pub fn subscribe_queue(
        &self,
        stack: &mut Stack,
        queue: &impl QueueEnd,
        raw_message_delivery: bool,
    ) -> crate::sns::SubscriptionHandle {
        #[allow(deprecated)]
        sns::subscribe_queue(stack, self, queue, raw_message_delivery)
    }
}

impl Handle for TopicRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.topic.resource_ref()
    }
}
