//! The execution role of a [`Function`](super::Function): one given by its ARN, or one
//! created with the managed policies the function needs (writing its logs, VPC access,
//! X-Ray).

use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants;
use crate::iam::RoleHandle;
use crate::kinds::{IamManagedPolicyPolicyArn, IamRoleArn};
use crate::stack::props::PropsBuilder;
use crate::stack::stack::Stack;
use crate::value::sub::sub as sub_fn;
use crate::value::value::Value;

/// The managed policies the construct gives the execution role it creates (logging,
/// VPC access): a `ManagedPolicyArns` given through `configure_role` keeps them beside
/// its own.
const OWNED_BY_ROLE: &[Owned] = &[Owned::fixed(
    "ManagedPolicyArns",
    "the managed policies the function needs (writing its logs, VPC access)",
    "give `ManagedPolicyArns` as a literal list (nephos adds its policies to it), or attach the computed policies to the role with an `AWS::IAM::ManagedPolicy`'s `Roles`",
)
.kept()];

/// The managed policy every created execution role gets: writing its logs.
const BASIC_EXECUTION: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
/// Traced (`TracingConfig` `Active`), the role also sends trace segments to X-Ray.
const XRAY_WRITE: &str = "arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess";
/// In a VPC, the role also manages network interfaces.
const VPC_EXECUTION: &str =
    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

/// Whether the builder's tracing is `Active`.
fn traced(function: &crate::lambda::Function) -> bool {
    function
        .props()
        .get_json("TracingConfig")
        .is_some_and(|t| t.get("Mode").is_some_and(|m| m == "Active"))
}

/// The role of function `id` (built as `f`): the one given by `.role(arn)` (`given`; then
/// nephos creates none, so `role_name` or `configure_role` given for it is a synth error,
/// and tracing warns that the role needs X-Ray's policy), or `<Id>Role` created from
/// `role` with the managed policies `f` needs as defaults, then its `configure_role`
/// closures. Returns the role grants go to (a role of this stack given by ARN is one)
/// and the role's ARN.
pub(super) fn execution_role(
    stack: &mut Stack,
    id: &str,
    f: &crate::lambda::Function,
    given: Option<Value<IamRoleArn>>,
    role: Wrapped<crate::iam::Role>,
    inline_log_permissions: bool,
) -> (Option<RoleHandle>, Value<IamRoleArn>) {
    match given {
        Some(arn) => {
            // The role is not created, so what was set for it would be silently
            // dropped.
            let set_for_role = [
                (role.is_configured(), "`.configure_role(..)`"),
                (
                    role.builder().props().contains("RoleName"),
                    "`.role_name(..)`",
                ),
            ];
            for (_, what) in set_for_role.iter().filter(|(set, _)| *set) {
                stack.problem(crate::Diagnostic::error(
                    crate::Location::property(id, "Role"),
                    format!(
                        "function `{id}` uses an existing role given by `.role(arn)`, so nephos creates no role and {what} would have nothing to apply to"
                    ),
                    "change the existing role where it is defined, or drop `.role(arn)` to let nephos create the role",
                ));
            }
            if traced(f) {
                stack.problem(crate::Diagnostic::warning(
                    crate::Location::property(id, "TracingConfig"),
                    format!(
                        "function `{id}` is traced, and its role given by `.role(arn)` needs the `AWSXRayDaemonWriteAccess` managed policy (or its actions) to send traces, which nephos does not add to a role it did not create"
                    ),
                    "attach `arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess` to the role where it is defined",
                ));
            }
            // A role of this stack given by its ARN is the role grants go to: it is
            // managed here, so they are attached to it rather than refused.
            (grants::role::of_arn(stack, &arn), arn)
        }
        None => {
            let traced = traced(f);
            let in_vpc = f.props().contains("VpcConfig");
            let role_id = [id, "Role"].concat();
            let role = role
                .prepare(stack, &role_id, OWNED_BY_ROLE, |role| {
                    if role.props().contains("ManagedPolicyArns") {
                        return role;
                    }
                    // Every created role but one with inline log permissions has it:
                    // parsed once.
                    static BASIC: std::sync::LazyLock<Value<IamManagedPolicyPolicyArn>> =
                        std::sync::LazyLock::new(|| sub_fn(BASIC_EXECUTION, []).cast());
                    let mut managed: Vec<Value<IamManagedPolicyPolicyArn>> = Vec::new();
                    if !inline_log_permissions {
                        managed.push(BASIC.clone());
                    }
                    if in_vpc {
                        managed.push(sub_fn(VPC_EXECUTION, []).cast());
                    }
                    if traced {
                        managed.push(sub_fn(XRAY_WRITE, []).cast());
                    }
                    if managed.is_empty() {
                        role
                    } else {
                        role.managed_policy_arns(managed)
                    }
                })
                .add_to(stack)
                .handle;
            let arn = role.arn();
            (Some(role), arn)
        }
    }
}
