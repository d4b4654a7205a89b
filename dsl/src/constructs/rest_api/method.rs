//! The methods of a [`RestApi`](super::RestApi): [`RestApiRef::route`] (a Lambda proxy),
//! [`RestApiRef::route_to`] (any integration), and the [`RestMethod`] handle they return
//! for per-method options (authorization, throttling, caching, API keys).

use super::{
    RestApiRef, RestAuthorization, RestIntegration, StageResources, auth, integration, stage,
};
use crate::apigateway::RestApiHandle;
use crate::constructs::Throttle;
use crate::constructs::ids::pascal;
use crate::constructs::wiring::FunctionEnd;
use crate::constructs::wiring::api_route::{self, ApiKind};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Any;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

impl RestApiRef {
    /// Routes `method` requests on `path` (such as `/users/{id}`, or `/{proxy+}` for the
    /// rest of a path) to `function` through a Lambda proxy integration, with the
    /// permission for this API (only this method and path) to invoke it. Returns the
    /// method. A method or path API Gateway would refuse is reported at synth.
    pub fn route(
        &self,
        stack: &mut Stack,
        method: &str,
        path: &str,
        function: &impl FunctionEnd,
    ) -> RestMethod {
        let uri = api_route::lambda_invocation_uri(function.function_arn());
        let integration =
            crate::apigateway::method::Integration::new(crate::apigateway::method::Type::AwsProxy)
                .integration_http_method("POST")
                .uri(uri);
        let target = format!("`{}`", function.resource_ref().logical_id());
        let (m, new) = self.add_method(
            stack,
            (method, path),
            integration::Built {
                integration,
                responses: Vec::new(),
                path_parameters: Vec::new(),
                target,
            },
        );
        if let Some((method_id, invoke_suffix)) = new {
            api_route::invoke_permission(
                stack,
                self.api.resource_ref(),
                self.api.id(),
                (&self.id, &method_id),
                &invoke_suffix,
                function,
                self.one_permission,
            );
        }
        m
    }

    /// Routes `method` requests on `path` to an HTTP endpoint
    /// ([`HttpProxy`](crate::constructs::HttpProxy)), a fixed answer ([`MockResponse`]) or
    /// an AWS service action ([`StartExecution`](crate::constructs::StartExecution),
    /// [`PutEvents`](crate::constructs::PutEvents), [`DynamoDbAction`]), each action
    /// through a role API Gateway assumes (`<Api><Target><Action>Role`) that may do
    /// exactly that action on that target. Requests other than `application/json` are
    /// answered 415 (no template applies to them). Returns the method, as
    /// [`route`](Self::route) does; what API Gateway or the service would refuse is a
    /// synth error naming the route.
    ///
    /// ```
    /// use nephos::{Stack, Value};
    /// use nephos::constructs::{HttpProxy, PutEvents, RestApi, StartExecution};
    /// let mut stack = Stack::new("App");
    /// let api = stack.add("Api", RestApi::new("shop"));
    /// api.route_to(&mut stack, "POST", "/orders", PutEvents::new("shop.orders", "OrderPlaced"));
    /// api.route_to(&mut stack, "POST", "/refunds", StartExecution::new(
    ///     Value::literal("arn:aws:states:eu-west-1:123456789012:stateMachine:refunds")));
    /// api.route_to(&mut stack, "GET", "/legacy/{proxy+}", HttpProxy::new("https://legacy.example.com/{proxy}"));
    /// let synth = stack.synth().unwrap();
    /// let t = synth.json();
    /// let post = &t["Resources"]["ApiOrdersPost"]["Properties"]["Integration"];
    /// assert_eq!(post["Type"], "AWS");
    /// assert_eq!(post["PassthroughBehavior"], "NEVER");
    /// let role = &t["Resources"]["ApiDefaultBusPutEventsRole"]["Properties"]["Policies"][0]["PolicyDocument"];
    /// assert_eq!(role["Statement"][0]["Condition"]["StringEquals"]["events:source"], "shop.orders");
    /// let legacy = &t["Resources"]["ApiLegacyProxyGet"]["Properties"];
    /// assert_eq!(legacy["RequestParameters"]["method.request.path.proxy"], true);
    /// ```
    pub fn route_to(
        &self,
        stack: &mut Stack,
        method: &str,
        path: &str,
        integration: impl Into<RestIntegration>,
    ) -> RestMethod {
        let integration = integration.into();
        let verb = method.to_ascii_uppercase();
        let params: Vec<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(|s| s.trim_end_matches('+').to_string())
            .collect();
        let built = match integration::build(
            stack,
            self.api.resource_ref(),
            (&verb, &params),
            &integration,
        ) {
            Ok(b) => b,
            Err(problems) => {
                stack.problem(Diagnostic::error(
                    Location::resource(&self.id),
                    format!(
                        "the integration of route `{verb} {path}` of API `{}`: {}",
                        self.id,
                        problems.join("; ")
                    ),
                    "fix the integration's settings (see its documentation for what API Gateway and the service accept)",
                ));
                // The method is still added (as a mock answering 500), so the route's
                // handle and the API's other checks stay as they would be.
                integration::Built {
                    integration: crate::apigateway::method::Integration::new(
                        crate::apigateway::method::Type::Mock,
                    ),
                    responses: Vec::new(),
                    path_parameters: Vec::new(),
                    target: "an integration refused above".to_string(),
                }
            }
        };
        self.add_method(stack, (method, path), built).0
    }

