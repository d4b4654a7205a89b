//! Tasks that send: SNS `Publish`, SQS `SendMessage` and EventBridge `PutEvents`, each
//! request-response or, with `wait_for_task_token`, a callback that waits for the token
//! it sends to come back. The role's statements are the ones the Step Functions
//! Developer Guide lists for each ("IAM policies for integrated services": Amazon SNS
//! `sns:Publish` on the topic, Amazon SQS `sqs:SendMessage` on the queue, EventBridge
//! `events:PutEvents` on the bus), plus the use of the target's KMS key through its
//! service.

use serde_json::{Map as JMap, Value as J, json};

use super::render::Render;
use super::service::{Payload, WAIT_FOR_TASK_TOKEN, resource};
use crate::constructs::grants::{self, Grant, Grantee, Target, actions, on};
use crate::constructs::wiring::{PublishedTopic, SentQueue};
use crate::kind::Str;
use crate::kinds::EventsEventBusArn;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// The longest delay SQS takes on a message: 900 seconds (Amazon SQS API Reference,
/// `SendMessage`, `DelaySeconds`).
const MAX_SQS_DELAY: u32 = 900;

/// Publishes the payload to an SNS topic (`arn:${Partition}:states:::sns:publish`).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::Topic;
/// use nephos::constructs::state_machine::{Payload, SnsPublish, Task};
/// let mut stack = Stack::new("App");
/// let alerts = stack.add("Alerts", Topic::new());
/// let task = Task::call(SnsPublish::new(&alerts).message(Payload::at("$.alert")).subject("Order failed"));
/// # let _ = task;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SnsPublish {
    topic: Target<on::Topic>,
    message: Payload,
    subject: Option<String>,
    token: bool,
}

impl SnsPublish {
    /// Publishes the state's input to `topic`: the state machine's role is granted
    /// publishing on it, so it may be a topic outside the stack (`Topic::from_arn`).
    pub fn new(topic: &impl PublishedTopic) -> Self {
        SnsPublish {
            topic: topic.publish_target(),
            message: Payload::Input,
            subject: None,
            token: false,
        }
    }
    /// The message (the state's input unless set).
    pub fn message(mut self, message: Payload) -> Self {
        self.message = message;
        self
    }
    /// The subject of e-mail deliveries.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }
    /// Waits until a subscriber returns the task token the message carries
    /// (`{"input": <message>, "taskToken": <token>}`).
    pub fn wait_for_task_token(mut self) -> Self {
        self.token = true;
        self
    }

    pub(super) fn waits(&self) -> bool {
        self.token
    }

    /// The topic, when it is outside the stack (known by its ARN only).
    pub(super) fn outside(&self) -> Option<Target<on::Any>> {
        self.topic
            .resource()
            .is_none()
            .then(|| self.topic.untyped())
    }

    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        let suffix = if self.token { WAIT_FOR_TASK_TOKEN } else { "" };
        m.insert("Resource".into(), resource(render, "sns:publish", suffix));
        let mut p = JMap::new();
        let key = render.value(self.topic.resource(), "Topic", self.topic.arn());
        p.insert("TopicArn".into(), json!(format!("${{{key}}}")));
        let message = if self.token {
            self.message.with_token()
        } else {
            self.message.clone()
        };
        message.write("Message", &mut p);
        if let Some(s) = &self.subject {
            p.insert("Subject".into(), json!(s));
        }
        m.insert("Parameters".into(), J::Object(p));
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        self.message.problems("Message", out);
        // SNS `Publish`, `Subject`: ASCII text, at most 100 characters, no line break.
        if let Some(s) = &self.subject
            && (s.is_empty()
                || s.len() > 100
                || !s.chars().all(|c| c.is_ascii() && !c.is_ascii_control()))
        {
            out.push(
                "its SNS subject is not 1 to 100 printable ASCII characters on one line"
                    .to_string(),
            );
        }
    }

    pub(super) fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        grants::topic::publish(stack, grantee, &self.topic);
    }
}

