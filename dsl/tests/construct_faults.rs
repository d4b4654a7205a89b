//! The construct faults testers found, each kind guarded: values set through `configure`
//! are read or refused, S3 wiring from every bucket handle, grants and resource-policy
//! statements IAM would refuse are synth errors, a grantee's role is a role, identical
//! wiring is reused, ID fragments tell values apart, and a condition given twice keeps
//! both values.

use nephos::constructs::grants::{self, Grant, Target};
use nephos::constructs::ids::{child, value_fragment};
use nephos::constructs::wiring::resource_policy::add_statement;
use nephos::constructs::{
    Bucket, BucketEncryption, Code, Function, Key, NotificationFilter, Queue, RestApi, Runtime,
    S3Event, Table, Topic,
};
use nephos::policy::{Principal, Statement};
use nephos::{FromRef, Handle, Stack, Value, kind::Str};
use serde_json::{Value as Json, json};

fn function() -> Function {
    Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
}

fn synth(stack: &Stack) -> Json {
    stack.synth().expect("valid stack").json().clone()
}

/// The synth errors, as the user reads them.
fn errors(stack: &Stack) -> String {
    match stack.synth() {
        Ok(_) => panic!("synth should fail"),
        Err(e) => format!("{e}"),
    }
}

fn props(t: &Json, id: &str) -> Json {
    t["Resources"][id]["Properties"].clone()
}

/// The statements of the role's `Grants` policy.
fn grants_of(t: &Json, role: &str) -> Vec<Json> {
    props(t, role)["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["PolicyName"] == "Grants")
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_array()
                .cloned()
                .unwrap()
        })
        .collect()
}

fn assert_refused(err: &str, resource: &str, property: &str, option: &str) {
    assert!(
        err.contains(resource) && err.contains(property) && err.contains(&format!(".{option}()")),
        "expected a refusal of {property} on {resource} naming `.{option}()`: {err}"
    );
}

// 1. `configure` values the construct derives from.

#[test]
fn a_function_name_set_by_configure_on_a_named_function_is_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        function()
            .name("old")
            .configure(|l1| l1.function_name("new")),
    );
    assert_refused(&errors(&stack), "Api", "FunctionName", "name");
}

#[test]
fn an_unnamed_function_named_by_configure_logs_to_its_log_group() {
    let mut stack = Stack::new("App");
    stack.add("Api", function().configure(|l1| l1.function_name("named")));
    let t = synth(&stack);
    assert_eq!(props(&t, "Api")["FunctionName"], "named");
    assert_eq!(
        props(&t, "Api")["LoggingConfig"]["LogGroup"],
        json!({"Ref": "ApiLogGroup"})
    );
}

#[test]
fn a_log_group_renamed_by_configure_is_where_the_function_logs() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        function()
            .name("api")
            .configure_log_group(|l1| l1.log_group_name("/custom/api")),
    );
    let t = synth(&stack);
    assert_eq!(props(&t, "ApiLogGroup")["LogGroupName"], "/custom/api");
    assert_eq!(
        props(&t, "Api")["LoggingConfig"]["LogGroup"],
        json!({"Ref": "ApiLogGroup"})
    );
    // Without the rename, Lambda's default group is the construct's: no LoggingConfig.
    let mut plain = Stack::new("App");
    plain.add("Api", function().name("api"));
    assert!(props(&synth(&plain), "Api").get("LoggingConfig").is_none());
}

#[test]
fn a_role_vpc_or_dead_letter_set_by_configure_is_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "Role",
        function().configure(|l1| {
            l1.role(Value::<Str>::from("arn:aws:iam::123456789012:role/other").cast())
        }),
    );
    stack.add(
        "Vpc",
        function().configure(|l1| {
            l1.vpc_config(
                nephos::lambda::function::VpcConfig::new()
                    .subnet_ids(vec![Value::from("subnet-1").cast()]),
            )
        }),
    );
    stack.add(
        "Dlq",
        function().configure(|l1| {
            l1.dead_letter_config(
                nephos::lambda::function::DeadLetterConfig::new().target_arn(Value::<
                    nephos::kinds::SqsQueueArn,
                >::literal(
                    "arn:aws:sqs:eu-west-1:123456789012:dlq",
                )),
            )
        }),
    );
    let err = errors(&stack);
    assert_refused(&err, "Role", "Role", "role");
    assert_refused(&err, "Vpc", "VpcConfig", "vpc");
    // List values (a `List<AWS::EC2::Subnet::Id>` parameter) go through `.vpc_lists()`,
    // which the refusal names too (`.vpc()` takes IDs one by one).
    assert_refused(&err, "Vpc", "VpcConfig", "vpc_lists");
    assert_refused(&err, "Dlq", "DeadLetterConfig", "dead_letter");
}

