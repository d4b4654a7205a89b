//! Constructs: defaults, every grant's statements, every wiring's resources and
//! dependencies (each proved cycle-free), and the synth errors users meet.

use nephos::assertions::Assertions;
use nephos::constructs::{
    Bucket, Code, DeadLetter, Function, FunctionRef, Key, NotificationFilter, Queue, RemovalPolicy,
    RestApi, Runtime, S3Event, StreamTrigger, StreamView, Table, Topic,
};
use nephos::{Stack, Value};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(
            Runtime::Python312,
            "index.handler",
            Code::inline("def handler(e, c): pass"),
        ),
    )
}

fn synth(stack: &Stack) -> J {
    let t = Assertions::from_stack(stack);
    t.assert_no_cycles();
    t.json().clone()
}

fn statements(t: &J, role: &str) -> J {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

fn errors(stack: &Stack) -> Vec<String> {
    stack
        .synth()
        .expect_err("errors expected")
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn function_defaults_role_and_log_group() {
    let mut stack = Stack::new("App");
    function(&mut stack, "Worker");
    let t = synth(&stack);
    let role = &t["Resources"]["WorkerRole"];
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": ["lambda.amazonaws.com"]})
    );
    assert_eq!(
        role["Properties"]["ManagedPolicyArns"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}])
    );
    let log = &t["Resources"]["WorkerLogGroup"];
    assert_eq!(log["Properties"]["RetentionInDays"], 14);
    assert_eq!(log["DeletionPolicy"], "Retain");
    // Unnamed: the function is pointed at its log group.
    assert_eq!(
        t["Resources"]["Worker"]["Properties"]["LoggingConfig"],
        json!({"LogGroup": {"Ref": "WorkerLogGroup"}})
    );
}

#[test]
fn named_function_names_its_log_group_and_waits_for_it() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
            .name("users-api")
            .vpc(
                [Value::<nephos::kinds::Ec2SubnetId>::literal(
                    "subnet-0123abcd",
                )],
                [Value::<nephos::kinds::Ec2SecurityGroupId>::literal(
                    "sg-0123abcd",
                )],
            )
            .log_retention_days(30)
            .log_removal_policy(RemovalPolicy::Destroy),
    );
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["ApiLogGroup"]["Properties"]["LogGroupName"],
        // A Sub whose variables are all literal is written as the plain string (W1020).
        json!("/aws/lambda/users-api")
    );
    assert_eq!(t["Resources"]["ApiLogGroup"]["DeletionPolicy"], "Delete");
    assert_eq!(t["Resources"]["Api"]["DependsOn"], json!(["ApiLogGroup"]));
    assert_eq!(
        t["Resources"]["ApiRole"]["Properties"]["ManagedPolicyArns"][1]["Fn::Sub"],
        "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
    );
}

#[test]
fn table_grants_and_their_merge() {
    let mut stack = Stack::new("App");
    let table = stack.add(
        "Users",
        Table::new(Key::string("id")).global_index(
            "ByEmail",
            Key::string("email"),
            None,
            Default::default(),
        ),
    );
    let f = function(&mut stack, "Api");
    table.grant_read(&mut stack, &f);
    table.grant_write(&mut stack, &f);
    let t = synth(&stack);
    assert_eq!(
        statements(&t, "ApiRole"),
        json!([{
            "Action": ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
                       "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem",
                       "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"],
            "Effect": "Allow",
            "Resource": [{"Fn::GetAtt": ["Users", "Arn"]}, {"Fn::Sub": "${Users.Arn}/index/*"}]
        }])
    );
    assert_eq!(
        t["Resources"]["Users"]["Properties"]["AttributeDefinitions"],
        json!([
            {"AttributeName": "email", "AttributeType": "S"}, {"AttributeName": "id", "AttributeType": "S"}
        ])
    );
}

