//! Grants on resources that depend on the grantee's role (a function invoking itself or
//! its alias, a state machine naming the function, a rule targeting it): the statements
//! go to the role's separate `<Role>DependentGrants` policy, so there is no dependency
//! cycle; the template passes cfn-lint with no finding. And the cycle error nephos gives
//! when a user writes such a statement into a role by hand.

mod lint_support;

use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::grants::{self, Grant};
use nephos::constructs::{
    Alias, Code, Function, FunctionRef, FunctionUrlOptions, Key, Queue, Runtime, Table,
};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

/// The template, after checking it has no dependency cycle.
fn synth(stack: &Stack) -> J {
    let a = Assertions::from_stack(stack);
    a.assert_no_cycles();
    a.json().clone()
}

/// Every statement of the role's inline policies, as text.
fn role_statements(t: &J, role: &str) -> String {
    t["Resources"][role]["Properties"]["Policies"].to_string()
}

fn no_findings(stacks: &[&Stack]) {
    let found = lint_support::findings(stacks);
    assert!(found.is_empty(), "cfn-lint:\n{}", found.join("\n"));
}

#[test]
fn a_function_invoking_itself_gets_its_statement_in_a_separate_policy() {
    let mut stack = Stack::new("SelfInvoke");
    let f = function(&mut stack, "Poller");
    let table = stack.add("Jobs", Table::new(Key::string("id")));
    table.grant_read(&mut stack, &f);
    f.grant_invoke(&mut stack, &f);
    let t = synth(&stack);
    let policy = &t["Resources"]["PollerRoleDependentGrants"];
    assert_eq!(policy["Type"], "AWS::IAM::RolePolicy");
    assert_eq!(
        policy["Properties"],
        json!({
            "PolicyName": "DependentGrants",
            "RoleName": {"Ref": "PollerRole"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["lambda:InvokeFunction"],
                    "Resource": [{"Fn::GetAtt": ["Poller", "Arn"]}]
                }]
            }
        })
    );
    // What makes no cycle stays in the role.
    let kept = role_statements(&t, "PollerRole");
    assert!(kept.contains("dynamodb:GetItem"), "{kept}");
    assert!(!kept.contains("lambda:InvokeFunction"), "{kept}");
    no_findings(&[&stack]);
}

#[test]
fn a_merged_statement_is_split_by_resource() {
    // One statement would name both functions; only the function itself moves.
    let mut stack = Stack::new("Split");
    let f = function(&mut stack, "Fan");
    let other = function(&mut stack, "Other");
    other.grant_invoke(&mut stack, &f);
    f.grant_invoke(&mut stack, &f);
    let t = synth(&stack);
    let kept = role_statements(&t, "FanRole");
    assert!(kept.contains("\"Other\""), "{kept}");
    assert!(!kept.contains("[\"Fan\",\"Arn\"]"), "{kept}");
    let moved =
        t["Resources"]["FanRoleDependentGrants"]["Properties"]["PolicyDocument"]["Statement"]
            .clone();
    assert_eq!(
        moved,
        json!([{
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": [{"Fn::GetAtt": ["Fan", "Arn"]}]
        }])
    );
    no_findings(&[&stack]);
}

#[test]
fn a_function_invoking_its_own_alias_or_url_makes_no_cycle() {
    let mut stack = Stack::new("OwnAlias");
    let f = function(&mut stack, "Api");
    let v = f.version(&mut stack);
    let live = f.alias(&mut stack, Alias::new("live", &v));
    live.grant_invoke(&mut stack, &f);
    f.url(&mut stack, FunctionUrlOptions::iam());
    f.grant_invoke_url(&mut stack, &f);
    let t = synth(&stack);
    // Every statement names the function or its alias: the role's own policy is gone.
    assert_eq!(t["Resources"]["ApiRole"]["Properties"]["Policies"], J::Null);
    let moved = t["Resources"]["ApiRoleDependentGrants"].to_string();
    assert!(moved.contains("lambda:InvokeFunctionUrl"), "{moved}");
    assert!(moved.contains("{\"Ref\":\"ApiAliasLive\"}"), "{moved}");
    no_findings(&[&stack]);
}

#[test]
fn what_waited_for_the_role_waits_for_the_separate_policy_too() {
    // An event source mapping waits for the role (Lambda checks its permissions when the
    // mapping is created); it waits for the moved statements as well.
    let mut stack = Stack::new("Waits");
    let f = function(&mut stack, "Worker");
    let q = stack.add("Jobs", Queue::new());
    q.trigger(&mut stack, &f, 10);
    f.grant_invoke(&mut stack, &f);
    let t = synth(&stack);
    let mapping = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::Lambda::EventSourceMapping")
        .map(|(_, r)| r.clone())
        .expect("a mapping");
    assert_eq!(
        mapping["DependsOn"],
        json!(["WorkerRole", "WorkerRoleDependentGrants"])
    );
    no_findings(&[&stack]);
}

#[test]
fn the_separate_policy_takes_the_role_condition() {
    let mut stack = Stack::new("Conditional");
    let env = stack.parameter("Env", nephos::Parameter::string().default("dev"));
    let prod = stack.condition("IsProd", nephos::equals(&env, "prod"));
    let f = function(&mut stack, "F");
    stack.resource(&f).condition(&prod);
    f.grant_invoke(&mut stack, &f);
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["FRoleDependentGrants"]["Condition"],
        "IsProd"
    );
    no_findings(&[&stack]);
}

