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

async fn settle_with(fake: &FakeCfn, opts: DeployOptions) -> (String, Settle) {
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
fn guarded(fake: FakeCfn) -> FakeCfn {
    fake.with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![])])
}

fn adds_topic() -> StackRequest {
    let mut new = template("a");
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    request(new)
}

fn denied() -> CfnError {
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

// ---- 5. statuses nephos does not know ----

#[tokio::test]
async fn destroy_refuses_a_stack_in_an_unknown_status() {
    for status in ["DELETE_PAUSED", "UPDATE_PAUSED_IN_PROGRESS"] {
        let fake = FakeCfn::new(vec![stack(StackStatus::from(status))])
            .with_template(&template("a").to_string());
        let opts = DestroyOptions {
            yes: true,
            ..Default::default()
        };
        let (_, r) = with_engine!(&fake, Some(true), Interrupt::new(), |e| e
            .destroy("api", &opts)
            .await);
        let Ok(Outcome::Refused {
            reason, next_step, ..
        }) = &r
        else {
            panic!("{status}: {r:?}");
        };
        assert!(reason.contains("does not know status"), "{reason}");
        assert!(reason.contains(status), "{reason}");
        assert!(next_step.contains("check the console"), "{next_step}");
        assert_eq!(fake.count("DeleteStack"), 0);
    }
}

#[tokio::test]
async fn destroy_of_a_stack_in_review_needs_no_template_and_no_allow_data_loss() {
    // The next step printed for a stack in review names `nephos destroy`: it must work
    // without --allow-data-loss even where the template of a stack in review cannot be read.
    let fake = FakeCfn::new(vec![
        stack(StackStatus::ReviewInProgress),
        stack(StackStatus::ReviewInProgress),
        None,
    ])
    .failing(
        "GetTemplate",
        vec![CfnError::new(ErrorKind::Validation, "no template"); 10],
    );
    let opts = DestroyOptions {
        yes: true,
        ..Default::default()
    };
    let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
        .destroy("api", &opts)
        .await);
    assert!(matches!(r, Ok(Outcome::Destroyed { .. })), "{r:?}");
    assert_eq!(fake.writes(), ["DeleteStack"]);
}

#[tokio::test]
async fn destroy_refuses_a_stack_that_changed_while_the_user_was_asked() {
    // The plan (and the user's answer) was about the stack as first read: a change set of
    // a stack in review executed meanwhile, a deploy that changed the template, the stack
    // replaced by another of the same name, or gone: nothing is deleted.
    let mut other = stack(StackStatus::CreateComplete);
    if let Some(s) = other.as_mut() {
        s.id.push_str("-other");
    }
    let a = template("a").to_string();
    let b = template("b").to_string();
    let cases: Vec<(&str, FakeCfn)> = vec![
        (
            "is now CREATE_IN_PROGRESS",
            FakeCfn::new(vec![
                stack(StackStatus::ReviewInProgress),
                stack(StackStatus::CreateInProgress),
            ]),
        ),
        (
            "no longer the one the plan was made from",
            FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]).with_templates(&[&a, &b]),
        ),
        (
            "another stack of that name",
            FakeCfn::new(vec![stack(StackStatus::CreateComplete), other]).with_template(&a),
        ),
        (
            "no longer exists",
            FakeCfn::new(vec![stack(StackStatus::CreateComplete), None]).with_template(&a),
        ),
    ];
    for (says, fake) in cases {
        let opts = DestroyOptions {
            yes: true,
            ..Default::default()
        };
        let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
            .destroy("api", &opts)
            .await);
        let Ok(Outcome::Refused {
            reason, next_step, ..
        }) = &r
        else {
            panic!("{says}: {r:?}");
        };
        assert!(reason.contains("changed while you were asked"), "{reason}");
        assert!(reason.contains(says), "{says}: {reason}");
        assert!(next_step.contains("nephos destroy api"), "{next_step}");
        assert_eq!(fake.count("DeleteStack"), 0, "{says}");
    }
}

