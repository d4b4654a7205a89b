//! A redrive policy names its dead-letter queue by ARN (`deadLetterTargetArn`, any
//! resource's ARN: `AnyArn`): the queue's URL (its `Ref`) or its name does not compile
//! there, though both are strings; `dlq.arn()` does (tests/redrive_and_concurrency.rs).
use nephos::constructs::Queue;
use nephos::{Stack, sqs};

fn main() {
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new());
    let _ = sqs::queue::RedrivePolicy::new()
        .dead_letter_target_arn(dlq.url())
        .max_receive_count(3);
    let _ = sqs::queue::RedrivePolicy::new()
        .dead_letter_target_arn(dlq.name())
        .max_receive_count(3);
}
