//! A bucket's `Arn` is read-only (CloudFormation reports it, never takes it): the bucket has
//! no setter for it, only its handle a getter.
use nephos::Stack;
use nephos::s3::Bucket;

fn main() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Assets", Bucket::new().arn("arn:aws:s3:::assets"));
    let _ = bucket.arn();
}
