//! Fail-closed faults, continued (see `fail_closed`): statuses nephos does not know, writes
//! whose answer was lost, termination protection, and nephos's leftover denials.

use super::fail_closed::{adds_topic, denied, guarded};
use super::*;

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
