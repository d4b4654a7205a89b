//! Imported resources wired like the constructs' own where no policy of theirs changes
//! (an imported queue as a Lambda event source; imported function, queue, topic and
//! state machine as scheduled-job targets), and state machines (of the stack or
//! imported) as EventBridge rule and Scheduler targets. Run with
//! `--features kms,secretsmanager,ssm,stepfunctions,events,scheduler`.
#![cfg(all(feature = "stepfunctions", feature = "events", feature = "scheduler"))]

use std::time::Duration;

use nephos::assertions::Assertions;
use nephos::constructs::state_machine::{Definition, Pass};
use nephos::constructs::timing::Schedule;
use nephos::constructs::wiring::sqs::SqsTrigger;
use nephos::constructs::{
    Code, EventPattern, EventTarget, Function, FunctionRef, JobTarget, Queue, Rule, Runtime,
    ScheduledJob, StateMachine, StateMachineRef, Topic,
};
use nephos::kind::Str;
use nephos::{Param, Stack};
use serde_json::{Value as J, json};

mod roundtrip_support;

const QUEUE: &str = "arn:aws:sqs:eu-west-1:123456789012:jobs";
const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:alerts";
const FUNCTION: &str = "arn:aws:lambda:eu-west-1:123456789012:function:resize";
const MACHINE: &str = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn machine(stack: &mut Stack, id: &str) -> StateMachineRef {
    stack.add(
        id,
        StateMachine::new(Definition::new("Done").state("Done", Pass::new())),
    )
}

fn synth(stack: &Stack) -> J {
    let a = Assertions::from_stack(stack);
    a.assert_no_cycles();
    a.json().clone()
}

