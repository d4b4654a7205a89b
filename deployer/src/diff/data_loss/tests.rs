//! The data-loss rules, each asserted through the diff that applies them.

use serde_json::Value;

use super::*;
use crate::cfn::model::{ChangeDetail, ResourceChange};
use crate::diff::diff_templates;
use crate::diff::facts::TableFacts;
use crate::diff::reconcile::reconcile;
use serde_json::json;

fn facts() -> TableFacts {
    TableFacts(vec![("AWS::DynamoDB::Table", vec!["TableName"])])
}

fn table(name: &str, attrs: Value) -> Value {
    let mut r = json!({"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": name}});
    if let (Some(m), Some(a)) = (r.as_object_mut(), attrs.as_object()) {
        m.extend(a.clone());
    }
    json!({"Resources": {"Table": r}})
}

fn describe(old: &Value, new: &Value) -> Vec<String> {
    diff_templates(old, new, &facts())
        .data_loss
        .iter()
        .map(DataLoss::describe)
        .collect()
}

#[test]
fn a_predicted_replacement_names_the_create_only_property_whatever_the_policy() {
    assert_eq!(
        describe(&table("a", json!({})), &table("b", json!({}))),
        [
            "Table (AWS::DynamoDB::Table) would be replaced: TableName forces a new resource (predicted from the template); UpdateReplacePolicy Delete (the default): the resource and its data would be deleted"
        ]
    );
    let retain = json!({"UpdateReplacePolicy": "Retain"});
    assert_eq!(
        describe(&table("a", retain.clone()), &table("b", retain)),
        [
            "Table (AWS::DynamoDB::Table) would be replaced: TableName forces a new resource (predicted from the template); UpdateReplacePolicy Retain keeps the old resource, but the stack would use a new, empty one"
        ]
    );
}

#[test]
fn removal_is_a_risk_only_without_a_keeping_deletion_policy() {
    let none = json!({"Resources": {}});
    assert_eq!(
        describe(&table("a", json!({})), &none),
        [
            "Table (AWS::DynamoDB::Table) would be removed (predicted from the template); DeletionPolicy Delete (the default): the resource and its data would be deleted"
        ]
    );
    for p in ["Retain", "RetainExceptOnCreate"] {
        let kept = table("a", json!({"DeletionPolicy": p}));
        assert!(describe(&kept, &none).is_empty(), "{p}");
    }
    // Snapshot keeps data only on the types CloudFormation can snapshot; a table is
    // deleted outright.
    assert_eq!(
        describe(&table("a", json!({"DeletionPolicy": "Snapshot"})), &none),
        [
            "Table (AWS::DynamoDB::Table) would be removed (predicted from the template); DeletionPolicy Snapshot (not supported for AWS::DynamoDB::Table, so CloudFormation deletes it): the resource and its data would be deleted"
        ]
    );
    let db = json!({"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot", "Properties": {}}}});
    assert!(describe(&db, &none).is_empty());
    let stateless = json!({"Resources": {"Fn": {"Type": "AWS::Lambda::Function"}}});
    assert!(describe(&stateless, &none).is_empty());
}

#[test]
fn a_marked_resource_is_stateful_and_a_stateful_rename_is_refused_even_when_retained() {
    let ledger = |id: &str| {
        json!({"Resources": {id: {"Type": "Custom::Ledger", "DeletionPolicy": "Retain",
            "Metadata": {"nephos:stateful": true}, "Properties": {"Size": 1}}}})
    };
    assert_eq!(
        describe(&ledger("Ledger"), &ledger("LedgerV2")),
        [
            "Ledger (Custom::Ledger) would be removed and LedgerV2 added with the same properties, a probable rename of the logical ID; DeletionPolicy Retain keeps the old resource, but the stack would use a new, empty one; keep the ID Ledger in the app (constructs take explicit IDs)"
        ]
    );
}

