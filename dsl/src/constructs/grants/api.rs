//! Grants to call an API Gateway API whose methods (REST) or routes (HTTP) use IAM
//! authorization (`AWS_IAM`): `execute-api:Invoke` on the `execute-api` ARN of one
//! route, or of every route of the API.
//!
//! Facts from the API Gateway Developer Guide, "Control access for invoking an API" and
//! "IAM policy examples for API execution permissions": API Gateway calls an
//! IAM-authorized method only for a caller whose policies allow `execute-api:Invoke` on
//! `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`,
//! the method and path of the request, `*` matching any stage, method or text
//! (slashes included); "Control access to HTTP APIs with IAM authorization": HTTP APIs
//! check the same permission per route. So a route's grant is on any stage (`*`), its
//! method (`*` for `ANY`) and its path with each parameter written `*`
//! (`GET/users/*`); IAM has no wildcard for one segment, so that grant also matches
//! deeper paths (`GET/users/1/keys`). An HTTP API's `$default` route answers requests of
//! any method and path no other route matches, so its grant is on every method and path
//! of the API.
//!
//! The grant does something only where API Gateway checks it: a route that is not
//! IAM-authorized at synth (its authorization may still be set after the grant) is a
//! synth warning naming the route and the grantee.

use crate::constructs::grants::{Grant, Granted, Grantee, actions, grant};
use crate::constructs::wiring::api_route::{self, ApiKind, RouteError};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::stack::stack::Stack;
use crate::synth::template::Resolved;
use crate::value::value::{IntoValue, Value};

/// What an invoke grant is on: one route (or method) of an API, or the whole API. Made
/// from a route's or an API's handle (`(&route).into()`), or for an API outside the
/// stack from its ID ([`ApiTarget::by_id`], [`ApiTarget::by_route`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ApiTarget {
    arn: Value<Str>,
    what: String,
    authorized_by: Option<Authorized>,
}

/// Where API Gateway reads whether the grant is checked: one method or route resource,
/// or the method or route resources of one API of the stack.
#[derive(Clone, Debug, PartialEq)]
enum Authorized {
    Route {
        id: String,
    },
    Api {
        id: String,
        /// `AWS::ApiGateway::Method` or `AWS::ApiGatewayV2::Route`.
        route_type: &'static str,
        /// The property naming the API: `RestApiId` or `ApiId`.
        api_property: &'static str,
    },
}

impl ApiTarget {
    /// Every route of the API `api_id` (of another stack, or outside any).
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::grants::{self, api::ApiTarget};
    /// use nephos::constructs::{Code, Function, Runtime};
    /// let mut stack = Stack::new("App");
    /// let caller = stack.add("Caller", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// grants::api::invoke(&mut stack, &caller, ApiTarget::by_id("a1b2c3d4e5")).unwrap();
    /// let policy = stack.synth().unwrap().json()["Resources"]["CallerRole"]["Properties"]["Policies"].to_string();
    /// assert!(policy.contains(":${AWS::AccountId}:a1b2c3d4e5/*"), "{policy}");
    /// ```
    pub fn by_id(api_id: impl IntoValue<Str>) -> Self {
        let api_id = api_id.into_value();
        ApiTarget {
            arn: whole_api(api_id.clone()),
            what: format!("every route of API {}", shown(&api_id)),
            authorized_by: None,
        }
    }

    /// The route `method path` of the API `api_id` (of another stack, or outside any),
    /// of `kind` (REST or HTTP): refused as the route itself would be. A path
    /// parameter is `*` in the ARN, which also matches deeper paths (see [`invoke`]).
    ///
    /// ```
    /// use nephos::constructs::grants::api::ApiTarget;
    /// use nephos::constructs::wiring::api_route::ApiKind;
    /// let t = ApiTarget::by_route(ApiKind::Http, "a1b2c3d4e5", "GET", "/items/{id}").unwrap();
    /// assert_eq!(t.what(), "route `GET /items/{id}` of API `a1b2c3d4e5`");
    /// assert!(ApiTarget::by_route(ApiKind::Rest, "a1b2c3d4e5", "GET", "items").is_err());
    /// ```
    pub fn by_route(
        kind: ApiKind,
        api_id: impl IntoValue<Str>,
        method: &str,
        path: &str,
    ) -> Result<Self, RouteError> {
        let route = api_route::parse(kind, method, path)?;
        let api_id = api_id.into_value();
        Ok(ApiTarget {
            arn: route_arn(api_id.clone(), &route.invoke_arn_suffix()),
            what: format!(
                "route `{}` of API {}",
                route.route_key().escape_debug(),
                shown(&api_id)
            ),
            authorized_by: None,
        })
    }

