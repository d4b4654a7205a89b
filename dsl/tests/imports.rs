//! Resources that already exist (`Queue::from_arn`, `Table::from_name`,
//! `KmsKey::from_arn`...): text is checked when the handle is made, grants on the handles
//! name exactly the imported resource (and cover its key through its service), an
//! imported key plugs into the constructs' `kms_key`, and a wiring that would have to
//! change an imported key's policy is a synth error. Run with
//! `--features kms,secretsmanager,ssm`.
#![cfg(all(feature = "kms", feature = "secretsmanager", feature = "ssm"))]

use nephos::assertions::Assertions;
use nephos::constructs::{
    Bucket, Code, Function, FunctionRef, KmsKey, Queue, Runtime, Secret, StringParameter, Table,
    Topic,
};
use nephos::kind::Str;
use nephos::kinds::SqsQueueArn;
use nephos::{Param, Stack, Value};
use serde_json::{Value as J, json};

mod roundtrip_support;

const KEY: &str = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn synth(stack: &Stack) -> J {
    let a = Assertions::from_stack(stack);
    a.assert_no_cycles();
    a.json().clone()
}

fn statements(t: &J, role: &str) -> Vec<J> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The statement of `role` whose actions include `action`.
fn with_action(t: &J, role: &str, action: &str) -> J {
    statements(t, role)
        .into_iter()
        .find(|s| s["Action"].as_array().unwrap().contains(&json!(action)))
        .unwrap_or_else(|| panic!("no statement with {action} in {role}"))
}

#[test]
fn grants_on_imported_queues_topics_and_functions_name_their_arns() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let q = "arn:aws:sqs:eu-west-1:123456789012:jobs";
    let topic = "arn:aws:sns:eu-west-1:123456789012:alerts.fifo";
    let other = "arn:aws:lambda:eu-west-1:123456789012:function:resize:live";
    Queue::from_arn(q)
        .unwrap()
        .encrypted_with(KmsKey::from_arn(KEY).unwrap().arn())
        .grant_consume(&mut stack, &f);
    Topic::from_arn(topic)
        .unwrap()
        .grant_publish(&mut stack, &f);
    assert!(
        Function::from_arn(other)
            .unwrap()
            .grant_invoke(&mut stack, &f)
            .is_some()
    );
    let t = synth(&stack);
    assert_eq!(
        with_action(&t, "FRole", "sqs:ReceiveMessage")["Resource"],
        json!([q])
    );
    assert_eq!(
        with_action(&t, "FRole", "sns:Publish")["Resource"],
        json!([topic])
    );
    assert_eq!(
        with_action(&t, "FRole", "lambda:InvokeFunction")["Resource"],
        json!([other])
    );
    let key = with_action(&t, "FRole", "kms:Decrypt");
    assert_eq!(key["Resource"], json!([KEY]));
    assert_eq!(
        key["Condition"]["StringEquals"]["kms:ViaService"],
        json!({"Fn::Sub": "sqs.${AWS::Region}.amazonaws.com"})
    );
}

#[test]
fn tables_and_buckets_imported_by_name_get_arns_built_from_the_name() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    Table::from_name("users")
        .unwrap()
        .grant_read_write(&mut stack, &f);
    Bucket::from_name("shared-assets")
        .unwrap()
        .grant_put(&mut stack, &f);
    let t = synth(&stack);
    let table = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/users";
    let read = with_action(&t, "FRole", "dynamodb:GetItem")["Resource"].to_string();
    assert!(read.contains(&format!("{table}\"")), "{read}");
    assert!(read.contains(&format!("{table}/index/*")), "{read}");
    let put = with_action(&t, "FRole", "s3:PutObject")["Resource"].to_string();
    assert!(
        put.contains("arn:${AWS::Partition}:s3:::shared-assets"),
        "{put}"
    );
    assert!(put.contains("/*"), "{put}");
    assert_eq!(
        Table::from_arn("arn:aws:dynamodb:eu-west-1:123456789012:table/users")
            .unwrap()
            .arn()
            .literal_str(),
        Some("arn:aws:dynamodb:eu-west-1:123456789012:table/users")
    );
}

