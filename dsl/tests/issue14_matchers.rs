//! What EventBridge and SQS refuse in typed rule patterns, Lambda record filters and FIFO
//! message groups is a synth error naming the rule (or trigger), the property and the fix:
//! numeric ranges EventBridge's parser refuses, `anything_but` lists of strings and numbers
//! both, and message groups SQS refuses (one check for rules and schedules).
#![cfg(all(feature = "events", feature = "scheduler"))]

use std::time::Duration;

use nephos::Stack;
use nephos::constructs::timing::Schedule;
use nephos::constructs::wiring::record_filter::RecordFilter;
use nephos::constructs::wiring::sqs::SqsTrigger;
use nephos::constructs::{
    Cmp, Code, EventPattern, EventTarget, Function, FunctionRef, JobTarget, Match, Queue, Rule,
    Runtime, ScheduledJob,
};
use serde_json::json;

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn rule_with(m: Match) -> Stack {
    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    let rule = s.add(
        "OnOrder",
        Rule::on_pattern(EventPattern::new().source("shop").detail("total", m)),
    );
    rule.target_function(&mut s, &f, EventTarget::new());
    s
}

fn error(stack: &Stack) -> String {
    match stack.synth() {
        Ok(t) => panic!("synth accepted: {}", t.json()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn numeric_ranges_eventbridge_refuses_are_named() {
    for (cmps, says) in [
        (vec![(Cmp::Lt, 5.0), (Cmp::Gt, 1.0)], "is not a lower bound"),
        (vec![(Cmp::Gt, 1.0), (Cmp::Ge, 5.0)], "is not a lower bound"),
        (vec![(Cmp::Eq, 1.0), (Cmp::Lt, 3.0)], "is not a lower bound"),
        (
            vec![(Cmp::Gt, 10.0), (Cmp::Lt, 1.0)],
            "not below its upper bound",
        ),
        (
            vec![(Cmp::Ge, 1.0), (Cmp::Le, 1.0)],
            "not below its upper bound",
        ),
        (
            vec![(Cmp::Gt, 1.0), (Cmp::Lt, 1.0)],
            "not below its upper bound",
        ),
    ] {
        let e = error(&rule_with(Match::numeric(&cmps)));
        assert!(
            e.contains("rule `OnOrder`") && e.contains("EventPattern") && e.contains(says),
            "{cmps:?}: {e}"
        );
    }
    // What EventBridge takes still synthesizes, as written.
    for cmps in [
        vec![(Cmp::Gt, 1.0), (Cmp::Lt, 5.0)],
        vec![(Cmp::Ge, -1.0), (Cmp::Le, 0.5)],
        vec![(Cmp::Eq, 3.0)],
        vec![(Cmp::Lt, 3.0)],
    ] {
        let s = rule_with(Match::numeric(&cmps));
        let t = s.synth().unwrap_or_else(|e| panic!("{cmps:?}: {e}"));
        let pattern = &t.json()["Resources"]["OnOrder"]["Properties"]["EventPattern"];
        assert_eq!(
            pattern["detail"]["total"][0]["numeric"]
                .as_array()
                .map(Vec::len),
            Some(cmps.len() * 2),
            "{pattern}"
        );
    }
}

#[test]
fn record_filters_refuse_the_same_ranges() {
    let mut s = Stack::new("App");
    let f = function(&mut s, "W");
    let q = s.add("Jobs", Queue::new());
    q.trigger_with(
        &mut s,
        &f,
        SqsTrigger::new(10).filter(
            RecordFilter::new().body("total", Match::numeric(&[(Cmp::Gt, 10.0), (Cmp::Lt, 1.0)])),
        ),
    );
    let e = error(&s);
    assert!(e.contains("not below its upper bound"), "{e}");
}

#[test]
fn anything_but_of_strings_and_numbers_is_refused() {
    let e = error(&rule_with(Match::anything_but([json!("x"), json!(1)])));
    assert!(
        e.contains("rule `OnOrder`") && e.contains("strings and numbers"),
        "{e}"
    );
    for values in [vec![json!("x"), json!("y")], vec![json!(1), json!(2.5)]] {
        let s = rule_with(Match::anything_but(values.clone()));
        let t = s.synth().unwrap_or_else(|e| panic!("{values:?}: {e}"));
        assert_eq!(
            t.json()["Resources"]["OnOrder"]["Properties"]["EventPattern"]["detail"]["total"],
            json!([{ "anything-but": values }])
        );
    }
}

#[test]
fn message_groups_sqs_refuses_are_named_for_rules_and_schedules() {
    let long = "g".repeat(129);
    for (group, says) in [
        ("", "0 characters"),
        (long.as_str(), "129 characters"),
        ("a b", "characters SQS refuses"),
        ("tick\u{7f}", "characters SQS refuses"),
        ("caf\u{e9}", "characters SQS refuses"),
    ] {
        let mut s = Stack::new("App");
        let rule = s.add(
            "OnOrder",
            Rule::on_pattern(EventPattern::new().source("shop")),
        );
        let q = s.add("Jobs", Queue::new().fifo().content_based_deduplication());
        rule.target_queue(&mut s, &q, EventTarget::new().message_group_id(group));
        let e = error(&s);
        assert!(
            e.contains("rule `OnOrder`") && e.contains(says) && e.contains("message_group_id"),
            "{group:?}: {e}"
        );

        let mut s = Stack::new("App");
        let q = s.add("Jobs", Queue::new().fifo().content_based_deduplication());
        s.add(
            "Tick",
            ScheduledJob::new(
                Schedule::rate(Duration::from_secs(300)),
                JobTarget::queue(&q).message_group_id(group),
            ),
        );
        let e = error(&s);
        assert!(
            e.contains("schedule `Tick`") && e.contains("MessageGroupId") && e.contains(says),
            "{group:?}: {e}"
        );
    }
    // 128 characters of letters, digits and punctuation (an input-path-like `$.detail.id`
    // is such a literal) are taken by both.
    let edge = format!("$.detail.id!~{}", "x".repeat(115));
    for group in ["orders", "$.detail.id", edge.as_str()] {
        let mut s = Stack::new("App");
        let rule = s.add(
            "OnOrder",
            Rule::on_pattern(EventPattern::new().source("shop")),
        );
        let q = s.add("Jobs", Queue::new().fifo().content_based_deduplication());
        rule.target_queue(&mut s, &q, EventTarget::new().message_group_id(group));
        let t = s.synth().unwrap_or_else(|e| panic!("{group:?}: {e}"));
        assert_eq!(
            t.json()["Resources"]["OnOrder"]["Properties"]["Targets"][0]["SqsParameters"]["MessageGroupId"],
            json!(group)
        );
    }
}
