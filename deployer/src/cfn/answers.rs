//! CloudFormation's answers checked like local input, before any decision reads them.
//!
//! A template or `--parameter` nephos reads is bounded and validated; an answer from AWS (or
//! from whatever answers at the endpoint) is no more trusted. [`Checked`] wraps a
//! [`CloudFormation`] seam and checks every answer it passes on against what CloudFormation
//! itself guarantees: counts (at most 500 resources, 200 outputs and parameters, 50 tags),
//! lengths, the syntax of logical IDs and resource types, and the spellings of the change
//! kinds a review judges. An answer outside those bounds is an error naming the call and
//! the field: nothing is judged or executed on it (fail closed). Text shown only to a
//! person (reasons, descriptions) is cut to [`MAX_TEXT`] instead, saying so. Escaping for the
//! terminal stays where every byte is written (`output::escape`).
//!
//! Sources: the CloudFormation quotas page ("AWS CloudFormation quotas": 500 resources, 200
//! outputs, 200 parameters, 4,096-byte parameter values, 255-character logical IDs and
//! output names, 128-character stack names), the API reference (`Tag`: key 1-128, value
//! 0-256; `SetStackPolicy` `StackPolicyBody`: at most 16,384 bytes; `RegisterType`
//! `TypeName`: `[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}(::MODULE)?`; custom
//! resource types `Custom::` and at most 60 of `[A-Za-z0-9_@-]`), and the spellings of
//! `ResourceAttribute`, `RequiresRecreation`, `ChangeSource` and `EvaluationType` from the API
//! model as the AWS SDK for Rust generates it (`values()`).

use async_trait::async_trait;
use nephos::limits::{MAX_RESOURCES, MAX_TEMPLATE_BYTES};

use super::error::{CfnError, ErrorKind};
use super::model::{
    ChangeSet, ChangeSetRequest, Output, ResourceChange, Stack, StackEvent, StackResource,
    StackSummary,
};
use super::seam::CloudFormation;
use crate::output::escape::escape_line;

/// The most outputs and parameters a stack has (CloudFormation quotas).
pub const MAX_OUTPUTS: usize = 200;
/// The most parameters a stack has (CloudFormation quotas).
pub const MAX_PARAMETERS: usize = 200;
/// The longest parameter value, in bytes (CloudFormation quotas).
pub const MAX_PARAMETER_VALUE: usize = 4_096;
/// The most tags a stack has, and their key and value lengths (API `Tag`).
pub const MAX_TAGS: usize = 50;
/// The longest stack name (CloudFormation quotas); stack-level events name the stack.
pub const MAX_STACK_NAME: usize = 128;
/// The longest logical ID or output name (CloudFormation quotas).
pub const MAX_LOGICAL_ID: usize = 255;
/// The longest stack policy body, in bytes (API `SetStackPolicy`).
pub const MAX_STACK_POLICY: usize = 16_384;
/// The most resource changes one change set holds: every resource of a stack removed and
/// as many added.
pub const MAX_CHANGES: usize = 2 * MAX_RESOURCES;
/// The longest output value nephos takes, in bytes. CloudFormation documents no bound; a
/// value is shown and returned whole, so a larger one is refused rather than cut.
pub const MAX_OUTPUT_VALUE: usize = 65_536;
/// The longest identifier-like field (ARNs, event ids, property paths, causing entities)
/// nephos takes, in bytes: far above any AWS writes (an ARN is at most 2,048).
pub const MAX_ID: usize = 2_048;
/// The longest reason or description shown, in characters; the rest is cut, saying so.
pub const MAX_TEXT: usize = 4_096;
/// The most details one resource change lists (one per changed property path; a resource
/// type has far fewer properties).
pub const MAX_DETAILS: usize = 1_000;

