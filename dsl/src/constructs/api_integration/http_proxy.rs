//! [`HttpProxy`]: requests passed through to an HTTP endpoint, by an HTTP API or a REST
//! API.
//!
//! Facts from the API Gateway Developer Guide: "Working with HTTP proxy integrations for
//! HTTP APIs" (payload format 1.0; a timeout of 50 to 30,000 milliseconds) and "Set up
//! HTTP proxy integrations in API Gateway" for REST APIs (`HTTP_PROXY`; a `{name}` in the
//! endpoint URL is filled from `integration.request.path.<name>`, mapped from the
//! method's path parameter; the timeout is 50 to 29,000 milliseconds).

use crate::constructs::wiring::api_route::{ApiKind, METHODS};
use crate::kind::Str;
use crate::value::value::{IntoValue, Value};

/// Passes requests through to an HTTP endpoint (`HTTP_PROXY`), with the route's method
/// unless set and API Gateway's longest timeout unless shortened (30 s for an HTTP API,
/// 29 s for a REST API). A `{name}` in the URL takes the route's path parameter `name`.
///
/// ```
/// # #[cfg(feature = "apigatewayv2")] {
/// use nephos::Stack;
/// use nephos::constructs::{HttpApi, HttpProxy};
/// let mut stack = Stack::new("App");
/// let api = stack.add("Http", HttpApi::new("edge"));
/// api.route_to(&mut stack, "ANY", "/legacy/{proxy+}", HttpProxy::new("https://legacy.example.com/{proxy}"));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// assert_eq!(t["Resources"]["HttpLegacyProxyAnyIntegration"]["Properties"]["IntegrationType"], "HTTP_PROXY");
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HttpProxy {
    url: Value<Str>,
    method: Option<String>,
    timeout_ms: Option<u32>,
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

    /// How long API Gateway waits for the endpoint, in milliseconds (50 to 30,000 for
    /// an HTTP API, 50 to 29,000 for a REST API).
    pub fn timeout_ms(mut self, ms: u32) -> Self {
        self.timeout_ms = Some(ms);
        self
    }

    /// The endpoint's URL.
    pub fn url(&self) -> &Value<Str> {
        &self.url
    }

    /// The method the endpoint is called with, when set (else the route's).
    pub fn endpoint_method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    /// The timeout, in milliseconds, when set.
    pub fn timeout(&self) -> Option<u32> {
        self.timeout_ms
    }

    /// The `{name}` path variables of a literal URL, in order.
    pub fn url_variables(&self) -> Vec<String> {
        let Some(url) = self.url.literal_str() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut rest = url;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else { break };
            out.push(after[..end].to_string());
            rest = &after[end + 1..];
        }
        out
    }

    /// What API Gateway would refuse for an API of `kind`.
    pub fn problems(&self, kind: ApiKind) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(u) = self.url.literal_str()
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            out.push(format!(
                "the endpoint `{}` is not an `http://` or `https://` URL",
                u.escape_debug()
            ));
        }
        let (max, text) = match kind {
            ApiKind::Http => (30_000, "30,000"),
            ApiKind::Rest => (29_000, "29,000"),
        };
        if let Some(t) = self.timeout_ms
            && !(50..=max).contains(&t)
        {
            out.push(format!(
                "the timeout {t} ms is outside API Gateway's 50 to {text} ms"
            ));
        }
        if let Some(m) = &self.method
            && !METHODS.contains(&m.as_str())
        {
            out.push(format!("`{}` is not an HTTP method", m.escape_debug()));
        }
        out
    }
}
