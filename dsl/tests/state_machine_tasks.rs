//! Step Functions tasks that call services (SNS, SQS, EventBridge, DynamoDB, nested state
//! machines): the ASL each renders (resource `arn:${Partition}:states:::<service>:<api>`
//! with the pattern's suffix, parameters naming their targets through
//! `DefinitionSubstitutions`), the least-privilege statements the role gets for each, the
//! synth errors for what Step Functions or the service refuses, and cfn-lint over a stack
//! using them all. Run with `--features stepfunctions`.
#![cfg(feature = "stepfunctions")]

use nephos::Param;
use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::state_machine::{
    AttributeValue as A, Definition, DynamoItem, Payload, PutEvents, SnsPublish, SqsSendMessage,
    StartExecution, Succeed, Task,
};
use nephos::constructs::{Key, Queue, StateMachine, Table, Topic};
use nephos::kind::Str;
use serde_json::{Value as J, json};

mod roundtrip_support;

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

/// The statements whose actions include `action`.
fn with_action(s: &[J], action: &str) -> Vec<J> {
    s.iter()
        .filter(|st| st["Action"].as_array().unwrap().contains(&json!(action)))
        .cloned()
        .collect()
}

/// Every action the role is allowed, sorted.
fn all_actions(s: &[J]) -> Vec<String> {
    let mut a: Vec<String> = s
        .iter()
        .flat_map(|st| st["Action"].as_array().unwrap().clone())
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    a.sort();
    a.dedup();
    a
}

fn child(stack: &mut Stack) -> nephos::constructs::StateMachineRef {
    stack.add(
        "Child",
        StateMachine::new(Definition::new("Done").state("Done", Succeed::new())),
    )
}

/// A flow with one task of each service, chained.
fn every_service(stack: &mut Stack) -> Definition {
    let topic = stack.add("Alerts", Topic::new());
    let queue = stack.add("Approvals", Queue::new());
    let table = stack.add("Orders", Table::new(Key::string("id")));
    let child = child(stack);
    Definition::new("Get")
        .state(
            "Get",
            Task::call(DynamoItem::get(&table).key("id", A::string_at("$.id")))
                .result_path("$.item")
                .next("Put"),
        )
        .state(
            "Put",
            Task::call(
                DynamoItem::put(&table)
                    .attribute("id", A::string_at("$.id"))
                    .attribute("total", A::number_at("$.total")),
            )
            .discard_result()
            .next("Bump"),
        )
        .state(
            "Bump",
            Task::call(
                DynamoItem::update(&table, "SET attempts = attempts + :one")
                    .key("id", A::string_at("$.id"))
                    .value(":one", A::number(1)),
            )
            .discard_result()
            .next("Forget"),
        )
        .state(
            "Forget",
            Task::call(DynamoItem::delete(&table).key("id", A::string("old")))
                .discard_result()
                .next("Alert"),
        )
        .state(
            "Alert",
            Task::call(
                SnsPublish::new(&topic)
                    .message(Payload::at("$.alert"))
                    .subject("Order"),
            )
            .discard_result()
            .next("Approve"),
        )
        .state(
            "Approve",
            Task::call(SqsSendMessage::new(&queue).wait_for_task_token())
                .heartbeat_seconds(3600)
                .next("Announce"),
        )
        .state(
            "Announce",
            Task::call(PutEvents::new("shop.orders", "OrderApproved"))
                .discard_result()
                .next("Ship"),
        )
        .state(
            "Ship",
            Task::call(
                StartExecution::new(&child)
                    .input(Payload::at("$.order"))
                    .sync(),
            ),
        )
}

