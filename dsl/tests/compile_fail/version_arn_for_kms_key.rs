//! A Lambda version's ARN converts into every kind a function's ARN does (a function's ARN
//! or name), and into nothing else: not a KMS key's ARN, ID or alias name.
use nephos::Stack;
use nephos::kinds::IamRoleArn;
use nephos::lambda::function::Code;
use nephos::lambda::{Function, Version};
use nephos::sqs::Queue;
use nephos::Value;

fn main() {
    let mut stack = Stack::new("App");
    let role = Value::<IamRoleArn>::literal("arn:aws:iam::123456789012:role/ops");
    let f = stack.add("Fn", Function::new(Code::new().zip_file("x"), role));
    let ver = stack.add("Ver", Version::new(f.arn()));
    let _ = Queue::new().kms_master_key_id(ver.function_arn());
}
