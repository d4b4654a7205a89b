//! A queue grant takes a queue's ARN: a topic's ARN given by ARN does not compile
//! (the policy would allow `sqs:SendMessage` on a topic, which allows nothing).
use nephos::Stack;
use nephos::constructs::grants::{self, Target};
use nephos::constructs::{Code, Function, Runtime};

fn main() {
    let mut stack = Stack::new("App");
    let f = stack.add("F", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    let topic = stack.add("T", nephos::sns::Topic::new());
    grants::queue::send(&mut stack, &f, &Target::by_arn("queue", topic.arn()));
}