/// Whether `id` is a logical ID as CloudFormation requires one: 1-255 letters and digits.
pub fn is_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_LOGICAL_ID && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether `t` is a resource type name CloudFormation can report: a registry type
/// (`AWS::S3::Bucket`, `Org::Svc::Type::MODULE`) or a custom resource type (`Custom::X`).
pub fn is_resource_type(t: &str) -> bool {
    let segment =
        |s: &str| (2..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric());
    if let Some(rest) = t.strip_prefix("Custom::") {
        return (1..=60).contains(&rest.len())
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '-'));
    }
    let parts: Vec<&str> = t.split("::").collect();
    match parts.as_slice() {
        [a, b, c] => segment(a) && segment(b) && segment(c),
        [a, b, c, "MODULE"] => segment(a) && segment(b) && segment(c),
        _ => false,
    }
}

/// Text shown only to a person, cut to [`MAX_TEXT`] characters with a note of how much was
/// left out.
pub fn bounded_text(s: &str) -> String {
    match s.char_indices().nth(MAX_TEXT) {
        None => s.to_owned(),
        Some((at, _)) => format!("{}… (cut by nephos: {} more bytes)", &s[..at], s.len() - at),
    }
}

/// Checks one stack of `DescribeStacks`; cuts its reason.
///
/// # Errors
/// The first field outside CloudFormation's bounds, named and escaped.
pub fn check_stack(s: &mut Stack) -> Result<(), String> {
    check_len("StackName", &s.name, MAX_STACK_NAME)?;
    check_len("StackId", &s.id, MAX_ID)?;
    s.status_reason = s.status_reason.as_deref().map(bounded_text);
    check_count("Outputs", s.outputs.len(), MAX_OUTPUTS)?;
    for o in &mut s.outputs {
        check_output(o)?;
    }
    check_count("Parameters", s.parameters.len(), MAX_PARAMETERS)?;
    for (k, v) in &s.parameters {
        check_logical("Parameters ParameterKey", k)?;
        check_len("Parameters ParameterValue", v, MAX_PARAMETER_VALUE)?;
    }
    check_count("Tags", s.tags.len(), MAX_TAGS)?;
    for (k, v) in &s.tags {
        check_len("Tags Key", k, 128)?;
        check_len("Tags Value", v, 256)?;
    }
    if let Some(t) = &s.last_updated {
        check_len("LastUpdatedTime", t, 64)?;
    }
    Ok(())
}

fn check_output(o: &mut Output) -> Result<(), String> {
    check_logical("Outputs OutputKey", &o.key)?;
    check_len("Outputs OutputValue", &o.value, MAX_OUTPUT_VALUE)?;
    if let Some(e) = &o.export_name {
        check_len("Outputs ExportName", e, MAX_LOGICAL_ID)?;
    }
    o.description = o.description.as_deref().map(bounded_text);
    Ok(())
}

/// Checks a change set of `DescribeChangeSet`: the changes a review judges must be
/// well-formed, or nothing is judged or executed on them.
///
/// # Errors
/// The first change outside CloudFormation's bounds, named and escaped.
pub fn check_change_set(c: &mut ChangeSet) -> Result<(), String> {
    check_len("ChangeSetId", &c.id, MAX_ID)?;
    c.status_reason = c.status_reason.as_deref().map(bounded_text);
    check_count("Changes", c.changes.len() + c.unread.len(), MAX_CHANGES)?;
    for u in &c.unread {
        check_len("Changes Type", u, 64)?;
    }
    for r in &c.changes {
        check_change(r)?;
    }
    check_count("Parameters", c.parameters.len(), MAX_PARAMETERS)?;
    for (k, v) in &c.parameters {
        check_logical("Parameters ParameterKey", k)?;
        if let Some(v) = v {
            check_len("Parameters ParameterValue", v, MAX_PARAMETER_VALUE)?;
        }
    }
    Ok(())
}

