//! EventBridge rules starting a Step Functions state machine: a target with a role
//! EventBridge assumes (`<Rule><Target>Role`, assumed by EventBridge for this account
//! only) allowed `states:StartExecution` on exactly that state machine, with the input,
//! retries and dead-letter queue of [`EventTarget`] (Amazon EventBridge User Guide,
//! "Using IAM roles for targets"; Step Functions Developer Guide, "Starting a state
//! machine execution in response to Amazon EventBridge events").
//!
//! EventBridge calls `StartExecution` for standard and express workflows alike (not
//! `StartSyncExecution`): the rule does not wait for the result, so an express
//! workflow's outcome is in its logs only. The state machine's own policy is not
//! involved, so an imported one is a target like one of the stack.

use crate::constructs::grants::{self, Grant, actions};
use crate::constructs::ids;
use crate::constructs::wiring::events::{EVENTS, EventTarget, add_target};
use crate::constructs::wiring::{StartedStateMachine, place};
use crate::events::RuleHandle;
use crate::events::rule::Target;
use crate::policy::{PolicyDocument, Principal, Statement};
use crate::stack::handle::{FromRef, Handle, ResourceRef};
use crate::stack::stack::Stack;

/// Starts an execution of `state_machine` for each event of `rule`: a target with the
/// role `<Rule><Target>Role` (the same rule and state machine share one), allowed to
/// start executions of that state machine only. `<Target>` is the state machine's
/// logical ID, or for one outside the stack a fragment of its ARN.
pub fn to_state_machine(
    stack: &mut Stack,
    rule: &RuleHandle,
    state_machine: &impl StartedStateMachine,
    options: &EventTarget,
) {
    let target = state_machine.start_target();
    let rid = rule.resource_ref().logical_id().to_string();
    let tid = match target.resource() {
        Some(r) => r.logical_id().to_string(),
        None => ids::value_fragment(target.arn()),
    };
    if target.resource().is_none() {
        stack.require_home(
            target.arn(),
            &format!("the target of rule `{rid}` starting state machine `{tid}`"),
            crate::Reach::RegionAndAccount,
            crate::constructs::wiring::events::RULE_REGION,
        );
    }
    let mut ends: Vec<&ResourceRef> = vec![rule.resource_ref()];
    ends.extend(target.resource());
    let id = format!("{rid}{tid}Role");
    let role: crate::iam::RoleHandle = match stack.find_resource(&id, "AWS::IAM::Role") {
        Some(r) if stack.is_owned_by(&r, &ends) => FromRef::from_ref(r),
        _ => {
            // Scoped to the account, not to the rule's ARN: the rule names the role, so
            // a condition naming the rule would be a cycle.
            let trust = PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::service(EVENTS))
                    .action("sts:AssumeRole")
                    .condition(
                        "StringEquals",
                        "aws:SourceAccount",
                        crate::aws::account_id(),
                    ),
            );
            place(stack, &id, crate::iam::Role::new(trust), &ends, "a role")
        }
    };
    grants::grant(
        stack,
        &role,
        Grant::new("states:StartExecution")
            .actions(actions::STATES_START_EXECUTION)
            .on(target.arn().clone()),
    );
    let item = Target::new(
        target.arn().clone().cast::<crate::kind::AnyArn>(),
        ids::fragment_within(&tid, 64),
    )
    .role_arn(role.arn());
    add_target(stack, rule, &tid, item, options, false);
}
