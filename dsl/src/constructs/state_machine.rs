//! [`StateMachine`]: a Step Functions state machine from a typed [`Definition`] (Task
//! invoking a function with retriers and catchers, Pass, Wait, Choice, Parallel, Map
//! (inline or distributed),
//! Succeed, Fail), rendered to Amazon States Language JSON, checked at synth, run by a
//! role of its own allowed to invoke exactly the functions its tasks name.

mod branching;
mod condition;
mod distributed_map;
mod dynamodb;
mod errors;
mod flow;
mod graph;
mod integration;
mod messaging;
mod nested;
mod plain;
mod render;
mod service;
mod states;
mod task;
mod text;

pub use branching::{Choice, Map, Parallel};
pub use condition::{Condition, NumberVariable, StringVariable, TimestampVariable};
pub use distributed_map::{
    ChildExecution, CsvHeader, DistributedMap, ItemReader, MAX_BATCH_BYTES, MAX_CHILD_CONCURRENCY,
    MAX_LABEL, MapBucket,
};
pub use dynamodb::{AttributeValue, DynamoItem};
pub use errors::{Catch, ErrorName, Retry};
pub use graph::{Definition, MAX_STATE_NAME};
pub use integration::Integration;
pub use messaging::{PutEvents, SnsPublish, SqsSendMessage};
pub use nested::StartExecution;
pub use plain::{Fail, Pass, Succeed, Wait};
pub use service::Payload;
pub use states::State;
pub use task::{Task, TaskFunction};

use crate::constructs::configure::Owned;
use crate::constructs::grants::{self, Granted, Grantee, actions};
use crate::constructs::{Configure, RemovalPolicy, ids};
use crate::diagnostic::{Diagnostic, Location};
use crate::iam::RoleHandle;
use crate::kind::Json;
use crate::kinds::{StepFunctionsStateMachineArn, StepFunctionsStateMachineName};
use crate::logs::LogGroupHandle;
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::stepfunctions::StateMachineHandle;
use crate::stepfunctions::state_machine::{
    CloudWatchLogsLogGroup, Level, LogDestination, LoggingConfiguration, StateMachineType,
    TracingConfiguration,
};
use crate::value::value::Value;

/// The largest definition Step Functions takes: 1,048,576 bytes of JSON (the
/// `Definition`/`DefinitionString` constraint of the CloudFormation schema).
const MAX_DEFINITION_BYTES: usize = 1_048_576;

/// AWS's managed policy for sending traces to X-Ray (what a traced state machine's role
/// needs: Step Functions Developer Guide, "Trace Step Functions request data in X-Ray").
const XRAY_WRITE: &str = "arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess";

/// Why the role's log delivery statement is on `*`, for the security check.
const LOG_DELIVERY_REASON: &str = "Step Functions' log delivery actions (logs:CreateLogDelivery and the rest) support no resource-level permissions: AWS documents them on `*`";

/// Retention of the execution log group unless set (days).
const DEFAULT_LOG_RETENTION_DAYS: u32 = 30;

