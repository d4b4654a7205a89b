//! A required property that is `AWS::NoValue` (directly, or as a branch of `Fn::If`) is not
//! set: the required-property and required-combination checks refuse it as the property
//! counts do, naming the resource, the property and the condition under which it is unset
//! (the attack on issue 13, F8).

use nephos::kind::Str;
use nephos::{Diagnostic, Parameter, RawResource, Severity, Stack, Value, equals, fn_if};

/// Every diagnostic of synthesizing `stack`, rendered, with its severity.
fn diagnostics(stack: &Stack) -> Vec<(Severity, String)> {
    let d: Vec<Diagnostic> = match stack.synth() {
        Ok(t) => t.warnings().to_vec(),
        Err(e) => e.diagnostics,
    };
    d.iter().map(|d| (d.severity, d.to_string())).collect()
}

fn errors(stack: &Stack) -> Vec<String> {
    diagnostics(stack)
        .into_iter()
        .filter(|(s, _)| *s == Severity::Error)
        .map(|(_, d)| d)
        .collect()
}

fn group(description: Value<Str>) -> RawResource {
    RawResource::new("AWS::EC2::SecurityGroup").property("GroupDescription", description)
}

#[test]
fn a_required_property_that_is_no_value_is_refused() {
    let mut stack = Stack::new("App");
    stack.add("Sg2", group(Value::<Str>::no_value()));
    let e = errors(&stack);
    assert!(
        e.iter()
            .any(|e| e.contains("resource `Sg2` property `GroupDescription`")
                && e.contains(
                    "requires property `GroupDescription`, which is AWS::NoValue (not set) always"
                )),
        "{e:?}"
    );
}

#[test]
fn a_required_property_no_value_under_a_condition_is_refused_naming_it() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let c = stack.condition("C", equals(&env, "x"));
    stack.add("Sg", group(fn_if(&c, "d", Value::<Str>::no_value())));
    let e = errors(&stack);
    assert!(
        e.iter()
            .any(|e| e.contains("resource `Sg` property `GroupDescription`")
                && e.contains("when condition `C` is false")),
        "{e:?}"
    );
}

#[test]
fn a_generated_type_s_required_argument_of_no_value_is_refused() {
    let mut stack = Stack::new("App");
    let topic = stack.add("Topic", nephos::sns::Topic::new());
    stack.add(
        "Sub",
        nephos::sns::Subscription::new(Value::<Str>::no_value(), topic.arn()),
    );
    let e = errors(&stack);
    assert!(
        e.iter()
            .any(|e| e.contains("resource `Sub` property `Protocol`")
                && e.contains("AWS::SNS::Subscription requires property `Protocol`")),
        "{e:?}"
    );
}

#[test]
fn a_required_property_set_whichever_way_or_under_the_resource_s_condition_passes() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let c = stack.condition("C", equals(&env, "x"));
    stack.add("Lit", group("d".into()));
    stack.add("Both", group(fn_if(&c, "d", "e")));
    // The resource exists only when C is true, and then the property is set.
    let own = stack.add("Own", group(fn_if(&c, "d", Value::<Str>::no_value())));
    stack.resource(&own).condition(&c);
    let d = diagnostics(&stack);
    assert!(!d.iter().any(|(_, d)| d.contains("AWS::NoValue")), "{d:?}");
}

#[test]
fn two_independent_conditions_make_a_warning_not_an_error() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let a = stack.condition("A", equals(&env, "x"));
    let b = stack.condition("B", equals(&env, "y"));
    let inner: Value<Str> = fn_if(&b, "d", Value::<Str>::no_value());
    stack.add("Sg", group(fn_if(&a, "d", inner)));
    let d = diagnostics(&stack);
    assert!(
        d.iter().any(|(s, d)| *s == Severity::Warning
            && d.contains("resource `Sg` property `GroupDescription`")
            && d.contains("when condition `A` is false and condition `B` is false")),
        "{d:?}"
    );
    assert!(!d.iter().any(|(s, _)| *s == Severity::Error), "{d:?}");
}

fn record() -> RawResource {
    RawResource::new("AWS::Route53::RecordSet")
        .property("Name", "a.example.com")
        .property("Type", "A")
        .property("ResourceRecords", vec!["192.0.2.1"])
        .property("TTL", "60")
}

#[test]
fn a_one_of_alternative_that_is_no_value_under_a_condition_is_refused() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let c = stack.condition("C", equals(&env, "x"));
    let name: Value<Str> = fn_if(&c, "example.com.", Value::<Str>::no_value());
    stack.add("Rec", record().property("HostedZoneName", name));
    stack.add(
        "Never",
        record().property("HostedZoneId", Value::<Str>::no_value()),
    );
    let e = errors(&stack);
    assert!(
        e.iter().any(|e| e.contains("resource `Rec`")
            && e.contains(
                "set one of HostedZoneId, HostedZoneName (not met when condition `C` is false)"
            )),
        "{e:?}"
    );
    assert!(
        e.iter().any(|e| e.contains("resource `Never`")
            && e.contains("set one of HostedZoneId, HostedZoneName (its registry")),
        "{e:?}"
    );
}

#[test]
fn one_alternative_or_the_other_by_the_same_condition_passes() {
    let mut stack = Stack::new("App");
    let env = stack.parameter("Env", Parameter::string());
    let zone = stack.parameter("Zone", Parameter::string());
    let c = stack.condition("C", equals(&env, "x"));
    let name: Value<Str> = fn_if(&c, "example.com.", Value::<Str>::no_value());
    let id: Value<Str> = fn_if(&c, Value::<Str>::no_value(), &zone);
    stack.add(
        "Rec",
        record()
            .property("HostedZoneName", name)
            .property("HostedZoneId", id),
    );
    let d = diagnostics(&stack);
    assert!(!d.iter().any(|(_, d)| d.contains("set one of")), "{d:?}");
}