/// Sends the payload to an SQS queue (`arn:${Partition}:states:::sqs:sendMessage`).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::Queue;
/// use nephos::constructs::state_machine::{SqsSendMessage, Task};
/// let mut stack = Stack::new("App");
/// let approvals = stack.add("Approvals", Queue::new());
/// let task = Task::call(SqsSendMessage::new(&approvals).wait_for_task_token()).heartbeat_seconds(3600);
/// # let _ = task;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SqsSendMessage {
    queue: Target<on::Queue>,
    url: Value<Str>,
    body: Payload,
    delay: Option<u32>,
    token: bool,
    group: Option<Payload>,
    dedup: Option<Payload>,
}

impl SqsSendMessage {
    /// Sends the state's input to `queue`: the state machine's role is granted sending
    /// on it, so it may be a queue outside the stack (`Queue::from_arn`).
    pub fn new(queue: &impl SentQueue) -> Self {
        SqsSendMessage {
            queue: queue.send_target(),
            url: queue.send_url().cast(),
            body: Payload::Input,
            delay: None,
            token: false,
            group: None,
            dedup: None,
        }
    }
    /// The message group (`MessageGroupId`) a FIFO queue needs, fixed
    /// (`Payload::json(json!("orders"))`) or from the input (`Payload::at("$.customer")`).
    /// Sending to a FIFO queue without it is a synth error.
    pub fn message_group_id(mut self, group: Payload) -> Self {
        self.group = Some(group);
        self
    }
    /// The deduplication ID (`MessageDeduplicationId`) a FIFO queue without content-based
    /// deduplication needs for each message; a fixed one makes SQS drop every message
    /// sent within five minutes of the first.
    pub fn message_deduplication_id(mut self, id: Payload) -> Self {
        self.dedup = Some(id);
        self
    }
    /// The message body (the state's input unless set).
    pub fn body(mut self, body: Payload) -> Self {
        self.body = body;
        self
    }
    /// Delivers the message after `seconds` (0 to 900).
    pub fn delay_seconds(mut self, seconds: u32) -> Self {
        self.delay = Some(seconds);
        self
    }
    /// Waits until a consumer returns the task token the message carries
    /// (`{"input": <body>, "taskToken": <token>}`).
    pub fn wait_for_task_token(mut self) -> Self {
        self.token = true;
        self
    }

    pub(super) fn waits(&self) -> bool {
        self.token
    }

    /// The queue, when it is outside the stack (known by its ARN only).
    pub(super) fn outside(&self) -> Option<Target<on::Any>> {
        self.queue
            .resource()
            .is_none()
            .then(|| self.queue.untyped())
    }

    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        let suffix = if self.token { WAIT_FOR_TASK_TOKEN } else { "" };
        m.insert(
            "Resource".into(),
            resource(render, "sqs:sendMessage", suffix),
        );
        let mut p = JMap::new();
        let key = render.value(self.queue.resource(), "Queue", &self.url);
        p.insert("QueueUrl".into(), json!(format!("${{{key}}}")));
        let body = if self.token {
            self.body.with_token()
        } else {
            self.body.clone()
        };
        body.write("MessageBody", &mut p);
        if let Some(d) = self.delay {
            p.insert("DelaySeconds".into(), json!(d));
        }
        if let Some(g) = &self.group {
            g.write("MessageGroupId", &mut p);
        }
        if let Some(d) = &self.dedup {
            d.write("MessageDeduplicationId", &mut p);
        }
        m.insert("Parameters".into(), J::Object(p));
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        self.body.problems("MessageBody", out);
        for (field, p) in [
            ("MessageGroupId", &self.group),
            ("MessageDeduplicationId", &self.dedup),
        ] {
            if let Some(p) = p {
                p.problems(field, out);
            }
        }
        if self.delay.is_some_and(|d| d > MAX_SQS_DELAY) {
            out.push(format!("its SQS `DelaySeconds` is above {MAX_SQS_DELAY}"));
        }
    }

    /// What SQS refuses of this call given its queue's kind (FIFO: a group, a
    /// deduplication ID unless content-based, no per-message delay), each message with
    /// its fix.
    pub fn queue_problems(&self, stack: &mut Stack) -> Vec<(String, String)> {
        use crate::constructs::wiring::fifo;
        let (kind, name) = match self.queue.resource() {
            Some(queue) => (
                fifo::queue_kind(
                    stack,
                    queue,
                    "what a state machine's SqsSendMessage must give",
                ),
                queue.logical_id().to_string(),
            ),
            None => (
                fifo::imported_queue_kind(self.queue.arn()),
                crate::constructs::ids::value_fragment(self.queue.arn()),
            ),
        };
        let sends = fifo::Sends {
            group: self.group.is_some(),
            dedup_id: Some(self.dedup.is_some()),
            delay: self.delay.is_some(),
        };
        fifo::send_problems(kind, &name, "the task", sends)
    }

    pub(super) fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        grants::grant(
            stack,
            grantee,
            Grant::new("sending to the queue")
                .actions(actions::SQS_SEND_MESSAGE)
                .on(self.queue.arn()),
        );
        grants::key::cover(stack, grantee, &self.queue, actions::KMS_PRODUCE, "sqs");
    }
}

