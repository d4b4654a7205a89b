//! The stack policy nephos has CloudFormation enforce during every update it makes, so
//! the data-loss refusals hold on the server: no stale review, race or offline
//! misprediction can replace or delete a stateful resource that was not allowed.
//!
//! For each resource of the deployed template that may hold data
//! ([`nephos::facts::DataHolding::may_hold_data`]: stateful, or of a type nephos cannot show
//! holds none) not
//! allowed by `--allow-replace ID` (or `--allow-data-loss`, which lifts everything):
//! `Update:Replace` is denied, and `Update:Delete` too unless its `DeletionPolicy` keeps the
//! data (the same rules as [`crate::diff::data_loss`]). The user's own stack policy is kept:
//! nephos's statements (their `Sid` starts with [`SID_PREFIX`]) are added to it; a stack
//! without a policy gets the one that allows every update, which is what having no policy
//! means, so only nephos's denials change anything.

use serde_json::{Value, json};

use crate::diff::data_loss::keeps_data;

/// The `Sid` prefix of nephos's statements, by which they are told from the user's.
pub const SID_PREFIX: &str = "NephosProtect";

/// The statement a stack without a stack policy implicitly has: every update allowed.
fn allow_all() -> Value {
    json!({"Effect": "Allow", "Principal": "*", "Action": "Update:*", "Resource": "*"})
}

/// nephos's denials for a stack deployed from `deployed`, none allowed by `allowed` (logical
/// IDs) or `allow_all`. Empty when nothing stateful needs protecting.
pub fn denials(deployed: &Value, allowed: &[String], allow_all: bool) -> Vec<Value> {
    if allow_all {
        return Vec::new();
    }
    let Some(resources) = deployed.get("Resources").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut replace = Vec::new();
    let mut delete = Vec::new();
    for (id, r) in resources {
        // A type nephos cannot show holds no data is protected like a stateful one.
        if !nephos::facts::data_holding(r).may_hold_data() || allowed.iter().any(|a| a == id) {
            continue;
        }
        replace.push(format!("LogicalResourceId/{id}"));
        if !keeps_data(
            r.get("DeletionPolicy").and_then(Value::as_str),
            r.get("Type").and_then(Value::as_str).unwrap_or_default(),
        ) {
            delete.push(format!("LogicalResourceId/{id}"));
        }
    }
    // Deterministic whatever the map type's order.
    replace.sort();
    delete.sort();
    let mut out = Vec::new();
    for (what, ids) in [("Replace", replace), ("Delete", delete)] {
        if !ids.is_empty() {
            out.push(json!({
                "Sid": format!("{SID_PREFIX}{what}"),
                "Effect": "Deny",
                "Principal": "*",
                "Action": format!("Update:{what}"),
                "Resource": ids,
            }));
        }
    }
    out
}

/// The user's statements of a stack policy body, without any nephos left there (an
/// interrupted run may leave its policy in place). `None` body: no policy.
///
/// An unreadable policy is an error: nephos cannot keep what it cannot read.
pub fn user_statements(body: Option<&str>) -> Result<Vec<Value>, String> {
    let Some(body) = body else {
        return Ok(Vec::new());
    };
    // Duplicate keys refused: two `Statement`s would be read as the last while
    // CloudFormation may apply another.
    let doc: Value = crate::source::unique_json::from_str_unique(body)
        .map_err(|e| format!("the stack's own stack policy is not valid JSON: {e}"))?;
    let statements = match doc.get("Statement") {
        Some(Value::Array(s)) => s.clone(),
        Some(s @ Value::Object(_)) => vec![s.clone()],
        _ => return Err("the stack's own stack policy has no Statement list".into()),
    };
    Ok(statements
        .into_iter()
        .filter(|s| {
            !s.get("Sid")
                .and_then(Value::as_str)
                .is_some_and(|sid| sid.starts_with(SID_PREFIX))
        })
        .collect())
}

/// Whether a stack policy body holds statements of nephos's (left by a run that was
/// interrupted before it put the user's policy back). An unreadable body holds none nephos
/// can recognise.
pub fn has_leftovers(body: Option<&str>) -> bool {
    let Some(doc) = body.and_then(|b| crate::source::unique_json::from_str_unique(b).ok()) else {
        return false;
    };
    let is_ours = |s: &Value| {
        s.get("Sid")
            .and_then(Value::as_str)
            .is_some_and(|sid| sid.starts_with(SID_PREFIX))
    };
    match doc.get("Statement") {
        Some(Value::Array(st)) => st.iter().any(is_ours),
        Some(s @ Value::Object(_)) => is_ours(s),
        _ => false,
    }
}

/// The policy document: the user's statements (or allow-all when there are none) and
/// nephos's denials.
pub fn merged(user: &[Value], denials: &[Value]) -> String {
    let mut statements: Vec<Value> = if user.is_empty() {
        vec![allow_all()]
    } else {
        user.to_vec()
    };
    statements.extend(denials.iter().cloned());
    json!({"Statement": statements}).to_string()
}

