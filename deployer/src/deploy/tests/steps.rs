//! The deploy steps one at a time through the seam: each returns a value, asserted here
//! together with the calls it made.

use super::*;
use crate::cfn::model::ChangeSetType;
use crate::cfn::seam::Iam;
use crate::cfn::status::StackStatus;
use crate::deploy::steps::gate::{Gate, Guard, ReviewHead};
use crate::deploy::steps::plan::{Plan, Planned};
use crate::deploy::steps::scope::Reached;
use crate::deploy::steps::settle::Settle;
use crate::diff::parameters::ParameterValues;
use crate::diff::{TemplateDiff, diff_stack};

async fn settle(fake: &FakeCfn, answer: Option<bool>) -> (String, Settle) {
    let (out, r) = with_engine!(fake, answer, Interrupt::new(), |e| e
        .settle(&request(template("a")), &options())
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
        StackStatus::CreateComplete,
        StackStatus::UpdateRollbackComplete,
        StackStatus::ImportComplete,
    ] {
        let fake = FakeCfn::new(vec![stack(status.clone())]);
        let (_, s) = settle(&fake, None).await;
        assert_eq!(ready_status(&s), Some(Some(status.clone())), "{status}");
        assert!(fake.writes().is_empty(), "{:?}", fake.writes());
    }
}

#[tokio::test]
async fn settle_waits_for_a_running_operation_then_decides_again() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ]);
    let (out, s) = settle(&fake, None).await;
    assert_eq!(ready_status(&s), Some(Some(StackStatus::UpdateComplete)));
    assert!(out.contains("waiting for the running operation"), "{out}");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());
}

#[tokio::test]
async fn settle_deletes_an_empty_failed_create_and_is_ready_to_create() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::RollbackComplete),
        stack(StackStatus::DeleteInProgress),
        None,
    ])
    .with_template(r#"{"Resources": {"Role": {"Type": "AWS::IAM::Role"}}}"#);
    let (_, s) = settle(&fake, None).await;
    assert_eq!(ready_status(&s), Some(None));
    assert_eq!(fake.writes(), ["GetTemplate", "DeleteStack"]);
}

#[tokio::test]
async fn settle_continues_a_stuck_rollback_only_when_approved() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateRollbackFailed)]);
    let (_, s) = settle(&fake, Some(false)).await;
    assert!(matches!(s, Settle::Stop(Outcome::Refused { .. })), "{s:?}");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());

    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateRollbackFailed),
        stack(StackStatus::UpdateRollbackInProgress),
        stack(StackStatus::UpdateRollbackComplete),
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
    for status in [
        StackStatus::DeleteFailed,
        StackStatus::from("SOMETHING_NEW_COMPLETE"),
    ] {
        let fake = FakeCfn::new(vec![stack(status.clone())]);
        let (_, s) = settle(&fake, None).await;
        let Settle::Stop(Outcome::Refused { reason, .. }) = &s else {
            panic!("{status}: {s:?}");
        };
        assert!(reason.contains(status.as_str()), "{reason}");
        assert!(fake.writes().is_empty(), "{:?}", fake.writes());
    }
}

// ---- 2. plan ----

/// Plans changing the deployed `template("a")` (when `stack` exists) to `template("b")`.
async fn plan_with(fake: &FakeCfn, stack: Option<Stack>, iam: Option<&dyn Iam>) -> Plan {
    let deployed = match stack {
        Some(_) => template("a"),
        None => Value::Null,
    };
    let (_, plan) = with_engine!(fake, None, Interrupt::new(), |e| {
        e.iam = iam;
        let req = request(template("b"));
        e.plan(plan_input(&req, stack.as_ref(), &deployed)).await
    });
    plan
}

async fn plan(fake: &FakeCfn, stack: Option<Stack>) -> Plan {
    plan_with(fake, stack, None).await
}

#[tokio::test]
async fn plan_waits_for_the_change_set_and_returns_its_review_leaving_it_in_place() {
    let change = ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        replacement: Some("True".into()),
        ..Default::default()
    };
    let computed = ChangeSet {
        id: "arn:cs1/1".into(),
        ..complete(vec![change])
    };
    let fake = FakeCfn::new(vec![]).with_change_sets(vec![pending(), computed]);
    let plan = plan(&fake, stack(StackStatus::UpdateComplete)).await;
    assert_eq!(plan.kind, ChangeSetType::Update);
    assert_eq!(plan.reached, Reached::ChangeSet);
    assert_eq!(plan.change_set, "cs1");
    let Ok(Planned::Changes(reviewed)) = &plan.result else {
        panic!("{plan:?}")
    };
    assert_eq!(reviewed.change_set_id, "arn:cs1/1");
    // The review is the templates' diff reconciled with the change set: the table it
    // replaces is a data-loss risk the change set confirms.
    let table = reviewed
        .review
        .resources
        .iter()
        .find(|r| r.logical_id == "Table");
    assert!(table.is_some(), "{:?}", reviewed.review);
    assert!(
        reviewed
            .review
            .data_loss
            .iter()
            .any(|r| r.logical_id == "Table"
                && r.evidence == crate::diff::model::Evidence::ChangeSet),
        "{:?}",
        reviewed.review.data_loss
    );
    assert_eq!(fake.writes(), ["CreateChangeSet UPDATE"]);
}

