//! Values a hotswap must never write: a dynamic reference (`{{resolve:...}}`), which only
//! CloudFormation resolves, and a parameter whose deployed value nephos cannot know (NoEcho,
//! SSM-typed, listed twice). Each goes through CloudFormation, saying why, with nothing
//! written to Lambda; the restore after a deploy refuses them the same way.

use serde_json::{Value, json};

use super::apply::Attempt;
use super::fake::FakeLambda;
use super::reconcile::reconcile;
use super::tests::{NOW, deployed, request, resource, run};
use crate::cfn::retry::RetryPolicy;
use crate::cfn::status::StackStatus;
use crate::deploy::fake::{FakeCfn, FakeStaging, stack};
use crate::deploy::interrupt::Interrupt;

/// What a test adds to the deployed template's Parameters (in the deployed and the new
/// template alike) and what DescribeStacks answers for them.
fn cfn_on(template: &Value, parameters: &[(&str, &str)]) -> FakeCfn {
    let mut s = stack(StackStatus::UpdateComplete);
    if let Some(s) = s.as_mut() {
        s.parameters = parameters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
    }
    FakeCfn::new(vec![s])
        .with_template(&template.to_string())
        .with_resources(vec![
            resource("Fn", Some("api-Fn-123"), "AWS::Lambda::Function"),
            resource("Role", Some("api-Role-1"), "AWS::IAM::Role"),
            resource("Table", Some("api-Table-9"), "AWS::DynamoDB::Table"),
        ])
}

fn with_parameters(decls: &Value) -> Value {
    let mut t = deployed();
    for (k, v) in decls.as_object().into_iter().flatten() {
        t["Parameters"][k] = v.clone();
    }
    t
}