#[test]
fn each_service_task_renders_its_resource_and_parameters() {
    let mut stack = Stack::new("App");
    let flow = every_service(&mut stack);
    stack.add("Flow", StateMachine::new(flow));
    let t = synth(&stack);
    let props = &t["Resources"]["Flow"]["Properties"];
    let states = &props["Definition"]["States"];
    let subs = &props["DefinitionSubstitutions"];
    // Each task's resource is one substitution: the service integration's ARN in the
    // stack's partition.
    let resource = |s: &str| {
        let r = states[s]["Resource"].as_str().unwrap();
        let key = r
            .strip_prefix("${")
            .and_then(|k| k.strip_suffix('}'))
            .unwrap();
        subs[key]["Fn::Sub"].as_str().unwrap().to_string()
    };
    assert_eq!(states["Alert"]["Resource"], "${SnsPublish}");
    assert_eq!(
        resource("Get"),
        "arn:${AWS::Partition}:states:::dynamodb:getItem"
    );
    assert_eq!(
        resource("Put"),
        "arn:${AWS::Partition}:states:::dynamodb:putItem"
    );
    assert_eq!(
        resource("Bump"),
        "arn:${AWS::Partition}:states:::dynamodb:updateItem"
    );
    assert_eq!(
        resource("Forget"),
        "arn:${AWS::Partition}:states:::dynamodb:deleteItem"
    );
    assert_eq!(
        resource("Alert"),
        "arn:${AWS::Partition}:states:::sns:publish"
    );
    assert_eq!(
        resource("Approve"),
        "arn:${AWS::Partition}:states:::sqs:sendMessage.waitForTaskToken"
    );
    assert_eq!(
        resource("Announce"),
        "arn:${AWS::Partition}:states:::events:putEvents"
    );
    assert_eq!(
        resource("Ship"),
        "arn:${AWS::Partition}:states:::states:startExecution.sync:2"
    );
    assert_eq!(
        states["Get"]["Parameters"],
        json!({"TableName": "${Orders}", "Key": {"id": {"S.$": "$.id"}}})
    );
    assert_eq!(
        states["Put"]["Parameters"]["Item"],
        json!({"id": {"S.$": "$.id"}, "total": {"N.$": "States.JsonToString($.total)"}})
    );
    assert_eq!(
        states["Bump"]["Parameters"],
        json!({
            "TableName": "${Orders}",
            "Key": {"id": {"S.$": "$.id"}},
            "UpdateExpression": "SET attempts = attempts + :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}
        })
    );
    assert_eq!(
        states["Alert"]["Parameters"],
        json!({"TopicArn": "${Alerts}", "Message.$": "$.alert", "Subject": "Order"})
    );
    // A callback task hands the token over in its message.
    assert_eq!(
        states["Approve"]["Parameters"],
        json!({
            "QueueUrl": "${Approvals}",
            "MessageBody": {"input.$": "$", "taskToken.$": "$$.Task.Token"}
        })
    );
    assert_eq!(
        states["Announce"]["Parameters"],
        json!({"Entries": [{"Source": "shop.orders", "DetailType": "OrderApproved", "Detail.$": "$"}]})
    );
    assert_eq!(
        states["Ship"]["Parameters"],
        json!({"StateMachineArn": "${Child}", "Input.$": "$.order"})
    );
    assert_eq!(subs["Alerts"], json!({"Ref": "Alerts"}));
    assert_eq!(subs["Approvals"], json!({"Ref": "Approvals"}));
    assert_eq!(subs["Orders"], json!({"Ref": "Orders"}));
    assert_eq!(subs["Child"], json!({"Ref": "Child"}));
    // The table, queue, topic and child state machine, and eight service calls.
    assert_eq!(subs.as_object().unwrap().len(), 12, "{subs}");
}