    /// The `execute-api` ARN the grant is on.
    pub fn arn(&self) -> &Value<Str> {
        &self.arn
    }

    /// How messages name it.
    pub fn what(&self) -> &str {
        &self.what
    }
}

fn shown(api_id: &Value<Str>) -> String {
    match api_id.literal_str() {
        Some(s) => format!("`{}`", s.escape_debug()),
        None => "given by ID".to_string(),
    }
}

fn whole_api(api_id: impl IntoValue<Str>) -> Value<Str> {
    crate::sub!(
        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${api}/*",
        api = api_id.into_value()
    )
}

/// `suffix` is what follows `<api-id>/<stage>/` ([`api_route::Route::invoke_arn_suffix`]);
/// the `$default` route catches any method and path, so its grant is the API's.
fn route_arn(api_id: impl IntoValue<Str>, suffix: &str) -> Value<Str> {
    if suffix == api_route::DEFAULT_ROUTE {
        return whole_api(api_id);
    }
    crate::sub!(
        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${api}/*/${route}",
        api = api_id.into_value(),
        route = suffix
    )
}

#[cfg(all(
    feature = "apigateway",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
impl From<&crate::constructs::RestMethod> for ApiTarget {
    fn from(m: &crate::constructs::RestMethod) -> Self {
        use crate::stack::handle::Handle;
        let (verb, path) = m.route();
        // A route API Gateway refuses was reported when it was added; its grant then
        // names the method and path as given.
        let suffix = api_route::parse(ApiKind::Rest, verb, path)
            .map(|r| r.invoke_arn_suffix())
            .unwrap_or_else(|_| format!("{verb}{path}"));
        let id = m.resource_ref().logical_id().to_string();
        ApiTarget {
            arn: route_arn(m.api_id(), &suffix),
            what: format!("method `{verb} {}` (`{id}`)", path.escape_debug()),
            authorized_by: Some(Authorized::Route { id }),
        }
    }
}

#[cfg(all(
    feature = "apigateway",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
impl From<&crate::constructs::RestApiRef> for ApiTarget {
    fn from(api: &crate::constructs::RestApiRef) -> Self {
        use crate::stack::handle::Handle;
        let id = api.resource_ref().logical_id().to_string();
        ApiTarget {
            arn: whole_api(api.api_id()),
            what: format!("every method of API `{id}`"),
            authorized_by: Some(Authorized::Api {
                id,
                route_type: "AWS::ApiGateway::Method",
                api_property: "RestApiId",
            }),
        }
    }
}

#[cfg(all(
    feature = "apigatewayv2",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
impl From<&crate::constructs::HttpRoute> for ApiTarget {
    fn from(r: &crate::constructs::HttpRoute) -> Self {
        use crate::stack::handle::Handle;
        let id = r.resource_ref().logical_id().to_string();
        ApiTarget {
            arn: route_arn(r.api_id(), r.invoke_suffix()),
            what: format!("route `{}` (`{id}`)", r.route_key().escape_debug()),
            authorized_by: Some(Authorized::Route { id }),
        }
    }
}

#[cfg(all(
    feature = "apigatewayv2",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
impl From<&crate::constructs::HttpApiRef> for ApiTarget {
    fn from(api: &crate::constructs::HttpApiRef) -> Self {
        use crate::stack::handle::Handle;
        let id = api.resource_ref().logical_id().to_string();
        ApiTarget {
            arn: whole_api(api.api_id()),
            what: format!("every route of API `{id}`"),
            authorized_by: Some(Authorized::Api {
                id,
                route_type: "AWS::ApiGatewayV2::Route",
                api_property: "ApiId",
            }),
        }
    }
}

