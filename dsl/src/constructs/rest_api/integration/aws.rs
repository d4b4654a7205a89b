//! What every `AWS` integration of a REST API shares: the action's URI, the role API
//! Gateway assumes to call it, and the answers (the service's errors hidden behind fixed
//! messages); and the two service actions that are only that: Step Functions
//! `StartExecution` and EventBridge `PutEvents`.
//!
//! Facts from the API Gateway Developer Guide: "Set up an API integration request"
//! (`AWS` integrations name the action as `arn:<partition>:apigateway:<region>:<service>:action/<Action>`
//! and are called with `POST`; `Credentials` is the role API Gateway assumes), "Set up an
//! integration response" (a `SelectionPattern` of an `AWS` integration matches the
//! service's HTTP status); the EventBridge API reference (`PutEvents` is a JSON 1.1 call,
//! target `AWSEvents.PutEvents`).

use crate::apigateway::method::{
    Integration, IntegrationResponse, MethodResponse, PassthroughBehavior, Type,
};
use crate::constructs::grants::Grant;
use crate::constructs::wiring::api_service_role::{ViaKey, referenced, service_role};
use crate::constructs::{PutEvents, StartExecution};
use crate::kind::{List, Str};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// An AWS service action a method calls: what the role API Gateway assumes may do, and
/// the request it sends.
pub(super) struct AwsAction<'a> {
    /// The service's name in the action's URI (`states`).
    pub(super) service: &'a str,
    /// The action (`StartExecution`).
    pub(super) action: &'a str,
    /// The target's name in the role's ID and in messages.
    pub(super) target: &'a str,
    /// The target's resources in the stack, for the role's condition.
    pub(super) resources: Vec<ResourceRef>,
    /// The role's grant: that action on that target.
    pub(super) grant: Grant,
    /// The target's key, used through its service.
    pub(super) key: Option<ViaKey<'a>>,
    /// The request template.
    pub(super) template: Value<Str>,
    /// The template of a success answer (else the service's answer as it is).
    pub(super) success: Option<&'a str>,
}

/// The `AWS` integration of `action` for the API `api`, with its role, and the method's
/// responses.
pub(super) fn integration(
    stack: &mut Stack,
    api: &ResourceRef,
    action: AwsAction<'_>,
) -> (Integration, Vec<MethodResponse>) {
    let mut ends: Vec<&ResourceRef> = vec![api];
    ends.extend(action.resources.iter());
    let role = service_role(
        stack,
        (api, action.target, action.action),
        &ends,
        action.grant,
        action.key,
    );
    let (responses, method) = aws_responses(action.success);
    let uri = crate::sub(
        &format!(
            "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:{}:action/{}",
            action.service, action.action
        ),
        [],
    );
    let integration = Integration::new(Type::Aws)
        .integration_http_method("POST")
        .uri(uri)
        .credentials(role.arn().cast::<Str>())
        .passthrough_behavior(PassthroughBehavior::Never)
        .insert_request_templates("application/json", action.template)
        .integration_responses(IntoValue::<List<IntegrationResponse>>::into_value(
            responses,
        ));
    (integration, method)
}

/// The integration answers of an AWS action: success as the service answered (or through
/// `success`), and the service's 4XX and 5XX errors as 400 and 500 with fixed messages.
fn aws_responses(success: Option<&str>) -> (Vec<IntegrationResponse>, Vec<MethodResponse>) {
    let json = "application/json";
    let mut ok = IntegrationResponse::new("200");
    if let Some(t) = success {
        ok = ok.insert_response_templates(json, t);
    }
    let integration = vec![
        ok,
        IntegrationResponse::new("400")
            .selection_pattern("4\\d{2}")
            .insert_response_templates(json, "{\"message\":\"the request was refused\"}"),
        IntegrationResponse::new("500")
            .selection_pattern("5\\d{2}")
            .insert_response_templates(json, "{\"message\":\"internal error\"}"),
    ];
    let method = ["200", "400", "500"]
        .iter()
        .map(|s| MethodResponse::new(*s))
        .collect();
    (integration, method)
}

/// The integration starting an execution of `s`'s state machine, for the API `api`.
pub(super) fn start_execution(
    stack: &mut Stack,
    api: &ResourceRef,
    s: &StartExecution,
) -> (Integration, Vec<MethodResponse>, String) {
    let owners = referenced(
        stack,
        s.state_machine_arn(),
        "AWS::StepFunctions::StateMachine",
    );
    let target = s.target();
    let (i, r) = integration(
        stack,
        api,
        AwsAction {
            service: "states",
            action: "StartExecution",
            target: &target,
            resources: owners,
            grant: s.grant(),
            key: None,
            template: s.template(),
            success: None,
        },
    );
    (i, r, format!("`{target}`"))
}

/// The integration putting `p`'s event on its bus, for the API `api`.
pub(super) fn put_events(
    stack: &mut Stack,
    api: &ResourceRef,
    p: &PutEvents,
) -> (Integration, Vec<MethodResponse>, String) {
    let owners = referenced(stack, &p.bus_arn(), "AWS::Events::EventBus");
    let target = p.target();
    let (i, r) = integration(
        stack,
        api,
        AwsAction {
            service: "events",
            action: "PutEvents",
            target: &target,
            resources: owners,
            grant: p.grant(),
            key: None,
            template: p.template(),
            success: Some(PutEvents::response_template()),
        },
    );
    // EventBridge is called with its JSON 1.1 protocol.
    let i = i
        .insert_request_parameters(
            "integration.request.header.X-Amz-Target",
            "'AWSEvents.PutEvents'",
        )
        .insert_request_parameters(
            "integration.request.header.Content-Type",
            "'application/x-amz-json-1.1'",
        );
    (i, r, format!("`{target}`"))
}
