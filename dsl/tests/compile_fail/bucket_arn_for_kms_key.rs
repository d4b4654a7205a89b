//! A bucket's ARN is none of a KMS key's ARN, its ID or an alias name.
use nephos::Stack;
use nephos::s3::Bucket;
use nephos::sqs::Queue;

fn main() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Bucket", Bucket::new());
    let _ = Queue::new().kms_master_key_id(bucket.arn());
}
