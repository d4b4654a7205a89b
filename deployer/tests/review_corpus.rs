//! The review corpus: (before, after) template pairs across the services nephos covers, each
//! with the action CloudFormation takes on every resource and the parameter values that
//! change, as the AWS resource reference ("Update requires: ...") documents them. The offline
//! diff, with the generated facts, must match every row.

use std::collections::{BTreeMap, BTreeSet};

use nephos_cli::cfn::model::Stack;
use nephos_cli::diff::facts::SchemaFacts;
use nephos_cli::diff::parameters::ParameterValues;
use nephos_cli::diff::{Action, diff_stack};
use serde_json::{Value, json};

use Action::{Add, MayRemove, MayReplace, Modify, OrderingOnly, Remove, Replace, TypeChange};

struct Row {
    name: &'static str,
    before: Value,
    after: Value,
    /// Deployed parameter values, and the values the deploy passes.
    deployed: Vec<(&'static str, &'static str)>,
    requested: Vec<(&'static str, &'static str)>,
    /// Expected action per logical ID; resources not listed must not change.
    resources: Vec<(&'static str, Action)>,
    /// Expected parameters whose value changes.
    parameters: Vec<&'static str>,
    /// Expected data-loss risks (logical IDs), when the row checks them.
    data_loss: Option<Vec<&'static str>>,
}

/// One resource `R` of type `ty` whose properties go from `a` to `b`.
fn prop(name: &'static str, ty: &str, a: Value, b: Value, action: Option<Action>) -> Row {
    let t = |p: Value| json!({"Resources": {"R": {"Type": ty, "Properties": p}}});
    Row {
        name,
        before: t(a),
        after: t(b),
        deployed: Vec::new(),
        requested: Vec::new(),
        resources: action.map(|a| vec![("R", a)]).unwrap_or_default(),
        parameters: Vec::new(),
        data_loss: None,
    }
}

/// One resource `R` whose whole definition goes from `a` to `b` (attributes included).
fn res(name: &'static str, a: Value, b: Value, action: Option<Action>) -> Row {
    Row {
        name,
        before: json!({"Resources": {"R": a}}),
        after: json!({"Resources": {"R": b}}),
        deployed: Vec::new(),
        requested: Vec::new(),
        resources: action.map(|a| vec![("R", a)]).unwrap_or_default(),
        parameters: Vec::new(),
        data_loss: None,
    }
}

/// A template with parameters `Env` (default dev) and NoEcho `Secret`, and resource `R`.
fn with_params(
    name: &'static str,
    ty: &str,
    props: Value,
    requested: Vec<(&'static str, &'static str)>,
    action: Option<Action>,
    parameters: Vec<&'static str>,
) -> Row {
    let t = json!({
        "Parameters": {"Env": {"Type": "String", "Default": "dev"}, "Secret": {"Type": "String", "NoEcho": "true"}},
        "Resources": {"R": {"Type": ty, "Properties": props}}
    });
    Row {
        name,
        before: t.clone(),
        after: t,
        deployed: vec![("Env", "dev"), ("Secret", "****")],
        requested,
        resources: action.map(|a| vec![("R", a)]).unwrap_or_default(),
        parameters,
        data_loss: None,
    }
}

/// A whole (before, after) pair with parameter values and the data-loss risks expected.
#[allow(clippy::too_many_arguments)]
fn pair(
    name: &'static str,
    before: Value,
    after: Value,
    deployed: Vec<(&'static str, &'static str)>,
    requested: Vec<(&'static str, &'static str)>,
    resources: Vec<(&'static str, Action)>,
    parameters: Vec<&'static str>,
    data_loss: Vec<&'static str>,
) -> Row {
    Row {
        name,
        before,
        after,
        deployed,
        requested,
        resources,
        parameters,
        data_loss: Some(data_loss),
    }
}

const FN: &str = "AWS::Lambda::Function";
const PERM: &str = "AWS::Lambda::Permission";
const ESM: &str = "AWS::Lambda::EventSourceMapping";
const ALIAS: &str = "AWS::Lambda::Alias";
const API: &str = "AWS::ApiGateway::RestApi";
const APIRES: &str = "AWS::ApiGateway::Resource";
const METHOD: &str = "AWS::ApiGateway::Method";
const STAGE: &str = "AWS::ApiGateway::Stage";
const DEPLOYMENT: &str = "AWS::ApiGateway::Deployment";
const TABLE: &str = "AWS::DynamoDB::Table";
const GTABLE: &str = "AWS::DynamoDB::GlobalTable";
const BUCKET: &str = "AWS::S3::Bucket";
const BPOLICY: &str = "AWS::S3::BucketPolicy";
const TOPIC: &str = "AWS::SNS::Topic";
const SUB: &str = "AWS::SNS::Subscription";
const QUEUE: &str = "AWS::SQS::Queue";
const QPOLICY: &str = "AWS::SQS::QueuePolicy";
const ROLE: &str = "AWS::IAM::Role";
const POLICY: &str = "AWS::IAM::Policy";
const MPOLICY: &str = "AWS::IAM::ManagedPolicy";
const USER: &str = "AWS::IAM::User";
const LOGS: &str = "AWS::Logs::LogGroup";
const MFILTER: &str = "AWS::Logs::MetricFilter";
const RULE: &str = "AWS::Events::Rule";

fn key(name: &str) -> Value {
    json!([{"AttributeName": name, "KeyType": "HASH"}])
}

#[path = "review_corpus/attack.rs"]
mod attack;
#[path = "review_corpus/services.rs"]
mod services;
#[path = "review_corpus/template.rs"]
mod template;

#[test]
fn the_offline_diff_matches_every_row_of_the_corpus() {
    let mut rows = services::rows();
    rows.extend(template::rows());
    rows.extend(attack::rows());
    let mut wrong = Vec::new();
    let mut properties = BTreeSet::new();
    for row in &rows {
        let stack = Stack {
            name: "corpus".into(),
            id: "arn:aws:cloudformation:us-east-1:123456789012:stack/corpus/1".into(),
            parameters: row
                .deployed
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        };
        let requested: BTreeMap<String, String> = row
            .requested
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // The "pseudo parameter" row writes the region literally on one side.
        let mut before = row.before.clone();
        if row.name == "pseudo parameter vs literal" {
            before["Resources"]["R"]["Properties"]["LogGroupName"] = json!("/app/us-east-1");
        }
        let values = ParameterValues::of(Some(&stack), &requested);
        let diff = diff_stack(&before, &row.after, &values, &SchemaFacts);
        let got: Vec<(&str, Action)> = diff
            .resources
            .iter()
            .map(|r| (r.logical_id.as_str(), r.action))
            .collect();
        if got != row.resources {
            wrong.push(format!(
                "{}: resources {got:?}, expected {:?}",
                row.name, row.resources
            ));
        }
        if let Some(expected) = &row.data_loss {
            let risks: Vec<&str> = diff
                .data_loss
                .iter()
                .map(|d| d.logical_id.as_str())
                .collect();
            if risks != *expected {
                wrong.push(format!(
                    "{}: data-loss risks {risks:?}, expected {expected:?}",
                    row.name
                ));
            }
        }
        let params: Vec<&str> = diff.parameters.iter().map(|p| p.name.as_str()).collect();
        if params != row.parameters {
            wrong.push(format!(
                "{}: parameters {params:?}, expected {:?}",
                row.name, row.parameters
            ));
        }
        for r in [&row.before, &row.after] {
            for (_, res) in r["Resources"].as_object().into_iter().flatten() {
                for p in res["Properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                {
                    properties.insert(format!("{}.{p}", res["Type"].as_str().unwrap_or("?")));
                }
            }
        }
    }
    eprintln!(
        "review corpus: {} rows, {} distinct properties",
        rows.len(),
        properties.len()
    );
    assert!(rows.len() >= 60, "only {} rows", rows.len());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
