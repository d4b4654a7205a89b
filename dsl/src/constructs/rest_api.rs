//! [`RestApi`]: an API Gateway REST API whose routes proxy to functions.

use std::collections::BTreeMap;

mod auth;
mod domain;
mod integration;
mod stage;
mod usage_plan;

pub use auth::{RestAuthorization, RestAuthorizer, RestIdentitySource};
pub use integration::{DynamoDbAction, DynamoValue, MockResponse, RestIntegration};
pub use stage::{CacheSize, RestStage};
pub use usage_plan::{Quota, QuotaPeriod, UsagePlan, UsagePlanRef};

use crate::Snapshot;
use crate::apigateway::{DeploymentHandle, RestApiHandle};
use crate::constructs::Configure;
use crate::constructs::Cors;
use crate::constructs::Throttle;
use crate::constructs::configure::Owned;
use crate::constructs::ids::pascal;
use crate::constructs::wiring::FunctionEnd;
use crate::constructs::wiring::api_route::{self, ApiKind};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Any, Str};
use crate::kinds::{ApiGatewayResourceId, ApiGatewayRestApiId, ApiGatewayStageName};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};
use crate::{sub, value};

/// An API Gateway REST API (v1), regional, deployed to one stage. Routes added with
/// [`RestApiRef::route`] create the resources, the proxy methods and the invoke
/// permissions (scoped to the method and path). The deployment's logical ID ends in a
/// hash of the API's definition (and of what it refers to that a replacement changes,
/// such as a renamed function's ARN), so every change to the API is deployed to the
/// stage; the deployment waits for everything it covers. A resource's logical ID is
/// `<Api><Path>Resource`, a method's `<Api><Path><Method>` (`ApiUsersPost`).
///
/// ```
/// use nephos::{Handle, Stack};
/// use nephos::constructs::{Code, Function, RestApi, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let api = stack.add("Api", RestApi::new("users").stage("dev"));
/// let post = api.route(&mut stack, "POST", "/users", &f);
/// let t = stack.synth().unwrap();
/// let resources = t.json()["Resources"].as_object().unwrap();
/// assert_eq!(resources[post.resource_ref().logical_id()]["Properties"]["HttpMethod"], "POST");
/// let (_, deployment) = resources.iter().find(|(id, _)| id.starts_with("ApiDeployment")).unwrap();
/// assert_eq!(deployment["DependsOn"], serde_json::json!(["ApiUsersPost", "ApiUsersResource"]));
/// ```
///
/// The construct holds the generated `AWS::ApiGateway::RestApi` builder: options write
/// into it, and [`configure`](RestApi::configure) and
/// [`configure_deployment`](RestApi::configure_deployment) reach every property.
#[derive(Clone, Debug)]
pub struct RestApi {
    api: crate::apigateway::RestApi,
    /// The stage the deployment creates, kept for the API's handle (its URL).
    stage: Value<Str>,
    cors: Option<Cors>,
    one_permission: bool,
    default_authorization: RestAuthorization,
    /// Options of the API's stage, which then is a resource of its own.
    stage_options: Option<RestStage>,
    /// Further stages, each a resource of its own, by name.
    extra_stages: Vec<(String, RestStage)>,
    configure: Configure<crate::apigateway::RestApi>,
    configure_deployment: Configure<crate::apigateway::Deployment>,
}

impl RestApi {
    /// An API named `name`, deployed to the stage `prod` unless set.
    pub fn new(name: impl IntoValue<Str>) -> Self {
        RestApi {
            api: crate::apigateway::RestApi::new()
                .name(name)
                .endpoint_configuration(Value::cast::<
                    crate::apigateway::rest_api::EndpointConfiguration,
                >(value!({ "Types": ["REGIONAL"] }))),
            stage: "prod".into(),
            cors: None,
            one_permission: false,
            default_authorization: RestAuthorization::None,
            stage_options: None,
            extra_stages: Vec::new(),
            configure: Configure::new(),
            configure_deployment: Configure::new(),
        }
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.api = self.api.description(text.into());
        self
    }