#[test]
fn the_role_gets_exactly_what_each_call_needs() {
    let mut stack = Stack::new("App");
    let flow = every_service(&mut stack);
    stack.add("Flow", StateMachine::new(flow));
    let t = synth(&stack);
    let s = statements(&t, "FlowRole");
    assert_eq!(
        all_actions(&s),
        [
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "events:DescribeRule",
            "events:PutEvents",
            "events:PutRule",
            "events:PutTargets",
            "sns:Publish",
            "sqs:SendMessage",
            "states:DescribeExecution",
            "states:StartExecution",
            "states:StopExecution",
        ]
    );
    let on = |action: &str| {
        let found = with_action(&s, action);
        assert_eq!(found.len(), 1, "{action}: {found:?}");
        found[0]["Resource"].clone()
    };
    let one = |r: J| if r.is_array() { r } else { json!([r]) };
    assert_eq!(
        one(on("dynamodb:GetItem")),
        json!([{"Fn::GetAtt": ["Orders", "Arn"]}])
    );
    assert_eq!(
        one(on("dynamodb:DeleteItem")),
        json!([{"Fn::GetAtt": ["Orders", "Arn"]}])
    );
    assert_eq!(one(on("sns:Publish")), json!([{"Ref": "Alerts"}]));
    assert_eq!(
        one(on("sqs:SendMessage")),
        json!([{"Fn::GetAtt": ["Approvals", "Arn"]}])
    );
    assert_eq!(one(on("states:StartExecution")), json!([{"Ref": "Child"}]));
    let follow = on("states:DescribeExecution").to_string();
    assert!(
        follow.contains(":execution:${name}:*") || follow.contains(":execution:"),
        "{follow}"
    );
    assert!(follow.contains("Child"), "{follow}");
    let rule = on("events:PutRule").to_string();
    assert!(
        rule.contains("rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"),
        "{rule}"
    );
    let bus = on("events:PutEvents").to_string();
    assert!(bus.contains("event-bus/default"), "{bus}");
}

