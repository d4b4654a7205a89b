//! What the review and the outcome say must be true: a change nephos cannot judge stops
//! like a replacement, the summary agrees with the risks, nothing destructive happens
//! before every check that can refuse, and no message claims more than was verified.

use super::*;
use crate::cfn::model::{ChangeDetail, StackResource};

fn updating(old: &Value, changes: Vec<ResourceChange>) -> FakeCfn {
    FakeCfn::new(vec![
        stack("UPDATE_COMPLETE"),
        stack("UPDATE_COMPLETE"),
        stack("UPDATE_IN_PROGRESS"),
        stack("UPDATE_COMPLETE"),
    ])
    .with_template(&old.to_string())
    .with_change_sets(vec![complete(changes)])
}

fn nested(url: &str) -> Value {
    json!({"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url}}}})
}

fn child_in_place() -> ResourceChange {
    ResourceChange {
        action: "Modify".into(),
        logical_id: "Child".into(),
        resource_type: "AWS::CloudFormation::Stack".into(),
        replacement: Some("False".into()),
        scope: vec!["Properties".into()],
        details: vec![ChangeDetail {
            target: "Properties.TemplateURL".into(),
            requires_recreation: Some("Never".into()),
            change_source: Some("DirectModification".into()),
            causing_entity: None,
        }],
    }
}

#[tokio::test]
async fn a_nested_stack_update_stops_without_allow_replace_and_goes_with_it() {
    let (old, new) = (
        nested("https://b/child-v1.json"),
        nested("https://b/child-v2.json"),
    );
    let fake = updating(&old, vec![child_in_place()]);
    let (out, r) = deploy(&fake, request(new.clone()), strict(), Some(true)).await;
    let Ok(Outcome::DataLossRefused { risks, .. }) = &r else {
        panic!("{r:?}\n{out}")
    };
    assert_eq!(risks[0].logical_id, "Child");
    assert!(!fake.writes().contains(&"ExecuteChangeSet".to_owned()));
    assert!(
        out.contains("what the update does inside it is not judged"),
        "{out}"
    );
    assert!(out.contains("--allow-replace Child"), "{out}");

    let fake = updating(&old, vec![child_in_place()]);
    let opts = DeployOptions {
        allow_replace: vec!["Child".into()],
        ..strict()
    };
    let (_, r) = deploy(&fake, request(new), opts, Some(true)).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
}

#[tokio::test]
async fn a_table_rename_the_change_set_calls_in_place_is_refused_and_counted_as_a_replacement() {
    // TableName is create-only: the change set's `Replacement: False` (with no details, or
    // with a detail that is not a property) does not make it an update in place.
    for details in [
        vec![],
        vec![ChangeDetail {
            target: "Tags".into(),
            requires_recreation: None,
            change_source: None,
            causing_entity: None,
        }],
    ] {
        let change = ResourceChange {
            action: "Modify".into(),
            logical_id: "Table".into(),
            resource_type: TABLE.into(),
            replacement: Some("False".into()),
            scope: vec!["Properties".into()],
            details,
        };
        let fake = updating(&template("users"), vec![change]);
        let (out, r) = deploy(&fake, request(template("users-v2")), strict(), Some(true)).await;
        assert!(
            matches!(r, Ok(Outcome::DataLossRefused { .. })),
            "{r:?}\n{out}"
        );
        assert!(out.contains("0 to update in place, 1 to replace"), "{out}");
        assert!(!fake.writes().contains(&"ExecuteChangeSet".to_owned()));
    }
}

#[tokio::test]
async fn a_stop_while_the_change_set_is_computed_cancels_nothing() {
    let fake = FakeCfn::new(vec![stack("UPDATE_COMPLETE")])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![pending()]);
    let i = Interrupt::new();
    i.time_out();
    let req = request(template("b"));
    let opts = options();
    let (out, r) = with_engine!(&fake, Some(true), i, |e| e.deploy(&req, &opts).await);
    assert!(
        matches!(
            r,
            Ok(Outcome::Interrupted {
                cancelled: false,
                ..
            })
        ),
        "{r:?}"
    );
    assert!(!out.contains("cancelled"), "{out}");
    assert!(!fake.writes().contains(&"CancelUpdateStack".to_owned()));
}

#[tokio::test]
async fn a_named_change_set_on_a_failed_create_is_refused_before_anything_is_deleted() {
    let fake = FakeCfn::new(vec![stack("ROLLBACK_COMPLETE"), None])
        .with_template(&json!({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}).to_string())
        .failing(
            "DescribeChangeSet",
            vec![CfnError::new(
                ErrorKind::NotFound,
                "ChangeSet [mine] does not exist",
            )],
        );
    let opts = DeployOptions {
        existing_change_set: Some("mine".into()),
        ..strict()
    };
    let (out, r) = deploy(&fake, request(template("a")), opts, Some(true)).await;
    let Ok(Outcome::Refused {
        reason, next_step, ..
    }) = &r
    else {
        panic!("{r:?}\n{out}")
    };
    assert!(reason.contains("deletes change set mine"), "{reason}");
    assert!(next_step.contains("without --change-set"), "{next_step}");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());
}