#[test]
fn a_resource_holding_the_separate_policy_id_is_refused_by_name() {
    let mut stack = Stack::new("Taken");
    let f = function(&mut stack, "F");
    stack.add("FRoleDependentGrants", nephos::sqs::Queue::new());
    f.grant_invoke(&mut stack, &f);
    let e = stack.synth().unwrap_err().to_string();
    assert!(
        e.contains("`FRoleDependentGrants` is already a `AWS::SQS::Queue`")
            && e.contains("`F`")
            && e.contains("give the other resource a logical ID other than"),
        "{e}"
    );
}

#[test]
fn a_grant_on_the_role_itself_goes_to_the_separate_policy() {
    // A role passing itself to a service names itself: a cycle of one resource.
    let mut stack = Stack::new("PassSelf");
    let f = function(&mut stack, "F");
    let role_arn = f.role().expect("own role").arn();
    grants::grant(
        &mut stack,
        &f,
        Grant::new("passing its role")
            .actions(&["iam:PassRole"])
            .on(role_arn),
    );
    let t = synth(&stack);
    let moved = t["Resources"]["FRoleDependentGrants"].to_string();
    assert!(moved.contains("iam:PassRole"), "{moved}");
    no_findings(&[&stack]);
}

#[test]
fn a_cycle_written_by_hand_into_a_role_is_named_with_the_fix() {
    // The user's own inline policy (not a grant) names the function: nephos leaves it,
    // and synth names the resources in the cycle and how to break it.
    let mut stack = Stack::new("ByHand");
    let f = function(&mut stack, "F");
    let role = f.role().expect("own role").clone();
    let arn = f.arn();
    stack.resource(&role).override_property(
        "Policies",
        json!([{
            "PolicyName": "Mine",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "x"}]
            }
        }]),
    );
    stack
        .resource(&role)
        .override_property("Policies.0.PolicyDocument.Statement.0.Resource", arn);
    let e = stack.synth().unwrap_err().to_string();
    assert!(e.contains("dependency cycle: F -> FRole -> F"), "{e}");
    assert!(
        e.contains("AWS::IAM::RolePolicy") && e.contains("constructs::grants"),
        "{e}"
    );
}

#[cfg(feature = "events")]
#[test]
fn a_target_wired_after_the_grant_still_moves_the_statement() {
    use nephos::constructs::timing::Schedule;
    use nephos::constructs::{EventTarget, Rule};
    // The rule comes to depend on the function only after the grant on it was made:
    // decided at synth, the result does not depend on the order of the calls.
    let build = |grant_first: bool| {
        let mut stack = Stack::new("Trigger");
        let f = function(&mut stack, "Ticker");
        let rule = stack.add(
            "Tick",
            Rule::schedule(Schedule::rate(std::time::Duration::from_secs(300))),
        );
        let disable = |stack: &mut Stack| {
            grants::grant(
                stack,
                &f,
                Grant::new("disabling its trigger")
                    .actions(&["events:DisableRule"])
                    .on(rule.arn()),
            );
        };
        if grant_first {
            disable(&mut stack);
            rule.target_function(&mut stack, &f, EventTarget::new());
        } else {
            rule.target_function(&mut stack, &f, EventTarget::new());
            disable(&mut stack);
        }
        stack
    };
    let (first, last) = (build(true), build(false));
    let t = synth(&first);
    assert_eq!(t, synth(&last));
    let moved = t["Resources"]["TickerRoleDependentGrants"].to_string();
    assert!(moved.contains("events:DisableRule"), "{moved}");
    no_findings(&[&first]);
}

#[cfg(feature = "stepfunctions")]
mod state_machines {
    use super::*;
    use nephos::constructs::StateMachine;
    use nephos::constructs::state_machine::{Definition, SqsSendMessage, Succeed, Task};

    #[test]
    fn a_function_starting_a_state_machine_that_calls_it_makes_no_cycle() {
        let mut stack = Stack::new("Loop");
        let f = function(&mut stack, "Step");
        let sm = stack.add(
            "Flow",
            StateMachine::new(Definition::new("Call").state("Call", Task::invoke(&f))),
        );
        sm.grant_start_execution(&mut stack, &f);
        let t = synth(&stack);
        let moved = t["Resources"]["StepRoleDependentGrants"].to_string();
        assert!(
            moved.contains("states:StartExecution") && moved.contains("{\"Ref\":\"Flow\"}"),
            "{moved}"
        );
        assert!(!role_statements(&t, "StepRole").contains("states:"));
        no_findings(&[&stack]);
    }

    #[test]
    fn a_function_answering_its_own_task_token_makes_no_cycle() {
        let mut stack = Stack::new("Token");
        let f = function(&mut stack, "Worker");
        let q = stack.add("Asks", Queue::new());
        // The function is a task of the machine, and answers the machine's task tokens.
        let sm = stack.add(
            "Flow",
            StateMachine::new(
                Definition::new("Prepare")
                    .state("Prepare", Task::invoke(&f).next("Ask"))
                    .state(
                        "Ask",
                        Task::call(SqsSendMessage::new(&q).wait_for_task_token()).next("Done"),
                    )
                    .state("Done", Succeed::new()),
            ),
        );
        sm.grant_task_response(&mut stack, &f);
        let t = synth(&stack);
        let moved = t["Resources"]["WorkerRoleDependentGrants"].to_string();
        assert!(moved.contains("states:SendTaskSuccess"), "{moved}");
        no_findings(&[&stack]);
    }
}
