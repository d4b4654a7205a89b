//! The role of this stack a role ARN names, so a grantee given an existing role by
//! `role.arn()` has its grants attached to that role.

use crate::iam::RoleHandle;
use crate::kinds::IamRoleArn;
use crate::stack::handle::FromRef;
use crate::stack::stack::Stack;
use crate::value::expr::Expr;
use crate::value::value::Value;

/// The `AWS::IAM::Role` of `stack` whose `Arn` attribute `arn` is, if it is one (a
/// literal ARN, a parameter or a role of another stack is not managed here).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::grants::role;
/// let mut stack = Stack::new("App");
/// let r = stack.add("R", nephos::iam::Role::new(nephos::policy::PolicyDocument::new()));
/// assert_eq!(role::of_arn(&stack, &r.arn()).map(|h| h.arn()), Some(r.arn()));
/// assert!(role::of_arn(&stack, &nephos::Value::literal("arn:aws:iam::123456789012:role/x")).is_none());
/// ```
pub fn of_arn(stack: &Stack, arn: &Value<IamRoleArn>) -> Option<RoleHandle> {
    let Expr::GetAtt(t, attribute) = &arn.expr else {
        return None;
    };
    if &**attribute != "Arn" {
        return None;
    }
    stack
        .resources_of_type("AWS::IAM::Role")
        .into_iter()
        .find(|r| r.target == *t)
        .map(RoleHandle::from_ref)
}
