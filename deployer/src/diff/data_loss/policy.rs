//! Which deletion and replacement policies keep a resource's data, and AWS's default when
//! the template sets none.

use nephos::facts::DataHolding;
use serde_json::Value;

/// AWS's `DeletionPolicy` when the template sets none: `Snapshot` for an
/// `AWS::RDS::DBCluster` and for an `AWS::RDS::DBInstance` without `DBClusterIdentifier`,
/// `Delete` for everything else. Source: the AWS CloudFormation User Guide, "DeletionPolicy
/// attribute" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
pub fn default_deletion_policy(resource: &Value) -> Option<&'static str> {
    let ty = resource.get("Type").and_then(Value::as_str);
    let in_cluster = resource
        .pointer("/Properties/DBClusterIdentifier")
        .is_some();
    match ty {
        Some("AWS::RDS::DBCluster") => Some("Snapshot"),
        Some("AWS::RDS::DBInstance") if !in_cluster => Some("Snapshot"),
        _ => None,
    }
}

/// Whether a deletion or replacement policy keeps the data of a resource of
/// `resource_type`: `Retain` and `RetainExceptOnCreate` always, `Snapshot` only on the
/// types CloudFormation can snapshot ([`nephos::facts::snapshots_on_delete`]); on any other
/// type a `Snapshot` policy deletes the resource.
pub fn keeps_data(policy: Option<&str>, resource_type: &str) -> bool {
    match policy {
        Some("Retain" | "RetainExceptOnCreate") => true,
        Some("Snapshot") => nephos::facts::snapshots_on_delete(resource_type),
        _ => false,
    }
}

/// Whether the resource, as deployed (`old`) or as the template now declares it (`new`),
/// holds data: the one that says more data counts ([`DataHolding::Holds`] over
/// [`DataHolding::Unknown`] over [`DataHolding::None`]); `ty` judges alone when neither is
/// declared (a change set's `ResourceType`).
pub fn holding(old: Option<&Value>, new: Option<&Value>, ty: &str) -> DataHolding {
    [old, new]
        .into_iter()
        .flatten()
        .map(nephos::facts::data_holding)
        .chain(std::iter::once(nephos::facts::data_holding_type(ty)))
        .min()
        .unwrap_or(DataHolding::Unknown)
}

/// The resource `id` of template `t`.
pub(super) fn resource<'a>(t: &'a Value, id: &str) -> Option<&'a Value> {
    t.get("Resources").and_then(|r| r.get(id))
}

/// The policy attribute (`DeletionPolicy`, `UpdateReplacePolicy`) a resource sets. One that
/// is not a literal (`!Ref Keep`) is shown as written and marked unknown: it keeps no data
/// as far as the review can tell (fail closed), and it is neither absent nor the type's
/// default, which is what treating it as `None` would say.
pub(super) fn policy(r: Option<&Value>, attribute: &str) -> Option<String> {
    r.and_then(|r| r.get(attribute)).map(|v| match v {
        Value::String(s) => s.clone(),
        other => format!("{other} (not known offline)"),
    })
}

/// The `DeletionPolicy` in force on `r` (its own, else AWS's default for its type) and
/// whether it is the default.
fn deletion_in_force(r: &Value) -> (Option<String>, bool) {
    match policy(Some(r), "DeletionPolicy") {
        Some(p) => (Some(p), false),
        None => match default_deletion_policy(r) {
            Some(d) => (Some(d.to_owned()), true),
            None => (None, false),
        },
    }
}

/// The `DeletionPolicy` that decides whether removing the deployed `old` (of type `ty`)
/// loses its data, and whether it is AWS's default. A resource gone from the template has
/// only its deployed policy; one the new template still declares (removed because its
/// `Condition` is false) may have a new one in the same update, and nephos cannot know
/// which of the two CloudFormation applies: the one that keeps less counts, so dropping
/// `Retain` in the update that removes the resource is a risk (fail closed).
pub(super) fn deletion_policy(
    old: Option<&Value>,
    new: Option<&Value>,
    ty: &str,
) -> (Option<String>, bool) {
    let before = old.map(deletion_in_force).unwrap_or((None, false));
    match new.map(deletion_in_force) {
        Some(after)
            if keeps_data(before.0.as_deref(), ty) && !keeps_data(after.0.as_deref(), ty) =>
        {
            after
        }
        _ => before,
    }
}

/// The `UpdateReplacePolicy` that decides whether replacing `old` (of type `ty`) keeps the
/// old resource: when the update changes it (dropping `Retain`, say), the one that keeps
/// less counts, for the same reason as [`deletion_policy`].
pub(super) fn replace_policy(old: Option<&Value>, new: Option<&Value>, ty: &str) -> Option<String> {
    let (before, after) = (
        policy(old, "UpdateReplacePolicy"),
        policy(new, "UpdateReplacePolicy"),
    );
    if new.is_none() {
        return before;
    }
    if !keeps_data(after.as_deref(), ty) || keeps_data(before.as_deref(), ty) {
        return after;
    }
    before
}

#[cfg(test)]
mod not_literal {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_policy_given_by_ref_is_shown_as_written_and_keeps_no_data() {
        // atk12b finding 7: `DeletionPolicy: !Ref Keep` is neither absent nor the default.
        let r = json!({"Type": "AWS::RDS::DBCluster", "DeletionPolicy": {"Ref": "Keep"}});
        let (p, is_default) = deletion_policy(Some(&r), None, "AWS::RDS::DBCluster");
        let p = p.unwrap_or_default();
        assert!(
            p.contains(r#"{"Ref":"Keep"}"#) && p.contains("not known offline"),
            "{p}"
        );
        assert!(!is_default);
        // The DB cluster's default (Snapshot) would keep its data; the unknown value does not.
        assert!(!keeps_data(Some(&p), "AWS::RDS::DBCluster"));
    }
}
