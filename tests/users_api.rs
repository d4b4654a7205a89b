//! The users_api example matches the tutorial's CloudFormation resource for resource,
//! with the two faults the tutorial has fixed (see the example's doc comment).

mod common;

use std::collections::BTreeMap;

use nephos::assertions::Assertions;
use serde_json::json;

fn template() -> Assertions {
    Assertions::from_stack(&common::users_api::stack())
}

#[test]
fn the_same_resource_types_and_counts_as_the_tutorial() {
    let t = template();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in t.json()["Resources"].as_object().unwrap().values() {
        *counts.entry(r["Type"].as_str().unwrap()).or_default() += 1;
    }
    let tutorial: BTreeMap<&str, usize> = [
        ("AWS::ApiGateway::Deployment", 1),
        ("AWS::ApiGateway::Method", 1),
        ("AWS::ApiGateway::Resource", 1),
        ("AWS::ApiGateway::RestApi", 1),
        ("AWS::DynamoDB::Table", 1),
        ("AWS::IAM::Role", 1),
        ("AWS::Lambda::EventSourceMapping", 1),
        ("AWS::Lambda::Function", 1),
        ("AWS::Lambda::Permission", 2),
        ("AWS::Logs::LogGroup", 1),
        ("AWS::S3::Bucket", 1),
        ("AWS::SNS::Subscription", 1),
        ("AWS::SNS::Topic", 1),
    ]
    .into();
    assert_eq!(counts, tutorial);
    let params: Vec<&String> = t.json()["Parameters"].as_object().unwrap().keys().collect();
    assert_eq!(params, ["Environment", "FunctionName", "NotificationEmail"]);
    assert_eq!(
        t.json()["Parameters"]["Environment"]["AllowedValues"],
        json!(["dev", "staging", "prod"])
    );
}

#[test]
fn key_properties_follow_the_tutorial() {
    let t = template();
    t.has_resource_properties(
        "AWS::Lambda::Function",
        json!({
            "FunctionName": {"Fn::Sub": "${FunctionName}-${Environment}"},
            "Handler": "index.lambda_handler",
            "Timeout": 30,
            "MemorySize": 256,
            "Environment": {"Variables": {"TABLE_NAME": {"Ref": "DynamoDBTable"}}},
            // Tags are written sorted by key, whatever order the code adds them in.
            "Tags": [
                {"Key": "Environment", "Value": {"Ref": "Environment"}},
                {"Key": "Name", "Value": {"Fn::Sub": "${FunctionName}-${Environment}"}}
            ]
        }),
    );
    t.has_resource_properties(
        "AWS::DynamoDB::Table",
        json!({
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}],
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        }),
    );
    t.has_resource_properties(
        "AWS::ApiGateway::RestApi",
        json!({"EndpointConfiguration": {"Types": ["REGIONAL"]}}),
    );
    t.has_resource_properties("AWS::ApiGateway::Resource", json!({"PathPart": "users"}));
    t.has_resource_properties(
        "AWS::ApiGateway::Method",
        json!({
            "HttpMethod": "POST", "AuthorizationType": "NONE",
            "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST"}
        }),
    );
    t.has_resource("AWS::ApiGateway::Deployment", json!({"DependsOn": ["ApiGatewayUsersPost", "ApiGatewayUsersResource"], "Properties": {"StageName": {"Ref": "Environment"}}}));
    t.has_resource_properties("AWS::Logs::LogGroup", json!({"LogGroupName": {"Fn::Sub": "/aws/lambda/${FunctionName}-${Environment}"}, "RetentionInDays": 14}));
    t.has_resource_properties("AWS::Lambda::EventSourceMapping", json!({
        "EventSourceArn": {"Fn::GetAtt": ["DynamoDBTable", "StreamArn"]}, "StartingPosition": "LATEST", "BatchSize": 10
    }));
    t.has_resource_properties(
        "AWS::S3::Bucket",
        json!({
            "NotificationConfiguration": {"LambdaConfigurations": [{
                "Event": "s3:ObjectCreated:*",
                "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "uploads/"}]}}
            }]}
        }),
    );
    t.has_resource_properties(
        "AWS::SNS::Subscription",
        json!({"Protocol": "email", "Endpoint": {"Ref": "NotificationEmail"}}),
    );
    t.has_output(
        "ApiGatewayUrl",
        json!({"Export": {"Name": {"Fn::Sub": "${Environment}-API-Gateway-URL"}}}),
    );
    t.has_output(
        "LambdaFunctionArn",
        json!({"Value": {"Fn::GetAtt": ["LambdaFunction", "Arn"]}}),
    );
    t.has_output(
        "DynamoDBTableName",
        json!({"Value": {"Ref": "DynamoDBTable"}}),
    );
}

#[test]
fn the_tutorials_two_faults_are_fixed() {
    let t = template();
    // 1. The role can read the stream the mapping consumes.
    let role = &t.json()["Resources"]["LambdaFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"];
    assert!(role.as_array().unwrap().iter().any(|s| s["Action"]
        == json!([
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator"
        ])
        && s["Resource"] == json!([{"Fn::GetAtt": ["DynamoDBTable", "StreamArn"]}])));
    // 2. No cycle between the bucket, its notification and the permission.
    t.assert_no_cycles();
    assert_eq!(
        t.json()["Resources"]["S3Bucket"]["DependsOn"],
        json!(["LambdaFunctionS3BucketPermission"])
    );
    assert!(
        !t.dependencies_of("LambdaFunctionS3BucketPermission")
            .contains(&"S3Bucket".to_string())
    );
}

/// `nephos::app!()` expands in the crate that calls it: the example's app records this
/// package (the deployer checks its directory is in the project), not the nephos crate.
#[test]
fn the_app_records_the_crate_it_is_compiled_in() {
    let manifest = common::users_api::app()
        .synth()
        .expect("the stack is valid")
        .manifest;
    let krate = manifest.app_crate.expect("app!() records the crate");
    assert_eq!(krate.manifest_dir, env!("CARGO_MANIFEST_DIR"));
    assert_eq!(krate.package, "nephos-project");
}
