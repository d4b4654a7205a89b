//! The Step Functions `StateMachine` construct: its typed definition rendered to ASL
//! JSON (every state kind, deterministically), the role derived from the tasks (invoke
//! on exactly the functions, versions and aliases named), logs, `grant_start_execution`,
//! the synth checks of the flow, and cfn-lint (which validates the ASL definition) over
//! a stack using them. Run with `--features stepfunctions`.
#![cfg(feature = "stepfunctions")]

use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::state_machine::{
    Catch, Choice, Condition, Definition, ErrorName, Fail, Map, Parallel, Pass, Retry, Succeed,
    Task, Wait,
};
use nephos::constructs::{Alias, Code, Function, FunctionRef, Runtime, StateMachine};
use nephos::kind::Str;
use nephos::stepfunctions::state_machine::Level;
use nephos::{Handle, Param};
use serde_json::{Value as J, json};

mod roundtrip_support;

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn synth(stack: &Stack) -> J {
    let a = Assertions::from_stack(stack);
    a.assert_no_cycles();
    a.json().clone()
}

fn errors(stack: &Stack) -> String {
    stack.synth().expect_err("synth should fail").to_string()
}

fn statements(t: &J, role: &str) -> Vec<J> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// An order flow using every state kind; `charge` and `ship` are the tasks' functions.
fn order_flow(charge: &FunctionRef, ship: &FunctionRef) -> Definition {
    Definition::new("Validate")
        .comment("orders")
        .state(
            "Validate",
            Pass::new()
                .result(json!({"ok": true}))
                .result_path("$.validation")
                .next("Charge"),
        )
        .state(
            "Charge",
            Task::invoke(charge)
                .retry(
                    Retry::on(ErrorName::LAMBDA_TRANSIENT)
                        .interval_seconds(2)
                        .max_attempts(6)
                        .backoff_rate(2.0)
                        .full_jitter(),
                )
                .retry(Retry::all().max_attempts(1))
                .catch(Catch::on([ErrorName::custom("CardDeclined")], "Declined"))
                .catch(Catch::all("Failed").result_path("$.error"))
                .timeout_seconds(30)
                .result_path("$.charge")
                .next("Paid?"),
        )
        .state(
            "Paid?",
            Choice::new()
                .when(
                    Condition::and([
                        Condition::string("$.charge.status").equals("paid"),
                        Condition::number("$.charge.amount").greater_than(0.0),
                    ]),
                    "Fulfil",
                )
                .when(Condition::boolean("$.charge.retry", true), "Later")
                .otherwise("Failed"),
        )
        .state("Later", Wait::seconds(60).next("Charge"))
        .state(
            "Fulfil",
            Parallel::new()
                .branch(Definition::new("Ship").state("Ship", Task::invoke(ship).discard_result()))
                .branch(
                    Definition::new("Lines")
                        .state(
                            "Lines",
                            Map::new(
                                Definition::new("Line")
                                    .state("Line", Task::invoke(ship).next("LineDone"))
                                    .state("LineDone", Succeed::new()),
                            )
                            .items_path("$.lines")
                            .max_concurrency(4)
                            .next("Linesdone"),
                        )
                        .state("Linesdone", Succeed::new()),
                )
                .catch(Catch::all("Failed"))
                .next("Done"),
        )
        .state("Done", Succeed::new())
        .state(
            "Declined",
            Fail::new()
                .error("CardDeclined")
                .cause("the card was declined"),
        )
        .state("Failed", Fail::new().error("OrderFailed"))
}