#[tokio::test]
async fn a_failed_destroy_says_what_it_left_and_the_next_step() {
    let opts = DestroyOptions {
        yes: true,
        ..Default::default()
    };
    // DeleteStack refused: nothing was deleted, the stack is as read.
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .failing(
            "DeleteStack",
            vec![CfnError::new(ErrorKind::AccessDenied, "not allowed")],
        );
    let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
        .destroy("api", &opts)
        .await);
    let e = r.expect_err("DeleteStack failed").to_string();
    assert!(e.contains("not allowed"), "{e}");
    assert!(e.contains("nothing was deleted"), "{e}");
    assert!(e.contains(StackStatus::UpdateComplete.as_str()), "{e}");
    assert!(e.contains("`nephos destroy api`"), "{e}");

    // The delete started, then following it failed: it goes on without nephos.
    let mut fake = FakeCfn::new(vec![]).with_template(&template("a").to_string());
    fake.describe = crate::deploy::fake::Script::new(vec![
        Ok(stack(StackStatus::UpdateComplete)),
        Ok(stack(StackStatus::UpdateComplete)),
        Err(CfnError::new(ErrorKind::AccessDenied, "cannot describe")),
    ]);
    let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
        .destroy("api", &opts)
        .await);
    let e = r.expect_err("following failed").to_string();
    assert_eq!(fake.count("DeleteStack"), 1);
    assert!(e.contains("cannot describe"), "{e}");
    assert!(e.contains("nephos status api --wait"), "{e}");
}

#[tokio::test]
async fn an_unknown_in_progress_status_is_waited_on_and_the_policy_restored_after() {
    let fake = guarded(FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::from("UPDATE_PAUSED_IN_PROGRESS")),
        stack(StackStatus::from("UPDATE_PAUSED_IN_PROGRESS")),
        stack(StackStatus::UpdateComplete),
    ]));
    let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    // Set before, put back after: two policies.
    assert_eq!(fake.count("SetStackPolicy"), 2, "{:?}", fake.writes());
}

#[tokio::test]
async fn an_unknown_final_status_stops_and_leaves_the_policy_with_the_way_to_restore_it() {
    let fake = guarded(FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::from("UPDATE_VERIFIED_COMPLETE")),
    ]));
    let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
    let Ok(Outcome::Failed(f)) = &r else {
        panic!("{r:?}");
    };
    assert!(
        f.next_step
            .contains("nephos does not know status UPDATE_VERIFIED_COMPLETE; check the console"),
        "{}",
        f.next_step
    );
    assert!(
        f.next_step.contains("set-stack-policy --stack-name api"),
        "{}",
        f.next_step
    );
    assert_eq!(fake.count("SetStackPolicy"), 1, "{:?}", fake.writes());
}

#[tokio::test]
async fn ctrl_c_while_the_update_runs_leaves_the_policy_in_place() {
    let fake = guarded(FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
    ]));
    let interrupt = Interrupt::new();
    interrupt.trigger();
    let opts = strict();
    let req = adds_topic();
    let (_, r) = with_engine!(&fake, None, interrupt, |e| e.deploy(&req, &opts).await);
    let Ok(Outcome::Interrupted { resume, .. }) = &r else {
        panic!("{r:?}");
    };
    assert!(resume.contains("has not settled"), "{resume}");
    assert_eq!(fake.count("SetStackPolicy"), 1, "{:?}", fake.writes());
}

// ---- a write whose answer was lost may have taken effect ----

/// A change set whose execution CloudFormation reports as `status`.
fn executing(status: ExecutionStatus) -> ChangeSet {
    let mut cs = complete(vec![]);
    cs.execution_status = status;
    cs
}

#[tokio::test]
async fn an_execute_error_while_the_update_runs_is_followed_and_the_policy_kept_until_it_settles() {
    let own =
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"Update:*","Resource":"*"}]}"#;
    let lost = || {
        vec![CfnError::new(
            ErrorKind::Other,
            "ExecuteChangeSet: timed out after 30 s",
        )]
    };
    // The stack moved: the update is followed to its end, the change set is not deleted,
    // and the user's policy comes back only after the stack settled.
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&template("a").to_string())
    .with_change_sets(vec![complete(vec![])])
    .with_stack_policy(own)
    .failing("ExecuteChangeSet", lost());
    let (out, r) = deploy(&fake, adds_topic(), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert!(out.contains("shows it changed since the call (CloudFormation may have started the update): following it"), "{out}");
    assert_eq!(fake.count("DeleteChangeSet"), 0, "{:?}", fake.writes());
    assert_eq!(
        fake.writes().last().map(String::as_str),
        Some("SetStackPolicy")
    );
    assert!(!out.contains("unchanged"), "{out}");
    // The stack looks settled but the change set says it is being executed: followed too.
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]))
        .with_change_sets(vec![
            complete(vec![]),
            complete(vec![]),
            executing(ExecutionStatus::ExecuteInProgress),
        ])
        .failing("ExecuteChangeSet", lost());
    let (out, r) = deploy(&fake, adds_topic(), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert!(out.contains("following it"), "{out}");
    // Nothing tells: the denials stay, nothing is deleted, and the error does not say the
    // stack is unchanged.
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]))
        .with_change_sets(vec![
            complete(vec![]),
            complete(vec![]),
            executing(ExecutionStatus::Obsolete),
        ])
        .with_stack_policy(own)
        .failing("ExecuteChangeSet", lost());
    let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
    let Err(e) = &r else { panic!("{r:?}") };
    let m = e.to_string();
    assert!(
        m.contains("cannot tell whether CloudFormation started"),
        "{m}"
    );
    assert!(m.contains("nephos status api --wait"), "{m}");
    assert!(!m.contains("unchanged"), "{m}");
    assert_eq!(fake.count("DeleteChangeSet"), 0);
    assert_eq!(fake.policies().len(), 1, "only nephos's policy was sent");
}

