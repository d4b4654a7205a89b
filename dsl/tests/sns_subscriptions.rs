//! SNS subscriptions with options: typed filter policies (every operator, the scope,
//! SNS's limits) and dead-letter queues (redrive policy, queue policy, dependencies).

use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::{
    Code, FilterMatch, FilterPolicy, FilterPolicyScope, Function, NumericOp, Queue, Runtime,
    SubscriptionOptions, Topic,
};
use serde_json::json;

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

#[test]
fn every_operator_renders_as_sns_takes_it() {
    let p = FilterPolicy::new(FilterPolicyScope::MessageAttributes)
        .key(
            "kind",
            [
                FilterMatch::exact("order"),
                FilterMatch::prefix("refund_"),
                FilterMatch::suffix("_v2"),
                FilterMatch::EqualsIgnoreCase("Gift".into()),
            ],
        )
        .key(
            "status",
            [
                FilterMatch::anything_but(["test"]),
                FilterMatch::AnythingButPrefix("tmp".into()),
            ],
        )
        .key(
            "amount",
            [
                FilterMatch::Number(5.0),
                FilterMatch::Numeric(vec![(NumericOp::Gt, 10.0), (NumericOp::Le, 20.0)]),
                FilterMatch::Numeric(vec![(NumericOp::Eq, 30.5)]),
            ],
        )
        .key("trace", [FilterMatch::Exists(true)])
        .key("source_ip", [FilterMatch::Cidr("10.0.0.0/24".into())]);
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    assert_eq!(
        p.to_json(),
        json!({
            "amount": [5.0, {"numeric": [">", 10.0, "<=", 20.0]}, {"numeric": ["=", 30.5]}],
            "kind": ["order", {"prefix": "refund_"}, {"suffix": "_v2"}, {"equals-ignore-case": "Gift"}],
            "source_ip": [{"cidr": "10.0.0.0/24"}],
            "status": [{"anything-but": ["test"]}, {"anything-but": {"prefix": "tmp"}}],
            "trace": [{"exists": true}]
        })
    );
}

#[test]
fn body_policies_nest_their_paths() {
    let p = FilterPolicy::new(FilterPolicyScope::MessageBody)
        .path(["store", "city"], [FilterMatch::exact("Lisbon")])
        .path(["store", "open"], [FilterMatch::Exists(true)]);
    assert!(p.problems().is_empty());
    assert_eq!(
        p.to_json(),
        json!({"store": {"city": ["Lisbon"], "open": [{"exists": true}]}})
    );
}

#[test]
fn limits_sns_enforces_are_problems() {
    let six = (0..6).fold(
        FilterPolicy::new(FilterPolicyScope::MessageAttributes),
        |p, i| p.key(format!("k{i}"), [FilterMatch::exact("v")]),
    );
    assert!(six.problems().join(";").contains("6 keys"));
    let wide = FilterPolicy::new(FilterPolicyScope::MessageAttributes)
        .key("a", (0..13).map(|i| FilterMatch::exact(format!("{i}"))))
        .key("b", (0..12).map(|i| FilterMatch::exact(format!("{i}"))));
    assert!(wide.problems().join(";").contains("156 ways"));
    let nested = FilterPolicy::new(FilterPolicyScope::MessageAttributes)
        .path(["a", "b"], [FilterMatch::exact("v")]);
    assert!(nested.problems().join(";").contains("does not nest"));
    let big = FilterPolicy::new(FilterPolicyScope::MessageAttributes)
        .key("n", [FilterMatch::Number(2e9)]);
    assert!(big.problems().join(";").contains("outside"));
    let empty = FilterPolicy::new(FilterPolicyScope::MessageAttributes).key("n", []);
    assert!(empty.problems().join(";").contains("no value"));
    assert!(
        FilterPolicy::new(FilterPolicyScope::MessageBody)
            .problems()
            .join(";")
            .contains("no key")
    );
    let clash = FilterPolicy::new(FilterPolicyScope::MessageBody)
        .key("a", [FilterMatch::exact("x")])
        .path(["a", "b"], [FilterMatch::exact("y")]);
    assert!(
        clash
            .problems()
            .join(";")
            .contains("both matched and nested")
    );
}

