//! Reading back the deployed template as untrusted input.
//!
//! `GetTemplate` answers are checked as strictly as a new template (size, a `Resources`
//! mapping of 1 to 500 resources; a stack always has at least one) and cross-checked
//! against the stack's own resource list (`ListStackResources`): a template read back
//! "empty" or short of a live resource would make a table look absent, and the change then
//! judged against it would delete that table without any refusal. Deploy and `diff` read
//! through [`read_deployed`], so `diff` shows the same error deploy refuses with.

use serde_json::Value;

use crate::cfn::model::StackResource;
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::CloudFormation;
use crate::cfn::status::ResourceStatus;
use crate::output::escape::escape_line;
use crate::source::template::{check_template, parse_template};

/// Reads the deployed template of stack `name` (`GetTemplate`) and the stack's resources
/// (`ListStackResources`), checks them with [`check_deployed`], and returns the body and
/// its parsed value.
///
/// # Errors
/// Why the template cannot be trusted, as one line (a failed call, a parse error, a
/// template outside CloudFormation's bounds, a live resource it does not hold).
pub async fn read_deployed(
    cfn: &dyn CloudFormation,
    retry: &RetryPolicy,
    name: &str,
) -> Result<(String, Value), String> {
    let body = retry
        .run(|| cfn.get_template(name))
        .await
        .map_err(|e| format!("GetTemplate failed: {e}"))?;
    let parsed = parse_template(&body)?;
    let live = retry.run(|| cfn.stack_resources(name)).await.map_err(|e| {
        format!("ListStackResources failed (needed to check the template read back): {e}")
    })?;
    check_deployed(&body, &parsed, &live)?;
    Ok((body, parsed))
}

/// Checks a deployed template read back against CloudFormation's bounds and against the
/// stack's resources `live`: every resource the stack still holds (any status but
/// `DELETE_COMPLETE` and `DELETE_SKIPPED`, which no longer belong to it) must have its
/// logical ID in the template, and the template must name at least as many resources as the
/// stack holds. An entry without a logical ID (the emulator lists resource types it does not
/// model that way; AWS never does) names nothing to look up, but it still counts: a template
/// read back short cannot hide behind it.
///
/// # Errors
/// The first mismatch, with the logical ID escaped for the terminal.
///
/// # Example
/// ```ignore
/// let t = serde_json::json!({"Resources": {}});
/// assert!(check_deployed("{}", &t, &[]).is_err()); // a stack has at least one resource
/// ```
pub fn check_deployed(body: &str, parsed: &Value, live: &[StackResource]) -> Result<(), String> {
    check_template(body, parsed)
        .map_err(|e| format!("the deployed template read back is not a valid template: {e}"))?;
    let in_template = parsed.get("Resources").and_then(Value::as_object);
    let held: Vec<&StackResource> = live
        .iter()
        .filter(|r| {
            !matches!(
                r.status,
                ResourceStatus::DeleteComplete | ResourceStatus::DeleteSkipped
            )
        })
        .collect();
    let missing = held.iter().find(|r| {
        !r.logical_id.is_empty() && in_template.is_none_or(|t| !t.contains_key(&r.logical_id))
    });
    let named = in_template.map_or(0, serde_json::Map::len);
    match missing {
        Some(r) => Err(format!(
            "the deployed template read back does not match the stack's resources: the stack holds {} ({}), which the template does not name; {TAMPERED}",
            escape_line(&r.logical_id),
            escape_line(&r.resource_type),
        )),
        None if held.len() > named => Err(format!(
            "the deployed template read back does not match the stack's resources: the stack holds {} resources, the template names {named}; {TAMPERED}",
            held.len(),
        )),
        None => Ok(()),
    }
}

/// How to go on when the template and the resource list disagree.
const TAMPERED: &str = "the answer may be truncated or tampered with (retry, or compare with `aws cloudformation get-template` and `aws cloudformation list-stack-resources`)";

#[cfg(test)]
mod tests {
    use super::*;

    fn held(logical_id: &str, resource_type: &str) -> StackResource {
        StackResource {
            logical_id: logical_id.into(),
            physical_id: None,
            resource_type: resource_type.into(),
            status: ResourceStatus::CreateComplete,
        }
    }

    #[test]
    fn an_entry_without_a_logical_id_counts_but_names_nothing() {
        let body = r#"{"Resources":{"B":{"Type":"AWS::S3::Bucket"},"P":{"Type":"AWS::S3::BucketPolicy"}}}"#;
        let t: Value = serde_json::from_str(body).unwrap();
        // The emulator's listing of a bucket and a policy type it does not model.
        let live = [held("B", "AWS::S3::Bucket"), held("", "")];
        assert_eq!(check_deployed(body, &t, &live), Ok(()));
        // A template read back short of the count is refused even when the missing
        // resource is the unnamed one.
        let short = r#"{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}"#;
        let t: Value = serde_json::from_str(short).unwrap();
        let err = check_deployed(short, &t, &live).unwrap_err();
        assert!(
            err.contains("the stack holds 2 resources, the template names 1"),
            "{err}"
        );
    }

    #[test]
    fn a_named_resource_missing_from_the_template_is_refused() {
        let body =
            r#"{"Resources":{"B":{"Type":"AWS::S3::Bucket"},"X":{"Type":"AWS::SNS::Topic"}}}"#;
        let t: Value = serde_json::from_str(body).unwrap();
        let live = [held("Table", "AWS::DynamoDB::Table")];
        let err = check_deployed(body, &t, &live).unwrap_err();
        assert!(
            err.contains("the stack holds Table (AWS::DynamoDB::Table)"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_deployed_template_with_a_repeated_key_is_refused_with_its_path() {
        // Read last-wins, the second `Type` would hide the table the stack holds.
        let body =
            r#"{"Resources":{"Table":{"Type":"AWS::DynamoDB::Table","Type":"AWS::SNS::Topic"}}}"#;
        let fake = crate::deploy::fake::FakeCfn::new(vec![])
            .with_template(body)
            .with_resources(vec![held("Table", "AWS::DynamoDB::Table")]);
        let err = read_deployed(&fake, &RetryPolicy::IMMEDIATE, "api")
            .await
            .unwrap_err();
        assert!(
            err.contains("duplicate key `Type` at /Resources/Table"),
            "{err}"
        );
    }
}
