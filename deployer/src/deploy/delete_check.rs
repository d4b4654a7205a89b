//! The data-loss judgement of a stack delete that nephos starts on its own (a failed create
//! deleted to be created again), as opposed to `nephos destroy`, which the user asked for.
//!
//! A stack that failed to create can still hold resources: CREATE_FAILED and ROLLBACK_FAILED
//! leave the resources that were created (or could not be deleted), and a table among them
//! may already hold data. Deleting the stack deletes them unless their `DeletionPolicy` keeps
//! them. So before such a delete nephos lists the stack's resources and the deployed
//! template's policies, and stops (with `--allow-data-loss` as the way on) when a stateful
//! resource would be deleted or when it cannot tell: the listing or the template cannot be
//! read (failing closed: an unread listing is not an empty one), or the template declares a
//! stateful resource the listing lacks (a listing read in part, such as the first 100
//! resources `DescribeStackResources` answers, must not pass for the whole stack).

use serde_json::Value;

use crate::cfn::model::StackResource;
use crate::cfn::status::ResourceStatus;
use crate::diff::data_loss::{default_deletion_policy, keeps_data};

/// Whether a listed resource may still exist: only a completed (or skipped, i.e. retained)
/// delete, or a resource that never got a physical ID, is known to be gone. An unknown
/// status counts as existing.
pub fn may_exist(r: &StackResource) -> bool {
    let gone = matches!(
        r.status,
        ResourceStatus::DeleteComplete | ResourceStatus::DeleteSkipped
    );
    let never_created = r.physical_id.as_deref().is_none_or(str::is_empty);
    !gone && !never_created
}

/// The resources that deleting the stack would delete with their data, or that nephos cannot
/// judge, as `Id (Type, why)`. `template` is the deployed template (`Err`: why it could not be
/// read, so no resource's `DeletionPolicy` is known, none is taken to keep its data, and the
/// listing cannot be checked against it: that alone is unjudgeable).
pub fn lost_on_delete(resources: &[StackResource], template: Result<&Value, &str>) -> Vec<String> {
    let mut lost = Vec::new();
    match template {
        Err(e) => lost.push(format!(
            "the stack's resources (the deployed template cannot be read: {e}, so nephos cannot check the resource listing against it)"
        )),
        Ok(t) => lost.extend(missing_from_listing(resources, t)),
    }
    for r in resources.iter().filter(|r| may_exist(r)) {
        let declared = template
            .ok()
            .and_then(|t| t.get("Resources"))
            .and_then(|rs| rs.get(&r.logical_id));
        // A type nephos cannot show holds no data counts as one that does (fail closed).
        let held = crate::diff::data_loss::holding(declared, None, &r.resource_type);
        if !held.may_hold_data() {
            continue;
        }
        let data = if held == nephos::facts::DataHolding::Unknown {
            "nephos does not know whether it holds data"
        } else {
            "its data would be deleted"
        };
        let id = &r.logical_id;
        let ty = &r.resource_type;
        let Some(declared) = declared else {
            let why = match template {
                Err(e) => format!("its DeletionPolicy is unknown: {e}"),
                Ok(_) => "its DeletionPolicy is unknown: the deployed template does not declare it"
                    .into(),
            };
            lost.push(format!("{id} ({ty}, {why})"));
            continue;
        };
        let policy = declared
            .get("DeletionPolicy")
            .and_then(Value::as_str)
            .or_else(|| default_deletion_policy(declared));
        if !keeps_data(policy, ty) {
            lost.push(format!(
                "{id} ({ty}, {} {}: {data})",
                r.status,
                policy.map_or_else(
                    || "DeletionPolicy Delete".to_owned(),
                    |p| format!("DeletionPolicy {p}")
                )
            ));
        }
    }
    lost
}