#[test]
fn the_definition_is_asl_json_with_each_state_kind() {
    let mut stack = Stack::new("App");
    let charge = function(&mut stack, "Charge");
    let ship = function(&mut stack, "Ship");
    stack.add("Orders", StateMachine::new(order_flow(&charge, &ship)));
    let t = synth(&stack);
    let p = &t["Resources"]["Orders"]["Properties"];
    assert_eq!(p["StateMachineType"], "STANDARD");
    let d = &p["Definition"];
    assert_eq!(d["StartAt"], "Validate");
    assert_eq!(d["Comment"], "orders");
    let s = &d["States"];
    assert_eq!(
        s["Validate"],
        json!({"Type": "Pass", "Result": {"ok": true}, "ResultPath": "$.validation", "Next": "Charge"})
    );
    assert_eq!(
        s["Charge"],
        json!({
            "Type": "Task",
            "Resource": "${Charge}",
            "TimeoutSeconds": 30,
            "ResultPath": "$.charge",
            "Retry": [
                {
                    "ErrorEquals": [
                        "Lambda.ServiceException",
                        "Lambda.AWSLambdaException",
                        "Lambda.SdkClientException",
                        "Lambda.TooManyRequestsException"
                    ],
                    "IntervalSeconds": 2,
                    "MaxAttempts": 6,
                    "BackoffRate": 2.0,
                    "JitterStrategy": "FULL"
                },
                {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}
            ],
            "Catch": [
                {"ErrorEquals": ["CardDeclined"], "Next": "Declined"},
                {"ErrorEquals": ["States.ALL"], "Next": "Failed", "ResultPath": "$.error"}
            ],
            "Next": "Paid?"
        })
    );
    assert_eq!(
        s["Paid?"],
        json!({
            "Type": "Choice",
            "Choices": [
                {
                    "And": [
                        {"Variable": "$.charge.status", "StringEquals": "paid"},
                        {"Variable": "$.charge.amount", "NumericGreaterThan": 0.0}
                    ],
                    "Next": "Fulfil"
                },
                {"Variable": "$.charge.retry", "BooleanEquals": true, "Next": "Later"}
            ],
            "Default": "Failed"
        })
    );
    assert_eq!(
        s["Later"],
        json!({"Type": "Wait", "Seconds": 60, "Next": "Charge"})
    );
    let fulfil = &s["Fulfil"];
    assert_eq!(fulfil["Type"], "Parallel");
    assert_eq!(fulfil["Next"], "Done");
    assert_eq!(
        fulfil["Branches"][0],
        json!({"StartAt": "Ship", "States": {"Ship": {"Type": "Task", "Resource": "${Ship}", "ResultPath": null, "End": true}}})
    );
    let lines = &fulfil["Branches"][1]["States"]["Lines"];
    assert_eq!(lines["Type"], "Map");
    assert_eq!(lines["ItemsPath"], "$.lines");
    assert_eq!(lines["MaxConcurrency"], 4);
    assert_eq!(
        lines["ItemProcessor"],
        json!({
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "Line",
            "States": {
                "Line": {"Type": "Task", "Resource": "${Ship}", "Next": "LineDone"},
                "LineDone": {"Type": "Succeed"}
            }
        })
    );
    assert_eq!(s["Done"], json!({"Type": "Succeed"}));
    assert_eq!(
        s["Declined"],
        json!({"Type": "Fail", "Error": "CardDeclined", "Cause": "the card was declined"})
    );
    // Each function once, under the key its tasks name.
    assert_eq!(
        p["DefinitionSubstitutions"],
        json!({
            "Charge": {"Fn::GetAtt": ["Charge", "Arn"]},
            "Ship": {"Fn::GetAtt": ["Ship", "Arn"]}
        })
    );
    // The same flow is the same text.
    let again = {
        let mut stack = Stack::new("App");
        let charge = function(&mut stack, "Charge");
        let ship = function(&mut stack, "Ship");
        stack.add("Orders", StateMachine::new(order_flow(&charge, &ship)));
        stack.synth().unwrap().json().to_string()
    };
    assert_eq!(stack.synth().unwrap().json().to_string(), again);
}

