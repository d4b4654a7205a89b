//! A property that takes any one of several resources' attributes takes their union kind:
//! a KMS key's ARN and an alias's name both go into an SQS queue's `KmsMasterKeyId`
//! (`KmsAliasNameOrKeyArnOrId`), land there as written, and the template passes cfn-lint.
//! Run with `--features kms` (SQS is a default service).
#![cfg(all(feature = "kms", feature = "sqs"))]

use nephos::kind::Str;
use nephos::kinds::{KmsAliasNameOrKeyArnOrId, KmsKeyArn, KmsKeyArnOrId};
use nephos::{IntoValue, Output, Param, Stack, Value};
use serde_json::json;

mod roundtrip_support;

fn queues_encrypted_by_key_and_by_alias(stack: &mut Stack, _text: &Param<Str>) {
    let key = stack.add("Key", nephos::kms::Key::new().description("queues"));
    let alias = stack.add(
        "KeyAlias",
        nephos::kms::Alias::new("alias/queues", key.arn()),
    );
    stack.add(
        "ByKeyArn",
        nephos::sqs::Queue::new().kms_master_key_id(key.arn()),
    );
    stack.add(
        "ByAliasName",
        nephos::sqs::Queue::new().kms_master_key_id(alias.name()),
    );
    // A borrowed member value converts too, and stays usable.
    let key_id = key.id();
    stack.add(
        "ByKeyId",
        nephos::sqs::Queue::new().kms_master_key_id(&key_id),
    );
    stack.output("KeyId", Output::new(key_id));
}

#[test]
fn a_key_arn_and_an_alias_name_go_into_the_same_property() {
    let mut stack = Stack::new("App");
    let text = stack.parameter("Text", nephos::Parameter::string());
    queues_encrypted_by_key_and_by_alias(&mut stack, &text);
    let template = stack.synth().expect("synthesizes");
    let resources = &template.json()["Resources"];
    assert_eq!(
        resources["ByKeyArn"]["Properties"]["KmsMasterKeyId"],
        json!({"Fn::GetAtt": ["Key", "Arn"]})
    );
    assert_eq!(
        resources["ByAliasName"]["Properties"]["KmsMasterKeyId"],
        json!({"Ref": "KeyAlias"})
    );
    assert_eq!(
        resources["ByKeyId"]["Properties"]["KmsMasterKeyId"],
        json!({"Ref": "Key"})
    );
}

#[test]
fn a_smaller_union_and_a_literal_go_in_too() {
    // A key's ARN or ID (RDS's `KmsKeyId`) is also a key's ARN, ID or alias name.
    let arn_or_id: Value<KmsKeyArnOrId> =
        Value::<KmsKeyArn>::literal("arn:aws:kms:eu-west-1:123456789012:key/1").into();
    let any: Value<KmsAliasNameOrKeyArnOrId> = arn_or_id.into_value();
    assert_eq!(
        any.to_json(),
        json!("arn:aws:kms:eu-west-1:123456789012:key/1")
    );
    // An alias ARN belongs to no resource attribute: a literal of the union.
    let alias_arn = Value::<KmsAliasNameOrKeyArnOrId>::literal(
        "arn:aws:kms:eu-west-1:123456789012:alias/queues",
    );
    let queue = nephos::sqs::Queue::new().kms_master_key_id(alias_arn);
    let mut stack = Stack::new("App");
    stack.add("Queue", queue);
    let template = stack.synth().expect("synthesizes");
    assert_eq!(
        template.json()["Resources"]["Queue"]["Properties"]["KmsMasterKeyId"],
        json!("arn:aws:kms:eu-west-1:123456789012:alias/queues")
    );
}

#[test]
fn queues_encrypted_by_key_and_by_alias_pass_cfn_lint() {
    roundtrip_support::run(&[(
        "Nephos::Proof::UnionKinds",
        queues_encrypted_by_key_and_by_alias,
    )]);
}
