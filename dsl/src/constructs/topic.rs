//! [`Topic`]: an SNS topic and its subscriptions.

use crate::constructs::grants::{self, Granted, Grantee, Target};
use crate::constructs::wiring::{FunctionEnd, QueueEnd, sns};
use crate::kind::Str;
use crate::kinds::{KmsKeyArn, SnsTopicArn, SnsTopicName};
use crate::sns::TopicHandle;
use crate::stack::handle::{Handle, ResourceRef};
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
#[derive(Clone, Debug, Default)]
pub struct Topic {
    name: Option<Value<Str>>,
    display_name: Option<String>,
    fifo: bool,
    kms_key: Option<Value<KmsKeyArn>>,
}

impl Topic {
    /// A standard topic.
    pub fn new() -> Self {
        Topic::default()
    }

    /// The physical topic name (a FIFO topic's must end in `.fifo`; without one, nephos
    /// computes `<stack>-<id>-<uuid>.fifo`).
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.name = Some(name.into_value());
        self
    }

    /// The display name (used as the sender of SMS and email).
    pub fn display_name(mut self, text: impl Into<String>) -> Self {
        self.display_name = Some(text.into());
        self
    }

    /// A FIFO topic.
    pub fn fifo(mut self) -> Self {
        self.fifo = true;
        self
    }

    /// Encrypts with a KMS key.
    pub fn kms_key(mut self, arn: impl IntoValue<KmsKeyArn>) -> Self {
        self.kms_key = Some(arn.into_value());
        self
    }
}

impl Construct for Topic {
    type Handle = TopicRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> TopicRef {
        let mut t = crate::sns::Topic::new();
        if let Some(n) = self.name {
            if let Some(literal) = n.literal_str()
                && let Some((problem, fix)) =
                    crate::constructs::names::message_name_problem("topic", literal, 256, self.fifo)
            {
                stack.problem(crate::Diagnostic::error(
                    crate::Location::property(id, "TopicName"),
                    problem,
                    fix,
                ));
            }
            t = t.topic_name(n);
        } else if self.fifo {
            // CloudFormation's generated name lacks the `.fifo` a FIFO topic's name needs
            // (CreateTopic refuses it), so nephos computes one.
            t = t.topic_name(crate::constructs::names::fifo_topic_name(stack.name(), id));
        }
        if let Some(d) = self.display_name {
            t = t.display_name(d);
        }
        if self.fifo {
            t = t.fifo_topic(true);
        }
        let kms_key = self.kms_key.clone();
        if let Some(k) = self.kms_key {
            t = t.kms_master_key_id(k.cast::<Str>());
        }
        TopicRef {
            topic: stack.add(id, t),
            kms_key,
        }
    }
}

/// A topic added to a stack.
#[derive(Clone, Debug)]
pub struct TopicRef {
    topic: TopicHandle,
    /// The customer-managed key, which every grant and delivery to the topic covers.
    kms_key: Option<Value<KmsKeyArn>>,
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
    pub fn grant_target(&self) -> Target {
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

    /// Invokes `function` with every message: a subscription plus the permission for
    /// SNS to invoke it, scoped to this topic.
    pub fn subscribe_function(
        &self,
        stack: &mut Stack,
        function: &impl FunctionEnd,
    ) -> crate::sns::SubscriptionHandle {
        sns::subscribe_function(stack, self, function)
    }

    /// Delivers every message to `queue`: a subscription plus a statement in the queue's
    /// policy letting this topic (only) send to it.
    pub fn subscribe_queue(
        &self,
        stack: &mut Stack,
        queue: &impl QueueEnd,
        raw_message_delivery: bool,
    ) -> crate::sns::SubscriptionHandle {
        sns::subscribe_queue(stack, self, queue, raw_message_delivery)
    }
}

impl Handle for TopicRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.topic.resource_ref()
    }
}