#[tokio::test]
async fn a_direct_update_error_while_the_update_runs_is_followed() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&template("a").to_string())
    .failing(
        "UpdateStack",
        vec![CfnError::new(
            ErrorKind::Other,
            "UpdateStack: connection reset",
        )],
    );
    let opts = DeployOptions {
        direct: true,
        ..strict()
    };
    let (out, r) = deploy(&fake, adds_topic(), opts, None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert!(out.contains("UpdateStack reported an error"), "{out}");
}

// ---- termination protection changes only with the approved change ----

#[tokio::test]
async fn termination_protection_is_unchanged_by_a_refused_unapproved_or_unexecuted_deploy() {
    let protected = || {
        stack(StackStatus::UpdateComplete).map(|mut s| {
            s.termination_protection = true;
            s
        })
    };
    let unprotected = |t: Value| {
        let mut r = request(t);
        r.termination_protection = false;
        r
    };
    let replaced = ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        replacement: Some("True".into()),
        ..Default::default()
    };
    // Refused for data loss.
    let fake = FakeCfn::new(vec![protected()])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![replaced])]);
    let (_, r) = deploy(&fake, unprotected(template("b")), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::DataLossRefused { .. })), "{r:?}");
    assert_eq!(
        fake.count("UpdateTerminationProtection"),
        0,
        "{:?}",
        fake.writes()
    );
    // --no-execute, and not approved.
    for (opts, answer) in [
        (
            DeployOptions {
                execute: false,
                ..strict()
            },
            None,
        ),
        (
            DeployOptions {
                approval: ApprovalPolicy::AnyChange,
                ..strict()
            },
            Some(false),
        ),
    ] {
        let fake = guarded(FakeCfn::new(vec![protected()]));
        let (_, r) = deploy(&fake, unprotected(adds_topic().template), opts, answer).await;
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(
            fake.count("UpdateTerminationProtection"),
            0,
            "{:?}",
            fake.writes()
        );
    }
    // Approved: changed once the update started.
    let fake = guarded(FakeCfn::new(vec![
        protected(),
        protected(),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ]));
    let (_, r) = deploy(&fake, unprotected(adds_topic().template), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    let w = fake.writes();
    let exec = w.iter().position(|c| c == "ExecuteChangeSet");
    let tp = w
        .iter()
        .position(|c| c == "UpdateTerminationProtection false");
    assert!(exec.is_some() && tp > exec, "{w:?}");
}

// ---- nephos's leftover denials are replaced on every update ----

#[tokio::test]
async fn leftover_nephos_denials_are_removed_by_an_allow_data_loss_deploy_with_either_method() {
    let leftover = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"Update:*","Resource":"*"},{"Sid":"NephosProtectReplace","Effect":"Deny","Principal":"*","Action":"Update:Replace","Resource":["LogicalResourceId/Table"]}]}"#;
    // A change set and `--method direct` go through the same stack-policy step.
    for (direct, write) in [(false, "ExecuteChangeSet"), (true, "UpdateStack")] {
        let fake = FakeCfn::new(vec![
            stack(StackStatus::UpdateComplete),
            stack(StackStatus::UpdateComplete),
            stack(StackStatus::UpdateInProgress),
            stack(StackStatus::UpdateComplete),
        ])
        .with_template(&template("a").to_string())
        .with_stack_policy(leftover)
        .with_change_sets(vec![complete(vec![ResourceChange {
            action: "Modify".into(),
            logical_id: "Table".into(),
            resource_type: TABLE.into(),
            replacement: Some("True".into()),
            ..Default::default()
        }])]);
        let opts = DeployOptions {
            allow_data_loss: true,
            direct,
            ..strict()
        };
        let (_, r) = deploy(&fake, request(template("b")), opts, None).await;
        assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{write}: {r:?}");
        let sent = fake.policies();
        assert!(
            !sent.is_empty(),
            "{write}: the leftover denial was not replaced"
        );
        // Before the write (so the allowed replacement is not denied) and after it.
        let w = fake.writes();
        let set = w.iter().position(|c| c == "SetStackPolicy");
        let exec = w.iter().position(|c| c == write);
        assert!(set.is_some() && set < exec, "{w:?}");
        for p in &sent {
            assert!(!p.to_string().contains("NephosProtect"), "{write}: {p}");
        }
        let now = fake
            .stack_policy
            .lock()
            .map(|p| p.clone())
            .unwrap_or_default();
        assert!(
            !now.unwrap_or_default().contains("NephosProtect"),
            "{write}: the leftover denial stays on the stack"
        );
    }
}

