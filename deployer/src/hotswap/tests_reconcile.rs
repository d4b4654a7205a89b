//! The drift a hotswap leaves is recorded on each function and undone by the next deploy
//! without --hotswap, even when CloudFormation sees no change (the edit was undone).

use serde_json::json;

use super::apply::Attempt;
use super::fake::FakeLambda;
use super::reconcile::reconcile;
use super::tests::{NOW, cfn_with, edited, request, run};
use crate::cfn::retry::RetryPolicy;
use crate::cfn::status::StackStatus;
use crate::deploy::fake::FakeStaging;
use crate::deploy::interrupt::Interrupt;

async fn reconcile_api(
    cfn: &crate::deploy::fake::FakeCfn,
    lambda: &FakeLambda,
) -> crate::error::Result<Vec<String>> {
    let staging = FakeStaging::default();
    reconcile(
        cfn,
        &staging,
        lambda,
        &RetryPolicy::IMMEDIATE,
        NOW,
        "api",
        &[],
        &Interrupt::new(),
    )
    .await
}

#[tokio::test]
async fn undoing_a_hotswapped_edit_then_deploying_restores_the_template_through_lambda() {
    // The deployed template is `deployed()` throughout: the edit is hotswapped, then undone,
    // so CloudFormation has nothing to change.
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    let new = edited(|t| {
        let p = &mut t["Resources"]["Fn"]["Properties"];
        p["Code"]["S3Key"] = json!("assets/bbb.zip");
        p["Timeout"] = json!(900);
    });
    let got = run(&cfn, &lambda, &request(new)).await;
    assert!(matches!(got, Ok(Attempt::Hotswapped { .. })), "{got:?}");
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Code Timeout")
    );
    lambda
        .calls
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();

    let lines = reconcile_api(&cfn, &lambda)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("Fn was hotswapped earlier: Code, Timeout restored"),
        "{lines:?}"
    );
    let calls = lambda.calls();
    // The template's code (resolved) and Lambda's default timeout, since the template
    // gives none.
    assert_eq!(
        calls[0],
        r#"UpdateFunctionCode api-Fn-123 S3 { bucket: "nephos-staging-123456789012-eu-west-1", key: "assets/aaa.zip", version: None }"#
    );
    assert!(
        calls
            .iter()
            .any(|c| c.starts_with("UpdateFunctionConfiguration api-Fn-123")
                && c.contains("timeout: Some(3)")
                && c.contains("environment: None")),
        "{calls:?}"
    );
    assert!(lambda.markers().is_empty(), "{:?}", lambda.markers());
    assert!(cfn.write_calls().is_empty());

    // Once in line, a deploy changes nothing in Lambda.
    lambda
        .calls
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    let again = reconcile_api(&cfn, &lambda).await.unwrap_or_default();
    assert!(again.is_empty(), "{again:?}");
    assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
}

#[tokio::test]
async fn a_second_hotswap_keeps_the_first_ones_properties_in_the_marker() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    let env = edited(|t| {
        t["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]["MODE"] = json!("v2");
    });
    let mem = edited(|t| t["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(512));
    for t in [env, mem] {
        let got = run(&cfn, &lambda, &request(t)).await;
        assert!(matches!(got, Ok(Attempt::Hotswapped { .. })), "{got:?}");
    }
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("Environment MemorySize")
    );
    let lines = reconcile_api(&cfn, &lambda).await.unwrap_or_default();
    assert_eq!(lines.len(), 1);
    let calls = lambda.calls();
    assert!(
        calls.iter().any(|c| c.contains(
            r#"environment: Some({"STAGE": "dev", "TABLE": "api-Table-9"}), memory_size: Some(128)"#
        )),
        "{calls:?}"
    );
}

#[tokio::test]
async fn a_hotswap_that_cannot_record_its_drift_updates_nothing() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]).failing("TagResource");
    let new = edited(|t| t["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(512));
    let e = match run(&cfn, &lambda, &request(new)).await {
        Err(e) => e.to_string(),
        Ok(a) => panic!("expected an error: {a:?}"),
    };
    assert!(
        e.contains("drift marker (tag nephos:hotswapped) could not be written"),
        "{e}"
    );
    assert!(
        !lambda.calls().iter().any(|c| c.starts_with("Update")),
        "{:?}",
        lambda.calls()
    );
}

#[tokio::test]
async fn a_marked_property_the_template_cannot_restore_is_an_error_naming_it() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    lambda
        .markers
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert("api-Fn-123".into(), "Handler".into());
    let e = reconcile_api(&cfn, &lambda)
        .await
        .map(|l| format!("{l:?}"))
        .unwrap_or_else(|e| e.to_string());
    assert!(
        e.contains("Fn (api-Fn-123) was hotswapped and cannot be brought back")
            && e.contains("no Handler"),
        "{e}"
    );
    assert!(lambda.calls().iter().all(|c| !c.starts_with("Update")));
}

