//! What an HTTP API route sends requests to besides a function: an AWS service action
//! (first-class integrations, `IntegrationSubtype`) or an HTTP endpoint.
//!
//! Facts from the API Gateway Developer Guide, "Integration subtype reference" (the
//! `SQS-SendMessage` subtype: `QueueUrl` and `MessageBody` required; `MessageGroupId`,
//! `MessageDeduplicationId`, `DelaySeconds`, `MessageAttributes`, `MessageSystemAttributes`
//! and `Region` optional; the integration needs `CredentialsArn`, a role API Gateway
//! assumes, and payload format 1.0) and "Working with HTTP proxy integrations" (payload
//! format 1.0; a timeout of 50 to 30,000 milliseconds).

use crate::constructs::grants::KmsKey;
use crate::constructs::wiring::QueueEnd;
use crate::kind::Str;
use crate::kinds::{SqsQueueArn, SqsQueueUrl};
use crate::stack::handle::ResourceRef;
use crate::value::value::{IntoValue, Value};

/// A value taken from the request (or written out) and mapped into an AWS service
/// action's parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestValue {
    /// The whole request body (`$request.body`).
    Body,
    /// A field of a JSON body, by JSONPath below the root (`$request.body.<path>`).
    BodyField(String),
    /// A request header (`$request.header.<name>`).
    Header(String),
    /// A query string parameter (`$request.querystring.<name>`).
    Query(String),
    /// A path parameter of the route (`$request.path.<name>`).
    PathParameter(String),
    /// A context variable (`$context.<name>`), such as `requestId`.
    Context(String),
    /// A fixed value.
    Fixed(String),
}

impl RequestValue {
    /// The mapping expression API Gateway evaluates.
    pub fn expression(&self) -> String {
        match self {
            RequestValue::Body => "$request.body".to_string(),
            RequestValue::BodyField(p) => format!("$request.body.{p}"),
            RequestValue::Header(n) => format!("$request.header.{n}"),
            RequestValue::Query(n) => format!("$request.querystring.{n}"),
            RequestValue::PathParameter(n) => format!("$request.path.{n}"),
            RequestValue::Context(n) => format!("$context.{n}"),
            RequestValue::Fixed(v) => v.clone(),
        }
    }

    /// Why API Gateway would refuse this value, if it would.
    pub(super) fn problem(&self) -> Option<String> {
        let name = match self {
            RequestValue::Body => return None,
            RequestValue::Fixed(v) if v.is_empty() => {
                return Some("a fixed value is empty".to_string());
            }
            RequestValue::Fixed(v) if v.starts_with('$') => {
                return Some(format!(
                    "the fixed value `{}` starts with `$`, which API Gateway reads as a mapping expression",
                    v.escape_debug()
                ));
            }
            RequestValue::Fixed(_) => return None,
            RequestValue::BodyField(n)
            | RequestValue::Header(n)
            | RequestValue::Query(n)
            | RequestValue::PathParameter(n)
            | RequestValue::Context(n) => n,
        };
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        (!ok).then(|| {
            format!(
                "`{}` is not a name API Gateway can map (letters, digits, `-`, `_`, `.`)",
                self.expression().escape_debug()
            )
        })
    }
}

/// Sends each request as one message to an SQS queue (the `SQS-SendMessage` integration
/// subtype), through a role that may do exactly `sqs:SendMessage` on that queue (and use
/// its KMS key, when it has a customer-managed one). The message body is the request
/// body unless set; a FIFO queue needs [`message_group_id`](Self::message_group_id).
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
    pub(super) queue: ResourceRef,
    pub(super) arn: Value<SqsQueueArn>,
    pub(super) url: Value<SqsQueueUrl>,
    pub(super) key: Option<KmsKey>,
    pub(super) body: RequestValue,
    pub(super) optional: Vec<(&'static str, RequestValue)>,
}

impl SqsSendMessage {
    /// Requests to `queue`, the request body as the message body.
    pub fn new(queue: &impl QueueEnd) -> Self {
        SqsSendMessage {
            queue: queue.resource_ref().clone(),
            arn: queue.queue_arn(),
            url: queue.queue_url(),
            key: queue.queue_key(),
            body: RequestValue::Body,
            optional: Vec::new(),
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

/// Passes requests through to an HTTP endpoint (`HTTP_PROXY`, payload format 1.0), with
/// the route's method unless set and API Gateway's 30-second timeout unless shortened.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{HttpApi, HttpProxy};
/// let mut stack = Stack::new("App");
/// let api = stack.add("Http", HttpApi::new("edge"));
/// api.route_to(&mut stack, "ANY", "/legacy/{proxy+}", HttpProxy::new("https://legacy.example.com/{proxy}"));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// assert_eq!(t["Resources"]["HttpLegacyProxyAnyIntegration"]["Properties"]["IntegrationType"], "HTTP_PROXY");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HttpProxy {
    pub(super) url: Value<Str>,
    pub(super) method: Option<String>,
    pub(super) timeout_ms: Option<u32>,
}

impl HttpProxy {
    /// Requests to `url` (`http://` or `https://`; `{name}` takes a path parameter).
    pub fn new(url: impl IntoValue<Str>) -> Self {
        HttpProxy {
            url: url.into_value(),
            method: None,
            timeout_ms: None,
        }
    }

    /// The method the endpoint is called with (the route's unless set).
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    /// How long API Gateway waits for the endpoint, in milliseconds (50 to 30,000).
    pub fn timeout_ms(mut self, ms: u32) -> Self {
        self.timeout_ms = Some(ms);
        self
    }

    pub(super) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(u) = self.url.literal_str()
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            out.push(format!(
                "the endpoint `{}` is not an `http://` or `https://` URL",
                u.escape_debug()
            ));
        }
        if let Some(t) = self.timeout_ms
            && !(50..=30_000).contains(&t)
        {
            out.push(format!(
                "the timeout {t} ms is outside API Gateway's 50 to 30,000 ms"
            ));
        }
        if let Some(m) = &self.method
            && !crate::constructs::wiring::api_route::METHODS.contains(&m.as_str())
        {
            out.push(format!("`{}` is not an HTTP method", m.escape_debug()));
        }
        out
    }
}

/// What a route sends requests to other than a function: see [`SqsSendMessage`] and
/// [`HttpProxy`].
#[derive(Clone, Debug, PartialEq)]
pub enum HttpIntegration {
    /// A message to an SQS queue.
    SqsSendMessage(Box<SqsSendMessage>),
    /// An HTTP endpoint.
    HttpProxy(HttpProxy),
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
