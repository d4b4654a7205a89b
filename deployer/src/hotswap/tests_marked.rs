//! A hotswap after an earlier one (atk15b 7): the properties the earlier hotswap marked
//! take the new template's values too, so a reverted edit does not stay live while the
//! review names only the other change.

use serde_json::{Value, json};

use super::apply::Attempt;
use super::fake::FakeLambda;
use super::tests::{cfn_with, deployed, edited, request, resource, run};
use crate::cfn::status::StackStatus;
use crate::deploy::fake::{FakeCfn, stack};

fn mark(lambda: &FakeLambda, function: &str, props: &str) {
    lambda
        .markers
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(function.into(), props.into());
}

#[tokio::test]
async fn a_reverted_code_edit_with_another_change_puts_the_new_templates_code_back() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    // First hotswap: new code. CloudFormation's template still names assets/aaa.zip.
    let v2 =
        edited(|t| t["Resources"]["Fn"]["Properties"]["Code"]["S3Key"] = json!("assets/bbb.zip"));
    let got = run(&cfn, &lambda, &request(v2)).await;
    assert!(matches!(got, Ok(Attempt::Hotswapped { .. })), "{got:?}");
    lambda
        .calls
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();

    // The code reverted (the deployed template's again) and the memory changed.
    let v1_mem = edited(|t| t["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(512));
    let got = run(&cfn, &lambda, &request(v1_mem))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let Attempt::Hotswapped { functions, .. } = got else {
        panic!("expected a hotswap: {got:?}");
    };
    assert_eq!(functions.len(), 1, "{functions:?}");
    assert_eq!(functions[0].changed, ["Code", "MemorySize"]);
    assert!(
        functions[0].shown.iter().any(
            |s| s.starts_with("Code: (hotswapped earlier) -> ") && s.contains("assets/aaa.zip")
        ),
        "{:?}",
        functions[0].shown
    );
    let calls = lambda.calls();
    assert_eq!(
        calls[0],
        r#"UpdateFunctionCode api-Fn-123 S3 { bucket: "nephos-staging-123456789012-eu-west-1", key: "assets/aaa.zip", version: None }"#
    );
    assert!(
        calls
            .iter()
            .any(|c| c.starts_with("UpdateFunctionConfiguration api-Fn-123")
                && c.contains("memory_size: Some(512)")),
        "{calls:?}"
    );
    // Still drifted from CloudFormation's template (MemorySize): the marker keeps both.
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Code MemorySize")
    );
    assert!(cfn.write_calls().is_empty());
}

/// Two functions: one hotswapped earlier and reverted, the other edited now. The plan of
/// the templates names only the second; the first gets a change of its own.
#[tokio::test]
async fn a_marked_function_the_templates_do_not_change_is_restored_in_the_same_hotswap() {
    let two = |t: &mut Value| {
        let second = t["Resources"]["Fn"].clone();
        t["Resources"]["Other"] = second;
    };
    let mut base = deployed();
    two(&mut base);
    let cfn = FakeCfn::new(vec![{
        let mut s = stack(StackStatus::UpdateComplete);
        if let Some(s) = s.as_mut() {
            s.parameters = vec![("Stage".into(), "dev".into())];
        }
        s
    }])
    .with_template(&base.to_string())
    .with_resources(vec![
        resource("Fn", Some("api-Fn-123"), "AWS::Lambda::Function"),
        resource("Other", Some("api-Other-7"), "AWS::Lambda::Function"),
        resource("Role", Some("api-Role-1"), "AWS::IAM::Role"),
        resource("Table", Some("api-Table-9"), "AWS::DynamoDB::Table"),
    ]);
    let lambda = FakeLambda::new(&["Successful"]);
    mark(&lambda, "api-Other-7", "Code Timeout");
    // A marker on a function outside the stack is never read.
    mark(&lambda, "someone-else", "Handler");
    let mut new = base.clone();
    new["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(256);
    let got = run(&cfn, &lambda, &request(new))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let Attempt::Hotswapped { functions, .. } = got else {
        panic!("expected a hotswap: {got:?}");
    };
    let ids: Vec<(&str, &[String])> = functions
        .iter()
        .map(|f| (f.logical_id.as_str(), f.changed.as_slice()))
        .collect();
    assert_eq!(
        ids,
        [
            ("Fn", &["MemorySize".to_owned()][..]),
            ("Other", &["Code".to_owned(), "Timeout".to_owned()][..])
        ]
    );
    let calls = lambda.calls();
    assert!(
        calls.iter().any(
            |c| c.starts_with("UpdateFunctionCode api-Other-7") && c.contains("assets/aaa.zip")
        ),
        "{calls:?}"
    );
    // The template gives no Timeout: Lambda's default.
    assert!(
        calls
            .iter()
            .any(|c| c.starts_with("UpdateFunctionConfiguration api-Other-7")
                && c.contains("timeout: Some(3)")),
        "{calls:?}"
    );
}

/// A marked property the new template cannot give (no Handler, no Lambda default): the
/// change goes through CloudFormation (and its reconcile), with nothing written.
#[tokio::test]
async fn a_marked_property_the_new_template_cannot_give_falls_back_writing_nothing() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    mark(&lambda, "api-Fn-123", "Handler");
    let new = edited(|t| t["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(512));
    let got = run(&cfn, &lambda, &request(new)).await;
    let Ok(Attempt::Fallback(why)) = got else {
        panic!("expected a fallback: {got:?}");
    };
    assert!(
        why.contains("function Fn was hotswapped earlier") && why.contains("no Handler"),
        "{why}"
    );
    assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Handler")
    );
}
