//! The log group of a [`Function`](super::Function): `<Id>LogGroup`, named as Lambda's
//! default group (`/aws/lambda/<name>`) when the function is named, else pointed at.

use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::kind::Str;
use crate::kinds::LambdaFunctionName;
use crate::logs::LogGroupHandle;
use crate::stack::props::PropsBuilder;
use crate::stack::stack::Stack;
use crate::sub;
use crate::value::value::Value;

/// The log group the function writes to: the construct's (pointed at when it is not
/// Lambda's default one; a `LoggingConfig` given through `configure` without a
/// `LogGroup` keeps it), or Lambda's default, which a `LogGroup` set by `configure`
/// would leave behind.
pub(super) const LOG_GROUP: Owned = Owned::new(
    "LoggingConfig",
    "configure_log_group",
    "the function's log group (its retention, `log_group()`, the inline log permissions)",
)
.at("/LogGroup")
.kept();

/// Adds `<Id>LogGroup` for function `id` (named `name`, if given): `log_group` named as
/// Lambda's default group unless a name is set, then its `configure` closures and its
/// removal policy. Returns the group and whether it is the one Lambda writes to by
/// default (else the function must be pointed at it).
pub(super) fn add(
    stack: &mut Stack,
    id: &str,
    name: Option<&Value<Str>>,
    log_group: Wrapped<crate::logs::LogGroup>,
) -> (LogGroupHandle, bool) {
    // The group Lambda writes to by default: `/aws/lambda/<name>`, known only when
    // the function is named.
    let default_group = name
        .map(|name| sub!("/aws/lambda/${name}", name = name.clone()).cast::<LambdaFunctionName>());
    let group_id = [id, "LogGroup"].concat();
    let ready = log_group.prepare(stack, &group_id, &[], |group| match &default_group {
        Some(default_group) if !group.props().contains("LogGroupName") => {
            group.log_group_name(default_group.clone())
        }
        _ => group,
    });
    // Read from the final log group: a name given by `configure_log_group` is not
    // the one Lambda would write to, so the function is pointed at the group.
    let writes_to_default = default_group
        .is_some_and(|g| ready.builder().props().get_json("LogGroupName") == Some(g.to_json()));
    (ready.add_to(stack).handle, writes_to_default)
}
