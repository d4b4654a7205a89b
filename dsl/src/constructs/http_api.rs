//! [`HttpApi`]: an API Gateway HTTP API (v2) whose routes proxy to functions.

mod auth;
mod domain;
mod integration;
mod route;

pub use auth::{HttpAuthorization, HttpAuthorizer, IdentitySource, LambdaResponse};
pub use integration::{HttpIntegration, SqsSendMessage};
pub use route::HttpRoute;

use crate::apigatewayv2::ApiHandle;
use crate::constructs::Configure;
use crate::constructs::Cors;
use crate::constructs::configure::Owned;
use crate::constructs::ids::pascal;
use crate::constructs::wiring::FunctionEnd;
use crate::constructs::wiring::api_route::{self, ApiKind};
use crate::constructs::{AccessLogs, Throttle};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::kinds::ApiGatewayV2ApiId;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::sub;
use crate::value::value::{IntoValue, Value};

/// An HTTP API with an auto-deployed `$default` stage: API Gateway deploys every change
/// to the API itself, so no deployment resource is needed (nor could one go stale).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, HttpApi, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Items", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let api = stack.add("Http", HttpApi::new("items"));
/// api.route(&mut stack, "GET", "/items/{id}", &f);
/// let t = stack.synth().unwrap();
/// assert_eq!(t.json()["Resources"]["HttpItemsIdGet"]["Properties"]["RouteKey"], "GET /items/{id}");
/// ```
///
/// The construct holds the generated `AWS::ApiGatewayV2::Api` builder: options write into
/// it, and [`configure`](HttpApi::configure) and
/// [`configure_stage`](HttpApi::configure_stage) reach every property.
#[derive(Clone, Debug)]
pub struct HttpApi {
    api: crate::apigatewayv2::Api,
    one_permission: bool,
    default_authorization: HttpAuthorization,
    access_logs: Option<AccessLogs>,
    throttle: Option<Throttle>,
    configure: Configure<crate::apigatewayv2::Api>,
    configure_stage: Configure<crate::apigatewayv2::Stage>,
    /// What [`Cors::problems`] found in the CORS given, reported when added.
    cors_problems: Vec<String>,
}

impl HttpApi {
    /// An API named `name`.
    pub fn new(name: impl IntoValue<Str>) -> Self {
        HttpApi {
            api: crate::apigatewayv2::Api::new()
                .name(name)
                .protocol_type("HTTP"),
            one_permission: false,
            default_authorization: HttpAuthorization::None,
            access_logs: None,
            throttle: None,
            configure: Configure::new(),
            configure_stage: Configure::new(),
            cors_problems: Vec::new(),
        }
    }

    /// Who may call the routes unless a route says otherwise
    /// ([`HttpRoute::authorization`], which also takes [`HttpAuthorization::None`] for a
    /// public route). Unset, routes are public.
    pub fn default_authorization(mut self, auth: HttpAuthorization) -> Self {
        self.default_authorization = auth;
        self
    }

    /// Writes a line per request to a log group the construct adds (`<Id>AccessLogs`).
    /// HTTP APIs write access logs through API Gateway's service-linked role: unlike REST
    /// APIs, no account-level CloudWatch role is needed.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{AccessLogFormat, AccessLogs, HttpApi, LogField};
    /// let mut stack = Stack::new("App");
    /// stack.add("Http", HttpApi::new("items").access_logs(AccessLogs::new(AccessLogFormat::standard())));
    /// let synth = stack.synth().unwrap();
    /// let t = synth.json();
    /// let settings = &t["Resources"]["HttpDefaultStage"]["Properties"]["AccessLogSettings"];
    /// assert!(settings["Format"].as_str().unwrap().contains("$context.requestId"));
    /// assert_eq!(t["Resources"]["HttpAccessLogs"]["Properties"]["RetentionInDays"], 30);
    ///
    /// let mut stack = Stack::new("App");
    /// stack.add("Http", HttpApi::new("items").access_logs(AccessLogs::new(AccessLogFormat::json([LogField::Status]))));
    /// assert!(stack.synth().unwrap_err().to_string().contains("request ID"));
    /// ```
    pub fn access_logs(mut self, logs: AccessLogs) -> Self {
        self.access_logs = Some(logs);
        self
    }

    /// Throttles every route of the stage (a route's own [`HttpRoute::throttle`] wins).
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// Gives each routed function one invoke permission for the whole API (any stage and
    /// route: `<api-id>/*/*`) instead of one per route: broader, but it keeps a function
    /// with many routes under Lambda's 20 KB resource-based policy limit.
    pub fn one_invoke_permission(mut self) -> Self {
        self.one_permission = true;
        self
    }