/// A Step Functions state machine: a [`Definition`] rendered to ASL JSON (the
/// `Definition` property, each invoked function's ARN passed in
/// `DefinitionSubstitutions`; when a string of the definition holds `${`, the
/// `DefinitionString` property through `Fn::Sub`, so that text reaches Step Functions as
/// written), a role assumed by Step Functions for this account only
/// that may invoke exactly the functions (versions, aliases) its tasks name, and, with
/// [`logs`](StateMachine::logs), a log group of its own.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Runtime, StateMachine};
/// use nephos::constructs::state_machine::{Catch, Choice, Condition, Definition, ErrorName, Fail, Retry, Succeed, Task};
/// let mut stack = Stack::new("App");
/// let charge = stack.add("Charge", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let flow = Definition::new("Charge")
///     .state("Charge", Task::invoke(&charge)
///         .retry(Retry::on(ErrorName::LAMBDA_TRANSIENT).max_attempts(6).backoff_rate(2.0))
///         .catch(Catch::all("Failed"))
///         .next("Paid?"))
///     .state("Paid?", Choice::new()
///         .when(Condition::string("$.status").equals("paid"), "Done")
///         .otherwise("Failed"))
///     .state("Done", Succeed::new())
///     .state("Failed", Fail::new().error("PaymentFailed"));
/// stack.add("Checkout", StateMachine::new(flow));
/// let t = stack.synth().unwrap();
/// let sm = &t.json()["Resources"]["Checkout"]["Properties"];
/// assert_eq!(sm["Definition"]["States"]["Charge"]["Resource"], "${Charge}");
/// assert_eq!(sm["DefinitionSubstitutions"]["Charge"]["Fn::GetAtt"][0], "Charge");
///
/// let mut stack = Stack::new("App");
/// stack.add("Broken", StateMachine::new(Definition::new("A").state("A", Succeed::new()).state("A", Succeed::new())));
/// assert!(stack.synth().unwrap_err().to_string().contains("used 2 times"));
/// ```
///
/// The construct holds the generated `AWS::StepFunctions::StateMachine` builder,
/// reached with [`configure`](StateMachine::configure) for every property but the
/// definition and the role.
#[derive(Clone, Debug)]
pub struct StateMachine {
    definition: Definition,
    express: bool,
    logs: Logs,
    tracing: bool,
    removal: RemovalPolicy,
    configure: Configure<crate::stepfunctions::StateMachine>,
}

/// The log options, each kept as given whatever the order of the calls: the execution
/// data and retention apply once `logs(level)` is given, and are a synth error without
/// it (an option the user set is never dropped).
#[derive(Clone, Copy, Debug, Default)]
struct Logs {
    level: Option<Level>,
    execution_data: bool,
    retention_days: Option<u32>,
}

impl StateMachine {
    /// A Standard state machine running `definition`, without logs or tracing.
    pub fn new(definition: Definition) -> Self {
        StateMachine {
            definition,
            express: false,
            logs: Logs::default(),
            tracing: false,
            removal: RemovalPolicy::Retain,
            configure: Configure::new(),
        }
    }

    /// An Express workflow (at most five minutes, at-least-once; Standard unless set).
    pub fn express(mut self) -> Self {
        self.express = true;
        self
    }

    /// Logs executions at `level` to a log group of its own (`<Id>LogGroup`, named
    /// `/aws/vendedlogs/states/<stack>-<Id>-<stack UUID>`: the prefix Step Functions
    /// advises, and a name each creation of the stack makes anew, so a group kept after a
    /// destroy or a failed first deploy does not block the next one; kept 30 days
    /// unless [`log_retention_days`](StateMachine::log_retention_days) says otherwise),
    /// the role allowed the log delivery actions by a policy of their own (`<Id>LogDelivery`:
    /// they take no resource but `*`, so that policy alone is exempt from the
    /// wildcard-resource check; grants on [`role()`](StateMachineRef::role) are still checked).
    pub fn logs(mut self, level: Level) -> Self {
        self.logs.level = Some(level);
        self
    }

    /// Logs include each state's input and output (off unless set: they may hold data
    /// the logs' readers should not see). Applies with [`logs`](StateMachine::logs),
    /// called before or after; without it, synth reports an error.
    pub fn log_execution_data(mut self) -> Self {
        self.logs.execution_data = true;
        self
    }

