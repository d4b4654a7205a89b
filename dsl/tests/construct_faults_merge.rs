//! The second round of construct faults: merging into a computed value is a synth error
//! (never a silent drop), grants on generated handles cover what the table or queue has
//! (its KMS key, its indexes), wiring does not take over a user's resource under its ID,
//! and accumulated statements do not depend on call order.

use nephos::constructs::grants::{self, Target, table::TableTarget};
use nephos::constructs::{
    Bucket, Code, Function, NotificationFilter, Queue, Runtime, S3Event, Topic,
};
use nephos::kind::{List, Str};
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{Parameter, Stack, Value, equals, fn_if};
use serde_json::{Value as Json, json};

fn function() -> Function {
    Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
}

fn synth(stack: &Stack) -> Json {
    stack.synth().expect("valid stack").json().clone()
}

fn errors(stack: &Stack) -> String {
    match stack.synth() {
        Ok(_) => panic!("synth should fail"),
        Err(e) => format!("{e}"),
    }
}

fn props(t: &Json, id: &str) -> Json {
    t["Resources"][id]["Properties"].clone()
}

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

fn prod(stack: &mut Stack) -> nephos::Condition {
    let env = stack.parameter("Env", Parameter::string().default("dev"));
    stack.condition("IsProd", equals(&env, "prod"))
}

#[test]
fn a_grant_into_computed_role_policies_is_an_error_naming_role_and_property() {
    let mut stack = Stack::new("App");
    let prod = prod(&mut stack);
    let doc =
        PolicyDocument::new().statement(Statement::allow().action("s3:GetObject").resource("*"));
    let policy = nephos::iam::role::Policy::new(doc, "Extra");
    let computed: Value<List<nephos::iam::role::Policy>> =
        fn_if(&prod, vec![policy.clone()], vec![policy]);
    let f = stack.add(
        "Fn",
        function().configure_role(move |r| r.policies(computed.clone())),
    );
    let q = stack.add("Q", Queue::new());
    assert!(q.grant_consume(&mut stack, &f).is_empty());
    let err = errors(&stack);
    assert!(
        err.contains("FnRole")
            && err.contains("Policies")
            && err.contains("Fn::If")
            && err.contains("literal list"),
        "{err}"
    );
}

#[test]
fn a_grant_into_computed_policies_of_a_generated_role_is_an_error() {
    let mut stack = Stack::new("App");
    let prod = prod(&mut stack);
    let trust = PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("lambda.amazonaws.com"))
            .action("sts:AssumeRole"),
    );
    let doc =
        PolicyDocument::new().statement(Statement::allow().action("s3:GetObject").resource("*"));
    let policy = nephos::iam::role::Policy::new(doc, "Extra");
    let computed: Value<List<nephos::iam::role::Policy>> =
        fn_if(&prod, vec![policy.clone()], vec![policy]);
    let role = stack.add("Role", nephos::iam::Role::new(trust).policies(computed));
    let q = stack.add("Q", Queue::new());
    assert!(grants::queue::send(&mut stack, &role, &q.grant_target()).is_empty());
    let err = errors(&stack);
    assert!(err.contains("`Role`") && err.contains("Policies"), "{err}");
}

#[test]
fn a_grant_merges_into_role_policies_given_as_a_literal_document() {
    let mut stack = Stack::new("App");
    let literal = Value::cast::<List<nephos::iam::role::Policy>>(nephos::value!([{
        "PolicyName": "Extra",
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:eu-west-1:123456789012:parameter/x"}
        ]}
    }]));
    let f = stack.add(
        "Fn",
        function().configure_role(move |r| r.policies(literal.clone())),
    );
    let q = stack.add("Q", Queue::new());
    assert_eq!(q.grant_consume(&mut stack, &f).len(), 1);
    let t = synth(&stack);
    let policies = props(&t, "FnRole")["Policies"].clone();
    assert_eq!(policies.as_array().unwrap().len(), 2, "{policies}");
    assert_eq!(policies[0]["PolicyName"], "Extra");
    assert!(
        grants_of(&t, "FnRole")[0]["Action"]
            .as_array()
            .unwrap()
            .contains(&json!("sqs:ReceiveMessage"))
    );
}