#[test]
fn a_start_execution_that_does_not_wait_is_granted_start_only() {
    let mut stack = Stack::new("App");
    let child = child(&mut stack);
    let flow = Definition::new("Start").state("Start", Task::call(StartExecution::new(&child)));
    stack.add("Flow", StateMachine::new(flow).express());
    let t = synth(&stack);
    let s = statements(&t, "FlowRole");
    assert_eq!(all_actions(&s), ["states:StartExecution"]);
    let states = &t["Resources"]["Flow"]["Properties"]["Definition"]["States"];
    assert_eq!(states["Start"]["Resource"], "${StatesStartExecution}");
    assert_eq!(
        t["Resources"]["Flow"]["Properties"]["DefinitionSubstitutions"]["StatesStartExecution"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:states:::states:startExecution"})
    );
}

#[test]
fn encrypted_targets_let_the_role_use_their_key_through_the_service_only() {
    let mut stack = Stack::new("App");
    let key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let topic = stack.add(
        "Alerts",
        Topic::new().kms_key(nephos::Value::<nephos::kinds::KmsKeyArn>::literal(key)),
    );
    let flow = Definition::new("Alert").state("Alert", Task::call(SnsPublish::new(&topic)));
    stack.add("Flow", StateMachine::new(flow));
    let t = synth(&stack);
    let s = statements(&t, "FlowRole");
    let kms = with_action(&s, "kms:GenerateDataKey");
    assert_eq!(kms.len(), 1, "{s:?}");
    assert_eq!(kms[0]["Resource"], json!([key]));
    assert!(
        kms[0]["Condition"].to_string().contains("sns."),
        "{}",
        kms[0]
    );
}

/// Builds a task in a stack, and whether its state machine is Express.
type MakeTask = Box<dyn Fn(&mut Stack) -> (Task, bool)>;

#[test]
fn what_step_functions_or_the_service_refuses_is_a_synth_error() {
    let cases: Vec<(MakeTask, &str)> = vec![
        (
            Box::new(|s| {
                let c = child(s);
                (Task::call(StartExecution::new(&c).sync()), true)
            }),
            "Standard workflows only",
        ),
        (
            Box::new(|s| {
                let q = s.add("Q", Queue::new());
                (
                    Task::call(SqsSendMessage::new(&q).wait_for_task_token()),
                    true,
                )
            }),
            "Standard workflows only",
        ),
        (
            Box::new(|s| {
                let t = s.add("T", Table::new(Key::string("id")));
                (Task::call(DynamoItem::put(&t)), false)
            }),
            "item of no attributes",
        ),
        (
            Box::new(|s| {
                let t = s.add("T", Table::new(Key::string("id")));
                (Task::call(DynamoItem::get(&t)), false)
            }),
            "names no key",
        ),
        (
            Box::new(|s| {
                let t = s.add("T", Table::new(Key::string("id")));
                let u = DynamoItem::update(&t, "SET a = :a")
                    .key("id", A::string("x"))
                    .value(":b", A::number(1));
                (Task::call(u), false)
            }),
            "`:b` is not in the update expression",
        ),
        (
            Box::new(|s| {
                let q = s.add("Q", Queue::new());
                (
                    Task::call(SqsSendMessage::new(&q).delay_seconds(901)),
                    false,
                )
            }),
            "`DelaySeconds` is above 900",
        ),
        (
            Box::new(|_| (Task::call(PutEvents::new("aws.orders", "X")), false)),
            "begins with `aws.`",
        ),
        (
            Box::new(|_| {
                let p = PutEvents::new("shop", "X").detail(Payload::json(json!([1])));
                (Task::call(p), false)
            }),
            "not a JSON object",
        ),
        (
            Box::new(|s| {
                let t = s.add("T", Topic::new());
                (
                    Task::call(SnsPublish::new(&t).subject("x".repeat(101))),
                    false,
                )
            }),
            "1 to 100 printable ASCII",
        ),
        (
            Box::new(|s| {
                let t = s.add("T", Topic::new());
                (
                    Task::call(SnsPublish::new(&t).message(Payload::at("alert"))),
                    false,
                )
            }),
            "not a path beginning with `$`",
        ),
    ];
    for (make, expected) in cases {
        let mut stack = Stack::new("App");
        let (task, express) = make(&mut stack);
        let sm = StateMachine::new(Definition::new("Call").state("Call", task));
        stack.add("Flow", if express { sm.express() } else { sm });
        let e = errors(&stack);
        assert!(e.contains(expected), "expected {expected:?} in:\n{e}");
        assert!(e.contains("Call"), "the state is named:\n{e}");
    }
}

fn everything(stack: &mut Stack, _text: &Param<Str>) {
    let flow = every_service(stack);
    stack.add("Flow", StateMachine::new(flow));
}

#[test]
fn service_tasks_pass_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::StateMachineTasks", everything)]);
}

#[test]
fn grant_task_response_lets_the_worker_answer_a_task_token() {
    // atk14b finding 5: a worker answering `wait_for_task_token` had no grant.
    use nephos::constructs::{Code, Function, Runtime};
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new());
    let sm = stack.add(
        "SM",
        StateMachine::new(
            Definition::new("Ask")
                .state(
                    "Ask",
                    Task::call(SqsSendMessage::new(&q).wait_for_task_token()).next("Done"),
                )
                .state("Done", Succeed::new()),
        ),
    );
    let worker = stack.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    assert!(sm.grant_task_response(&mut stack, &worker).is_some());
    let imported =
        StateMachine::from_arn("arn:aws:states:eu-west-1:123456789012:stateMachine:other").unwrap();
    assert!(imported.grant_task_response(&mut stack, &worker).is_some());
    let t = synth(&stack);
    let s = with_action(&statements(&t, "WorkerRole"), "states:SendTaskSuccess");
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(
        s[0]["Action"],
        json!([
            "states:SendTaskFailure",
            "states:SendTaskHeartbeat",
            "states:SendTaskSuccess"
        ])
    );
    assert_eq!(
        s[0]["Resource"],
        json!([
            "arn:aws:states:eu-west-1:123456789012:stateMachine:other",
            {"Ref": "SM"}
        ])
    );
}