    /// Keeps the logs `days` days (a value CloudWatch Logs takes, such as 7, 30, 365).
    /// Applies with [`logs`](StateMachine::logs), called before or after; without it,
    /// synth reports an error.
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.logs.retention_days = Some(days);
        self
    }

    /// What happens to the log group when it leaves the stack (kept unless set).
    pub fn log_removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal = policy;
        self
    }

    /// Traces executions with X-Ray (the role gets AWS's `AWSXRayDaemonWriteAccess`
    /// managed policy).
    pub fn tracing(mut self) -> Self {
        self.tracing = true;
        self
    }

    /// Escape hatch to the generated `AWS::StepFunctions::StateMachine` builder: `f`
    /// sees it after the construct's options and may set any property but the
    /// definition (the role's grants are derived from it) and the role.
    pub fn configure(
        mut self,
        f: impl Fn(crate::stepfunctions::StateMachine) -> crate::stepfunctions::StateMachine
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.configure.push(f);
        self
    }
}

/// The state machine's properties the construct derives its role from.
const OWNED: &[Owned] = &[
    Owned::fixed(
        "Definition",
        "the role's grants, which name the functions its tasks invoke",
        "give the states to `StateMachine::new` as a `Definition`",
    ),
    Owned::fixed(
        "DefinitionSubstitutions",
        "the ARNs of the functions the tasks invoke",
        "give the states to `StateMachine::new` as a `Definition`",
    ),
    Owned::fixed(
        "DefinitionString",
        "the role's grants (the definition is the `Definition` property)",
        "give the states to `StateMachine::new` as a `Definition`",
    ),
    Owned::fixed(
        "DefinitionS3Location",
        "the role's grants (the definition is the `Definition` property)",
        "give the states to `StateMachine::new` as a `Definition`",
    ),
    Owned::fixed(
        "RoleArn",
        "the role its tasks are granted to",
        "grant more to `role()` of the state machine's handle",
    ),
];

/// Why a task reaches only a topic or queue of the state machine's Region: "cross-Region
/// AWS SDK integration and cross-Region AWS resource access aren't available in Step
/// Functions" (Step Functions Developer Guide, "Accessing resources in other AWS
/// accounts in Step Functions"); the optimized `sqs:sendMessage` and `sns:publish`
/// integrations call the service in the state machine's Region.
const TASK_HOME: &str = "a Step Functions task calls SQS and SNS in the state machine's own Region (Step Functions Developer Guide, \"Accessing resources in other AWS accounts in Step Functions\": no cross-Region resource access)";

