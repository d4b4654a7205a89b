//! Wirings AWS refuses at deploy, refused at synth (issue 14, attack atk14d):
//!
//! - a wiring to a resource imported by a literal ARN of another Region (or, for a
//!   `Lambda::Permission`, another account) than the stack's: an app error when
//!   `StackSettings::region` gives the stack's Region, and always a template rule
//!   asserting `AWS::Region` (and `AWS::AccountId`) so CloudFormation refuses the stack
//!   before creating anything;
//! - an SNS FIFO topic as the destination of an email or HTTPS subscription, of an S3
//!   notification or of a CloudWatch alarm action (one check with the function
//!   subscription's);
//! - a queue triggering an alias of a function whose timeout exceeds the queue's
//!   visibility timeout (the check follows the alias to its function).
//!
//! Run with `--features events,cloudwatch,stepfunctions`.
#![cfg(all(feature = "events", feature = "cloudwatch", feature = "stepfunctions"))]

use std::time::Duration;

use nephos::constructs::metrics::AlarmOptions;
use nephos::constructs::timing::Schedule;
use nephos::constructs::wiring::s3::{NotificationFilter, S3Event};
use nephos::constructs::wiring::sqs::SqsTrigger;
use nephos::constructs::{
    Alias, Bucket, Code, EventTarget, Function, FunctionRef, Queue, Rule, Runtime, StateMachine,
    Topic,
};
use nephos::{App, IntoValue, Stack, StackSettings, Value};
use serde_json::json;

mod lint_support;

const WEST2_FUNCTION: &str = "arn:aws:lambda:us-west-2:123456789012:function:resize";
const OTHER_ACCOUNT_FUNCTION: &str = "arn:aws:lambda:eu-west-1:999999999999:function:resize";
const HOME_FUNCTION: &str = "arn:aws:lambda:eu-west-1:123456789012:function:resize";

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn error(stack: &Stack) -> String {
    match stack.synth() {
        Ok(t) => panic!("synth accepted: {}", t.json()),
        Err(e) => e.to_string(),
    }
}

fn app_error(stack: Stack, region: &str) -> String {
    let mut app = App::new();
    app.stack(stack, StackSettings::new("imp").region(region));
    match app.synth() {
        Ok(_) => panic!("the app synthesized"),
        Err(e) => e.to_string(),
    }
}

fn app_ok(stack: Stack, region: &str) {
    let mut app = App::new();
    app.stack(stack, StackSettings::new("imp").region(region));
    if let Err(e) = app.synth() {
        panic!("{e}");
    }
}

fn rule() -> Rule {
    Rule::schedule(Schedule::rate(Duration::from_secs(300)))
}

/// Each wiring to a literal ARN of another Region, in a stack pinned to eu-west-1, is an
/// app error naming the wiring, the two Regions and the rule.
#[test]
fn wirings_to_another_regions_imports_are_refused_when_the_region_is_known() {
    type Wire = fn(&mut Stack);
    let cases: [(Wire, &str); 5] = [
        (
            |s| {
                let b = s.add("B", Bucket::new());
                let f = Function::from_arn(WEST2_FUNCTION).unwrap();
                b.notify_function(
                    s,
                    &[S3Event::ObjectCreated],
                    NotificationFilter::prefix("a/"),
                    &f,
                );
            },
            "the notification of bucket `B` invoking function",
        ),
        (
            |s| {
                let r = s.add("R", rule());
                let f = Function::from_arn(WEST2_FUNCTION).unwrap();
                r.target_function(s, &f, EventTarget::new());
            },
            "the target of rule `R` invoking function",
        ),
        (
            |s| {
                let t = s.add("T", Topic::new());
                let f = Function::from_arn(WEST2_FUNCTION).unwrap();
                t.subscribe_function(s, &f);
            },
            "the subscription of topic `T` invoking function",
        ),
        (
            |s| {
                let f = function(s, "Fn");
                let q = Queue::from_arn("arn:aws:sqs:us-west-2:123456789012:jobs").unwrap();
                q.trigger_with(s, &f, SqsTrigger::new(10));
            },
            "the event source mapping from queue `arn:aws:sqs:us-west-2:123456789012:jobs` to function `Fn`",
        ),
        (
            |s| {
                let r = s.add("R", rule());
                let m = StateMachine::from_arn(
                    "arn:aws:states:us-west-2:123456789012:stateMachine:orders",
                )
                .unwrap();
                r.target_state_machine(s, &m, EventTarget::new());
            },
            "the target of rule `R` starting state machine",
        ),
    ];
    for (wire, names) in cases {
        let mut s = Stack::new("Imp");
        wire(&mut s);
        let e = app_error(s, "eu-west-1");
        assert!(
            e.contains("deploys to eu-west-1") && e.contains(names) && e.contains("us-west-2"),
            "{names}: {e}"
        );
        // Deployed to the resource's own Region, the same stack is fine.
        let mut s = Stack::new("Imp");
        wire(&mut s);
        app_ok(s, "us-west-2");
    }
}