fn statements(t: &J, role: &str) -> Vec<J> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn types(t: &J) -> Vec<String> {
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .map(|r| r["Type"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_imported_queue_is_an_event_source_without_a_queue_policy() {
    let mut s = Stack::new("App");
    let w = function(&mut s, "W");
    let q = Queue::from_arn(QUEUE).unwrap();
    let m = q.trigger_with(
        &mut s,
        &w,
        SqsTrigger::new(20)
            .batching_window(Duration::from_secs(2))
            .report_batch_item_failures(),
    );
    let t = synth(&s);
    let id = nephos::Handle::resource_ref(&m).logical_id().to_string();
    let mapping = &t["Resources"][&id];
    assert_eq!(mapping["Type"], "AWS::Lambda::EventSourceMapping");
    assert_eq!(mapping["Properties"]["EventSourceArn"], QUEUE);
    assert_eq!(mapping["Properties"]["BatchSize"], 20);
    assert_eq!(mapping["DependsOn"], json!(["WRole"]));
    assert!(id.starts_with('W') && id.ends_with("Trigger"), "{id}");
    let consume = statements(&t, "WRole");
    assert!(
        consume.iter().any(|st| st["Resource"] == json!([QUEUE])
            && st["Action"].to_string().contains("sqs:ReceiveMessage")),
        "{consume:?}"
    );
    assert!(!types(&t).iter().any(|ty| ty == "AWS::SQS::QueuePolicy"));

    // The polling options are checked as for a queue of the stack.
    let mut s = Stack::new("App");
    let w = function(&mut s, "W");
    Queue::from_arn(QUEUE)
        .unwrap()
        .trigger_with(&mut s, &w, SqsTrigger::new(100));
    let e = s.synth().unwrap_err().to_string();
    assert!(e.contains("batching window"), "{e}");
}

#[test]
fn imported_resources_are_scheduled_job_targets_through_the_role() {
    let mut s = Stack::new("App");
    let rate = || Schedule::rate(Duration::from_secs(300));
    let f = Function::from_arn(FUNCTION).unwrap();
    let q = Queue::from_arn(QUEUE).unwrap();
    let tp = Topic::from_arn(TOPIC).unwrap();
    let sm = StateMachine::from_arn(MACHINE).unwrap();
    let dlq = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:dead").unwrap();
    s.add(
        "F",
        ScheduledJob::new(rate(), JobTarget::function(&f)).dead_letter_queue(&dlq),
    );
    s.add("Q", ScheduledJob::new(rate(), JobTarget::queue(&q)));
    s.add("T", ScheduledJob::new(rate(), JobTarget::topic(&tp)));
    s.add(
        "S",
        ScheduledJob::new(rate(), JobTarget::state_machine(&sm)).input(json!({"kind": "tick"})),
    );
    let t = synth(&s);
    for (job, arn, action) in [
        ("F", FUNCTION, "lambda:InvokeFunction"),
        ("Q", QUEUE, "sqs:SendMessage"),
        ("T", TOPIC, "sns:Publish"),
        ("S", MACHINE, "states:StartExecution"),
    ] {
        assert_eq!(t["Resources"][job]["Properties"]["Target"]["Arn"], arn);
        let st = statements(&t, &format!("{job}Role"));
        assert!(
            st.iter().any(|x| x["Resource"] == json!([arn])
                && x["Action"].as_array().unwrap().contains(&json!(action))),
            "{job}: {st:?}"
        );
    }
    assert_eq!(
        t["Resources"]["S"]["Properties"]["Target"]["Input"],
        r#"{"kind":"tick"}"#
    );
    assert_eq!(
        t["Resources"]["F"]["Properties"]["Target"]["DeadLetterConfig"]["Arn"],
        "arn:aws:sqs:eu-west-1:123456789012:dead"
    );
    let ty = types(&t);
    for policy in [
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::Lambda::Permission",
    ] {
        assert!(!ty.iter().any(|x| x == policy), "{policy} in {ty:?}");
    }
}

#[test]
fn an_imported_function_is_a_rule_target_and_a_subscriber_with_a_permission_here() {
    let mut s = Stack::new("App");
    let f = Function::from_arn(FUNCTION).unwrap();
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    rule.target_function(&mut s, &f, EventTarget::new());
    let topic = s.add("Orders", Topic::new());
    topic.subscribe_function(&mut s, &f);
    let t = synth(&s);
    let target = &t["Resources"]["OnOrder"]["Properties"]["Targets"][0];
    assert_eq!(target["Arn"], FUNCTION);
    let permissions: Vec<&J> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::Lambda::Permission")
        .collect();
    assert_eq!(permissions.len(), 2, "{permissions:?}");
    let sources: Vec<&J> = permissions
        .iter()
        .map(|p| {
            assert_eq!(p["Properties"]["FunctionName"], FUNCTION);
            &p["Properties"]["SourceArn"]
        })
        .collect();
    assert!(
        sources.contains(&&json!({"Fn::GetAtt": ["OnOrder", "Arn"]})),
        "{sources:?}"
    );
    assert!(sources.contains(&&json!({"Ref": "Orders"})), "{sources:?}");
    let subscription = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::SNS::Subscription")
        .unwrap();
    assert_eq!(subscription["Properties"]["Endpoint"], FUNCTION);
    assert_eq!(subscription["Properties"]["Protocol"], "lambda");
}

#[test]
fn a_rule_starts_a_state_machine_through_a_role_allowed_that_one() {
    let mut s = Stack::new("App");
    let sm = machine(&mut s, "Flow");
    let other = StateMachine::from_arn(MACHINE).unwrap();
    let dlq = s.add("Undelivered", Queue::new());
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    rule.target_state_machine(
        &mut s,
        &sm,
        EventTarget::new()
            .input_transformer(&[("id", "$.detail.id")], r#"{"order": <id>}"#)
            .retry(3, Duration::from_secs(600))
            .dead_letter_queue(&dlq),
    );
    rule.target_state_machine(&mut s, &other, EventTarget::new());
    let t = synth(&s);
    let targets = t["Resources"]["OnOrder"]["Properties"]["Targets"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(targets.len(), 2);
    let own = targets.iter().find(|x| x["Id"] == "Flow").unwrap();
    assert_eq!(own["Arn"], json!({"Ref": "Flow"}));
    assert_eq!(
        own["RoleArn"],
        json!({"Fn::GetAtt": ["OnOrderFlowRole", "Arn"]})
    );
    assert_eq!(own["RetryPolicy"]["MaximumRetryAttempts"], 3);
    assert_eq!(
        own["InputTransformer"]["InputPathsMap"]["id"],
        "$.detail.id"
    );
    assert_eq!(
        own["DeadLetterConfig"]["Arn"],
        json!({"Fn::GetAtt": ["Undelivered", "Arn"]})
    );
    let st = statements(&t, "OnOrderFlowRole");
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0]["Action"], json!(["states:StartExecution"]));
    assert_eq!(st[0]["Resource"], json!([{"Ref": "Flow"}]));
    let trust = &t["Resources"]["OnOrderFlowRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        [0];
    assert_eq!(
        trust["Principal"]["Service"],
        json!(["events.amazonaws.com"])
    );

    let imported = targets.iter().find(|x| x["Arn"] == MACHINE).unwrap();
    let role = imported["RoleArn"]["Fn::GetAtt"][0].as_str().unwrap();
    let st = statements(&t, role);
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0]["Resource"], json!([MACHINE]));
    // The queue policy lets the rule send undelivered events; the state machine has none.
    assert!(types(&t).iter().any(|x| x == "AWS::SQS::QueuePolicy"));
}

#[test]
fn a_scheduled_job_starts_a_state_machine_of_the_stack() {
    let mut s = Stack::new("App");
    let sm = machine(&mut s, "Flow");
    s.add(
        "Nightly",
        ScheduledJob::new(Schedule::cron("0 2 * * ? *"), JobTarget::state_machine(&sm))
            .retry(2, Duration::from_secs(3600)),
    );
    let t = synth(&s);
    let target = &t["Resources"]["Nightly"]["Properties"]["Target"];
    assert_eq!(target["Arn"], json!({"Ref": "Flow"}));
    assert_eq!(target["RetryPolicy"]["MaximumRetryAttempts"], 2.0);
    let st = statements(&t, "NightlyRole");
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0]["Action"], json!(["states:StartExecution"]));
    assert_eq!(st[0]["Resource"], json!([{"Ref": "Flow"}]));
}