/// The body that restores the user's policy after an update (allow-all when they had none,
/// which is what no policy means: CloudFormation has no call to remove a stack policy).
pub fn restored(user: &[Value]) -> String {
    merged(user, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployed() -> Value {
        json!({"Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table"},
            "Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
            "Fn": {"Type": "AWS::Lambda::Function"},
            // Snapshot keeps an RDS instance's data, not a queue's (deleted outright).
            "Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot"},
            "Jobs": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Snapshot"},
            "Ledger": {"Type": "Custom::Ledger", "Metadata": {"nephos:stateful": true}}}})
    }

    #[test]
    fn stateful_resources_are_denied_replacement_and_deletion_unless_their_policy_keeps_them() {
        let d = denials(&deployed(), &[], false);
        assert_eq!(
            d,
            [
                json!({"Sid": "NephosProtectReplace", "Effect": "Deny", "Principal": "*", "Action": "Update:Replace",
                    "Resource": ["LogicalResourceId/Bucket", "LogicalResourceId/Db", "LogicalResourceId/Jobs", "LogicalResourceId/Ledger", "LogicalResourceId/Table"]}),
                json!({"Sid": "NephosProtectDelete", "Effect": "Deny", "Principal": "*", "Action": "Update:Delete",
                    "Resource": ["LogicalResourceId/Jobs", "LogicalResourceId/Ledger", "LogicalResourceId/Table"]}),
            ]
        );
    }

    /// A type nephos cannot show holds no data is protected like a stateful one; a type
    /// on the reviewed no-data list is not.
    #[test]
    fn a_type_not_shown_to_hold_no_data_is_denied_like_a_stateful_one() {
        let t = json!({"Resources": {
            "Metrics": {"Type": "AWS::Timestream::Table"},
            "Images": {"Type": "AWS::ECR::Repository", "DeletionPolicy": "Retain"},
            "Fn": {"Type": "AWS::Lambda::Function"},
            "Alarm": {"Type": "AWS::CloudWatch::Alarm"}}});
        let d = denials(&t, &[], false);
        assert_eq!(
            d[0]["Resource"],
            json!(["LogicalResourceId/Images", "LogicalResourceId/Metrics"])
        );
        assert_eq!(d[1]["Resource"], json!(["LogicalResourceId/Metrics"]));
    }

    #[test]
    fn allowed_ids_and_allow_data_loss_lift_the_denials() {
        let d = denials(
            &deployed(),
            &["Table".into(), "Ledger".into(), "Db".into(), "Jobs".into()],
            false,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0]["Resource"], json!(["LogicalResourceId/Bucket"]));
        assert!(denials(&deployed(), &[], true).is_empty());
        assert!(denials(&Value::Null, &[], false).is_empty());
    }

    #[test]
    fn the_users_policy_is_kept_and_nephos_statements_left_behind_are_replaced() {
        let own = r#"{"Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "Update:*", "Resource": "LogicalResourceId/Db"},
            {"Sid": "NephosProtectDelete", "Effect": "Deny", "Principal": "*", "Action": "Update:Delete", "Resource": "LogicalResourceId/Old"}]}"#;
        let user = user_statements(Some(own)).unwrap_or_default();
        assert_eq!(user.len(), 1);
        let doc: Value = serde_json::from_str(&merged(&user, &denials(&deployed(), &[], false)))
            .unwrap_or_default();
        let st = doc["Statement"].as_array().cloned().unwrap_or_default();
        assert_eq!(st.len(), 3);
        assert_eq!(st[0]["Resource"], "LogicalResourceId/Db");
        // Without a policy of their own, the implicit allow-all is written out.
        let doc: Value = serde_json::from_str(&restored(&[])).unwrap_or_default();
        assert_eq!(doc["Statement"][0]["Action"], "Update:*");
        assert_eq!(doc["Statement"][0]["Effect"], "Allow");
        assert!(user_statements(Some("{not json")).is_err());
        assert!(user_statements(Some(r#"{"Version": 1}"#)).is_err());
    }

    #[test]
    fn a_stack_policy_read_back_with_a_repeated_key_is_not_kept_or_recognised() {
        // Two `Statement`s: which one CloudFormation applies is unknown, so nephos neither
        // keeps "the user's statements" (the last) nor recognises its own denials in it.
        let body = format!(
            r#"{{"Statement":[{{"Sid":"{SID_PREFIX}x","Effect":"Deny","Action":"Update:Delete","Principal":"*","Resource":"*"}}],"Statement":[{{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"}}]}}"#
        );
        let err = user_statements(Some(&body)).unwrap_err();
        assert!(err.contains("duplicate key"), "{err}");
        assert!(!has_leftovers(Some(&body)));
    }
}
