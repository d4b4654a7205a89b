//! The IDs wiring derives for resources imported by ARN (rule targets, their roles and
//! permissions, queue triggers) tell every two ARNs apart, even ARNs whose letters and
//! digits are the same (`orders-v2` and `orders_v2`). Run with
//! `--features kms,secretsmanager,ssm,stepfunctions,ecr,events,scheduler`.
#![cfg(all(feature = "stepfunctions", feature = "events"))]

use nephos::Stack;
use nephos::constructs::{
    Code, EventPattern, EventTarget, Function, Queue, Rule, Runtime, SqsTrigger, StateMachine,
};
use serde_json::Value as J;

const ARN: &str = "arn:aws:REPLACE:eu-west-1:123456789012:";

fn arn(service_and_resource: (&str, &str)) -> String {
    ARN.replace("REPLACE", service_and_resource.0) + service_and_resource.1
}

fn of_type(t: &J, ty: &str) -> Vec<String> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .map(|(id, _)| id.clone())
        .collect()
}

fn target_ids(t: &J) -> Vec<J> {
    t["Resources"]["OnOrder"]["Properties"]["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["Id"].clone())
        .collect()
}

#[test]
fn one_rule_targets_two_imported_state_machines_whose_names_differ_in_punctuation() {
    let mut s = Stack::new("App");
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    for name in ["stateMachine:orders-v2", "stateMachine:orders_v2"] {
        let m = StateMachine::from_arn(&arn(("states", name))).unwrap();
        rule.target_state_machine(&mut s, &m, EventTarget::new());
    }
    let synth = s.synth().unwrap();
    let t = synth.json();
    let ids = target_ids(t);
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    assert!(
        ids.iter().all(|id| id.as_str().unwrap().len() <= 64),
        "{ids:?}"
    );
    assert_eq!(
        of_type(t, "AWS::IAM::Role").len(),
        2,
        "one role per machine"
    );
}

#[test]
fn one_rule_targets_two_imported_functions_whose_names_differ_in_punctuation() {
    let mut s = Stack::new("App");
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop")),
    );
    for name in ["function:orders-v2", "function:orders_v2"] {
        let f = Function::from_arn(&arn(("lambda", name))).unwrap();
        rule.target_function(&mut s, &f, EventTarget::new());
    }
    let synth = s.synth().unwrap();
    let t = synth.json();
    assert_eq!(target_ids(t).len(), 2);
    assert_eq!(of_type(t, "AWS::Lambda::Permission").len(), 2);
}

#[test]
fn one_function_polls_two_imported_queues_whose_names_differ_in_punctuation() {
    let mut s = Stack::new("App");
    let f = s.add(
        "W",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    for name in ["jobs-a", "jobs_a"] {
        Queue::from_arn(&arn(("sqs", name)))
            .unwrap()
            .trigger_with(&mut s, &f, SqsTrigger::new(10));
    }
    let synth = s.synth().unwrap();
    assert_eq!(
        of_type(synth.json(), "AWS::Lambda::EventSourceMapping").len(),
        2
    );
}