    /// Adds the method `method path` with `built`'s integration, unless the same route
    /// is already there (then returned, or refused when its integration differs);
    /// refusals are reported once. For a new method, its ID and the suffix of the
    /// `execute-api` ARNs it is invoked under.
    fn add_method(
        &self,
        stack: &mut Stack,
        (method, path): (&str, &str),
        built: integration::Built,
    ) -> (RestMethod, Option<(String, String)>) {
        // A route refused for any reason below is reported once, without follow-on errors.
        let errors_before = stack.problems().len();
        let api = self.api.resource_ref();
        if stack
            .find_resource(api.logical_id(), api.type_name())
            .as_ref()
            != Some(api)
        {
            stack.problem(Diagnostic::error(
                Location::resource(&self.id),
                format!(
                    "a route was added to API `{}` through stack `{}`, which does not hold it",
                    self.id,
                    stack.name()
                ),
                format!(
                    "add the route on stack `{}`",
                    self.api.resource_ref().stack_name()
                ),
            ));
        }
        let verb = method.to_ascii_uppercase();
        let invoke_suffix = match api_route::parse(ApiKind::Rest, method, path) {
            Ok(route) => route.invoke_arn_suffix(),
            Err(e) => {
                stack.problem(Diagnostic::error(
                    Location::resource(&self.id),
                    format!("route `{method} {path}`: {}", e.message),
                    e.fix,
                ));
                format!("{verb}{path}")
            }
        };
        let (resource, name) = self.resource_for(stack, path);
        let method_id = format!("{}{name}{}", self.id, pascal(&verb.to_ascii_lowercase()));
        let integration: Value<crate::apigateway::method::Integration> =
            built.integration.into_value();
        // A method already there under this ID is the same path and verb (IDs are
        // injective), or a path just refused as sharing its IDs. The same route to the
        // same target is the wiring already there, reused like identical wiring; to
        // another target it is refused once, naming both, and the existing method
        // returned, without a second copy.
        if let Some(existing) = stack.find_resource(&method_id, "AWS::ApiGateway::Method") {
            let before = stack.property(&existing, "Integration");
            if before.as_ref().map(|v| v.to_json()) == Some(integration.to_json())
                && stack.problems().len() == errors_before
            {
                return (
                    self.method(
                        crate::stack::handle::FromRef::from_ref(existing),
                        (&verb, path),
                    ),
                    None,
                );
            }
            if stack.problems().len() == errors_before {
                let target = |v: Option<&Value<Any>>| {
                    v.and_then(|v| v.resources_referenced().into_iter().next())
                        .map(|id| format!("`{id}`"))
                        .unwrap_or_else(|| "another integration".to_string())
                };
                stack.problem(Diagnostic::error(
                    Location::resource(&self.id),
                    format!(
                        "route `{verb} {path}` is added twice, to {} and to {}; API Gateway takes one method per path and verb",
                        target(before.as_ref()),
                        built.target
                    ),
                    if verb == "OPTIONS" && self.cors.is_some() {
                        "drop the `OPTIONS` route: the API's CORS setting already answers preflight requests on every route's path"
                    } else {
                        "add each route once, to the target that should answer it (`ANY` already covers every verb)"
                    },
                ));
            }
            return (
                self.method(
                    crate::stack::handle::FromRef::from_ref(existing),
                    (&verb, path),
                ),
                None,
            );
        }
        if let Some(d) =
            api_route::long_id_problem(&self.id, &verb, path, &format!("{method_id}Permission"))
        {
            stack.problem(d);
        }
        let mut m = crate::apigateway::Method::new(verb.clone(), resource, self.api.id())
            .authorization_type("NONE")
            .integration(integration);
        if !built.responses.is_empty() {
            m = m.method_responses(IntoValue::<
                crate::kind::List<crate::apigateway::method::MethodResponse>,
            >::into_value(built.responses));
        }
        for p in &built.path_parameters {
            m = m.insert_request_parameters(&format!("method.request.path.{p}"), true);
        }
        let m = stack.add(&method_id, m);
        stack.own(m.resource_ref(), &[self.api.resource_ref()]);
        let m = self.method(m, (&verb, path));
        if self.default_authorization != RestAuthorization::None {
            m.authorization(stack, self.default_authorization.clone());
        }
        (m, Some((method_id, invoke_suffix)))
    }
}