#[test]
fn secrets_and_parameters_imported_by_name() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let w = function(&mut stack, "W");
    Secret::from_name("prod/db")
        .unwrap()
        .encrypted_with(KmsKey::from_arn(KEY).unwrap().arn())
        .grant_read(&mut stack, &f);
    Secret::from_arn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-AbC123")
        .unwrap()
        .grant_write(&mut stack, &w);
    StringParameter::from_name(
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    )
    .unwrap()
    .grant_read(&mut stack, &f);
    StringParameter::from_name("flag")
        .unwrap()
        .grant_write(&mut stack, &w);
    let t = synth(&stack);
    let read = with_action(&t, "FRole", "secretsmanager:GetSecretValue")["Resource"].to_string();
    assert!(read.contains(":secret:prod/db-??????"), "{read}");
    let key = with_action(&t, "FRole", "kms:Decrypt");
    assert_eq!(
        key["Condition"]["StringEquals"]["kms:ViaService"],
        json!({"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"})
    );
    let p = with_action(&t, "FRole", "ssm:GetParameter")["Resource"].to_string();
    assert!(p.contains(":parameter/aws/service/ami-amazon-linux"), "{p}");
    assert!(!p.contains("parameter//"), "{p}");
    assert_eq!(
        with_action(&t, "WRole", "secretsmanager:PutSecretValue")["Resource"],
        json!(["arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-AbC123"])
    );
    let p = with_action(&t, "WRole", "ssm:PutParameter")["Resource"].to_string();
    assert!(p.contains(":parameter/flag\""), "{p}");
}

/// AWS's public parameters are AWS's, not the account's: their ARN has an empty account
/// field (SSM User Guide, "Calling AMI public parameters"), so a grant naming
/// `${AWS::AccountId}` never matches, and no one may write them.
#[test]
fn public_parameters_are_granted_on_their_accountless_arn_and_never_written() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let ami = StringParameter::from_name(
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    )
    .unwrap();
    ami.grant_read(&mut stack, &f);
    let t = synth(&stack);
    assert_eq!(
        with_action(&t, "FRole", "ssm:GetParameter")["Resource"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}])
    );
    // Writing: refused, through the handle and through the grant function with a
    // literal public ARN.
    ami.grant_write(&mut stack, &f);
    let e = stack.synth().unwrap_err().to_string();
    assert!(e.contains("owned by AWS"), "{e}");
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let target = nephos::constructs::grants::Target::by_arn(
        "parameter",
        "arn:aws:ssm:us-east-2::parameter/aws/service/global-infrastructure/regions",
    );
    assert!(nephos::constructs::grants::parameter::write(&mut stack, &f, &target).is_empty());
    let e = stack.synth().unwrap_err().to_string();
    assert!(
        e.contains("/aws/service/global-infrastructure/regions"),
        "{e}"
    );
    // Names no account can own, and Secrets Manager references, are import errors.
    for name in [
        "/aws/other/x",
        "/AWS/service/x",
        "/ssm/x",
        "awsflag",
        "/aws/service/",
    ] {
        assert!(StringParameter::from_name(name).is_err(), "{name}");
    }
    let e = StringParameter::from_name("/aws/reference/secretsmanager/db")
        .unwrap_err()
        .to_string();
    assert!(e.contains("Secret::from_name"), "{e}");
}

#[test]
fn a_secret_name_with_slashes_or_ending_like_a_suffix_is_imported_with_an_exact_grant() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    for name in ["prod/db-master", "db-AbC123", "a/b/c_1+=.@-x"] {
        Secret::from_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .grant_read(&mut stack, &f);
    }
    let t = synth(&stack);
    let read = t["Resources"]["FRole"]["Properties"]["Policies"].to_string();
    for arn in [
        ":secret:prod/db-master-??????\"",
        ":secret:db-AbC123-??????\"",
        ":secret:a/b/c_1+=.@-x-??????\"",
    ] {
        assert!(read.contains(arn), "{arn} in {read}");
    }
}

