//! Issue 12, F4: a refusal certain from the local template comes before the run's first
//! write, with either method, and for every stack of a run before the first is deployed.

use super::*;

/// The deployed stack of `old`, settled, whose change set (if ever created) removes the
/// table.
fn deployed(old: &Value) -> FakeCfn {
    FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&old.to_string())
        .with_change_sets(vec![complete(vec![ResourceChange {
            action: "Remove".into(),
            logical_id: "Table".into(),
            resource_type: TABLE.into(),
            ..Default::default()
        }])])
}

fn queue_only() -> Value {
    json!({"Resources": {"Queue": {"Type": QUEUE}}})
}

#[tokio::test]
async fn a_removal_the_template_shows_is_refused_before_any_write_with_either_method() {
    for direct in [false, true] {
        let fake = deployed(&template("users"));
        let opts = DeployOptions { direct, ..strict() };
        let (out, r) = deploy(&fake, request(queue_only()), opts, None).await;
        assert!(
            matches!(r, Ok(Outcome::DataLossRefused { ref risks, deleted_change_set: None, .. }) if risks.len() == 1),
            "direct {direct}: {r:?}"
        );
        assert!(fake.write_calls().is_empty(), "{:?}", fake.write_calls());
        assert_eq!(fake.count("CreateChangeSet"), 0);
        assert!(
            out.contains(
                "Table (AWS::DynamoDB::Table) would be removed (predicted from the template)"
            ),
            "{out}"
        );
    }
    // A type nephos cannot show holds no data is refused the same way (F8 with F4).
    let old = json!({"Resources": {"Queue": {"Type": QUEUE}, "Images": {"Type": "AWS::ECR::Repository"}}});
    let fake = deployed(&old);
    let (out, r) = deploy(&fake, request(queue_only()), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::DataLossRefused { .. })), "{r:?}");
    assert!(fake.write_calls().is_empty(), "{:?}", fake.write_calls());
    assert!(
        out.contains("nephos does not know whether Images holds data"),
        "{out}"
    );
}

#[tokio::test]
async fn a_possible_replacement_still_waits_for_the_change_set() {
    // Only the change set can clear (or confirm) a possible replacement: it is created.
    let mut old = template("users");
    old["Resources"]["Table"]["Properties"]["BillingMode"] = json!("PROVISIONED");
    let mut new = old.clone();
    new["Resources"]["Table"]["Properties"]["BillingMode"] = json!("PAY_PER_REQUEST");
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&old.to_string())
        .with_change_sets(vec![complete(vec![ResourceChange {
            action: "Modify".into(),
            logical_id: "Table".into(),
            resource_type: TABLE.into(),
            replacement: Some("Conditional".into()),
            ..Default::default()
        }])]);
    let (_, r) = deploy(&fake, request(new), strict(), None).await;
    assert!(matches!(r, Ok(Outcome::DataLossRefused { .. })), "{r:?}");
    assert_eq!(fake.write_calls(), ["CreateChangeSet", "DeleteChangeSet"]);
}

/// The check the command runs over every stack before deploying the first: stack `ma`
/// (an in-place change) passes, `mb` (a removal) is refused, and neither was written to.
#[tokio::test]
async fn every_stack_is_checked_before_the_first_write_of_the_run() {
    let mut ma_new = template("users");
    ma_new["Resources"]["Queue"]["Properties"] = json!({"VisibilityTimeout": 60});
    let ma = deployed(&template("users"));
    let (_, r) = with_engine!(&ma, None, Interrupt::new(), |e| e
        .preflight(&request(ma_new), &strict())
        .await);
    assert!(matches!(r, Ok(None)), "{r:?}");
    let mb = deployed(&template("users"));
    let (out, r) = with_engine!(&mb, None, Interrupt::new(), |e| e
        .preflight(&request(queue_only()), &strict())
        .await);
    assert!(
        matches!(r, Ok(Some(Outcome::DataLossRefused { .. }))),
        "{r:?}"
    );
    assert!(out.contains("would be removed"), "{out}");
    for fake in [&ma, &mb] {
        assert!(fake.write_calls().is_empty(), "{:?}", fake.write_calls());
    }
    // A state that refuses, and a deployed template that cannot be read, are certain too;
    // a state the deploy first acts on is judged when that stack is reached.
    let failed = FakeCfn::new(vec![stack(StackStatus::DeleteFailed)]);
    let (_, r) = with_engine!(&failed, None, Interrupt::new(), |e| e
        .preflight(&request(queue_only()), &strict())
        .await);
    assert!(matches!(r, Ok(Some(Outcome::Refused { .. }))), "{r:?}");
    let unreadable = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]).with_template("{");
    let (_, r) = with_engine!(&unreadable, None, Interrupt::new(), |e| e
        .preflight(&request(queue_only()), &strict())
        .await);
    assert!(matches!(r, Ok(Some(Outcome::Refused { .. }))), "{r:?}");
    let rolled_back = FakeCfn::new(vec![stack(StackStatus::RollbackComplete)]);
    let (_, r) = with_engine!(&rolled_back, None, Interrupt::new(), |e| e
        .preflight(&request(queue_only()), &strict())
        .await);
    assert!(matches!(r, Ok(None)), "{r:?}");
    for fake in [&failed, &unreadable, &rolled_back] {
        assert!(fake.write_calls().is_empty(), "{:?}", fake.write_calls());
    }
}
