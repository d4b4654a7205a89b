//! The deploy steps one at a time through the seam: each returns a value, asserted here
//! together with the calls it made.

use super::*;
use crate::cfn::status::StackStatus;
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