#[test]
fn a_notification_into_a_computed_configuration_is_an_error_and_a_literal_one_is_merged() {
    use nephos::s3::bucket::{EventBridgeConfiguration, NotificationConfiguration};
    let mut stack = Stack::new("App");
    let prod = prod(&mut stack);
    let nc = NotificationConfiguration::new()
        .event_bridge_configuration(EventBridgeConfiguration::new(true));
    let computed: Value<NotificationConfiguration> = fn_if(&prod, nc.clone(), nc);
    let f = stack.add("Fn", function());
    let b = stack.add(
        "B",
        Bucket::new().configure(move |l1| l1.notification_configuration(computed.clone())),
    );
    b.notify_function(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("in/"),
        &f,
    );
    let err = errors(&stack);
    assert!(
        err.contains("`B`") && err.contains("NotificationConfiguration") && err.contains("Fn::If"),
        "{err}"
    );

    let mut stack = Stack::new("App");
    let literal = Value::cast::<NotificationConfiguration>(
        nephos::value!({"EventBridgeConfiguration": {"EventBridgeEnabled": true}}),
    );
    let q = stack.add("Q", Queue::new());
    let b = stack.add(
        "B",
        Bucket::new().configure(move |l1| l1.notification_configuration(literal.clone())),
    );
    b.notify_queue(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::default(),
        &q,
    );
    let config = props(&synth(&stack), "B")["NotificationConfiguration"].clone();
    assert_eq!(
        config["EventBridgeConfiguration"],
        json!({"EventBridgeEnabled": true})
    );
    assert_eq!(
        config["QueueConfigurations"].as_array().unwrap().len(),
        1,
        "{config}"
    );
}

#[test]
fn a_statement_into_a_computed_resource_policy_document_is_an_error() {
    let mut stack = Stack::new("App");
    let prod = prod(&mut stack);
    let q = stack.add("Q", Queue::new());
    let doc = PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("events.amazonaws.com"))
            .action("sqs:SendMessage")
            .resource(q.arn().cast::<Str>()),
    );
    // A policy for `Q` with a computed document, declared as `Q`'s own (public API), so
    // wiring reuses it.
    let computed: Value<PolicyDocument> = fn_if(&prod, doc.clone(), doc);
    let policy = stack.add(
        "QPolicy",
        nephos::sqs::QueuePolicy::new(computed, vec![q.url().cast::<Str>()]),
    );
    stack.own(
        nephos::Handle::resource_ref(&policy),
        &[nephos::Handle::resource_ref(&q)],
    );
    let t = stack.add("T", Topic::new());
    t.subscribe_queue_with(
        &mut stack,
        &q,
        nephos::constructs::SubscriptionOptions::new(),
    );
    let err = errors(&stack);
    assert!(
        err.contains("QPolicy") && err.contains("PolicyDocument"),
        "{err}"
    );
}

#[test]
fn wiring_does_not_take_over_a_users_policy_under_its_id() {
    let mut stack = Stack::new("App");
    let other = stack.add("Other", Queue::new());
    let q = stack.add("Q", Queue::new());
    let doc = PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("events.amazonaws.com"))
            .action("sqs:SendMessage")
            .resource(other.arn().cast::<Str>()),
    );
    stack.add(
        "QPolicy",
        nephos::sqs::QueuePolicy::new(doc, vec![other.url().cast::<Str>()]),
    );
    let t = stack.add("T", Topic::new());
    t.subscribe_queue_with(
        &mut stack,
        &q,
        nephos::constructs::SubscriptionOptions::new(),
    );
    let err = errors(&stack);
    assert!(
        err.contains("QPolicy") && err.contains("`Q`") && err.contains("rename"),
        "{err}"
    );
}

#[test]
fn grants_on_a_generated_queue_cover_the_key_its_properties_name() {
    let mut stack = Stack::new("App");
    let f = stack.add("Fn", function());
    let q = stack.add(
        "Jobs",
        nephos::sqs::Queue::new().kms_master_key_id(
            Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal(
                "1234abcd-12ab-34cd-56ef-1234567890ab",
            ),
        ),
    );
    let added = grants::queue::consume(&mut stack, &f, &Target::from(&q));
    assert_eq!(added.len(), 2);
    let statements = grants_of(&synth(&stack), "FnRole");
    let key = statements
        .iter()
        .find(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .contains(&json!("kms:Decrypt"))
        })
        .expect("a key statement");
    assert_eq!(
        key["Resource"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab"}])
    );
    assert_eq!(
        key["Condition"]["StringEquals"]["kms:ViaService"],
        json!({"Fn::Sub": "sqs.${AWS::Region}.amazonaws.com"})
    );
}

