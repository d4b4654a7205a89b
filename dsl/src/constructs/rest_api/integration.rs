//! What a REST API method sends requests to besides a function: [`RestIntegration`]
//! (an HTTP endpoint, a mock answer, or an AWS service action: Step Functions
//! `StartExecution`, EventBridge `PutEvents`, DynamoDB `PutItem`, `GetItem` and `Query`),
//! each AWS action through a role API Gateway assumes that may do exactly that action on
//! that target.
//!
//! Facts from the API Gateway Developer Guide: "Set up an API integration request"
//! (`AWS` integrations name the action as `arn:<partition>:apigateway:<region>:<service>:action/<Action>`
//! and are called with `POST`; `Credentials` is the role API Gateway assumes), "Mapping
//! template reference" (`$input`, `$util.escapeJavaScript`, `$context.responseOverride`),
//! "Integration passthrough behaviors" (`NEVER` answers 415 to a content type without a
//! template), "Set up an integration response" (a `SelectionPattern` of an `AWS`
//! integration matches the service's HTTP status), and "Set up mock integrations"
//! (`{"statusCode": n}` picks the answer); the DynamoDB API reference (`PutItem`,
//! `GetItem`, `Query`: a key names every key attribute with its type; a query's key
//! condition names the partition key); the EventBridge API reference (`PutEvents` is
//! a JSON 1.1 call, target `AWSEvents.PutEvents`).
//!
//! One file per integration family: `http` (an HTTP endpoint), `mock` (a fixed answer),
//! `aws` (what every AWS action shares, and `StartExecution` and `PutEvents`) and
//! `dynamodb` (the DynamoDB actions); here, the choice among them and the method's parts.

mod aws;
mod dynamodb;
mod http;
mod mock;

pub use dynamodb::{DynamoDbAction, DynamoValue};
pub use mock::MockResponse;

use crate::apigateway::method::{Integration, MethodResponse};
use crate::constructs::wiring::api_route::ApiKind;
use crate::constructs::{HttpProxy, PutEvents, StartExecution};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;

/// What a REST API method sends requests to other than a function; see
/// [`RestApiRef::route_to`](super::RestApiRef::route_to).
#[derive(Clone, Debug, PartialEq)]
pub enum RestIntegration {
    /// An HTTP endpoint.
    HttpProxy(HttpProxy),
    /// A fixed answer.
    Mock(MockResponse),
    /// An execution of a Step Functions state machine.
    StartExecution(Box<StartExecution>),
    /// An event on an EventBridge bus.
    PutEvents(Box<PutEvents>),
    /// A DynamoDB action.
    DynamoDb(Box<DynamoDbAction>),
}

impl From<HttpProxy> for RestIntegration {
    fn from(i: HttpProxy) -> Self {
        RestIntegration::HttpProxy(i)
    }
}

impl From<MockResponse> for RestIntegration {
    fn from(i: MockResponse) -> Self {
        RestIntegration::Mock(i)
    }
}

impl From<StartExecution> for RestIntegration {
    fn from(i: StartExecution) -> Self {
        RestIntegration::StartExecution(Box::new(i))
    }
}

impl From<PutEvents> for RestIntegration {
    fn from(i: PutEvents) -> Self {
        RestIntegration::PutEvents(Box::new(i))
    }
}

impl From<DynamoDbAction> for RestIntegration {
    fn from(i: DynamoDbAction) -> Self {
        RestIntegration::DynamoDb(Box::new(i))
    }
}

/// A method's integration, the method's own responses and request parameters, and the
/// name of its target in messages.
pub(super) struct Built {
    pub(super) integration: Integration,
    pub(super) responses: Vec<MethodResponse>,
    pub(super) path_parameters: Vec<String>,
    pub(super) target: String,
}

/// The integration of the method `verb path` of the API `api` (logical ID `api_id`), with
/// the role an AWS action needs; `Err` with what API Gateway or the service would refuse.
pub(super) fn build(
    stack: &mut Stack,
    api: &ResourceRef,
    (verb, path_parameters): (&str, &[String]),
    integration: &RestIntegration,
) -> Result<Built, Vec<String>> {
    let problems = match integration {
        RestIntegration::HttpProxy(h) => http::problems(h, path_parameters),
        RestIntegration::Mock(m) => m.problems(),
        RestIntegration::StartExecution(s) => s.problems(ApiKind::Rest),
        RestIntegration::PutEvents(p) => p.problems(ApiKind::Rest),
        RestIntegration::DynamoDb(d) => d.problems(stack),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    // API Gateway calls the service in the API's region.
    let what = format!(
        "a `{verb}` method's integration of REST API `{}`",
        api.logical_id()
    );
    let reached: Option<crate::Value<crate::kind::Str>> = match integration {
        RestIntegration::StartExecution(s) => Some(s.state_machine_arn().clone().cast()),
        RestIntegration::PutEvents(p) => Some(p.bus_arn()),
        RestIntegration::DynamoDb(d) => Some(d.table_arn()),
        RestIntegration::HttpProxy(_) | RestIntegration::Mock(_) => None,
    };
    crate::constructs::wiring::api_service_role::require_service_home(stack, &what, reached);
    let (integration, responses, target) = match integration {
        RestIntegration::HttpProxy(h) => return Ok(http::integration(h, verb)),
        RestIntegration::Mock(m) => {
            let (i, r) = m.integration();
            (i, r, "a mock answer".to_string())
        }
        RestIntegration::StartExecution(s) => aws::start_execution(stack, api, s),
        RestIntegration::PutEvents(p) => aws::put_events(stack, api, p),
        RestIntegration::DynamoDb(d) => d.integration(stack, api),
    };
    Ok(Built {
        integration,
        responses,
        path_parameters: Vec::new(),
        target,
    })
}
