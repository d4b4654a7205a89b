//! [`HttpRoute`]: a route of an HTTP API, for options set after it is added, and the
//! service integrations routes send requests to.

use crate::apigatewayv2::{ApiHandle, RouteHandle};
use crate::constructs::grants::{self, Grant, Target};
use crate::constructs::wiring::api_route::ApiKind;
use crate::constructs::wiring::api_service_role::{ViaKey, referenced, service_role};
use crate::diagnostic::{Diagnostic, Location};
use crate::kind::{Any, Str};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;

use super::auth::{self, HttpAuthorization};
use super::integration::HttpIntegration;
use crate::constructs::Throttle;

/// A route of an [`HttpApi`](super::HttpApi), returned by
/// [`HttpApiRef::route`](super::HttpApiRef::route) and
/// [`route_to`](super::HttpApiRef::route_to): set its authorization (over the API's
/// default) and its throttling.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, HttpApi, HttpAuthorization, Runtime, Throttle};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Items", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let api = stack.add("Http", HttpApi::new("items"));
/// api.route(&mut stack, "DELETE", "/items/{id}", &f)
///     .authorization(&mut stack, HttpAuthorization::Iam)
///     .throttle(&mut stack, Throttle::new(5.0, 10));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// assert_eq!(t["Resources"]["HttpItemsIdDelete"]["Properties"]["AuthorizationType"], "AWS_IAM");
/// let stage = &t["Resources"]["HttpDefaultStage"];
/// assert_eq!(stage["Properties"]["RouteSettings"]["DELETE /items/{id}"]["ThrottlingBurstLimit"], 10);
/// assert_eq!(stage["DependsOn"], serde_json::json!(["HttpItemsIdDelete"]));
/// ```
#[derive(Clone, Debug)]
pub struct HttpRoute {
    pub(super) route: RouteHandle,
    pub(super) route_key: String,
    /// What follows `<api-id>/<stage>/` in the route's `execute-api` ARNs.
    pub(super) invoke_suffix: String,
    pub(super) api: ApiHandle,
    pub(super) stage: ResourceRef,
}

/// A route just added (or found again), and for a new one its ID and the suffix of the
/// `execute-api` ARNs it is invoked under.
pub(super) struct Added {
    pub(super) route: HttpRoute,
    pub(super) new: Option<(String, String)>,
}

