//! The role API Gateway assumes to call an AWS service action for a route (an HTTP API's
//! integration subtype, a REST API's `AWS` integration): one per API, target and action,
//! allowed exactly that action on that target.

use crate::constructs::grants::{self, Grant, Target};
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::handle::{FromRef, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// Why an API Gateway service integration reaches only a resource of the API's Region
/// (given to [`Stack::require_home`] for a literal ARN): API Gateway calls the service's
/// endpoint in the API's own Region (a REST API's `AWS` integration `Uri` is
/// `arn:aws:apigateway:<api region>:<service>:action/...`: API Gateway Developer Guide,
/// "Set up an API integration request"; an HTTP API's integration subtype calls the
/// Region of its `Region` parameter, the API's own unless set: "Integration subtype
/// reference").
pub const API_SERVICE_HOME: &str = "API Gateway calls the service's endpoint in the API's own Region (API Gateway Developer Guide, \"Set up an API integration request\")";

/// Requires the resource an API service integration calls (`arn`, when it has one) to be
/// in the stack's Region ([`Stack::require_home`] with [`API_SERVICE_HOME`]); `what` names
/// the integration in messages, followed by the ARN.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::wiring::api_service_role::require_service_home;
/// let mut stack = Stack::new("App");
/// let bus: nephos::Value<nephos::kind::Str> =
///     "arn:aws:events:eu-west-1:123456789012:event-bus/orders".into();
/// require_service_home(&mut stack, "the integration of route `POST /orders`", Some(bus));
/// assert!(stack.synth().unwrap().json()["Rules"]["ImportsRegionEuWest1"].is_object());
/// ```
pub fn require_service_home(stack: &mut Stack, what: &str, arn: Option<Value<crate::kind::Str>>) {
    if let Some(arn) = arn {
        stack.require_home(
            &arn,
            &format!("{what} to `{}`", arn.literal_str().unwrap_or_default()),
            crate::Reach::Region,
            API_SERVICE_HOME,
        );
    }
}

/// The target whose customer-managed key (if it has one) the role uses only through the
/// target's service. The key is read like every grant's ([`grants::key`]): in whichever
/// form it was given or the target's properties name it, refused at synth when an alias
/// from outside the stack hides the key's ARN.
#[derive(Clone, Debug)]
pub struct ViaKey<'a> {
    /// The target the service action is on (its key, given or read from its resource),
    /// of any type ([`Target::untyped`]).
    pub target: Target<grants::on::Any>,
    /// The key actions the service action needs.
    pub actions: &'a [&'a str],
    /// The service the key is used through (`dynamodb`), for `kms:ViaService`.
    pub service: &'a str,
}

/// The role `<Api><Target><Action>Role` API Gateway assumes for the API `api` to call
/// `action` on the target named `target`, with `grant` (and the key's use through its
/// service, for an encrypted target). The same API, target and action share one role; it
/// takes its condition from `ends` (the API and the target's resources in the stack). An
/// ID already taken by something else is a synth error naming both.
///
/// ```
/// use nephos::{Handle, Stack};
/// use nephos::constructs::grants::Grant;
/// use nephos::constructs::wiring::api_service_role::service_role;
/// let mut stack = Stack::new("App");
/// let api = stack.add("Api", nephos::apigateway::RestApi::new().name("orders"));
/// let grant = Grant::new("starting executions").actions(&["states:StartExecution"])
///     .on("arn:aws:states:eu-west-1:123456789012:stateMachine:orders");
/// let role = service_role(&mut stack, (api.resource_ref(), "Orders", "Start"), &[api.resource_ref()], grant, None);
/// assert_eq!(role.resource_ref().logical_id(), "ApiOrdersStartRole");
/// ```
pub fn service_role(
    stack: &mut Stack,
    (api, target, action): (&ResourceRef, &str, &str),
    ends: &[&ResourceRef],
    grant: Grant,
    key: Option<ViaKey<'_>>,
) -> crate::iam::RoleHandle {
    let id = format!("{}{target}{action}Role", api.logical_id());
    if let Some(r) = stack.find_resource(&id, "AWS::IAM::Role")
        && stack.is_owned_by(&r, ends)
    {
        return FromRef::from_ref(r);
    }
    let trust = PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("apigateway.amazonaws.com"))
            .action("sts:AssumeRole"),
    );
    let role =
        crate::constructs::wiring::place(stack, &id, crate::iam::Role::new(trust), ends, "a role");
    grants::grant(stack, &role, grant);
    if let Some(k) = key {
        grants::key::cover(stack, &role, &k.target, k.actions, k.service);
    }
    role
}

/// The resources of `stack` of type `type_name` that `value` refers to: the owners a
/// role or integration takes its condition from, besides the API.
pub fn referenced<K>(stack: &Stack, value: &Value<K>, type_name: &str) -> Vec<ResourceRef> {
    value
        .resources_referenced()
        .iter()
        .filter_map(|id| stack.find_resource(id, type_name))
        .collect()
}