#[test]
fn table_indexes_and_stream_added_by_configure_are_granted_on() {
    use nephos::dynamodb::table as l1;
    let mut stack = Stack::new("App");
    let table = stack.add(
        "Users",
        Table::new(Key::string("id")).configure(|t| {
            t.add_global_secondary_indexes(l1::GlobalSecondaryIndex::new(
                "byEmail",
                vec![l1::KeySchema::new("id", "HASH")],
                l1::Projection::new().projection_type(l1::ProjectionType::All),
            ))
            .stream_specification(l1::StreamSpecification::new(
                l1::StreamViewType::NewAndOldImages,
            ))
        }),
    );
    let f = stack.add("Reader", function());
    table.grant_read(&mut stack, &f);
    table.grant_stream_read(&mut stack, &f);
    let t = synth(&stack);
    let resources: Vec<Json> = grants_of(&t, "ReaderRole")
        .iter()
        .flat_map(|s| s["Resource"].as_array().cloned().unwrap_or_default())
        .collect();
    let text = serde_json::to_string(&resources).unwrap();
    assert!(text.contains("/index/*"), "index ARNs granted: {text}");
    assert!(text.contains("StreamArn"), "stream granted: {text}");
}

#[test]
fn kms_keys_set_by_configure_are_refused_where_grants_derive_from_them() {
    let key = "arn:aws:kms:eu-west-1:123456789012:key/other";
    let mut stack = Stack::new("App");
    stack.add(
        "Users",
        Table::new(Key::string("id")).configure(move |t| {
            t.sse_specification(
                nephos::dynamodb::table::SseSpecification::new(true)
                    .sse_type(nephos::dynamodb::table::SseType::Kms)
                    .kms_master_key_id(Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal(
                        key,
                    )),
            )
        }),
    );
    stack.add(
        "Jobs",
        Queue::new().configure(move |q| {
            q.kms_master_key_id(Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal(
                key,
            ))
        }),
    );
    stack.add(
        "Events",
        Topic::new().configure(move |q| {
            q.kms_master_key_id(Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal(
                key,
            ))
        }),
    );
    stack.add(
        "Files",
        Bucket::new().configure(move |b| {
            b.bucket_encryption(Value::cast(nephos::value!({
                "ServerSideEncryptionConfiguration": [{ "ServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key } }]
            })))
        }),
    );
    let err = errors(&stack);
    assert_refused(&err, "Users", "SSESpecification", "kms_key");
    assert_refused(&err, "Jobs", "KmsMasterKeyId", "kms_key");
    assert_refused(&err, "Events", "KmsMasterKeyId", "kms_key");
    assert_refused(&err, "Files", "BucketEncryption", "encryption");
}

#[test]
fn configure_may_change_what_nothing_is_derived_from() {
    // The same key written again, and encryption settings beside the key, are accepted.
    let key = "arn:aws:kms:eu-west-1:123456789012:key/k";
    let mut stack = Stack::new("App");
    stack.add(
        "Jobs",
        Queue::new()
            .kms_key(Value::<Str>::from(key).cast::<nephos::kinds::KmsKeyArn>())
            .configure(|q| q.kms_data_key_reuse_period_seconds(600)),
    );
    stack.add(
        "Files",
        Bucket::new()
            .encryption(BucketEncryption::kms(Value::<Str>::from(key).cast::<nephos::kinds::KmsKeyArn>()))
            .configure(move |b| {
                b.bucket_encryption(Value::cast(nephos::value!({
                    "ServerSideEncryptionConfiguration": [{ "BucketKeyEnabled": true, "ServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key } }]
                })))
            }),
    );
    let t = synth(&stack);
    assert_eq!(props(&t, "Jobs")["KmsDataKeyReusePeriodSeconds"], 600);
}

#[test]
fn a_bucket_name_or_rest_stage_set_by_configure_is_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "Files",
        Bucket::new().configure(|b| b.bucket_name("elsewhere")),
    );
    stack.add(
        "Api",
        RestApi::new("users").configure_deployment(|d| d.stage_name("other")),
    );
    let err = errors(&stack);
    assert_refused(&err, "Files", "BucketName", "name");
    assert_refused(&err, "ApiDeployment", "StageName", "stage");
}

#[cfg(feature = "apigatewayv2")]
#[test]
fn what_an_api_construct_fixes_itself_is_refused_through_configure() {
    use nephos::constructs::HttpApi;
    // The HTTP API's URL is its `$default` stage's and it makes no deployment; its routes
    // are HTTP routes; a REST deployment deploys the construct's API.
    let cases: [(&str, HttpApi); 4] = [
        (
            "StageName",
            HttpApi::new("a").configure_stage(|s| s.stage_name("prod")),
        ),
        (
            "AutoDeploy",
            HttpApi::new("a").configure_stage(|s| s.auto_deploy(false)),
        ),
        (
            "AutoDeploy",
            HttpApi::new("a").configure_stage(|s| s.set_auto_deploy(None::<bool>)),
        ),
        (
            "ProtocolType",
            HttpApi::new("a").configure(|a| a.protocol_type("WEBSOCKET")),
        ),
    ];
    for (property, api) in cases {
        let mut stack = Stack::new("App");
        stack.add("Http", api);
        let err = errors(&stack);
        let resource = if property == "ProtocolType" {
            "Http"
        } else {
            "HttpDefaultStage"
        };
        assert!(
            err.contains(resource) && err.contains(property) && err.contains("keep"),
            "{property}: {err}"
        );
    }
    let mut stack = Stack::new("App");
    let other = stack.add("Other", nephos::apigateway::RestApi::new().name("other"));
    stack.add(
        "Api",
        RestApi::new("users").configure_deployment(move |d| d.rest_api_id(other.id())),
    );
    let err = errors(&stack);
    assert!(
        err.contains("ApiDeployment") && err.contains("RestApiId"),
        "{err}"
    );

    // What the construct does not derive from stays open.
    let mut stack = Stack::new("App");
    stack.add(
        "Http",
        HttpApi::new("a")
            .configure_stage(|s| s.description("public").stage_name("$default"))
            .configure(|a| a.description("items")),
    );
    let t = synth(&stack);
    assert_eq!(props(&t, "HttpDefaultStage")["Description"], "public");
}

#[test]
fn a_topic_made_fifo_by_configure_gets_a_fifo_name() {
    let mut stack = Stack::new("App");
    stack.add("Events", Topic::new().configure(|t| t.fifo_topic(true)));
    let t = synth(&stack);
    // Computed from the stack's ID, ending in `.fifo` as SNS requires.
    let name = props(&t, "Events")["TopicName"].to_string();
    assert!(name.contains(".fifo"), "{name}");
}

#[test]
fn queue_and_topic_names_set_by_configure_are_checked() {
    let mut stack = Stack::new("App");
    stack.add("Jobs", Queue::new().configure(|q| q.queue_name("bad name")));
    stack.add(
        "Events",
        Topic::new().configure(|t| t.topic_name("bad name")),
    );
    let err = errors(&stack);
    assert!(
        err.contains("QueueName") && err.contains("TopicName"),
        "{err}"
    );
}

// 2. S3 wiring from every bucket handle.

#[test]
fn a_generated_bucket_with_a_literal_name_notifies_a_queue() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Raw", nephos::s3::Bucket::new().bucket_name("raw-files"));
    stack
        .resource(&bucket)
        .suppress("NEPHOS-BUCKET-PUBLIC", "a test of wiring only")
        .suppress("NEPHOS-BUCKET-UNENCRYPTED", "a test of wiring only");
    let queue = stack.add("Jobs", Queue::new());
    nephos::constructs::wiring::s3::notify_queue(
        &mut stack,
        &bucket,
        &[S3Event::ObjectCreated],
        NotificationFilter::default(),
        &queue,
    );
    let t = synth(&stack);
    assert_eq!(
        props(&t, "Raw")["NotificationConfiguration"]["QueueConfigurations"][0]["Queue"],
        json!({"Fn::GetAtt": ["Jobs", "Arn"]})
    );
    let policy = serde_json::to_string(&props(&t, "JobsPolicy")).unwrap();
    assert!(policy.contains("raw-files"), "{policy}");
}

#[test]
fn a_generated_bucket_named_by_a_resource_is_a_synth_error_not_a_cycle() {
    let mut stack = Stack::new("App");
    let queue = stack.add("Jobs", Queue::new());
    let bucket = stack.add("Raw", nephos::s3::Bucket::new());
    nephos::constructs::wiring::s3::notify_queue(
        &mut stack,
        &bucket,
        &[S3Event::ObjectCreated],
        NotificationFilter::default(),
        &queue,
    );
    let err = errors(&stack);
    assert!(err.contains("Raw") && err.contains("BucketName"), "{err}");
}

// 3. Grants and statements IAM would refuse.

#[test]
fn grants_iam_would_refuse_are_synth_errors_naming_the_grantee() {
    let cases: Vec<(&str, Grant)> = vec![
        ("no action", Grant::new("no action").on("*")),
        (
            "no resource",
            Grant::new("no resource").actions(&["s3:GetObject"]),
        ),
        (
            "is the empty string",
            Grant::new("empty action").actions(&[""]).on("*"),
        ),
        (
            "`service:Action`",
            Grant::new("malformed action")
                .actions(&["GetObject"])
                .on("*"),
        ),
        (
            "is the empty string",
            Grant::new("empty resource")
                .actions(&["s3:GetObject"])
                .on(""),
        ),
        (
            "neither `*` nor an ARN",
            Grant::new("bucket name as resource")
                .actions(&["s3:GetObject"])
                .on("my-bucket"),
        ),
    ];
    for (problem, g) in cases {
        let mut stack = Stack::new("App");
        let f = stack.add("Worker", function());
        let purpose = g.purpose().to_string();
        assert!(grants::grant(&mut stack, &f, g).is_none(), "{purpose}");
        let err = errors(&stack);
        assert!(
            err.contains("function `Worker`") && err.contains(&purpose) && err.contains(problem),
            "{purpose}: {err}"
        );
    }
}

#[test]
fn a_target_given_by_an_empty_arn_is_refused() {
    let mut stack = Stack::new("App");
    let f = stack.add("Worker", function());
    grants::queue::consume(&mut stack, &f, &Target::by_arn("queue", ""));
    assert!(errors(&stack).contains("empty string"));
}

#[test]
fn wildcard_actions_and_computed_resources_are_accepted() {
    let mut stack = Stack::new("App");
    let f = stack.add("Worker", function());
    let q = stack.add("Jobs", Queue::new());
    let g = Grant::new("all of sqs")
        .actions(&["sqs:*", "sqs:Get*", "ssm-incidents:List?"])
        .on(q.arn());
    assert!(grants::grant(&mut stack, &f, g).is_some());
    synth(&stack);
}

#[test]
fn resource_policy_statements_iam_would_refuse_are_synth_errors() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Files", Bucket::new());
    bucket.add_to_resource_policy(
        &mut stack,
        Statement::deny()
            .principal(Principal::any())
            .resource(bucket.arn()),
    );
    let queue = stack.add("Jobs", Queue::new());
    add_statement(
        &mut stack,
        &queue,
        Statement::allow()
            .principal(Principal::service("sns.amazonaws.com"))
            .action("sqs:SendMessage"),
    );
    let err = errors(&stack);
    assert!(
        err.contains("FilesPolicy") && err.contains("no action"),
        "{err}"
    );
    assert!(
        err.contains("JobsPolicy") && err.contains("no resource"),
        "{err}"
    );
}