impl HttpRoute {
    /// The route key, such as `GET /items/{id}`.
    pub fn route_key(&self) -> &str {
        &self.route_key
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &RouteHandle {
        &self.route
    }

    /// The ID of the route's API.
    pub fn api_id(&self) -> crate::Value<crate::kinds::ApiGatewayV2ApiId> {
        self.api.id()
    }

    /// What follows `<api-id>/<stage>/` in the `execute-api` ARN of the route's calls:
    /// `GET/items/*`, `*/items` (`ANY`), or `$default`.
    pub fn invoke_suffix(&self) -> &str {
        &self.invoke_suffix
    }

    /// Lets `grantee` call this route when it is IAM-authorized
    /// ([`grants::api::invoke`](crate::constructs::grants::api::invoke)). Each path
    /// parameter is `*` in the grant's ARN, and IAM's `*` also matches `/`: a grant on
    /// `GET /users/{id}` lets the grantee call `GET /users/1/keys` too, if that route
    /// exists and is IAM-authorized.
    pub fn grant_invoke(
        &self,
        stack: &mut Stack,
        grantee: &impl crate::constructs::grants::Grantee,
    ) -> Option<crate::constructs::grants::Granted> {
        grants::api::invoke(stack, grantee, self)
    }

    /// Who may call this route, replacing the API's default (`HttpAuthorization::None`
    /// makes it public). A JWT or Lambda authorizer is added to the API on first use.
    pub fn authorization(&self, stack: &mut Stack, auth: HttpAuthorization) -> &Self {
        auth::apply(
            stack,
            self.api.resource_ref(),
            self.api.id(),
            self.route.resource_ref(),
            &auth,
        );
        self
    }

    /// Throttles this route on the API's `$default` stage (over the stage's default); the
    /// stage then waits for the route, since API Gateway refuses settings for a route
    /// key that does not exist yet.
    pub fn throttle(&self, stack: &mut Stack, throttle: Throttle) -> &Self {
        if let Some(p) = throttle.problem() {
            stack.problem(Diagnostic::error(
                Location::property(self.stage.logical_id(), "RouteSettings"),
                format!("route `{}`: {p}", self.route_key),
                "give a rate of 0 or more requests per second",
            ));
            return self;
        }
        let current = stack
            .property(&self.stage, "RouteSettings")
            .map(|v| v.to_json());
        let mut settings = match current {
            None => serde_json::Map::new(),
            Some(serde_json::Value::Object(m))
                if !m.keys().any(|k| k.starts_with("Fn::") || k == "Ref") =>
            {
                m
            }
            Some(_) => {
                stack.problem(Diagnostic::error(
                    Location::property(self.stage.logical_id(), "RouteSettings"),
                    format!(
                        "route `{}` cannot be throttled: the stage's `RouteSettings` is computed, so nothing can be merged into it",
                        self.route_key
                    ),
                    "give the stage's `RouteSettings` as a literal in `configure_stage`, or throttle the route there",
                ));
                return self;
            }
        };
        settings.insert(self.route_key.clone(), throttle.settings().to_json());
        stack.set_property(
            &self.stage,
            "RouteSettings",
            Some(crate::IntoValue::<Any>::into_value(
                serde_json::Value::Object(settings),
            )),
        );
        stack.resource(&self.stage).depends_on(&self.route);
        self
    }
}

impl Handle for HttpRoute {
    fn resource_ref(&self) -> &ResourceRef {
        self.route.resource_ref()
    }
}

/// The integration `id` of the route `route_id` (method `verb`) of the API `(api_id,
/// api)`, sending requests to `integration`, with the role a service integration needs.
pub(super) fn integrate(
    stack: &mut Stack,
    (api_id, api): (&str, &ApiHandle),
    id: &str,
    route_id: &str,
    verb: &str,
    integration: &HttpIntegration,
) -> ResourceRef {
    let problems = match integration {
        HttpIntegration::SqsSendMessage(s) => {
            let mut p = s.problems();
            // What SQS refuses of a FIFO queue's messages fails every request.
            use crate::constructs::wiring::fifo;
            let kind = match s.queue.resource() {
                Some(queue) => fifo::queue_kind(stack, queue, "what an SQS integration must give"),
                None => fifo::imported_queue_kind(s.queue.arn()),
            };
            let gives = |name: &str| s.optional.iter().any(|(n, _)| *n == name);
            let sends = fifo::Sends {
                group: gives("MessageGroupId"),
                dedup_id: Some(gives("MessageDeduplicationId")),
                delay: gives("DelaySeconds"),
            };
            let who = format!("route `{route_id}`");
            for (message, fix) in fifo::send_problems(kind, &s.queue_name(), &who, sends) {
                p.push(format!("{message} ({fix})"));
            }
            p
        }
        HttpIntegration::StartExecution(s) => s.problems(ApiKind::Http),
        HttpIntegration::PutEvents(p) => p.problems(ApiKind::Http),
        HttpIntegration::HttpProxy(h) => h.problems(ApiKind::Http),
    };
    // API Gateway calls the service in the API's region (no `Region` parameter is set;
    // an SQS integration sets it to the queue's).
    let what = format!("the integration of route `{route_id}` of HTTP API `{api_id}`");
    let reached: Option<crate::Value<Str>> = match integration {
        HttpIntegration::StartExecution(s) => Some(s.state_machine_arn().clone().cast()),
        HttpIntegration::PutEvents(p) => Some(p.bus_arn()),
        HttpIntegration::SqsSendMessage(_) | HttpIntegration::HttpProxy(_) => None,
    };
    crate::constructs::wiring::api_service_role::require_service_home(stack, &what, reached);
    if !problems.is_empty() {
        stack.problem(Diagnostic::error(
            Location::resource(id),
            format!(
                "the integration of route `{route_id}` of API `{api_id}`: {}",
                problems.join("; ")
            ),
            "fix the integration's settings (see its documentation for what API Gateway accepts)",
        ));
    }
    // A service integration: its subtype, parameters, the role's grant and the resources
    // of the stack it refers to (which own the role and the integration with the API).
    let service = |stack: &mut Stack,
                   subtype: &str,
                   parameters: Vec<(String, crate::Value<Str>)>,
                   (target, action): (&str, &str),
                   targets: Vec<ResourceRef>,
                   grant: Grant,
                   key: Option<ViaKey<'_>>| {
        let mut ends: Vec<&ResourceRef> = vec![api.resource_ref()];
        ends.extend(targets.iter());
        let role = service_role(
            stack,
            (api.resource_ref(), target, action),
            &ends,
            grant,
            key,
        );
        let mut i = crate::apigatewayv2::Integration::new(api.id(), "AWS_PROXY")
            .integration_subtype(subtype)
            .payload_format_version("1.0")
            .credentials_arn(role.arn());
        for (name, value) in parameters {
            i = i.insert_request_parameters(&name, value);
        }
        crate::constructs::wiring::place(stack, id, i, &ends, "an integration")
            .resource_ref()
            .clone()
    };
    match integration {
        HttpIntegration::SqsSendMessage(s) => {
            // By ARN whether or not the queue is the stack's: the grant and the key's
            // statement are on the ARN, the queue's resource is among `ends` below.
            let target: Target<grants::on::Queue> =
                Target::by_arn("queue", s.queue.arn().clone().cast::<crate::kind::AnyArn>())
                    .encrypted_with(s.queue.key().cloned());
            let grant = Grant::new("sending to the queue from API Gateway")
                .actions(grants::actions::SQS_SEND_MESSAGE)
                .on(target.arn().clone());
            let key = Some(ViaKey {
                target: target.untyped(),
                actions: grants::actions::KMS_PRODUCE,
                service: "sqs",
            });
            service(
                stack,
                "SQS-SendMessage",
                s.parameters(),
                (&s.queue_name(), "Send"),
                s.queue.resource().into_iter().cloned().collect(),
                grant,
                key,
            )
        }
        HttpIntegration::StartExecution(s) => {
            let targets = referenced(
                stack,
                s.state_machine_arn(),
                "AWS::StepFunctions::StateMachine",
            );
            service(
                stack,
                "StepFunctions-StartExecution",
                s.parameters(),
                (&s.target(), "Start"),
                targets,
                s.grant(),
                None,
            )
        }
        HttpIntegration::PutEvents(p) => {
            let targets = referenced(stack, &p.bus_arn(), "AWS::Events::EventBus");
            service(
                stack,
                "EventBridge-PutEvents",
                p.parameters(),
                (&p.target(), "PutEvents"),
                targets,
                p.grant(),
                None,
            )
        }
        HttpIntegration::HttpProxy(h) => {
            let mut i = crate::apigatewayv2::Integration::new(api.id(), "HTTP_PROXY")
                .integration_uri(h.url().clone())
                .integration_method(
                    h.endpoint_method()
                        .map_or_else(|| verb.to_string(), str::to_string),
                )
                .payload_format_version("1.0");
            if let Some(t) = h.timeout() {
                i = i.timeout_in_millis(i64::from(t));
            }
            crate::constructs::wiring::place(stack, id, i, &[api.resource_ref()], "an integration")
                .resource_ref()
                .clone()
        }
    }
}
