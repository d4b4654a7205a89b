//! The merged replacement facts (`nephos::facts`): known cases from the AWS resource
//! reference, and the check that every fact of both vendored sources made it into the
//! generated table (so neither source can silently drop out of the merge).

use std::path::Path;

use nephos::facts::{ReplacementFact, resource};
use serde_json::Value;

use ReplacementFact::{Always, Maybe, Never};

/// (type, property path, what the AWS resource reference says a change does).
const KNOWN: &[(&str, &str, ReplacementFact)] = &[
    // "Update requires: Replacement" in the reference, missing from createOnlyProperties.
    ("AWS::DynamoDB::Table", "KeySchema", Always),
    ("AWS::DynamoDB::GlobalTable", "KeySchema", Always),
    (
        "AWS::DynamoDB::GlobalTable",
        "LocalSecondaryIndexes",
        Always,
    ),
    ("AWS::S3::Bucket", "ObjectLockEnabled", Always),
    ("AWS::Events::EventBus", "EventSourceName", Always),
    (
        "AWS::Lambda::EventSourceMapping",
        "SelfManagedKafkaEventSourceConfig",
        Always,
    ),
    // create-only in the registry schemas.
    ("AWS::DynamoDB::Table", "TableName", Always),
    ("AWS::SQS::Queue", "QueueName", Always),
    ("AWS::SQS::Queue", "FifoQueue", Always),
    ("AWS::S3::Bucket", "BucketName", Always),
    ("AWS::Lambda::Function", "FunctionName", Always),
    ("AWS::SNS::Topic", "TopicName", Always),
    ("AWS::Logs::LogGroup", "LogGroupName", Always),
    ("AWS::IAM::Role", "RoleName", Always),
    ("AWS::ApiGateway::Resource", "PathPart", Always),
    // nested below a replacing property.
    ("AWS::DynamoDB::Table", "KeySchema/0/AttributeName", Always),
    // "Some interruptions" or conditional: may replace.
    ("AWS::Lambda::Function", "DurableConfig", Maybe),
    (
        "AWS::DynamoDB::GlobalTable",
        "GlobalSecondaryIndexes",
        Maybe,
    ),
    // "No interruption": in place.
    ("AWS::DynamoDB::Table", "BillingMode", Never),
    ("AWS::SQS::Queue", "VisibilityTimeout", Never),
    ("AWS::S3::Bucket", "VersioningConfiguration", Never),
    ("AWS::Lambda::Function", "MemorySize", Never),
    ("AWS::SNS::Topic", "DisplayName", Never),
    ("AWS::Logs::LogGroup", "RetentionInDays", Never),
    ("AWS::IAM::Role", "MaxSessionDuration", Never),
];

#[test]
fn known_cases_match_the_merged_facts() {
    let mut wrong = Vec::new();
    for (ty, path, expected) in KNOWN {
        let facts = resource(ty).unwrap_or_else(|| panic!("{ty}: no facts"));
        let got = facts.replacement(path);
        if got != *expected {
            wrong.push(format!("{ty} {path}: {got:?}, expected {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas"))
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

#[test]
fn every_service_spec_fact_is_in_the_table() {
    let spec = read(&root().join("aws-service-spec/replacement.json"));
    let types = spec["types"].as_object().expect("types");
    let (mut checked, mut missing) = (0, Vec::new());
    for (ty, f) in types {
        // Types only the service spec knows have no registry schema and no facts entry.
        let Some(facts) = resource(ty) else { continue };
        for (key, at_least) in [("yes", Always), ("maybe", Maybe)] {
            for p in f[key].as_array().into_iter().flatten() {
                let p = p.as_str().unwrap_or_default();
                checked += 1;
                if facts.replacement(p) < at_least {
                    missing.push(format!("{ty} {p}"));
                }
            }
        }
    }
    assert!(checked > 4000, "only {checked} service-spec facts");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_create_only_property_replaces() {
    let mut checked = 0;
    for entry in std::fs::read_dir(root()).expect("schemas").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        for (ty, schema) in read(&path).as_object().expect("types") {
            let facts = resource(ty).unwrap_or_else(|| panic!("{ty}: no facts"));
            for p in schema["createOnlyProperties"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let p = p.as_str().unwrap_or_default();
                let p = p.strip_prefix("/properties/").unwrap_or(p);
                checked += 1;
                assert!(facts.replaces_on_change(p), "{ty} {p}");
            }
        }
    }
    assert!(checked > 3000, "only {checked} create-only properties");
}
