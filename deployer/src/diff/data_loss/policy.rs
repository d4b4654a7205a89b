//! Which deletion and replacement policies keep a resource's data, and AWS's default when
//! the template sets none.

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

/// The resource `id` of template `t`.
pub(super) fn resource<'a>(t: &'a Value, id: &str) -> Option<&'a Value> {
    t.get("Resources").and_then(|r| r.get(id))
}

/// The policy attribute (`DeletionPolicy`, `UpdateReplacePolicy`) a resource sets.
pub(super) fn policy(r: Option<&Value>, attribute: &str) -> Option<String> {
    r.and_then(|r| r.get(attribute))
        .and_then(Value::as_str)
        .map(str::to_owned)
}
