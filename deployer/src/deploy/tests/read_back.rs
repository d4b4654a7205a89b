//! Every write whose answer may be lost is followed by a read of what it did, and the
//! messages say only what that read verified: DeleteStack, DeleteChangeSet, SetStackPolicy,
//! UpdateTerminationProtection, CreateChangeSet, ContinueUpdateRollback, CancelUpdateStack,
//! ExecuteChangeSet and CreateStack/UpdateStack, each failing with and without having taken
//! effect (and, where the read cannot tell, claiming neither).

use super::*;
use crate::cfn::model::Stack;
use crate::deploy::steps::scope::Reached;

/// A failure that may come after the request reached CloudFormation.
fn lost() -> CfnError {
    CfnError::new(ErrorKind::Transient, "no response within 30 s")
}

/// Enough failures to exhaust the retries of one call.
fn lost_all() -> Vec<CfnError> {
    vec![lost(); 6]
}

fn not_found() -> CfnError {
    CfnError::new(ErrorKind::NotFound, "ChangeSet [cs1] does not exist")
}

fn destroy_options() -> DestroyOptions {
    DestroyOptions {
        yes: true,
        role_arn: None,
        allow_data_loss: false,
    }
}

const OWN_POLICY: &str =
    r#"{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"}]}"#;

/// An update of the table's stack that needs nephos's denials (the queue changes, the table
/// is protected), settling successfully.
fn guarded_update() -> (FakeCfn, StackRequest) {
    let old = template("users");
    let mut new = template("users");
    new["Resources"]["Queue"]["Properties"] = json!({"DelaySeconds": 5});
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&old.to_string())
    .with_change_sets(vec![complete(vec![ResourceChange {
        action: "Modify".into(),
        logical_id: "Queue".into(),
        resource_type: QUEUE.into(),
        replacement: Some("False".into()),
        ..Default::default()
    }])])
    .with_stack_policy(OWN_POLICY);
    (fake, request(new))
}

fn queue_allowed() -> DeployOptions {
    DeployOptions {
        allow_replace: vec!["Queue".into()],
        ..strict()
    }
}

// ---- SetStackPolicy before ExecuteChangeSet ----

#[tokio::test]
async fn a_lost_set_stack_policy_answer_is_read_back_and_the_update_goes_on_under_the_denials() {
    let (fake, req) = guarded_update();
    let fake = fake
        .failing("SetStackPolicy", lost_all())
        .losing_answers("SetStackPolicy");
    let (out, r) = deploy(&fake, req, queue_allowed(), Some(true)).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}\n{out}");
    assert!(
        out.contains("reading the policy back shows nephos's data-loss denials are set"),
        "{out}"
    );
    assert!(fake.writes().contains(&"ExecuteChangeSet".to_owned()));
    // The denials were on during the update, and the user's own policy is back after it.
    let policies = fake.policies();
    assert!(
        policies[0].to_string().contains("NephosProtect"),
        "{policies:?}"
    );
    assert_eq!(
        policies.last(),
        Some(&serde_json::from_str::<Value>(OWN_POLICY).unwrap_or_default())
    );
}

#[tokio::test]
async fn a_failed_set_stack_policy_says_what_policy_the_stack_holds() {
    let (fake, req) = guarded_update();
    let fake = fake.failing("SetStackPolicy", lost_all());
    let (_, r) = deploy(&fake, req, queue_allowed(), Some(true)).await;
    let Err(e) = r else { panic!("{r:?}") };
    let m = e.to_string();
    assert!(m.contains("SetStackPolicy failed"), "{m}");
    assert!(
        m.contains(
            "nephos's denials were not set (the stack policy holds none of nephos's denials)"
        ),
        "{m}"
    );
    assert!(m.contains("change set cs1 was deleted"), "{m}");
    assert!(!fake.writes().contains(&"ExecuteChangeSet".to_owned()));
}

