//! A wiring written outside nephos, with the public API only, does what the built-in
//! wirings do: it adds to a list inside a resource already in the stack (once, in a
//! canonical order, refusing a computed list), and merges a statement into a policy
//! document given whole as JSON. Compiled as its own crate, so nothing crate-private is
//! in reach.

use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{
    Diagnostic, EditError, Handle, IntoValue, Location, Parameter, ResourceRef, Stack, Value,
    kind::Any,
};
use serde_json::json;

/// A user's wiring: attaches a managed policy to a role already in the stack, by
/// appending its ARN to the role's `ManagedPolicyArns`, the way the built-in rule and
/// alarm wirings append targets and actions.
fn attach_managed_policy(stack: &mut Stack, role: &ResourceRef, arn: &str) {
    let arn: Value<Any> = arn.into_value();
    let added = stack.edit_list(role, "ManagedPolicyArns", &[], |items| {
        if !items.contains(&arn) {
            items.push(arn);
            items.sort_by_cached_key(|i| i.to_json().to_string());
        }
    });
    if let Err(EditError::Computed { shown, .. }) = added {
        let id = role.logical_id();
        stack.problem(Diagnostic::error(
            Location::property(id, "ManagedPolicyArns"),
            format!("`ManagedPolicyArns` of `{id}` is {shown}, so a policy cannot be attached"),
            "write the list as a literal",
        ));
    }
}

fn role(stack: &mut Stack) -> ResourceRef {
    let trust = PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("lambda.amazonaws.com"))
            .action("sts:AssumeRole"),
    );
    stack
        .add("Worker", nephos::iam::Role::new(trust))
        .resource_ref()
        .clone()
}

#[test]
fn a_user_wiring_appends_to_a_list_once_in_order() {
    let mut stack = Stack::new("App");
    let role = role(&mut stack);
    for arn in [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ] {
        attach_managed_policy(&mut stack, &role, arn);
    }
    let t = stack.synth().unwrap();
    assert_eq!(
        t.json()["Resources"]["Worker"]["Properties"]["ManagedPolicyArns"],
        json!([
            "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        ])
    );
}

#[test]
fn a_user_wiring_refuses_a_computed_list() {
    let mut stack = Stack::new("App");
    let role = role(&mut stack);
    let given = stack.parameter("Managed", Parameter::comma_delimited_list());
    stack.set_property(&role, "ManagedPolicyArns", Some(given.value().into_any()));
    attach_managed_policy(&mut stack, &role, "arn:aws:iam::aws:policy/ReadOnlyAccess");
    let err = stack.synth().unwrap_err().to_string();
    assert!(
        err.contains("`ManagedPolicyArns` of `Worker` is computed by `Ref`"),
        "{err}"
    );
}

#[test]
fn a_user_wiring_merges_into_a_policy_given_as_json() {
    let mut stack = Stack::new("App");
    let bucket = stack.add("Uploads", nephos::s3::Bucket::new());
    let written = PolicyDocument::from_json(json!({
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }
    }));
    let policy = stack.add(
        "UploadsPolicy",
        nephos::s3::BucketPolicy::new(bucket.name(), written),
    );
    let read: Value<Any> = Statement::allow()
        .principal(Principal::aws("123456789012"))
        .action("s3:GetObject")
        .resource("*")
        .into_value();
    // The single statement written without a list is read as a list of it.
    let count = stack.edit_statements(policy.resource_ref(), "PolicyDocument", |statements| {
        statements.push(read.clone());
        statements.len()
    });
    assert_eq!(count, Ok(2));
    let document = stack
        .property(policy.resource_ref(), "PolicyDocument")
        .unwrap();
    let statements = document
        .entries()
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == "Statement")
        .and_then(|(_, s)| s.items())
        .unwrap();
    assert_eq!(statements[1], read);
    // A resource found by its ID, and what it refers to, for the next wiring's checks.
    let found = stack.resource_with_id("UploadsPolicy").unwrap();
    assert_eq!(found.type_name(), "AWS::S3::BucketPolicy");
    assert!(stack.reaches(
        &found.ref_value::<nephos::kind::Str>(),
        bucket.resource_ref()
    ));
    let (named, attribute) = stack.resource_named_by(&bucket.arn()).unwrap();
    assert_eq!(
        (named.logical_id(), attribute.as_deref()),
        ("Uploads", Some("Arn"))
    );
    // The statement written is kept, first, as written.
    assert_eq!(document.to_json()["Statement"][0]["Effect"], json!("Deny"));
    assert_eq!(
        document.to_json()["Statement"][1]["Action"],
        json!(["s3:GetObject"])
    );
}
