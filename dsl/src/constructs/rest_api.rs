//! [`RestApi`]: an API Gateway REST API whose routes proxy to functions.

use std::collections::BTreeMap;

use crate::apigateway::{DeploymentHandle, RestApiHandle};
use crate::constructs::api_route::{self, ApiKind};
use crate::constructs::function::FunctionRef;
use crate::constructs::{cast, pascal, unique_id};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Any, Str};
use crate::kinds::{ApiGatewayResourceId, ApiGatewayRestApiId};
use crate::stack::content_id::ContentId;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::{Construct, ResourceEntry};
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
use crate::value::value::{IntoValue, Value};
use crate::{sub, value};

/// Cross-origin settings: browsers on `origins` may call the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cors {
    /// Allowed origins (`*` for any).
    pub origins: Vec<String>,
    /// Allowed methods.
    pub methods: Vec<String>,
    /// Allowed request headers.
    pub headers: Vec<String>,
}

impl Cors {
    /// Any origin, the usual methods and headers.
    pub fn any_origin() -> Self {
        Cors {
            origins: vec!["*".into()],
            methods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
                .map(String::from)
                .to_vec(),
            headers: ["Content-Type", "Authorization"].map(String::from).to_vec(),
        }
    }
}

/// An API Gateway REST API (v1), regional, deployed to one stage. Routes added with
/// [`RestApiRef::route`] create the resources, the proxy methods and the invoke
/// permissions (scoped to the method and path). The deployment's logical ID ends in a
/// hash of the API's definition, so every change to the API is deployed to the stage.
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
/// assert_eq!(deployment["DependsOn"], serde_json::json!(["ApiUsersPost"]));
/// ```
#[derive(Clone, Debug)]
pub struct RestApi {
    name: Value<Str>,
    description: Option<String>,
    stage: Value<Str>,
    cors: Option<Cors>,
}

impl RestApi {
    /// An API named `name`, deployed to the stage `prod` unless set.
    pub fn new(name: impl IntoValue<Str>) -> Self {
        RestApi {
            name: name.into_value(),
            description: None,
            stage: "prod".into(),
            cors: None,
        }
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The stage to deploy to (a literal or a parameter).
    pub fn stage(mut self, stage: impl IntoValue<Str>) -> Self {
        self.stage = stage.into_value();
        self
    }

    /// Answers CORS preflight requests on every route's path.
    pub fn cors(mut self, cors: Cors) -> Self {
        self.cors = Some(cors);
        self
    }
}

impl Construct for RestApi {
    type Handle = RestApiRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> RestApiRef {
        let mut api = crate::apigateway::RestApi::new()
            .name(self.name)
            .endpoint_configuration(cast::<crate::apigateway::rest_api::EndpointConfiguration>(
                value!({ "Types": ["REGIONAL"] }),
            ));
        if let Some(d) = self.description {
            api = api.description(d);
        }
        let api = stack.add(id, api);
        // A deployment is a snapshot taken when it is created: its logical ID carries a
        // hash of the API's definition (decided at synth), so any change to the API makes
        // a new deployment, which the stage then serves.
        let deployment = stack.add(
            &format!("{id}Deployment"),
            crate::apigateway::Deployment::new(api.id()).stage_name(self.stage.clone()),
        );
        stack.content_ids.push(ContentId {
            resource: deployment.resource_ref().target.clone(),
            covers: deployment_covers,
        });
        RestApiRef {
            id: id.to_string(),
            api,
            deployment,
            stage: self.stage,
            cors: self.cors,
        }
    }
}

/// A REST API added to a stack.
#[derive(Clone, Debug)]
pub struct RestApiRef {
    id: String,
    api: RestApiHandle,
    deployment: DeploymentHandle,
    stage: Value<Str>,
    cors: Option<Cors>,
}

impl RestApiRef {
    /// The API's id.
    pub fn api_id(&self) -> Value<ApiGatewayRestApiId> {
        self.api.id()
    }

    /// The stage's base URL, `https://<id>.execute-api.<region>.<suffix>/<stage>/`.
    pub fn url(&self) -> Value<Str> {
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

    /// The API Gateway resource for `path`, creating the missing ones segment by segment.
    fn resource_for(&self, stack: &mut Stack, path: &str) -> (Value<ApiGatewayResourceId>, String) {
        let mut parent: Value<ApiGatewayResourceId> =
            self.api.resource_ref().get_att("RootResourceId");
        let mut name = String::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            name.push_str(&pascal(segment));
            let id = format!("{}{name}", self.id);
            let existing = stack.find_resource(&id, "AWS::ApiGateway::Resource");
            let handle = match existing {
                Some(r) => {
                    self.check_same_resource(stack, &r, &parent, segment, path);
                    r
                }
                None => stack
                    .add(
                        &id,
                        crate::apigateway::Resource::new(parent.clone(), segment, self.api.id()),
                    )
                    .resource_ref()
                    .clone(),
            };
            parent = handle.ref_value();
            if self.cors.is_some() {
                self.preflight(stack, &id, parent.clone());
            }
        }
        (
            parent,
            if name.is_empty() {
                "Root".to_string()
            } else {
                name
            },
        )
    }