    /// The stage to deploy to (a literal or a parameter).
    pub fn stage(mut self, stage: impl IntoValue<Str>) -> Self {
        self.stage = stage.into_value();
        self
    }

    /// Makes the API's stage a resource of its own (`<Id>Stage`, pointing at the
    /// deployment) with `options`: throttling, a cache cluster, tracing, access logs. See
    /// [`RestStage`].
    pub fn stage_options(mut self, options: RestStage) -> Self {
        self.stage_options = Some(options);
        self
    }

    /// Another stage of the same deployment, `<Id><Name>Stage`, named `name` (1 to 128
    /// letters, digits, `-` and `_`), with `options`. Its URL is
    /// [`RestApiRef::stage_url`].
    pub fn add_stage(mut self, name: &str, options: RestStage) -> Self {
        self.extra_stages.push((name.to_string(), options));
        self
    }

    /// Gives each routed function one invoke permission for the whole API (any stage,
    /// method and path: `<api-id>/*/*`) instead of one per route scoped to its method and
    /// path: broader, but it keeps a function with many routes under Lambda's 20 KB
    /// resource-based policy limit.
    pub fn one_invoke_permission(mut self) -> Self {
        self.one_permission = true;
        self
    }

    /// Who may call the methods unless a method says otherwise
    /// ([`RestMethod::authorization`], which also takes [`RestAuthorization::None`]).
    /// Unset, methods are public. CORS preflight (`OPTIONS`) methods stay public, as
    /// browsers send preflight requests without credentials.
    pub fn default_authorization(mut self, auth: RestAuthorization) -> Self {
        self.default_authorization = auth;
        self
    }

    /// Answers CORS preflight requests on every route's path.
    pub fn cors(mut self, cors: Cors) -> Self {
        self.cors = Some(cors);
        self
    }

    /// Escape hatch to the generated `AWS::ApiGateway::RestApi` builder: `f` sees it
    /// after the construct's defaults (a regional endpoint) and options and may set or
    /// clear any property; a later `override_property` still wins.
    ///
    /// ```
    /// use nephos::Stack;
    /// use nephos::constructs::{Code, Function, RestApi, Runtime};
    /// let mut stack = Stack::new("App");
    /// let api = stack.add("Api", RestApi::new("users").configure(|l1| l1.minimum_compression_size(1024)));
    /// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// api.route(&mut stack, "GET", "/", &f);
    /// let t = stack.synth().unwrap();
    /// assert_eq!(t.json()["Resources"]["Api"]["Properties"]["MinimumCompressionSize"], 1024);
    /// ```
    pub fn configure(
        mut self,
        f: impl Fn(crate::apigateway::RestApi) -> crate::apigateway::RestApi + Send + Sync + 'static,
    ) -> Self {
        self.configure.push(f);
        self
    }

    /// Escape hatch to the deployment (`<Id>Deployment<hash>`), after its defaults (the
    /// API and the stage name); its properties count in the deployment's hash.
    pub fn configure_deployment(
        mut self,
        f: impl Fn(crate::apigateway::Deployment) -> crate::apigateway::Deployment
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.configure_deployment.push(f);
        self
    }
}

