//! [`RestApi`]: an API Gateway REST API whose routes proxy to functions.

mod account;
mod auth;
mod domain;
mod integration;
mod method;
mod paths;
mod private;
mod stage;
mod stages;
mod usage_plan;

pub use account::CloudWatchRole;
pub use auth::{RestAuthorization, RestAuthorizer, RestIdentitySource};
pub use integration::{DynamoDbAction, DynamoValue, MockResponse, RestIntegration};
pub use method::RestMethod;
pub use stage::{CacheSize, RestStage};
pub use usage_plan::{Quota, QuotaPeriod, UsagePlan, UsagePlanRef};

use crate::Snapshot;
use crate::apigateway::{DeploymentHandle, RestApiHandle};
use crate::constructs::Configure;
use crate::constructs::Cors;
use crate::constructs::configure::Owned;
use crate::constructs::wiring::api_route::{self};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::kinds::ApiGatewayRestApiId;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};
use crate::{sub, value};

use stages::{PlanStages, StageResources, stage_name_problem};

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
    /// The VPC endpoints of a private API.
    private: Option<Vec<Value<crate::kinds::Ec2VpcEndpointId>>>,
    /// Who provides the account's CloudWatch Logs role for logging stages.
    cloud_watch_role: Option<CloudWatchRole>,
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
            private: None,
            cloud_watch_role: None,
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
        let api = match &self.private {
            None => self.configure.apply(self.api.clone()),
            Some(endpoints) => {
                let api = self
                    .api
                    .clone()
                    .endpoint_configuration(private::endpoint_configuration(endpoints));
                self.configure.apply_owning(
                    stack,
                    id,
                    api,
                    &[Owned::new(
                        "EndpointConfiguration",
                        "private",
                        "the private API's resource policy (invoke only through its VPC endpoints)",
                    )],
                )
            }
        };
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
        let logging = self
            .stage_options
            .iter()
            .chain(self.extra_stages.iter().map(|(_, o)| o))
            .any(RestStage::has_access_logs);
        account::add(stack, id, self.cloud_watch_role, logging, &stages);
        let r = RestApiRef {
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
            private: self.private.is_some(),
        };
        if let Some(endpoints) = &self.private {
            private::add_policy(stack, id, &r, endpoints);
        }
        r
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
    /// Private ([`RestApi::private`]): no public custom domain maps it.
    private: bool,
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

    /// Lets `grantee` call every IAM-authorized method of the API, on any stage
    /// ([`grants::api::invoke`](crate::constructs::grants::api::invoke)); a method's own
    /// [`RestMethod::grant_invoke`] is narrower.
    pub fn grant_invoke(
        &self,
        stack: &mut Stack,
        grantee: &impl crate::constructs::grants::Grantee,
    ) -> Option<crate::constructs::grants::Granted> {
        crate::constructs::grants::api::invoke(stack, grantee, self)
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