// 4. A grantee's role is an IAM role.

#[test]
fn a_role_handle_forged_from_another_resource_is_named() {
    let mut stack = Stack::new("App");
    let queue = stack.add("Jobs", Queue::new());
    let fake = nephos::iam::RoleHandle::from_ref(queue.resource_ref().clone());
    let g = Grant::new("reading").actions(&["s3:GetObject"]).on("*");
    assert!(grants::grant(&mut stack, &fake, g).is_none());
    let err = errors(&stack);
    assert!(
        err.contains("AWS::SQS::Queue") && err.contains("Jobs") && !err.contains("cycle"),
        "{err}"
    );
}

// 5. Identical wiring is reused.

#[test]
fn identical_wiring_twice_is_reused() {
    let wire = |stack: &mut Stack, times: usize| {
        let bucket = stack.add("Files", Bucket::new());
        let queue = stack.add("Jobs", Queue::new());
        let topic = stack.add("Events", Topic::new());
        let f = stack.add("Worker", function());
        for _ in 0..times {
            let filter = NotificationFilter::prefix("in/");
            bucket.notify_queue(stack, &[S3Event::ObjectCreated], filter.clone(), &queue);
            bucket.notify_function(stack, &[S3Event::ObjectRemoved], filter, &f);
            topic.subscribe_queue_with(
                stack,
                &queue,
                nephos::constructs::SubscriptionOptions::new().raw_message_delivery(),
            );
            topic.subscribe_function(stack, &f);
            queue.trigger(stack, &f, 10);
        }
    };
    let mut once = Stack::new("App");
    wire(&mut once, 1);
    let mut twice = Stack::new("App");
    wire(&mut twice, 2);
    assert_eq!(synth(&once), synth(&twice));
}