#[test]
fn the_change_set_decides_and_names_the_cause() {
    let (old, new) = (table("a", json!({})), table("a", json!({"Tags": []})));
    let mut d = diff_templates(&old, &new, &facts());
    assert!(d.data_loss.is_empty());
    reconcile(
        &mut d,
        vec![ResourceChange {
            action: "Modify".into(),
            logical_id: "Table".into(),
            resource_type: "AWS::DynamoDB::Table".into(),
            replacement: Some("Conditional".into()),
            policy_action: None,
            scope: vec!["Properties".into()],
            details: vec![ChangeDetail {
                target: "Properties.TableName".into(),
                requires_recreation: Some("Conditionally".into()),
                change_source: Some("ParameterReference".into()),
                causing_entity: Some("Env".into()),
            }],
        }],
    );
    let risks = assess(&old, &new, &d);
    assert_eq!(
        risks.iter().map(DataLoss::describe).collect::<Vec<_>>(),
        [
            "Table (AWS::DynamoDB::Table) may be replaced: TableName (caused by ParameterReference Env) may force a new resource (from the change set); UpdateReplacePolicy Delete (the default): the resource and its data would be deleted"
        ]
    );
    assert!(risks[0].allowed(&["Table".into()], false));
    assert!(!risks[0].allowed(&["Other".into()], false));
    assert!(risks[0].allowed(&[], true));
}

#[test]
fn a_change_set_saying_no_replacement_does_not_hide_a_predicted_one() {
    // TableName is create-only and its value changes: the change set's `False` (with
    // or without details) does not make it "in place"; the worse of the two is kept,
    // in the risk and in the summary alike.
    let (old, new) = (table("a", json!({})), table("b", json!({})));
    for details in [
        vec![],
        vec![ChangeDetail {
            target: "Tags".into(),
            requires_recreation: None,
            change_source: None,
            causing_entity: None,
        }],
    ] {
        let mut d = diff_templates(&old, &new, &facts());
        assert_eq!(d.data_loss.len(), 1);
        crate::diff::reconcile_and_assess(
            &mut d,
            vec![ResourceChange {
                action: "Modify".into(),
                logical_id: "Table".into(),
                resource_type: "AWS::DynamoDB::Table".into(),
                replacement: Some("False".into()),
                details,
                ..Default::default()
            }],
            &old,
            &new,
        );
        assert_eq!(d.data_loss.len(), 1, "{:?}", d.data_loss);
        assert_eq!(d.data_loss[0].hazard, Hazard::Replaced);
        assert_eq!(d.data_loss[0].evidence, Evidence::Template);
        let text = d.data_loss[0].describe();
        assert!(text.contains("Replacement False"), "{text}");
        let c = d.counts();
        assert_eq!((c.replaced, c.updated), (1, 0), "{c:?}");
    }
}

