//! CORS preflight requests of HTTP APIs caught by an authorized route.
//!
//! An HTTP API with a CORS configuration answers preflight `OPTIONS` requests itself
//! only when no route takes them: "If you configure CORS for an API, API Gateway
//! automatically sends a response to preflight OPTIONS requests, even if there isn't an
//! OPTIONS route configured for your API" (API Gateway Developer Guide, "Configure CORS
//! for HTTP APIs"). A route `ANY <path>` matches `OPTIONS <path>`, and `$default`
//! matches every request no other route does, so the preflight goes to that route, with
//! its authorization. Browsers send the preflight without credentials (Fetch Standard,
//! "CORS-preflight request": no `Authorization` header), so a JWT, Lambda or IAM
//! authorization refuses it and every cross-origin call fails. The behaviour and the fix,
//! a dedicated `OPTIONS` route without authorization that has an integration (HTTP APIs
//! have no mock integration), are given by AWS re:Post, "JWT authorizers and CORS: why
//! does the OPTIONS proxy need an integration attached" (AWS answer: "create a dedicated
//! method OPTIONS along with ANY … disable Authentication on this method"), and AWS
//! Community Builders, "Fixing up CORS errors in HTTP API".
//!
//! Nephos does not add that route itself (as the REST API construct adds its mock
//! `OPTIONS` methods): with no mock integration, the route would send unauthenticated
//! requests to the authorized route's own target (a function run, or a message sent to a
//! queue, per preflight). The check refuses the API and names the route to add.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

const API: &str = "AWS::ApiGatewayV2::Api";
const ROUTE: &str = "AWS::ApiGatewayV2::Route";

/// The API a route belongs to, when its `ApiId` names one of the stack's.
fn api_of<'a>(route: &'a Resolved) -> Option<&'a str> {
    match route.field("ApiId")? {
        Expr::Ref(t) | Expr::GetAtt(t, _) => Some(&*t.id),
        _ => None,
    }
}

/// The route's literal route key.
fn route_key<'a>(route: &'a Resolved) -> Option<&'a str> {
    match route.field("RouteKey")? {
        Expr::Lit(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}

/// The route's authorization when it is a literal; `NONE` when unset (API Gateway's
/// default); `None` when computed.
fn authorization<'a>(route: &'a Resolved) -> Option<&'a str> {
    match route.field("AuthorizationType") {
        None | Some(Expr::NoValue) => Some("NONE"),
        Some(Expr::Lit(serde_json::Value::String(s))) => Some(s),
        Some(_) => None,
    }
}

/// A route key with its path parameters' names dropped (`OPTIONS /items/{id}` and
/// `OPTIONS /items/{itemId}` match the same requests); a greedy `{name+}` stays greedy.
fn shape(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut in_param = false;
    let mut greedy = false;
    for c in key.chars() {
        match (in_param, c) {
            (false, '{') => {
                in_param = true;
                greedy = false;
            }
            (true, '}') => {
                out.push_str(if greedy { "{+}" } else { "{}" });
                in_param = false;
            }
            (true, '+') => greedy = true,
            (true, _) => greedy = false,
            (false, c) => out.push(c),
        }
    }
    out
}

/// Whether a Lambda (`CUSTOM`) authorizer surely refuses a preflight: API Gateway answers
/// 401 without calling it when an identity source is missing from the request, and a
/// preflight carries no header but `Origin` and `Access-Control-Request-*` (Fetch
/// Standard). With every identity source a request header other than those, it is
/// refused; with none, a query string, a context or stage variable, or anything computed,
/// the authorizer runs and may allow the preflight, so nothing is said.
fn custom_refuses_preflight(route: &Resolved, resources: &Resources) -> bool {
    let Some(Expr::Ref(t)) = route.field("AuthorizerId") else {
        return false;
    };
    // The first resource of the ID, as a scan finds it.
    let Some(authorizer) = resources.first(&t.id) else {
        return false;
    };
    let Some(Expr::Array(sources)) = authorizer.field("IdentitySource") else {
        return false;
    };
    !sources.is_empty()
        && sources.iter().all(|s| match s {
            Expr::Lit(serde_json::Value::String(s)) => s
                .to_ascii_lowercase()
                .strip_prefix("$request.header.")
                .is_some_and(|h| h != "origin" && !h.starts_with("access-control-request-")),
            _ => false,
        })
}

/// Refuses an HTTP API with CORS whose `ANY` or `$default` route is authorized while no
/// public `OPTIONS` route takes the preflight requests it would catch.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    let with_cors: BTreeSet<&str> = resources
        .of_type(API)
        .filter(|r| !matches!(r.field("CorsConfiguration"), None | Some(Expr::NoValue)))
        .map(|r| &*r.entry.target.id)
        .collect();
    if with_cors.is_empty() {
        return;
    }
    let routes: Vec<(&str, &str, &Resolved)> = resources
        .of_type(ROUTE)
        .filter_map(|r| Some((api_of(r)?, route_key(r)?, r)))
        .filter(|(api, _, _)| with_cors.contains(api))
        .collect();
    // The public `OPTIONS` routes, by API and route key.
    let public: BTreeSet<(&str, String)> = routes
        .iter()
        .filter(|(_, _, r)| authorization(r) == Some("NONE"))
        .map(|(api, key, _)| (*api, shape(key)))
        .collect();
    for (api, key, route) in &routes {
        // Only a literal authorization surely refuses the preflight: a computed one
        // (an `Fn::If` with a `NONE` side) may not, and a Lambda authorizer only when its
        // identity sources are headers the preflight lacks.
        let auth = authorization(route);
        match auth {
            None | Some("NONE") => continue,
            Some("CUSTOM") if !custom_refuses_preflight(route, resources) => continue,
            Some(_) => {}
        }
        // The `OPTIONS` route that takes the preflight requests this route would catch:
        // the same path for `ANY`; every path for `$default` (the greedy path, which
        // API Gateway prefers over `$default`).
        let options = match key.split_once(' ') {
            Some(("ANY", path)) => format!("OPTIONS {path}"),
            None if *key == "$default" => "OPTIONS /{proxy+}".to_string(),
            _ => continue,
        };
        if public.contains(&(*api, shape(&options))) {
            continue;
        }
        let (_, options_path) = options.split_once(' ').unwrap_or_default();
        diags.push(Diagnostic::error(
            Location::resource(&route.entry.target.id),
            format!(
                "API `{api}` answers CORS preflight requests, but its route `{key}` ({}) also takes `OPTIONS` requests: API Gateway sends the preflight to it, browsers send the preflight without credentials, so the authorization refuses it and every cross-origin call fails",
                auth.map_or_else(|| "a computed authorization".to_string(), |a| format!("authorization `{a}`")),
            ),
            format!(
                "add a public `{options}` route whose target answers 200 (API Gateway adds the configured CORS headers): `api.route(stack, \"OPTIONS\", \"{options_path}\", &function).authorization(stack, HttpAuthorization::None)`{}",
                if *key == "$default" {
                    " (and `OPTIONS /` if pages call the API's root)"
                } else {
                    "; or list the route's methods instead of `ANY`"
                }
            ),
        ));
    }
}
