//! [`HttpApi`]: an API Gateway HTTP API (v2) whose routes proxy to functions.

use crate::apigatewayv2::ApiHandle;
use crate::constructs::api_route::{self, ApiKind};
use crate::constructs::function::FunctionRef;
use crate::constructs::rest_api::Cors;
use crate::constructs::{cast, pascal, unique_id};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::Str;
use crate::kinds::ApiGatewayV2ApiId;
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
use crate::value::value::{IntoValue, Value};
use crate::{sub, value};

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
#[derive(Clone, Debug)]
pub struct HttpApi {
    name: Value<Str>,
    cors: Option<Cors>,
}

impl HttpApi {
    /// An API named `name`.
    pub fn new(name: impl IntoValue<Str>) -> Self {
        HttpApi {
            name: name.into_value(),
            cors: None,
        }
    }

    /// Answers CORS preflight requests.
    pub fn cors(mut self, cors: Cors) -> Self {
        self.cors = Some(cors);
        self
    }
}

impl Construct for HttpApi {
    type Handle = HttpApiRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> HttpApiRef {
        let mut api = crate::apigatewayv2::Api::new()
            .name(self.name)
            .protocol_type("HTTP");
        if let Some(c) = &self.cors {
            api = api.cors_configuration(cast::<crate::apigatewayv2::api::Cors>(value!({
                "AllowOrigins": c.origins.clone(),
                "AllowMethods": c.methods.clone(),
                "AllowHeaders": c.headers.clone()
            })));
        }
        let api = stack.add(id, api);
        stack.add(
            &format!("{id}DefaultStage"),
            crate::apigatewayv2::Stage::new(api.id(), "$default").auto_deploy(true),
        );
        HttpApiRef {
            id: id.to_string(),
            api,
        }
    }
}

/// An HTTP API added to a stack.
#[derive(Clone, Debug)]
pub struct HttpApiRef {
    id: String,
    api: ApiHandle,
}

impl HttpApiRef {
    /// The API's id.
    pub fn api_id(&self) -> Value<ApiGatewayV2ApiId> {
        self.api.id()
    }

    /// The API's base URL.
    pub fn url(&self) -> Value<Str> {
        self.api.endpoint().into_value()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &ApiHandle {
        &self.api
    }

    /// Routes `method` requests on `path` to `function` (payload format 2.0), with the
    /// permission for this API (only this method and path) to invoke it. Routes to the
    /// same function share one integration. `route(stack, "ANY", "$default", f)` catches
    /// every request no other route matches. Returns the route; a method or path API
    /// Gateway would refuse is reported at synth.
    pub fn route(
        &self,
        stack: &mut Stack,
        method: &str,
        path: &str,
        function: &FunctionRef,
    ) -> crate::apigatewayv2::RouteHandle {
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
        let api_target = &self.api.resource_ref().target;
        let duplicate = stack.resources.iter().any(|e| {
            e.type_name == "AWS::ApiGatewayV2::Route"
                && e.props.map.get("RouteKey") == Some(&Expr::Lit(route_key.as_str().into()))
                && e.props.map.get("ApiId").is_some_and(
                    |v| matches!(v, Expr::Ref(t) | Expr::GetAtt(t, _) if t == api_target),
                )
        });
        if duplicate {
            stack.problem(Diagnostic::error(
                Location::resource(&self.id),
                format!(
                    "route `{route_key}` is added twice; an HTTP API takes each route key once"
                ),
                "add each route once (`ANY` already covers every method)",
            ));
        }
        let fid = function.resource_ref().logical_id().to_string();
        let integration_id = format!("{}{fid}Integration", self.id);
        let integration =
            match stack.find_resource(&integration_id, "AWS::ApiGatewayV2::Integration") {
                Some(r) => r,
                None => stack
                    .add(
                        &integration_id,
                        crate::apigatewayv2::Integration::new(self.api.id(), "AWS_PROXY")
                            .integration_uri(function.arn())
                            .payload_format_version("2.0"),
                    )
                    .resource_ref()
                    .clone(),
            };
        let route_id = unique_id(
            stack,
            &format!(
                "{}{}{}",
                self.id,
                pascal(path),
                pascal(&verb.to_ascii_lowercase())
            ),
        );
        let route = stack.add(
            &route_id,
            crate::apigatewayv2::Route::new(self.api.id(), route_key).target(Value::<
                crate::kinds::ApiGatewayV2IntegrationId,
            >::from_expr(
                sub!(
                    "integrations/${integration}",
                    integration = integration.ref_value::<Str>()
                )
                .expr,
            )),
        );
        // Any stage (`*`); the method and path as API Gateway presents them.
        let source = sub!(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${api}/*/${route}",
            api = self.api.id(),
            route = invoke_suffix
        );
        stack.add(
            &format!("{route_id}Permission"),
            function.invoke_permission("apigateway.amazonaws.com", source),
        );
        route
    }
}

impl Handle for HttpApiRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.api.resource_ref()
    }
}
