//! A log group's `KmsKeyId` takes only a key's ARN (its schema pattern is
//! `^arn:...:kms:...:(key|alias)/.+`), so a key's ID (what `kms::Key`'s `id()` gives) does
//! not fit, though the schema's `anyOf` lists it.
use nephos::Value;
use nephos::kinds::KmsKeyId;
use nephos::logs::LogGroup;

fn main() {
    let key_id = Value::<KmsKeyId>::literal("1234abcd-12ab-34cd-56ef-1234567890ab");
    let _ = LogGroup::new().kms_key_id(key_id);
}