    /// Two paths whose segments differ only in what a logical ID drops (`/users/{id}` and
    /// `/users/id`, `/a-b` and `/ab`) would share one resource: refused, as API Gateway
    /// would route them apart.
    fn check_same_resource(
        &self,
        stack: &mut Stack,
        existing: &ResourceRef,
        parent: &Value<ApiGatewayResourceId>,
        segment: &str,
        path: &str,
    ) {
        let same = stack.entry_mut(existing).is_some_and(|e| {
            e.props.map.get("PathPart") == Some(&Expr::Lit(segment.into()))
                && e.props.map.get("ParentId") == Some(&parent.expr)
        });
        if !same {
            stack.problem(Diagnostic::error(
                Location::resource(&self.id),
                format!(
                    "the path segment `{}` of `{}` gives the logical ID `{}`, which another path segment of the API already has",
                    segment.escape_debug(),
                    path.escape_debug(),
                    existing.logical_id()
                ),
                "rename one of the two segments so they differ in their letters or digits (logical IDs keep only those)",
            ));
        }
    }

    fn preflight(
        &self,
        stack: &mut Stack,
        resource_id: &str,
        resource: Value<ApiGatewayResourceId>,
    ) {
        let Some(cors) = &self.cors else { return };
        let id = format!("{resource_id}Options");
        if stack
            .find_resource(&id, "AWS::ApiGateway::Method")
            .is_some()
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
            .integration(cast::<crate::apigateway::method::Integration>(value!({
                "Type": "MOCK",
                "RequestTemplates": { "application/json": "{\"statusCode\": 200}" },
                "IntegrationResponses": [{ "StatusCode": "200", "ResponseParameters": crate::value::object::object_value(response_params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()) }]
            })))
            .method_responses(cast::<crate::kind::List<crate::apigateway::method::MethodResponse>>(value!([{
                "StatusCode": "200",
                "ResponseParameters": crate::value::object::object_value(declared.iter().map(|(k, v)| (k.as_str(), v.clone())).collect())
            }])));
        let m = stack.add(&id, method);
        stack.resource(&self.deployment).depends_on(&m);
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
        function: &FunctionRef,
    ) -> crate::apigateway::MethodHandle {
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
        let duplicate = stack.resources.iter().any(|e| {
            e.type_name == "AWS::ApiGateway::Method"
                && e.props.map.get("HttpMethod") == Some(&Expr::Lit(verb.as_str().into()))
                && e.props.map.get("ResourceId") == Some(&resource.expr)
        });
        if duplicate {
            stack.problem(Diagnostic::error(
                Location::resource(&self.id),
                format!("route `{verb} {path}` is added twice; API Gateway takes one method per path and verb"),
                "add each route once (`ANY` already covers every verb)",
            ));
        }
        let method_id = unique_id(
            stack,
            &format!("{}{name}{}", self.id, pascal(&verb.to_ascii_lowercase())),
        );
        let uri = sub!(
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${arn}/invocations",
            arn = function.arn()
        );
        let m = stack.add(
            &method_id,
            crate::apigateway::Method::new(verb.clone(), resource, self.api.id())
                .authorization_type("NONE")
                .integration(cast::<crate::apigateway::method::Integration>(value!({
                    "Type": "AWS_PROXY",
                    "IntegrationHttpMethod": "POST",
                    "Uri": uri
                }))),
        );
        stack.resource(&self.deployment).depends_on(&m);
        // Any stage (`*`): the console's test invocations come from a stage of their own.
        let source = sub!(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${api}/*/${route}",
            api = self.api.id(),
            route = invoke_suffix
        );
        stack.add(
            &format!("{method_id}Permission"),
            function.invoke_permission("apigateway.amazonaws.com", source),
        );
        m
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

/// What a REST API deployment's logical ID hashes: the deployment itself (its stage and
/// description), the API, and every resource of a snapshotted type that refers to the API.
fn deployment_covers<'a>(
    stack: &'a Stack,
    deployment: &'a ResourceEntry,
) -> Vec<&'a ResourceEntry> {
    let api = match deployment.props.map.get("RestApiId") {
        Some(Expr::Ref(t)) => t.clone(),
        _ => return vec![deployment],
    };
    let mut covered = vec![deployment];
    for e in &stack.resources {
        let refers = || {
            e.props
                .map
                .values()
                .any(|v| v.references().iter().any(|(t, _)| **t == api))
        };
        if e.target == api || (SNAPSHOT_TYPES.contains(&e.type_name.as_str()) && refers()) {
            covered.push(e);
        }
    }
    covered
}

impl Handle for RestApiRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.api.resource_ref()
    }
}
