//! An imported queue's policy cannot be changed here, so a topic cannot subscribe it
//! (the subscription needs a statement letting the topic send).
use nephos::Stack;
use nephos::constructs::{Queue, Topic};

fn main() {
    let mut stack = Stack::new("App");
    let topic = stack.add("Orders", Topic::new());
    let jobs = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs").unwrap();
    topic.subscribe_queue_with(
        &mut stack,
        &jobs,
        nephos::constructs::SubscriptionOptions::new().raw_message_delivery(),
    );
}