#[tokio::test]
async fn a_next_step_never_points_at_a_change_set_nephos_deleted() {
    for (status, exec) in [
        ("CREATE_COMPLETE", "UNAVAILABLE"),
        ("CREATE_COMPLETE", "EXECUTE_PAUSED"),
        ("CREATE_PAUSED", ""),
    ] {
        let fake = FakeCfn::new(vec![stack("UPDATE_COMPLETE")])
            .with_template(&template("a").to_string())
            .with_change_sets(vec![ChangeSet {
                status: status.into(),
                execution_status: exec.into(),
                ..Default::default()
            }]);
        let (out, _) = deploy(&fake, request(template("b")), options(), Some(true)).await;
        assert!(
            fake.writes().contains(&"DeleteChangeSet".to_owned()),
            "{:?}",
            fake.writes()
        );
        assert!(
            !out.contains("--change-set-name cs1"),
            "{status}/{exec}: {out}"
        );
        assert!(
            out.contains("nephos deploy --no-execute"),
            "{status}/{exec}: {out}"
        );
    }
}

#[tokio::test]
async fn allow_data_loss_on_a_failed_create_never_also_says_nothing_holds_data() {
    let deployed = json!({"Resources": {"Table": {"Type": TABLE}}}).to_string();
    let fake = FakeCfn::new(vec![stack("ROLLBACK_FAILED"), None])
        .with_template(&deployed)
        .with_resources(vec![StackResource {
            logical_id: "Table".into(),
            physical_id: Some("t".into()),
            resource_type: TABLE.into(),
            status: "DELETE_FAILED".into(),
        }]);
    let opts = DeployOptions {
        allow_data_loss: true,
        ..strict()
    };
    let (out, _) = deploy(&fake, request(template("users")), opts, Some(true)).await;
    assert!(out.contains("deleting the stack may delete Table"), "{out}");
    assert!(!out.contains("none of its resources holds data"), "{out}");
    assert!(
        out.contains("as --allow-data-loss allows: deleting it"),
        "{out}"
    );
}

#[tokio::test]
async fn a_denial_by_nephos_own_policy_names_the_allow_flag() {
    // The review saw an update in place (a property that is not create-only); CloudFormation
    // decided to replace, and nephos's denial stopped it.
    let old = template("users");
    let mut new = template("users");
    new["Resources"]["Table"]["Properties"]["BillingMode"] = json!("PAY_PER_REQUEST");
    let change = ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        replacement: Some("False".into()),
        ..Default::default()
    };
    let fake = FakeCfn::new(vec![
        stack("UPDATE_COMPLETE"),
        stack("UPDATE_COMPLETE"),
        stack("UPDATE_ROLLBACK_IN_PROGRESS"),
        stack("UPDATE_ROLLBACK_COMPLETE"),
    ])
    .with_template(&old.to_string())
    .with_change_sets(vec![complete(vec![change])])
    .with_events(vec![vec![], vec![
        stack_ev(3, "UPDATE_ROLLBACK_COMPLETE"),
        ev(2, "Table", TABLE, "UPDATE_FAILED", Some("Action denied by stack policy: Statement [#2] (NephosProtectReplace) denies Update:Replace on LogicalResourceId/Table")),
        stack_ev(1, "UPDATE_IN_PROGRESS"),
    ]]);
    let (out, r) = deploy(&fake, request(new), strict(), Some(true)).await;
    let Ok(Outcome::Failed(f)) = &r else {
        panic!("{r:?}\n{out}")
    };
    assert!(
        f.next_step.contains("--allow-replace Table"),
        "{}",
        f.next_step
    );
    assert!(f.next_step.contains("previous template"), "{}", f.next_step);
}