    /// Answers CORS preflight requests (API Gateway answers them itself on an HTTP API).
    /// The settings are checked at synth with [`Cors::problems`], as on a REST API.
    pub fn cors(mut self, cors: Cors) -> Self {
        let mut config = crate::apigatewayv2::api::Cors::new()
            .allow_origins(cors.origins().to_vec())
            .allow_methods(
                cors.method_names()
                    .into_iter()
                    .map(String::from)
                    .collect::<Vec<_>>(),
            )
            .allow_headers(cors.headers().to_vec());
        if !cors.exposed_headers().is_empty() {
            config = config.expose_headers(cors.exposed_headers().to_vec());
        }
        if cors.credentials() {
            config = config.allow_credentials(true);
        }
        if let Some(age) = cors.max_age_seconds() {
            config = config.max_age(i64::try_from(age).unwrap_or(i64::MAX));
        }
        self.api = self.api.cors_configuration(config);
        self.cors_problems = cors.problems();
        self
    }

    /// Escape hatch to the generated `AWS::ApiGatewayV2::Api` builder: `f` sees it after
    /// the construct's defaults (protocol `HTTP`) and options and may set or clear any
    /// property; a later `override_property` still wins.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::HttpApi;
    /// let mut stack = Stack::new("App");
    /// stack.add("Http", HttpApi::new("items").configure(|l1| l1.disable_execute_api_endpoint(true)));
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Http"]["Properties"]["DisableExecuteApiEndpoint"], true);
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::apigatewayv2::Api) -> crate::apigatewayv2::Api + Send + Sync + 'static,
    ) -> Self {
        self.configure.push(f);
        self
    }

    /// Escape hatch to the `$default` stage (`<Id>DefaultStage`), after its defaults
    /// (auto-deploy on).
    ///
    /// Its name, API and auto-deploy are the construct's: [`HttpApiRef::url`] is the
    /// `$default` stage's URL, and the construct makes no deployment, so the stage serves
    /// the routes only while it auto-deploys. Changing them here is a synth error; for a
    /// named stage, add a generated `apigatewayv2::Stage` of your own on
    /// [`HttpApiRef::api_id`].
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::HttpApi;
    /// let mut stack = Stack::new("App");
    /// stack.add("Http", HttpApi::new("items").configure_stage(|s| s.description("public")));
    /// assert!(stack.synth().is_ok());
    ///
    /// let mut stack = Stack::new("App");
    /// stack.add("Http", HttpApi::new("items").configure_stage(|s| s.stage_name("prod")));
    /// let err = stack.synth().unwrap_err().to_string();
    /// assert!(err.contains("HttpDefaultStage") && err.contains("StageName"), "{err}");
    /// ```
    pub fn configure_stage(
        mut self,
        f: impl Fn(crate::apigatewayv2::Stage) -> crate::apigatewayv2::Stage + Send + Sync + 'static,
    ) -> Self {
        self.configure_stage.push(f);
        self
    }
}

impl Construct for HttpApi {
    type Handle = HttpApiRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> HttpApiRef {
        let api = self.configure.apply_owning(stack, id, self.api, API_OWNED);
        let endpoint_disabled = crate::constructs::wiring::api_route::endpoint_disabled(
            stack,
            id,
            crate::stack::props::PropsBuilder::props(&api),
        );
        if !self.cors_problems.is_empty() {
            stack.problem(Diagnostic::error(
                Location::property(id, "CorsConfiguration"),
                format!("the HTTP API's CORS: {}", self.cors_problems.join("; ")),
                "give origins as `scheme://host[:port]` (e.g. `https://app.example.com`) or `*` alone, header names without spaces or quotes, credentials only with listed origins, and a max age up to 86,400 s",
            ));
        }
        let api = stack.add(id, api);
        let stage_id = format!("{id}DefaultStage");
        let mut stage = crate::apigatewayv2::Stage::new(api.id(), "$default").auto_deploy(true);
        if let Some(logs) = &self.access_logs {
            stage = Self::add_access_logs(stack, id, logs, stage);
        }
        if let Some(t) = &self.throttle {
            if let Some(p) = t.problem() {
                stack.problem(Diagnostic::error(
                    Location::property(&stage_id, "DefaultRouteSettings"),
                    format!("API `{id}`: {p}"),
                    "give a rate of 0 or more requests per second",
                ));
            }
            stage = stage.default_route_settings(Value::cast::<
                crate::apigatewayv2::stage::RouteSettings,
            >(t.settings()));
        }
        let stage = self
            .configure_stage
            .apply_owning(stack, &stage_id, stage, STAGE_OWNED);
        let stage = stack.add(&stage_id, stage);
        HttpApiRef {
            id: id.to_string(),
            api,
            stage: stage.resource_ref().clone(),
            one_permission: self.one_permission,
            endpoint_disabled,
            default_authorization: self.default_authorization,
        }
    }
}