#[test]
fn the_role_may_invoke_exactly_the_functions_versions_and_aliases_of_the_tasks() {
    let mut stack = Stack::new("App");
    let plain = function(&mut stack, "Plain");
    let versioned = function(&mut stack, "Versioned");
    let aliased = function(&mut stack, "Aliased");
    let _unused = function(&mut stack, "Unused");
    let v = versioned.version(&mut stack);
    let av = aliased.version(&mut stack);
    let live = aliased.alias(&mut stack, Alias::new("live", &av));
    let imported =
        Function::from_arn("arn:aws:lambda:eu-west-1:123456789012:function:resize").unwrap();
    let flow = Definition::new("A")
        .state("A", Task::invoke(&plain).next("B"))
        .state("B", Task::invoke(&v).next("C"))
        .state("C", Task::invoke(&live).next("D"))
        .state("D", Task::invoke(&imported).next("E"))
        .state("E", Task::invoke(&plain));
    let sm = stack.add("Flow", StateMachine::new(flow));
    let t = synth(&stack);
    let role = &t["Resources"]["FlowRole"];
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": ["states.amazonaws.com"]})
    );
    assert!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
            .get("aws:SourceAccount")
            .is_some()
    );
    let s = statements(&t, "FlowRole");
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0]["Action"], json!(["lambda:InvokeFunction"]));
    let mut resources: Vec<String> = s[0]["Resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(J::to_string)
        .collect();
    resources.sort();
    let version_id = v.handle().resource_ref().logical_id().to_string();
    let mut expected: Vec<String> = [
        json!({"Fn::GetAtt": ["Plain", "Arn"]}),
        v.arn().to_json(),
        live.arn().to_json(),
        json!("arn:aws:lambda:eu-west-1:123456789012:function:resize"),
    ]
    .iter()
    .map(J::to_string)
    .collect();
    expected.sort();
    assert_eq!(resources, expected);
    assert!(resources.iter().any(|r| r.contains(&version_id)));
    assert!(!resources.iter().any(|r| r.contains("Unused")));
    assert!(!resources.iter().any(|r| r.contains("\"Aliased\"")));
    let subs = &t["Resources"]["Flow"]["Properties"]["DefinitionSubstitutions"];
    assert_eq!(
        subs["Function1"],
        "arn:aws:lambda:eu-west-1:123456789012:function:resize"
    );
    assert_eq!(subs.as_object().unwrap().len(), 4);
    assert_eq!(
        t["Resources"]["Flow"]["Properties"]["RoleArn"],
        json!({"Fn::GetAtt": ["FlowRole", "Arn"]})
    );
    assert_eq!(sm.role().resource_ref().logical_id(), "FlowRole");
}

/// A construct of the user's own (outside nephos) wrapping a function: a Task invokes it
/// through the public `InvokedFunction` trait, and the role may invoke exactly its ARN.
struct AuditHook {
    arn: nephos::Value<nephos::kinds::LambdaFunctionArn>,
}

impl nephos::constructs::wiring::InvokedFunction for AuditHook {
    fn invoke_target(
        &self,
    ) -> nephos::constructs::grants::Target<nephos::constructs::grants::on::Function> {
        nephos::constructs::grants::Target::by_arn("audit hook", self.arn.clone())
            .encrypted_with(None)
    }
}

#[test]
fn a_task_invokes_a_function_of_a_users_own_construct_or_a_generated_handle() {
    let mut stack = Stack::new("App");
    let hook = AuditHook {
        arn: nephos::Value::literal("arn:aws:lambda:eu-west-1:123456789012:function:audit"),
    };
    let raw = stack.add(
        "Raw",
        nephos::lambda::Function::new(
            nephos::lambda::function::Code::new().zip_file("x"),
            nephos::Value::<nephos::kinds::IamRoleArn>::literal("arn:aws:iam::123456789012:role/r"),
        )
        .handler("index.handler")
        .runtime(nephos::lambda::function::Runtime::Python312),
    );
    let flow = Definition::new("Audit")
        .state("Audit", Task::invoke(&hook).next("Raw"))
        .state("Raw", Task::invoke(&raw));
    stack.add("Flow", StateMachine::new(flow));
    let t = synth(&stack);
    let s = statements(&t, "FlowRole");
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0]["Action"], json!(["lambda:InvokeFunction"]));
    assert_eq!(
        s[0]["Resource"],
        json!([
            "arn:aws:lambda:eu-west-1:123456789012:function:audit",
            {"Fn::GetAtt": ["Raw", "Arn"]}
        ])
    );
    let def = &t["Resources"]["Flow"]["Properties"];
    assert_eq!(
        def["Definition"]["States"]["Audit"]["Resource"],
        "${Function1}"
    );
    assert_eq!(def["Definition"]["States"]["Raw"]["Resource"], "${Raw}");
    assert_eq!(
        def["DefinitionSubstitutions"]["Function1"],
        "arn:aws:lambda:eu-west-1:123456789012:function:audit"
    );
}