#[test]
fn queue_subscription_with_filter_and_dead_letter_queue() {
    let mut stack = Stack::new("App");
    let topic = stack.add("Orders", Topic::new());
    let dlq = stack.add("Undelivered", Queue::new());
    let q = stack.add("Refunds", Queue::new());
    topic.subscribe_queue_with(
        &mut stack,
        &q,
        SubscriptionOptions::new()
            .raw_message_delivery()
            .filter(
                FilterPolicy::new(FilterPolicyScope::MessageAttributes)
                    .key("kind", [FilterMatch::exact("refund")]),
            )
            .dead_letter_queue(&dlq),
    );
    let a = Assertions::from_stack(&stack);
    a.assert_no_cycles();
    let j = a.json();
    assert_eq!(
        j["Resources"]["OrdersRefundsSubscription"]["Properties"],
        json!({
            "Endpoint": {"Fn::GetAtt": ["Refunds", "Arn"]},
            "FilterPolicy": {"kind": ["refund"]},
            "FilterPolicyScope": "MessageAttributes",
            "Protocol": "sqs",
            "RawMessageDelivery": true,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Undelivered", "Arn"]}},
            "TopicArn": {"Ref": "Orders"}
        })
    );
    // The dead-letter queue lets the topic, and only it, send to it.
    let policy = &j["Resources"]["UndeliveredPolicy"]["Properties"];
    assert_eq!(policy["Queues"], json!([{"Ref": "Undelivered"}]));
    assert_eq!(
        policy["PolicyDocument"]["Statement"],
        json!([{
            "Action": ["sqs:SendMessage"],
            "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": "Orders"}}},
            "Effect": "Allow",
            "Principal": {"Service": ["sns.amazonaws.com"]},
            "Resource": [{"Fn::GetAtt": ["Undelivered", "Arn"]}]
        }])
    );
    let deps = a.dependencies_of("OrdersRefundsSubscription");
    assert!(
        deps.contains(&"RefundsPolicy".to_string())
            && deps.contains(&"UndeliveredPolicy".to_string()),
        "{deps:?}"
    );
}

#[test]
fn function_subscription_with_filter_and_dlq_and_raw_refused() {
    let mut stack = Stack::new("App");
    let topic = stack.add("Orders", Topic::new());
    let dlq = stack.add("Undelivered", Queue::new());
    let f = stack.add(
        "Mailer",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    topic.subscribe_function_with(
        &mut stack,
        &f,
        SubscriptionOptions::new()
            .filter(
                FilterPolicy::new(FilterPolicyScope::MessageBody)
                    .path(["customer", "tier"], [FilterMatch::exact("gold")]),
            )
            .dead_letter_queue(&dlq),
    );
    let j = Assertions::from_stack(&stack).json().clone();
    let s = &j["Resources"]["OrdersMailerSubscription"]["Properties"];
    assert_eq!(s["FilterPolicyScope"], "MessageBody");
    assert_eq!(s["FilterPolicy"], json!({"customer": {"tier": ["gold"]}}));
    assert!(j["Resources"]["MailerOrdersPermission"].is_object());

    let mut stack = Stack::new("App");
    let topic = stack.add("Orders", Topic::new());
    let f = stack.add(
        "Mailer",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    topic.subscribe_function_with(
        &mut stack,
        &f,
        SubscriptionOptions::new().raw_message_delivery(),
    );
    assert!(errors(&stack).contains("RawMessageDelivery"));
}

#[test]
fn an_invalid_policy_or_a_dlq_of_the_wrong_type_is_a_synth_error() {
    let mut stack = Stack::new("App");
    let topic = stack.add("Orders", Topic::new());
    let q = stack.add("Refunds", Queue::new());
    let fifo_dlq = stack.add("Undelivered", Queue::new().fifo());
    topic.subscribe_queue_with(
        &mut stack,
        &q,
        SubscriptionOptions::new()
            .filter(
                FilterPolicy::new(FilterPolicyScope::MessageAttributes)
                    .path(["a", "b"], [FilterMatch::exact("v")]),
            )
            .dead_letter_queue(&fifo_dlq),
    );
    let e = errors(&stack);
    assert!(
        e.contains("OrdersRefundsSubscription") && e.contains("FilterPolicy"),
        "{e}"
    );
    assert!(
        e.contains("dead-letter queue") && e.contains("Undelivered"),
        "{e}"
    );
}