#[test]
fn grants_on_a_generated_queue_with_a_managed_or_unreadable_key() {
    // The AWS managed key needs no grant.
    let mut stack = Stack::new("App");
    let f = stack.add("Fn", function());
    let q = stack.add(
        "Jobs",
        nephos::sqs::Queue::new().kms_master_key_id(
            Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal("alias/aws/sqs"),
        ),
    );
    assert_eq!(
        grants::queue::consume(&mut stack, &f, &Target::from(&q)).len(),
        1
    );
    synth(&stack);
    // A customer alias cannot be granted on by ARN: refused, naming the queue.
    let mut stack = Stack::new("App");
    let f = stack.add("Fn", function());
    let q = stack.add(
        "Jobs",
        nephos::sqs::Queue::new().kms_master_key_id(
            Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal("alias/jobs"),
        ),
    );
    grants::queue::consume(&mut stack, &f, &Target::from(&q));
    let err = errors(&stack);
    assert!(
        err.contains("`Jobs`") && err.contains("KmsMasterKeyId") && err.contains("encrypted_with"),
        "{err}"
    );
    // The key given to the target wins over reading the stack.
    let mut stack = Stack::new("App");
    let f = stack.add("Fn", function());
    let param = stack.parameter("KeyId", Parameter::string());
    let q = stack.add("Jobs", nephos::sqs::Queue::new().kms_master_key_id(&param));
    let arn =
        Value::<nephos::kinds::KmsKeyArn>::literal("arn:aws:kms:eu-west-1:123456789012:key/k");
    let target = Target::from(&q).encrypted_with(Some(arn.into()));
    assert_eq!(grants::queue::consume(&mut stack, &f, &target).len(), 2);
    synth(&stack);
}

#[test]
fn grants_on_a_generated_table_cover_its_indexes_and_key() {
    use nephos::dynamodb::table as dt;
    let mut stack = Stack::new("App");
    let f = stack.add("Fn", function());
    let key_arn = "arn:aws:kms:eu-west-1:123456789012:key/abcd";
    let t = stack.add(
        "Items",
        dt::Table::new(vec![dt::KeySchema::new("id", "HASH")])
            .attribute_definitions(vec![
                dt::AttributeDefinition::new("id", dt::AttributeType::S),
                dt::AttributeDefinition::new("g", dt::AttributeType::S),
            ])
            .billing_mode(dt::BillingMode::PayPerRequest)
            .add_global_secondary_indexes(dt::GlobalSecondaryIndex::new(
                "ByG",
                vec![dt::KeySchema::new("g", "HASH")],
                dt::Projection::new().projection_type(dt::ProjectionType::All),
            ))
            .sse_specification(
                dt::SseSpecification::new(true)
                    .sse_type(dt::SseType::Kms)
                    .kms_master_key_id(Value::<nephos::kinds::KmsAliasNameOrKeyArnOrId>::literal(
                        key_arn,
                    )),
            ),
    );
    assert_eq!(
        grants::table::read(&mut stack, &f, &TableTarget::from(&t)).len(),
        2
    );
    let statements = grants_of(&synth(&stack), "FnRole");
    let items = statements
        .iter()
        .find(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .contains(&json!("dynamodb:GetItem"))
        })
        .unwrap();
    assert!(
        items["Resource"]
            .as_array()
            .unwrap()
            .contains(&json!({"Fn::Sub": "${Items.Arn}/index/*"})),
        "{items}"
    );
    assert!(
        statements.iter().any(|s| s["Resource"] == json!([key_arn])),
        "{statements:?}"
    );
}

