//! Event source mappings checked against the function and source they join
//! (`synth/mappings.rs`): the SQS mappings' maximum concurrency against the function's
//! reserved concurrency (summed over the function's mappings, through aliases too), a
//! reserved concurrency of 0 under an enabled mapping, and a DynamoDB stream filter on an
//! image the table's stream view does not carry. Each check also reaches mappings built
//! from the generated type.

use nephos::Stack;
use nephos::constructs::wiring::sqs::SqsTrigger;
use nephos::constructs::{
    Alias, Code, Function, FunctionRef, Key, Match, Queue, QueueRef, Runtime, StartingPosition,
    StreamTrigger, StreamView, Table, wiring::record_filter::RecordFilter,
};
use serde_json::json;

fn worker(stack: &mut Stack, reserved: Option<i64>) -> FunctionRef {
    let mut f = Function::new(Runtime::Python312, "index.handler", Code::inline("x")).timeout(30);
    if let Some(r) = reserved {
        f = f.reserved_concurrency(r);
    }
    stack.add("W", f)
}

fn queue(stack: &mut Stack, id: &str) -> QueueRef {
    stack.add(id, Queue::new().visibility_timeout(180))
}

fn errors(stack: &Stack) -> String {
    match stack.synth() {
        Ok(_) => String::new(),
        Err(e) => e
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn sqs_max_concurrency_above_reserved_is_refused() {
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, Some(2));
    let q = queue(&mut stack, "Q");
    q.trigger_with(&mut stack, &w, SqsTrigger::new(10).max_concurrency(50));
    let e = errors(&stack);
    assert!(
        e.contains("function `W` has a reserved concurrency of 2, below the 50 concurrent invocations its SQS mapping(s) `WQTrigger`"),
        "{e}"
    );
}

#[test]
fn sqs_max_concurrency_is_summed_over_the_functions_mappings_and_aliases() {
    // 5 + 5 = 10 > 8 (one through an alias): each alone would fit.
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, Some(8));
    let v = w.version(&mut stack);
    let live = w.alias(&mut stack, Alias::new("live", &v));
    let a = queue(&mut stack, "A");
    let b = queue(&mut stack, "B");
    a.trigger_with(&mut stack, &w, SqsTrigger::new(10).max_concurrency(5));
    b.trigger_with(&mut stack, &live, SqsTrigger::new(10).max_concurrency(5));
    let e = errors(&stack);
    assert!(e.contains("below the 10 concurrent invocations"), "{e}");
    assert!(e.contains("`WATrigger`") && e.contains("Trigger`"), "{e}");

    // At the reservation exactly: accepted.
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, Some(10));
    let a = queue(&mut stack, "A");
    let b = queue(&mut stack, "B");
    a.trigger_with(&mut stack, &w, SqsTrigger::new(10).max_concurrency(5));
    b.trigger_with(&mut stack, &w, SqsTrigger::new(10).max_concurrency(5));
    stack.synth().unwrap();

    // No reservation: nothing to compare with.
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, None);
    let a = queue(&mut stack, "A");
    a.trigger_with(&mut stack, &w, SqsTrigger::new(10).max_concurrency(500));
    stack.synth().unwrap();
}

#[test]
fn a_mapping_to_a_function_reserved_at_zero_is_refused_unless_disabled() {
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, Some(0));
    let q = queue(&mut stack, "Q");
    q.trigger(&mut stack, &w, 10);
    let e = errors(&stack);
    assert!(
        e.contains("function `W` has a reserved concurrency of 0, so Lambda never invokes it, yet event source mapping(s) `WQTrigger`"),
        "{e}"
    );

    // A stream mapping too.
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, Some(0));
    let t = stack.add(
        "T",
        Table::new(Key::string("pk")).stream(StreamView::NewImage),
    );
    t.stream_to(&mut stack, &w, StreamTrigger::new(StartingPosition::Latest));
    assert!(errors(&stack).contains("reserved concurrency of 0"));

    // Paused (the way to stop one): accepted.
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, Some(0));
    let q = queue(&mut stack, "Q");
    let m = q.trigger(&mut stack, &w, 10);
    stack
        .resource(&m)
        .override_property("Enabled", json!(false));
    stack.synth().unwrap();
}

