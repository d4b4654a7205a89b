//! What an HTTP API route sends requests to besides a function: an AWS service action
//! (first-class integrations, `IntegrationSubtype`) or an HTTP endpoint; the ones a REST
//! API also takes live in `constructs/api_integration/`.
//!
//! Facts from the API Gateway Developer Guide, "Integration subtype reference" (the
//! `SQS-SendMessage` subtype: `QueueUrl` and `MessageBody` required; `MessageGroupId`,
//! `MessageDeduplicationId`, `DelaySeconds`, `MessageAttributes`, `MessageSystemAttributes`
//! and `Region` optional; the integration needs `CredentialsArn`, a role API Gateway
//! assumes, and payload format 1.0) and "Working with HTTP proxy integrations" (payload
//! format 1.0; a timeout of 50 to 30,000 milliseconds).

use crate::constructs::grants::Target;
use crate::constructs::wiring::SentQueue;
use crate::kind::Str;
use crate::kinds::SqsQueueUrl;
use crate::value::value::Value;

use crate::constructs::{HttpProxy, PutEvents, RequestValue, StartExecution};

/// Sends each request as one message to an SQS queue (the `SQS-SendMessage` integration
/// subtype), through a role that may do exactly `sqs:SendMessage` on that queue (and use
/// its KMS key, when it has a customer-managed one). The message body is the request
/// body unless set; a FIFO queue needs [`message_group_id`](Self::message_group_id).
///
/// The queue's own policy is not involved (API Gateway sends with the role), so the
/// queue may be one outside the stack (`Queue::from_arn`, of this account; a queue of
/// another account must let the role in), of any Region: for a queue outside the stack
/// the integration's `Region` parameter is set to the queue's Region, read from its ARN.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{HttpApi, Queue, RequestValue, SqsSendMessage};
/// let mut stack = Stack::new("App");
/// let jobs = stack.add("Jobs", Queue::new());
/// let api = stack.add("Http", HttpApi::new("jobs"));
/// api.route_to(&mut stack, "POST", "/jobs", SqsSendMessage::new(&jobs)
///     .message_attributes(RequestValue::Header("X-Attributes".into())));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// let integration = &t["Resources"]["HttpJobsPostIntegration"]["Properties"];
/// assert_eq!(integration["IntegrationSubtype"], "SQS-SendMessage");
/// assert_eq!(integration["RequestParameters"]["MessageBody"], "$request.body");
/// let policy = &t["Resources"]["HttpJobsSendRole"]["Properties"]["Policies"][0]["PolicyDocument"];
/// assert_eq!(policy["Statement"][0]["Action"], serde_json::json!(["sqs:SendMessage"]));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SqsSendMessage {
    /// The queue's ARN, its resource when it is one of the stack's, and its key.
    pub(super) queue: Target<crate::constructs::grants::on::Queue>,
    pub(super) url: Value<SqsQueueUrl>,
    pub(super) body: RequestValue,
    pub(super) optional: Vec<(&'static str, RequestValue)>,
}

impl SqsSendMessage {
    /// Requests to `queue`, the request body as the message body.
    pub fn new(queue: &impl SentQueue) -> Self {
        SqsSendMessage {
            queue: queue.send_target(),
            url: queue.send_url(),
            body: RequestValue::Body,
            optional: Vec::new(),
        }
    }

    /// How logical IDs and messages name the queue: its logical ID, else a fragment of
    /// its ARN.
    pub(super) fn queue_name(&self) -> String {
        match self.queue.resource() {
            Some(r) => r.logical_id().to_string(),
            None => crate::constructs::ids::value_fragment(self.queue.arn()),
        }
    }

    fn set(mut self, name: &'static str, value: RequestValue) -> Self {
        self.optional.retain(|(n, _)| *n != name);
        self.optional.push((name, value));
        self
    }

    /// The message body (the request body unless set).
    pub fn message_body(mut self, value: RequestValue) -> Self {
        self.body = value;
        self
    }

    /// The message group of a FIFO queue's messages.
    pub fn message_group_id(self, value: RequestValue) -> Self {
        self.set("MessageGroupId", value)
    }

    /// The deduplication ID of a FIFO queue's messages (without content-based
    /// deduplication).
    pub fn message_deduplication_id(self, value: RequestValue) -> Self {
        self.set("MessageDeduplicationId", value)
    }

    /// How long each message is delayed, in seconds (0 to 900).
    pub fn delay_seconds(self, value: RequestValue) -> Self {
        self.set("DelaySeconds", value)
    }

    /// The message attributes (a JSON map of SQS message attributes).
    pub fn message_attributes(self, value: RequestValue) -> Self {
        self.set("MessageAttributes", value)
    }

    /// The request parameters, by name, in name order.
    pub(super) fn parameters(&self) -> Vec<(String, Value<Str>)> {
        let mut out: Vec<(String, Value<Str>)> = vec![
            ("QueueUrl".to_string(), self.url.clone().cast()),
            ("MessageBody".to_string(), self.body.expression().into()),
        ];
        out.extend(
            self.optional
                .iter()
                .map(|(n, v)| (n.to_string(), v.expression().into())),
        );
        // A queue outside the stack may be of another Region: API Gateway sends to the
        // Region of the `Region` parameter, the API's own unless set ("Integration
        // subtype reference"), so it is set to the queue's, from its ARN (the literal's
        // Region, or the ARN's fourth part at deploy). A queue of the stack is in the
        // API's Region.
        if self.queue.resource().is_none() {
            let arn = self.queue.arn();
            let region: Value<Str> =
                match crate::constructs::import::literal_home(arn).map(|(region, _)| region) {
                    Some(region) => region.into(),
                    None => crate::select(3, crate::split(":", arn.clone())),
                };
            out.push(("Region".to_string(), region));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// What API Gateway would refuse.
    pub(super) fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = std::iter::once(&self.body)
            .chain(self.optional.iter().map(|(_, v)| v))
            .filter_map(RequestValue::problem)
            .collect();
        if let Some((_, RequestValue::Fixed(d))) =
            self.optional.iter().find(|(n, _)| *n == "DelaySeconds")
            && !d.parse::<u32>().is_ok_and(|d| d <= 900)
        {
            out.push(format!(
                "the delay `{}` is not a whole number of seconds from 0 to 900",
                d.escape_debug()
            ));
        }
        out
    }
}

/// What a route sends requests to other than a function: see [`SqsSendMessage`],
/// [`StartExecution`], [`PutEvents`] and [`HttpProxy`].
#[derive(Clone, Debug, PartialEq)]
pub enum HttpIntegration {
    /// A message to an SQS queue.
    SqsSendMessage(Box<SqsSendMessage>),
    /// An execution of a Step Functions state machine.
    StartExecution(Box<StartExecution>),
    /// An event on an EventBridge bus.
    PutEvents(Box<PutEvents>),
    /// An HTTP endpoint.
    HttpProxy(HttpProxy),
}

impl From<StartExecution> for HttpIntegration {
    fn from(i: StartExecution) -> Self {
        HttpIntegration::StartExecution(Box::new(i))
    }
}

impl From<PutEvents> for HttpIntegration {
    fn from(i: PutEvents) -> Self {
        HttpIntegration::PutEvents(Box::new(i))
    }
}

impl From<SqsSendMessage> for HttpIntegration {
    fn from(i: SqsSendMessage) -> Self {
        HttpIntegration::SqsSendMessage(Box::new(i))
    }
}

impl From<HttpProxy> for HttpIntegration {
    fn from(i: HttpProxy) -> Self {
        HttpIntegration::HttpProxy(i)
    }
}