#[tokio::test]
async fn a_refused_approval_writes_nothing_and_the_review_shows_old_and_new() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    let new = edited(|t| t["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(512));
    let staging = FakeStaging::default();
    let b = super::apply::HotswapBackends {
        cfn: &cfn,
        staging: &staging,
        lambda: &lambda,
    };
    let seen = std::sync::Mutex::new(Vec::new());
    let refuse = |fs: &[super::plan::FunctionChange]| {
        seen.lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(fs.iter().flat_map(|f| f.shown.clone()));
        Err(crate::error::Error::new("not approved"))
    };
    let got = super::apply::attempt(
        b,
        &RetryPolicy::IMMEDIATE,
        NOW,
        &request(new),
        &Interrupt::new(),
        &refuse,
    )
    .await;
    assert!(got.is_err(), "{got:?}");
    assert_eq!(
        *seen.lock().unwrap_or_else(|e| e.into_inner()),
        ["MemorySize: 128 -> 512"]
    );
    assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
    assert!(lambda.markers().is_empty());
}

/// CloudFormation's update of a function can remove the tags it does not manage (its
/// handler sets the function's tags to the template's): a marker read before the deploy
/// still brings the function back, and a failed deploy writes the marker again.
#[tokio::test]
async fn a_marker_the_stack_update_removed_is_still_reconciled_from_the_read_before_it() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    let new = edited(|t| t["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(512));
    let got = run(&cfn, &lambda, &request(new)).await;
    assert!(matches!(got, Ok(Attempt::Hotswapped { .. })), "{got:?}");

    let before =
        super::reconcile::hotswapped_functions(&cfn, &lambda, &RetryPolicy::IMMEDIATE, "api")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0].marker, "MemorySize");

    // The deploy's update took the tag away (as CloudFormation does on a tag change).
    lambda
        .markers
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();

    // A failed deploy: the marker is written again for the next one.
    let lines = super::reconcile::mark_again(&lambda, "api", &before).await;
    assert!(lines.is_empty(), "{lines:?}");
    assert_eq!(
        lambda.markers().get("api-Fn-123").map(String::as_str),
        Some("MemorySize")
    );
    lambda
        .markers
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    lambda
        .calls
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();

    // A successful deploy: reconciled from the read before it.
    let staging = FakeStaging::default();
    let lines = reconcile(
        &cfn,
        &staging,
        &lambda,
        &RetryPolicy::IMMEDIATE,
        NOW,
        "api",
        &before,
        &Interrupt::new(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lambda
            .calls()
            .iter()
            .any(|c| c.starts_with("UpdateFunctionConfiguration api-Fn-123")
                && c.contains("memory_size: Some(128)")),
        "{:?}",
        lambda.calls()
    );

    // A function CloudFormation replaced (another physical ID) is its own: left alone.
    lambda
        .calls
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    let replaced = [super::reconcile::Marked {
        physical_id: "api-Fn-OLD".into(),
        ..before[0].clone()
    }];
    let lines = reconcile(
        &cfn,
        &staging,
        &lambda,
        &RetryPolicy::IMMEDIATE,
        NOW,
        "api",
        &replaced,
        &Interrupt::new(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(lines.is_empty(), "{lines:?}");
    assert!(
        !lambda.calls().iter().any(|c| c.starts_with("Update")),
        "{:?}",
        lambda.calls()
    );
}

/// atk (s25) 7c: a function of the stack deleted out of band (GetFunction: not found) runs
/// no hotswapped code; it must not refuse every deploy, even the one that removes it. Any
/// other error still refuses, naming lambda:GetFunction only when the permission is the
/// cause.
#[tokio::test]
async fn a_function_deleted_out_of_band_has_no_marker_and_other_errors_still_refuse() {
    use crate::cfn::error::{CfnError, ErrorKind};
    let read = |error: CfnError| async move {
        let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
        let lambda = FakeLambda::new(&["Successful"]).failing_with("GetFunction", error);
        super::reconcile::hotswapped_functions(&cfn, &lambda, &RetryPolicy::IMMEDIATE, "api")
            .await
            .map_err(|e| e.to_string())
    };
    let gone = read(CfnError::new(
        ErrorKind::NotFound,
        "ResourceNotFoundException: Function not found",
    ))
    .await;
    assert_eq!(gone, Ok(Vec::new()));
    let denied = read(CfnError::new(
        ErrorKind::AccessDenied,
        "AccessDeniedException",
    ))
    .await
    .expect_err("refused");
    assert!(
        denied.contains("nothing was changed") && denied.contains("needs lambda:GetFunction"),
        "{denied}"
    );
    let other = read(CfnError::new(ErrorKind::Other, "ServiceException"))
        .await
        .expect_err("refused");
    assert!(
        other.contains("ServiceException") && !other.contains("lambda:GetFunction"),
        "{other}"
    );
}
