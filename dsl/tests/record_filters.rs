//! Typed Lambda event filters (`RecordFilter`) on SQS and stream event sources, the
//! synth errors for untyped patterns Lambda refuses, and the filter count limits.

use nephos::Stack;
use nephos::constructs::wiring::record_filter::RecordFilter;
use nephos::constructs::wiring::sqs::SqsTrigger;
use nephos::constructs::{
    Cmp, Code, Function, Key, Match, Queue, Runtime, StartingPosition, StreamTrigger, StreamView,
    Table,
};
use serde_json::{Value as J, json};

mod roundtrip_support;

fn errors(stack: &Stack) -> String {
    stack
        .synth()
        .expect_err("errors expected")
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn queue_stack(trigger: SqsTrigger) -> Stack {
    let mut s = Stack::new("App");
    let q = s.add("Jobs", Queue::new());
    let f = s.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    q.trigger_with(&mut s, &f, trigger);
    s
}

fn table_stack(trigger: StreamTrigger) -> Stack {
    let mut s = Stack::new("App");
    let t = s.add(
        "Orders",
        Table::new(Key::string("id")).stream(StreamView::NewImage),
    );
    let f = s.add(
        "Audit",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    t.stream_to(&mut s, &f, trigger);
    s
}

fn patterns(stack: &Stack, id: &str) -> Vec<J> {
    let t = stack.synth().unwrap();
    t.json()["Resources"][id]["Properties"]["FilterCriteria"]["Filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| serde_json::from_str(f["Pattern"].as_str().unwrap()).unwrap())
        .collect()
}

#[test]
fn an_sqs_trigger_takes_typed_filters_over_the_json_body() {
    let s = queue_stack(
        SqsTrigger::new(10)
            .filter(
                RecordFilter::new()
                    .body("type", Match::exact("order"))
                    .body("total", Match::numeric(&[(Cmp::Ge, 100.0)])),
            )
            .filter(RecordFilter::new().field("attributes.MessageGroupId", Match::prefix("vip-"))),
    );
    assert_eq!(
        patterns(&s, "WorkerJobsTrigger"),
        vec![
            json!({"body": {"type": ["order"], "total": [{"numeric": [">=", 100.0]}]}}),
            json!({"attributes": {"MessageGroupId": [{"prefix": "vip-"}]}}),
        ]
    );
}

#[test]
fn a_stream_trigger_takes_typed_filters() {
    let s = table_stack(
        StreamTrigger::new(StartingPosition::Latest).filter_by(
            RecordFilter::new()
                .field("eventName", Match::exact("INSERT"))
                .field("dynamodb.NewImage.status.S", Match::anything_but(["draft"])),
        ),
    );
    assert_eq!(
        patterns(&s, "AuditOrdersStream"),
        vec![json!({
            "eventName": ["INSERT"],
            "dynamodb": {"NewImage": {"status": {"S": [{"anything-but": ["draft"]}]}}}
        })]
    );
}

#[test]
fn untyped_patterns_lambda_refuses_are_synth_errors() {
    for (pattern, what) in [
        (
            json!({"eventName": "INSERT"}),
            "`eventName` is a single value",
        ),
        (
            json!({"dynamodb": {"Keys": {"id": {"S": 7}}}}),
            "`dynamodb.Keys.id.S` is a single value",
        ),
        (json!({"eventName": []}), "an empty list"),
        (json!({}), "no field"),
        (json!(["INSERT"]), "not a JSON object"),
    ] {
        let e = errors(&table_stack(
            StreamTrigger::new(StartingPosition::Latest).filter(pattern.clone()),
        ));
        assert!(
            e.contains("AuditOrdersStream") && e.contains(what),
            "{pattern}: {e}"
        );
    }
    // A well-formed untyped pattern is written as given.
    let s = table_stack(
        StreamTrigger::new(StartingPosition::Latest).filter(json!({"eventName": ["INSERT"]})),
    );
    assert_eq!(
        patterns(&s, "AuditOrdersStream"),
        vec![json!({"eventName": ["INSERT"]})]
    );
}

#[test]
fn typed_filters_lambda_refuses_are_synth_errors() {
    let e = errors(&queue_stack(
        SqsTrigger::new(10).filter(RecordFilter::new()),
    ));
    assert!(
        e.contains("WorkerJobsTrigger") && e.contains("no field"),
        "{e}"
    );
    let e = errors(&queue_stack(SqsTrigger::new(10).filter(
        RecordFilter::new().body("n", Match::numeric(&[(Cmp::Gt, 1e10)])),
    )));
    assert!(e.contains("WorkerJobsTrigger") && e.contains("5e9"), "{e}");
}

#[test]
fn filters_over_the_default_quota_warn_and_over_the_maximum_fail() {
    let many = |n: usize| {
        (0..n).fold(SqsTrigger::new(10), |t, i| {
            t.filter(RecordFilter::new().body("n", Match::exact(i as f64)))
        })
    };
    let s = queue_stack(many(5));
    assert!(s.synth().unwrap().warnings().is_empty());
    let s = queue_stack(many(6));
    let synth = s.synth().unwrap();
    let w: Vec<String> = synth.warnings().iter().map(|d| d.to_string()).collect();
    assert!(
        w.iter()
            .any(|m| m.contains("6 filters") && m.contains("quota")),
        "{w:?}"
    );
    let e = errors(&queue_stack(many(21)));
    assert!(e.contains("21 filters"), "{e}");
}

fn filtered(stack: &mut Stack, _: &nephos::Param<nephos::kind::Str>) {
    let q = stack.add("Jobs", Queue::new());
    let t = stack.add(
        "Orders",
        Table::new(Key::string("id")).stream(StreamView::NewImage),
    );
    let f = stack.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    q.trigger_with(
        stack,
        &f,
        SqsTrigger::new(10).filter(RecordFilter::new().body("type", Match::exact("order"))),
    );
    t.stream_to(
        stack,
        &f,
        StreamTrigger::new(StartingPosition::Latest)
            .filter_by(RecordFilter::new().field("eventName", Match::exact("INSERT"))),
    );
}

#[test]
fn filtered_sources_pass_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::RecordFilters", filtered)]);
}
