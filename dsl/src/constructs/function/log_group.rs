//! The log group of a [`Function`](super::Function): `<Id>LogGroup`, named as Lambda's
//! default group (`/aws/lambda/<name>`) when the function is named, else pointed at.

use crate::constructs::Configure;
use crate::constructs::RemovalPolicy;
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
/// Lambda's default group unless a name is set, then `configure`, then `removal`.
/// Returns the group and whether it is the one Lambda writes to by default (else the
/// function must be pointed at it).
pub(super) fn add(
    stack: &mut Stack,
    id: &str,
    name: Option<&Value<Str>>,
    mut log_group: crate::logs::LogGroup,
    configure: &Configure<crate::logs::LogGroup>,
    removal: RemovalPolicy,
) -> (LogGroupHandle, bool) {
    // The group Lambda writes to by default: `/aws/lambda/<name>`, known only when
    // the function is named.
    let default_group = name
        .map(|name| sub!("/aws/lambda/${name}", name = name.clone()).cast::<LambdaFunctionName>());
    if let Some(default_group) = &default_group
        && !log_group.props().contains("LogGroupName")
    {
        log_group = log_group.log_group_name(default_group.clone());
    }
    let log_group = configure.apply(log_group);
    // Read from the final log group: a name given by `configure_log_group` is not
    // the one Lambda would write to, so the function is pointed at the group.
    let writes_to_default = default_group
        .is_some_and(|g| log_group.props().get_json("LogGroupName") == Some(g.to_json()));
    let log_group = stack.add(&format!("{id}LogGroup"), log_group);
    removal.apply(stack, &log_group);
    (log_group, writes_to_default)
}