impl Construct for RestApi {
    type Handle = RestApiRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> RestApiRef {
        let api = self.configure.apply(self.api.clone());
        let endpoint_disabled =
            api_route::endpoint_disabled(stack, id, crate::stack::props::PropsBuilder::props(&api));
        let api = stack.add(id, api);
        // The API's name, for its metrics (CloudWatch names REST APIs by `ApiName`).
        let name = stack
            .property(api.resource_ref(), "Name")
            .map_or_else(|| "".into(), Value::cast);
        if let Some(stage) = self.stage.literal_str()
            && let Some(problem) = stage_name_problem(stage)
        {
            stack.problem(Diagnostic::error(
                Location::property(&format!("{id}Deployment"), "StageName"),
                problem,
                "name the stage with 1 to 128 letters, digits, `-` and `_`, such as `prod` or `dev-1`",
            ));
        }
        // A deployment is a snapshot taken when it is created: its logical ID carries a
        // hash of the API's definition (decided at synth), so any change to the API makes
        // a new deployment, which the stage then serves.
        let deployment_id = format!("{id}Deployment");
        // A stage with options is a resource of its own; the deployment then creates none.
        let mut base = crate::apigateway::Deployment::new(api.id());
        if self.stage_options.is_none() {
            base = base.stage_name(self.stage.clone());
        }
        let deployment = self.configure_deployment.apply_owning(
            stack,
            &deployment_id,
            base,
            &[
                Owned::new(
                    "StageName",
                    "stage",
                    "the stage's URL and the invoke permissions' source ARNs",
                ),
                Owned::fixed(
                    "RestApiId",
                    "the deployment's methods",
                    "keep the construct's API; for another API add a generated `apigateway::Deployment`",
                ),
            ],
        );
        let deployment = stack.add(&deployment_id, deployment);
        stack.snapshot_id(
            &deployment,
            Snapshot::of("RestApiId", SNAPSHOT_TYPES)
                .requires("AWS::ApiGateway::Method", no_methods(id)),
        );
        let (stages, plan_stages) = self.add_stages(stack, id, &api, &deployment);
        RestApiRef {
            id: id.to_string(),
            name,
            api,
            deployment,
            stages,
            plan_stages,
            default_authorization: self.default_authorization,
            stage: self.stage,
            cors: self.cors,
            one_permission: self.one_permission,
            endpoint_disabled,
        }
    }
}

/// The API's stage resources, with whether each has a cache cluster.
type StageResources = Vec<(ResourceRef, bool)>;
/// Every stage's name for usage plans, with the resource a plan waits for when the name
/// is not a reference to it.
type PlanStages = Vec<(Value<ApiGatewayStageName>, Option<ResourceRef>)>;

impl RestApi {
    /// The stage resources (`<Id>Stage` with options, `<Id><Name>Stage` for each further
    /// stage); a stage name API Gateway refuses, or one given twice, is a synth error.
    fn add_stages(
        &self,
        stack: &mut Stack,
        id: &str,
        api: &RestApiHandle,
        deployment: &DeploymentHandle,
    ) -> (StageResources, PlanStages) {
        let mut resources = Vec::new();
        let mut plan = Vec::new();
        match &self.stage_options {
            Some(options) => {
                let s = stage::add(
                    stack,
                    (api.resource_ref(), api.id()),
                    (&format!("{id}Stage"), &format!("{id}AccessLogs")),
                    self.stage.clone(),
                    deployment,
                    options,
                );
                resources.push((s.resource_ref().clone(), options.has_cache()));
                plan.push((s.reference(), None));
            }
            None => plan.push((
                self.stage.clone().cast(),
                Some(deployment.resource_ref().clone()),
            )),
        }
        let mut names: Vec<String> = self
            .stage
            .literal_str()
            .map(str::to_string)
            .into_iter()
            .collect();
        for (name, options) in &self.extra_stages {
            let stage_id = format!("{id}{}Stage", pascal(name));
            let problem = stage_name_problem(name).or_else(|| {
                names
                    .contains(name)
                    .then(|| format!("the stage name `{}` is given twice", name.escape_debug()))
            });
            if let Some(problem) = problem {
                stack.problem(Diagnostic::error(
                    Location::property(&stage_id, "StageName"),
                    problem,
                    "name each stage once, with 1 to 128 letters, digits, `-` and `_`",
                ));
                continue;
            }
            names.push(name.clone());
            let s = stage::add(
                stack,
                (api.resource_ref(), api.id()),
                (&stage_id, &format!("{id}{}AccessLogs", pascal(name))),
                name.as_str().into(),
                deployment,
                options,
            );
            resources.push((s.resource_ref().clone(), options.has_cache()));
            plan.push((s.reference(), None));
        }
        (resources, plan)
    }
}