fn check_change(r: &ResourceChange) -> Result<(), String> {
    use aws_sdk_cloudformation::types::{ChangeSource, RequiresRecreation, ResourceAttribute};
    check_logical("ResourceChange LogicalResourceId", &r.logical_id)?;
    let at = escape_line(&r.logical_id);
    if !is_resource_type(&r.resource_type) {
        return Err(format!(
            "ResourceChange ResourceType of {at} is not a resource type name (`{}`)",
            shown(&r.resource_type)
        ));
    }
    for s in &r.scope {
        known(
            &format!("ResourceChange Scope of {at}"),
            s,
            ResourceAttribute::values(),
        )?;
    }
    check_count(&format!("Details of {at}"), r.details.len(), MAX_DETAILS)?;
    for d in &r.details {
        check_len(&format!("Details Target of {at}"), &d.target, MAX_ID)?;
        if let Some(v) = &d.requires_recreation {
            known(
                &format!("Details RequiresRecreation of {at}"),
                v,
                RequiresRecreation::values(),
            )?;
        }
        if let Some(v) = &d.change_source {
            known(
                &format!("Details ChangeSource of {at}"),
                v,
                ChangeSource::values(),
            )?;
        }
        if let Some(v) = &d.causing_entity {
            check_len(&format!("Details CausingEntity of {at}"), v, MAX_ID)?;
        }
    }
    Ok(())
}

/// Checks one event of `DescribeStackEvents`; cuts its reason.
///
/// # Errors
/// An id, logical ID or type longer than any CloudFormation writes.
pub fn check_event(e: &mut StackEvent) -> Result<(), String> {
    check_len("EventId", &e.id, MAX_ID)?;
    check_len("Timestamp", &e.timestamp, 64)?;
    // A stack-level event names the stack (hyphens allowed), a resource event its logical
    // ID; either fits in 255.
    check_len("LogicalResourceId", &e.logical_id, MAX_LOGICAL_ID)?;
    check_len("ResourceType", &e.resource_type, 256)?;
    e.reason = e.reason.as_deref().map(bounded_text);
    Ok(())
}

/// Checks one resource of `ListStackResources`.
///
/// # Errors
/// A logical ID that is not one (an empty one is kept: the emulator lists types it does
/// not model so), or a type longer than any.
pub fn check_resource(r: &StackResource) -> Result<(), String> {
    if !r.logical_id.is_empty() {
        check_logical("LogicalResourceId", &r.logical_id)?;
    }
    check_len("ResourceType", &r.resource_type, 256)?;
    if let Some(p) = &r.physical_id {
        check_len("PhysicalResourceId", p, MAX_ID)?;
    }
    Ok(())
}

pub(super) fn shown(s: &str) -> String {
    escape_line(&bounded_text_short(s)).into_owned()
}

/// At most 80 characters of `s`, for naming a bad value in a one-line error.
fn bounded_text_short(s: &str) -> String {
    match s.char_indices().nth(80) {
        None => s.to_owned(),
        Some((at, _)) => format!("{}…", &s[..at]),
    }
}

fn check_logical(field: &str, id: &str) -> Result<(), String> {
    if is_logical_id(id) {
        Ok(())
    } else {
        Err(format!(
            "{field} `{}` is not a logical ID (1-255 letters and digits)",
            shown(id)
        ))
    }
}

pub(super) fn check_len(field: &str, v: &str, max: usize) -> Result<(), String> {
    if v.len() <= max {
        Ok(())
    } else {
        Err(format!("{field} is {} bytes long (at most {max})", v.len()))
    }
}

pub(super) fn check_count(field: &str, n: usize, max: usize) -> Result<(), String> {
    if n <= max {
        Ok(())
    } else {
        Err(format!("{field} lists {n} entries (at most {max})"))
    }
}

fn known(field: &str, v: &str, values: &[&str]) -> Result<(), String> {
    if values.contains(&v) {
        Ok(())
    } else {
        Err(format!(
            "{field} is `{}`, not one nephos knows ({})",
            shown(v),
            values.join(", ")
        ))
    }
}

/// The error for an answer that failed a check: never retried, and it says what to do.
fn refused(call: &str, stack: &str, why: String) -> CfnError {
    CfnError::new(
        ErrorKind::Other,
        format!(
            "{call} for {} answered what CloudFormation never does: {why}; nephos acts on none of it (retry; if it stays so, compare with the AWS CLI, the answer may be tampered with)",
            escape_line(stack)
        ),
    )
}

