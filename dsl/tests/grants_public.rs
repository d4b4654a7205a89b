//! The public grant API (`nephos::constructs::grants`) works the same on a construct, on
//! a generated handle and on a resource imported by ARN, and returns what it added.

use nephos::constructs::grants::{self, Grant, Target, table::TableTarget};
use nephos::constructs::{Code, Function, FunctionRef, Queue, Runtime};
use nephos::policy::Statement;
use nephos::{Stack, Value, dynamodb, sqs};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

/// A generated table (no construct): a string key, on demand.
fn raw_table() -> dynamodb::Table {
    use dynamodb::table::{AttributeDefinition, AttributeType, BillingMode, KeySchema};
    dynamodb::Table::new(vec![KeySchema::new("id", "HASH")])
        .add_attribute_definitions(AttributeDefinition::new("id", AttributeType::S))
        .billing_mode(BillingMode::PayPerRequest)
}

fn statements(stack: &Stack) -> J {
    let t = stack.synth().unwrap().json().clone();
    t["Resources"]["WorkerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

#[test]
fn a_construct_a_generated_handle_and_an_imported_arn_get_the_same_actions() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let construct = stack.add("Built", Queue::new());
    let generated = stack.add("Raw", sqs::Queue::new());
    let imported = Target::by_arn("queue", "arn:aws:sqs:eu-west-1:123456789012:jobs");
    for target in [construct.grant_target(), Target::from(&generated), imported] {
        let added = grants::queue::consume(&mut stack, &f, &target);
        assert_eq!(added.len(), 1, "{target:?}");
        assert_eq!(added[0].role.logical_id(), "WorkerRole");
    }
    let s = statements(&stack);
    // One statement: the same actions on the three queues.
    assert_eq!(s.as_array().unwrap().len(), 1, "{s}");
    assert_eq!(
        s[0]["Action"],
        json!(grants::actions::SQS_CONSUME),
        "the public action list is what is granted"
    );
    assert_eq!(
        s[0]["Resource"],
        json!([
            "arn:aws:sqs:eu-west-1:123456789012:jobs",
            {"Fn::GetAtt": ["Built", "Arn"]},
            {"Fn::GetAtt": ["Raw", "Arn"]},
        ])
    );
}

#[test]
fn a_grant_returns_the_statement_it_added_conditions_included() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let grant = Grant::new("reading parameters")
        .actions(&["ssm:GetParameter"])
        .on("arn:aws:ssm:eu-west-1:123456789012:parameter/app/*")
        .condition("StringEquals", "aws:ResourceAccount", "123456789012");
    let added = grants::grant(&mut stack, &f, grant.clone()).expect("attached");
    assert_eq!(added.statement, grant.statement());
    assert_eq!(
        added.statement,
        Statement::allow()
            .action("ssm:GetParameter")
            .resource("arn:aws:ssm:eu-west-1:123456789012:parameter/app/*")
            .condition("StringEquals", "aws:ResourceAccount", "123456789012")
    );
    let s = statements(&stack);
    assert_eq!(
        s[0]["Condition"],
        json!({"StringEquals": {"aws:ResourceAccount": "123456789012"}})
    );
}

#[test]
fn an_encrypted_target_covers_its_key_through_the_service_only() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let key: Value<nephos::kinds::KmsKeyArn> =
        Value::literal("arn:aws:kms:eu-west-1:123456789012:key/k");
    let target = Target::by_arn("queue", "arn:aws:sqs:eu-west-1:123456789012:jobs")
        .encrypted_with(Some(key.into()));
    let added = grants::queue::send(&mut stack, &f, &target);
    assert_eq!(added.len(), 2);
    let s = statements(&stack);
    let kms = s
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Resource"] == json!(["arn:aws:kms:eu-west-1:123456789012:key/k"]))
        .expect("a statement on the key");
    assert_eq!(
        kms["Condition"]["StringEquals"]["kms:ViaService"],
        json!({"Fn::Sub": "sqs.${AWS::Region}.amazonaws.com"})
    );
}

#[test]
fn a_grant_to_a_role_given_by_arn_returns_nothing_and_fails_synth() {
    let mut stack = Stack::new("App");
    let f = stack.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
            .role(Value::literal("arn:aws:iam::123456789012:role/ops")),
    );
    let table = stack.add("Raw", raw_table());
    let added = grants::table::read(&mut stack, &f, &TableTarget::from(&table));
    assert!(added.is_empty());
    let e = stack.synth().unwrap_err().to_string();
    assert!(
        e.contains("function `Worker` cannot receive read access to the table"),
        "{e}"
    );
}

#[test]
fn stream_read_on_a_table_without_a_stream_is_a_synth_error_naming_it() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let table = stack.add("Raw", raw_table());
    let added = grants::table::stream_read(&mut stack, &f, &TableTarget::from(&table));
    assert!(added.is_empty());
    let e = stack.synth().unwrap_err().to_string();
    assert!(
        e.contains("granting stream read needs a stream, but table `Raw` has none"),
        "{e}"
    );
}
