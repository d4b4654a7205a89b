//! An event bus's `KmsKeyIdentifier` takes a KMS key's ARN or ID or an alias name
//! (EventBridge API: "the key ARN, KeyId, key alias, or key alias ARN"); it was a plain
//! string, so a bucket's name compiled there and EventBridge refused the key on create.
use nephos::Stack;
use nephos::events::EventBus;
use nephos::s3::Bucket;

fn main() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Bucket", Bucket::new());
    let _ = EventBus::new("orders").kms_key_identifier(bucket.name());
}