#[tokio::test]
async fn a_set_stack_policy_whose_effect_cannot_be_read_gives_the_restore_command() {
    // The policy read back holds nephos's denials, but not this run's: nephos cannot say
    // which, so it names how to put the user's own back.
    let (fake, req) = guarded_update();
    let leftover = r#"{"Statement":[{"Sid":"NephosProtectReplace","Effect":"Deny","Action":"Update:Replace","Principal":"*","Resource":"LogicalResourceId/Old"}]}"#;
    let fake = fake
        .with_stack_policy(leftover)
        .failing("SetStackPolicy", lost_all());
    let (_, r) = deploy(&fake, req, queue_allowed(), Some(true)).await;
    let Err(e) = r else { panic!("{r:?}") };
    let m = e.to_string();
    assert!(m.contains("cannot tell which stack policy"), "{m}");
    assert!(
        m.contains("aws cloudformation set-stack-policy --stack-name api --stack-policy-body"),
        "{m}"
    );
    assert!(!fake.writes().contains(&"ExecuteChangeSet".to_owned()));
}

// ---- DeleteStack (destroy) ----

fn destroyable(after_delete: Vec<Option<Stack>>) -> FakeCfn {
    let mut describes = vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
    ];
    describes.extend(after_delete);
    FakeCfn::new(describes)
        .with_template(&json!({"Resources": {"Queue": {"Type": QUEUE}}}).to_string())
        .failing("DeleteStack", lost_all())
}

#[tokio::test]
async fn a_lost_delete_stack_answer_is_read_back_and_the_delete_followed() {
    for after in [vec![None], vec![stack(StackStatus::DeleteInProgress), None]] {
        let fake = destroyable(after);
        let (out, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
            .destroy("api", &destroy_options())
            .await);
        assert!(matches!(r, Ok(Outcome::Destroyed { .. })), "{r:?}\n{out}");
        assert!(
            out.contains("CloudFormation is deleting the stack"),
            "{out}"
        );
        assert!(!out.contains("nothing was deleted"), "{out}");
    }
}

#[tokio::test]
async fn a_failed_delete_stack_says_nothing_was_deleted_only_when_the_stack_is_as_it_was() {
    let fake = destroyable(vec![stack(StackStatus::UpdateComplete)]);
    let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
        .destroy("api", &destroy_options())
        .await);
    let Err(e) = r else { panic!("{r:?}") };
    assert!(e.to_string().contains("nothing was deleted"), "{e}");

    // Read back in a status that is neither: nephos cannot tell, and says so.
    let fake = destroyable(vec![stack(StackStatus::UpdateInProgress)]);
    let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
        .destroy("api", &destroy_options())
        .await);
    let Err(e) = r else { panic!("{r:?}") };
    let m = e.to_string();
    assert!(
        m.contains("cannot tell whether DeleteStack took effect"),
        "{m}"
    );
    assert!(m.contains("may be being deleted"), "{m}");
    assert!(!m.contains("nothing was deleted"), "{m}");
}

// ---- DeleteChangeSet (the scope's cleanup) ----

fn table_replaced() -> ResourceChange {
    ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        replacement: Some("True".into()),
        ..Default::default()
    }
}

/// The template with the table's `BillingMode` set: a change the offline facts take as in
/// place, so only the change set shows the replacement (refused after it was created).
fn billed() -> Value {
    let mut t = template("users");
    t["Resources"]["Table"]["Properties"]["BillingMode"] = json!("PAY_PER_REQUEST");
    t
}

/// A table replacement, refused for data loss: the change set is discarded.
fn replaced_table() -> FakeCfn {
    FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("users").to_string())
        .with_change_sets(vec![complete(vec![table_replaced()])])
}