impl HttpApi {
    /// The access log group and the stage's settings pointing at it.
    fn add_access_logs(
        stack: &mut Stack,
        id: &str,
        logs: &AccessLogs,
        stage: crate::apigatewayv2::Stage,
    ) -> crate::apigatewayv2::Stage {
        let problems = logs.format().problems();
        if !problems.is_empty() {
            stack.problem(Diagnostic::error(
                Location::property(&format!("{id}DefaultStage"), "AccessLogSettings"),
                format!("API `{id}`: {}", problems.join("; ")),
                "list each field once, with `LogField::RequestId` among them (or start from `AccessLogFormat::standard()`)",
            ));
        }
        let group = stack.add(
            &format!("{id}AccessLogs"),
            crate::logs::LogGroup::new().retention_in_days(i64::from(logs.retention())),
        );
        logs.removal().apply(stack, &group);
        stage.access_log_settings(
            crate::apigatewayv2::stage::AccessLogSettings::new()
                .destination_arn(group.arn())
                .format(logs.format().render()),
        )
    }
}

/// What the routes are built for: HTTP routes with payload format 2.0 integrations.
const API_OWNED: &[Owned] = &[
    Owned::fixed(
        "ProtocolType",
        "its routes and integrations (HTTP, payload format 2.0)",
        "keep `HTTP`; for a WebSocket API use the generated `apigatewayv2::Api` builder",
    ),
    // Quick create (API Gateway Developer Guide, "quick create" of `CreateApi`: with
    // `Target`, API Gateway makes a `$default` route, integration and stage itself), which
    // collides with the `$default` stage the construct adds.
    Owned::fixed(
        "Target",
        "its `$default` stage (quick create would make a second one)",
        "drop `Target` and add the route with `.route(stack, \"ANY\", \"$default\", &function)`",
    ),
    Owned::fixed(
        "RouteKey",
        "its `$default` stage (quick create would make a second one)",
        "drop `RouteKey` and add routes with `.route(..)`",
    ),
    Owned::fixed(
        "CredentialsArn",
        "its `$default` stage (quick create would make a second one)",
        "drop `CredentialsArn`; give each route's integration its credentials with a generated `apigatewayv2::Integration`",
    ),
];

/// Const because the construct's URL and routes assume them (see `configure_stage`).
const STAGE_OWNED: &[Owned] = &[
    Owned::fixed(
        "StageName",
        "the API's URL (`url()`, the `$default` stage's)",
        "keep `$default`; for a named stage add a generated `apigatewayv2::Stage` on `api_id()`",
    ),
    Owned::fixed(
        "ApiId",
        "the stage's routes",
        "keep the construct's API; for another API add a generated `apigatewayv2::Stage`",
    ),
    Owned::fixed(
        "AutoDeploy",
        "the routes' deployment (it makes no deployment resource, so only an auto-deploying stage serves them)",
        "keep auto-deploy on; to deploy by hand use the generated `apigatewayv2::Stage` and `Deployment`",
    ),
];

/// An HTTP API added to a stack.
#[derive(Clone, Debug)]
pub struct HttpApiRef {
    id: String,
    api: ApiHandle,
    /// The `$default` stage: per-route settings go into it.
    stage: ResourceRef,
    default_authorization: HttpAuthorization,
    one_permission: bool,
    /// `DisableExecuteApiEndpoint` is on: `url()` is an error where used.
    endpoint_disabled: bool,
}

impl HttpApiRef {
    /// The API's id.
    pub fn api_id(&self) -> Value<ApiGatewayV2ApiId> {
        self.api.id()
    }