fn with_variable(mut t: Value, value: Value) -> Value {
    t["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]["NEW"] = value;
    t
}

async fn expect_fallback(what: &str, cfn: &FakeCfn, new: Value, reason: &str) -> String {
    let lambda = FakeLambda::new(&["Successful"]);
    let got = run(cfn, &lambda, &request(new))
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let Attempt::Fallback(why) = got else {
        panic!("{what}: expected a fallback, got {got:?}");
    };
    assert!(why.contains(reason), "{what}: {why}");
    assert!(lambda.calls().is_empty(), "{what}: {:?}", lambda.calls());
    assert!(
        lambda.markers().is_empty(),
        "{what}: {:?}",
        lambda.markers()
    );
    assert!(cfn.write_calls().is_empty(), "{what}");
    why
}

#[tokio::test]
async fn a_dynamic_reference_is_never_hotswapped_however_it_is_written() {
    let params = [("Stage", "dev")];
    let cases = [
        ("ssm-secure", json!("{{resolve:ssm-secure:/db/password:1}}")),
        ("ssm", json!({"Fn::Sub": "{{resolve:ssm:/${Stage}/url}}"})),
        (
            "secretsmanager",
            json!({"Fn::Join": ["", ["{{resolve:", "secretsmanager:db:SecretString:pw}}"]]}),
        ),
    ];
    for (service, value) in cases {
        let cfn = cfn_on(&deployed(), &params);
        let new = with_variable(deployed(), value);
        expect_fallback(
            service,
            &cfn,
            new,
            &format!("Environment: holds a dynamic reference ({{{{resolve:{service}:...}}}})"),
        )
        .await;
    }
    let cfn = cfn_on(&deployed(), &params);
    let mut new = deployed();
    new["Resources"]["Fn"]["Properties"]["Description"] = json!("{{resolve:ssm:/d}}");
    expect_fallback(
        "Description",
        &cfn,
        new,
        "Description: holds a dynamic reference",
    )
    .await;
}

#[tokio::test]
async fn a_parameter_nephos_cannot_know_is_never_hotswapped_and_never_shown() {
    // DescribeStacks answers "****" for NoEcho on AWS; an emulator may answer the value.
    // Either way the template's declaration decides, and the value appears nowhere.
    let cases = [
        (
            json!({"Pw": {"Type": "String", "NoEcho": true}}),
            vec![("Stage", "dev"), ("Pw", "hunter2-secret")],
            "the parameter Pw is NoEcho",
        ),
        (
            json!({"Pw": {"Type": "String", "NoEcho": "TRUE"}}),
            vec![("Stage", "dev"), ("Pw", "hunter2-secret")],
            "the parameter Pw is NoEcho",
        ),
        (
            json!({"Pw": {"Type": "String"}}),
            vec![("Stage", "dev"), ("Pw", "****")],
            "the parameter Pw is NoEcho",
        ),
        (
            json!({"Pw": {"Type": "AWS::SSM::Parameter::Value<String>"}}),
            vec![("Stage", "dev"), ("Pw", "/hunter2-secret/name")],
            "the parameter Pw is read from SSM Parameter Store",
        ),
        (
            json!({"Pw": {"Type": "String"}}),
            vec![("Stage", "dev"), ("Pw", "hunter2-secret"), ("Pw", "other")],
            "lists the parameter Pw twice",
        ),
    ];
    for (decls, params, reason) in cases {
        let t = with_parameters(&decls);
        for value in [
            json!({"Ref": "Pw"}),
            json!({"Fn::Sub": "x-${Pw}"}),
            json!({"Fn::Join": [":", ["a", {"Ref": "Pw"}]]}),
            json!({"Fn::Sub": ["${V}", {"V": {"Ref": "Pw"}}]}),
        ] {
            let cfn = cfn_on(&t, &params);
            let why = expect_fallback(reason, &cfn, with_variable(t.clone(), value), reason).await;
            assert!(!why.contains("hunter2"), "{why}");
        }
    }
    // The same parameter, plainly declared and read once, is used.
    let t = with_parameters(&json!({"Pw": {"Type": "String", "NoEcho": false}}));
    let cfn = cfn_on(&t, &[("Stage", "dev"), ("Pw", "plain")]);
    let lambda = FakeLambda::new(&["Successful"]);
    let got = run(
        &cfn,
        &lambda,
        &request(with_variable(t, json!({"Ref": "Pw"}))),
    )
    .await;
    assert!(matches!(got, Ok(Attempt::Hotswapped { .. })), "{got:?}");
    assert!(
        lambda.calls()[0].contains(r#""NEW": "plain""#),
        "{:?}",
        lambda.calls()
    );
}

#[tokio::test]
async fn restoring_a_hotswapped_function_never_writes_a_dynamic_reference_or_a_masked_value() {
    for (decls, params, value, reason) in [
        (
            json!({}),
            vec![("Stage", "dev")],
            json!("{{resolve:ssm-secure:/db/pw}}"),
            "holds a dynamic reference",
        ),
        (
            json!({"Pw": {"Type": "String", "NoEcho": true}}),
            vec![("Stage", "dev"), ("Pw", "****")],
            json!({"Ref": "Pw"}),
            "the parameter Pw is NoEcho",
        ),
    ] {
        // CloudFormation applied this template (it resolves both); the function still
        // carries the marker of an earlier hotswap of its environment.
        let t = with_variable(with_parameters(&decls), value);
        let cfn = cfn_on(&t, &params);
        let lambda = FakeLambda::new(&["Successful"]);
        lambda
            .markers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert("api-Fn-123".into(), "Environment".into());
        let got = reconcile(
            &cfn,
            &FakeStaging::default(),
            &lambda,
            &RetryPolicy::IMMEDIATE,
            NOW,
            "api",
            &[],
            &Interrupt::new(),
        )
        .await;
        let e = got.expect_err("refused");
        assert!(e.to_string().contains(reason), "{e}");
        assert!(
            !lambda
                .calls()
                .iter()
                .any(|c| c.starts_with("UpdateFunction")),
            "{:?}",
            lambda.calls()
        );
    }
}
