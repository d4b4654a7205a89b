//! Statuses and change kinds nephos does not know, through the seam: each decision that
//! depends on one fails closed, naming what was seen and the way on.

use super::*;

/// The calls that change the stack.
const WRITES: [&str; 5] = [
    "UpdateStack",
    "ExecuteChangeSet",
    "DeleteStack",
    "CreateStack",
    "ContinueUpdateRollback",
];

fn nothing_written(fake: &FakeCfn) {
    for call in WRITES {
        assert_eq!(fake.count(call), 0, "{call}: {:?}", fake.writes());
    }
}

#[tokio::test]
async fn settle_refuses_a_stack_in_an_unknown_status_before_any_call_that_writes() {
    // Spelled like an operation in progress and like a settled one: neither is guessed.
    for status in [
        StackStatus::from("UPDATE_PAUSED_IN_PROGRESS"),
        StackStatus::from("UPDATE_VERIFIED_COMPLETE"),
    ] {
        let fake =
            FakeCfn::new(vec![stack(status.clone())]).with_template(&template("a").to_string());
        let (out, r) = deploy(&fake, request(template("b")), options(), None).await;
        let Ok(Outcome::Refused {
            reason, next_step, ..
        }) = &r
        else {
            panic!("{status}: {r:?}");
        };
        assert!(reason.contains(status.as_str()), "{reason}");
        assert!(next_step.contains("nephos status api"), "{next_step}");
        assert!(out.contains(status.as_str()), "{out}");
        assert_eq!(fake.count("CreateChangeSet"), 0, "{:?}", fake.writes());
        nothing_written(&fake);
    }
}

#[tokio::test]
async fn plan_stops_on_an_unknown_change_set_status_and_discards_it() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![ChangeSet {
            status: "CREATE_PAUSED".into(),
            ..Default::default()
        }]);
    let (_, r) = deploy(&fake, request(template("b")), options(), None).await;
    let Ok(Outcome::Failed(f)) = &r else {
        panic!("{r:?}");
    };
    assert!(f.status.contains("CREATE_PAUSED"), "{}", f.status);
    assert!(f.next_step.contains("does not know"), "{}", f.next_step);
    assert_eq!(fake.count("DeleteChangeSet"), 1, "{:?}", fake.writes());
    nothing_written(&fake);
}

fn change(action: &str, replacement: Option<&str>) -> ResourceChange {
    ResourceChange {
        action: action.into(),
        logical_id: "Table".into(),
        resource_type: "AWS::DynamoDB::Table".into(),
        replacement: replacement.map(Into::into),
        ..Default::default()
    }
}

#[tokio::test]
async fn gate_refuses_an_unknown_change_action_or_replacement_on_a_stateful_resource() {
    for (c, seen) in [
        (change("Transmogrify", None), "Transmogrify"),
        (change("Modify", Some("Perhaps")), "Perhaps"),
    ] {
        let fake = FakeCfn::new(vec![
            stack(StackStatus::UpdateComplete),
            stack(StackStatus::UpdateComplete),
            stack(StackStatus::UpdateInProgress),
            stack(StackStatus::UpdateComplete),
        ])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![c])]);
        // The same template, forced: only the change set's word can raise the risk.
        let opts = DeployOptions {
            force: true,
            ..strict()
        };
        let (out, r) = deploy(&fake, request(template("a")), opts, None).await;
        assert!(
            matches!(r, Ok(Outcome::DataLossRefused { .. })),
            "{seen}: {r:?}"
        );
        assert!(
            out.contains(seen) && out.contains("nephos does not know"),
            "{out}"
        );
        nothing_written(&fake);
    }
}

#[tokio::test]
async fn gate_refuses_an_unknown_change_or_policy_action_on_any_resource_naming_it() {
    // A stateless resource, with data loss allowed: only the unknown action can stop it.
    for (action, policy, seen) in [
        ("Frobnicate", None, "change action `Frobnicate` on Topic"),
        ("Modify", Some("Shred"), "policy action `Shred` on Topic"),
    ] {
        let c = ResourceChange {
            action: action.into(),
            logical_id: "Topic".into(),
            resource_type: "AWS::SNS::Topic".into(),
            replacement: Some("False".into()),
            policy_action: policy.map(Into::into),
            ..Default::default()
        };
        let fake = FakeCfn::new(vec![
            stack(StackStatus::UpdateComplete),
            stack(StackStatus::UpdateComplete),
            stack(StackStatus::UpdateInProgress),
            stack(StackStatus::UpdateComplete),
        ])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![complete(vec![c])]);
        let opts = DeployOptions {
            force: true,
            allow_data_loss: true,
            ..strict()
        };
        let (out, r) = deploy(&fake, request(template("a")), opts, None).await;
        let Ok(Outcome::Refused { reason, .. }) = &r else {
            panic!("{seen}: {r:?}\n{out}");
        };
        assert!(
            reason.contains(seen) && reason.contains("does not know"),
            "{reason}"
        );
        assert!(!out.contains("1 to update in place"), "{out}");
        if policy.is_none() {
            assert!(
                out.contains("unknown change action `Frobnicate`")
                    && out.contains("1 with a change action nephos does not know"),
                "{out}"
            );
        }
        nothing_written(&fake);
    }
}

#[tokio::test]
async fn a_replace_policy_action_beside_replacement_false_is_refused_as_a_replacement() {
    let c = ResourceChange {
        policy_action: Some("ReplaceAndDelete".into()),
        ..change("Modify", Some("False"))
    };
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&template("a").to_string())
    .with_change_sets(vec![complete(vec![c])]);
    let opts = DeployOptions {
        force: true,
        ..strict()
    };
    let (out, r) = deploy(&fake, request(template("a")), opts, None).await;
    let Ok(Outcome::DataLossRefused { risks, .. }) = &r else {
        panic!("{r:?}\n{out}");
    };
    assert_eq!(
        risks[0].hazard,
        crate::diff::model::Hazard::Replaced,
        "{risks:?}"
    );
    assert!(
        out.contains("ReplaceAndDelete") && !out.contains("1 to update in place"),
        "{out}"
    );
    nothing_written(&fake);
}

#[tokio::test]
async fn apply_reports_an_unknown_final_status_as_a_failure_not_a_success() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::from("UPDATE_VERIFIED_COMPLETE")),
    ])
    .with_template(&template("a").to_string())
    .with_change_sets(vec![complete(vec![])]);
    let (_, r) = deploy(&fake, request(template("b")), options(), None).await;
    assert!(
        matches!(r, Ok(Outcome::Failed(ref f)) if f.status == "UPDATE_VERIFIED_COMPLETE"),
        "{r:?}"
    );
    assert!(!r.as_ref().is_ok_and(Outcome::is_success));
}