#[tokio::test]
async fn a_lost_delete_change_set_answer_is_read_back_before_saying_anything() {
    let fake = replaced_table();
    let mut fake = fake.failing("DeleteChangeSet", lost_all());
    fake.change_set = crate::deploy::fake::Script::new(vec![
        Ok(complete(vec![table_replaced()])),
        Err(not_found()),
    ]);
    let (out, r) = deploy(&fake, request(billed()), strict(), None).await;
    assert!(
        matches!(r, Ok(Outcome::DataLossRefused { deleted_change_set: Some(ref c), .. }) if c == "cs1"),
        "{r:?}"
    );
    assert!(!out.contains("could not delete"), "{out}");
    assert!(!out.contains("delete-change-set"), "{out}");
}

#[tokio::test]
async fn a_change_set_that_could_not_be_deleted_is_never_called_deleted() {
    let denied = || {
        CfnError::new(
            ErrorKind::AccessDenied,
            "not authorized to perform: cloudformation:DeleteChangeSet",
        )
    };
    // Refused for data loss.
    let fake = replaced_table().failing("DeleteChangeSet", vec![denied(); 6]);
    let (out, r) = deploy(&fake, request(billed()), strict(), None).await;
    assert!(
        matches!(
            r,
            Ok(Outcome::DataLossRefused {
                deleted_change_set: None,
                ..
            })
        ),
        "{r:?}"
    );
    assert!(
        out.contains("delete-change-set --stack-name api --change-set-name cs1"),
        "{out}"
    );
    assert!(!out.contains("cs1 deleted"), "{out}");
    // Not approved.
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("users").to_string())
        .with_change_sets(vec![complete(vec![])])
        .failing("DeleteChangeSet", vec![denied(); 6]);
    let opts = DeployOptions {
        approval: ApprovalPolicy::AnyChange,
        ..options()
    };
    let (out, r) = deploy(&fake, request(template("users-v2")), opts, Some(false)).await;
    let Ok(Outcome::Refused { discarded, .. }) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(discarded.as_ref().map(|d| d.deleted), Some(false));
    assert!(!out.contains("cs1 deleted"), "{out}");
    assert!(out.contains("change set cs1 may not be deleted"), "{out}");
    assert!(out.contains("delete-change-set"), "{out}");
}

// ---- CreateChangeSet: one read-back for deploy and diff --change-set ----

#[tokio::test]
async fn a_lost_create_change_set_answer_is_read_back_and_the_change_set_discarded() {
    // `plan` (diff --change-set's path) says the change set exists, so it is discarded.
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .failing("CreateChangeSet", lost_all());
    let (_, r) = with_engine!(&fake, None, Interrupt::new(), |e| {
        let req = request(template("b"));
        e.plan(plan_input(
            &req,
            stack(StackStatus::UpdateComplete).as_ref(),
            &template("a"),
        ))
        .await
    });
    let Err(e) = &r.result else { panic!("{r:?}") };
    assert_eq!(r.reached, Reached::ChangeSet);
    assert_eq!(e.step, "CreateChangeSet");

    // Not found: nothing to discard. Unreadable: maybe, so discarded.
    for (read, exists) in [(Err(not_found()), false), (Err(lost()), true)] {
        let mut fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&template("a").to_string())
            .failing("CreateChangeSet", lost_all());
        fake.change_set = crate::deploy::fake::Script::new(vec![read]);
        let (_, r) = deploy(&fake, request(template("b")), options(), None).await;
        let Err(e) = r else { panic!("{r:?}") };
        assert_eq!(e.step, "CreateChangeSet");
        assert_eq!(
            fake.writes().contains(&"DeleteChangeSet".to_owned()),
            exists,
            "{:?}",
            fake.writes()
        );
    }
}

// ---- UpdateTerminationProtection ----

