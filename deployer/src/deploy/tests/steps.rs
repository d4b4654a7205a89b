//! The deploy steps one at a time through the seam: each returns a value, asserted here
//! together with the calls it made.

use super::*;
use crate::cfn::model::ChangeSetType;
use crate::cfn::status::StackStatus;
use crate::deploy::steps::plan::{PlanRequest, Planned};
use crate::deploy::steps::settle::Settle;

async fn settle(fake: &FakeCfn, answer: Option<bool>) -> (String, Settle) {
    let (out, r) = with_engine!(fake, answer, Interrupt::new(), |e| e
        .settle("api", &options())
        .await);
    (out, r.expect("no seam error"))
}

fn ready_status(s: &Settle) -> Option<Option<StackStatus>> {
    match s {
        Settle::Ready(st) => Some(st.as_ref().map(|s| s.status.clone())),
        Settle::Stop(_) => None,
    }
}

#[tokio::test]
async fn settle_takes_a_missing_or_settled_stack_as_it_is() {
    let (_, s) = settle(&FakeCfn::new(vec![None]), None).await;
    assert_eq!(ready_status(&s), Some(None));
    for status in [
        "CREATE_COMPLETE",
        "UPDATE_ROLLBACK_COMPLETE",
        "IMPORT_COMPLETE",
    ] {
        let fake = FakeCfn::new(vec![stack(status)]);
        let (_, s) = settle(&fake, None).await;
        assert_eq!(ready_status(&s), Some(Some(status.into())), "{status}");
        assert!(fake.writes().is_empty(), "{:?}", fake.writes());
    }
}

#[tokio::test]
async fn settle_waits_for_a_running_operation_then_decides_again() {
    let fake = FakeCfn::new(vec![
        stack("UPDATE_IN_PROGRESS"),
        stack("UPDATE_IN_PROGRESS"),
        stack("UPDATE_COMPLETE"),
    ]);
    let (out, s) = settle(&fake, None).await;
    assert_eq!(ready_status(&s), Some(Some(StackStatus::UpdateComplete)));
    assert!(out.contains("waiting for the running operation"), "{out}");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());
}

#[tokio::test]
async fn settle_deletes_an_empty_failed_create_and_is_ready_to_create() {
    let fake = FakeCfn::new(vec![
        stack("ROLLBACK_COMPLETE"),
        stack("DELETE_IN_PROGRESS"),
        None,
    ]);
    let (_, s) = settle(&fake, None).await;
    assert_eq!(ready_status(&s), Some(None));
    assert_eq!(fake.writes(), ["DeleteStack"]);
}

#[tokio::test]
async fn settle_continues_a_stuck_rollback_only_when_approved() {
    let fake = FakeCfn::new(vec![stack("UPDATE_ROLLBACK_FAILED")]);
    let (_, s) = settle(&fake, Some(false)).await;
    assert!(matches!(s, Settle::Stop(Outcome::Refused { .. })), "{s:?}");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());

    let fake = FakeCfn::new(vec![
        stack("UPDATE_ROLLBACK_FAILED"),
        stack("UPDATE_ROLLBACK_IN_PROGRESS"),
        stack("UPDATE_ROLLBACK_COMPLETE"),
    ]);
    let (_, s) = settle(&fake, Some(true)).await;
    assert_eq!(
        ready_status(&s),
        Some(Some(StackStatus::UpdateRollbackComplete))
    );
    assert_eq!(fake.writes(), ["ContinueUpdateRollback"]);
}

#[tokio::test]
async fn settle_refuses_a_delete_failed_and_an_unknown_status_without_writing() {
    for status in ["DELETE_FAILED", "UPDATE_FAILED", "SOMETHING_NEW_COMPLETE"] {
        let fake = FakeCfn::new(vec![stack(status)]);
        let (_, s) = settle(&fake, None).await;
        let Settle::Stop(Outcome::Refused { reason, .. }) = &s else {
            panic!("{status}: {s:?}");
        };
        assert!(reason.contains(status), "{reason}");
        assert!(fake.writes().is_empty(), "{:?}", fake.writes());
    }
}

// ---- 2. plan ----

async fn plan(
    fake: &FakeCfn,
    stack: Option<Stack>,
) -> (ChangeSetType, Result<Planned, EngineError>) {
    let (_, r) = with_engine!(fake, None, Interrupt::new(), |e| {
        let req = request(template("b"));
        let plan = PlanRequest {
            change_set_name: "cs1",
            role_arn: None,
            description: "test",
        };
        let request = e
            .change_set_request(&req, stack.as_ref(), plan)
            .await
            .expect("staged");
        let kind = request.kind;
        (kind, e.plan(&request).await)
    });
    r
}

#[tokio::test]
async fn plan_waits_for_the_change_set_and_returns_its_changes_leaving_it_in_place() {
    let change = ResourceChange {
        action: "Add".into(),
        logical_id: "Queue".into(),
        resource_type: QUEUE.into(),
        ..Default::default()
    };
    let fake =
        FakeCfn::new(vec![]).with_change_sets(vec![pending(), complete(vec![change.clone()])]);
    let (kind, r) = plan(&fake, stack("UPDATE_COMPLETE")).await;
    assert_eq!(kind, ChangeSetType::Update);
    assert!(
        matches!(r, Ok(Planned::Changes(ref c)) if *c == [change]),
        "{r:?}"
    );
    assert_eq!(fake.writes(), ["CreateChangeSet UPDATE"]);
}

#[tokio::test]
async fn plan_reads_an_empty_change_set_as_no_changes_in_both_phrasings() {
    let empty = ChangeSet {
        status: "FAILED".into(),
        status_reason: Some("The submitted information didn't contain changes.".into()),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![]).with_change_sets(vec![empty]);
    let (_, r) = plan(&fake, stack("UPDATE_COMPLETE")).await;
    assert!(matches!(r, Ok(Planned::NoChanges { left: true })), "{r:?}");

    let fake = FakeCfn::new(vec![]).failing(
        "CreateChangeSet",
        vec![CfnError::from_service(
            Some("ValidationError"),
            "No updates are to be performed.",
        )],
    );
    let (_, r) = plan(&fake, stack("UPDATE_COMPLETE")).await;
    assert!(matches!(r, Ok(Planned::NoChanges { left: false })), "{r:?}");
}

#[tokio::test]
async fn plan_returns_a_failed_change_set_with_its_reason_and_names_a_failed_call() {
    let failed = ChangeSet {
        status: "FAILED".into(),
        status_reason: Some("Parameters: [Missing] must have values".into()),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![]).with_change_sets(vec![failed]);
    let (kind, r) = plan(&fake, None).await;
    assert_eq!(kind, ChangeSetType::Create);
    let Ok(Planned::Failed(c)) = r else {
        panic!("{r:?}");
    };
    assert_eq!(
        c.status_reason.as_deref(),
        Some("Parameters: [Missing] must have values")
    );

    let fake = FakeCfn::new(vec![]).failing(
        "CreateChangeSet",
        vec![CfnError::from_service(Some("AccessDenied"), "not allowed")],
    );
    let (_, r) = plan(&fake, None).await;
    assert!(
        matches!(r, Err(ref e) if e.step == "CreateChangeSet"),
        "{r:?}"
    );
}
