//! The list keywords of the registry schemas synth used to skip (the attack on issue 13,
//! F13), on real generated types of the default services: `uniqueItems` (Lambda's
//! `Layers`), `prefixItems` (DynamoDB's key schema: `HASH` first, `RANGE` second) and
//! `const` (S3's analytics export schema version `V_1`).
#![cfg(all(feature = "lambda", feature = "dynamodb", feature = "s3"))]

use nephos::dynamodb::table as t;
use nephos::kinds::{IamRoleArn, LambdaLayerVersionArn};
use nephos::s3::bucket as b;
use nephos::{Parameter, Stack, Value};

fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().map(|d| d.to_string()).collect(),
    }
}

fn function() -> nephos::lambda::Function {
    nephos::lambda::Function::new(
        nephos::lambda::function::Code::new().zip_file("x"),
        Value::<IamRoleArn>::literal("arn:aws:iam::123456789012:role/run"),
    )
}

const LAYER: &str = "arn:aws:lambda:us-east-1:123456789012:layer:shared:1";
const OTHER: &str = "arn:aws:lambda:us-east-1:123456789012:layer:shared:2";

fn layer(arn: &str) -> Value<LambdaLayerVersionArn> {
    Value::literal(arn)
}

/// A repeated literal item is refused naming the resource, the property, the item and
/// both places; distinct items pass, and so do computed ones.
#[test]
fn a_repeated_layer_is_refused_naming_the_item() {
    let mut stack = Stack::new("App");
    stack.add(
        "Fn",
        function()
            .add_layers(layer(LAYER))
            .add_layers(layer(OTHER))
            .add_layers(layer(LAYER)),
    );
    let e = errors(&stack);
    assert!(
        e.iter()
            .any(|e| e.contains("resource `Fn` property `Layers`")
                && e.contains(&format!("repeats \"{LAYER}\" (items 0 and 2)"))
                && e.contains("no repeated items")),
        "{e:?}"
    );
    let mut fine = Stack::new("App");
    fine.add(
        "Fn",
        function().add_layers(layer(LAYER)).add_layers(layer(OTHER)),
    );
    assert_eq!(errors(&fine), Vec::<String>::new());
    // Items known only at deploy are not compared: the same parameter twice passes synth.
    let mut computed = Stack::new("App");
    let arn = computed.parameter("LayerArn", Parameter::string());
    computed.add("Fn", function().add_layers(&arn).add_layers(&arn));
    assert_eq!(errors(&computed), Vec::<String>::new());
}

fn table_with_index(first: &str, second: &str) -> nephos::dynamodb::Table {
    let key = |name: &str, kind: &str| t::KeySchema::new(name, kind);
    nephos::dynamodb::Table::new(vec![key("pk", "HASH"), key("sk", "RANGE")])
        .add_attribute_definitions(t::AttributeDefinition::new("pk", t::AttributeType::S))
        .add_attribute_definitions(t::AttributeDefinition::new("sk", t::AttributeType::S))
        .add_attribute_definitions(t::AttributeDefinition::new("lsk", t::AttributeType::S))
        .billing_mode(t::BillingMode::PayPerRequest)
        .add_local_secondary_indexes(t::LocalSecondaryIndex::new(
            "by_lsk",
            vec![key("pk", first), key("lsk", second)],
            t::Projection::new().projection_type(t::ProjectionType::All),
        ))
}

/// `prefixItems`: the first key of an index's key schema is the `HASH` key and the second
/// the `RANGE` key; the message names the item.
#[test]
fn a_key_schema_out_of_order_is_refused_at_its_item() {
    let mut stack = Stack::new("App");
    stack.add("T", table_with_index("RANGE", "HASH"));
    let e = errors(&stack);
    for (i, want) in [(0, "HASH"), (1, "RANGE")] {
        assert!(
            e.iter().any(|e| e.contains(&format!(
                "resource `T` property `LocalSecondaryIndexes.0.KeySchema.{i}.KeyType`"
            )) && e.contains(&format!("one of {want}"))),
            "{i}: {e:?}"
        );
    }
    let mut fine = Stack::new("App");
    fine.add("T", table_with_index("HASH", "RANGE"));
    assert_eq!(errors(&fine), Vec::<String>::new());
}

fn bucket(version: &str) -> nephos::s3::Bucket {
    let export = b::DataExport::new(
        b::Destination::new(Value::literal("arn:aws:s3:::reports"), b::Format::Csv),
        version,
    );
    nephos::s3::Bucket::new().add_analytics_configurations(b::AnalyticsConfiguration::new(
        "all",
        b::StorageClassAnalysis::new().data_export(export),
    ))
}

/// `const`: the only schema version S3 analytics exports take is `V_1`.
#[test]
fn a_value_other_than_the_const_is_refused() {
    let mut stack = Stack::new("App");
    stack.add("B", bucket("V_2"));
    let e = errors(&stack);
    assert!(
        e.iter().any(|e| e.contains(
            "resource `B` property `AnalyticsConfigurations.0.StorageClassAnalysis.DataExport.OutputSchemaVersion`"
        ) && e.contains("one of V_1")),
        "{e:?}"
    );
    let mut fine = Stack::new("App");
    fine.add("B", bucket("V_1"));
    let e = errors(&fine);
    assert!(
        !e.iter().any(|e| e.contains("OutputSchemaVersion")),
        "{e:?}"
    );
}
