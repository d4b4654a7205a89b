//! What a construct (or a grant) derives from a resource's properties is honoured or
//! refused, whichever hatch changes the property and whether the construct set it itself
//! or left it unset: `configure` closures, `override_property` (applied at synth, after
//! the derived parts were computed), and a KMS key read the same way for a construct's
//! `.kms_key()` and a generated handle's properties.

use nephos::constructs::grants::{self, Target};
use nephos::constructs::{Bucket, Code, Function, FunctionRef, Key, Queue, Runtime, Table};
use nephos::kinds::KmsAliasNameOrKeyArnOrId;
use nephos::lambda::function::LoggingConfig;
use nephos::{Stack, Value};
use serde_json::json;

fn f() -> Function {
    Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
}

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add("Fn", f())
}

fn err(stack: &Stack) -> String {
    stack.synth().expect_err("must be refused").to_string()
}

fn policies(stack: &Stack) -> String {
    let t = stack.synth().expect("synth");
    serde_json::to_string(&t.json()["Resources"]["FnRole"]["Properties"]["Policies"]).unwrap()
}

// Kind 1: a derived part does not depend on whether the construct set the value itself.

#[test]
fn named_function_log_group_from_configure_is_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        f().name("foo").inline_log_permissions().configure(|l1| {
            l1.logging_config(LoggingConfig::new().log_group(Value::literal("other")))
        }),
    );
    let e = err(&stack);
    assert!(
        e.contains("LoggingConfig/LogGroup") && e.contains("configure_log_group"),
        "{e}"
    );
}

#[test]
fn named_function_log_format_from_configure_is_honoured() {
    // A `LoggingConfig` without a group leaves Lambda's default group, which the
    // construct created: allowed, and nothing points elsewhere.
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        f().name("foo").configure(|l1| {
            l1.logging_config(
                LoggingConfig::new().log_format(nephos::lambda::function::LogFormat::Json),
            )
        }),
    );
    let t = stack.synth().expect("synth");
    let lc = &t.json()["Resources"]["Fn"]["Properties"]["LoggingConfig"];
    assert_eq!(lc["LogFormat"], "JSON");
    assert!(lc.get("LogGroup").is_none(), "{lc}");
}

// Kind 4: `override_property` of a property the construct derives from.

#[test]
fn override_of_bucket_name_is_refused() {
    let mut stack = Stack::new("App");
    let fun = function(&mut stack);
    let b = stack.add("B", Bucket::new());
    stack
        .resource(&b)
        .override_property("BucketName", "my-real-bucket-name-123");
    b.grant_read(&mut stack, &fun);
    let e = err(&stack);
    assert!(e.contains("BucketName") && e.contains(".name()"), "{e}");
}

