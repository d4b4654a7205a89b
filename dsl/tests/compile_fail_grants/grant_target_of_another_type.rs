//! A target is typed by its resource: a construct's queue target does not go to a topic
//! grant, and a generated bucket handle's target does not go to a table grant.
use nephos::Stack;
use nephos::constructs::grants::{self, Target};
use nephos::constructs::{Code, Function, Queue, Runtime};

fn main() {
    let mut stack = Stack::new("App");
    let f = stack.add("F", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    let q = stack.add("Q", Queue::new());
    grants::topic::publish(&mut stack, &f, &q.grant_target());
    let b = stack.add("B", nephos::s3::Bucket::new());
    grants::function::invoke(&mut stack, &f, &Target::from(&b));
}
