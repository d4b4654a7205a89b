//! [`StartExecution`]: each request starts an execution of a Step Functions state
//! machine.
//!
//! Facts from the API Gateway Developer Guide, "Integration subtype reference"
//! (`StepFunctions-StartExecution`: `StateMachineArn` required, `Name`, `Input` and
//! `Region` optional), and the Step Functions API reference, `StartExecution` (`name`: 1
//! to 80 characters, unique per state machine for 90 days; `input`: a JSON text). A REST
//! API calls the action `states:action/StartExecution` with a mapping template.

use crate::constructs::grants::{Grant, actions};
use crate::constructs::wiring::api_route::ApiKind;
use crate::kind::Str;
use crate::kinds::StepFunctionsStateMachineArn;
use crate::value::value::{IntoValue, Value};

use super::RequestValue;

/// Starts an execution of a Step Functions state machine per request (the
/// `StepFunctions-StartExecution` subtype of an HTTP API, the `StartExecution` action of
/// a REST API), through a role that may do exactly `states:StartExecution` on that state
/// machine. The execution's input is the request body unless set; its name is left to
/// Step Functions (a unique ID) unless set.
///
/// ```
/// # #[cfg(feature = "apigatewayv2")] {
/// use nephos::{Stack, Value};
/// use nephos::constructs::{HttpApi, StartExecution};
/// let mut stack = Stack::new("App");
/// let api = stack.add("Http", HttpApi::new("orders"));
/// let machine = Value::literal("arn:aws:states:eu-west-1:123456789012:stateMachine:orders");
/// api.route_to(&mut stack, "POST", "/orders", StartExecution::new(machine));
/// let synth = stack.synth().unwrap();
/// let t = synth.json();
/// let integration = &t["Resources"]["HttpOrdersPostIntegration"]["Properties"];
/// assert_eq!(integration["IntegrationSubtype"], "StepFunctions-StartExecution");
/// assert_eq!(integration["RequestParameters"]["Input"], "$request.body");
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StartExecution {
    arn: Value<StepFunctionsStateMachineArn>,
    input: RequestValue,
    name: Option<RequestValue>,
}

impl StartExecution {
    /// Executions of `state_machine` (the ARN: a generated `stepfunctions::StateMachine`
    /// handle's `arn()`, or a literal for one outside the app).
    pub fn new(state_machine: impl IntoValue<StepFunctionsStateMachineArn>) -> Self {
        StartExecution {
            arn: state_machine.into_value(),
            input: RequestValue::Body,
            name: None,
        }
    }

    /// The execution's input, a JSON text (the request body unless set).
    pub fn input(mut self, value: RequestValue) -> Self {
        self.input = value;
        self
    }

    /// The execution's name, taken from the request (such as
    /// `RequestValue::Context("requestId".into())`, or an idempotency header): Step
    /// Functions refuses a second execution of the same name for 90 days.
    pub fn execution_name(mut self, value: RequestValue) -> Self {
        self.name = Some(value);
        self
    }

    /// The state machine's ARN.
    pub fn state_machine_arn(&self) -> &Value<StepFunctionsStateMachineArn> {
        &self.arn
    }

    /// The name of what it targets in logical IDs.
    pub fn target(&self) -> String {
        super::target_name(&self.arn)
    }

    /// What API Gateway or Step Functions would refuse for an API of `kind`.
    pub fn problems(&self, kind: ApiKind) -> Vec<String> {
        let check = |v: &RequestValue| match kind {
            ApiKind::Http => v.problem(),
            ApiKind::Rest => v.template_problem(),
        };
        let mut out: Vec<String> = std::iter::once(&self.input)
            .chain(self.name.as_ref())
            .filter_map(check)
            .collect();
        if let Some(RequestValue::Fixed(n)) = &self.name {
            out.push(format!(
                "the fixed execution name `{}` would let one request start an execution and refuse every later one for 90 days; take the name from the request",
                n.escape_debug()
            ));
        }
        out
    }

    /// An HTTP API integration's request parameters, in name order.
    pub fn parameters(&self) -> Vec<(String, Value<Str>)> {
        let mut out: Vec<(String, Value<Str>)> = vec![
            ("Input".to_string(), self.input.expression().into()),
            ("StateMachineArn".to_string(), self.arn.clone().cast()),
        ];
        if let Some(n) = &self.name {
            out.push(("Name".to_string(), n.expression().into()));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// A REST API's request template: the `StartExecution` request, every request value
    /// escaped into its JSON strings.
    pub fn template(&self) -> Value<Str> {
        let name = self
            .name
            .as_ref()
            .map(|n| format!(",\"name\":\"{}\"", n.template_string()))
            .unwrap_or_default();
        crate::sub(
            &format!(
                "{{\"stateMachineArn\":\"${{machine}}\",\"input\":\"{}\"{name}}}",
                self.input.template_string()
            ),
            [("machine", self.arn.clone().into_any())],
        )
    }

    /// The grant of the role API Gateway assumes.
    pub fn grant(&self) -> Grant {
        Grant::new("starting executions from API Gateway")
            .actions(actions::STATES_START_EXECUTION)
            .on(self.arn.clone().cast::<Str>())
    }
}
