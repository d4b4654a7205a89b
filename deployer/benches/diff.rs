//! `nephos diff` of two 500-resource templates: the offline diff and its text rendering.

use criterion::{Criterion, criterion_group, criterion_main};
use nephos_cli::diff::diff_templates;
use nephos_cli::diff::facts::TableFacts;
use nephos_cli::diff::render::render;
use nephos_cli::output::style::Style;
use serde_json::{Map, Value, json};

/// A template of `n` resources cycling through five shapes (queue, table, function, role,
/// bucket policy); `version` changes every seventh resource, drops a few and adds a few.
fn template(n: usize, version: u32) -> Value {
    let mut resources = Map::new();
    for i in 0..n {
        if version == 2 && i % 97 == 0 {
            continue;
        }
        let memory = if version == 2 && i % 7 == 0 { 256 } else { 128 };
        let r = match i % 5 {
            0 => {
                json!({"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": memory, "Tags": [{"Key": "n", "Value": i.to_string()}]}})
            }
            1 => json!({"Type": "AWS::DynamoDB::Table", "Properties": {
                "TableName": format!("t{i}-{}", if memory == 256 { "b" } else { "a" }),
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}),
            2 => json!({"Type": "AWS::Lambda::Function", "Properties": {
                "Runtime": "python3.12", "Handler": "index.handler", "MemorySize": memory,
                "Role": {"Fn::GetAtt": [format!("R{}", i + 1), "Arn"]},
                "Code": {"S3Bucket": "b", "S3Key": "k.zip"},
                "Environment": {"Variables": {"TABLE": {"Ref": format!("R{}", i - 1)}}}}}),
            3 => {
                let mut actions = vec!["dynamodb:GetItem", "dynamodb:Query"];
                if memory == 256 {
                    actions.push("dynamodb:PutItem");
                }
                json!({"Type": "AWS::IAM::Role", "Properties": {
                    "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                    "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
                        {"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": [format!("R{}", i - 2), "Arn"]}}]}}]}})
            }
            _ => {
                json!({"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "b", "PolicyDocument": {"Statement": [
                {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}})
            }
        };
        resources.insert(format!("R{i}"), r);
    }
    if version == 2 {
        for i in 0..5 {
            resources.insert(
                format!("New{i}"),
                json!({"Type": "AWS::SNS::Topic", "Properties": {}}),
            );
        }
    }
    json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources})
}

fn bench(c: &mut Criterion) {
    let old = template(500, 1);
    let new = template(500, 2);
    let facts = TableFacts(vec![(
        "AWS::DynamoDB::Table",
        vec!["TableName", "KeySchema"],
    )]);
    let diff = diff_templates(&old, &new, &facts);
    assert!(
        {
            let c = diff.counts();
            c.updated + c.replaced + c.may_be_replaced >= 50
        },
        "the bench must diff real changes"
    );
    c.bench_function("diff 500 resources", |b| {
        b.iter(|| diff_templates(&old, &new, &facts))
    });
    c.bench_function("diff + render 500 resources", |b| {
        b.iter(|| {
            let d = diff_templates(&old, &new, &facts);
            let mut out = Vec::with_capacity(64 * 1024);
            let _ = render(&mut out, "bench", &d, Style::plain());
            out.len()
        })
    });
    let old_text = serde_json::to_string(&old).unwrap_or_default();
    let new_text = serde_json::to_string(&new).unwrap_or_default();
    c.bench_function("parse both + diff + render 500 resources", |b| {
        b.iter(|| {
            let o = nephos_cli::source::template::parse_template(&old_text).unwrap_or_default();
            let n = nephos_cli::source::template::parse_template(&new_text).unwrap_or_default();
            let d = diff_templates(&o, &n, &facts);
            let mut out = Vec::new();
            let _ = render(&mut out, "bench", &d, Style::plain());
            out.len()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