impl RestApiRef {
    fn method(
        &self,
        method: crate::apigateway::MethodHandle,
        (verb, path): (&str, &str),
    ) -> RestMethod {
        RestMethod {
            method,
            api: self.api.clone(),
            stages: self.stages.clone(),
            verb: verb.to_string(),
            path: path.to_string(),
        }
    }
}

/// A method of a [`RestApi`], returned by [`RestApiRef::route`]: set its authorization
/// (over the API's default). Its changes count in the deployment's hash, so they reach
/// the stage.
#[derive(Clone, Debug)]
pub struct RestMethod {
    method: crate::apigateway::MethodHandle,
    api: RestApiHandle,
    /// The API's stage resources (with whether each has a cache cluster).
    stages: StageResources,
    verb: String,
    path: String,
}

impl RestMethod {
    /// The generated resource's handle.
    pub fn handle(&self) -> &crate::apigateway::MethodHandle {
        &self.method
    }

    /// The method (upper case) and the path, as the route was added.
    pub fn route(&self) -> (&str, &str) {
        (&self.verb, &self.path)
    }

    /// The ID of the method's API.
    pub fn api_id(&self) -> Value<crate::kinds::ApiGatewayRestApiId> {
        self.api.id()
    }

    /// Lets `grantee` call this method when it is IAM-authorized
    /// ([`grants::api::invoke`](crate::constructs::grants::api::invoke)). Each path
    /// parameter is `*` in the grant's ARN, and IAM's `*` also matches `/`: a grant on
    /// `GET /users/{id}` lets the grantee call `GET /users/1/keys` too, if that method
    /// exists and is IAM-authorized.
    pub fn grant_invoke(
        &self,
        stack: &mut Stack,
        grantee: &impl crate::constructs::grants::Grantee,
    ) -> Option<crate::constructs::grants::Granted> {
        crate::constructs::grants::api::invoke(stack, grantee, self)
    }

    /// Who may call this method, replacing the API's default
    /// ([`RestAuthorization::None`] makes it public). An authorizer is added to the API
    /// on first use.
    pub fn authorization(&self, stack: &mut Stack, auth: RestAuthorization) -> &Self {
        auth::apply(
            stack,
            self.api.resource_ref(),
            self.api.id(),
            self.method.resource_ref(),
            &auth,
        );
        self
    }

    /// Throttles this method on every stage resource of its API (over the stage's
    /// throttle); the API needs [`RestApi::stage_options`] or [`RestApi::add_stage`].
    pub fn throttle(&self, stack: &mut Stack, throttle: Throttle) -> &Self {
        stage::set_method(
            stack,
            self.method.resource_ref(),
            &self.stages,
            (&self.verb, &self.path),
            stage::Setting::Throttle(throttle),
        );
        self
    }

    /// Caches this method's answers for `ttl` (0 to 3600 s; data encrypted) on every
    /// stage of its API with a cache cluster ([`RestStage::cache_cluster`]).
    pub fn cache(&self, stack: &mut Stack, ttl: std::time::Duration) -> &Self {
        stage::set_method(
            stack,
            self.method.resource_ref(),
            &self.stages,
            (&self.verb, &self.path),
            stage::Setting::Cache(ttl),
        );
        self
    }

    /// Calls without an API key of one of the API's usage plans
    /// ([`RestApiRef::usage_plan`]) are refused with 403.
    pub fn require_api_key(&self, stack: &mut Stack) -> &Self {
        stack.set_property(
            self.method.resource_ref(),
            "ApiKeyRequired",
            Some(Value::<crate::kind::Bool>::from(true).into_any()),
        );
        self
    }
}

impl Handle for RestMethod {
    fn resource_ref(&self) -> &ResourceRef {
        self.method.resource_ref()
    }
}
