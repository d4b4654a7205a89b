//! Every grant and every wiring to a target encrypted with a customer-managed KMS key
//! covers the key: identity statements scoped by `kms:ViaService`, key-policy statements
//! for service deliveries scoped by the source, or a synth error naming a key from
//! outside the stack.

use nephos::assertions::Assertions;
use nephos::constructs::{
    Bucket, BucketEncryption, Code, DeadLetter, Function, FunctionRef, Key, NotificationFilter,
    Queue, Runtime, S3Event, StreamTrigger, StreamView, Table, Topic,
};
use nephos::kinds::KmsKeyArn;
use nephos::{Diagnostic, RawResource, ResourceRef, Stack, Value};
use serde_json::{Value as J, json};

fn key(stack: &mut Stack, id: &str) -> Value<KmsKeyArn> {
    let k: ResourceRef = stack.add(
        id,
        RawResource::new("AWS::KMS::Key").property(
            "KeyPolicy",
            json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                "Action": "kms:*", "Resource": "*"}]}),
        ),
    );
    k.get_att("Arn")
}

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

/// The role's statements on `key_id`'s ARN, as (actions, service it is limited to).
fn key_statements(t: &J, role: &str, key_id: &str) -> Vec<(Vec<String>, String)> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["Resource"] == json!([{"Fn::GetAtt": [key_id, "Arn"]}]))
        .map(|s| {
            (
                s["Action"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string())
                    .collect(),
                s["Condition"]["StringEquals"]["kms:ViaService"]["Fn::Sub"]
                    .as_str()
                    .unwrap_or("UNSCOPED")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn grants_on_encrypted_targets_cover_the_key_through_the_service_only() {
    let mut stack = Stack::new("App");
    let k = key(&mut stack, "DataKey");
    let table = stack.add(
        "Users",
        Table::new(Key::string("id"))
            .kms_key(k.clone())
            .stream(StreamView::NewImage),
    );
    let queue = stack.add("Jobs", Queue::new().kms_key(k.clone()));
    let topic = stack.add("Events", Topic::new().kms_key(k.clone()));
    let reader = function(&mut stack, "Reader");
    let writer = function(&mut stack, "Writer");
    table.grant_read(&mut stack, &reader);
    table.grant_read_write(&mut stack, &writer);
    queue.trigger(&mut stack, &reader, 10);
    table.stream_to(&mut stack, &writer, StreamTrigger::default());
    topic.grant_publish(&mut stack, &writer);
    queue.grant_send(&mut stack, &writer);
    let t = synth(&stack);
    let region = |s: &str| format!("{s}.${{AWS::Region}}.amazonaws.com");
    let reader_stmts = key_statements(&t, "ReaderRole", "DataKey");
    assert!(reader_stmts.contains(&(
        vec!["kms:Decrypt".into(), "kms:DescribeKey".into()],
        region("dynamodb")
    )));
    assert!(reader_stmts.contains(&(
        vec!["kms:Decrypt".into(), "kms:DescribeKey".into()],
        region("sqs")
    )));
    let writer_stmts = key_statements(&t, "WriterRole", "DataKey");
    assert!(writer_stmts.iter().any(|(a, s)| *s == region("dynamodb")
        && a.contains(&"kms:GenerateDataKey*".to_string())
        && a.contains(&"kms:Encrypt".to_string())));
    assert!(writer_stmts.contains(&(
        vec!["kms:Decrypt".into(), "kms:GenerateDataKey".into()],
        region("sns")
    )));
    assert!(writer_stmts.contains(&(
        vec!["kms:Decrypt".into(), "kms:GenerateDataKey".into()],
        region("sqs")
    )));
    // Never an unscoped use of the key.
    assert!(
        !reader_stmts
            .iter()
            .chain(&writer_stmts)
            .any(|(_, s)| s == "UNSCOPED")
    );
}

#[test]
fn a_dead_letter_target_with_a_key_is_covered() {
    let mut stack = Stack::new("App");
    let k = key(&mut stack, "DataKey");
    let dlq = stack.add("Failed", Queue::new().kms_key(k));
    stack.add(
        "F",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
            .dead_letter(DeadLetter::Queue(dlq.grant_target())),
    );
    let t = synth(&stack);
    assert_eq!(
        key_statements(&t, "FRole", "DataKey"),
        [(
            vec!["kms:Decrypt".to_string(), "kms:GenerateDataKey".to_string()],
            "sqs.${AWS::Region}.amazonaws.com".to_string()
        )]
    );
}

fn key_policy_statements(t: &J, key_id: &str) -> Vec<J> {
    t["Resources"][key_id]["Properties"]["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn service_deliveries_into_encrypted_targets_are_allowed_in_the_key_policy() {
    let mut stack = Stack::new("App");
    let qk = key(&mut stack, "QueueKey");
    let tk = key(&mut stack, "TopicKey");
    let bucket = stack.add("Uploads", Bucket::new());
    let queue = stack.add("Jobs", Queue::new().kms_key(qk));
    let topic = stack.add("Events", Topic::new().kms_key(tk));
    // Disjoint prefixes: S3 refuses overlapping configurations for one event type.
    bucket.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("jobs/"),
        &queue,
    );
    bucket.notify_topic(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("events/"),
        &topic,
    );
    topic.subscribe_queue_with(
        &mut stack,
        &queue,
        nephos::constructs::SubscriptionOptions::new(),
    );
    let t = synth(&stack);
    let queue_key = key_policy_statements(&t, "QueueKey");
    // The original statement is kept; S3 (from this bucket) and SNS (from this topic).
    assert_eq!(queue_key.len(), 3);
    let by = |stmts: &[J], service: &str| -> J {
        stmts
            .iter()
            .find(|s| s["Principal"]["Service"] == json!([service]))
            .unwrap_or_else(|| panic!("a statement for {service}"))
            .clone()
    };
    let s3 = by(&queue_key, "s3.amazonaws.com");
    assert_eq!(s3["Action"], json!(["kms:Decrypt", "kms:GenerateDataKey*"]));
    assert_eq!(s3["Resource"], json!(["*"]));
    // Only on behalf of this bucket (its ARN, built from its computed name).
    let source = s3["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"][0]
        .as_str()
        .unwrap_or_default();
    assert!(source.starts_with("arn:${AWS::Partition}:s3:::"), "{s3}");
    let sns = by(&queue_key, "sns.amazonaws.com");
    assert_eq!(
        sns["Condition"]["ArnEquals"]["aws:SourceArn"],
        json!({"Ref": "Events"})
    );
    let topic_key = key_policy_statements(&t, "TopicKey");
    assert!(
        by(&topic_key, "s3.amazonaws.com")["Condition"]["ArnEquals"]["aws:SourceArn"].is_object()
    );
}

#[test]
fn a_topic_and_queue_sharing_a_key_form_no_cycle() {
    let mut stack = Stack::new("App");
    let k = key(&mut stack, "SharedKey");
    let queue = stack.add("Jobs", Queue::new().kms_key(k.clone()));
    let topic = stack.add("Events", Topic::new().kms_key(k));
    topic.subscribe_queue_with(
        &mut stack,
        &queue,
        nephos::constructs::SubscriptionOptions::new(),
    );
    let t = synth(&stack);
    let stmts = key_policy_statements(&t, "SharedKey");
    let sns = stmts
        .iter()
        .find(|s| s["Principal"]["Service"] == json!(["sns.amazonaws.com"]))
        .unwrap();
    // The key cannot name the topic (the topic names the key): scoped to the account.
    assert_eq!(
        sns["Condition"]["StringEquals"]["aws:SourceAccount"],
        json!({"Ref": "AWS::AccountId"})
    );
}

#[test]
fn a_delivery_into_a_target_encrypted_with_a_key_outside_the_stack_is_refused() {
    let mut stack = Stack::new("App");
    let outside: Value<KmsKeyArn> = Value::literal(
        "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    );
    let bucket = stack.add(
        "Uploads",
        Bucket::new().encryption(BucketEncryption::S3Managed),
    );
    let queue = stack.add("Jobs", Queue::new().kms_key(outside));
    bucket.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::default(),
        &queue,
    );
    let e: Vec<String> = stack
        .synth()
        .unwrap_err()
        .diagnostics
        .iter()
        .map(Diagnostic::to_string)
        .collect();
    assert!(
        e.iter().any(|d| d.contains("queue `Jobs` is encrypted with KMS key \"arn:aws:kms:eu-west-1:111122223333:key/1234abcd")
            && d.contains("s3.amazonaws.com cannot be allowed to use it here")
            && d.contains("deliveries from bucket `Uploads` would be dropped")),
        "{e:?}"
    );
}

#[test]
fn a_key_without_a_policy_keeps_the_default_one_when_a_delivery_is_allowed() {
    // A key created without `KeyPolicy` gets KMS's default policy; once a delivery
    // statement is written the default must be written with it, or the account loses
    // the key (and the role grants stop working).
    let mut stack = Stack::new("App");
    let k: ResourceRef = stack.add("Bare", RawResource::new("AWS::KMS::Key"));
    let bucket = stack.add("Uploads", Bucket::new());
    let queue = stack.add(
        "Jobs",
        Queue::new().kms_key(k.get_att::<nephos::kinds::KmsKeyArn>("Arn")),
    );
    bucket.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::default(),
        &queue,
    );
    let t = synth(&stack);
    let policy = &t["Resources"]["Bare"]["Properties"]["KeyPolicy"];
    assert_eq!(policy["Version"], json!("2012-10-17"), "{policy}");
    let statements = policy["Statement"].as_array().expect("statements");
    assert_eq!(statements.len(), 2, "{policy}");
    assert_eq!(
        statements[0],
        json!({
            "Effect": "Allow",
            "Principal": {"AWS": [{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}]},
            "Action": ["kms:*"],
            "Resource": ["*"]
        })
    );
    assert_eq!(
        statements[1]["Principal"],
        json!({"Service": ["s3.amazonaws.com"]})
    );
}