impl Construct for StateMachine {
    type Handle = StateMachineRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> StateMachineRef {
        for p in self.definition.problems() {
            stack.problem(Diagnostic::error(
                Location::property(id, "Definition"),
                format!("the definition of state machine `{id}`: {p}"),
                "name each state once (1 to 80 characters), make every `next`, catcher and choice go to a state of the same flow, and end each flow with a Succeed or Fail state or a state without `next`",
            ));
        }
        let trust = PolicyDocument::new().statement(
            Statement::allow()
                .principal(Principal::service("states.amazonaws.com"))
                .action("sts:AssumeRole")
                .condition(
                    "StringEquals",
                    "aws:SourceAccount",
                    crate::aws::account_id(),
                ),
        );
        let mut role = crate::iam::Role::new(trust);
        if self.tracing {
            // X-Ray's write actions take no resource but `*`: AWS's managed policy for
            // them, as `Function` does, rather than a wildcard statement of our own.
            let xray: Value<crate::kinds::IamManagedPolicyPolicyArn> =
                crate::sub!(XRAY_WRITE).cast();
            role = role.managed_policy_arns(vec![xray]);
        }
        let role: RoleHandle = stack.add(&ids::child(id, &["Role"]), role);
        self.definition.grant(stack, &role);
        for (name, task) in self.definition.tasks() {
            if let Some(to) = task.integration().sends_outside() {
                stack.require_home(
                    to.arn(),
                    &format!(
                        "state `{}` of state machine `{id}` sending to {} `{}`",
                        name.escape_debug(),
                        to.what(),
                        to.arn().literal_str().unwrap_or_default()
                    ),
                    crate::Reach::Region,
                    TASK_HOME,
                );
            }
            if let Integration::SqsSendMessage(send) = task.integration() {
                for (message, fix) in send.queue_problems(stack) {
                    stack.problem(Diagnostic::error(
                        Location::property(id, "Definition"),
                        format!(
                            "state `{}` of state machine `{id}`: {message}",
                            name.escape_debug()
                        ),
                        fix,
                    ));
                }
            }
        }
        if self.express {
            for (name, task) in self.definition.tasks() {
                if task.integration().waits() {
                    stack.problem(Diagnostic::error(
                        Location::property(id, "Definition"),
                        format!(
                            "state `{}` of the Express state machine `{id}` waits for a job or a task token (`.sync`, `.waitForTaskToken`), which Step Functions runs in Standard workflows only",
                            name.escape_debug()
                        ),
                        "drop `.express()`, or call the service without waiting (no `sync()` or `wait_for_task_token()`)",
                    ));
                }
            }
        }

        let (definition, bytes) = text::Property::of(&self.definition);
        if bytes > MAX_DEFINITION_BYTES {
            stack.problem(Diagnostic::error(
                Location::property(id, "Definition"),
                format!("the definition of state machine `{id}` is {bytes} bytes of JSON; Step Functions takes at most {MAX_DEFINITION_BYTES}"),
                "split the flow into state machines that start one another, or move data out of `Pass` results",
            ));
        }
        let mut sm = crate::stepfunctions::StateMachine::new(role.arn()).state_machine_type(
            if self.express {
                StateMachineType::Express
            } else {
                StateMachineType::Standard
            },
        );
        match definition {
            text::Property::Object(definition, substitutions) => {
                sm = sm.definition(definition);
                for (key, arn) in substitutions {
                    sm = sm.insert_definition_substitutions(&key, arn.cast::<Json>());
                }
            }
            text::Property::Sub(text) => sm = sm.definition_string(text),
        }
        let mut delivery_policy = None;
        let logs = self.logs;
        if logs.level.is_none() && (logs.execution_data || logs.retention_days.is_some()) {
            stack.problem(Diagnostic::error(
                Location::property(id, "LoggingConfiguration"),
                format!("state machine `{id}` is given log options (`log_execution_data`, `log_retention_days`) but no log level, so it would write no logs"),
                "add `.logs(level)` (for example `Level::All`), or drop the log options",
            ));
        }
        let log_group = match logs.level {
            None => None,
            Some(level) => {
                // The stack's UUID makes the name new for each creation of the stack: the
                // group is kept when it leaves the stack (a destroy, the rollback of a failed
                // first deploy), and a fixed name would then refuse every later create.
                let name = crate::sub!(
                    &format!("/aws/vendedlogs/states/${{AWS::StackName}}-{id}-${{uuid}}"),
                    uuid = crate::constructs::names::stack_uuid()
                );
                let group = stack.add(
                    &ids::child(id, &["LogGroup"]),
                    crate::logs::LogGroup::new()
                        .log_group_name(name)
                        .retention_in_days(i64::from(
                            logs.retention_days.unwrap_or(DEFAULT_LOG_RETENTION_DAYS),
                        )),
                );
                self.removal.apply(stack, &group);
                // Those actions take no resource but `*` (see `STATES_LOG_DELIVERY`): they
                // go in a policy of their own, so the wildcard check is suppressed on it
                // alone and still sees what else the role is granted.
                let delivery = stack.add(
                    &ids::child(id, &["LogDelivery"]),
                    crate::iam::Policy::new(
                        PolicyDocument::new().statement(
                            Statement::allow()
                                .actions(actions::STATES_LOG_DELIVERY.iter().copied())
                                .resource("*"),
                        ),
                        "log-delivery",
                    )
                    .add_roles(role.name()),
                );
                stack
                    .resource(&delivery)
                    .suppress(crate::security::IAM_WILDCARD_RESOURCE, LOG_DELIVERY_REASON);
                delivery_policy = Some(delivery);
                sm = sm.logging_configuration(
                    LoggingConfiguration::new()
                        .level(level)
                        .include_execution_data(logs.execution_data)
                        .add_destinations(LogDestination::new().cloud_watch_logs_log_group(
                            CloudWatchLogsLogGroup::new().log_group_arn(group.arn()),
                        )),
                );
                Some(group)
            }
        };
        if self.tracing {
            sm = sm.tracing_configuration(TracingConfiguration::new().enabled(true));
        }
        let sm = self.configure.apply_owning(stack, id, sm, OWNED);
        let state_machine = stack.add(id, sm);
        if !self.definition.distributed_maps().is_empty() {
            map_runs_policy(stack, id, &role, &state_machine);
        }
        // Step Functions checks at creation that the role may deliver the logs.
        if let Some(delivery) = &delivery_policy {
            stack.resource(&state_machine).depends_on(delivery);
        }
        StateMachineRef {
            state_machine,
            role,
            log_group,
        }
    }
}

