//! A bucket has no stream ARN (a DynamoDB table does).
use nephos::Stack;
use nephos::s3::Bucket;

fn main() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Assets", Bucket::new());
    let _ = bucket.stream_arn();
}