#[test]
fn logs_go_to_a_log_group_of_its_own_and_tracing_to_xray() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let sm = stack.add(
        "Flow",
        StateMachine::new(Definition::new("A").state("A", Task::invoke(&f)))
            .express()
            .logs(Level::Error)
            .log_execution_data()
            .log_retention_days(7)
            .tracing(),
    );
    let t = synth(&stack);
    let p = &t["Resources"]["Flow"]["Properties"];
    assert_eq!(p["StateMachineType"], "EXPRESS");
    assert_eq!(
        p["LoggingConfiguration"],
        json!({
            "Level": "ERROR",
            "IncludeExecutionData": true,
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": ["FlowLogGroup", "Arn"]}}}]
        })
    );
    assert_eq!(p["TracingConfiguration"], json!({"Enabled": true}));
    let group = &t["Resources"]["FlowLogGroup"];
    assert_eq!(group["Properties"]["RetentionInDays"], 7);
    assert_eq!(group["DeletionPolicy"], "Retain");
    assert_eq!(
        group["Properties"]["LogGroupName"],
        json!({"Fn::Sub": ["/aws/vendedlogs/states/${AWS::StackName}-Flow-${uuid}", {
            "uuid": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}
        }]}),
        "a name each creation of the stack makes anew: the group is kept after a destroy \
         or a failed first deploy, and a fixed name would refuse every later create"
    );
    assert!(sm.log_group().is_some());
    // The log delivery actions take only `*`: a policy of their own, the only resource
    // exempt from the wildcard check, which the state machine waits for.
    let delivery = &t["Resources"]["FlowLogDelivery"];
    assert_eq!(delivery["Type"], "AWS::IAM::Policy");
    assert_eq!(
        delivery["Properties"]["Roles"],
        json!([{"Ref": "FlowRole"}])
    );
    let d = &delivery["Properties"]["PolicyDocument"]["Statement"][0];
    assert!(
        d["Action"].to_string().contains("logs:CreateLogDelivery"),
        "{d}"
    );
    assert_eq!(d["Resource"], json!(["*"]));
    assert!(
        t["Resources"]["Flow"]["DependsOn"]
            .to_string()
            .contains("FlowLogDelivery")
    );
    let s = statements(&t, "FlowRole");
    assert!(
        !s.iter()
            .any(|s| s["Resource"].to_string().contains("\"*\"")),
        "the role itself grants nothing on `*`: {s:?}"
    );
    assert!(
        t["Resources"]["FlowRole"]["Properties"]["ManagedPolicyArns"]
            .to_string()
            .contains("AWSXRayDaemonWriteAccess")
    );

    // Without the options: no log group, no logging or tracing statements.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let sm = stack.add(
        "Flow",
        StateMachine::new(Definition::new("A").state("A", Task::invoke(&f))),
    );
    let t = synth(&stack);
    assert!(sm.log_group().is_none());
    assert!(t["Resources"].get("FlowLogGroup").is_none());
    assert_eq!(statements(&t, "FlowRole").len(), 1);
    assert!(
        t["Resources"]["FlowRole"]["Properties"]
            .get("ManagedPolicyArns")
            .is_none()
    );
}

#[test]
fn grant_start_execution_names_this_state_machine_only() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let caller = function(&mut stack, "Caller");
    let sm = stack.add(
        "Flow",
        StateMachine::new(Definition::new("A").state("A", Task::invoke(&f))),
    );
    assert!(sm.grant_start_execution(&mut stack, &caller).is_some());
    let t = synth(&stack);
    let s = statements(&t, "CallerRole");
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0]["Action"], json!(["states:StartExecution"]));
    assert_eq!(s[0]["Resource"], json!([{"Ref": "Flow"}]));
}

/// The synth error of a state machine `Flow` running `flow`.
fn flow_error(flow: Definition) -> String {
    let mut stack = Stack::new("App");
    stack.add("Flow", StateMachine::new(flow));
    let e = errors(&stack);
    assert!(e.contains("`Flow`"), "{e}");
    e
}

