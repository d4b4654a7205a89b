//! Fan-out: one topic delivers every order event to two queues, each consumed by its
//! own function, each with a dead-letter queue for messages that keep failing.
//!
//! Shows topic-to-queue subscriptions (each queue's policy lets only this topic send),
//! queue-to-function event source mappings with their consume grants, and dead-letter
//! queues. A failing message is retried three times, then parked.
//!
//! Run: `cargo run --example fan_out`.

use std::process::ExitCode;

use nephos::constructs::{Code, Function, Queue, Runtime, SubscriptionOptions, Topic};
use nephos::{App, Output, Stack, StackSettings};

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("FanOut");
    stack.description("Order events fanned out to billing and shipping workers");
    let orders = stack.add("OrderEvents", Topic::new().display_name("Order events"));

    for consumer in ["Billing", "Shipping"] {
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
            SubscriptionOptions::new().raw_message_delivery(),
        );
        let worker = stack.add(
            &format!("{consumer}Worker"),
            Function::new(
                Runtime::Python312,
                "index.handler",
                Code::inline("def handler(event, context):\n    return [r['messageId'] for r in event['Records']]\n"),
            )
            .timeout(30),
        );
        queue.trigger(&mut stack, &worker, 10);
        stack.output(
            &format!("{consumer}DeadLetterUrl"),
            Output::new(dead_letters.url()),
        );
    }
    stack.output(
        "OrderEventsArn",
        Output::new(orders.arn()).export("fan-out-order-events"),
    );
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("fan-out"));
    app
}

fn main() -> ExitCode {
    app().run()
}
