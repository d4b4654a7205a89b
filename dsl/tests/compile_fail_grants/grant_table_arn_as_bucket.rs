//! A bucket grant takes a bucket's ARN: a table's ARN does not compile, nor does a
//! function's as a stream, nor a queue's URL as a function.
use nephos::Stack;
use nephos::constructs::grants::{self, Target};
use nephos::constructs::{Code, Function, Runtime};

fn main() {
    let mut stack = Stack::new("App");
    let f = stack.add("F", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    let table = stack.add("Tbl", nephos::dynamodb::Table::new(Vec::<nephos::dynamodb::table::KeySchema>::new()));
    let q = stack.add("Q", nephos::sqs::Queue::new());
    grants::bucket::read(&mut stack, &f, &Target::by_arn("bucket", table.arn()));
    grants::kinesis::read(&mut stack, &f, &Target::by_arn("stream", f.arn()));
    grants::function::invoke(&mut stack, &f, &Target::by_arn("function", q.url()));
}
