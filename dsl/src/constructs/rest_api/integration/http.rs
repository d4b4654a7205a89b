//! An HTTP endpoint behind a REST API method: the `HTTP_PROXY` integration of an
//! [`HttpProxy`], its URL's `{name}` variables taken from the route's path parameters.
//!
//! Facts from the API Gateway Developer Guide, "Set up an API integration request"
//! (`integration.request.path.<name>` mapped from `method.request.path.<name>`).

use super::Built;
use crate::apigateway::method::{Integration, Type};
use crate::constructs::HttpProxy;
use crate::constructs::wiring::api_route::ApiKind;

/// What API Gateway would refuse in `h` on a route of `path_parameters`.
pub(super) fn problems(h: &HttpProxy, path_parameters: &[String]) -> Vec<String> {
    let mut p = h.problems(ApiKind::Rest);
    for v in h.url_variables() {
        if !path_parameters.contains(&v) {
            p.push(format!(
                "the endpoint URL takes `{{{}}}`, which is not a path parameter of the route",
                v.escape_debug()
            ));
        }
    }
    p
}

/// The `HTTP_PROXY` integration of `h` for a method `verb` (the endpoint's own method
/// when it has one).
pub(super) fn integration(h: &HttpProxy, verb: &str) -> Built {
    let mut i = Integration::new(Type::HttpProxy)
        .uri(h.url().clone())
        .integration_http_method(h.endpoint_method().unwrap_or(verb).to_string());
    if let Some(t) = h.timeout() {
        i = i.timeout_in_millis(i64::from(t));
    }
    let vars = h.url_variables();
    for v in &vars {
        i = i.insert_request_parameters(
            &format!("integration.request.path.{v}"),
            format!("method.request.path.{v}"),
        );
    }
    let target = match h.url().literal_str() {
        Some(u) => format!("`{}`", u.escape_debug()),
        None => "an HTTP endpoint".to_string(),
    };
    Built {
        integration: i,
        responses: Vec::new(),
        path_parameters: vars,
        target,
    }
}