#[tokio::test]
async fn a_lost_termination_protection_answer_is_read_back() {
    let protected = |status: StackStatus, on: bool| {
        stack(status).map(|mut s| {
            s.termination_protection = on;
            s
        })
    };
    // Unchanged template, protection to turn on: the only write.
    let fake = FakeCfn::new(vec![
        protected(StackStatus::UpdateComplete, false),
        protected(StackStatus::UpdateComplete, true),
    ])
    .with_template(&template("a").to_string())
    .failing("UpdateTerminationProtection", lost_all());
    let mut req = request(template("a"));
    req.termination_protection = true;
    let (out, r) = deploy(&fake, req.clone(), options(), None).await;
    assert!(matches!(r, Ok(Outcome::NoChanges { .. })), "{r:?}");
    assert!(out.contains("shows termination protection is on"), "{out}");

    let fake = FakeCfn::new(vec![protected(StackStatus::UpdateComplete, false)])
        .with_template(&template("a").to_string())
        .failing("UpdateTerminationProtection", lost_all());
    let (_, r) = deploy(&fake, req, options(), None).await;
    let Err(e) = r else { panic!("{r:?}") };
    assert_eq!(e.step, "UpdateTerminationProtection");
}

// ---- ContinueUpdateRollback, CancelUpdateStack, CreateStack: read back like the rest ----

fn continuing(after: Vec<Option<Stack>>) -> FakeCfn {
    let mut describes = vec![stack(StackStatus::UpdateRollbackFailed)];
    describes.extend(after);
    FakeCfn::new(describes)
        .with_template(&template("a").to_string())
        .failing("ContinueUpdateRollback", lost_all())
}

fn continue_options() -> DeployOptions {
    DeployOptions {
        yes: true,
        ..options()
    }
}

#[tokio::test]
async fn a_lost_continue_update_rollback_answer_is_read_back() {
    // Taken effect: the stack is rolling back; nephos follows it and deploys.
    let fake = continuing(vec![
        stack(StackStatus::UpdateRollbackInProgress),
        stack(StackStatus::UpdateRollbackComplete),
    ]);
    let (out, r) = deploy(&fake, request(template("a")), continue_options(), None).await;
    assert!(matches!(r, Ok(Outcome::NoChanges { .. })), "{r:?}\n{out}");
    assert!(
        out.contains("ContinueUpdateRollback reported an error (no response within 30 s), but reading the stack back shows the rollback went on"),
        "{out}"
    );
    // Not taken effect: said so, with the state and the next step, and the run fails.
    let fake = continuing(vec![stack(StackStatus::UpdateRollbackFailed)]);
    let (_, r) = deploy(&fake, request(template("a")), continue_options(), None).await;
    let Err(e) = r else { panic!("{r:?}") };
    let m = e.to_string();
    assert!(
        m.contains("the rollback was not continued (the stack is still UPDATE_ROLLBACK_FAILED, with no event since the call)"),
        "{m}"
    );
    assert!(m.contains("run `nephos deploy` again"), "{m}");
    assert!(!m.contains("went on"), "{m}");
}

#[tokio::test]
async fn a_continue_update_rollback_whose_effect_cannot_be_read_claims_nothing() {
    let mut fake = continuing(vec![stack(StackStatus::UpdateRollbackFailed)]);
    // The rollback's events cannot be read after the call: nephos cannot tell.
    fake.events = crate::deploy::fake::Script::new(vec![
        Ok(Vec::new()),
        Err(CfnError::new(ErrorKind::AccessDenied, "no events")),
    ]);
    let (_, r) = deploy(&fake, request(template("a")), continue_options(), None).await;
    let Err(e) = r else { panic!("{r:?}") };
    let m = e.to_string();
    assert!(
        m.contains("cannot tell whether ContinueUpdateRollback took effect"),
        "{m}"
    );
    assert!(m.contains("nephos status api --wait"), "{m}");
    assert!(
        !m.contains("not continued") && !m.contains("went on"),
        "{m}"
    );
}