#[test]
fn names_transitions_and_ends_are_checked() {
    // The same name twice, once inside a branch.
    let e = flow_error(
        Definition::new("A")
            .state(
                "A",
                Parallel::new()
                    .branch(Definition::new("B").state("B", Succeed::new()))
                    .next("B"),
            )
            .state("B", Succeed::new()),
    );
    assert!(e.contains("`B` is used 2 times"), "{e}");

    let long = "x".repeat(81);
    let e = flow_error(Definition::new(long.clone()).state(long, Succeed::new()));
    assert!(e.contains("81 characters"), "{e}");
    // 80 is fine.
    let mut stack = Stack::new("App");
    let name = "y".repeat(80);
    stack.add(
        "Flow",
        StateMachine::new(Definition::new(name.clone()).state(name, Succeed::new())),
    );
    synth(&stack);

    let e = flow_error(Definition::new("Start").state("A", Succeed::new()));
    assert!(e.contains("starts at `Start`"), "{e}");

    let e = flow_error(Definition::new("A").state("A", Pass::new().next("Nowhere")));
    assert!(e.contains("goes to `Nowhere`"), "{e}");

    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    stack.add(
        "Flow",
        StateMachine::new(
            Definition::new("A").state("A", Task::invoke(&f).catch(Catch::all("Handler"))),
        ),
    );
    assert!(errors(&stack).contains("goes to `Handler`"));

    let e = flow_error(Definition::new("A").state(
        "A",
        Choice::new().when(Condition::is_present("$.x"), "Missing"),
    ));
    assert!(e.contains("goes to `Missing`"), "{e}");

    // A branch's state may not go to a state outside the branch.
    let e = flow_error(
        Definition::new("A")
            .state(
                "A",
                Parallel::new()
                    .branch(Definition::new("In").state("In", Pass::new().next("Out")))
                    .next("Out"),
            )
            .state("Out", Succeed::new()),
    );
    assert!(
        e.contains("goes to `Out`") && e.contains("branch 1 of `A`"),
        "{e}"
    );

    // A loop with no way out.
    let e = flow_error(
        Definition::new("A")
            .state("A", Wait::seconds(1).next("B"))
            .state("B", Pass::new().next("A")),
    );
    assert!(e.contains("no state that ends it"), "{e}");

    let e = flow_error(
        Definition::new("A")
            .state("A", Succeed::new())
            .state("Orphan", Succeed::new()),
    );
    assert!(e.contains("`Orphan` is not reachable"), "{e}");

    let e = flow_error(Definition::new("A"));
    assert!(e.contains("has no states"), "{e}");
}

/// A flow built around a function `F` of the stack.
type Build = Box<dyn Fn(&FunctionRef) -> Definition>;

#[test]
fn what_step_functions_refuses_in_a_state_is_a_synth_error() {
    let cases: Vec<(Build, &str)> = vec![
        (
            Box::new(|f| {
                Definition::new("A").state(
                    "A",
                    Task::invoke(f)
                        .retry(Retry::all())
                        .retry(Retry::on([ErrorName::TIMEOUT])),
                )
            }),
            "`States.ALL` must be alone",
        ),
        (
            Box::new(|f| {
                Definition::new("A").state(
                    "A",
                    Task::invoke(f).retry(Retry::on([ErrorName::ALL, ErrorName::TIMEOUT])),
                )
            }),
            "`States.ALL` must be alone",
        ),
        (
            Box::new(|f| {
                Definition::new("A")
                    .state("A", Task::invoke(f).retry(Retry::all().backoff_rate(0.5)))
            }),
            "BackoffRate",
        ),
        (
            Box::new(|f| {
                Definition::new("A")
                    .state("A", Task::invoke(f).retry(Retry::all().interval_seconds(0)))
            }),
            "IntervalSeconds",
        ),
        (
            Box::new(|f| Definition::new("A").state("A", Task::invoke(f).retry(Retry::on([])))),
            "names no error",
        ),
        (
            Box::new(|f| {
                Definition::new("A").state(
                    "A",
                    Task::invoke(f).retry(Retry::on([ErrorName::custom("States.Mine")])),
                )
            }),
            "`States.Mine`",
        ),
        (
            Box::new(|f| {
                Definition::new("A").state(
                    "A",
                    Task::invoke(f).timeout_seconds(10).heartbeat_seconds(10),
                )
            }),
            "heartbeat",
        ),
        (
            Box::new(|f| Definition::new("A").state("A", Task::invoke(f).result_path("result"))),
            "`ResultPath` `result`",
        ),
        (
            Box::new(|_| {
                Definition::new("A")
                    .state("A", Choice::new().otherwise("B"))
                    .state("B", Succeed::new())
            }),
            "Choice state of no rules",
        ),
        (
            Box::new(|_| {
                Definition::new("A")
                    .state(
                        "A",
                        Choice::new()
                            .when(Condition::string("status").equals("x"), "B")
                            .when(Condition::number("$.n").equals(f64::NAN), "B")
                            .when(Condition::or([]), "B")
                            .when(Condition::timestamp("$.t").before("tomorrow"), "B"),
                    )
                    .state("B", Succeed::new())
            }),
            "`status`",
        ),
        (
            Box::new(|_| Definition::new("A").state("A", Parallel::new())),
            "no branches",
        ),
        (
            Box::new(|_| Definition::new("A").state("A", Wait::seconds(0))),
            "seconds not 1",
        ),
        (
            Box::new(|_| Definition::new("A").state("A", Wait::until("2030-01-01 09:00"))),
            "not an RFC 3339",
        ),
        (
            Box::new(|_| {
                Definition::new("A").state(
                    "A",
                    Map::new(Definition::new("B").state("B", Succeed::new())).items_path("items"),
                )
            }),
            "`ItemsPath` `items`",
        ),
    ];
    for (build, expected) in cases {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "F");
        stack.add("Flow", StateMachine::new(build(&f)));
        let e = errors(&stack);
        assert!(
            e.contains(expected) && e.contains("state `A`"),
            "{expected}: {e}"
        );
    }
    // All of one Choice's rule problems are reported.
    let mut stack = Stack::new("App");
    stack.add(
        "Flow",
        StateMachine::new(
            Definition::new("A")
                .state(
                    "A",
                    Choice::new()
                        .when(Condition::number("$.n").equals(f64::INFINITY), "B")
                        .when(Condition::and([]), "B")
                        .when(Condition::timestamp("$.t").after("2030-13"), "B"),
                )
                .state("B", Succeed::new()),
        ),
    );
    let e = errors(&stack);
    assert!(
        e.contains("JSON cannot hold") && e.contains("no conditions") && e.contains("`2030-13`"),
        "{e}"
    );
    // Valid timestamps pass.
    let mut stack = Stack::new("App");
    stack.add(
        "Flow",
        StateMachine::new(
            Definition::new("A")
                .state("A", Wait::until("2030-01-31T09:00:00.250+01:00").next("B"))
                .state(
                    "B",
                    Choice::new()
                        .when(
                            Condition::timestamp("$.t").after("2030-01-31T09:00:00Z"),
                            "C",
                        )
                        .otherwise("C"),
                )
                .state("C", Succeed::new()),
        ),
    );
    synth(&stack);
}