#[test]
fn conflicting_wiring_under_one_id_is_still_an_error() {
    let mut stack = Stack::new("App");
    let queue = stack.add("Jobs", Queue::new());
    let f = stack.add("Worker", function());
    queue.trigger(&mut stack, &f, 10);
    queue.trigger(&mut stack, &f, 5);
    assert!(errors(&stack).contains("different settings"));
}

// 6. IDs.

#[test]
fn long_values_that_share_a_prefix_get_distinct_fragments() {
    let a: Value<Str> = format!("{}-a@example.com", "x".repeat(70)).into();
    let b: Value<Str> = format!("{}-b@example.com", "x".repeat(70)).into();
    assert_ne!(value_fragment(&a), value_fragment(&b));
    assert_eq!(value_fragment(&a), value_fragment(&a.clone()));
    // Short values keep the fragment produced before the fix.
    let short: Value<Str> = "ops@example.com".into();
    assert_eq!(value_fragment(&short), "OpsExampleCom");
}

#[test]
fn non_ascii_parts_give_distinct_stable_ascii_fragments() {
    let a = child("Worker", &["日本"]);
    let b = child("Worker", &["中国"]);
    assert_ne!(a, "Worker");
    assert_ne!(a, b);
    assert!(a.is_ascii() && b.is_ascii());
    assert_eq!(a, child("Worker", &["日本"]));
    assert_ne!(child("Worker", &["café"]), child("Worker", &["cafè"]));
    assert_eq!(child("Worker", &["Dlq"]), "WorkerDlq");
}

// 7. A condition given twice.

#[test]
fn a_condition_given_twice_keeps_both_values() {
    let mut stack = Stack::new("App");
    let f = stack.add("Worker", function());
    let g = Grant::new("tagged")
        .actions(&["s3:GetObject"])
        .on("*")
        .condition("StringEquals", "aws:ResourceTag/team", "a")
        .condition("StringEquals", "aws:ResourceTag/team", "b")
        .condition("StringEquals", "aws:ResourceTag/team", "a");
    grants::grant(&mut stack, &f, g).expect("attached");
    let t = synth(&stack);
    let statements = grants_of(&t, "WorkerRole");
    let tagged = statements
        .iter()
        .find(|s| s.get("Condition").is_some())
        .expect("the conditioned statement");
    assert_eq!(
        tagged["Condition"]["StringEquals"]["aws:ResourceTag/team"],
        json!(["a", "b"])
    );
}