#[tokio::test]
async fn plan_reads_an_empty_change_set_as_no_changes_in_both_phrasings() {
    let empty = ChangeSet {
        status: ChangeSetStatus::Failed,
        status_reason: Some("The submitted information didn't contain changes.".into()),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![]).with_change_sets(vec![empty]);
    let p = plan(&fake, stack(StackStatus::UpdateComplete)).await;
    assert!(matches!(p.result, Ok(Planned::NoChanges(_))), "{p:?}");
    assert_eq!(
        p.reached,
        Reached::ChangeSet,
        "the failed change set is left to discard"
    );

    let fake = FakeCfn::new(vec![]).failing(
        "CreateChangeSet",
        vec![CfnError::from_service(
            Some("ValidationError"),
            "No updates are to be performed.",
        )],
    );
    let p = plan(&fake, stack(StackStatus::UpdateComplete)).await;
    assert!(matches!(p.result, Ok(Planned::NoChanges(_))), "{p:?}");
    assert_eq!(p.reached, Reached::Nothing, "none was made");
}

#[tokio::test]
async fn plan_returns_a_failed_change_set_with_its_reason_and_names_a_failed_call() {
    let failed = ChangeSet {
        status: ChangeSetStatus::Failed,
        status_reason: Some("Parameters: [Missing] must have values".into()),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![]).with_change_sets(vec![failed]);
    let p = plan(&fake, None).await;
    assert_eq!(p.kind, ChangeSetType::Create);
    let Ok(Planned::Failed(c)) = &p.result else {
        panic!("{p:?}");
    };
    assert_eq!(
        c.status_reason.as_deref(),
        Some("Parameters: [Missing] must have values")
    );

    let fake = FakeCfn::new(vec![]).failing(
        "CreateChangeSet",
        vec![CfnError::from_service(Some("AccessDenied"), "not allowed")],
    );
    let p = plan(&fake, None).await;
    assert!(
        matches!(p.result, Err(ref e) if e.step == "CreateChangeSet"),
        "{p:?}"
    );
    assert_eq!(
        p.reached,
        Reached::Nothing,
        "a definite refusal made nothing"
    );
}

/// IAM that knows one managed policy.
struct OnePolicy;

#[async_trait::async_trait]
impl Iam for OnePolicy {
    async fn role_trust_policy(&self, _: &str) -> Result<Option<String>, CfnError> {
        Ok(None)
    }
    async fn managed_policy_document(&self, _: &str) -> Result<Option<String>, CfnError> {
        Ok(Some(
            json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
                .to_string(),
        ))
    }
}

/// Issue 12 (F9): the plan's review runs every pass, the managed-policy expansion too, so
/// `deploy` and `diff --change-set` show the same review.
#[tokio::test]
async fn plan_reviews_what_an_attached_managed_policy_grants() {
    let add = ResourceChange {
        action: "Add".into(),
        logical_id: "Role".into(),
        resource_type: "AWS::IAM::Role".into(),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![]).with_change_sets(vec![complete(vec![add])]);
    let (_, p) = with_engine!(&fake, None, Interrupt::new(), |e| {
        e.iam = Some(&OnePolicy);
        let req = request(json!({"Resources": {"Role": {"Type": "AWS::IAM::Role",
            "Properties": {"AssumeRolePolicyDocument": {},
                "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnly"]}}}}));
        e.plan(plan_input(&req, None, &Value::Null)).await
    });
    let Ok(Planned::Changes(reviewed)) = &p.result else {
        panic!("{p:?}")
    };
    let managed: Vec<_> = reviewed
        .review
        .security
        .iter()
        .filter(|c| c.policy == "managed")
        .collect();
    assert_eq!(managed.len(), 1, "{:?}", reviewed.review.security);
    assert_eq!(
        managed[0].expansion,
        Some(crate::diff::model::Expansion::Known {
            statements: vec!["Allow s3:GetObject on *".into()]
        })
    );
}

// ---- 3. gate ----

