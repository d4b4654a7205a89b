//! A fixed answer without a backend: [`MockResponse`], a `MOCK` integration.
//!
//! Facts from the API Gateway Developer Guide: "Set up mock integrations" (the request
//! template `{"statusCode": n}` picks the answer) and "Integration passthrough
//! behaviors" (`NEVER` answers 415 to a content type without a template).

use crate::apigateway::method::{
    Integration, IntegrationResponse, MethodResponse, PassthroughBehavior, Type,
};
use crate::kind::List;
use crate::value::value::IntoValue;

/// A fixed answer, without any backend (a `MOCK` integration): a status code and a JSON
/// body.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, MockResponse, RestApi, Runtime};
/// let mut stack = Stack::new("App");
/// let api = stack.add("Api", RestApi::new("status"));
/// api.route_to(&mut stack, "GET", "/ping", MockResponse::new(200).json(serde_json::json!({"ok": true})));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// let integration = &t["Resources"]["ApiPingGet"]["Properties"]["Integration"];
/// assert_eq!(integration["Type"], "MOCK");
/// assert_eq!(integration["IntegrationResponses"][0]["ResponseTemplates"]["application/json"], r#"{"ok":true}"#);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MockResponse {
    status: u16,
    body: Option<serde_json::Value>,
}

impl MockResponse {
    /// An answer of `status` (100 to 599) with an empty body.
    pub fn new(status: u16) -> Self {
        MockResponse { status, body: None }
    }

    /// The answer's JSON body (without `$` or `#`, which the mapping template language
    /// would read).
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// What API Gateway's mapping templates would refuse or misread.
    pub(super) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(100..=599).contains(&self.status) {
            out.push(format!(
                "the status {} is not an HTTP status code (100 to 599)",
                self.status
            ));
        }
        if let Some(b) = &self.body {
            let text = b.to_string();
            if let Some(c) = text.chars().find(|c| matches!(c, '$' | '#')) {
                out.push(format!(
                    "the mock body contains `{c}`, which the mapping template language would read; leave it out of the body"
                ));
            }
        }
        out
    }
}

impl MockResponse {
    /// The `MOCK` integration giving this answer, and the method's response for it.
    pub(super) fn integration(&self) -> (Integration, Vec<MethodResponse>) {
        let mut r = IntegrationResponse::new(self.status.to_string());
        if let Some(b) = &self.body {
            r = r.insert_response_templates("application/json", b.to_string());
        }
        let i = Integration::new(Type::Mock)
            .passthrough_behavior(PassthroughBehavior::Never)
            .insert_request_templates(
                "application/json",
                format!("{{\"statusCode\": {}}}", self.status),
            )
            .integration_responses(IntoValue::<List<IntegrationResponse>>::into_value(vec![r]));
        (i, vec![MethodResponse::new(self.status.to_string())])
    }
}