#[test]
fn a_nested_stack_updated_in_place_is_a_risk_its_summary_agrees_with() {
    let nested = |url: &str| json!({"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url}}}});
    let (old, new) = (nested("https://b/v1.json"), nested("https://b/v2.json"));
    let facts = TableFacts(vec![("AWS::CloudFormation::Stack", vec![])]);
    // Offline, and with the change set's `Modify`, `Replacement: False`.
    let offline = diff_templates(&old, &new, &facts);
    let mut reconciled = offline.clone();
    crate::diff::reconcile_and_assess(
        &mut reconciled,
        vec![ResourceChange {
            action: "Modify".into(),
            logical_id: "Child".into(),
            resource_type: "AWS::CloudFormation::Stack".into(),
            replacement: Some("False".into()),
            details: vec![ChangeDetail {
                target: "Properties.TemplateURL".into(),
                requires_recreation: Some("Never".into()),
                change_source: Some("DirectModification".into()),
                causing_entity: None,
            }],
            ..Default::default()
        }],
        &old,
        &new,
    );
    for d in [offline, reconciled] {
        assert_eq!(d.data_loss.len(), 1, "{:?}", d.data_loss);
        let risk = &d.data_loss[0];
        assert_eq!(risk.hazard, Hazard::ChangedInside);
        assert!(!risk.allowed(&[], false));
        assert!(risk.allowed(&["Child".into()], false));
        assert!(risk.allowed(&[], true));
        let text = risk.describe();
        assert!(
            text.contains("updated in place") && !text.contains("replaced"),
            "{text}"
        );
        // The summary says what the risk says: an update in place, one risk.
        let summary = crate::diff::render::summary(&d);
        assert!(
            summary.contains("1 to update in place, 0 to replace, 0 may be replaced"),
            "{summary}"
        );
        assert!(summary.contains("1 data-loss risk"), "{summary}");
    }
    // A resource judged by the change set alone (not in the deployed template read).
    let c = ResourceChange {
        action: "Modify".into(),
        logical_id: "Child".into(),
        resource_type: "AWS::CloudFormation::Stack".into(),
        replacement: Some("False".into()),
        ..Default::default()
    };
    let risks = judged_by_change_set(&Value::Null, &new, c);
    assert_eq!(risks.len(), 1);
    assert_eq!(risks[0].hazard, Hazard::ChangedInside);
}

#[test]
fn a_possible_replacement_the_change_set_alone_shows_is_counted_as_one() {
    // The template predicts an update in place; the change set gives no Replacement,
    // or `False` with a detail that may recreate: the risk says "may be replaced", and
    // so does the summary.
    let old = table("a", json!({}));
    let mut new = old.clone();
    new["Resources"]["Table"]["Properties"]["BillingMode"] = json!("PAY_PER_REQUEST");
    for (replacement, recreation) in [(None, None), (Some("False"), Some("Conditionally"))] {
        let mut d = diff_templates(&old, &new, &facts());
        assert!(d.data_loss.is_empty());
        crate::diff::reconcile_and_assess(
            &mut d,
            vec![ResourceChange {
                action: "Modify".into(),
                logical_id: "Table".into(),
                resource_type: "AWS::DynamoDB::Table".into(),
                replacement: replacement.map(Into::into),
                details: vec![ChangeDetail {
                    target: "Properties.BillingMode".into(),
                    requires_recreation: recreation.map(Into::into),
                    change_source: None,
                    causing_entity: None,
                }],
                ..Default::default()
            }],
            &old,
            &new,
        );
        assert_eq!(d.data_loss.len(), 1, "{replacement:?}");
        assert_eq!(d.data_loss[0].hazard, Hazard::MayBeReplaced);
        let c = d.counts();
        assert_eq!(
            (c.updated, c.may_be_replaced),
            (0, 1),
            "{replacement:?}: {c:?}"
        );
    }
}

fn with_condition(cond: Option<&str>, attrs: Value) -> Value {
    let mut t = table("a", attrs);
    if let Some(c) = cond {
        t["Resources"]["Table"]["Condition"] = json!(c);
    }
    t["Conditions"] =
        json!({"Never": {"Fn::Equals": ["a", "b"]}, "Prod": {"Fn::Equals": ["x", "x"]}});
    t
}

#[test]
fn a_condition_newly_placed_on_a_stateful_resource_is_a_possible_removal() {
    let risks = describe(
        &with_condition(None, json!({})),
        &with_condition(Some("Never"), json!({})),
    );
    assert_eq!(
        risks,
        [
            "Table (AWS::DynamoDB::Table) would be removed (predicted from the template); DeletionPolicy Delete (the default): the resource and its data would be deleted"
        ]
    );
    // Changed to another condition: the same.
    assert_eq!(
        describe(
            &with_condition(Some("Prod"), json!({})),
            &with_condition(Some("Never"), json!({}))
        )
        .len(),
        1
    );
    // Unchanged, removed, or kept by the deletion policy: no risk.
    let same = with_condition(Some("Never"), json!({}));
    assert!(describe(&same, &same).is_empty());
    assert!(
        describe(
            &with_condition(Some("Never"), json!({})),
            &with_condition(None, json!({}))
        )
        .is_empty()
    );
    let retain = json!({"DeletionPolicy": "Retain"});
    assert!(
        describe(
            &with_condition(None, retain.clone()),
            &with_condition(Some("Never"), retain)
        )
        .is_empty()
    );
}

#[test]
fn a_condition_whose_definition_changed_is_a_possible_removal_through_its_references() {
    let on = |expr: Value| {
        let mut t = with_condition(Some("Prod"), json!({}));
        t["Conditions"] = json!({"Prod": {"Fn::And": [{"Condition": "Base"}, {"Fn::Equals": ["x", "x"]}]}, "Base": expr});
        t
    };
    let (before, after) = (
        on(json!({"Fn::Equals": ["x", "x"]})),
        on(json!({"Fn::Equals": ["a", "b"]})),
    );
    assert_eq!(
        describe(&before, &after),
        [
            "Table (AWS::DynamoDB::Table) would be removed (predicted from the template); DeletionPolicy Delete (the default): the resource and its data would be deleted"
        ]
    );
    assert!(describe(&before, &before.clone()).is_empty());
}

#[test]
fn a_condition_unknown_offline_newly_placed_on_a_table_is_a_possible_removal() {
    // The condition reads a parameter whose value the review does not know.
    let on = |cond: Option<&str>| {
        let mut t = table("a", json!({}));
        t["Parameters"] = json!({"Env": {"Type": "String"}});
        t["Conditions"] = json!({"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}});
        if let Some(c) = cond {
            t["Resources"]["Table"]["Condition"] = json!(c);
        }
        t
    };
    let risks = describe(&on(None), &on(Some("IsProd")));
    assert_eq!(risks.len(), 1, "{risks:?}");
    assert!(risks[0].contains("may be removed"), "{risks:?}");
    assert!(describe(&on(Some("IsProd")), &on(Some("IsProd"))).is_empty());
}

fn judged_by_change_set(old: &Value, new: &Value, c: ResourceChange) -> Vec<DataLoss> {
    let mut d = diff_templates(old, new, &facts());
    reconcile(&mut d, vec![c]);
    assess(old, new, &d)
}

#[test]
fn a_change_set_remove_is_judged_by_its_own_resource_type_when_the_old_template_is_unknown() {
    let new = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
    for old in [Value::Null, json!({"Resources": {}})] {
        let risks = judged_by_change_set(
            &old,
            &new,
            ResourceChange {
                action: "Remove".into(),
                logical_id: "Ledger".into(),
                resource_type: "AWS::DynamoDB::Table".into(),
                ..Default::default()
            },
        );
        assert_eq!(
            risks.iter().map(DataLoss::describe).collect::<Vec<_>>(),
            [
                "Ledger (AWS::DynamoDB::Table) would be removed (from the change set); DeletionPolicy Delete (the default): the resource and its data would be deleted"
            ],
            "{old}"
        );
    }
    // A stateless type removed: nothing to lose.
    let risks = judged_by_change_set(
        &Value::Null,
        &new,
        ResourceChange {
            action: "Remove".into(),
            logical_id: "Fn".into(),
            resource_type: "AWS::Lambda::Function".into(),
            ..Default::default()
        },
    );
    assert!(risks.is_empty());
}

/// Issue 12 (F8): types outside the stateful list are not taken to hold no data. The
/// attack's Timestream table, ECR repository and Keyspaces table are replaced or removed
/// only when allowed, with the review saying nephos does not know whether they hold data;
/// a type on the reviewed no-data list is replaced freely.
#[test]
fn a_type_not_shown_to_hold_no_data_is_judged_like_a_stateful_one_and_worded_as_unknown() {
    let old = json!({"Resources": {
        "Metrics": {"Type": "AWS::Timestream::Table", "Properties": {"TableName": "a"}},
        "Images": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "a"}},
        "Ks": {"Type": "AWS::Cassandra::Table", "Properties": {"TableName": "a"}},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "a"}},
        "Gone": {"Type": "AWS::Lambda::Permission"}}});
    let new = json!({"Resources": {
        "Metrics": {"Type": "AWS::Timestream::Table", "Properties": {"TableName": "b"}},
        "Ks": {"Type": "AWS::Cassandra::Table", "Properties": {"TableName": "b"}},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "b"}}}});
    let facts = TableFacts(vec![
        ("AWS::Timestream::Table", vec!["TableName"]),
        ("AWS::Lambda::Function", vec!["FunctionName"]),
    ]);
    let d = diff_templates(&old, &new, &facts);
    let mut risks: Vec<String> = d.data_loss.iter().map(DataLoss::describe).collect();
    risks.sort();
    assert_eq!(
        risks,
        [
            "Images (AWS::ECR::Repository) would be removed (predicted from the template); DeletionPolicy Delete (the default): the resource would be deleted, and nephos does not know whether Images holds data (AWS::ECR::Repository is not a type it can show holds none)",
            "Ks (AWS::Cassandra::Table) may be replaced: a change to a type with no replacement facts (TableName) may force a new resource (predicted from the template); UpdateReplacePolicy Delete (the default): the resource would be deleted, and nephos does not know whether Ks holds data (AWS::Cassandra::Table is not a type it can show holds none)",
            "Metrics (AWS::Timestream::Table) would be replaced: TableName forces a new resource (predicted from the template); UpdateReplacePolicy Delete (the default): the resource would be deleted, and nephos does not know whether Metrics holds data (AWS::Timestream::Table is not a type it can show holds none)",
        ]
    );
    assert!(d.data_loss.iter().all(|r| r.data_unknown));
    // The change set judged on its own: an unknown type it removes is a risk too.
    let risks = judged_by_change_set(
        &Value::Null,
        &new,
        ResourceChange {
            action: "Remove".into(),
            logical_id: "Stream".into(),
            resource_type: "AWS::Timestream::Database".into(),
            ..Default::default()
        },
    );
    assert_eq!(risks.len(), 1, "{risks:?}");
    assert!(risks[0].data_unknown);
}