#[test]
fn a_generated_mapping_is_checked_too() {
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, Some(3));
    let q = queue(&mut stack, "Q");
    stack.add(
        "Raw",
        nephos::lambda::EventSourceMapping::new(w.name())
            .event_source_arn(q.arn())
            .scaling_config(
                nephos::lambda::event_source_mapping::ScalingConfig::new().maximum_concurrency(4),
            ),
    );
    let e = errors(&stack);
    assert!(e.contains("reserved concurrency of 3, below the 4"), "{e}");
}

fn table_with_filter(view: StreamView, filter: serde_json::Value) -> String {
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, None);
    let t = stack.add("T", Table::new(Key::string("pk")).stream(view));
    t.stream_to(
        &mut stack,
        &w,
        StreamTrigger::new(StartingPosition::Latest).filter(filter),
    );
    errors(&stack)
}

#[test]
fn a_stream_filter_on_an_image_the_view_lacks_is_refused() {
    let new_paid = json!({"dynamodb": {"NewImage": {"status": {"S": ["PAID"]}}}});
    let old_paid = json!({"dynamodb": {"OldImage": {"status": {"S": ["PAID"]}}}});
    let e = table_with_filter(StreamView::KeysOnly, new_paid.clone());
    assert!(
        e.contains("filter 1 needs `dynamodb.NewImage`, which the stream of table `T` (view `KEYS_ONLY`) never carries"),
        "{e}"
    );
    assert!(
        table_with_filter(StreamView::NewImage, old_paid.clone()).contains("`dynamodb.OldImage`")
    );
    assert!(
        table_with_filter(StreamView::OldImage, new_paid.clone()).contains("`dynamodb.NewImage`")
    );
    // Branches of `$or` that all need the image.
    assert!(
        table_with_filter(
            StreamView::KeysOnly,
            json!({"$or": [new_paid.clone(), old_paid.clone()]})
        )
        .contains("never carries")
    );

    // Views that carry the image, and filters an absent image satisfies: accepted.
    assert_eq!(
        table_with_filter(StreamView::NewImage, new_paid.clone()),
        ""
    );
    assert_eq!(table_with_filter(StreamView::NewAndOldImages, old_paid), "");
    assert_eq!(
        table_with_filter(
            StreamView::KeysOnly,
            json!({"dynamodb": {"NewImage": {"status": [{"exists": false}]}}})
        ),
        ""
    );
    assert_eq!(
        table_with_filter(
            StreamView::KeysOnly,
            json!({"$or": [new_paid, {"eventName": ["REMOVE"]}]})
        ),
        ""
    );

    // The typed filter too.
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, None);
    let t = stack.add(
        "T",
        Table::new(Key::string("pk")).stream(StreamView::KeysOnly),
    );
    t.stream_to(
        &mut stack,
        &w,
        StreamTrigger::new(StartingPosition::Latest)
            .filter_by(RecordFilter::new().field("dynamodb.OldImage.s.S", Match::exact("x"))),
    );
    assert!(errors(&stack).contains("`dynamodb.OldImage`"));
}

/// A Lambda event filter's pattern is a string of literal JSON: a matcher computed at
/// deploy (which a rule's pattern takes) is refused, naming the field.
#[test]
fn a_lambda_filter_takes_literal_values_only() {
    let mut stack = Stack::new("App");
    let w = worker(&mut stack, None);
    let q = queue(&mut stack, "Q");
    q.trigger_with(
        &mut stack,
        &w,
        SqsTrigger::new(10).filter(RecordFilter::new().body("queue", Match::exact(q.arn()))),
    );
    let e = errors(&stack);
    assert!(
        e.contains("the filter holds values computed at deploy (`body.queue`)"),
        "{e}"
    );
}