/// Without a Region in the settings the template asserts the Region (and, for a
/// `Lambda::Permission`, the account) the imports are in: CloudFormation refuses the
/// stack before it creates anything elsewhere.
#[test]
fn the_template_asserts_the_region_and_account_of_wired_imports() {
    let mut s = Stack::new("Imp");
    let r = s.add("R", rule());
    r.target_function(
        &mut s,
        &Function::from_arn(OTHER_ACCOUNT_FUNCTION).unwrap(),
        EventTarget::new(),
    );
    let f = function(&mut s, "Fn");
    Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs")
        .unwrap()
        .trigger_with(&mut s, &f, SqsTrigger::new(10));
    let t = s.synth().unwrap();
    let rules = &t.json()["Rules"];
    assert_eq!(
        rules["ImportsRegionEuWest1"]["Assertions"][0]["Assert"],
        json!({"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]})
    );
    assert_eq!(
        rules["ImportsAccount999999999999"]["Assertions"][0]["Assert"],
        json!({"Fn::Equals": [{"Ref": "AWS::AccountId"}, "999999999999"]})
    );
    let said = rules["ImportsAccount999999999999"]["Assertions"][0]["AssertDescription"]
        .as_str()
        .unwrap();
    assert!(
        said.contains("rule `R`") && said.contains("Lambda::Permission"),
        "{said}"
    );
    // The queue's mapping needs its Region only: no rule on the queue's account.
    assert_eq!(rules.as_object().unwrap().len(), 2, "{rules}");
    // A function of the stack, or an ARN known only at deploy, asserts nothing.
    let mut s = Stack::new("Imp");
    let r = s.add("R", rule());
    let own = function(&mut s, "Own");
    r.target_function(&mut s, &own, EventTarget::new());
    let target = s.parameter("Target", nephos::Parameter::string());
    let arn: Value<nephos::kinds::LambdaFunctionArn> =
        IntoValue::<nephos::kind::Str>::into_value(&target).cast();
    r.target_function(&mut s, &Function::from_arn_value(arn), EventTarget::new());
    assert!(s.synth().unwrap().json().get("Rules").is_none());
    // Two wirings to the same Region share one rule; a same-Region import is deployable.
    let mut s = Stack::new("Imp");
    let r = s.add("R", rule());
    r.target_function(
        &mut s,
        &Function::from_arn(HOME_FUNCTION).unwrap(),
        EventTarget::new(),
    );
    let t = s.add("T", Topic::new());
    t.subscribe_function(&mut s, &Function::from_arn(HOME_FUNCTION).unwrap());
    let json = s.synth().unwrap().json().clone();
    assert_eq!(
        json["Rules"].as_object().unwrap().len(),
        2,
        "{}",
        json["Rules"]
    );
    app_ok(s, "eu-west-1");
}

/// A FIFO topic delivers only to SQS queues, and neither S3 nor a CloudWatch alarm
/// publishes to one: each is refused as a function subscription is.
#[test]
fn fifo_topics_refuse_every_end_but_a_queue() {
    type Wire = fn(&mut Stack, &nephos::constructs::TopicRef);
    let cases: [(Wire, &str); 4] = [
        (
            |s, t| {
                t.subscribe_email(s, "a@example.com");
            },
            "cannot take the `email` subscription to `a@example.com`",
        ),
        (
            |s, t| {
                t.subscribe_https(s, "https://example.com/hook");
            },
            "cannot take the `https` subscription",
        ),
        (
            |s, t| {
                let b = s.add("B", Bucket::new());
                b.notify_topic(
                    s,
                    &[S3Event::ObjectCreated],
                    NotificationFilter::prefix("a/"),
                    t,
                );
            },
            "bucket `B` cannot notify it",
        ),
        (
            |s, t| {
                let f = function(s, "F");
                f.metric_errors()
                    .alarm(s, "Al", AlarmOptions::above(0.0))
                    .alarm_action(s, t)
                    .ok_action(s, t);
            },
            "alarm `Al` would publish to it with no message group",
        ),
    ];
    for (wire, says) in cases {
        let mut s = Stack::new("Fifo");
        let t = s.add("Ft", Topic::new().fifo());
        wire(&mut s, &t);
        let e = error(&s);
        assert!(
            e.contains("topic `Ft` is a FIFO topic") && e.contains(says),
            "{says}: {e}"
        );
        // The same wiring to a standard topic synthesizes.
        let mut s = Stack::new("Std");
        let t = s.add("St", Topic::new());
        wire(&mut s, &t);
        s.synth().unwrap_or_else(|e| panic!("{says}: {e}"));
    }
    // A queue is still a FIFO topic's subscriber.
    let mut s = Stack::new("Fifo");
    let t = s.add("Ft", Topic::new().fifo());
    let q = s.add("Q", Queue::new().fifo());
    t.subscribe_queue_with(
        &mut s,
        &q,
        nephos::constructs::SubscriptionOptions::new().raw_message_delivery(),
    );
    s.synth().unwrap();
}

/// The visibility-timeout check follows an alias to its function's timeout.
#[test]
fn a_queue_triggering_an_alias_is_checked_against_its_functions_timeout() {
    let build = |visibility: Option<u32>| {
        let mut s = Stack::new("Vis");
        let q = s.add(
            "Q",
            match visibility {
                Some(v) => Queue::new().visibility_timeout(v),
                None => Queue::new(),
            },
        );
        let w = s.add(
            "W",
            Function::new(Runtime::Python312, "index.handler", Code::inline("x")).timeout(300),
        );
        let v = w.version(&mut s);
        let live = w.alias(&mut s, Alias::new("live", &v));
        q.trigger(&mut s, &live, 10);
        s
    };
    let e = error(&build(None));
    assert!(
        e.contains("queue `Q` has a visibility timeout of 30 s, less than the 300 s timeout of function `W`"),
        "{e}"
    );
    build(Some(300)).synth().unwrap();
}

/// The rules the imports add are ones cfn-lint takes (the pseudo parameters in
/// `Fn::Equals`, the descriptions).
#[test]
fn the_import_rules_lint_clean() {
    let mut s = Stack::new("Imp");
    let r = s.add("R", rule());
    r.target_function(
        &mut s,
        &Function::from_arn(OTHER_ACCOUNT_FUNCTION).unwrap(),
        EventTarget::new(),
    );
    let f = function(&mut s, "Fn");
    Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs")
        .unwrap()
        .trigger_with(&mut s, &f, SqsTrigger::new(10));
    assert!(s.synth().unwrap().json().get("Rules").is_some());
    let findings = lint_support::findings(&[&s]);
    assert!(findings.is_empty(), "{findings:#?}");
}

/// Wirings to imports of two Regions (or, where the account counts, two accounts) give
/// rules that can never both hold: the stack would never deploy, so synth refuses it,
/// naming both wirings, whether or not the app knows the stack's Region.
#[test]
fn imports_needing_two_regions_or_two_accounts_are_refused() {
    let mut s = Stack::new("Imp");
    let r = s.add("R", rule());
    r.target_function(
        &mut s,
        &Function::from_arn(WEST2_FUNCTION).unwrap(),
        EventTarget::new(),
    );
    r.target_function(
        &mut s,
        &Function::from_arn(HOME_FUNCTION).unwrap(),
        EventTarget::new(),
    );
    let e = error(&s);
    assert!(
        e.contains("Region us-west-2")
            && e.contains("Region eu-west-1")
            && e.contains("one of the two always fails"),
        "{e}"
    );

    let mut s = Stack::new("Imp");
    let r = s.add("R", rule());
    r.target_function(
        &mut s,
        &Function::from_arn(OTHER_ACCOUNT_FUNCTION).unwrap(),
        EventTarget::new(),
    );
    let t = s.add("T", Topic::new());
    t.subscribe_function(&mut s, &Function::from_arn(HOME_FUNCTION).unwrap());
    let e = error(&s);
    assert!(
        e.contains("account 999999999999") && e.contains("account 123456789012"),
        "{e}"
    );
}

/// An HTTP API's SQS integration to a queue outside the stack sends to the queue's
/// Region: its `Region` request parameter is the queue's (API Gateway Developer Guide,
/// "Integration subtype reference"), so a queue of another Region is not refused and
/// asserts nothing. A queue of the stack needs no `Region`.
#[cfg(feature = "apigatewayv2")]
#[test]
fn an_http_sqs_integration_sends_to_the_imported_queues_region() {
    use nephos::constructs::{HttpApi, SqsSendMessage};
    let build = |queue: &dyn Fn(&mut Stack) -> SqsSendMessage| {
        let mut s = Stack::new("Imp");
        let api = s.add("Http", HttpApi::new("jobs"));
        let send = queue(&mut s);
        api.route_to(&mut s, "POST", "/jobs", send);
        s
    };
    let params = |s: &Stack| {
        s.synth().unwrap().json()["Resources"]["HttpJobsPostIntegration"]["Properties"]
            ["RequestParameters"]
            .clone()
    };
    let west2 = build(&|_| {
        SqsSendMessage::new(&Queue::from_arn("arn:aws:sqs:us-west-2:123456789012:jobs").unwrap())
    });
    assert_eq!(params(&west2)["Region"], "us-west-2");
    assert!(west2.synth().unwrap().json().get("Rules").is_none());
    app_ok(west2, "eu-west-1");
    // An ARN known at deploy: its fourth part.
    let given = build(&|s| {
        let arn = s.parameter("JobsArn", nephos::Parameter::string());
        let arn: Value<nephos::kinds::SqsQueueArn> =
            IntoValue::<nephos::kind::Str>::into_value(&arn).cast();
        SqsSendMessage::new(&Queue::from_arn_value(arn))
    });
    assert_eq!(
        params(&given)["Region"],
        json!({"Fn::Select": [3, {"Fn::Split": [":", {"Ref": "JobsArn"}]}]})
    );
    let own = build(&|s| SqsSendMessage::new(&s.add("Jobs", Queue::new())));
    assert!(params(&own).get("Region").is_none(), "{}", params(&own));
}

/// A Step Functions task reaches SQS and SNS only in the state machine's Region (Step
/// Functions Developer Guide, "Accessing resources in other AWS accounts in Step
/// Functions"): a queue or topic of another Region is refused where the app gives the
/// stack's Region, naming the state and the queue, and asserted in the template.
#[test]
fn a_state_machine_task_sending_to_another_regions_queue_is_refused() {
    use nephos::constructs::state_machine::{Definition, SnsPublish, SqsSendMessage, Task};
    let queue = "arn:aws:sqs:us-west-2:123456789012:jobs";
    let build = || {
        let mut s = Stack::new("Imp");
        let q = Queue::from_arn(queue).unwrap();
        let flow = Definition::new("Send").state("Send", Task::call(SqsSendMessage::new(&q)));
        s.add("Flow", StateMachine::new(flow));
        s
    };
    let e = app_error(build(), "eu-west-1");
    assert!(
        e.contains("state `Send` of state machine `Flow` sending to queue `arn:aws:sqs:us-west-2:")
            && e.contains("needs the stack in us-west-2")
            && e.contains("Step Functions"),
        "{e}"
    );
    app_ok(build(), "us-west-2");
    let rules = build().synth().unwrap().json()["Rules"].clone();
    assert_eq!(
        rules["ImportsRegionUsWest2"]["Assertions"][0]["Assert"],
        json!({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-west-2"]})
    );
    // The other messaging task: SNS `Publish`.
    let mut s = Stack::new("Imp");
    let t = Topic::from_arn("arn:aws:sns:us-west-2:123456789012:alerts").unwrap();
    let flow = Definition::new("Tell").state("Tell", Task::call(SnsPublish::new(&t)));
    s.add("Flow", StateMachine::new(flow));
    let e = app_error(s, "eu-west-1");
    assert!(
        e.contains("state `Tell` of state machine `Flow` sending to topic"),
        "{e}"
    );
}

/// A rule of the user's with the ID of the rule a wiring to an import adds would replace
/// it (or be replaced): refused in either order, naming the rule and the wiring.
#[test]
fn a_user_rule_with_an_import_rules_id_is_refused() {
    let user_rule =
        || nephos::Rule::new().assert(nephos::equals(nephos::aws::region(), "eu-west-1"), "mine");
    let wire = |s: &mut Stack| {
        let f = function(s, "Fn");
        Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs")
            .unwrap()
            .trigger_with(s, &f, SqsTrigger::new(10));
    };
    let mut first = Stack::new("Imp");
    first.rule("ImportsRegionEuWest1", user_rule());
    wire(&mut first);
    let mut after = Stack::new("Imp");
    wire(&mut after);
    after.rule("ImportsRegionEuWest1", user_rule());
    for s in [first, after] {
        let e = error(&s);
        assert!(
            e.contains("rule `ImportsRegionEuWest1` has the ID of the rule the event source mapping from queue")
                && e.contains("to function `Fn`"),
            "{e}"
        );
    }
}

/// The import rule's description names every wiring that needs it, sorted: wiring in
/// another order gives the same template.
#[test]
fn import_rules_do_not_depend_on_the_order_of_the_wirings() {
    let build = |swap: bool| {
        let mut s = Stack::new("Imp");
        let f = function(&mut s, "Fn");
        let r = s.add("R", rule());
        let queue = |s: &mut Stack| {
            Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs")
                .unwrap()
                .trigger_with(s, &f, SqsTrigger::new(10));
        };
        let target = |s: &mut Stack| {
            r.target_function(
                s,
                &Function::from_arn(HOME_FUNCTION).unwrap(),
                EventTarget::new(),
            );
        };
        if swap {
            target(&mut s);
            queue(&mut s);
        } else {
            queue(&mut s);
            target(&mut s);
        }
        s.synth().unwrap().to_json_pretty()
    };
    let (a, b) = (build(false), build(true));
    assert_eq!(a, b);
    assert!(a.contains("2 wirings"), "{a}");
}

/// A mapping to a hand-written `AWS::Lambda::Version` (published once, freezing the
/// function's configuration then) is checked against the function's timeout in the
/// template, and says so: in the error, and when it passes in a deferred note naming
/// the version (an earlier version may hold another timeout, which Lambda checks). The
/// construct's version, republished on every change, leaves no note.
#[test]
fn a_queue_triggering_a_hand_written_version_says_what_it_checked() {
    use nephos::{Handle, RawResource};
    let build = |visibility: u32| {
        let mut s = Stack::new("Vis");
        let q = s.add("Q", Queue::new().visibility_timeout(visibility));
        let w = s.add(
            "W",
            Function::new(Runtime::Python312, "index.handler", Code::inline("x")).timeout(300),
        );
        let name: Value<nephos::kind::Str> = w.resource_ref().ref_value();
        let v = s.add(
            "V",
            RawResource::new("AWS::Lambda::Version").property("FunctionName", name),
        );
        let arn: Value<nephos::kind::Str> = q.resource_ref().get_att("Arn");
        let qualified: Value<nephos::kind::Str> = v.ref_value();
        s.add(
            "Map",
            RawResource::new("AWS::Lambda::EventSourceMapping")
                .property("EventSourceArn", arn)
                .property("FunctionName", qualified),
        );
        s
    };
    let e = error(&build(30));
    assert!(
        e.contains("less than the 300 s timeout of function `W` it triggers (through version `V`"),
        "{e}"
    );
    let t = build(300).synth().unwrap();
    assert!(
        t.deferred()
            .iter()
            .any(|d| d.resource == "Map" && d.check.contains("version `V` froze")),
        "{:#?}",
        t.deferred()
    );
    // The construct's version: no note.
    let mut s = Stack::new("Vis");
    let q = s.add("Q", Queue::new().visibility_timeout(300));
    let w = s.add(
        "W",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")).timeout(300),
    );
    let v = w.version(&mut s);
    let live = w.alias(&mut s, Alias::new("live", &v));
    q.trigger(&mut s, &live, 10);
    let t = s.synth().unwrap();
    assert!(
        !t.deferred().iter().any(|d| d.check.contains("froze")),
        "{:#?}",
        t.deferred()
    );
}

/// A rule's `Targets` are sorted by `Id` (each target's logical ID): targeting two
/// functions in either order gives the same template.
#[test]
fn rule_targets_do_not_depend_on_the_order_of_the_calls() {
    let build = |swap: bool| {
        let mut s = Stack::new("Order");
        let r = s.add("R", rule());
        let a = function(&mut s, "Alpha");
        let b = function(&mut s, "Beta");
        let (first, second) = if swap { (&b, &a) } else { (&a, &b) };
        r.target_function(&mut s, first, EventTarget::new());
        r.target_function(&mut s, second, EventTarget::new());
        s.synth().unwrap()
    };
    let (a, b) = (build(false), build(true));
    assert_eq!(a.to_json_pretty(), b.to_json_pretty());
    let ids: Vec<&str> = a.json()["Resources"]["R"]["Properties"]["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["Id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["Alpha", "Beta"]);
}