/// Task, Parallel and Map share their error handling and flow options: the same calls
/// give the same ASL fields on each, and the same problems are refused on each.
#[test]
fn task_parallel_and_map_take_the_same_retriers_catchers_and_result_options() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let inner = |name: &str| Definition::new(name).state(name, Succeed::new());
    let retry = || Retry::on([ErrorName::TIMEOUT]).max_attempts(2);
    let catch = || Catch::all("Handle").result_path("$.error");
    stack.add(
        "Flow",
        StateMachine::new(
            Definition::new("T")
                .state(
                    "T",
                    Task::invoke(&f)
                        .retry(retry())
                        .catch(catch())
                        .discard_result()
                        .next("P"),
                )
                .state(
                    "P",
                    Parallel::new()
                        .branch(inner("InP"))
                        .retry(retry())
                        .catch(catch())
                        .discard_result()
                        .next("M"),
                )
                .state(
                    "M",
                    Map::new(inner("InM"))
                        .retry(retry())
                        .catch(catch())
                        .result_path("$.items")
                        .next("Handle"),
                )
                .state("Handle", Succeed::new()),
        ),
    );
    let t = synth(&stack);
    let s = &t["Resources"]["Flow"]["Properties"]["Definition"]["States"];
    let shared = |state: &J| {
        json!({
            "Retry": state["Retry"],
            "Catch": state["Catch"],
            "ResultPath": state["ResultPath"],
        })
    };
    let expected = |result_path: J| {
        json!({
            "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle", "ResultPath": "$.error"}],
            "ResultPath": result_path,
        })
    };
    assert_eq!(shared(&s["T"]), expected(J::Null));
    assert_eq!(shared(&s["P"]), expected(J::Null));
    assert_eq!(shared(&s["M"]), expected(json!("$.items")));
    assert_eq!(
        [&s["T"]["Next"], &s["P"]["Next"], &s["M"]["Next"]],
        [&json!("P"), &json!("M"), &json!("Handle")]
    );

    // `States.ALL` first is refused on each kind, naming the state.
    let all_first = || [Retry::all(), Retry::on([ErrorName::TIMEOUT])];
    let [a, b] = all_first();
    let [c, d] = all_first();
    let [e, g] = all_first();
    for (name, flow) in [
        (
            "T",
            Definition::new("T").state("T", Task::invoke(&f).retry(a).retry(b)),
        ),
        (
            "P",
            Definition::new("P").state("P", Parallel::new().branch(inner("In")).retry(c).retry(d)),
        ),
        (
            "M",
            Definition::new("M").state("M", Map::new(inner("In")).retry(e).retry(g)),
        ),
    ] {
        let mut stack = Stack::new("App");
        function(&mut stack, "F");
        stack.add("Flow", StateMachine::new(flow));
        let err = errors(&stack);
        assert!(
            err.contains("`States.ALL` must be alone") && err.contains(&format!("state `{name}`")),
            "{name}: {err}"
        );
    }
}