/// The policy that lets the role run a Distributed Map's child executions (Step
/// Functions Developer Guide, "IAM policies for using Distributed Map states"): start
/// executions of this state machine, and describe and stop its executions
/// (`execution:<name>/*`, the children's ARNs). It names the state machine, which names
/// the role, so it is a policy of its own attached to the role (`<Id>MapRuns`), not a
/// statement in the role: the state machine does not wait for it, which is safe because
/// no execution starts before the stack's update completes.
fn map_runs_policy(stack: &mut Stack, id: &str, role: &RoleHandle, sm: &StateMachineHandle) {
    let children = crate::sub!(
        "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${name}/*",
        name = sm.name()
    );
    stack.add(
        &ids::child(id, &["MapRuns"]),
        crate::iam::Policy::new(
            PolicyDocument::new()
                .statement(
                    Statement::allow()
                        .actions(actions::STATES_START_EXECUTION.iter().copied())
                        .resource(sm.arn()),
                )
                .statement(
                    Statement::allow()
                        .actions(["states:DescribeExecution", "states:StopExecution"])
                        .resource(children),
                ),
            "map-runs",
        )
        .add_roles(role.name()),
    );
}

/// A state machine added to a stack.
#[derive(Clone, Debug)]
pub struct StateMachineRef {
    state_machine: StateMachineHandle,
    role: RoleHandle,
    log_group: Option<LogGroupHandle>,
}

impl StateMachineRef {
    /// The state machine's ARN (its `Ref`).
    pub fn arn(&self) -> Value<StepFunctionsStateMachineArn> {
        self.state_machine.arn()
    }

    /// The state machine's name.
    pub fn name(&self) -> Value<StepFunctionsStateMachineName> {
        self.state_machine.name()
    }

    /// The role Step Functions assumes to run the tasks.
    pub fn role(&self) -> &RoleHandle {
        &self.role
    }

    /// The log group of [`logs`](StateMachine::logs), if any.
    pub fn log_group(&self) -> Option<&LogGroupHandle> {
        self.log_group.as_ref()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &StateMachineHandle {
        &self.state_machine
    }

    /// Lets `grantee` start executions (`states:StartExecution`), of this state
    /// machine only.
    pub fn grant_start_execution(
        &self,
        stack: &mut Stack,
        grantee: &impl Grantee,
    ) -> Option<Granted> {
        grants::state_machine::start_execution(stack, grantee, self.arn())
    }

    /// Lets `grantee` answer this state machine's tasks that wait for a task token
    /// (`wait_for_task_token`): `states:SendTaskSuccess`, `SendTaskFailure` and
    /// `SendTaskHeartbeat`, on this state machine only. Without it the worker's answer
    /// is refused and the execution waits until the task's timeout.
    pub fn grant_task_response(
        &self,
        stack: &mut Stack,
        grantee: &impl Grantee,
    ) -> Option<Granted> {
        grants::state_machine::task_response(stack, grantee, self.arn())
    }
}

impl Handle for StateMachineRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.state_machine.resource_ref()
    }
}