#[test]
fn a_change_set_replacement_of_a_stateful_type_is_a_risk_even_unseen_in_the_old_template() {
    let new = json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}}}});
    for (replacement, hazard) in [
        ("True", Hazard::Replaced),
        ("Conditional", Hazard::MayBeReplaced),
    ] {
        let risks = judged_by_change_set(
            &Value::Null,
            &new,
            ResourceChange {
                action: "Modify".into(),
                logical_id: "Bucket".into(),
                resource_type: "AWS::S3::Bucket".into(),
                replacement: Some(replacement.into()),
                ..Default::default()
            },
        );
        assert_eq!(risks.len(), 1, "{replacement}");
        assert_eq!(risks[0].hazard, hazard);
        assert_eq!(risks[0].evidence, Evidence::ChangeSet);
    }
    let risks = judged_by_change_set(
        &Value::Null,
        &new,
        ResourceChange {
            action: "Modify".into(),
            logical_id: "Bucket".into(),
            resource_type: "AWS::S3::Bucket".into(),
            replacement: Some("False".into()),
            ..Default::default()
        },
    );
    assert!(risks.is_empty());
}

#[test]
fn a_replace_policy_action_beside_replacement_false_replaces_a_stateful_resource() {
    let new = json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}});
    for (policy, hazard, cause) in [
        (
            "ReplaceAndDelete",
            Some(Hazard::Replaced),
            "policy action `ReplaceAndDelete`",
        ),
        (
            "ReplaceAndRetain",
            Some(Hazard::Replaced),
            "policy action `ReplaceAndRetain`",
        ),
        (
            "Shred",
            Some(Hazard::MayBeReplaced),
            "policy action `Shred` that nephos does not know",
        ),
        ("Retain", None, ""),
    ] {
        let change = ResourceChange {
            action: "Modify".into(),
            logical_id: "Bucket".into(),
            resource_type: "AWS::S3::Bucket".into(),
            replacement: Some("False".into()),
            policy_action: Some(policy.into()),
            ..Default::default()
        };
        let risks = judged_by_change_set(&Value::Null, &new, change);
        assert_eq!(risks.first().map(|r| r.hazard), hazard, "{policy}");
        if let Some(r) = risks.first() {
            let c = r.cause.as_deref().unwrap_or_default();
            assert!(c.contains(cause), "{policy}: {c}");
        }
    }
}

