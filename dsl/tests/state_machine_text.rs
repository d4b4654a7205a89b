//! The user text of a state machine's definition reaches Step Functions as written (a
//! `${Name}` in a Choice constant, Pass result, Fail cause, comment or state name is not
//! replaced by the ARN a placeholder of the same name stands for), and the log options
//! apply whatever the order of the builder calls. Run with `--features stepfunctions`.
#![cfg(feature = "stepfunctions")]

use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::state_machine::{Choice, Condition, Definition, Fail, Pass, Succeed, Task};
use nephos::constructs::{Code, Function, FunctionRef, StateMachine};
use nephos::stepfunctions::state_machine::Level;
use serde_json::{Value as J, json};

mod roundtrip_support;

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(
            nephos::constructs::Runtime::Python312,
            "index.handler",
            Code::inline("x"),
        ),
    )
}

fn synth(stack: &Stack) -> J {
    Assertions::from_stack(stack).json().clone()
}

/// The attacker's flow (atk14 finding 6): a task invoking `W`, and user strings that
/// read `${W}` and other `${...}` text.
fn attack(stack: &mut Stack) {
    let w = function(stack, "W");
    let flow = Definition::new("Go")
        .comment("compare with ${W}")
        .state("Go", Task::invoke(&w).next("Check"))
        .state(
            "Check",
            Choice::new()
                .when(Condition::string("$.x").equals("${W}"), "Keep")
                .otherwise("Stop ${!W}"),
        )
        .state(
            "Keep",
            Pass::new()
                .result(json!({"template": "${W} and ${AWS::Region}"}))
                .next("Done"),
        )
        .state("Stop ${!W}", Fail::new().error("E").cause("cause ${W}"))
        .state("Done", Succeed::new());
    stack.add("SM", StateMachine::new(flow));
}

/// What CloudFormation makes of `Fn::Sub` (Template Reference, `Fn::Sub`): `${!x}` is
/// the literal `${x}`, any other `${name}` its value (here `<name>`).
fn resolve_sub(sub: &J) -> String {
    let text = match sub {
        J::String(s) => s.clone(),
        J::Array(a) => a[0].as_str().expect("template string").to_string(),
        other => panic!("not a Fn::Sub: {other}"),
    };
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').expect("closed placeholder") + i;
        let name = &rest[i + 2..end];
        match name.strip_prefix('!') {
            Some(literal) => out.push_str(&format!("${{{literal}}}")),
            None => out.push_str(&format!("<{name}>")),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn user_text_with_dollar_brace_reaches_the_state_machine_as_written() {
    let mut stack = Stack::new("App");
    attack(&mut stack);
    let t = synth(&stack);
    let p = &t["Resources"]["SM"]["Properties"];
    assert!(
        p.get("DefinitionSubstitutions").is_none() && p.get("Definition").is_none(),
        "no substitution path may reach user text: {p}"
    );
    let asl: J = serde_json::from_str(&resolve_sub(&p["DefinitionString"]["Fn::Sub"]))
        .expect("the resolved definition is JSON");
    // The task still names the function's ARN...
    assert_eq!(asl["States"]["Go"]["Resource"], "<W.Arn>");
    // ...and every user string is as written.
    assert_eq!(asl["Comment"], "compare with ${W}");
    assert_eq!(asl["States"]["Check"]["Choices"][0]["StringEquals"], "${W}");
    assert_eq!(asl["States"]["Check"]["Default"], "Stop ${!W}");
    assert_eq!(
        asl["States"]["Keep"]["Result"]["template"],
        "${W} and ${AWS::Region}"
    );
    assert_eq!(asl["States"]["Stop ${!W}"]["Cause"], "cause ${W}");
}

#[test]
fn a_definition_without_user_dollar_brace_keeps_its_substitutions() {
    let mut stack = Stack::new("App");
    let w = function(&mut stack, "W");
    let flow = Definition::new("Go").state("Go", Task::invoke(&w));
    stack.add("SM", StateMachine::new(flow));
    let p = synth(&stack)["Resources"]["SM"]["Properties"].clone();
    assert_eq!(p["Definition"]["States"]["Go"]["Resource"], "${W}");
    assert_eq!(
        p["DefinitionSubstitutions"]["W"],
        json!({"Fn::GetAtt": ["W", "Arn"]})
    );
    assert!(p.get("DefinitionString").is_none());
}

#[test]
fn user_dollar_brace_without_substitutions_stays_in_the_definition_object() {
    let mut stack = Stack::new("App");
    let flow = Definition::new("P").state("P", Pass::new().result(json!("${x}")));
    stack.add("SM", StateMachine::new(flow));
    let p = synth(&stack)["Resources"]["SM"]["Properties"].clone();
    assert_eq!(p["Definition"]["States"]["P"]["Result"], "${x}");
    assert!(p.get("DefinitionSubstitutions").is_none());
}

#[test]
fn log_options_before_logs_are_kept() {
    let mut stack = Stack::new("App");
    let flow = Definition::new("P").state("P", Pass::new());
    stack.add(
        "SM",
        StateMachine::new(flow)
            .log_execution_data()
            .log_retention_days(7)
            .logs(Level::All),
    );
    let t = synth(&stack);
    let logging = &t["Resources"]["SM"]["Properties"]["LoggingConfiguration"];
    assert_eq!(logging["IncludeExecutionData"], true);
    assert_eq!(logging["Level"], "ALL");
    assert_eq!(
        t["Resources"]["SMLogGroup"]["Properties"]["RetentionInDays"],
        7
    );
}

#[test]
fn log_options_without_a_level_are_a_synth_error() {
    let mut stack = Stack::new("App");
    let flow = Definition::new("P").state("P", Pass::new());
    stack.add("SM", StateMachine::new(flow).log_retention_days(7));
    let err = stack.synth().expect_err("options without logs").to_string();
    assert!(err.contains("no log level"), "{err}");
}

fn linted(stack: &mut Stack, _: &nephos::Param<nephos::kind::Str>) {
    attack(stack);
}

#[test]
fn the_escaped_definition_passes_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::StateMachineText", linted)]);
}
