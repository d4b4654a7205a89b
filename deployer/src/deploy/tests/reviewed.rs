//! What is reviewed is what is executed: a reviewed change set is judged by its own
//! template and parameters and executed by the id that was reviewed; a failure's events are
//! read through every page of the operation.

use super::*;
use crate::cfn::model::StackEvent;

const V1: &str = "users";
const V2: &str = "users-v2";

/// A bare `Modify` of the table, as moto (and a change set read without details) says it.
fn table_modified() -> ResourceChange {
    ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        ..Default::default()
    }
}

/// The computed change set `reviewed`, with this id and these changes.
fn reviewed(id: &str, changes: Vec<ResourceChange>) -> ChangeSet {
    ChangeSet {
        id: id.into(),
        ..complete(changes)
    }
}

/// A stack deployed from `deployed` (with `parameters`) whose update settles successfully.
fn deployed(deployed: &Value, parameters: &[(&str, &str)]) -> FakeCfn {
    let s = stack(StackStatus::UpdateComplete).map(|mut s| {
        s.parameters = parameters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        s
    });
    FakeCfn::new(vec![
        s.clone(),
        s,
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&deployed.to_string())
}

fn execute(name: &str) -> DeployOptions {
    DeployOptions {
        existing_change_set: Some(name.into()),
        ..strict()
    }
}

#[tokio::test]
async fn a_reviewed_change_set_is_judged_by_its_own_template_not_the_apps() {
    // The app's template is the deployed one; the change set was made from another that
    // renames the table (a replacement).
    let fake = deployed(&template(V1), &[])
        .with_change_set_template(&template(V2).to_string())
        .with_change_sets(vec![reviewed("arn:cs/1", vec![table_modified()])]);
    let (out, r) = deploy(&fake, request(template(V1)), execute("reviewed"), None).await;
    assert!(
        matches!(r, Ok(Outcome::DataLossRefused { .. })),
        "{r:?}\n{out}"
    );
    assert_eq!(fake.count("ExecuteChangeSet"), 0);
    assert_eq!(
        fake.count("DeleteChangeSet"),
        0,
        "the user's change set stays"
    );

    // The other way round: the app would replace the table, the change set does not.
    let fake = deployed(&template(V1), &[])
        .with_change_set_template(&template(V1).to_string())
        .with_change_sets(vec![reviewed("arn:cs/1", vec![])]);
    let (out, r) = deploy(&fake, request(template(V2)), execute("reviewed"), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}\n{out}");
}

#[tokio::test]
async fn a_reviewed_change_set_is_judged_with_its_own_parameter_values() {
    let t = json!({
        "Parameters": {"Name": {"Type": "String"}},
        "Resources": {"Table": {"Type": TABLE, "Properties": {"TableName": {"Ref": "Name"}}}}});
    // The app passes the deployed value; the change set was made with another one.
    let mut cs = reviewed("arn:cs/1", vec![table_modified()]);
    cs.parameters.insert("Name".into(), Some("orders".into()));
    let fake = deployed(&t, &[("Name", "users")])
        .with_change_set_template(&t.to_string())
        .with_change_sets(vec![cs]);
    let mut req = request(t.clone());
    req.parameters.insert("Name".into(), "users".into());
    let (out, r) = deploy(&fake, req.clone(), execute("reviewed"), None).await;
    assert!(
        matches!(r, Ok(Outcome::DataLossRefused { .. })),
        "{r:?}\n{out}"
    );
    // Judged from the value the change set passes, not only from CloudFormation's
    // unspecific "Modify".
    assert!(out.contains("TableName forces a new resource"), "{out}");
    assert_eq!(fake.count("ExecuteChangeSet"), 0);

    // `UsePreviousValue` keeps the deployed value: nothing is replaced.
    let mut cs = reviewed("arn:cs/1", vec![]);
    cs.parameters.insert("Name".into(), None);
    let fake = deployed(&t, &[("Name", "users")])
        .with_change_set_template(&t.to_string())
        .with_change_sets(vec![cs]);
    let (out, r) = deploy(&fake, req, execute("reviewed"), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}\n{out}");
}

#[tokio::test]
async fn a_reviewed_change_set_whose_template_cannot_be_read_is_refused_and_left_in_place() {
    for answer in [None, Some("{not json"), Some(r#"{"Resources": {"T": {}}}"#)] {
        let fake = deployed(&template(V1), &[])
            .with_change_sets(vec![reviewed("arn:cs/1", vec![table_modified()])]);
        // `None`: GetTemplate of the change set fails.
        let fake = match answer {
            Some(body) => fake.with_change_set_template(body),
            None => fake,
        };
        let (out, r) = deploy(&fake, request(template(V1)), execute("reviewed"), None).await;
        assert!(
            matches!(r, Ok(Outcome::Refused { .. })),
            "{answer:?}: {r:?}"
        );
        assert!(
            out.contains("cannot read the template of change set reviewed"),
            "{out}"
        );
        assert!(
            out.contains("get-template --stack-name api --change-set-name reviewed"),
            "{out}"
        );
        assert_eq!(fake.count("ExecuteChangeSet"), 0);
        assert_eq!(fake.count("SetStackPolicy"), 0);
        assert_eq!(fake.count("DeleteChangeSet"), 0);
    }
}

#[tokio::test]
async fn the_reviewed_change_set_is_executed_by_its_id_and_not_when_made_again() {
    // `--change-set NAME`: executed by the id read when it was checked.
    let fake = deployed(&template(V1), &[])
        .with_change_set_template(&template(V1).to_string())
        .with_change_sets(vec![reviewed("arn:cs/1", vec![])]);
    let (_, r) = deploy(&fake, request(template(V1)), execute("reviewed"), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(
        *fake.executed.lock().unwrap_or_else(|e| e.into_inner()),
        ["arn:cs/1"]
    );

    // Deleted and made again under the same name between the check and the execution.
    let fake = deployed(&template(V1), &[])
        .with_change_set_template(&template(V1).to_string())
        .with_change_sets(vec![
            reviewed("arn:cs/1", vec![]),
            reviewed("arn:cs/2", vec![]),
        ]);
    let (out, r) = deploy(&fake, request(template(V1)), execute("reviewed"), None).await;
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert!(out.contains("no longer the one that was reviewed"), "{out}");
    assert_eq!(fake.count("ExecuteChangeSet"), 0);

    // This run's own change set: the same.
    let mut new = template(V1);
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    let add = ResourceChange {
        action: "Add".into(),
        logical_id: "Topic".into(),
        resource_type: "AWS::SNS::Topic".into(),
        ..Default::default()
    };
    let fake = deployed(&template(V1), &[]).with_change_sets(vec![
        reviewed("arn:cs/1", vec![add.clone()]),
        reviewed("arn:cs/2", vec![add.clone()]),
    ]);
    let (out, r) = deploy(&fake, request(new.clone()), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert!(out.contains("no longer the one that was reviewed"), "{out}");
    assert_eq!(fake.count("ExecuteChangeSet"), 0);
    let fake = deployed(&template(V1), &[]).with_change_sets(vec![reviewed("arn:cs/1", vec![add])]);
    let (_, r) = deploy(&fake, request(new), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(
        *fake.executed.lock().unwrap_or_else(|e| e.into_inner()),
        ["arn:cs/1"]
    );
}

/// The events of a failed update of a busy stack, newest first: the root cause far down,
/// under many later events, and the events of earlier operations below the first one.
fn busy_failed_update() -> Vec<StackEvent> {
    let mut events = vec![stack_ev(60, ResourceStatus::UpdateRollbackComplete)];
    // Many resources rolled back after the failure.
    for n in (10..60).rev() {
        events.push(ev(
            n,
            &format!("Fn{n}"),
            "AWS::Lambda::Function",
            ResourceStatus::UpdateComplete,
            None,
        ));
    }
    events.push(stack_ev(9, ResourceStatus::UpdateRollbackInProgress));
    events.push(ev(
        8,
        "Table",
        TABLE,
        ResourceStatus::UpdateFailed,
        Some("the root cause"),
    ));
    events.push(stack_ev(7, ResourceStatus::UpdateInProgress));
    // The last operation before this one, and older history.
    for n in (1..7).rev() {
        events.push(stack_ev(n, ResourceStatus::UpdateComplete));
    }
    events
}

#[tokio::test]
async fn a_root_cause_beyond_the_first_page_of_events_is_reported() {
    let all = busy_failed_update();
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateRollbackComplete),
    ])
    .with_template(&template(V1).to_string())
    .with_change_sets(vec![complete(vec![table_modified()])])
    // Before the update, the newest event is e6; pages hold 5 events.
    .with_event_page(5)
    .with_events(vec![all[all.len() - 6..].to_vec(), all.clone()]);
    let opts = DeployOptions {
        allow_replace: vec!["Table".into()],
        ..strict()
    };
    let (out, r) = deploy(&fake, request(template(V2)), opts, None).await;
    let Ok(Outcome::Failed(report)) = r else {
        panic!("expected a failure, got {r:?}\n{out}")
    };
    let root = report.root_cause.expect("a root cause");
    assert_eq!(root.logical_id, "Table");
    assert_eq!(root.reason.as_deref(), Some("the root cause"));
    // Read up to the page holding e6 (the operation's start), not the older history:
    // 1 page for the baseline, then 11 of the 12 pages (e6 is the 55th event).
    assert_eq!(
        fake.count("DescribeStackEvents"),
        1 + 11,
        "{:?}",
        fake.calls
    );
}
