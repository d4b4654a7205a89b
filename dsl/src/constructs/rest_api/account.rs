//! The account's API Gateway CloudWatch Logs role, which a REST API stage's access logs
//! (and execution logs) need: API Gateway writes them with the role set in its account
//! settings, one per account and Region, and refuses to create a logging stage until one
//! is set ("CloudWatch Logs role ARN must be set in account settings"; API Gateway
//! Developer Guide, "Set up CloudWatch logging for REST APIs in API Gateway").
//!
//! [`CloudWatchRole::create`] adds that role (trusted by API Gateway, with AWS's
//! `AmazonAPIGatewayPushToCloudWatchLogs` managed policy) and an `AWS::ApiGateway::Account`
//! pointing the account's settings at it; the stages wait for it. Both are kept when they
//! leave the stack unless another removal policy is given: deleting the
//! `AWS::ApiGateway::Account` resource does not clear the setting, so a deleted role
//! would leave every REST API of the account and Region logging to a role that no
//! longer exists, and their logs would stop.

use super::RestApi;
use crate::constructs::RemovalPolicy;
use crate::diagnostic::{Diagnostic, Location};
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;

/// AWS's managed policy for API Gateway's writes to CloudWatch Logs.
const PUSH_TO_LOGS: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

/// Who provides the account's API Gateway CloudWatch Logs role for a REST API's logging
/// stages.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{AccessLogFormat, AccessLogs, CloudWatchRole, Code, Function, RestApi, RestStage, Runtime};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let api = stack.add("Api", RestApi::new("users")
///     .stage_options(RestStage::new().access_logs(AccessLogs::new(AccessLogFormat::standard())))
///     .cloud_watch_role(CloudWatchRole::create()));
/// api.route(&mut stack, "GET", "/", &f);
/// let t = stack.synth().unwrap();
/// let account = &t.json()["Resources"]["ApiAccount"];
/// assert_eq!(account["Type"], "AWS::ApiGateway::Account");
/// assert_eq!(account["DeletionPolicy"], "Retain");
/// assert_eq!(t.json()["Resources"]["ApiStage"]["DependsOn"], serde_json::json!(["ApiAccount"]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CloudWatchRole {
    /// The stack adds the role (`<Api>CloudWatchRole`) and sets it in the account's
    /// settings (`<Api>Account`), with this removal policy for both. This changes a
    /// setting of the whole account and Region: every REST API there then logs with
    /// this role, and one stack of the account should hold it.
    Create(RemovalPolicy),
    /// The account already has the role set (by another stack, or by hand): nothing is
    /// added, and synth does not warn about the stages' logs.
    Existing,
}

impl CloudWatchRole {
    /// [`CloudWatchRole::Create`], the role and setting kept when removed from the stack.
    pub fn create() -> Self {
        CloudWatchRole::Create(RemovalPolicy::Retain)
    }
}

impl RestApi {
    /// Who provides the account's CloudWatch Logs role for stages with access logs (see
    /// [`CloudWatchRole`]). Unset, a stage with access logs is a synth warning: on an
    /// account and Region without the role, creating the stage fails.
    pub fn cloud_watch_role(mut self, role: CloudWatchRole) -> Self {
        self.cloud_watch_role = Some(role);
        self
    }
}

/// Adds what `role` asks for the API `id`, with `stages` waiting for it; warns when
/// `logging` (a stage has access logs) and no role was chosen.
pub(super) fn add(
    stack: &mut Stack,
    id: &str,
    role: Option<CloudWatchRole>,
    logging: bool,
    stages: &[(ResourceRef, bool)],
) {
    let removal = match role {
        Some(CloudWatchRole::Create(removal)) => removal,
        Some(CloudWatchRole::Existing) => return,
        None => {
            if logging {
                stack.problem(Diagnostic::warning(
                    Location::resource(id),
                    format!("REST API `{id}` has a stage with access logs, which API Gateway creates only when the account and Region have a CloudWatch Logs role set in its settings (else the deploy fails with \"CloudWatch Logs role ARN must be set in account settings\")"),
                    "add `.cloud_watch_role(CloudWatchRole::create())` to set one from this stack (account-wide), or `.cloud_watch_role(CloudWatchRole::Existing)` when the account has one",
                ));
            }
            return;
        }
    };
    if removal == RemovalPolicy::Snapshot {
        stack.problem(Diagnostic::error(
            Location::resource(&format!("{id}CloudWatchRole")),
            "an IAM role and API Gateway's account settings have no snapshot".to_string(),
            "give `RemovalPolicy::Retain` (the default of `CloudWatchRole::create()`) or `RemovalPolicy::Destroy`",
        ));
        return;
    }
    if let Some(other) = stack.resources_of_type("AWS::ApiGateway::Account").first() {
        stack.problem(Diagnostic::error(
            Location::resource(&format!("{id}Account")),
            format!(
                "the stack already sets the account's API Gateway CloudWatch Logs role (`{}`); an account and Region have one",
                other.logical_id()
            ),
            "create the role from one API (`CloudWatchRole::create()`) and give the others `CloudWatchRole::Existing`",
        ));
        return;
    }
    let trust = PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("apigateway.amazonaws.com"))
            .action("sts:AssumeRole"),
    );
    let policy: crate::Value<crate::kinds::IamManagedPolicyPolicyArn> =
        crate::sub!(PUSH_TO_LOGS).cast();
    let role = stack.add(
        &format!("{id}CloudWatchRole"),
        crate::iam::Role::new(trust).managed_policy_arns(vec![policy]),
    );
    removal.apply(stack, &role);
    let account = stack.add(
        &format!("{id}Account"),
        crate::apigateway::Account::new().cloud_watch_role_arn(role.arn()),
    );
    removal.apply(stack, &account);
    for (stage, _) in stages {
        stack.resource(stage).depends_on(&account);
    }
}
