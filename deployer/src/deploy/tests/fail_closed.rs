//! The deployer's fail-closed faults found by attacking the pipeline (issue 12), one test
//! per kind through the seam: each would fail if the fault came back.

use super::*;
use crate::cfn::model::StackResource;
use crate::deploy::steps::settle::Settle;

const ROLE: &str = "AWS::IAM::Role";

fn resource(id: &str, ty: &str, status: &str) -> StackResource {
    StackResource {
        logical_id: id.into(),
        physical_id: Some(format!("{id}-physical")),
        resource_type: ty.into(),
        status: status.into(),
    }
}

async fn settle_with(fake: &FakeCfn, opts: DeployOptions) -> (String, Settle) {
    let (out, r) = with_engine!(fake, None, Interrupt::new(), |e| e
        .settle("api", &opts)
        .await);
    (out, r.expect("no seam error"))
}

// ---- 1. a delete nephos starts on its own goes through the data-loss judgement ----

#[tokio::test]
async fn a_failed_create_holding_a_table_is_not_deleted_without_allow_data_loss() {
    let deployed = json!({"Resources": {
        "Table": {"Type": TABLE},
        "Role": {"Type": ROLE}}})
    .to_string();
    for status in ["CREATE_FAILED", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE"] {
        let fake = FakeCfn::new(vec![stack(status)])
            .with_template(&deployed)
            .with_resources(vec![
                resource("Table", TABLE, "CREATE_COMPLETE"),
                resource("Role", ROLE, "DELETE_FAILED"),
            ]);
        let (_, s) = settle_with(&fake, options()).await;
        let Settle::Stop(Outcome::Refused {
            reason, next_step, ..
        }) = &s
        else {
            panic!("{status}: {s:?}");
        };
        assert!(reason.contains("Table (AWS::DynamoDB::Table"), "{reason}");
        assert!(!reason.contains("Role"), "{reason}");
        assert!(next_step.contains("--allow-data-loss"), "{next_step}");
        assert_eq!(fake.writes(), ["GetTemplate"], "{status}");
    }
    // With --allow-data-loss the delete goes on.
    let fake = FakeCfn::new(vec![stack("CREATE_FAILED"), None])
        .with_template(&deployed)
        .with_resources(vec![resource("Table", TABLE, "CREATE_COMPLETE")]);
    let opts = DeployOptions {
        allow_data_loss: true,
        ..options()
    };
    let (out, s) = settle_with(&fake, opts).await;
    assert!(matches!(s, Settle::Ready(None)), "{s:?}");
    assert_eq!(fake.writes(), ["GetTemplate", "DeleteStack"]);
    assert!(out.contains("--allow-data-loss"), "{out}");
}

#[tokio::test]
async fn a_failed_create_whose_resources_cannot_be_judged_is_not_deleted() {
    // The listing fails: nothing is known, so nothing is deleted.
    let fake = FakeCfn::new(vec![stack("CREATE_FAILED")]).failing(
        "DescribeStackResources",
        vec![CfnError::new(ErrorKind::AccessDenied, "denied"); 10],
    );
    let (_, s) = settle_with(&fake, options()).await;
    let Settle::Stop(Outcome::Refused { reason, .. }) = &s else {
        panic!("{s:?}");
    };
    assert!(reason.contains("cannot be listed"), "{reason}");
    assert!(!fake.writes().iter().any(|w| w == "DeleteStack"));
    // The template cannot be read: a created table's DeletionPolicy is unknown.
    let fake = FakeCfn::new(vec![stack("ROLLBACK_FAILED")])
        .with_template("not a template")
        .with_resources(vec![resource("Table", TABLE, "CREATE_COMPLETE")]);
    let (_, s) = settle_with(&fake, options()).await;
    let Settle::Stop(Outcome::Refused { reason, .. }) = &s else {
        panic!("{s:?}");
    };
    assert!(reason.contains("DeletionPolicy is unknown"), "{reason}");
    assert!(!fake.writes().iter().any(|w| w == "DeleteStack"));
    // A retained table, and a table whose create never produced a resource, are safe.
    let kept = json!({"Resources": {"Table": {"Type": TABLE, "DeletionPolicy": "Retain"}}});
    let fake = FakeCfn::new(vec![stack("CREATE_FAILED"), None])
        .with_template(&kept.to_string())
        .with_resources(vec![resource("Table", TABLE, "CREATE_COMPLETE")]);
    let (_, s) = settle_with(&fake, options()).await;
    assert!(matches!(s, Settle::Ready(None)), "{s:?}");
}