#[tokio::test]
async fn a_change_set_whose_create_answer_was_lost_is_looked_up_and_deleted() {
    let lost = || {
        vec![CfnError::new(
            ErrorKind::Other,
            "CreateChangeSet: timed out after 30 s",
        )]
    };
    // It was made: the cleanup deletes it and the message says so.
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]))
        .failing("CreateChangeSet", lost());
    let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
    let Err(e) = &r else { panic!("{r:?}") };
    assert_eq!(fake.count("DeleteChangeSet"), 1, "{:?}", fake.writes());
    assert!(e.to_string().contains("change set cs1 was deleted"), "{e}");
    // It was not: nothing to delete.
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]))
        .failing("CreateChangeSet", lost())
        .failing(
            "DescribeChangeSet",
            vec![CfnError::new(ErrorKind::NotFound, "ChangeSetNotFound")],
        );
    let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
    assert!(r.is_err(), "{r:?}");
    assert_eq!(fake.count("DeleteChangeSet"), 0, "{:?}", fake.writes());
    // A refusal that never reached CloudFormation makes no look-up.
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]))
        .failing("CreateChangeSet", vec![denied()]);
    let (_, r) = deploy(&fake, adds_topic(), strict(), None).await;
    assert!(r.is_err(), "{r:?}");
    assert_eq!(fake.count("DescribeChangeSet"), 0);
    assert_eq!(fake.count("DeleteChangeSet"), 0);
}

// ---- next steps that work as printed ----

#[tokio::test]
async fn a_failed_no_rollback_update_can_be_deployed_again() {
    // UPDATE_FAILED (an update with --no-rollback failed): the next deploy updates it.
    let (_, s) = settle_with(
        &FakeCfn::new(vec![stack(StackStatus::UpdateFailed)]),
        options(),
    )
    .await;
    let Settle::Ready(Some(st)) = &s else {
        panic!("{s:?}")
    };
    assert_eq!(st.status, StackStatus::UpdateFailed);
}

#[tokio::test]
async fn a_protected_failed_create_is_refused_with_how_to_turn_protection_off() {
    let protected = stack(StackStatus::RollbackComplete).map(|mut s| {
        s.termination_protection = true;
        s
    });
    let fake = FakeCfn::new(vec![protected])
        .with_template(r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#);
    let (_, s) = settle_with(&fake, options()).await;
    let Settle::Stop(Outcome::Refused {
        reason, next_step, ..
    }) = &s
    else {
        panic!("{s:?}");
    };
    assert!(reason.contains("termination protection is on"), "{reason}");
    assert!(
        next_step.contains("--no-enable-termination-protection --stack-name api"),
        "{next_step}"
    );
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());
}

// ---- no write before every refusal that does not need it ----

/// A request whose template is too large to send inline: it needs the staging bucket,
/// which the test engine does not have.
fn needs_staging() -> StackRequest {
    let mut req = adds_topic();
    req.template_body = " ".repeat(crate::deploy::staging::MAX_INLINE_TEMPLATE + 1);
    req
}

fn with_protection(status: StackStatus) -> Option<Stack> {
    stack(status).map(|mut s| {
        s.termination_protection = true;
        s
    })
}