#[test]
fn a_logging_config_through_configure_keeps_the_constructs_log_group() {
    use nephos::lambda::function::{LogFormat, LoggingConfig};
    let mut stack = Stack::new("App");
    let f = stack.add(
        "Fn",
        function()
            .inline_log_permissions()
            .configure(|l1| l1.logging_config(LoggingConfig::new().log_format(LogFormat::Json))),
    );
    let t = synth(&stack);
    let logging = props(&t, "Fn")["LoggingConfig"].clone();
    assert_eq!(
        logging,
        json!({"LogFormat": "JSON", "LogGroup": {"Ref": "FnLogGroup"}})
    );
    // `log_group()` is the group the function writes to, which the role may write.
    assert_eq!(
        nephos::Handle::resource_ref(f.log_group()).logical_id(),
        "FnLogGroup"
    );
    // Another group is refused: retention and permissions are the construct's group's.
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        function().configure(|l1| {
            l1.logging_config(
                LoggingConfig::new()
                    .log_group(Value::<nephos::kinds::LogsLogGroupName>::literal("other")),
            )
        }),
    );
    let err = errors(&stack);
    assert!(
        err.contains("`Fn`")
            && err.contains("LoggingConfig/LogGroup")
            && err.contains("configure_log_group"),
        "{err}"
    );
}

#[test]
fn managed_policies_through_configure_role_keep_the_derived_ones() {
    let mut stack = Stack::new("App");
    let read_only = Value::<nephos::kinds::IamManagedPolicyPolicyArn>::literal(
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
    );
    stack.add(
        "Fn",
        function()
            .vpc(
                [Value::<nephos::kinds::Ec2SubnetId>::literal(
                    "subnet-0123abcd",
                )],
                [Value::<nephos::kinds::Ec2SecurityGroupId>::literal(
                    "sg-0123abcd",
                )],
            )
            .configure_role(move |r| r.managed_policy_arns(vec![read_only.clone()])),
    );
    let managed = props(&synth(&stack), "FnRole")["ManagedPolicyArns"].to_string();
    for policy in [
        "ReadOnlyAccess",
        "AWSLambdaVPCAccessExecutionRole",
        "AWSLambdaBasicExecutionRole",
    ] {
        assert!(managed.contains(policy), "{policy} missing: {managed}");
    }
    // A computed list cannot keep them: refused.
    let mut stack = Stack::new("App");
    let prod = prod(&mut stack);
    let computed: Value<List<nephos::kinds::IamManagedPolicyPolicyArn>> = fn_if(
        &prod,
        vec![read_only_arn()],
        Vec::<Value<nephos::kinds::IamManagedPolicyPolicyArn>>::new(),
    );
    stack.add(
        "Fn",
        function().configure_role(move |r| r.managed_policy_arns(computed.clone())),
    );
    let err = errors(&stack);
    assert!(
        err.contains("FnRole") && err.contains("ManagedPolicyArns"),
        "{err}"
    );
}

#[test]
fn settings_for_a_role_nephos_does_not_create_are_refused() {
    let arn = Value::<nephos::kinds::IamRoleArn>::literal("arn:aws:iam::123456789012:role/x");
    let mut stack = Stack::new("App");
    stack.add(
        "Ext",
        function()
            .role(arn.clone())
            .configure_role(|r| r.role_name("never")),
    );
    let err = errors(&stack);
    assert!(
        err.contains("`Ext`") && err.contains("configure_role") && err.contains(".role(arn)"),
        "{err}"
    );
    let mut stack = Stack::new("App");
    stack.add("Ext", function().role(arn).role_name("never"));
    let err = errors(&stack);
    assert!(err.contains("role_name"), "{err}");
}

#[test]
fn a_topic_made_standard_by_configure_gets_no_fifo_name() {
    let mut stack = Stack::new("App");
    stack.add("T", Topic::new().fifo().configure(|t| t.fifo_topic(false)));
    stack.add("F", Topic::new().configure(|t| t.fifo_topic(true)));
    let t = synth(&stack);
    assert_eq!(props(&t, "T").get("TopicName"), None, "{}", props(&t, "T"));
    assert!(props(&t, "F")["TopicName"].to_string().contains(".fifo"));
}

fn read_only_arn() -> Value<nephos::kinds::IamManagedPolicyPolicyArn> {
    Value::literal("arn:aws:iam::aws:policy/ReadOnlyAccess")
}

