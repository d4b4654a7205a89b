//! Conditions reach everything a construct creates and wires, and a reference from a
//! resource to one that may not exist is refused at synth (cfn-lint W1001's kind).

use nephos::constructs::{Code, Function, FunctionRef, Key, Queue, Runtime, Table, Topic};
use nephos::{
    Diagnostic, Output, Parameter, RawResource, Stack, Value, and, equals, fn_if, kind::Str,
};
use serde_json::Value as J;

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")).timeout(10),
    )
}

fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(t) => panic!(
            "synthesized, but errors were expected:\n{}",
            t.to_json_pretty()
        ),
        Err(e) => e.diagnostics.iter().map(Diagnostic::to_string).collect(),
    }
}

fn conditions(t: &J) -> Vec<(String, Option<String>)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, r)| (id.clone(), r["Condition"].as_str().map(String::from)))
        .collect()
}

#[test]
fn a_functions_condition_reaches_its_role_log_group_and_wiring_set_before_or_after() {
    for condition_first in [true, false] {
        let mut stack = Stack::new("App");
        let env = stack.parameter("Env", Parameter::string());
        let prod = stack.condition("IsProd", equals(&env, "prod"));
        let queue = stack.add("Jobs", Queue::new());
        let topic = stack.add("Events", Topic::new());
        let f = function(&mut stack, "Worker");
        if condition_first {
            stack.resource(&f).condition(&prod);
        }
        queue.trigger(&mut stack, &f, 10);
        topic.subscribe_function(&mut stack, &f);
        if !condition_first {
            stack.resource(&f).condition(&prod);
        }
        let t = stack.synth().unwrap();
        for (id, c) in conditions(t.json()) {
            let expected = !matches!(id.as_str(), "Jobs" | "Events");
            assert_eq!(
                c.as_deref() == Some("IsProd"),
                expected,
                "{id} (condition set first: {condition_first})"
            );
        }
    }
}

#[test]
fn wiring_an_unconditional_function_to_a_conditional_queue_is_refused_with_the_fix() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("IsProd", equals(&env, "prod"));
    let queue = stack.add("Jobs", Queue::new().visibility_timeout(60));
    stack.resource(&queue).condition(&prod);
    let f = function(&mut stack, "Worker");
    queue.trigger(&mut stack, &f, 10);
    let e = errors(&stack);
    // The mapping is conditioned on both ends (only one is conditional): no error for it.
    assert!(
        !e.iter().any(|d| d.contains("`WorkerJobsTrigger`")),
        "{e:?}"
    );
    // The function's role is granted on the queue: refused, naming both and the fix.
    assert!(
        e.iter()
            .any(|d| d.contains("resource `WorkerRole` property `Policies`")
                && d.contains("is created unconditionally but refers to `Jobs`")
                && d.contains("condition `IsProd`")
                && d.contains("fix: give `WorkerRole` the condition `IsProd`")),
        "{e:?}"
    );
}

#[test]
fn wiring_ends_with_different_conditions_is_a_synth_error_naming_both() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("IsProd", equals(&env, "prod"));
    let eu = stack.condition("InEu", equals(nephos::aws::region(), "eu-west-1"));
    let table = stack.add(
        "Users",
        Table::new(Key::string("id")).stream(nephos::constructs::StreamView::NewImage),
    );
    stack.resource(&table).condition(&eu);
    let f = function(&mut stack, "Worker");
    stack.resource(&f).condition(&prod);
    let mapping = table.stream_to(
        &mut stack,
        &f,
        nephos::constructs::StreamTrigger::default().batch_size(10),
    );
    let e = errors(&stack);
    assert!(
        e.iter()
            .any(|d| d
                .contains("wires `Worker` (condition `IsProd`) and `Users` (condition `InEu`)")),
        "{e:?}"
    );
    // The fix the message gives works: a condition implying both, set on the wiring.
    let both = stack.condition("ProdInEu", and([&prod, &eu]));
    stack.resource(&mapping).condition(&both);
    let e = errors(&stack);
    assert!(!e.iter().any(|d| d.contains("wires `Worker`")), "{e:?}");
}

#[test]
fn references_to_conditional_resources_are_checked_everywhere() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("IsProd", equals(&env, "prod"));
    let eu = stack.condition("InEu", equals(nephos::aws::region(), "eu-west-1"));
    let prod_eu = stack.condition("ProdInEu", and([&prod, &eu]));
    let q = stack.add("Q", RawResource::new("AWS::SQS::Queue"));
    stack.resource(&q).condition(&prod);
    let url: Value<Str> = q.ref_value();
    // Unconditional: refused.
    stack.add(
        "Plain",
        RawResource::new("AWS::SSM::Parameter")
            .property("Value", url.clone())
            .property("Type", "String"),
    );
    // Guarded by Fn::If on the same condition: fine.
    stack.add(
        "Guarded",
        RawResource::new("AWS::SSM::Parameter")
            .property("Value", fn_if::<Str>(&prod, url.clone(), "none"))
            .property("Type", "String"),
    );
    // Under a condition that implies it (And of it and another): fine.
    let implied = stack.add(
        "Implied",
        RawResource::new("AWS::SSM::Parameter")
            .property("Value", url.clone())
            .property("Type", "String"),
    );
    stack.resource(&implied).condition(&prod_eu);
    // Under an unrelated condition: refused.
    let other = stack.add(
        "Other",
        RawResource::new("AWS::SSM::Parameter")
            .property("Value", url.clone())
            .property("Type", "String"),
    );
    stack.resource(&other).condition(&eu);
    // DependsOn and outputs count too.
    let waits = stack.add("Waits", RawResource::new("AWS::SNS::Topic"));
    stack.resource(&waits).depends_on(&q);
    stack.output("Url", Output::new(url));
    let e = errors(&stack);
    let about = |id: &str| {
        e.iter()
            .filter(|d| d.contains(&format!("`{id}`")) && d.contains("refers to `Q`"))
            .count()
    };
    assert_eq!(about("Plain"), 1, "{e:?}");
    assert_eq!(about("Guarded"), 0, "{e:?}");
    assert_eq!(about("Implied"), 0, "{e:?}");
    assert_eq!(about("Other"), 1, "{e:?}");
    assert!(
        e.iter()
            .any(|d| d.contains("`Other` is created under condition `InEu`"))
    );
    assert_eq!(about("Waits"), 1, "{e:?}");
    assert!(
        e.iter()
            .any(|d| d.starts_with("error: output `Url`") && d.contains("refers to `Q`")),
        "{e:?}"
    );
}
