//! Grants on a Lambda function and on what its role needs for itself.

use crate::constructs::grants::{Grant, Granted, Grantee, Target, actions, grant, on};
use crate::kind::Str;
use crate::stack::stack::Stack;
use crate::value::value::IntoValue;

/// Lets `grantee` invoke `function`.
pub fn invoke(
    stack: &mut Stack,
    grantee: &impl Grantee,
    function: &Target<on::Function>,
) -> Option<Granted> {
    if function.refuse_mismatch(stack, &grantee.grantee_name(), "lambda:InvokeFunction") {
        return None;
    }
    grant(
        stack,
        grantee,
        Grant::new("lambda:InvokeFunction")
            .actions(actions::LAMBDA_INVOKE)
            .on(function.arn()),
    )
}

/// Lets `grantee` call `function`'s IAM-authorized function URL (SigV4-signed HTTPS
/// requests to it): two statements, `lambda:InvokeFunctionUrl` and
/// `lambda:InvokeFunction`, the second only for calls through a function URL.
pub fn invoke_url(
    stack: &mut Stack,
    grantee: &impl Grantee,
    function: &Target<on::Function>,
) -> Vec<Granted> {
    if function.refuse_mismatch(stack, &grantee.grantee_name(), "lambda:InvokeFunctionUrl") {
        return Vec::new();
    }
    let url = Grant::new("lambda:InvokeFunctionUrl")
        .actions(actions::LAMBDA_INVOKE_URL)
        .on(function.arn());
    // Since October 2025 a new function URL also needs `lambda:InvokeFunction` (AWS
    // Lambda Developer Guide, "Control access to Lambda function URLs"). The Bool key
    // `lambda:InvokedViaFunctionUrl` applies to `InvokeFunction` (Service Authorization
    // Reference, "Actions, resources, and condition keys for AWS Lambda"), so the
    // grantee still cannot invoke the function directly.
    let via_url = Grant::new("lambda:InvokeFunction through a function URL")
        .actions(actions::LAMBDA_INVOKE)
        .on(function.arn())
        .condition("Bool", "lambda:InvokedViaFunctionUrl", "true");
    [grant(stack, grantee, url), grant(stack, grantee, via_url)]
        .into_iter()
        .flatten()
        .collect()
}

/// Lets `grantee` write log streams of the log group `log_group_arn` (which exists).
pub fn write_logs(
    stack: &mut Stack,
    grantee: &impl Grantee,
    log_group_arn: impl IntoValue<Str>,
) -> Option<Granted> {
    grant(
        stack,
        grantee,
        Grant::new("writing its logs")
            .actions(actions::LOGS_WRITE)
            .on(log_group_arn),
    )
}