#[test]
fn the_definition_and_role_cannot_be_replaced_by_configure() {
    let mut stack = Stack::new("App");
    stack.add(
        "Flow",
        StateMachine::new(Definition::new("A").state("A", Succeed::new()))
            .configure(|l1| l1.definition_string("{}")),
    );
    let e = errors(&stack);
    assert!(
        e.contains("DefinitionString") && e.contains("`Definition`"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    stack.add(
        "Flow",
        StateMachine::new(Definition::new("A").state("A", Succeed::new()))
            .configure(|l1| l1.definition(json!({"StartAt": "X", "States": {}}))),
    );
    assert!(errors(&stack).contains("Definition"));

    // Other properties are the user's.
    let mut stack = Stack::new("App");
    stack.add(
        "Flow",
        StateMachine::new(Definition::new("A").state("A", Succeed::new()))
            .configure(|l1| l1.state_machine_name("orders")),
    );
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Flow"]["Properties"]["StateMachineName"],
        "orders"
    );
}

fn everything(stack: &mut Stack, _text: &Param<Str>) {
    let charge = function(stack, "Charge");
    let ship = function(stack, "Ship");
    let v = ship.version(stack);
    let live = ship.alias(stack, Alias::new("live", &v));
    let caller = function(stack, "Caller");
    let orders = stack.add(
        "Orders",
        StateMachine::new(order_flow(&charge, &ship))
            .logs(Level::All)
            .tracing(),
    );
    orders.grant_start_execution(stack, &caller);
    stack.add(
        "Aliased",
        StateMachine::new(
            Definition::new("Live")
                .state("Live", Task::invoke(&live).next("Wait"))
                .state("Wait", Wait::until_path("$.at").next("Check"))
                .state(
                    "Check",
                    Choice::new()
                        .when(
                            Condition::not(Condition::string("$.name").matches("test-*")),
                            "Done",
                        )
                        .when(Condition::number("$.n").at_most(3.0), "Done")
                        .otherwise("Done"),
                )
                .state("Done", Succeed::new()),
        )
        .express(),
    );
}

#[test]
fn state_machines_pass_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::StateMachines", everything)]);
}

#[test]
fn every_predefined_error_name_step_functions_knows_is_accepted() {
    // The names of the Developer Guide's error list that a retrier or catcher may name.
    for name in [
        "States.DataLimitExceeded",
        "States.Runtime",
        "States.Http.Socket",
        "States.QueryEvaluationError",
        "States.Permissions",
    ] {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "F");
        let flow = Definition::new("A").state(
            "A",
            Task::invoke(&f).retry(Retry::on([ErrorName::custom(name)])),
        );
        stack.add("Flow", StateMachine::new(flow));
        let t = synth(&stack);
        let retry = &t["Resources"]["Flow"]["Properties"]["Definition"]["States"]["A"]["Retry"];
        assert_eq!(retry[0]["ErrorEquals"], json!([name]), "{name}");
    }
}

#[test]
fn a_grant_on_everything_to_the_role_of_a_logging_state_machine_is_still_refused() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let sm = stack.add(
        "Flow",
        StateMachine::new(Definition::new("A").state("A", Task::invoke(&f))).logs(Level::All),
    );
    nephos::constructs::grants::grant(
        &mut stack,
        sm.role(),
        nephos::constructs::grants::Grant::new("writing anything")
            .actions(&["s3:PutObject"])
            .on("*"),
    );
    let e = errors(&stack);
    assert!(e.contains("FlowRole"), "{e}");
}
