//! Imported queues, topics and tables as the targets of wirings that grant a role this
//! stack creates and change nothing on the target (an HTTP API's SQS integration, a state
//! machine's SQS, SNS and DynamoDB tasks): accepted, with the grant on the ARN. Needs
//! `--features apigatewayv2,stepfunctions`.
#![cfg(all(feature = "apigatewayv2", feature = "stepfunctions"))]

use nephos::Stack;
use nephos::constructs::state_machine::{
    AttributeValue as A, Definition, DynamoItem, SnsPublish, SqsSendMessage as SfnSend, Task,
};
use nephos::constructs::{HttpApi, Queue, SqsSendMessage, StateMachine, Table, Topic};
use serde_json::Value as J;

const QUEUE: &str = "arn:aws:sqs:eu-west-1:123456789012:jobs";
const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:alerts";
const TABLE: &str = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";

/// Every statement of the template's IAM policies (inline in roles and policies).
fn statements(t: &J) -> Vec<J> {
    let mut out = Vec::new();
    for r in t["Resources"].as_object().unwrap().values() {
        let docs: Vec<&J> = match r["Type"].as_str() {
            Some("AWS::IAM::Role") => r["Properties"]["Policies"]
                .as_array()
                .map(|p| p.iter().map(|p| &p["PolicyDocument"]).collect())
                .unwrap_or_default(),
            Some("AWS::IAM::Policy") => vec![&r["Properties"]["PolicyDocument"]],
            _ => vec![],
        };
        for d in docs {
            out.extend(d["Statement"].as_array().cloned().unwrap_or_default());
        }
    }
    out
}

fn grants(t: &J, action: &str, resource: &str) -> bool {
    statements(t).iter().any(|s| {
        let has = |v: &J, x: &str| match v {
            J::String(s) => s == x,
            J::Array(a) => a.iter().any(|v| v == x),
            _ => false,
        };
        has(&s["Action"], action) && has(&s["Resource"], resource)
    })
}

#[test]
fn http_api_sends_to_an_imported_queue() {
    let mut stack = Stack::new("App");
    let jobs = Queue::from_arn(QUEUE).unwrap();
    let api = stack.add("Http", HttpApi::new("jobs"));
    api.route_to(&mut stack, "POST", "/jobs", SqsSendMessage::new(&jobs));
    let synth = stack.synth().unwrap();
    let t = synth.json();
    assert!(grants(t, "sqs:SendMessage", QUEUE), "{t:#}");
    let integration = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::ApiGatewayV2::Integration")
        .expect("an integration");
    let url =
        serde_json::to_string(&integration["Properties"]["RequestParameters"]["QueueUrl"]).unwrap();
    // `https://sqs.<region>.<suffix>/<account>/<name>`, from the ARN's parts.
    assert!(
        url.contains("https://sqs.${Region}.${AWS::URLSuffix}/${Account}/${Name}"),
        "{url}"
    );
    assert!(url.contains(QUEUE), "{url}");
}

#[test]
fn http_api_refuses_an_imported_fifo_queue_without_a_group() {
    let mut stack = Stack::new("App");
    let jobs = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs.fifo").unwrap();
    let api = stack.add("Http", HttpApi::new("jobs"));
    api.route_to(&mut stack, "POST", "/jobs", SqsSendMessage::new(&jobs));
    let err = stack.synth().expect_err("refused").to_string();
    assert!(err.contains("MessageGroupId"), "{err}");
}

#[test]
fn state_machine_tasks_reach_imported_queues_topics_and_tables() {
    let mut stack = Stack::new("App");
    let jobs = Queue::from_arn(QUEUE).unwrap();
    let alerts = Topic::from_arn(TOPIC).unwrap();
    let orders = Table::from_arn(TABLE).unwrap();
    let definition = Definition::new("Send")
        .state("Send", Task::call(SfnSend::new(&jobs)).next("Publish"))
        .state("Publish", Task::call(SnsPublish::new(&alerts)).next("Get"))
        .state(
            "Get",
            Task::call(DynamoItem::get(&orders).key("id", A::string_at("$.id"))),
        );
    stack.add("Flow", StateMachine::new(definition));
    let synth = stack.synth().unwrap();
    let t = synth.json();
    assert!(grants(t, "sqs:SendMessage", QUEUE), "{t:#}");
    assert!(grants(t, "sns:Publish", TOPIC), "{t:#}");
    assert!(grants(t, "dynamodb:GetItem", TABLE), "{t:#}");
    let definition = serde_json::to_string(&t["Resources"]["Flow"]["Properties"]).unwrap();
    assert!(
        definition.contains(TOPIC) && definition.contains("AWS::URLSuffix"),
        "{definition}"
    );
}
