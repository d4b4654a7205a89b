//! The deployer's fail-closed faults found by attacking the pipeline (issue 12), one test
//! per kind through the seam: each would fail if the fault came back.

use super::*;
use crate::cfn::model::StackResource;
use crate::deploy::outcome::Discarded;
use crate::deploy::poll::PollPolicy;
use crate::deploy::steps::settle::Settle;

const ROLE: &str = "AWS::IAM::Role";

fn resource(id: &str, ty: &str, status: ResourceStatus) -> StackResource {
    StackResource {
        logical_id: id.into(),
        physical_id: Some(format!("{id}-physical")),
        resource_type: ty.into(),
        status,
    }
}

pub(super) async fn settle_with(fake: &FakeCfn, opts: DeployOptions) -> (String, Settle) {
    let (out, r) = with_engine!(fake, None, Interrupt::new(), |e| e
        .settle(&request(template("a")), &opts)
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
    for status in [
        StackStatus::CreateFailed,
        StackStatus::RollbackFailed,
        StackStatus::RollbackComplete,
    ] {
        let fake = FakeCfn::new(vec![stack(status.clone())])
            .with_template(&deployed)
            .with_resources(vec![
                resource("Table", TABLE, ResourceStatus::CreateComplete),
                resource("Role", ROLE, ResourceStatus::DeleteFailed),
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
    let fake = FakeCfn::new(vec![stack(StackStatus::CreateFailed), None])
        .with_template(&deployed)
        .with_resources(vec![resource(
            "Table",
            TABLE,
            ResourceStatus::CreateComplete,
        )]);
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
async fn a_failed_create_whose_listing_lacks_a_declared_table_is_not_deleted() {
    // 101 resources: a listing of the first 100 (DescribeStackResources' limit) shows only
    // topics, all of them gone; the table the deployed template declares is not among them.
    let mut declared = serde_json::Map::new();
    let mut listing = Vec::new();
    for i in 0..100 {
        declared.insert(format!("A{i:03}"), json!({"Type": "AWS::SNS::Topic"}));
        listing.push(resource(
            &format!("A{i:03}"),
            "AWS::SNS::Topic",
            ResourceStatus::DeleteComplete,
        ));
    }
    declared.insert("ZTable".into(), json!({"Type": TABLE}));
    let deployed = json!({ "Resources": declared }).to_string();
    let fake = FakeCfn::new(vec![stack(StackStatus::RollbackFailed), None])
        .with_template(&deployed)
        .with_resources(listing.clone());
    let (_, s) = settle_with(&fake, options()).await;
    let Settle::Stop(Outcome::Refused {
        reason, next_step, ..
    }) = &s
    else {
        panic!("{s:?}");
    };
    assert!(reason.contains("ZTable (AWS::DynamoDB::Table"), "{reason}");
    assert!(
        reason.contains("missing from the stack's resource listing"),
        "{reason}"
    );
    assert!(next_step.contains("--allow-data-loss"), "{next_step}");
    assert!(
        !fake.writes().iter().any(|w| w == "DeleteStack"),
        "{:?}",
        fake.writes()
    );
    // Listed as gone, the table is judged and the delete goes on.
    listing.push(resource("ZTable", TABLE, ResourceStatus::DeleteComplete));
    let fake = FakeCfn::new(vec![stack(StackStatus::RollbackFailed), None])
        .with_template(&deployed)
        .with_resources(listing);
    let (_, s) = settle_with(&fake, options()).await;
    assert!(matches!(s, Settle::Ready(None)), "{s:?}");
    assert_eq!(fake.writes(), ["GetTemplate", "DeleteStack"]);
}

#[tokio::test]
async fn a_failed_create_whose_template_cannot_be_read_is_not_deleted() {
    // Every listed resource is gone, but without the template nephos cannot tell whether
    // the listing lacks one.
    let fake = FakeCfn::new(vec![stack(StackStatus::RollbackComplete), None])
        .with_resources(vec![resource(
            "Queue",
            QUEUE,
            ResourceStatus::DeleteComplete,
        )])
        .failing(
            "GetTemplate",
            vec![CfnError::new(ErrorKind::AccessDenied, "denied"); 10],
        );
    let (_, s) = settle_with(&fake, options()).await;
    let Settle::Stop(Outcome::Refused { reason, .. }) = &s else {
        panic!("{s:?}");
    };
    assert!(
        reason.contains("cannot check the resource listing"),
        "{reason}"
    );
    assert!(!fake.writes().iter().any(|w| w == "DeleteStack"));
}

#[tokio::test]
async fn a_failed_create_whose_resources_cannot_be_judged_is_not_deleted() {
    // The listing fails: nothing is known, so nothing is deleted.
    let fake = FakeCfn::new(vec![stack(StackStatus::CreateFailed)]).failing(
        "ListStackResources",
        vec![CfnError::new(ErrorKind::AccessDenied, "denied"); 10],
    );
    let (_, s) = settle_with(&fake, options()).await;
    let Settle::Stop(Outcome::Refused { reason, .. }) = &s else {
        panic!("{s:?}");
    };
    assert!(reason.contains("cannot be listed"), "{reason}");
    assert!(!fake.writes().iter().any(|w| w == "DeleteStack"));
    // The template cannot be read: a created table's DeletionPolicy is unknown.
    let fake = FakeCfn::new(vec![stack(StackStatus::RollbackFailed)])
        .with_template("not a template")
        .with_resources(vec![resource(
            "Table",
            TABLE,
            ResourceStatus::CreateComplete,
        )]);
    let (_, s) = settle_with(&fake, options()).await;
    let Settle::Stop(Outcome::Refused { reason, .. }) = &s else {
        panic!("{s:?}");
    };
    assert!(reason.contains("DeletionPolicy is unknown"), "{reason}");
    assert!(!fake.writes().iter().any(|w| w == "DeleteStack"));
    // A retained table, and a table whose create never produced a resource, are safe.
    let kept = json!({"Resources": {"Table": {"Type": TABLE, "DeletionPolicy": "Retain"}}});
    let fake = FakeCfn::new(vec![stack(StackStatus::CreateFailed), None])
        .with_template(&kept.to_string())
        .with_resources(vec![resource(
            "Table",
            TABLE,
            ResourceStatus::CreateComplete,
        )]);
    let (_, s) = settle_with(&fake, options()).await;
    assert!(matches!(s, Settle::Ready(None)), "{s:?}");
}

// ---- 2. the change set this run created is deleted on every way out ----

/// A stack deployed from `template("a")` taking an update that adds a topic: the table is
/// stateful, so the update is guarded by a stack policy.
pub(super) fn guarded(fake: FakeCfn) -> FakeCfn {
    fake.with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![])])
}

pub(super) fn adds_topic() -> StackRequest {
    let mut new = template("a");
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    request(new)
}

pub(super) fn denied() -> CfnError {
    CfnError::new(ErrorKind::AccessDenied, "not allowed")
}

#[tokio::test]
async fn a_call_failing_after_create_change_set_deletes_the_change_set_and_says_what_is_left() {
    for call in [
        "DescribeChangeSet",
        "GetStackPolicy",
        "SetStackPolicy",
        "ExecuteChangeSet",
    ] {
        let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]))
            .failing(call, vec![denied(); 10]);
        let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
        let Err(e) = &r else {
            panic!("{call}: {r:?}");
        };
        assert_eq!(e.step, call);
        assert_eq!(
            fake.count("DeleteChangeSet"),
            1,
            "{call}: {:?}",
            fake.writes()
        );
        let message = e.to_string();
        assert!(
            message.ends_with(
                "change set cs1 was deleted and the stack is unchanged (UPDATE_COMPLETE); fix the cause above and run `nephos deploy` again"
            ),
            "{call}: {message}"
        );
    }
}