/// A deploy interrupted by Ctrl-C while the update runs, with `--cancel-on-interrupt`,
/// whose CancelUpdateStack answer is lost; the stack is read back as `after`.
async fn cancelled_with(after: StackStatus) -> (FakeCfn, String, Result<Outcome, EngineError>) {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(after),
    ])
    .with_template(&template("old").to_string())
    .with_events(vec![
        vec![],
        vec![stack_ev(1, ResourceStatus::UpdateInProgress)],
    ])
    .failing("CancelUpdateStack", lost_all());
    let interrupt = Interrupt::new();
    interrupt.trigger();
    let req = request(template("new"));
    let opts = DeployOptions {
        cancel_on_interrupt: true,
        ..options()
    };
    let (out, r) = with_engine!(&fake, None, interrupt, |e| e.deploy(&req, &opts).await);
    (fake, out, r)
}

#[tokio::test]
async fn a_lost_cancel_update_stack_answer_is_read_back() {
    let (_, out, r) = cancelled_with(StackStatus::UpdateRollbackInProgress).await;
    let Ok(o @ Outcome::Interrupted { cancelled, .. }) = &r else {
        panic!("{r:?}")
    };
    assert!(*cancelled, "{o:?}");
    assert!(!o.is_success());
    assert!(
        out.contains("CancelUpdateStack reported an error (no response within 30 s), but reading the stack back shows the update is being rolled back"),
        "{out}"
    );
    for (after, said) in [
        (
            StackStatus::UpdateInProgress,
            "the update was not cancelled (the update is still running)",
        ),
        (
            StackStatus::UpdateComplete,
            "the update was not cancelled (the update ended first (UPDATE_COMPLETE))",
        ),
        (
            StackStatus::from("SOMETHING_NEW"),
            "nephos cannot tell whether the update was cancelled (the stack is SOMETHING_NEW)",
        ),
    ] {
        let (fake, out, r) = cancelled_with(after.clone()).await;
        let Err(e) = &r else { panic!("{after}: {r:?}") };
        let m = e.to_string();
        assert!(m.contains(said), "{after}: {m}");
        assert!(m.contains("nephos status api --wait"), "{after}: {m}");
        assert!(!out.contains("cancelled the update"), "{after}: {out}");
        assert!(fake.count("CancelUpdateStack") > 0);
    }
}

#[tokio::test]
async fn a_lost_create_stack_answer_is_read_back() {
    let direct = DeployOptions {
        direct: true,
        ..options()
    };
    // Created: followed to the end.
    let fake = FakeCfn::new(vec![
        None,
        None,
        stack(StackStatus::CreateInProgress),
        stack(StackStatus::CreateComplete),
    ])
    .failing("CreateStack", lost_all());
    let (out, r) = deploy(&fake, request(template("a")), direct.clone(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}\n{out}");
    assert!(out.contains("CreateStack reported an error"), "{out}");
    // Not created: the stack does not exist, and the run fails saying so.
    let fake = FakeCfn::new(vec![None]).failing("CreateStack", lost_all());
    let (out, r) = deploy(&fake, request(template("a")), direct, None).await;
    let Err(e) = r else { panic!("{r:?}") };
    let m = e.to_string();
    assert!(m.contains("CreateStack failed"), "{m}");
    assert!(m.contains("the stack was not created"), "{m}");
    assert!(!out.contains("reported an error"), "{out}");
}

#[tokio::test]
async fn an_execute_change_set_whose_answer_was_lost_before_it_took_effect_says_the_stack_is_unchanged()
 {
    // Read back: the stack is as it was and the change set still waits: verified unchanged.
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![])])
        .failing("ExecuteChangeSet", lost_all());
    let mut req = request(template("a"));
    req.template["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    let (_, r) = deploy(&fake, req, options(), None).await;
    let Err(e) = r else { panic!("{r:?}") };
    let m = e.to_string();
    assert!(m.contains("ExecuteChangeSet failed"), "{m}");
    assert!(
        m.contains("the stack is unchanged (UPDATE_COMPLETE)"),
        "{m}"
    );
    assert_eq!(fake.count("DeleteChangeSet"), 1, "{:?}", fake.writes());
}