/// A REST API added to a stack.
#[derive(Clone, Debug)]
pub struct RestApiRef {
    id: String,
    /// The API's `Name` (empty when a `configure` closure cleared it).
    name: Value<Str>,
    api: RestApiHandle,
    deployment: DeploymentHandle,
    /// The stage resources, for per-method settings.
    stages: StageResources,
    /// Every stage, for usage plans.
    plan_stages: PlanStages,
    default_authorization: RestAuthorization,
    stage: Value<Str>,
    cors: Option<Cors>,
    one_permission: bool,
    /// `DisableExecuteApiEndpoint` is on: `url()` is an error where used.
    endpoint_disabled: bool,
}

impl RestApiRef {
    /// The API's `Name` as the construct set it (the value API Gateway's CloudWatch
    /// metrics use as their `ApiName` dimension).
    pub fn name(&self) -> Value<Str> {
        self.name.clone()
    }

    /// The API's id.
    pub fn api_id(&self) -> Value<ApiGatewayRestApiId> {
        self.api.id()
    }

    /// The stage's base URL, `https://<id>.execute-api.<region>.<suffix>/<stage>/`.
    pub fn url(&self) -> Value<Str> {
        if self.endpoint_disabled {
            return api_route::disabled_url(&self.id);
        }
        sub!(
            "https://${api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${stage}/",
            api = self.api.id(),
            stage = self.stage.clone()
        )
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &RestApiHandle {
        &self.api
    }

    /// The base URL of the further stage `name` (added with [`RestApi::add_stage`]).
    pub fn stage_url(&self, name: &str) -> Value<Str> {
        if self.endpoint_disabled {
            return api_route::disabled_url(&self.id);
        }
        sub!(
            "https://${api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${stage}/",
            api = self.api.id(),
            stage = name
        )
    }

    /// A usage plan `<Id><Name>Plan` on every stage of the API: the throttle and quota
    /// each of its keys gets (see [`UsagePlan`]). It waits for the stages to exist.
    pub fn usage_plan(&self, stack: &mut Stack, name: &str, plan: UsagePlan) -> UsagePlanRef {
        usage_plan::add(
            stack,
            (self.api.resource_ref(), self.api.id()),
            name,
            plan,
            &self.plan_stages,
        )
    }

    /// The deployment the stage serves (its logical ID gets the API's hash at synth). Give
    /// it the condition of conditional methods:
    /// `stack.resource(api.deployment()).condition(&c)`.
    pub fn deployment(&self) -> &DeploymentHandle {
        &self.deployment
    }

    /// The API Gateway resource for `path`, creating the missing ones segment by segment,
    /// and the name its methods' logical IDs start with after the API's ID (empty for the
    /// root). A resource's ID is `<api><Segments>Resource` and a method's
    /// `<api><Segments><Method>`: the suffixes keep the kinds apart (no method ends in
    /// `Resource`, no method name ends another), and segment names that coincide (`/a-b`
    /// and `/ab`) are refused by [`Self::check_same_resource`], so every ID stands for one
    /// route or resource whatever order the routes are added in.
    fn resource_for(&self, stack: &mut Stack, path: &str) -> (Value<ApiGatewayResourceId>, String) {
        let mut parent: Value<ApiGatewayResourceId> =
            self.api.resource_ref().get_att("RootResourceId");
        let mut name = String::new();
        let mut prefix = String::new();
        if self.cors.is_some() {
            self.preflight(stack, &name, parent.clone());
        }
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            name.push_str(&pascal(segment));
            prefix.push('/');
            prefix.push_str(segment);
            let id = format!("{}{name}Resource", self.id);
            let existing = stack.find_resource(&id, "AWS::ApiGateway::Resource");
            let handle = match existing {
                Some(r) => {
                    self.check_same_resource(stack, &r, &parent, segment, &prefix);
                    r
                }
                None => {
                    self.check_siblings(stack, &parent, segment, &prefix);
                    let r = stack
                        .add(
                            &id,
                            crate::apigateway::Resource::new(
                                parent.clone(),
                                segment,
                                self.api.id(),
                            ),
                        )
                        .resource_ref()
                        .clone();
                    // Part of the API: created under the API's condition.
                    stack.own(&r, &[self.api.resource_ref()]);
                    r
                }
            };
            parent = handle.ref_value();
            if self.cors.is_some() {
                self.preflight(stack, &name, parent.clone());
            }
        }
        (parent, name)
    }