#[tokio::test]
async fn a_failing_read_just_before_executing_deletes_the_change_set() {
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]));
    let fake = FakeCfn {
        template: super::super::fake::Script::new(vec![
            Ok(template("a").to_string()),
            Err(denied()),
        ]),
        ..fake
    };
    let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
    let Err(e) = &r else { panic!("{r:?}") };
    assert_eq!(e.step, "GetTemplate");
    assert_eq!(fake.count("ExecuteChangeSet"), 0);
    assert_eq!(fake.count("DeleteChangeSet"), 1, "{:?}", fake.writes());
}

#[tokio::test]
async fn a_failed_execute_puts_the_users_policy_back_and_deletes_the_change_set() {
    let own =
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"Update:*","Resource":"*"}]}"#;
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]))
        .with_stack_policy(own)
        .failing("ExecuteChangeSet", vec![denied(); 10]);
    let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
    assert!(r.is_err(), "{r:?}");
    let sent = fake.policies();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(
        sent[1],
        serde_json::from_str::<Value>(own).unwrap_or_default()
    );
    assert_eq!(fake.count("DeleteChangeSet"), 1);
}

#[tokio::test]
async fn ctrl_c_at_the_approval_prompt_stops_deletes_the_change_set_and_fails() {
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]));
    let interrupt = Interrupt::new();
    let prompter = crate::output::prompt::InterruptedPrompt(interrupt.clone());
    let opts = DeployOptions {
        approval: ApprovalPolicy::AnyChange,
        ..strict()
    };
    let req = adds_topic();
    let mut out = Vec::new();
    let r = {
        let mut reporter =
            TextReporter::with_zone(&mut out, Style::plain(), jiff::tz::TimeZone::UTC);
        let facts = TableFacts(vec![(TABLE, vec!["TableName"])]);
        let mut e = Engine {
            cfn: &fake,
            staging: None,
            iam: None,
            prompter: &prompter,
            reporter: &mut reporter,
            facts: &facts,
            retry: RetryPolicy::IMMEDIATE,
            poll: PollPolicy::IMMEDIATE,
            interrupt,
        };
        e.deploy(&req, &opts).await
    };
    let Ok(o @ Outcome::Interrupted { discarded, .. }) = &r else {
        panic!("{r:?}");
    };
    assert!(!o.is_success());
    assert_eq!(
        discarded,
        &Some(Discarded {
            change_set: "cs1".into(),
            deleted: true
        })
    );
    assert_eq!(fake.count("ExecuteChangeSet"), 0);
    assert_eq!(fake.count("DeleteChangeSet"), 1, "{:?}", fake.writes());
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("waiting for approval"), "{out}");
    assert!(out.contains("; change set cs1 deleted)"), "{out}");
}

