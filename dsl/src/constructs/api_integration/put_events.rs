//! [`PutEvents`]: each request puts one event on an EventBridge event bus.
//!
//! Facts from the API Gateway Developer Guide, "Integration subtype reference"
//! (`EventBridge-PutEvents`: `Detail`, `DetailType` and `Source` required; `EventBusName`,
//! `Time`, `Resources`, `Region` and `TraceHeader` optional), the EventBridge API reference,
//! `PutEventsRequestEntry` (`Source`: `[/.\-_A-Za-z0-9]+`, not starting with `aws.`, up to
//! 256 characters, as the CloudFormation reference of the Scheduler's EventBridge target
//! states its pattern; `DetailType`: 1 to 128 characters; `Detail`: a JSON object; a
//! failed entry is reported in a 200 answer with `FailedEntryCount`), and the EventBridge
//! User Guide, "Using IAM policy conditions" (`events:source`).

use crate::constructs::grants::{Grant, actions};
use crate::constructs::wiring::api_route::ApiKind;
use crate::kind::Str;
use crate::kinds::EventsEventBusArn;
use crate::value::value::{IntoValue, Value};

use super::RequestValue;
use super::request_value::template_text_problem;

/// Puts one event per request on an EventBridge bus (the `EventBridge-PutEvents` subtype
/// of an HTTP API, the `PutEvents` action of a REST API), with a fixed source and detail
/// type, through a role that may do exactly `events:PutEvents` on that bus and only with
/// that source (`events:source`). The event's detail is the request body unless set; the
/// bus is the account's default bus unless set.
///
/// A REST API answers 500 when EventBridge did not take the event (its 200 answer then
/// counts a failed entry) and `{"eventId": ".."}` when it did; an HTTP API returns
/// EventBridge's answer as it is.
///
/// ```
/// # #[cfg(feature = "apigatewayv2")] {
/// use nephos::Stack;
/// use nephos::constructs::{HttpApi, PutEvents};
/// let mut stack = Stack::new("App");
/// let api = stack.add("Http", HttpApi::new("orders"));
/// api.route_to(&mut stack, "POST", "/orders", PutEvents::new("shop.orders", "OrderPlaced"));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// let integration = &t["Resources"]["HttpOrdersPostIntegration"]["Properties"];
/// assert_eq!(integration["IntegrationSubtype"], "EventBridge-PutEvents");
/// assert_eq!(integration["RequestParameters"]["Source"], "shop.orders");
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PutEvents {
    bus: Option<Value<EventsEventBusArn>>,
    source: String,
    detail_type: String,
    detail: RequestValue,
}

impl PutEvents {
    /// Events of `source` (such as `shop.orders`) and `detail_type` (such as
    /// `OrderPlaced`) on the default bus, the request body as the detail.
    pub fn new(source: impl Into<String>, detail_type: impl Into<String>) -> Self {
        PutEvents {
            bus: None,
            source: source.into(),
            detail_type: detail_type.into(),
            detail: RequestValue::Body,
        }
    }

    /// The bus the events go to (a generated `events::EventBus` handle's `arn()`, or a
    /// literal ARN).
    pub fn bus(mut self, bus: impl IntoValue<EventsEventBusArn>) -> Self {
        self.bus = Some(bus.into_value());
        self
    }

    /// The event's detail, a JSON object (the request body unless set).
    pub fn detail(mut self, value: RequestValue) -> Self {
        self.detail = value;
        self
    }

    /// The bus's ARN (the default bus's unless set).
    pub fn bus_arn(&self) -> Value<Str> {
        match &self.bus {
            Some(b) => b.clone().cast(),
            None => crate::sub(
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default",
                [],
            ),
        }
    }

    /// The name of what it targets in logical IDs.
    pub fn target(&self) -> String {
        match &self.bus {
            Some(b) => super::target_name(b),
            None => "DefaultBus".to_string(),
        }
    }

    /// What API Gateway or EventBridge would refuse for an API of `kind`.
    pub fn problems(&self, kind: ApiKind) -> Vec<String> {
        let mut out = Vec::new();
        let source_ok = (1..=256).contains(&self.source.len())
            && self
                .source
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
            && !self.source.starts_with("aws.");
        if !source_ok {
            out.push(format!(
                "the event source `{}` must have 1 to 256 letters, digits, `/`, `.`, `-` or `_`, and not start with `aws.` (EventBridge keeps those for AWS services)",
                self.source.escape_debug()
            ));
        }
        if !(1..=128).contains(&self.detail_type.chars().count()) {
            out.push(format!(
                "the detail type `{}` must have 1 to 128 characters",
                self.detail_type.escape_debug()
            ));
        } else if kind == ApiKind::Rest
            && let Some(p) = template_text_problem(&self.detail_type)
        {
            out.push(format!("the detail type {p}"));
        } else if kind == ApiKind::Http && self.detail_type.starts_with('$') {
            out.push(format!(
                "the detail type `{}` starts with `$`, which API Gateway reads as a mapping expression",
                self.detail_type.escape_debug()
            ));
        }
        let detail = match kind {
            ApiKind::Http => self.detail.problem(),
            ApiKind::Rest => self.detail.template_problem(),
        };
        out.extend(detail);
        out
    }

    /// An HTTP API integration's request parameters, in name order.
    pub fn parameters(&self) -> Vec<(String, Value<Str>)> {
        let mut out: Vec<(String, Value<Str>)> = vec![
            ("Detail".to_string(), self.detail.expression().into()),
            ("DetailType".to_string(), self.detail_type.clone().into()),
            ("Source".to_string(), self.source.clone().into()),
        ];
        if let Some(b) = &self.bus {
            out.push(("EventBusName".to_string(), b.clone().cast()));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// A REST API's request template: one `PutEvents` entry.
    pub fn template(&self) -> Value<Str> {
        crate::sub(
            &format!(
                "{{\"Entries\":[{{\"Source\":\"{}\",\"DetailType\":\"{}\",\"Detail\":\"{}\",\"EventBusName\":\"${{bus}}\"}}]}}",
                self.source,
                self.detail_type,
                self.detail.template_string()
            ),
            [("bus", self.bus_arn().into_any())],
        )
    }

    /// A REST API's response template: 500 when EventBridge counted the entry as failed.
    pub fn response_template() -> &'static str {
        "#if($input.path('$.FailedEntryCount') > 0)#set($context.responseOverride.status = 500){\"message\":\"the event was not accepted\"}#else{\"eventId\":\"$input.path('$.Entries[0].EventId')\"}#end"
    }

    /// The grant of the role API Gateway assumes: this bus, this source.
    pub fn grant(&self) -> Grant {
        Grant::new("putting events from API Gateway")
            .actions(actions::EVENTS_PUT_EVENTS)
            .on(self.bus_arn())
            .condition(
                "StringEquals",
                "events:source",
                Value::<Str>::from(self.source.as_str()).into_any(),
            )
    }
}
