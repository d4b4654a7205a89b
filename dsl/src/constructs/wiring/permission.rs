//! The permission a push source needs to invoke a function.

use crate::constructs::wiring::PushedFunction;
use crate::kind::Str;
use crate::lambda::Permission;
use crate::stack::stack::Stack;
use crate::value::value::IntoValue;

/// Why a push wiring's `Lambda::Permission` needs the function in the stack's Region and
/// account: CloudFormation calls Lambda's `AddPermission` in the stack's Region and
/// account, which adds a statement to the policy of that account's function only (AWS
/// Lambda Developer Guide, "Viewing resource-based IAM policies in Lambda": a function's
/// policy is changed by its own account; another account's owner adds the statement).
pub const PERMISSION_HOME: &str = "the `Lambda::Permission` is added by this stack to a function of its own Region and account (Lambda `AddPermission`; another account's function gets the statement from its owner)";

/// Records, for a function outside the stack (an imported one), that `wiring` (and the
/// `Lambda::Permission` it adds) works only when the function is in the stack's Region
/// and account ([`Stack::require_home`]); `service_rule`
/// is the rule of the pushing service itself, when it has one (S3 and EventBridge reach
/// only their own Region). A function of the stack records nothing.
pub fn require_pushed_home(
    stack: &mut Stack,
    function: &impl PushedFunction,
    wiring: &str,
    service_rule: Option<&str>,
) {
    if function.pushed_resource().is_some() {
        return;
    }
    let why = match service_rule {
        Some(rule) => format!("{rule}; and {PERMISSION_HOME}"),
        None => PERMISSION_HOME.to_string(),
    };
    stack.require_home(
        &function.pushed_arn(),
        wiring,
        crate::Reach::RegionAndAccount,
        &why,
    );
}

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