/// Puts an event on an EventBridge bus (`arn:${Partition}:states:::events:putEvents`).
///
/// ```
/// use nephos::constructs::state_machine::{Payload, PutEvents, Task};
/// let task = Task::call(PutEvents::new("shop.orders", "OrderShipped").detail(Payload::at("$.order")));
/// # let _ = task;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PutEvents {
    bus: Option<Value<Str>>,
    source: String,
    detail_type: String,
    detail: Payload,
    token: bool,
}

impl PutEvents {
    /// Events of `source` (such as `shop.orders`) and `detail_type` on the default bus,
    /// the state's input as the detail.
    pub fn new(source: impl Into<String>, detail_type: impl Into<String>) -> Self {
        PutEvents {
            bus: None,
            source: source.into(),
            detail_type: detail_type.into(),
            detail: Payload::Input,
            token: false,
        }
    }
    /// The bus the events go to (a generated `events::EventBus` handle's `arn()`, or an
    /// ARN); the account's default bus unless set.
    pub fn bus(mut self, bus: impl IntoValue<EventsEventBusArn>) -> Self {
        self.bus = Some(bus.into_value().cast());
        self
    }
    /// The event's detail, a JSON object (the state's input unless set).
    pub fn detail(mut self, detail: Payload) -> Self {
        self.detail = detail;
        self
    }
    /// Waits until a rule's target returns the task token the detail carries
    /// (`{"input": <detail>, "taskToken": <token>}`).
    pub fn wait_for_task_token(mut self) -> Self {
        self.token = true;
        self
    }

    fn bus_arn(&self) -> Value<Str> {
        match &self.bus {
            Some(b) => b.clone(),
            None => crate::sub(
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default",
                [],
            ),
        }
    }

    pub(super) fn waits(&self) -> bool {
        self.token
    }

    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        let suffix = if self.token { WAIT_FOR_TASK_TOKEN } else { "" };
        m.insert(
            "Resource".into(),
            resource(render, "events:putEvents", suffix),
        );
        let mut entry = JMap::new();
        entry.insert("Source".into(), json!(self.source));
        entry.insert("DetailType".into(), json!(self.detail_type));
        let detail = if self.token {
            self.detail.with_token()
        } else {
            self.detail.clone()
        };
        detail.write("Detail", &mut entry);
        if let Some(bus) = &self.bus {
            // EventBridge takes a bus's ARN as its name.
            let key = render.value(None, "EventBus", bus);
            entry.insert("EventBusName".into(), json!(format!("${{{key}}}")));
        }
        m.insert("Parameters".into(), json!({"Entries": [J::Object(entry)]}));
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        self.detail.problems("Detail", out);
        if let Payload::Json(v) = &self.detail
            && !v.is_object()
        {
            out.push("its event detail is not a JSON object".to_string());
        }
        // EventBridge `PutEvents`: `Source` and `DetailType` are required; sources that
        // begin with `aws.` are AWS services' own.
        if self.source.is_empty() || self.source.starts_with("aws.") {
            out.push(format!(
                "its event source `{}` is empty or begins with `aws.`, which EventBridge keeps for AWS services",
                self.source.escape_debug()
            ));
        }
        if self.detail_type.is_empty() {
            out.push("its event detail type is empty".to_string());
        }
    }

    pub(super) fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        grants::grant(
            stack,
            grantee,
            Grant::new("putting events on the bus")
                .actions(actions::EVENTS_PUT_EVENTS)
                .on(self.bus_arn()),
        );
    }
}
