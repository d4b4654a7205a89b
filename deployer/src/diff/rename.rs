//! Rename detection: a resource removed and another added with the same type and the same
//! properties is most likely one resource whose logical ID changed in the app.
//!
//! CloudFormation knows resources only by logical ID, so a rename deletes the old resource
//! and creates a new one; for a table or bucket that loses the data. Constructs take
//! explicit IDs, so the fix is nearly always to keep the old ID, which the diff suggests.

pub use super::model::Rename;
use serde_json::{Map, Value};

impl Rename {
    /// The advice shown under the removed resource, one wording for diff and deploy.
    pub fn advice(&self) -> String {
        format!(
            "probable rename: {} → {} (same type and properties); keep the ID {} in the app (constructs take explicit IDs) instead of replacing the resource",
            self.from, self.to, self.from
        )
    }
}

/// The renames between two templates: each removed resource is paired with the first (by
/// logical ID) unpaired added resource of the same type whose `Properties` are equal.
///
/// Equality is on the parsed JSON, which is canonical: object keys are compared as sets,
/// so key order and whitespace never matter, and nothing but `Properties` and `Type` is
/// compared (attributes such as `DependsOn` may legitimately change with a rename).
pub fn detect(old: &Value, new: &Value) -> Vec<Rename> {
    let empty = Map::new();
    let old_res = resources(old).unwrap_or(&empty);
    let new_res = resources(new).unwrap_or(&empty);
    let mut taken: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (from, o) in old_res.iter().filter(|(id, _)| !new_res.contains_key(*id)) {
        let candidate = new_res.iter().find(|(to, n)| {
            !old_res.contains_key(*to)
                && !taken.contains(&to.as_str())
                && n.get("Type") == o.get("Type")
                && n.get("Properties") == o.get("Properties")
        });
        if let Some((to, n)) = candidate {
            taken.push(to);
            out.push(Rename {
                from: from.clone(),
                to: to.clone(),
                resource_type: o
                    .get("Type")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned(),
                stateful: nephos::facts::data_holding(o).may_hold_data()
                    || nephos::facts::data_holding(n).may_hold_data(),
            });
        }
    }
    out
}

fn resources(t: &Value) -> Option<&Map<String, Value>> {
    t.get("Resources").and_then(Value::as_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_type_and_properties_is_a_rename_and_other_changes_are_not() {
        let old = json!({"Resources": {
            "Users": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "a"}}}});
        let new = json!({"Resources": {
            "UsersTable": {"Type": "AWS::DynamoDB::Table", "Properties": {"KeySchema": [{"KeyType": "HASH", "AttributeName": "id"}], "BillingMode": "PAY_PER_REQUEST"}, "DependsOn": ["X"]},
            "Topic2": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "b"}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"DisplayName": "a"}}}});
        let r = detect(&old, &new);
        assert_eq!(
            r,
            [Rename {
                from: "Users".into(),
                to: "UsersTable".into(),
                resource_type: "AWS::DynamoDB::Table".into(),
                stateful: true,
            }]
        );
        assert_eq!(
            r[0].advice(),
            "probable rename: Users → UsersTable (same type and properties); keep the ID Users in the app (constructs take explicit IDs) instead of replacing the resource"
        );
    }

    #[test]
    fn each_added_resource_pairs_with_one_removed_resource_only() {
        let q = json!({"Type": "AWS::IAM::Role"});
        let old = json!({"Resources": {"A": q, "B": q}});
        let new = json!({"Resources": {"C": q}});
        let r = detect(&old, &new);
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].from.as_str(), r[0].to.as_str()), ("A", "C"));
        assert!(!r[0].stateful);
        // A type nephos cannot show holds no data is renamed as one that may.
        let t = json!({"Type": "AWS::Timestream::Table"});
        let r = detect(
            &json!({"Resources": {"A": t}}),
            &json!({"Resources": {"C": t}}),
        );
        assert!(r[0].stateful);
        assert!(detect(&Value::Null, &new).is_empty());
    }
}