/// The review of changing the table's name (a replacement, so a data-loss risk).
fn renamed_table_review() -> (Value, TemplateDiff) {
    let old = template("a");
    let values = ParameterValues::of(None, &Default::default());
    let diff = diff_stack(
        &old,
        &template("b"),
        &values,
        &TableFacts(vec![(TABLE, vec!["TableName"])]),
    );
    assert!(!diff.data_loss.is_empty(), "the fixture must carry a risk");
    (old, diff)
}

async fn gate(fake: &FakeCfn, opts: DeployOptions, answer: Option<bool>) -> (String, Gate) {
    let (old, diff) = renamed_table_review();
    let (out, r) = with_engine!(fake, answer, Interrupt::new(), |e| {
        let head = ReviewHead {
            stack: "api",
            change_set: "cs1",
            kind: ChangeSetType::Update,
            capabilities: Vec::new(),
        };
        e.gate(&opts, head, diff, &old, Some(old.to_string())).await
    });
    (out, r.expect("no seam error"))
}

#[tokio::test]
async fn gate_refuses_unallowed_data_loss_and_asks_for_the_change_set_to_go() {
    let fake = FakeCfn::new(vec![]);
    let (out, g) = gate(&fake, strict(), Some(true)).await;
    let Gate::Stop {
        outcome: Outcome::DataLossRefused { risks, .. },
        discard: true,
    } = &g
    else {
        panic!("{g:?}");
    };
    assert_eq!(risks[0].logical_id, "Table");
    assert!(out.contains("data loss"), "{out}");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());
}

#[tokio::test]
async fn gate_leaves_the_change_set_for_review_with_no_execute() {
    let opts = DeployOptions {
        execute: false,
        allow_data_loss: true,
        ..strict()
    };
    let (_, g) = gate(&FakeCfn::new(vec![]), opts, None).await;
    assert!(
        matches!(
            g,
            Gate::Stop {
                outcome: Outcome::ChangeSetLeft { .. },
                discard: false
            }
        ),
        "{g:?}"
    );
}

#[tokio::test]
async fn gate_refuses_without_approval_and_with_no_terminal_to_ask_on() {
    let opts = DeployOptions {
        approval: ApprovalPolicy::AnyChange,
        allow_replace: vec!["Table".into()],
        ..strict()
    };
    for (answer, why) in [(Some(false), "not approved"), (None, "no terminal")] {
        let (_, g) = gate(&FakeCfn::new(vec![]), opts.clone(), answer).await;
        let Gate::Stop {
            outcome: Outcome::Refused { reason, .. },
            discard: true,
        } = &g
        else {
            panic!("{answer:?}: {g:?}");
        };
        assert!(reason.contains(why), "{reason}");
    }
}

#[tokio::test]
async fn gate_goes_on_with_a_policy_denying_the_loss_nobody_allowed() {
    let opts = DeployOptions {
        allow_replace: vec!["Table".into()],
        ..strict()
    };
    let (_, g) = gate(&FakeCfn::new(vec![]), opts, Some(true)).await;
    let Gate::Go(guard) = g else {
        panic!("{g:?}");
    };
    assert!(guard.reviewed.is_some());
    // The allowed table may be replaced; the queue nobody named stays denied.
    let during = guard.protection.expect("a policy").during;
    assert!(during.contains("LogicalResourceId/Queue"), "{during}");
    assert!(!during.contains("LogicalResourceId/Table"), "{during}");
}

// ---- 4. apply ----

/// The stack as reviewed: parameter `Env=prod`, last updated at 10:00.
fn reviewed_stack() -> Stack {
    let mut s = stack(StackStatus::UpdateComplete).expect("a stack");
    s.parameters = vec![("Env".into(), "prod".into())];
    s.last_updated = Some("2026-12-01T10:00:00Z".into());
    s
}