#[test]
fn malformed_or_wrong_service_text_is_refused_when_imported() {
    let refused = [
        Queue::from_arn("arn:aws:sns:eu-west-1:123456789012:jobs").map(|_| ()),
        Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jo bs").map(|_| ()),
        Queue::from_arn("arn:aws:sqs:nowhere:123456789012:jobs").map(|_| ()),
        Queue::from_arn("arn:aws-cn:sqs:eu-west-1:123456789012:jobs").map(|_| ()),
        Topic::from_arn("arn:aws:sns:eu-west-1:12345678901:alerts").map(|_| ()),
        Function::from_arn("arn:aws:lambda:eu-west-1:123456789012:layer:deps:3").map(|_| ()),
        Function::from_arn("arn:aws:lambda:eu-west-1:123456789012:function:a:b:c").map(|_| ()),
        KmsKey::from_arn("arn:aws:kms:eu-west-1:123456789012:alias/app").map(|_| ()),
        KmsKey::from_arn("arn:aws-mars:kms:eu-west-1:123456789012:key/abc").map(|_| ()),
        Table::from_name("ab").map(|_| ()),
        Table::from_arn("arn:aws:dynamodb:eu-west-1:123456789012:users").map(|_| ()),
        Bucket::from_name("Shared_Assets").map(|_| ()),
        Secret::from_name("prod/db master").map(|_| ()),
        Secret::from_arn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db").map(|_| ()),
        StringParameter::from_name("app/url").map(|_| ()),
    ];
    for (i, r) in refused.into_iter().enumerate() {
        let e = r.expect_err(&format!("case {i} should be refused"));
        assert!(e.to_string().starts_with("cannot import "), "{e}");
    }
    let e = KmsKey::from_arn("arn:aws:kms:eu-west-1:123456789012:alias/app").unwrap_err();
    assert!(e.to_string().contains("alias's ARN"), "{e}");
    let e = Queue::from_arn("arn:aws:sns:eu-west-1:123456789012:jobs").unwrap_err();
    assert!(e.to_string().contains("not of `sqs`"), "{e}");
    let e = Topic::from_arn("arn:aws:sns:cn-north-1:123456789012:alerts").unwrap_err();
    assert!(e.to_string().contains("partition `aws-cn`"), "{e}");
    assert!(Topic::from_arn("arn:aws-cn:sns:cn-north-1:123456789012:alerts").is_ok());
}

#[test]
fn a_typed_arn_is_imported_without_parsing() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let arn: Value<SqsQueueArn> = Value::literal("arn:aws:sqs:eu-west-1:123456789012:jobs");
    Queue::from_arn_value(arn).grant_send(&mut stack, &f);
    let t = synth(&stack);
    assert_eq!(
        with_action(&t, "FRole", "sqs:SendMessage")["Resource"],
        json!(["arn:aws:sqs:eu-west-1:123456789012:jobs"])
    );
}

#[test]
fn an_imported_key_encrypts_constructs_and_its_policy_cannot_be_changed() {
    let key = KmsKey::from_arn(KEY).unwrap();
    let mut stack = Stack::new("App");
    let jobs = stack.add("Jobs", Queue::new().kms_key(&key));
    let f = function(&mut stack, "F");
    jobs.grant_consume(&mut stack, &f);
    key.grant_decrypt(&mut stack, &f);
    let t = synth(&stack);
    assert_eq!(t["Resources"]["Jobs"]["Properties"]["KmsMasterKeyId"], KEY);
    assert!(
        statements(&t, "FRole")
            .iter()
            .any(|s| s["Resource"] == json!([KEY]) && s.get("Condition").is_none())
    );

    // SNS delivering into a queue under an imported key needs the key's policy changed.
    let topic = stack.add("Orders", Topic::new());
    topic.subscribe_queue_with(
        &mut stack,
        &jobs,
        nephos::constructs::SubscriptionOptions::new().raw_message_delivery(),
    );
    let e = stack.synth().unwrap_err().to_string();
    assert!(
        e.contains("not a key of this stack") && e.contains(KEY),
        "{e}"
    );
}

fn imported_grants(stack: &mut Stack, _text: &Param<Str>) {
    let f = function(stack, "Worker");
    let key = KmsKey::from_arn(KEY).unwrap();
    Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs")
        .unwrap()
        .encrypted_with(&key)
        .grant_consume(stack, &f);
    Topic::from_arn("arn:aws:sns:eu-west-1:123456789012:alerts")
        .unwrap()
        .grant_publish(stack, &f);
    Table::from_name("users").unwrap().grant_read(stack, &f);
    Bucket::from_name("shared-assets")
        .unwrap()
        .grant_read(stack, &f);
    Function::from_arn("arn:aws:lambda:eu-west-1:123456789012:function:resize")
        .unwrap()
        .grant_invoke(stack, &f);
    Secret::from_name("prod/db").unwrap().grant_read(stack, &f);
    StringParameter::from_name("/app/url")
        .unwrap()
        .grant_read(stack, &f);
    key.grant_encrypt(stack, &f);
}

#[test]
fn imported_grants_pass_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::Imports", imported_grants)]);
}