#[test]
fn iam_condition_operators_and_keys_are_checked() {
    use nephos::constructs::grants::Grant;
    for (operator, key) in [
        ("", ""),
        ("StringEqualz", "aws:SourceVpc"),
        ("NullIfExists", "aws:TokenIssueTime"),
        ("StringEquals", "SourceVpc"),
    ] {
        let mut stack = Stack::new("App");
        let f = stack.add("Fn", function());
        let g = Grant::new("odd")
            .actions(&["s3:GetObject"])
            .on("*")
            .condition(operator, key, "x");
        assert!(
            grants::grant(&mut stack, &f, g).is_none(),
            "{operator} {key}"
        );
        let err = errors(&stack);
        assert!(err.contains("FnRole") && err.contains("condition"), "{err}");
    }
    for operator in [
        "StringEquals",
        "ForAnyValue:StringLikeIfExists",
        "ForAllValues:ArnEquals",
        "Null",
        "BoolIfExists",
        "NumericLessThanEquals",
    ] {
        let mut stack = Stack::new("App");
        let f = stack.add("Fn", function());
        let g = Grant::new("fine")
            .actions(&["s3:GetObject"])
            .on("*")
            .condition(operator, "aws:SourceVpc", "x");
        assert!(grants::grant(&mut stack, &f, g).is_some(), "{operator}");
        synth(&stack);
    }
}

#[test]
fn a_resource_policy_statement_without_a_principal_is_refused() {
    let mut stack = Stack::new("App");
    let b = stack.add("B", Bucket::new());
    b.add_to_resource_policy(
        &mut stack,
        Statement::allow()
            .action("s3:GetObject")
            .resource(b.arn_for_objects("*")),
    );
    let err = errors(&stack);
    assert!(
        err.contains("BPolicy") && err.contains("no principal"),
        "{err}"
    );
}

#[test]
fn condition_values_with_a_list_are_flattened_or_refused() {
    use nephos::constructs::grants::Grant;
    // A literal list merged with a value: one flat list.
    let s = Statement::allow()
        .action("s3:GetObject")
        .resource("*")
        .condition("StringEquals", "aws:SourceVpce", vec!["vpce-1", "vpce-2"])
        .condition("StringEquals", "aws:SourceVpce", "vpce-3");
    let doc = nephos::IntoValue::<PolicyDocument>::into_value(PolicyDocument::new().statement(s))
        .to_json();
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringEquals"]["aws:SourceVpce"],
        json!(["vpce-1", "vpce-2", "vpce-3"])
    );
    // A list parameter merged with a value: refused with the fix.
    let mut stack = Stack::new("App");
    let vpces = stack.parameter("Vpces", Parameter::comma_delimited_list());
    let f = stack.add("Fn", function());
    grants::grant(
        &mut stack,
        &f,
        Grant::new("c")
            .actions(&["s3:GetObject"])
            .on("*")
            .condition("StringEquals", "aws:SourceVpce", &vpces)
            .condition("StringEquals", "aws:SourceVpce", "vpce-1"),
    );
    let err = errors(&stack);
    assert!(
        err.contains("FnRole") && err.contains("list inside a list") && err.contains("one call"),
        "{err}"
    );
}

/// The template of a stack where two topics deliver to one queue, subscribed in either
/// order, and the queue's key allows both.
fn two_topics_to_a_queue(reversed: bool) -> String {
    let mut stack = Stack::new("App");
    let q = stack.add("Q", Queue::new());
    let t1 = stack.add("T1", Topic::new());
    let t2 = stack.add("T2", Topic::new());
    let b = stack.add("B", Bucket::new());
    let f = stack.add("Fn", function());
    if reversed {
        b.notify_queue(
            &mut stack,
            &[S3Event::ObjectRemoved],
            NotificationFilter::default(),
            &q,
        );
        t2.subscribe_queue_with(
            &mut stack,
            &q,
            nephos::constructs::SubscriptionOptions::new(),
        );
        t1.subscribe_queue_with(
            &mut stack,
            &q,
            nephos::constructs::SubscriptionOptions::new(),
        );
        q.grant_send(&mut stack, &f);
    } else {
        q.grant_send(&mut stack, &f);
        t1.subscribe_queue_with(
            &mut stack,
            &q,
            nephos::constructs::SubscriptionOptions::new(),
        );
        t2.subscribe_queue_with(
            &mut stack,
            &q,
            nephos::constructs::SubscriptionOptions::new(),
        );
        b.notify_queue(
            &mut stack,
            &[S3Event::ObjectRemoved],
            NotificationFilter::default(),
            &q,
        );
    }
    stack.synth().expect("valid").to_json_pretty()
}