#[tokio::test]
async fn a_refused_run_made_no_write_whatever_state_the_stack_was_in() {
    let missing = || {
        vec![CfnError::new(
            ErrorKind::NotFound,
            "ChangeSet [mine] does not exist",
        )]
    };
    let named = |yes: bool| DeployOptions {
        existing_change_set: Some("mine".into()),
        yes,
        ..strict()
    };
    let obsolete_word = ExecutionStatus::Obsolete.to_string();
    let obsolete = {
        let mut cs = complete(vec![]);
        cs.execution_status = ExecutionStatus::Obsolete;
        cs
    };
    // (what, the stack's states, the run, its options, its change sets, the refusal's words)
    let cases: Vec<(&str, FakeCfn, StackRequest, DeployOptions, &str)> = vec![
        (
            "a stuck rollback with a named change set that does not exist",
            FakeCfn::new(vec![stack(StackStatus::UpdateRollbackFailed)])
                .with_template(&template("a").to_string())
                .failing("DescribeChangeSet", missing()),
            request(template("a")),
            named(true),
            "change set mine does not exist",
        ),
        (
            "a stuck rollback with a named change set that is obsolete",
            FakeCfn::new(vec![stack(StackStatus::UpdateRollbackFailed)])
                .with_template(&template("a").to_string())
                .with_change_sets(vec![obsolete]),
            request(template("a")),
            named(true),
            &obsolete_word,
        ),
        (
            "a stuck rollback, and a template that needs the missing staging bucket",
            FakeCfn::new(vec![stack(StackStatus::UpdateRollbackFailed)]),
            needs_staging(),
            DeployOptions {
                yes: true,
                ..strict()
            },
            "staging bucket",
        ),
        (
            "a failed create to delete, and a template that needs the staging bucket",
            FakeCfn::new(vec![stack(StackStatus::RollbackComplete)]).with_template(
                &json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}).to_string(),
            ),
            needs_staging(),
            strict(),
            "staging bucket",
        ),
        (
            "a failed create to delete with a named change set",
            FakeCfn::new(vec![stack(StackStatus::RollbackComplete)])
                .failing("DescribeChangeSet", missing()),
            request(template("a")),
            named(true),
            "deletes change set mine",
        ),
        (
            "a failed create under termination protection",
            FakeCfn::new(vec![with_protection(StackStatus::RollbackComplete)]),
            request(template("a")),
            strict(),
            "termination protection is on",
        ),
        (
            "a stuck rollback nobody approved continuing",
            FakeCfn::new(vec![stack(StackStatus::UpdateRollbackFailed)]),
            request(template("a")),
            strict(),
            "rollback must be continued",
        ),
    ];
    for (what, fake, req, opts, words) in cases {
        let (out, r) = deploy(&fake, req, opts, Some(false)).await;
        let said = match &r {
            Ok(o) => {
                assert!(!o.is_success(), "{what}: {o:?}");
                format!("{o:?}")
            }
            Err(e) => e.to_string(),
        };
        assert!(said.contains(words), "{what}: {said}\n{out}");
        assert!(
            fake.write_calls().is_empty(),
            "{what}: wrote {:?}",
            fake.write_calls()
        );
    }
}

#[tokio::test]
async fn a_named_change_set_that_can_be_executed_lets_the_stuck_rollback_go_on() {
    // The same order, the other way: an executable change set is checked, then the rollback
    // is continued, and only then the change set is judged against the settled stack.
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateRollbackFailed),
        stack(StackStatus::UpdateRollbackInProgress),
        stack(StackStatus::UpdateRollbackComplete),
    ])
    .with_template(&template("a").to_string())
    .with_change_set_template(&template("a").to_string())
    .with_change_sets(vec![complete(vec![])]);
    let opts = DeployOptions {
        existing_change_set: Some("mine".into()),
        yes: true,
        ..strict()
    };
    let (out, _) = deploy(&fake, request(template("a")), opts, None).await;
    assert_eq!(
        fake.write_calls().first().map(String::as_str),
        Some("ContinueUpdateRollback"),
        "{out}"
    );
}

// ---- one outcome per stack (issue 12, F3) ----

#[tokio::test]
async fn a_direct_update_read_back_as_not_started_puts_the_policy_back_and_says_unchanged_once() {
    // UpdateStack's request is dropped: reading the stack again shows it as it was, so the
    // stack has settled. The failure says "unchanged", the stack's own policy is put back,
    // and no line calls the same stack "not settled".
    let fake = guarded(FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]))
        .with_stack_policy(r#"{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"}]}"#)
        .failing(
            "UpdateStack",
            vec![CfnError::new(ErrorKind::Transient, "no response within 30 s"); 6],
        );
    let opts = DeployOptions {
        direct: true,
        ..strict()
    };
    let (out, r) = deploy(&fake, adds_topic(), opts, None).await;
    let Err(e) = &r else { panic!("{r:?}\n{out}") };
    let m = e.to_string();
    assert!(
        m.contains("the stack is unchanged (UPDATE_COMPLETE)"),
        "{m}"
    );
    for said in [&m, &out] {
        assert!(!said.contains("has not settled"), "{said}");
        assert!(!said.contains("policy was left"), "{said}");
    }
    // Set for the update, then put back.
    assert_eq!(fake.count("SetStackPolicy"), 2, "{:?}", fake.writes());
    let sent = fake.policies_sent.lock().unwrap().clone();
    assert!(sent.last().unwrap().contains("Update:*"), "{sent:?}");
}
