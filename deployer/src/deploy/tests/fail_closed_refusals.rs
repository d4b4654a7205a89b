//! Fail-closed faults, continued (see `fail_closed`): next steps that work as printed, no
//! write before a refusal, one outcome per stack.

use super::fail_closed::{adds_topic, guarded, settle_with};
use super::*;
use crate::deploy::steps::settle::Settle;

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
