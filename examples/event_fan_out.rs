//! Event-driven fan-out: one topic of order events, three consumers, each receiving only
//! the events its filter policy selects, each processing its queue with partial batch
//! responses.
//!
//! - Billing takes placed and refunded orders of at least 1 cent (message attributes
//!   `kind` and `amount_cents`).
//! - Shipping takes placed orders to ship to a country other than the test market
//!   (`kind`, and `ship_to` with `anything-but`).
//! - Audit takes every event whose `kind` starts with `order_`, in the message body
//!   (`FilterPolicyScope::MessageBody`).
//!
//! Every subscription has a dead-letter queue for messages SNS could not deliver (its
//! queue policy lets only this topic send); every work queue has its own dead-letter
//! queue for messages the worker kept failing (three receives). The workers return the
//! IDs of the records they failed (`batchItemFailures`), so only those are retried.
//!
//! Run: `cargo run --example event_fan_out`.

use std::process::ExitCode;

use nephos::constructs::{
    Code, FilterMatch, FilterPolicy, FilterPolicyScope, Function, Queue, Runtime, SqsTrigger,
    SubscriptionOptions, Topic, Tracing,
};
use nephos::{App, Output, Stack, StackSettings};

/// A worker that reports the records it could not process.
const WORKER: &str = "import json\n\ndef handler(event, context):\n    failed = []\n    for record in event['Records']:\n        try:\n            json.loads(record['body'])\n        except ValueError:\n            failed.append({'itemIdentifier': record['messageId']})\n    return {'batchItemFailures': failed}\n";

/// The consumers and what each one receives.
fn consumers() -> Vec<(&'static str, FilterPolicy)> {
    vec![
        (
            "Billing",
            FilterPolicy::new(FilterPolicyScope::MessageAttributes)
                .key(
                    "kind",
                    [
                        FilterMatch::exact("order_placed"),
                        FilterMatch::exact("order_refunded"),
                    ],
                )
                .key("amount_cents", [FilterMatch::between(1.0, 1e9)]),
        ),
        (
            "Shipping",
            FilterPolicy::new(FilterPolicyScope::MessageAttributes)
                .key("kind", [FilterMatch::exact("order_placed")])
                .key("ship_to", [FilterMatch::anything_but(["XX"])]),
        ),
        (
            "Audit",
            FilterPolicy::new(FilterPolicyScope::MessageBody)
                .key("kind", [FilterMatch::prefix("order_")]),
        ),
    ]
}

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("EventFanOut");
    stack.description("Order events fanned out by filter policy to billing, shipping and audit");
    let orders = stack.add("OrderEvents", Topic::new().display_name("Order events"));
    // Messages SNS could not deliver to any subscription, kept two weeks.
    let undelivered = stack.add(
        "UndeliveredEvents",
        Queue::new().retention_seconds(1_209_600),
    );

    for (consumer, filter) in consumers() {
        let dead_letters = stack.add(
            &format!("{consumer}DeadLetters"),
            Queue::new().retention_seconds(1_209_600),
        );
        let queue = stack.add(
            &format!("{consumer}Queue"),
            Queue::new()
                .visibility_timeout(180)
                .dead_letter_queue(&dead_letters, 3),
        );
        orders.subscribe_queue_with(
            &mut stack,
            &queue,
            SubscriptionOptions::new()
                .raw_message_delivery()
                .filter(filter)
                .dead_letter_queue(&undelivered),
        );
        let worker = stack.add(
            &format!("{consumer}Worker"),
            Function::new(Runtime::Python312, "index.handler", Code::inline(WORKER))
                .timeout(30)
                .tracing(Tracing::Active),
        );
        queue.trigger_with(
            &mut stack,
            &worker,
            SqsTrigger::new(10).report_batch_item_failures(),
        );
        stack.output(
            &format!("{consumer}DeadLetterUrl"),
            Output::new(dead_letters.url()),
        );
    }
    stack.output("UndeliveredUrl", Output::new(undelivered.url()));
    stack.output("OrderEventsArn", Output::new(orders.arn()));
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("event-fan-out"));
    app
}

fn main() -> ExitCode {
    app().run()
}