// ---- 3. only an AVAILABLE change set is executed ----

#[tokio::test]
async fn a_computed_change_set_that_is_not_available_is_not_executed() {
    for status in [
        ExecutionStatus::Unavailable,
        ExecutionStatus::ExecuteInProgress,
        ExecutionStatus::ExecuteComplete,
        ExecutionStatus::ExecuteFailed,
        ExecutionStatus::Obsolete,
        ExecutionStatus::from("SOMETHING_NEW"),
        ExecutionStatus::from(""),
    ] {
        let cs = ChangeSet {
            execution_status: status.clone(),
            ..complete(vec![])
        };
        let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&template("a").to_string())
            .with_change_sets(vec![cs]);
        let (_, r) = deploy(&fake, request(template("b")), options(), None).await;
        let Ok(Outcome::Refused {
            reason, next_step, ..
        }) = &r
        else {
            panic!("{status}: {r:?}");
        };
        let shown = if status.as_str().is_empty() {
            "(none)"
        } else {
            status.as_str()
        };
        assert!(
            reason.contains(&format!("ExecutionStatus is {shown}")),
            "{reason}"
        );
        assert!(next_step.contains("nephos"), "{next_step}");
        assert_eq!(fake.count("ExecuteChangeSet"), 0, "{status}");
        assert_eq!(fake.count("DeleteChangeSet"), 1, "{status}");
    }
}