/// A seam whose every answer is checked (see the module documentation) before it is
/// passed on. Writes pass through unchanged.
///
/// # Example
/// ```ignore
/// let cfn = Checked(SdkCloudFormation(client, info));
/// let stack = cfn.describe_stack("api").await?; // bounded and validated
/// ```
#[derive(Clone, Debug)]
pub struct Checked<C>(pub C);

#[async_trait]
impl<C: CloudFormation> CloudFormation for Checked<C> {
    async fn describe_stack(&self, name: &str) -> Result<Option<Stack>, CfnError> {
        let mut s = self.0.describe_stack(name).await?;
        if let Some(s) = &mut s {
            check_stack(s).map_err(|why| refused("DescribeStacks", name, why))?;
        }
        Ok(s)
    }

    async fn list_stacks(&self) -> Result<Vec<StackSummary>, CfnError> {
        let list = self.0.list_stacks().await?;
        for s in &list {
            check_len("StackName", &s.name, MAX_STACK_NAME)
                .and_then(|()| check_len("LastUpdatedTime", &s.updated, 64))
                .map_err(|why| refused("ListStacks", "the account", why))?;
        }
        Ok(list)
    }

    async fn get_template(&self, name: &str) -> Result<String, CfnError> {
        let body = self.0.get_template(name).await?;
        check_len("TemplateBody", &body, MAX_TEMPLATE_BYTES)
            .map_err(|why| refused("GetTemplate", name, why))?;
        Ok(body)
    }

    async fn change_set_template(&self, stack: &str, change_set: &str) -> Result<String, CfnError> {
        let body = self.0.change_set_template(stack, change_set).await?;
        check_len("TemplateBody", &body, MAX_TEMPLATE_BYTES)
            .map_err(|why| refused("GetTemplate", stack, why))?;
        Ok(body)
    }

    async fn stack_resources(&self, name: &str) -> Result<Vec<StackResource>, CfnError> {
        let list = self.0.stack_resources(name).await?;
        check_count("StackResourceSummaries", list.len(), MAX_RESOURCES)
            .and_then(|()| list.iter().try_for_each(check_resource))
            .map_err(|why| refused("ListStackResources", name, why))?;
        Ok(list)
    }

