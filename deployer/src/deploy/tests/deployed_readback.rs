//! The deployed template read back is untrusted input (attack finding F1): a template
//! answered "empty", short of a live resource, or outside CloudFormation's bounds stops a
//! deploy before any write; each test would fail if the read-back were trusted again.

use super::*;
use crate::cfn::model::StackResource;

fn resource(id: &str, ty: &str, status: ResourceStatus) -> StackResource {
    StackResource {
        logical_id: id.into(),
        physical_id: Some(format!("{id}-physical")),
        resource_type: ty.into(),
        status,
    }
}

fn direct() -> DeployOptions {
    DeployOptions {
        direct: true,
        ..strict()
    }
}

fn live() -> Vec<StackResource> {
    vec![
        resource("Queue", QUEUE, ResourceStatus::CreateComplete),
        resource("Table", TABLE, ResourceStatus::UpdateComplete),
    ]
}

/// Asserts `r` is a refusal naming `what`, that nothing was written, and returns the reason.
fn refused_before_writes(fake: &FakeCfn, r: &Result<Outcome, EngineError>, what: &str) {
    let Ok(Outcome::Refused {
        reason, next_step, ..
    }) = r
    else {
        panic!("{r:?}");
    };
    assert!(reason.contains(what), "{reason}");
    assert!(next_step.contains("nephos diff"), "{next_step}");
    assert_eq!(fake.writes(), ["GetTemplate"]);
}

#[tokio::test]
async fn a_deployed_template_read_back_empty_stops_a_direct_deploy() {
    // The new template keeps only the queue: against an "empty" deployed template the
    // table's removal would go unseen and UpdateStack would delete it.
    let new = json!({"Resources": {"Queue": {"Type": QUEUE}}});
    for answer in [
        json!({"Resources": {}}),
        json!({"Resources": null}),
        json!({"Resources": []}),
        json!({}),
    ] {
        let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&answer.to_string())
            .with_resources(live());
        let (_, r) = deploy(&fake, request(new.clone()), direct(), None).await;
        refused_before_writes(&fake, &r, "deployed template");
    }
}

#[tokio::test]
async fn a_deployed_template_missing_a_live_resource_stops_a_deploy() {
    let new = json!({"Resources": {"Queue": {"Type": QUEUE}}});
    let short = json!({"Resources": {"Queue": {"Type": QUEUE}}}).to_string();
    for opts in [direct(), strict()] {
        let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
            .with_template(&short)
            .with_resources(live());
        let (_, r) = deploy(&fake, request(new.clone()), opts, None).await;
        refused_before_writes(&fake, &r, "does not match the stack's resources");
        let Ok(Outcome::Refused { reason, .. }) = &r else {
            unreachable!()
        };
        assert!(reason.contains("Table (AWS::DynamoDB::Table)"), "{reason}");
    }
}

#[tokio::test]
async fn resources_already_deleted_do_not_count_as_live() {
    let deployed = json!({"Resources": {"Queue": {"Type": QUEUE}}});
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&deployed.to_string())
        .with_resources(vec![
            resource("Queue", QUEUE, ResourceStatus::CreateComplete),
            resource("Old", TABLE, ResourceStatus::DeleteComplete),
            resource("Kept", TABLE, ResourceStatus::DeleteSkipped),
        ]);
    let (_, r) = deploy(&fake, request(deployed.clone()), options(), None).await;
    assert!(matches!(r, Ok(Outcome::NoChanges { .. })), "{r:?}");
}

#[tokio::test]
async fn a_deployed_template_over_the_size_bound_is_refused() {
    let mut resources = serde_json::Map::new();
    resources.insert("Queue".into(), json!({"Type": QUEUE}));
    resources.insert("Table".into(), json!({"Type": TABLE}));
    let mut big = json!({"Resources": resources});
    big["Description"] = Value::String("x".repeat(nephos::limits::MAX_TEMPLATE_BYTES));
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&big.to_string())
        .with_resources(live());
    let (_, r) = deploy(&fake, request(template("a")), direct(), None).await;
    refused_before_writes(&fake, &r, "bytes");
}

#[tokio::test]
async fn an_unlisted_stack_cannot_vouch_for_its_template() {
    let mut fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string());
    fake.resources = crate::deploy::fake::Script::new(vec![Err(CfnError::new(
        ErrorKind::AccessDenied,
        "denied",
    ))]);
    let (_, r) = deploy(&fake, request(template("a")), direct(), None).await;
    refused_before_writes(&fake, &r, "ListStackResources failed");
}
