//! The permission a push source needs to invoke a function.

use crate::constructs::wiring::PushedFunction;
use crate::kind::Str;
use crate::lambda::Permission;
use crate::value::value::IntoValue;

/// A permission for `principal` (a service, such as `s3.amazonaws.com`) to invoke
/// `function`, only on behalf of `source_arn`: what every push wiring (S3, SNS, API
/// Gateway) adds. Add `.source_account(...)` when the source's ARN does not name an
/// account (an S3 bucket's), and place it with [`place`](super::place).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, Runtime, wiring};
/// let mut stack = Stack::new("App");
/// let f = stack.add("Handler", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let rule_arn = "arn:aws:events:eu-west-1:123456789012:rule/nightly";
/// let p = wiring::invoke_permission(&f, "events.amazonaws.com", rule_arn);
/// stack.add("HandlerNightlyPermission", p);
/// assert!(stack.synth().is_ok());
/// ```
pub fn invoke_permission(
    function: &impl PushedFunction,
    principal: &str,
    source_arn: impl IntoValue<Str>,
) -> Permission {
    Permission::new("lambda:InvokeFunction", function.pushed_arn(), principal)
        // The source may be any resource's ARN, written as text in the docs' examples.
        .source_arn(source_arn.into_value().cast::<crate::kind::AnyArn>())
}