#[test]
fn override_of_table_key_and_indexes_is_refused() {
    let mut stack = Stack::new("App");
    let fun = function(&mut stack);
    let t = stack.add("T", Table::new(Key::string("id")));
    stack.resource(&t).override_property(
        "SSESpecification",
        json!({"SSEEnabled": true, "SSEType": "KMS", "KMSMasterKeyId": "arn:aws:kms:eu-west-1:123456789012:key/abcd"}),
    );
    t.grant_read(&mut stack, &fun);
    let e = err(&stack);
    assert!(
        e.contains("SSESpecification") && e.contains(".kms_key()"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    let fun = function(&mut stack);
    let t = stack.add("T", Table::new(Key::string("id")));
    stack.resource(&t).override_property(
        "GlobalSecondaryIndexes",
        json!([{"IndexName": "byX", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]),
    );
    t.grant_read(&mut stack, &fun);
    let e = err(&stack);
    assert!(e.contains("GlobalSecondaryIndexes"), "{e}");
}

/// A table records its indexes and stream as what its grants cover, whether or not a
/// grant is made: an override of each is refused with the table's option for it, word
/// for word.
#[test]
fn override_of_table_indexes_or_stream_names_the_tables_option() {
    for (property, value, option) in [
        ("GlobalSecondaryIndexes", json!([]), "global_index"),
        ("LocalSecondaryIndexes", json!([]), "local_index"),
        (
            "StreamSpecification",
            json!({"StreamViewType": "NEW_IMAGE"}),
            "stream",
        ),
    ] {
        let mut stack = Stack::new("App");
        let t = stack.add("T", Table::new(Key::string("id")));
        stack.resource(&t).override_property(property, value);
        let e = err(&stack);
        let fix = format!(
            "set {property} with the construct's `.{option}()` or `configure`, not `override_property`"
        );
        assert!(
            e.contains(&fix)
                && e.contains("what grants on the table cover (its indexes, its stream)"),
            "{e}"
        );
    }
}

#[test]
fn override_of_queue_key_is_refused_but_other_properties_pass() {
    let mut stack = Stack::new("App");
    let fun = function(&mut stack);
    let q = stack.add("Q", Queue::new());
    stack
        .resource(&q)
        .override_property("KmsMasterKeyId", "arn:aws:kms:eu-west-1:123456789012:key/q");
    q.grant_send(&mut stack, &fun);
    let e = err(&stack);
    assert!(
        e.contains("KmsMasterKeyId") && e.contains(".kms_key()"),
        "{e}"
    );

    let mut stack = Stack::new("App");
    let fun = function(&mut stack);
    let q = stack.add("Q", Queue::new());
    stack.resource(&q).override_property("DelaySeconds", 5);
    q.grant_send(&mut stack, &fun);
    stack
        .synth()
        .expect("an override of a property nothing derives from");
}

#[test]
fn override_of_generated_handle_key_after_grant_is_refused() {
    // The grant read the key from the generated queue's properties; an override applied
    // at synth would leave the grant on the old key.
    let mut stack = Stack::new("App");
    let fun = function(&mut stack);
    let q = stack.add("Q", nephos::sqs::Queue::new());
    grants::queue::send(&mut stack, &fun, &Target::from(&q));
    stack
        .resource(&q)
        .override_property("KmsMasterKeyId", "arn:aws:kms:eu-west-1:123456789012:key/q");
    let e = err(&stack);
    assert!(e.contains("KmsMasterKeyId"), "{e}");
}

// Kind 2: one reading of a KMS key for a construct's `.kms_key()` and a handle's
// properties.

fn key(s: &str) -> Value<KmsAliasNameOrKeyArnOrId> {
    Value::literal(s)
}

#[test]
fn construct_key_alias_is_read_like_a_handles() {
    for make in [
        |k: &str| -> Stack {
            let mut stack = Stack::new("App");
            let fun = function(&mut stack);
            let q = stack.add("Q", Queue::new().kms_key(key(k)));
            q.grant_consume(&mut stack, &fun);
            stack
        },
        |k: &str| -> Stack {
            let mut stack = Stack::new("App");
            let fun = function(&mut stack);
            let t = stack.add("T", Table::new(Key::string("id")).kms_key(key(k)));
            t.grant_read(&mut stack, &fun);
            stack
        },
        |k: &str| -> Stack {
            let mut stack = Stack::new("App");
            let fun = function(&mut stack);
            let q = stack.add(
                "Q",
                nephos::sqs::Queue::new().kms_master_key_id(Value::<
                    nephos::kinds::KmsAliasNameOrKeyArnOrId,
                >::literal(k)),
            );
            grants::queue::consume(&mut stack, &fun, &Target::from(&q));
            stack
        },
    ] {
        // The constructs' `kms_key` takes the L1 property's union kind, and a grant reads
        // the key the same way whichever way it was set.
        // A customer alias, by ARN or by name: refused with the fix (KMS authorizes on the
        // key's ARN).
        for alias in [
            "arn:aws:kms:eu-west-1:123456789012:alias/mine",
            "alias/mine",
        ] {
            let e = err(&make(alias));
            assert!(
                e.contains("alias") && e.contains("key ARN") && e.contains("encrypted_with"),
                "{alias}: {e}"
            );
        }
        // An AWS managed alias: no key grant needed.
        let p = policies(&make("alias/aws/sqs"));
        assert!(!p.contains("kms:"), "{p}");
        // A key ID: granted on its ARN.
        let p = policies(&make("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assert!(
            p.contains("kms:Decrypt")
                && p.contains(":key/1234abcd-12ab-34cd-56ef-1234567890ab")
                && !p.contains("\"1234abcd-12ab-34cd-56ef-1234567890ab\""),
            "{p}"
        );
    }
}

// Kind 3: every merge into a value already there goes through one checked path, which
// refuses computed values, typed or written as JSON.

fn statement(sid: &str) -> serde_json::Value {
    json!({"Sid": sid, "Effect": "Allow",
        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
        "Action": "kms:*", "Resource": "*"})
}

#[test]
fn computed_key_policy_statement_is_refused_not_wrapped() {
    use nephos::constructs::{NotificationFilter, S3Event};
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", nephos::Parameter::string());
    let prod = stack.condition("IsProd", nephos::equals(&env, "prod"));
    let stmts: Value<nephos::kind::Json> = nephos::fn_if(
        &prod,
        json!([statement("A"), statement("B")]),
        json!([statement("A")]),
    );
    let key: nephos::ResourceRef = stack.add(
        "K",
        nephos::RawResource::new("AWS::KMS::Key").property(
            "KeyPolicy",
            nephos::value!({"Version": "2012-10-17", "Statement": stmts}),
        ),
    );
    let q = stack.add(
        "Q",
        Queue::new().kms_key(key.get_att::<nephos::kinds::KmsKeyArn>("Arn")),
    );
    let b = stack.add("B", Bucket::new());
    b.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("a/"),
        &q,
    );
    let e = err(&stack);
    assert!(
        e.contains("KeyPolicy.Statement") && e.contains("Fn::If"),
        "{e}"
    );
}

#[test]
fn intrinsic_written_as_json_is_not_merged_into() {
    use nephos::constructs::{NotificationFilter, S3Event};
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", nephos::Parameter::string());
    let _prod = stack.condition("IsProd", nephos::equals(&env, "prod"));
    let fun = function(&mut stack);
    let raw =
        json!({"Fn::If": ["IsProd", {"EventBridgeConfiguration": {}}, {"Ref": "AWS::NoValue"}]});
    let b = stack.add(
        "B",
        Bucket::new().configure(move |l1| {
            l1.notification_configuration(
                nephos::IntoValue::<nephos::kind::Json>::into_value(raw.clone()).cast(),
            )
        }),
    );
    b.notify_function(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("a/"),
        &fun,
    );
    let e = err(&stack);
    assert!(
        e.contains("NotificationConfiguration") && e.contains("Fn::If"),
        "{e}"
    );

    // The same for a JSON `Statement` intrinsic in a key policy.
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", nephos::Parameter::string());
    let _prod = stack.condition("IsProd", nephos::equals(&env, "prod"));
    let doc = json!({"Version": "2012-10-17", "Statement": {"Fn::If": ["IsProd", [statement("A")], [statement("B")]]}});
    let key: nephos::ResourceRef = stack.add(
        "K",
        nephos::RawResource::new("AWS::KMS::Key").property("KeyPolicy", doc),
    );
    let q = stack.add(
        "Q",
        Queue::new().kms_key(key.get_att::<nephos::kinds::KmsKeyArn>("Arn")),
    );
    let b = stack.add("B", Bucket::new());
    b.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("a/"),
        &q,
    );
    let e = err(&stack);
    assert!(
        e.contains("KeyPolicy.Statement") && e.contains("Fn::If"),
        "{e}"
    );
}