    async fn stack_events(
        &self,
        name: &str,
        enough: &(dyn for<'e> Fn(&'e [StackEvent]) -> bool + Send + Sync),
    ) -> Result<Vec<StackEvent>, CfnError> {
        let mut events = self.0.stack_events(name, enough).await?;
        events
            .iter_mut()
            .try_for_each(check_event)
            .map_err(|why| refused("DescribeStackEvents", name, why))?;
        Ok(events)
    }

    async fn create_change_set(&self, req: &ChangeSetRequest) -> Result<(), CfnError> {
        self.0.create_change_set(req).await
    }

    async fn describe_change_set(&self, stack: &str, name: &str) -> Result<ChangeSet, CfnError> {
        let mut c = self.0.describe_change_set(stack, name).await?;
        check_change_set(&mut c).map_err(|why| refused("DescribeChangeSet", stack, why))?;
        Ok(c)
    }

    async fn execute_change_set(
        &self,
        stack: &str,
        name: &str,
        disable_rollback: bool,
    ) -> Result<(), CfnError> {
        self.0
            .execute_change_set(stack, name, disable_rollback)
            .await
    }

    async fn deploy_direct(
        &self,
        req: &ChangeSetRequest,
        disable_rollback: bool,
    ) -> Result<(), CfnError> {
        self.0.deploy_direct(req, disable_rollback).await
    }

    async fn list_change_sets(&self, stack: &str) -> Result<Vec<String>, CfnError> {
        let names = self.0.list_change_sets(stack).await?;
        check_count("Summaries", names.len(), super::pages::MAX_ITEMS)
            .and_then(|()| {
                names
                    .iter()
                    .try_for_each(|n| check_len("ChangeSetName", n, 128))
            })
            .map_err(|why| refused("ListChangeSets", stack, why))?;
        Ok(names)
    }

    async fn get_stack_policy(&self, stack: &str) -> Result<Option<String>, CfnError> {
        let body = self.0.get_stack_policy(stack).await?;
        if let Some(b) = &body {
            check_len("StackPolicyBody", b, MAX_STACK_POLICY)
                .map_err(|why| refused("GetStackPolicy", stack, why))?;
        }
        Ok(body)
    }

    async fn set_stack_policy(&self, stack: &str, body: &str) -> Result<(), CfnError> {
        self.0.set_stack_policy(stack, body).await
    }

    async fn delete_change_set(&self, stack: &str, name: &str) -> Result<(), CfnError> {
        self.0.delete_change_set(stack, name).await
    }

    async fn delete_stack(&self, name: &str, role_arn: Option<&str>) -> Result<(), CfnError> {
        self.0.delete_stack(name, role_arn).await
    }

    async fn continue_update_rollback(
        &self,
        name: &str,
        role_arn: Option<&str>,
    ) -> Result<(), CfnError> {
        self.0.continue_update_rollback(name, role_arn).await
    }

    async fn cancel_update_stack(&self, name: &str) -> Result<(), CfnError> {
        self.0.cancel_update_stack(name).await
    }

    async fn set_termination_protection(&self, name: &str, enabled: bool) -> Result<(), CfnError> {
        self.0.set_termination_protection(name, enabled).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_type_names_follow_the_registry_and_custom_resource_syntax() {
        for ok in [
            "AWS::S3::Bucket",
            "AWS::CloudFormation::Stack",
            "Org::Svc::Thing::MODULE",
            "Custom::Ledger",
            "Custom::my-res_1@x",
        ] {
            assert!(is_resource_type(ok), "{ok}");
        }
        for bad in [
            "",
            "AWS::S3",
            "AWS::S3::Bucket::Extra",
            "AWS::S3::Bu cket",
            "AWS::S::Bucket",
            "Custom::",
            "Custom::a\u{1b}",
            "AWS::SQS::Queue\u{202e}",
        ] {
            assert!(!is_resource_type(bad), "{bad:?}");
        }
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary_and_says_so() {
        let s = "é".repeat(MAX_TEXT + 10);
        let cut = bounded_text(&s);
        assert!(cut.starts_with(&"é".repeat(MAX_TEXT)));
        assert!(cut.ends_with("(cut by nephos: 20 more bytes)"), "{cut}");
        assert_eq!(bounded_text("short"), "short");
    }

    #[test]
    fn an_event_is_bounded_but_a_stack_name_is_a_fine_logical_id_there() {
        let mut e = StackEvent {
            id: "e1".into(),
            logical_id: "my-stack".into(),
            resource_type: "AWS::CloudFormation::Stack".into(),
            reason: Some("x".repeat(MAX_TEXT * 2)),
            ..Default::default()
        };
        assert_eq!(check_event(&mut e), Ok(()));
        assert!(e.reason.unwrap().len() < MAX_TEXT + 64);
        let mut long = StackEvent {
            id: "e".repeat(MAX_ID + 1),
            ..Default::default()
        };
        assert!(check_event(&mut long).unwrap_err().contains("EventId"));
    }

    #[test]
    fn a_listed_resource_with_a_bad_logical_id_is_refused_and_an_unnamed_one_kept() {
        let r = |id: &str| StackResource {
            logical_id: id.into(),
            physical_id: None,
            resource_type: "AWS::S3::Bucket".into(),
            status: "CREATE_COMPLETE".into(),
        };
        assert_eq!(check_resource(&r("")), Ok(()));
        assert_eq!(check_resource(&r("Bucket")), Ok(()));
        assert!(check_resource(&r("Buck\u{0}et")).is_err());
    }
}