    /// The API's base URL.
    pub fn url(&self) -> Value<Str> {
        if self.endpoint_disabled {
            return crate::constructs::wiring::api_route::disabled_url(&self.id);
        }
        self.api.endpoint().into_value()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &ApiHandle {
        &self.api
    }

    /// Lets `grantee` call every IAM-authorized route of the API
    /// ([`grants::api::invoke`](crate::constructs::grants::api::invoke)); a route's own
    /// [`HttpRoute::grant_invoke`] is narrower.
    pub fn grant_invoke(
        &self,
        stack: &mut Stack,
        grantee: &impl crate::constructs::grants::Grantee,
    ) -> Option<crate::constructs::grants::Granted> {
        crate::constructs::grants::api::invoke(stack, grantee, self)
    }

    /// Routes `method` requests on `path` to `function` (payload format 2.0), with the
    /// permission for this API (only this method and path) to invoke it. Routes to the
    /// same function share one integration. `route(stack, "ANY", "$default", f)` catches
    /// every request no other route matches. Returns the route, for its own
    /// authorization and throttling; it has the API's default authorization. A method or
    /// path API Gateway would refuse is reported at synth.
    pub fn route(
        &self,
        stack: &mut Stack,
        method: &str,
        path: &str,
        function: &impl FunctionEnd,
    ) -> HttpRoute {
        let fid = function.resource_ref().logical_id().to_string();
        let integration_id = format!("{}{fid}Integration", self.id);
        let api = self.api.clone();
        let added = self.add_route(
            stack,
            (method, path),
            &fid,
            &|_| integration_id.clone(),
            &mut |stack, integration_id, _| {
                // An integration under the ID is reused only when it is the one made for
                // this API and function (`place` refuses anything else under it, naming
                // both).
                match stack.find_resource(integration_id, "AWS::ApiGatewayV2::Integration") {
                    Some(r)
                        if stack
                            .is_owned_by(&r, &[api.resource_ref(), function.resource_ref()]) =>
                    {
                        r
                    }
                    _ => crate::constructs::wiring::place(
                        stack,
                        integration_id,
                        crate::apigatewayv2::Integration::new(api.id(), "AWS_PROXY")
                            .integration_uri(function.function_arn())
                            .payload_format_version("2.0"),
                        &[api.resource_ref(), function.resource_ref()],
                        "an integration",
                    )
                    .resource_ref()
                    .clone(),
                }
            },
        );
        if let Some((route_id, invoke_suffix)) = &added.new {
            api_route::invoke_permission(
                stack,
                self.api.resource_ref(),
                self.api.id(),
                (&self.id, route_id),
                invoke_suffix,
                function,
                self.one_permission,
            );
        }
        added.route
    }

    /// Routes `method` requests on `path` to an AWS service action or an HTTP endpoint:
    /// [`SqsSendMessage`], [`StartExecution`](crate::constructs::StartExecution) or
    /// [`PutEvents`](crate::constructs::PutEvents) (each with the role API Gateway
    /// assumes, allowed exactly that action on that target), or
    /// [`HttpProxy`](crate::constructs::HttpProxy). Each route gets its own
    /// integration, `<Route>Integration`. Returns the route, as [`route`](Self::route)
    /// does; what API Gateway would refuse is a synth error naming the route.
    pub fn route_to(
        &self,
        stack: &mut Stack,
        method: &str,
        path: &str,
        integration: impl Into<HttpIntegration>,
    ) -> HttpRoute {
        let integration = integration.into();
        let target = match &integration {
            HttpIntegration::SqsSendMessage(s) => s.queue_name(),
            HttpIntegration::StartExecution(s) => s.target(),
            HttpIntegration::PutEvents(p) => p.target(),
            HttpIntegration::HttpProxy(h) => match h.url().literal_str() {
                Some(u) => u.escape_debug().to_string(),
                None => "an HTTP endpoint".to_string(),
            },
        };
        let api_id = self.id.clone();
        let api = self.api.clone();
        let verb = method.to_ascii_uppercase();
        self.add_route(
            stack,
            (method, path),
            &target,
            &|route_id| format!("{route_id}Integration"),
            &mut |stack, integration_id, route_id| {
                route::integrate(
                    stack,
                    (&api_id, &api),
                    integration_id,
                    route_id,
                    &verb,
                    &integration,
                )
            },
        )
        .route
    }

    /// Adds the route `method path` whose integration is `integration_id(route_id)`,
    /// made by `make` unless the same route is already there; refusals are reported once.
    /// `target` names what the route goes to in messages.
    fn add_route(
        &self,
        stack: &mut Stack,
        (method, path): (&str, &str),
        target: &str,
        integration_id: &dyn Fn(&str) -> String,
        make: &mut dyn FnMut(&mut Stack, &str, &str) -> ResourceRef,
    ) -> route::Added {
        // A route refused for any reason below is reported once, without follow-on errors.
        let errors_before = stack.problems().len();
        let verb = method.to_ascii_uppercase();
        let (route_key, invoke_suffix) = match api_route::parse(ApiKind::Http, method, path) {
            Ok(route) => (route.route_key(), route.invoke_arn_suffix()),
            Err(e) => {
                stack.problem(Diagnostic::error(
                    Location::resource(&self.id),
                    format!("route `{method} {path}`: {}", e.message),
                    e.fix,
                ));
                (format!("{verb} {path}"), format!("{verb}{path}"))
            }
        };
        let route_id = self.route_id(path, &verb);
        let integration_id = integration_id(&route_id);
        if let Some(d) =
            api_route::long_id_problem(&self.id, &verb, path, &format!("{route_id}Permission"))
        {
            stack.problem(d);
        }
        let handle = |route: crate::apigatewayv2::RouteHandle| HttpRoute {
            route,
            route_key: route_key.clone(),
            invoke_suffix: invoke_suffix.clone(),
            api: self.api.clone(),
            stage: self.stage.clone(),
        };
        // The ID is a function of the route key, so a route already there under it is the
        // same key added twice, or a key whose letters and digits coincide: refused once,
        // and the existing route returned without a second copy.
        if let Some(existing) = stack.find_resource(&route_id, "AWS::ApiGatewayV2::Route") {
            let other = stack
                .property(&existing, "RouteKey")
                .and_then(|k| k.literal_str().map(str::to_string))
                .unwrap_or_default();
            if stack.problems().len() > errors_before {
                // Already refused (its path), and the ID it shares says nothing more.
            } else if other == route_key {
                // The same route to the same target is the wiring already there, reused
                // like identical wiring; to another target it is refused, naming both.
                let existing_target = stack
                    .property(&existing, "Target")
                    .and_then(|t| t.resources_referenced().into_iter().next());
                if existing_target.as_deref() != Some(integration_id.as_str()) {
                    stack.problem(Diagnostic::error(
                        Location::resource(&self.id),
                        format!(
                            "route `{route_key}` is added twice, through `{}` and to `{target}`; an HTTP API takes each route key once",
                            existing_target.unwrap_or_else(|| "another target".to_string()),
                        ),
                        "add each route once, to the target that should answer it (`ANY` already covers every method)",
                    ));
                } else {
                    // The same integration ID: `make` reuses or refuses a different one.
                    make(stack, &integration_id, &route_id);
                }
            } else {
                let mut keys = [other, route_key.clone()];
                keys.sort();
                stack.problem(Diagnostic::error(
                    Location::resource(&self.id),
                    format!(
                        "the routes `{}` and `{}` both give the logical ID `{route_id}`: logical IDs keep only the letters and digits of a path",
                        keys[0].escape_debug(),
                        keys[1].escape_debug()
                    ),
                    "rename a segment of one route so the two differ in their letters or digits",
                ));
            }
            return route::Added {
                route: handle(crate::stack::handle::FromRef::from_ref(existing)),
                new: None,
            };
        }
        let integration = make(stack, &integration_id, &route_id);
        let route = stack.add(
            &route_id,
            crate::apigatewayv2::Route::new(self.api.id(), route_key.clone()).target(
                sub!(
                    "integrations/${integration}",
                    integration = integration.ref_value::<Str>()
                )
                .cast::<crate::kinds::ApiGatewayV2IntegrationId>(),
            ),
        );
        stack.own(route.resource_ref(), &[self.api.resource_ref()]);
        let route = handle(route);
        if self.default_authorization != HttpAuthorization::None {
            route.authorization(stack, self.default_authorization.clone());
        }
        route::Added {
            route,
            new: Some((route_id, invoke_suffix)),
        }
    }
}

impl HttpApiRef {
    /// A route's logical ID: `<api><Segments><Method>` (each segment's letters and digits,
    /// capitalized), or `<api>DefaultRoute` for `$default`, which no method name ends.
    /// Routes whose IDs coincide (`/a-b` and `/ab`) are refused by [`Self::route`].
    fn route_id(&self, path: &str, verb: &str) -> String {
        if path == api_route::DEFAULT_ROUTE {
            return format!("{}DefaultRoute", self.id);
        }
        let name: String = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(pascal)
            .collect();
        format!("{}{name}{}", self.id, pascal(&verb.to_ascii_lowercase()))
    }
}

/// The API's CloudWatch metrics (namespace `AWS/ApiGateway`, dimensions `ApiId` and
/// `Stage`, here `$default`; API Gateway Developer Guide, "Monitor CloudWatch metrics
/// for HTTP APIs").
#[cfg(feature = "cloudwatch")]
impl HttpApiRef {
    /// Requests answered with a 5XX error, summed over five minutes.
    pub fn metric_server_errors(&self) -> crate::constructs::metrics::Metric {
        crate::constructs::metrics::Metric::new("AWS/ApiGateway", "5xx")
            .dimension("ApiId", self.api.id())
            .dimension("Stage", "$default")
    }
}

impl Handle for HttpApiRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.api.resource_ref()
    }
}