#[test]
fn a_change_set_change_not_known_to_be_safe_on_a_stateful_type_is_a_risk() {
    // Fails closed: every action and replacement spelling on a stateful resource the
    // deployed template does not show is a risk unless it is known to be safe.
    let new = json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}});
    let change = |action: &str, replacement: Option<&str>| ResourceChange {
        action: action.into(),
        logical_id: "Bucket".into(),
        resource_type: "AWS::S3::Bucket".into(),
        replacement: replacement.map(Into::into),
        ..Default::default()
    };
    let cases: [(&str, Option<&str>, Option<Hazard>); 10] = [
        ("Add", None, None),
        ("Modify", Some("False"), None),
        ("Modify", Some("True"), Some(Hazard::Replaced)),
        ("Modify", Some("Conditional"), Some(Hazard::MayBeReplaced)),
        ("Modify", Some("Dynamic"), Some(Hazard::MayBeReplaced)),
        ("Modify", None, Some(Hazard::MayBeReplaced)),
        ("Dynamic", None, Some(Hazard::MayBeReplaced)),
        ("Import", None, Some(Hazard::MayBeReplaced)),
        ("SyncWithActual", None, Some(Hazard::MayBeReplaced)),
        ("Transmogrify", None, Some(Hazard::MayBeRemoved)),
    ];
    for (action, replacement, hazard) in cases {
        let risks = judged_by_change_set(&Value::Null, &new, change(action, replacement));
        assert_eq!(
            risks.first().map(|r| r.hazard),
            hazard,
            "{action} {replacement:?}"
        );
        if let (Some(r), Some(Hazard::MayBeReplaced | Hazard::MayBeRemoved)) =
            (risks.first(), &hazard)
        {
            let cause = r.cause.as_deref().unwrap_or_default();
            if replacement != Some("Conditional") {
                assert!(
                    cause.contains("nephos") || cause.contains("did not say"),
                    "{action}: {cause}"
                );
            }
            assert!(r.allowed(&["Bucket".into()], false));
        }
    }
    // A modification the template comparison judged in place (the change touches no
    // create-only property) is still a possible replacement when the change set does
    // not say Replacement: the offline prediction does not stand in for CloudFormation's.
    let old =
        json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [1]}}}});
    let new =
        json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [2]}}}});
    let mut d = diff_templates(
        &old,
        &new,
        &TableFacts(vec![("AWS::S3::Bucket", vec!["BucketName"])]),
    );
    reconcile(&mut d, vec![change("Modify", None)]);
    let risks = assess(&old, &new, &d);
    assert_eq!(risks.len(), 1, "{risks:?}");
    assert!(
        risks[0]
            .cause
            .as_deref()
            .is_some_and(|c| c.contains("did not say")),
        "{risks:?}"
    );
    // Replacement False with a detail that requires recreation is a possible
    // replacement; with every detail `Never` it is in place.
    for (recreation, risky) in [
        (Some("Always"), true),
        (Some("Conditionally"), true),
        (None, true),
        (Some("Never"), false),
    ] {
        let mut c = change("Modify", Some("False"));
        c.details = vec![ChangeDetail {
            target: "Properties.Tags".into(),
            requires_recreation: recreation.map(Into::into),
            ..Default::default()
        }];
        let mut d = diff_templates(
            &old,
            &new,
            &TableFacts(vec![("AWS::S3::Bucket", vec!["BucketName"])]),
        );
        reconcile(&mut d, vec![c]);
        assert_eq!(!assess(&old, &new, &d).is_empty(), risky, "{recreation:?}");
    }
    // But a Dynamic action on it is not judged by the template.
    let mut d = diff_templates(
        &old,
        &new,
        &TableFacts(vec![("AWS::S3::Bucket", vec!["BucketName"])]),
    );
    reconcile(&mut d, vec![change("Dynamic", None)]);
    assert_eq!(assess(&old, &new, &d).len(), 1);
}

#[test]
fn rds_defaults_to_a_snapshot_on_deletion() {
    let instance = json!({"Type": "AWS::RDS::DBInstance", "Properties": {}});
    let member =
        json!({"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": "c"}});
    let cluster = json!({"Type": "AWS::RDS::DBCluster"});
    assert_eq!(default_deletion_policy(&instance), Some("Snapshot"));
    assert_eq!(default_deletion_policy(&cluster), Some("Snapshot"));
    assert_eq!(default_deletion_policy(&member), None);
    assert_eq!(
        default_deletion_policy(&json!({"Type": "AWS::DynamoDB::Table"})),
        None
    );
    // A renamed cluster (still a risk) names the default it gets.
    let old = json!({"Resources": {"Db": cluster.clone()}});
    let new = json!({"Resources": {"Db2": cluster}});
    let d = diff_templates(&old, &new, &facts());
    let text = d
        .data_loss
        .first()
        .map(DataLoss::describe)
        .unwrap_or_default();
    assert!(
        text.contains(
            "DeletionPolicy Snapshot (the default for AWS::RDS::DBCluster) keeps the old resource"
        ),
        "{text}"
    );
}
