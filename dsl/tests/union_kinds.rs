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

#[cfg(any(feature = "ec2", feature = "cognito"))]
fn synth_errors(stack: &Stack) -> Vec<String> {
    let d: Vec<nephos::Diagnostic> = match stack.synth() {
        Ok(t) => t.warnings().to_vec(),
        Err(e) => e.diagnostics,
    };
    d.iter()
        .filter(|d| d.severity == nephos::Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

/// A published version's ARN is the function's qualified ARN (the reviewed widening in
/// `kind_corrections.json`), so it goes wherever a function's ARN or name does: a
/// permission and an event source mapping (`LambdaFunctionArnOrName`), not only where a
/// bare `LambdaFunctionArn` is taken (atk13 F4).
#[test]
fn a_version_arn_goes_where_a_function_arn_or_name_does() {
    let mut stack = Stack::new("App");
    let role = Value::<nephos::kinds::IamRoleArn>::literal("arn:aws:iam::123456789012:role/ops");
    let f = stack.add(
        "Fn",
        nephos::lambda::Function::new(
            nephos::lambda::function::Code::new().zip_file("exports.handler = async () => {}"),
            role,
        ),
    );
    let ver = stack.add("Ver", nephos::lambda::Version::new(f.arn()));
    stack.add(
        "Allow",
        nephos::lambda::Permission::new(
            "lambda:InvokeFunction",
            ver.function_arn(),
            "events.amazonaws.com",
        ),
    );
    let queue = stack.add("Queue", nephos::sqs::Queue::new());
    stack.add(
        "Source",
        nephos::lambda::EventSourceMapping::new(ver.function_arn()).event_source_arn(queue.arn()),
    );
    let template = stack.synth().expect("synthesizes");
    let resources = &template.json()["Resources"];
    assert_eq!(
        resources["Allow"]["Properties"]["FunctionName"],
        json!({"Ref": "Ver"})
    );
    assert_eq!(
        resources["Source"]["Properties"]["FunctionName"],
        json!({"Ref": "Ver"})
    );
}

/// A subnet ID literal that is a security group's, on a property without a pattern of its
/// own (`Instance.SubnetId`), is refused by the shape the properties taking subnet IDs
/// agree on (`^subnet-`); a KMS key ARN literal of another service by the service segment
/// they agree on (atk13 F6).
#[cfg(feature = "ec2")]
#[test]
fn literals_of_another_resource_are_refused_by_the_shape_the_properties_agree_on() {
    use nephos::kinds::{Ec2SecurityGroupId, Ec2SubnetId};
    let mut stack = Stack::new("App");
    stack.add(
        "Bad",
        nephos::ec2::Instance::new()
            .subnet_id(Value::<Ec2SubnetId>::literal("sg-0123456789abcdef0"))
            .security_group_ids([Value::<Ec2SecurityGroupId>::literal("subnet-0123abcd")]),
    );
    stack.add(
        "Queue",
        nephos::sqs::Queue::new().kms_master_key_id(Value::<KmsKeyArn>::literal("arn:aws:s3:::b")),
    );
    let e = synth_errors(&stack);
    let about = |what: &str| e.iter().filter(|m| m.contains(what)).count();
    assert_eq!(
        about("`Value::<Ec2SubnetId>::literal(\"sg-0123456789abcdef0\")`"),
        1,
        "{e:?}"
    );
    assert_eq!(
        about("`Value::<Ec2SecurityGroupId>::literal(\"subnet-0123abcd\")`"),
        1,
        "{e:?}"
    );
    assert_eq!(
        about(
            "`AWS::KMS::Key.Arn` is an ARN of `kms`, `arn:partition:kms:region:account-id:key/...`"
        ),
        1,
        "{e:?}"
    );

    let mut good = Stack::new("App");
    good.add(
        "Good",
        nephos::ec2::Instance::new()
            .subnet_id(Value::<Ec2SubnetId>::literal("subnet-0123456789abcdef0"))
            .security_group_ids([Value::<Ec2SecurityGroupId>::literal("sg-0123abcd")]),
    );
    good.add(
        "Queue",
        nephos::sqs::Queue::new().kms_master_key_id(Value::<KmsKeyArn>::literal(
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        )),
    );
    let e = synth_errors(&good);
    assert!(e.is_empty(), "{e:?}");
}

/// The certificate kind is named after `AWS::CertificateManager::Certificate`, whose `Ref`
/// it is; the name the registry's format spelled is a deprecated alias of it (atk13 F7).
#[cfg(feature = "certificatemanager")]
#[test]
fn the_certificate_kind_is_named_after_its_resource_type() {
    use nephos::kind::Kind;
    use nephos::kinds::CertificateManagerCertificateArn;
    let mut stack = Stack::new("App");
    let cert = stack.add(
        "Cert",
        nephos::certificatemanager::Certificate::new("example.com"),
    );
    let arn: Value<CertificateManagerCertificateArn> = cert.arn();
    #[allow(deprecated)]
    let old: Value<nephos::kinds::AcmCertificateArn> = arn.clone();
    assert_eq!(old.to_json(), json!({"Ref": "Cert"}));
    assert_eq!(
        CertificateManagerCertificateArn::NAME,
        "AWS::ACM::Certificate.Arn"
    );
}

/// Cognito's `LambdaConfig.KMSKeyID` names no resource kind, but its pattern admits ARNs
/// only, so it takes `AnyArn` and a key's ID does not compile there (atk13c A). Cast past
/// the type anyway, a KMS key's `Ref` (its key ID) is never an ARN, so synth still refuses
/// it, naming the key and its kind, instead of deferring the pattern to CloudFormation
/// (atk13 F3). The key's ARN passes.
#[cfg(feature = "cognito")]
#[test]
fn a_key_id_where_the_pattern_requires_an_arn_is_refused_at_synth() {
    use nephos::cognito::user_pool::LambdaConfig;
    let mut stack = Stack::new("App");
    let key = stack.add("Key", nephos::kms::Key::new());
    stack.add(
        "Pool",
        nephos::cognito::UserPool::new()
            .lambda_config(LambdaConfig::new().kms_key_id(key.id().cast::<nephos::kind::AnyArn>())),
    );
    let e = synth_errors(&stack);
    let hits: Vec<&String> = e.iter().filter(|m| m.contains("never an ARN")).collect();
    assert_eq!(hits.len(), 1, "{e:?}");
    assert!(
        hits[0].contains("resource `Pool`")
            && hits[0].contains("LambdaConfig.KMSKeyID")
            && hits[0].contains("`Ref` of `Key` (AWS::KMS::Key) is a `AWS::KMS::Key.Id`"),
        "{hits:?}"
    );

    let mut good = Stack::new("App");
    let key = good.add("Key", nephos::kms::Key::new());
    good.add(
        "Pool",
        nephos::cognito::UserPool::new().lambda_config(LambdaConfig::new().kms_key_id(key.arn())),
    );
    let e = synth_errors(&good);
    assert!(e.is_empty(), "{e:?}");
}
