//! A bucket's name is not a role's ARN.
use nephos::Stack;
use nephos::lambda::{Function, function::Code};
use nephos::s3::Bucket;

fn main() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Assets", Bucket::new());
    let _ = Function::new(Code::new(), bucket.name());
}