    /// The path a resource of this stack stands for, read back from its `PathPart`s.
    fn path_of(stack: &Stack, resource: &ResourceRef) -> String {
        let resources = stack.resources_of_type("AWS::ApiGateway::Resource");
        let mut parts = Vec::new();
        let mut current = resource.clone();
        // Bounded: a resource tree is never deeper than the resources in the stack.
        for _ in 0..=resources.len() {
            if let Some(p) = stack.property(&current, "PathPart")
                && let Some(p) = p.literal_str()
            {
                parts.push(p.to_string());
            }
            // The parent is the resource the `ParentId` refers to (`Ref`); the root's
            // parent is the API's root resource, which is not one of them.
            let parent = stack.property(&current, "ParentId");
            match resources
                .iter()
                .find(|r| parent.as_ref() == Some(&r.ref_value::<Str>().into_any()))
            {
                Some(r) => current = r.clone(),
                None => break,
            }
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// Two paths whose segments differ only in what a logical ID drops (`/users/{id}` and
    /// `/users/id`, `/a-b` and `/ab`) would share one resource: refused, naming both, as
    /// API Gateway would route them apart.
    fn check_same_resource(
        &self,
        stack: &mut Stack,
        existing: &ResourceRef,
        parent: &Value<ApiGatewayResourceId>,
        segment: &str,
        prefix: &str,
    ) {
        let same = stack
            .property(existing, "PathPart")
            .is_some_and(|p| p.literal_str() == Some(segment))
            && stack.property(existing, "ParentId") == Some(parent.clone().into_any());
        if !same {
            let mut paths = [Self::path_of(stack, existing), prefix.to_string()];
            paths.sort();
            stack.problem(Diagnostic::error(
                Location::resource(&self.id),
                format!(
                    "the paths `{}` and `{}` both give the logical ID `{}`: logical IDs keep only letters and digits",
                    paths[0].escape_debug(),
                    paths[1].escape_debug(),
                    existing.logical_id()
                ),
                "rename one of the two segments so they differ in their letters or digits",
            ));
        }
    }

    /// API Gateway takes one variable path part (`{id}`, `{proxy+}`) among the children of
    /// a resource ("A sibling ({id}) of this resource already has a variable path part --
    /// only one is allowed"): a second one is refused, naming both paths.
    fn check_siblings(
        &self,
        stack: &mut Stack,
        parent: &Value<ApiGatewayResourceId>,
        segment: &str,
        prefix: &str,
    ) {
        if !segment.starts_with('{') {
            return;
        }
        let parent = Some(parent.clone().into_any());
        let sibling = stack
            .resources_of_type("AWS::ApiGateway::Resource")
            .into_iter()
            .find(|r| {
                stack.property(r, "ParentId") == parent
                    && stack.property(r, "PathPart").is_some_and(|p| {
                        p.literal_str()
                            .is_some_and(|p| p.starts_with('{') && p != segment)
                    })
            });
        let Some(sibling) = sibling else {
            return;
        };
        let mut paths = [Self::path_of(stack, &sibling), prefix.to_string()];
        paths.sort();
        stack.problem(Diagnostic::error(
            Location::resource(&self.id),
            format!(
                "the paths `{}` and `{}` put two different variables at one level; API Gateway allows one variable path part among siblings",
                paths[0], paths[1]
            ),
            "use one variable for both routes (the same `{name}`), or a literal segment for one of them",
        ));
    }

    /// The CORS preflight `OPTIONS` method of the resource named `name` (empty: the root).
    fn preflight(&self, stack: &mut Stack, name: &str, resource: Value<ApiGatewayResourceId>) {
        let Some(cors) = &self.cors else { return };
        let id = format!("{}{name}Options", self.id);
        // The preflight already made for this API is reused; anything else under the ID
        // (a user's method) is not taken for it: adding ours reports the ID as used twice.
        if stack
            .find_resource(&id, "AWS::ApiGateway::Method")
            .is_some_and(|r| stack.is_owned_by(&r, &[self.api.resource_ref()]))
        {
            return;
        }
        let header = |name: &str| format!("method.response.header.Access-Control-Allow-{name}");
        let quoted = |v: &[String]| format!("'{}'", v.join(","));
        let mut response_params: BTreeMap<String, Value<Any>> = BTreeMap::new();
        response_params.insert(header("Headers"), value!(quoted(&cors.headers)));
        response_params.insert(header("Methods"), value!(quoted(&cors.methods)));
        response_params.insert(header("Origin"), value!(quoted(&cors.origins)));
        let declared: BTreeMap<String, Value<Any>> = response_params
            .keys()
            .map(|k| (k.clone(), value!(true)))
            .collect();
        let method = crate::apigateway::Method::new("OPTIONS", resource, self.api.id())
            .authorization_type("NONE")
            .integration(Value::cast::<crate::apigateway::method::Integration>(value!({
                "Type": "MOCK",
                "RequestTemplates": { "application/json": "{\"statusCode\": 200}" },
                "IntegrationResponses": [{ "StatusCode": "200", "ResponseParameters": Value::object(response_params.iter().map(|(k, v)| (k.as_str(), v.clone()))) }]
            })))
            .method_responses(Value::cast::<crate::kind::List<crate::apigateway::method::MethodResponse>>(value!([{
                "StatusCode": "200",
                "ResponseParameters": Value::object(declared.iter().map(|(k, v)| (k.as_str(), v.clone())))
            }])));
        let options = stack.add(&id, method);
        stack.own(options.resource_ref(), &[self.api.resource_ref()]);
    }

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
        if stack
            .resources
            .iter()
            .all(|r| r.target != self.api.resource_ref().target)
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

/// The API Gateway types whose definitions a deployment snapshots (API Gateway Developer
/// Guide, "Deploy REST APIs": a deployment captures the API's resources, methods with
/// their integrations and responses, authorizers, models, request validators and gateway
/// responses, and the API's own settings such as its resource policy).
const SNAPSHOT_TYPES: &[&str] = &[
    "AWS::ApiGateway::Authorizer",
    "AWS::ApiGateway::GatewayResponse",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Model",
    "AWS::ApiGateway::RequestValidator",
    "AWS::ApiGateway::Resource",
];

/// API Gateway refuses to deploy a REST API without methods ("The REST API doesn't
/// contain any methods"), so a deployment covering none is a synth error.
fn no_methods(api: &str) -> Diagnostic {
    Diagnostic::error(
        Location::resource(api),
        format!(
            "the REST API `{api}` has no methods, and API Gateway refuses to deploy an API without any"
        ),
        "add a route (`api.route(&mut stack, \"GET\", \"/\", &function)`) or a method of the generated `apigateway::Method` type",
    )
}

/// Why `name` cannot name a REST API stage, or `None` (API Gateway `CreateStage` and
/// `CreateDeployment`, `stageName`: "Stage names can only contain alphanumeric characters,
/// hyphens, and underscores. Maximum length is 128 characters.").
fn stage_name_problem(name: &str) -> Option<String> {
    if !(1..=128).contains(&name.len()) {
        return Some(format!(
            "the stage name `{}` has {} characters; stage names have 1 to 128",
            name.escape_debug(),
            name.chars().count()
        ));
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .map(|c| {
            format!(
                "the stage name `{}` contains `{}`; stage names take letters, digits, `-` and `_`",
                name.escape_debug(),
                c.escape_debug()
            )
        })
}

/// The API's CloudWatch metrics (namespace `AWS/ApiGateway`, dimensions `ApiName` and
/// `Stage`; API Gateway Developer Guide, "Amazon API Gateway dimensions and metrics").
#[cfg(feature = "cloudwatch")]
impl RestApiRef {
    /// Requests answered with a 5XX error on the stage, summed over five minutes.
    pub fn metric_server_errors(&self) -> crate::constructs::metrics::Metric {
        crate::constructs::metrics::Metric::new("AWS/ApiGateway", "5XXError")
            .dimension("ApiName", self.name.clone())
            .dimension("Stage", self.stage.clone())
    }
}

impl Handle for RestApiRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.api.resource_ref()
    }
}