/// The stateful resources the deployed template declares (without a policy that keeps their
/// data) that the listing lacks: whether they exist is unknown, so they count as lost.
fn missing_from_listing(resources: &[StackResource], template: &Value) -> Vec<String> {
    let Some(declared) = template.get("Resources").and_then(Value::as_object) else {
        return vec!["the stack's resources (the deployed template has no Resources mapping to check the listing against)".into()];
    };
    declared
        .iter()
        .filter(|(id, _)| !resources.iter().any(|r| &r.logical_id == *id))
        .filter(|(_, r)| nephos::facts::data_holding(r).may_hold_data())
        .filter_map(|(id, r)| {
            let ty = r.get("Type").and_then(Value::as_str).unwrap_or("(no Type)");
            let policy = r
                .get("DeletionPolicy")
                .and_then(Value::as_str)
                .or_else(|| default_deletion_policy(r));
            (!keeps_data(policy, ty)).then(|| {
                format!(
                    "{id} ({ty}, declared by the deployed template but missing from the stack's resource listing, so nephos cannot tell whether it exists)"
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(id: &str, ty: &str, status: ResourceStatus, physical: Option<&str>) -> StackResource {
        StackResource {
            logical_id: id.into(),
            physical_id: physical.map(str::to_owned),
            resource_type: ty.into(),
            status,
        }
    }

    #[test]
    fn a_created_stateful_resource_without_a_keeping_policy_is_lost() {
        let t = json!({"Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table"},
            "Kept": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain"},
            "Role": {"Type": "AWS::IAM::Role"}}});
        let rs = [
            res(
                "Table",
                "AWS::DynamoDB::Table",
                ResourceStatus::CreateComplete,
                Some("t"),
            ),
            res(
                "Kept",
                "AWS::DynamoDB::Table",
                ResourceStatus::CreateComplete,
                Some("k"),
            ),
            res(
                "Role",
                "AWS::IAM::Role",
                ResourceStatus::CreateComplete,
                Some("r"),
            ),
        ];
        let lost = lost_on_delete(&rs, Ok(&t));
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert!(
            lost[0].starts_with("Table (AWS::DynamoDB::Table"),
            "{lost:?}"
        );
    }

    #[test]
    fn only_a_resource_known_to_be_gone_is_not_counted() {
        let t = json!({"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}}});
        for (status, physical, counted) in [
            (ResourceStatus::DeleteComplete, Some("t"), false),
            (ResourceStatus::DeleteSkipped, Some("t"), false),
            (ResourceStatus::CreateFailed, None, false),
            (ResourceStatus::CreateFailed, Some("t"), true),
            (ResourceStatus::DeleteFailed, Some("t"), true),
            (ResourceStatus::from("SOMETHING_NEW"), Some("t"), true),
        ] {
            let rs = [res("T", "AWS::DynamoDB::Table", status.clone(), physical)];
            assert_eq!(!lost_on_delete(&rs, Ok(&t)).is_empty(), counted, "{status}");
        }
    }

    #[test]
    fn an_unread_template_leaves_every_stateful_resource_unjudged() {
        let rs = [
            res(
                "T",
                "AWS::DynamoDB::Table",
                ResourceStatus::CreateComplete,
                Some("t"),
            ),
            res(
                "R",
                "AWS::IAM::Role",
                ResourceStatus::CreateComplete,
                Some("r"),
            ),
        ];
        let lost = lost_on_delete(&rs, Err("GetTemplate failed: denied"));
        assert_eq!(lost.len(), 2, "{lost:?}");
        assert!(
            lost[0].contains("cannot check the resource listing"),
            "{lost:?}"
        );
        assert!(
            lost[1].contains("DeletionPolicy is unknown: GetTemplate failed"),
            "{lost:?}"
        );
        // Even a listing where nothing may exist is unjudged without the template: the
        // listing cannot be checked for resources it lacks.
        let gone = [res(
            "T",
            "AWS::DynamoDB::Table",
            ResourceStatus::DeleteComplete,
            Some("t"),
        )];
        assert_eq!(lost_on_delete(&gone, Err("denied")).len(), 1);
    }

    #[test]
    fn a_declared_stateful_resource_missing_from_the_listing_is_unjudged() {
        let t = json!({"Resources": {
            "Fn": {"Type": "AWS::Lambda::Function"},
            "Table": {"Type": "AWS::DynamoDB::Table"},
            "Kept": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain"},
            "Role": {"Type": "AWS::IAM::Role"}}});
        let rs = [res(
            "Fn",
            "AWS::Lambda::Function",
            ResourceStatus::DeleteFailed,
            Some("t"),
        )];
        let lost = lost_on_delete(&rs, Ok(&t));
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert!(
            lost[0].starts_with(
                "Table (AWS::DynamoDB::Table, declared by the deployed template but missing"
            ),
            "{lost:?}"
        );
        let listed = [res(
            "Table",
            "AWS::DynamoDB::Table",
            ResourceStatus::DeleteComplete,
            Some("t"),
        )];
        assert!(lost_on_delete(&listed, Ok(&t)).is_empty());
    }

    /// A failed create's resource of a type nephos cannot show holds no data stops the
    /// delete like a stateful one, worded as unknown, listed or only declared.
    #[test]
    fn a_resource_not_shown_to_hold_no_data_is_not_deleted_unjudged() {
        let t = json!({"Resources": {
            "Metrics": {"Type": "AWS::Timestream::Table"},
            "Images": {"Type": "AWS::ECR::Repository"},
            "Fn": {"Type": "AWS::Lambda::Function"}}});
        let rs = [
            res(
                "Metrics",
                "AWS::Timestream::Table",
                ResourceStatus::CreateComplete,
                Some("m"),
            ),
            res(
                "Fn",
                "AWS::Lambda::Function",
                ResourceStatus::CreateComplete,
                Some("f"),
            ),
        ];
        let lost = lost_on_delete(&rs, Ok(&t));
        assert_eq!(
            lost,
            [
                "Images (AWS::ECR::Repository, declared by the deployed template but missing from the stack's resource listing, so nephos cannot tell whether it exists)",
                "Metrics (AWS::Timestream::Table, CREATE_COMPLETE DeletionPolicy Delete: nephos does not know whether it holds data)",
            ]
        );
    }
}