#[test]
fn state_machine_imports_are_checked() {
    for bad in [
        "arn:aws:states:eu-west-1:123456789012:activity:orders",
        "arn:aws:states:eu-west-1:123456789012:execution:orders:1",
        "arn:aws:states:eu-west-1:123456789012:stateMachine:",
        "arn:aws:states:eu-west-1:123456789012:stateMachine:a b",
        "arn:aws:lambda:eu-west-1:123456789012:stateMachine:orders",
    ] {
        assert!(StateMachine::from_arn(bad).is_err(), "{bad}");
    }
    assert!(StateMachine::from_arn(&format!("{MACHINE}:live")).is_ok());
}

fn wired(stack: &mut Stack, _: &Param<Str>) {
    let w = function(stack, "W");
    let sm = machine(stack, "Flow");
    Queue::from_arn(QUEUE)
        .unwrap()
        .trigger_with(stack, &w, SqsTrigger::new(10));
    let rule = stack.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    rule.target_state_machine(stack, &sm, EventTarget::new());
    let f = Function::from_arn(FUNCTION).unwrap();
    rule.target_function(stack, &f, EventTarget::new());
    stack
        .add("Orders", Topic::new())
        .subscribe_function(stack, &f);
    rule.target_state_machine(
        stack,
        &StateMachine::from_arn(MACHINE).unwrap(),
        EventTarget::new(),
    );
    let rate = Schedule::rate(Duration::from_secs(300));
    stack.add(
        "Tick",
        ScheduledJob::new(rate.clone(), JobTarget::state_machine(&sm)),
    );
    stack.add(
        "Resize",
        ScheduledJob::new(
            rate,
            JobTarget::function(&Function::from_arn(FUNCTION).unwrap()),
        ),
    );
}

#[test]
fn import_wiring_passes_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::ImportWiring", wired)]);
}

#[test]
fn a_target_with_a_logical_id_over_64_characters_gets_an_id_eventbridge_takes() {
    let mut s = Stack::new("App");
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    // Legal logical IDs (up to 255 characters) that differ only past the 64th.
    let long = |c: &str| format!("W{}{c}", "x".repeat(80));
    let a = function(&mut s, &long("a"));
    let b = function(&mut s, &long("b"));
    rule.target_function(&mut s, &a, EventTarget::new());
    rule.target_function(&mut s, &b, EventTarget::new());
    let q = s.add(&format!("Q{}", "x".repeat(80)), Queue::new());
    rule.target_queue(&mut s, &q, EventTarget::new());
    let m = machine(&mut s, &format!("M{}", "x".repeat(80)));
    rule.target_state_machine(&mut s, &m, EventTarget::new());
    let t = synth(&s);
    let targets = t["Resources"]["OnOrder"]["Properties"]["Targets"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = targets.iter().map(|t| t["Id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    for id in &ids {
        assert!(id.len() <= 64, "{id} is {} characters", id.len());
    }
    assert_ne!(ids[0], ids[1], "{ids:?}");
    // A short logical ID keeps the target ID it always had.
    let mut s = Stack::new("App");
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    let w = function(&mut s, "Worker");
    rule.target_function(&mut s, &w, EventTarget::new());
    assert_eq!(
        synth(&s)["Resources"]["OnOrder"]["Properties"]["Targets"][0]["Id"],
        "Worker"
    );
}
