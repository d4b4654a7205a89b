//! A plain string is no role ARN: the error says how to write one (`Value::literal`) or to
//! convert a value that is one (`cast`).
use nephos::Stack;
use nephos::lambda::{Function, function::Code};

fn main() {
    let _stack = Stack::new("App");
    let _ = Function::new(Code::new(), "arn:aws:iam::123456789012:role/ops");
}