#[test]
fn accumulated_policy_statements_do_not_depend_on_call_order() {
    let a = two_topics_to_a_queue(false);
    assert_eq!(a, two_topics_to_a_queue(true));
    let t: Json = serde_json::from_str(&a).unwrap();
    assert_eq!(
        props(&t, "QPolicy")["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn the_same_route_to_the_same_function_twice_is_reused() {
    let mut stack = Stack::new("App");
    let f1 = stack.add("F1", function());
    let api = stack.add("Api", nephos::constructs::RestApi::new("x"));
    let a = api.route(&mut stack, "GET", "/a", &f1);
    let b = api.route(&mut stack, "GET", "/a", &f1);
    assert_eq!(
        nephos::Handle::resource_ref(&a),
        nephos::Handle::resource_ref(&b)
    );
    synth(&stack);
    let f2 = stack.add("F2", function());
    api.route(&mut stack, "GET", "/a", &f2);
    let err = errors(&stack);
    assert!(
        err.contains("GET /a") && err.contains("`F1`") && err.contains("`F2`"),
        "{err}"
    );
}

#[test]
fn wiring_conflicts_name_both_settings() {
    let mut stack = Stack::new("App");
    let f = stack.add("Fn", function().timeout(10));
    let q = stack.add("Q", Queue::new().visibility_timeout(60));
    q.trigger(&mut stack, &f, 5);
    q.trigger(&mut stack, &f, 5);
    synth(&stack);
    q.trigger(&mut stack, &f, 7);
    let err = errors(&stack);
    assert!(
        err.contains("BatchSize") && err.contains("5 before") && err.contains("7 now"),
        "{err}"
    );
    // Two emails whose letters and digits agree: both named, and the way on.
    let mut stack = Stack::new("App");
    let t = stack.add("T", Topic::new());
    t.subscribe_email(&mut stack, "a.b@x.com");
    t.subscribe_email(&mut stack, "a_b@x.com");
    let err = errors(&stack);
    assert!(
        err.contains("a.b@x.com") && err.contains("a_b@x.com") && err.contains("ID of your own"),
        "{err}"
    );
}

#[test]
fn id_parts_without_letters_or_digits_do_not_collapse_to_the_parent() {
    use nephos::constructs::ids::child;
    let dashes = child("Jobs", &["--"]);
    let empty = child("Jobs", &[""]);
    assert!(
        dashes != "Jobs" && empty != "Jobs" && dashes != empty,
        "{dashes} {empty}"
    );
    assert_eq!(dashes, child("Jobs", &["--"]));
    assert_eq!(child("Worker", &["Dlq"]), "WorkerDlq");
}

#[cfg(feature = "apigatewayv2")]
#[test]
fn the_same_http_route_to_the_same_function_twice_is_reused() {
    let mut stack = Stack::new("App");
    let f1 = stack.add("F1", function());
    let f2 = stack.add("F2", function());
    let http = stack.add("Http", nephos::constructs::HttpApi::new("x"));
    let a = http.route(&mut stack, "GET", "/a", &f1);
    let b = http.route(&mut stack, "GET", "/a", &f1);
    assert_eq!(
        nephos::Handle::resource_ref(&a),
        nephos::Handle::resource_ref(&b)
    );
    synth(&stack);
    http.route(&mut stack, "GET", "/a", &f2);
    let err = errors(&stack);
    assert!(
        err.contains("GET /a") && err.contains("F1") && err.contains("`F2`"),
        "{err}"
    );
}

#[test]
fn removing_what_the_construct_derives_is_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        function().configure(|l1| {
            l1.set_logging_config(None::<Value<nephos::lambda::function::LoggingConfig>>)
        }),
    );
    let err = errors(&stack);
    assert!(
        err.contains("`Fn`") && err.contains("LoggingConfig"),
        "{err}"
    );
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        function()
            .vpc(
                [Value::<nephos::kinds::Ec2SubnetId>::literal(
                    "subnet-0123abcd",
                )],
                [Value::<nephos::kinds::Ec2SecurityGroupId>::literal(
                    "sg-0123abcd",
                )],
            )
            .configure_role(|r| {
                r.set_managed_policy_arns(
                    None::<Value<List<nephos::kinds::IamManagedPolicyPolicyArn>>>,
                )
            }),
    );
    let err = errors(&stack);
    assert!(
        err.contains("FnRole") && err.contains("ManagedPolicyArns"),
        "{err}"
    );
}