#[test]
fn bucket_topic_queue_and_function_grants() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Files", Bucket::new().name("files-bucket"));
    let topic = stack.add("Events", Topic::new());
    let queue = stack.add("Jobs", Queue::new());
    let other = function(&mut stack, "Other");
    let f = function(&mut stack, "Api");
    bucket.grant_read_write(&mut stack, &f);
    topic.grant_publish(&mut stack, &f);
    queue.grant_send(&mut stack, &f);
    other.grant_invoke(&mut stack, &f);
    let t = synth(&stack);
    let s = statements(&t, "ApiRole");
    let find = |action: &str| -> J {
        s.as_array()
            .unwrap()
            .iter()
            .find(|st| st["Action"].as_array().unwrap().contains(&json!(action)))
            .cloned()
            .unwrap()
    };
    assert_eq!(
        find("s3:ListBucket")["Resource"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:s3:::files-bucket"}])
    );
    // SDKs and tools ask for the bucket's region before using it.
    assert_eq!(
        find("s3:ListBucket")["Action"],
        json!(["s3:GetBucketLocation", "s3:ListBucket"])
    );
    assert_eq!(
        find("s3:GetObject")["Action"],
        json!([
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:ListMultipartUploadParts",
            "s3:PutObject"
        ])
    );
    assert_eq!(
        find("s3:GetObject")["Resource"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:s3:::files-bucket/*"}])
    );
    assert_eq!(find("sns:Publish")["Resource"], json!([{"Ref": "Events"}]));
    assert_eq!(
        find("sqs:SendMessage")["Action"],
        json!([
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:SendMessage"
        ])
    );
    assert_eq!(
        find("lambda:InvokeFunction")["Resource"],
        json!([{"Fn::GetAtt": ["Other", "Arn"]}])
    );
    assert_eq!(
        s.as_array().unwrap().len(),
        5,
        "one statement per distinct action set: {s}"
    );
}

#[test]
fn queue_consume_and_trigger() {
    let mut stack = Stack::new("App");
    let dlq = stack.add(
        "Failed",
        Queue::new()
            .retention_seconds(1_209_600)
            .removal_policy(RemovalPolicy::Destroy),
    );
    let queue = stack.add("Jobs", Queue::new().dead_letter_queue(&dlq, 3));
    let f = function(&mut stack, "Worker");
    queue.trigger(&mut stack, &f, 5);
    let t = synth(&stack);
    assert_eq!(
        statements(&t, "WorkerRole")[0]["Action"],
        json!([
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage"
        ])
    );
    let mapping = &t["Resources"]["WorkerJobsTrigger"];
    assert_eq!(
        mapping["Properties"]["EventSourceArn"],
        json!({"Fn::GetAtt": ["Jobs", "Arn"]})
    );
    assert_eq!(mapping["Properties"]["BatchSize"], 5);
    assert_eq!(mapping["DependsOn"], json!(["WorkerRole"]));
    assert_eq!(t["Resources"]["Jobs"]["DeletionPolicy"], "Retain");
    assert_eq!(t["Resources"]["Failed"]["DeletionPolicy"], "Delete");
    assert_eq!(
        t["Resources"]["Jobs"]["Properties"]["SqsManagedSseEnabled"],
        true
    );
}

#[test]
fn table_stream_to_function() {
    let mut stack = Stack::new("App");
    let table = stack.add(
        "Users",
        Table::new(Key::string("id")).stream(StreamView::NewAndOldImages),
    );
    let f = function(&mut stack, "Worker");
    table.stream_to(&mut stack, &f, StreamTrigger::default().batch_size(10));
    let t = synth(&stack);
    let mapping = &t["Resources"]["WorkerUsersStream"];
    assert_eq!(
        mapping["Properties"],
        json!({
            "BatchSize": 10, "EventSourceArn": {"Fn::GetAtt": ["Users", "StreamArn"]},
            "FunctionName": {"Ref": "Worker"}, "StartingPosition": "LATEST"
        })
    );
    assert_eq!(mapping["DependsOn"], json!(["WorkerRole"]));
    assert_eq!(
        statements(&t, "WorkerRole"),
        json!([
            {"Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"], "Effect": "Allow", "Resource": [{"Fn::GetAtt": ["Users", "StreamArn"]}]},
            {"Action": ["dynamodb:ListStreams"], "Effect": "Allow", "Resource": ["*"]}
        ])
    );
}

#[test]
fn stream_without_a_stream_is_an_error() {
    let mut stack = Stack::new("App");
    let table = stack.add("Users", Table::new(Key::string("id")));
    let f = function(&mut stack, "Worker");
    table.stream_to(&mut stack, &f, StreamTrigger::default());
    assert!(errors(&stack).contains(&"error: resource `Users`: granting stream read needs a stream, but table `Users` has none\n  fix: add `.stream(StreamView::NewAndOldImages)` (or another view) to the table".to_string()));
}

#[test]
fn bucket_notification_to_function_has_no_cycle() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Uploads", Bucket::new());
    let f = function(&mut stack, "Worker");
    bucket.grant_read(&mut stack, &f);
    bucket.notify_function(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("in/"),
        &f,
    );
    let t = synth(&stack);
    let b = &t["Resources"]["Uploads"];
    assert_eq!(b["DependsOn"], json!(["WorkerUploadsPermission"]));
    assert_eq!(
        b["Properties"]["NotificationConfiguration"]["LambdaConfigurations"][0]["Function"],
        json!({"Fn::GetAtt": ["Worker", "Arn"]})
    );
    let name = b["Properties"]["BucketName"].clone();
    assert_eq!(
        name,
        json!({"Fn::Sub": ["app-uploads-${uuid}", {"uuid": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}]})
    );
    let p = &t["Resources"]["WorkerUploadsPermission"]["Properties"];
    assert_eq!(p["Principal"], "s3.amazonaws.com");
    assert_eq!(p["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    assert_eq!(
        p["SourceArn"],
        json!({"Fn::Sub": ["arn:${AWS::Partition}:s3:::app-uploads-${uuid}", {"uuid": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}]})
    );
    // The role's policy reads the bucket by its computed ARN, never by a reference.
    assert!(
        !Assertions::from_stack(&stack)
            .dependencies_of("WorkerRole")
            .contains(&"Uploads".to_string())
    );
}

#[test]
fn bucket_notifications_to_topic_and_queue_add_resource_policies() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Uploads", Bucket::new().name("uploads-bucket"));
    let topic = stack.add("Events", Topic::new());
    let queue = stack.add("Jobs", Queue::new());
    bucket.notify_topic(
        &mut stack,
        &[S3Event::ObjectRemoved],
        NotificationFilter::default(),
        &topic,
    );
    bucket.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("a/"),
        &queue,
    );
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Uploads"]["DependsOn"],
        json!(["EventsPolicy", "JobsPolicy"])
    );
    let topic_statement =
        &t["Resources"]["EventsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(topic_statement["Action"], json!(["sns:Publish"]));
    assert_eq!(
        topic_statement["Condition"]["ArnLike"]["aws:SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::uploads-bucket"})
    );
    assert_eq!(
        t["Resources"]["EventsPolicy"]["Properties"]["Topics"],
        json!([{"Ref": "Events"}])
    );
    assert_eq!(
        t["Resources"]["JobsPolicy"]["Properties"]["Queues"],
        json!([{"Ref": "Jobs"}])
    );
}

#[test]
fn topic_subscriptions_to_function_queue_and_email() {
    let mut stack = Stack::new("App");
    let topic = stack.add("Events", Topic::new());
    let queue = stack.add("Jobs", Queue::new());
    let f = function(&mut stack, "Worker");
    topic.subscribe_function(&mut stack, &f);
    topic.subscribe_queue_with(
        &mut stack,
        &queue,
        nephos::constructs::SubscriptionOptions::new().raw_message_delivery(),
    );
    topic.subscribe_email(&mut stack, "a@example.com");
    topic.subscribe_email(&mut stack, "b@example.com");
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["EventsWorkerSubscription"]["Properties"],
        json!({"Endpoint": {"Fn::GetAtt": ["Worker", "Arn"]}, "Protocol": "lambda", "TopicArn": {"Ref": "Events"}})
    );
    assert_eq!(
        t["Resources"]["WorkerEventsPermission"]["Properties"]["SourceArn"],
        json!({"Ref": "Events"})
    );
    assert_eq!(
        t["Resources"]["EventsJobsSubscription"]["DependsOn"],
        json!(["JobsPolicy"])
    );
    assert_eq!(
        t["Resources"]["EventsJobsSubscription"]["Properties"]["RawMessageDelivery"],
        true
    );
    assert_eq!(
        // Named after the address, not numbered: reordering the calls renames nothing.
        t["Resources"]["EventsEmailSubscriptionBExampleCom"]["Properties"]["Endpoint"],
        "b@example.com"
    );
    let policy = &t["Resources"]["JobsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(
        policy["Condition"],
        json!({"ArnEquals": {"aws:SourceArn": {"Ref": "Events"}}})
    );
}

#[test]
fn dead_letter_target_is_granted() {
    let mut stack = Stack::new("App");
    let dlq = stack.add("Failed", Queue::new());
    stack.add(
        "Worker",
        Function::new(Runtime::Python312, "i.h", Code::inline("x"))
            .dead_letter(DeadLetter::Queue(dlq.grant_target())),
    );
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Worker"]["Properties"]["DeadLetterConfig"],
        json!({"TargetArn": {"Fn::GetAtt": ["Failed", "Arn"]}})
    );
    assert_eq!(
        statements(&t, "WorkerRole")[0]["Action"],
        json!([
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:SendMessage"
        ])
    );
}

#[test]
fn rest_api_routes_share_resources_and_keep_the_deployment_after_them() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Handler");
    let api = stack.add(
        "Api",
        RestApi::new("users")
            .stage("v1")
            .cors(nephos::constructs::Cors::any_origin()),
    );
    api.route(&mut stack, "POST", "/users", &f);
    api.route(&mut stack, "GET", "/users/{id}", &f);
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["ApiUsersResource"]["Properties"]["ParentId"],
        json!({"Fn::GetAtt": ["Api", "RootResourceId"]})
    );
    assert_eq!(
        t["Resources"]["ApiUsersIdResource"]["Properties"]["ParentId"],
        json!({"Ref": "ApiUsersResource"})
    );
    assert_eq!(
        t["Resources"]["ApiUsersIdResource"]["Properties"]["PathPart"],
        "{id}"
    );
    let deployment = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::ApiGateway::Deployment")
        .map(|(_, r)| r.clone())
        .unwrap();
    assert_eq!(
        deployment["DependsOn"],
        json!([
            "ApiOptions",
            "ApiUsersIdGet",
            "ApiUsersIdOptions",
            "ApiUsersIdResource",
            "ApiUsersOptions",
            "ApiUsersPost",
            "ApiUsersResource"
        ])
    );
    assert_eq!(deployment["Properties"]["StageName"], "v1");
    assert_eq!(
        t["Resources"]["ApiUsersIdGetPermission"]["Properties"]["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/users/*"})
    );
    assert_eq!(
        t["Resources"]["ApiUsersPost"]["Properties"]["Integration"]["Type"],
        "AWS_PROXY"
    );
    assert_eq!(
        t["Resources"]["ApiUsersOptions"]["Properties"]["Integration"]["Type"],
        "MOCK"
    );
}

#[test]
fn a_route_on_a_function_of_another_stack_is_an_error() {
    let mut other = Stack::new("Other");
    let f = function(&mut other, "Elsewhere");
    let mut stack = Stack::new("Api");
    let api = stack.add("Rest", RestApi::new("x"));
    api.route(&mut stack, "GET", "/", &f);
    let e = errors(&stack);
    assert!(e.iter().any(|m| m.starts_with("error: resource `RestGet` property `Integration`: Fn::GetAtt Arn refers to resource `Elsewhere` of stack `Other`, but this is stack `Api`")), "{e:?}");
}

#[test]
fn grants_to_a_role_given_by_arn_are_reported() {
    let mut stack = Stack::new("App");
    let table = stack.add("Users", Table::new(Key::string("id")));
    let f = stack.add(
        "Api",
        Function::new(Runtime::Python312, "i.h", Code::inline("x"))
            .role(Value::literal("arn:aws:iam::123456789012:role/ops")),
    );
    table.grant_read(&mut stack, &f);
    assert!(errors(&stack).contains(&"error: stack: function `Api` cannot receive read access to the table: its role is not an `AWS::IAM::Role` of this stack (given by an ARN from elsewhere), so nephos cannot add to its policy\n  fix: attach the permissions to that role where it is defined, give a role of this stack as its `arn()` (`.role(role.arn())`), or let nephos create the role".to_string()));
}

#[test]
fn conflicting_key_types_and_keys_without_definitions() {
    let mut stack = Stack::new("App");
    stack.add(
        "Users",
        Table::new(Key::string("id")).global_index(
            "ById",
            Key::number("id"),
            None,
            Default::default(),
        ),
    );
    assert!(errors(&stack).contains(&"error: resource `Users` property `AttributeDefinitions`: key attribute `id` is used as S and as N\n  fix: give the attribute one type everywhere it is a key".to_string()));

    use nephos::dynamodb::table as l1;
    let mut raw = Stack::new("Raw");
    raw.add(
        "Orders",
        l1::Table::new(vec![
            l1::KeySchema::new("order_id", "HASH"),
            l1::KeySchema::new("placed_at", "RANGE"),
        ])
        .attribute_definitions(vec![
            l1::AttributeDefinition::new("order_id", l1::AttributeType::S),
            l1::AttributeDefinition::new("total", l1::AttributeType::N),
        ])
        .billing_mode(l1::BillingMode::PayPerRequest),
    );
    let e = errors(&raw);
    assert!(e.contains(&"error: resource `Orders` property `KeySchema`: key attribute `placed_at` has no attribute definition\n  fix: add {AttributeName: placed_at, AttributeType: S|N|B} to AttributeDefinitions, or use the Table construct, which derives them from the keys".to_string()), "{e:?}");
    assert!(e.contains(&"error: resource `Orders` property `AttributeDefinitions`: attribute `total` is defined but is not a key of the table or an index; DynamoDB rejects that\n  fix: define only key attributes; other attributes need no definition".to_string()), "{e:?}");
}

#[test]
fn a_role_policy_over_the_size_limit_only_by_its_estimate_is_a_warning() {
    // 120 tables' ARNs are computed (`Fn::GetAtt`): estimated at 100 bytes each they are
    // over IAM's 10,240, but the literal part alone is not, so IAM decides at deploy
    // (a literal part alone over the limit stays an error: `inline_policy_total.rs`).
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Api");
    for i in 0..120 {
        let t = stack.add(&format!("Table{i}"), Table::new(Key::string("id")));
        t.grant_read(&mut stack, &f);
        t.grant_write(&mut stack, &f);
    }
    let t = stack.synth().unwrap();
    assert!(
        t.warnings().iter().any(
            |w| w.message.starts_with("the role's inline policies come to ")
                && w.message.contains("IAM allows 10240")
                && w.message.contains("IAM decides at deploy")
        ),
        "{:#?}",
        t.warnings()
    );
    assert!(t.deferred().iter().any(|d| d.resource == "ApiRole"));
}

#[test]
fn buckets_default_to_private_encrypted_and_retained() {
    let mut stack = Stack::new("App");
    stack.add(
        "Data",
        Bucket::new()
            .expire_objects("tmp/", 7)
            .cors(["https://example.com"], ["GET"]),
    );
    let site = stack.add(
        "Site",
        Bucket::new()
            .allow_public_access()
            .removal_policy(RemovalPolicy::Destroy),
    );
    let e = errors(&stack);
    assert!(e.iter().any(|m| m.starts_with("error: resource `Site` property `PublicAccessBlockConfiguration`: [NEPHOS-BUCKET-PUBLIC]")), "{e:?}");
    stack
        .resource(&site)
        .suppress(nephos::security::BUCKET_PUBLIC, "serves a public website");
    let t = synth(&stack);
    let data = &t["Resources"]["Data"];
    assert_eq!(data["DeletionPolicy"], "Retain");
    assert_eq!(data["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        data["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256"
    );
    assert_eq!(
        data["Properties"]["LifecycleConfiguration"]["Rules"][0],
        json!({"ExpirationInDays": 7, "Id": "ExpireTmp", "Prefix": "tmp/", "Status": "Enabled"})
    );
    let site = &t["Resources"]["Site"];
    assert_eq!(
        site["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicAcls"],
        false
    );
    assert_eq!(site["DeletionPolicy"], "Delete");
}

#[test]
fn a_writer_alone_can_find_the_bucket_region() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Files", Bucket::new().name("files-bucket"));
    let f = function(&mut stack, "Api");
    bucket.grant_put(&mut stack, &f);
    let t = synth(&stack);
    assert_eq!(
        statements(&t, "ApiRole"),
        json!([
            {"Action": ["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:PutObject"], "Effect": "Allow",
             "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::files-bucket/*"}]},
            {"Action": ["s3:GetBucketLocation"], "Effect": "Allow",
             "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::files-bucket"}]}
        ])
    );
}

#[test]
fn notification_filters_take_a_suffix_alone_or_with_a_prefix() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Files", Bucket::new().name("files-bucket"));
    let f = function(&mut stack, "Api");
    bucket.notify_function(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::suffix(".jpg"),
        &f,
    );
    bucket.notify_function(
        &mut stack,
        &[S3Event::ObjectRemoved],
        NotificationFilter::prefix("in/").and_suffix(".png"),
        &f,
    );
    let t = synth(&stack);
    let configs =
        &t["Resources"]["Files"]["Properties"]["NotificationConfiguration"]["LambdaConfigurations"];
    assert_eq!(
        configs[0]["Filter"],
        json!({"S3Key": {"Rules": [{"Name": "suffix", "Value": ".jpg"}]}})
    );
    assert_eq!(
        configs[1]["Filter"],
        json!({"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}, {"Name": "suffix", "Value": ".png"}]}})
    );
}

#[test]
fn overlapping_notifications_are_refused_naming_both() {
    let notify = |first: (S3Event, NotificationFilter), second: (S3Event, NotificationFilter)| {
        let mut stack = Stack::new("App");
        let bucket = stack.add("Files", Bucket::new());
        let f = function(&mut stack, "Resize");
        let g = function(&mut stack, "Index");
        bucket.notify_function(&mut stack, &[first.0], first.1, &f);
        bucket.notify_function(&mut stack, &[second.0], second.1, &g);
        stack
    };
    use NotificationFilter as F;
    for (a, b) in [
        (F::prefix("uploads/"), F::suffix(".jpg")),
        (F::prefix("uploads/"), F::prefix("uploads/img/")),
        (F::suffix(".jpg"), F::prefix("in/").and_suffix("a.jpg")),
        (F::default(), F::suffix(".png")),
    ] {
        let e = errors(&notify(
            (S3Event::ObjectCreated, a.clone()),
            (S3Event::ObjectCreated, b.clone()),
        ));
        assert!(
            e.iter().any(|m| m.starts_with("error: resource `Files` property `NotificationConfiguration`: the notifications to `Index` on `s3:ObjectCreated:*`")
                && m.contains("and to `Resize` on `s3:ObjectCreated:*`")
                && m.contains("S3 refuses overlapping configurations")),
            "{a:?} + {b:?}: {e:?}"
        );
    }
    // Disjoint filters, or other event types, are accepted.
    for (a, b) in [
        (F::prefix("uploads/"), F::prefix("thumbs/")),
        (F::suffix(".jpg"), F::suffix(".png")),
    ] {
        assert!(
            notify((S3Event::ObjectCreated, a), (S3Event::ObjectCreated, b))
                .synth()
                .is_ok()
        );
    }
    assert!(
        notify(
            (S3Event::ObjectCreated, F::default()),
            (S3Event::ObjectRemoved, F::default())
        )
        .synth()
        .is_ok()
    );
}

#[test]
fn function_timeout_and_memory_are_checked_to_lambdas_limits() {
    let make = |timeout: i64, memory: i64| {
        let mut stack = Stack::new("App");
        stack.add(
            "Api",
            Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
                .timeout(timeout)
                .memory(memory),
        );
        stack
    };
    assert!(
        make(900, 10_240).synth().is_ok(),
        "the limits themselves are allowed"
    );
    assert!(make(1, 128).synth().is_ok());
    let e = errors(&make(901, 128));
    assert!(
        e.contains(&"error: resource `Api` property `Timeout`: Timeout 901 is outside what Lambda allows (1 to 900 seconds)\n  fix: give a value from 1 to 900".to_string()),
        "{e:?}"
    );
    let e = errors(&make(0, 10_241));
    assert!(
        e.iter().any(|m| m.contains("Timeout 0 is outside")),
        "{e:?}"
    );
    assert!(
        e.iter().any(|m| m.contains(
            "`MemorySize`: MemorySize 10241 is outside what Lambda allows (128 to 10240 MB)"
        )),
        "{e:?}"
    );
}

#[test]
fn a_literal_bucket_name_follows_s3_naming_rules() {
    let mut stack = Stack::new("App");
    stack.add("Files", Bucket::new().name("sthree-files"));
    let e = errors(&stack);
    assert!(
        e.iter().any(|m| m.starts_with("error: resource `Files` property `BucketName`: the name of bucket `Files`: `sthree-files` starts with `sthree-`, which S3 reserves")),
        "{e:?}"
    );
    let mut stack = Stack::new("App");
    stack.add("Files", Bucket::new().name("a.-b"));
    let e = errors(&stack);
    assert!(
        e.iter().any(|m| m.starts_with(
            "error: resource `Files` property `BucketName`: the name of bucket `Files`: `a.-b` has a dot next to a hyphen"
        )),
        "{e:?}"
    );
    let mut stack = Stack::new("sthree");
    stack.add("Files", Bucket::new());
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Files"]["Properties"]["BucketName"]["Fn::Sub"][0],
        "bsthree-files-${uuid}"
    );
}

#[test]
fn fifo_queue_and_topic_names_end_in_fifo() {
    let mut stack = Stack::new("App");
    stack.add("Jobs", Queue::new().fifo().name("jobs"));
    stack.add("Events", Topic::new().name("events.fifo"));
    let e = errors(&stack);
    assert!(
        e.contains(&"error: resource `Jobs` property `QueueName`: queue `Jobs`: the FIFO queue name `jobs` does not end in `.fifo`\n  fix: name it `jobs.fifo`".to_string()),
        "{e:?}"
    );
    assert!(
        e.iter().any(|m| m.starts_with("error: resource `Events` property `TopicName`: topic `Events`: the topic name `events.fifo` ends in `.fifo`, but the topic is not FIFO")),
        "{e:?}"
    );
    let mut ok = Stack::new("App");
    ok.add("Jobs", Queue::new().fifo().name("jobs.fifo"));
    ok.add("Events", Topic::new().fifo().name("events.fifo"));
    assert!(ok.synth().is_ok());
}

#[test]
fn an_unnamed_fifo_topic_gets_a_fifo_name() {
    // CloudFormation's generated name would lack `.fifo`, which CreateTopic requires.
    let mut stack = Stack::new("App");
    stack.add("Orders", Topic::new().fifo());
    stack.add("Plain", Topic::new());
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Orders"]["Properties"]["TopicName"]["Fn::Sub"][0],
        "App-Orders-${uuid}.fifo"
    );
    assert!(t["Resources"]["Plain"]["Properties"]["TopicName"].is_null());
}

#[test]
fn lifecycle_rule_ids_are_unique_as_s3_requires() {
    let mut stack = Stack::new("App");
    stack.add(
        "Files",
        Bucket::new()
            .expire_objects("logs/", 30)
            .expire_objects("logs", 60),
    );
    let e = errors(&stack);
    assert!(
        e.iter().any(|m| m.starts_with("error: resource `Files` property `LifecycleConfiguration`: two lifecycle rules get the ID `ExpireLogs`; S3 requires rule IDs to be unique")),
        "{e:?}"
    );
    let mut ok = Stack::new("App");
    ok.add(
        "Files",
        Bucket::new()
            .expire_objects("logs/", 30)
            .transition_objects("logs/", "GLACIER", 10),
    );
    assert!(ok.synth().is_ok());
}