#[tokio::test]
async fn apply_refuses_when_the_stack_changed_since_the_review() {
    let guard = Guard {
        reviewed: Some(template("a").to_string()),
        protection: None,
        change_set_id: None,
    };
    let before = reviewed_stack();
    let check = |fake: FakeCfn| {
        let guard = guard.clone();
        let before = before.clone();
        async move {
            let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
                .changed_since_review("api", &guard, Some(&before), Some("cs1"))
                .await);
            match r {
                Ok(Some(Outcome::Refused { reason, .. })) => Some(reason),
                Ok(None) => None,
                other => panic!("{other:?}"),
            }
        }
    };
    let same = || {
        FakeCfn::new(vec![Some(reviewed_stack())])
            .with_template(&template("a").to_string())
            .with_change_sets(vec![complete(vec![])])
    };
    assert_eq!(check(same()).await, None);
    // Another deploy changed the template.
    let fake = same().with_template(&template("other").to_string());
    let reason = check(fake).await.expect("refused");
    assert!(
        reason.contains("changed while you were reviewing"),
        "{reason}"
    );
    assert!(reason.contains("deployed template"), "{reason}");
    // `update-stack --use-previous-template` changed only a parameter (and the time).
    let mut moved = reviewed_stack();
    moved.parameters = vec![("Env".into(), "dev".into())];
    let fake = FakeCfn::new(vec![Some(moved.clone())])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![])]);
    let reason = check(fake).await.expect("refused");
    assert!(reason.contains("parameters changed (Env)"), "{reason}");
    moved.parameters = reviewed_stack().parameters;
    moved.last_updated = Some("2026-12-01T10:05:00Z".into());
    let fake = FakeCfn::new(vec![Some(moved.clone())])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![])]);
    let reason = check(fake).await.expect("refused");
    assert!(
        reason.contains("updated at 2026-12-01T10:05:00Z"),
        "{reason}"
    );
    moved.last_updated = reviewed_stack().last_updated;
    moved.status = StackStatus::UpdateInProgress;
    let fake = FakeCfn::new(vec![Some(moved)])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![])]);
    let reason = check(fake).await.expect("refused");
    assert!(
        reason.contains(StackStatus::UpdateInProgress.as_str()),
        "{reason}"
    );
    // The change set was executed (or replaced) meanwhile.
    let mut executed = complete(vec![]);
    executed.execution_status = ExecutionStatus::ExecuteInProgress;
    let fake = same().with_change_sets(vec![executed]);
    let reason = check(fake).await.expect("refused");
    assert!(
        reason.contains(ExecutionStatus::ExecuteInProgress.as_str()),
        "{reason}"
    );
}

#[tokio::test]
async fn apply_follows_a_failed_update_to_a_failure_outcome() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateRollbackComplete),
    ]);
    let before = stack(StackStatus::UpdateComplete);
    let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| {
        let mut seen = Default::default();
        e.follow(
            &request(template("b")),
            &options(),
            ChangeSetType::Update,
            std::time::Instant::now(),
            before.as_ref(),
            &mut seen,
        )
        .await
    });
    let Ok(Outcome::Failed(f)) = &r else {
        panic!("{r:?}");
    };
    assert_eq!(f.status, StackStatus::UpdateRollbackComplete.as_str());
    assert!(f.next_step.contains("previous template"), "{}", f.next_step);
}

#[tokio::test]
async fn a_failed_write_took_effect_exactly_when_the_review_check_would_see_a_change() {
    use crate::deploy::steps::apply::stack_difference;
    use crate::deploy::steps::readback::ReadBack;
    let before = reviewed_stack();
    let mut updated = before.clone();
    updated.last_updated = Some("2026-12-01T10:05:00Z".into());
    let mut params = before.clone();
    params.parameters = vec![("Env".into(), "dev".into())];
    let mut replaced = before.clone();
    replaced.id = "arn:stack/api/other".into();
    let mut running = before.clone();
    running.status = StackStatus::UpdateInProgress;
    for now in [
        Some(before.clone()),
        Some(updated),
        Some(params),
        Some(replaced),
        Some(running),
        None,
    ] {
        let fake = FakeCfn::new(vec![now.clone()]);
        let (_, read) = with_engine!(&fake, None, Interrupt::new(), |e| e
            .read_back_started("api", None, Some(&before))
            .await);
        // One comparison: what the check before the update calls a change is what
        // tells that a write whose answer was lost took effect.
        let changed = stack_difference(Some(&before), now.as_ref()).is_some();
        assert_eq!(read == ReadBack::Done, changed, "{now:?}");
        assert_eq!(matches!(read, ReadBack::NotDone(_)), !changed, "{now:?}");
    }
}

#[tokio::test]
async fn change_sets_of_earlier_runs_are_listed_never_deleted_and_never_this_runs() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .with_change_set_names(&["nephos-1", "nephos-2", "theirs"]);
    let opts = DeployOptions {
        change_set_name: "nephos-2".into(),
        ..options()
    };
    // The same template: nothing to deploy, but the leftovers are told about.
    let (out, r) = deploy(&fake, request(template("a")), opts, None).await;
    assert!(matches!(r, Ok(Outcome::NoChanges { .. })), "{r:?}");
    assert!(
        out.contains("1 change set(s) of earlier nephos runs are on the stack: nephos-1 "),
        "{out}"
    );
    assert!(
        !out.contains("theirs") && !out.contains("nephos-2"),
        "{out}"
    );
    assert_eq!(fake.count("DeleteChangeSet"), 0);
}