/// Lets `grantee` call `target` (`execute-api:Invoke`): a route or method
/// (`&route`), or every route of an API (`&api`). A route of the stack that is not
/// IAM-authorized at synth is a warning, since API Gateway then does not check the
/// grant; so is an API of the stack none of whose routes is.
///
/// A route's grant is wider than the route when it has path parameters: each is `*` in
/// the ARN, and IAM has no wildcard for one path segment (its `*` matches any text,
/// slashes included). So the grant on `GET /users/{id}` (`.../GET/users/*`) also allows
/// `GET /users/1/keys`, `GET /users/1/keys/2` and any other IAM-authorized method under
/// `/users/` of the API. Where a deeper route must stay closed to this grantee, give the
/// deeper routes another authorization, or keep them on another API.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::grants;
/// use nephos::constructs::{Code, Function, RestApi, RestAuthorization, Runtime};
/// let mut stack = Stack::new("App");
/// let handler = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let caller = stack.add("Caller", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let api = stack.add("Api", RestApi::new("users").default_authorization(RestAuthorization::Iam));
/// let get = api.route(&mut stack, "GET", "/users/{id}", &handler);
/// grants::api::invoke(&mut stack, &caller, &get).unwrap();
/// let synth = stack.synth().unwrap();
/// assert!(synth.warnings().is_empty());
/// let statement = &synth.json()["Resources"]["CallerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0];
/// assert_eq!(statement["Action"], serde_json::json!(["execute-api:Invoke"]));
/// assert_eq!(
///     statement["Resource"][0]["Fn::Sub"],
///     "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/users/*"
/// );
/// ```
pub fn invoke(
    stack: &mut Stack,
    grantee: &impl Grantee,
    target: impl Into<ApiTarget>,
) -> Option<Granted> {
    let target = target.into();
    let granted = grant(
        stack,
        grantee,
        Grant::new(format!("execute-api:Invoke on {}", target.what))
            .actions(actions::EXECUTE_API_INVOKE)
            .on(target.arn.clone()),
    )?;
    if let Some(authorized) = target.authorized_by.clone() {
        let who = grantee.grantee_name();
        let what = target.what.clone();
        stack.check_at_synth(move |resolved| unchecked(resolved, &authorized, &who, &what));
    }
    Some(granted)
}

/// The warning for a grant API Gateway does not check: its route (or every route of its
/// API) is not IAM-authorized in the final template.
fn unchecked(
    resolved: &[Resolved<'_>],
    authorized: &Authorized,
    who: &str,
    what: &str,
) -> Vec<Diagnostic> {
    let iam = |r: &Resolved<'_>| {
        r.property("AuthorizationType")
            .is_some_and(|t| t == "AWS_IAM")
    };
    match authorized {
        Authorized::Route { id } => {
            let Some(route) = resolved.iter().find(|r| r.logical_id() == id) else {
                return Vec::new();
            };
            if iam(route) {
                return Vec::new();
            }
            let current = route
                .property("AuthorizationType")
                .map_or_else(|| "NONE".to_string(), |t| t.to_string());
            vec![Diagnostic::warning(
                Location::property(id, "AuthorizationType"),
                format!(
                    "{who} is granted `execute-api:Invoke` on {what}, whose authorization is {current}, not `AWS_IAM`: API Gateway does not check the grant, so it does nothing"
                ),
                "make the route IAM-authorized (`.authorization(stack, ...::Iam)` on it, or the API's `default_authorization`), or drop the grant",
            )]
        }
        Authorized::Api {
            id,
            route_type,
            api_property,
        } => {
            let api_ref = serde_json::json!({ "Ref": id });
            let any_iam = resolved.iter().any(|r| {
                r.type_name() == *route_type
                    && r.property(api_property).as_ref() == Some(&api_ref)
                    && iam(r)
            });
            if any_iam {
                return Vec::new();
            }
            vec![Diagnostic::warning(
                Location::resource(id),
                format!(
                    "{who} is granted `execute-api:Invoke` on {what}, none of which is IAM-authorized (`AWS_IAM`): API Gateway does not check the grant, so it does nothing"
                ),
                "make the routes the grantee calls IAM-authorized (the API's `default_authorization`, or `.authorization(stack, ...::Iam)` on each), or drop the grant",
            )]
        }
    }
}