#[tokio::test]
async fn a_change_set_being_deleted_ends_the_wait_and_is_not_executed() {
    // Were the wait to go on, the script's later CREATE_COMPLETE would be executed.
    for status in [
        ChangeSetStatus::DeletePending,
        ChangeSetStatus::DeleteInProgress,
        ChangeSetStatus::DeleteFailed,
    ] {
        let gone = ChangeSet {
            status: status.clone(),
            ..Default::default()
        };
        let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&template("a").to_string())
            .with_change_sets(vec![gone, complete(vec![])]);
        let (_, r) = deploy(&fake, request(template("b")), options(), None).await;
        let Ok(Outcome::Failed(f)) = &r else {
            panic!("{status}: {r:?}");
        };
        assert!(f.status.contains(status.as_str()), "{}", f.status);
        assert_eq!(fake.count("ExecuteChangeSet"), 0, "{status}");
    }
}

#[tokio::test]
async fn a_change_set_with_a_change_nephos_cannot_read_is_not_executed() {
    let cs = ChangeSet {
        unread: vec!["Hook".into()],
        ..complete(vec![])
    };
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![cs]);
    let (_, r) = deploy(&fake, request(template("b")), options(), None).await;
    let Ok(Outcome::Refused { reason, .. }) = &r else {
        panic!("{r:?}");
    };
    assert!(reason.contains("cannot read (Hook)"), "{reason}");
    assert_eq!(fake.count("ExecuteChangeSet"), 0);
    assert_eq!(fake.count("DeleteChangeSet"), 1);
}

fn reviewed(name: &str) -> DeployOptions {
    DeployOptions {
        existing_change_set: Some(name.into()),
        ..options()
    }
}

#[tokio::test]
async fn a_reviewed_change_set_is_executed_only_when_computed_and_available() {
    for (status, execution, seen) in [
        (
            ChangeSetStatus::CreateComplete,
            ExecutionStatus::Obsolete,
            ExecutionStatus::Obsolete.to_string(),
        ),
        (
            ChangeSetStatus::CreateComplete,
            ExecutionStatus::ExecuteComplete,
            ExecutionStatus::ExecuteComplete.to_string(),
        ),
        (
            ChangeSetStatus::Failed,
            ExecutionStatus::Unavailable,
            ChangeSetStatus::Failed.to_string(),
        ),
        (
            ChangeSetStatus::CreatePending,
            ExecutionStatus::Unavailable,
            ChangeSetStatus::CreatePending.to_string(),
        ),
    ] {
        let cs = ChangeSet {
            status: status.clone(),
            execution_status: execution.clone(),
            ..Default::default()
        };
        let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&template("a").to_string())
            .with_change_sets(vec![cs]);
        let (_, r) = deploy(&fake, request(template("b")), reviewed("mine"), None).await;
        let Ok(Outcome::Refused { reason, .. }) = &r else {
            panic!("{status}/{execution}: {r:?}");
        };
        assert!(reason.contains(&seen), "{reason}");
        assert_eq!(fake.count("ExecuteChangeSet"), 0);
        // The user's change set is theirs: left in place.
        assert_eq!(fake.count("DeleteChangeSet"), 0);
    }
}

#[tokio::test]
async fn a_reviewed_change_set_that_does_not_exist_says_how_to_find_or_make_one() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .failing(
            "DescribeChangeSet",
            vec![CfnError::from_service(
                Some("ChangeSetNotFound"),
                "ChangeSet [nosuch] does not exist",
            )],
        );
    let (_, r) = deploy(&fake, request(template("b")), reviewed("nosuch"), None).await;
    let Ok(Outcome::Refused {
        reason, next_step, ..
    }) = &r
    else {
        panic!("{r:?}");
    };
    assert!(
        reason.contains("change set nosuch does not exist"),
        "{reason}"
    );
    assert!(
        next_step.contains("list-change-sets --stack-name api"),
        "{next_step}"
    );
    assert!(
        next_step.contains("nephos deploy --no-execute"),
        "{next_step}"
    );
    assert!(fake.writes().iter().all(|w| !w.starts_with("Execute")));
}
