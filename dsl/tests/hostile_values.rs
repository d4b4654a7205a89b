//! Values that JSON or the stack cannot carry: deep nesting and non-finite numbers end
//! in a diagnostic naming the resource and property, never in an abort or a `null`.

use nephos::kind::Str;
use nephos::{Diagnostic, Parameter, RawResource, Stack, Value, join};

fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(t) => panic!(
            "synthesized, but errors were expected:\n{}",
            t.to_json_pretty()
        ),
        Err(e) => e.diagnostics.iter().map(Diagnostic::to_string).collect(),
    }
}

fn nested_join(depth: usize) -> Value<Str> {
    let mut v: Value<Str> = Value::from("x");
    for _ in 0..depth {
        v = join("-", vec![v]);
    }
    v
}

#[test]
fn intrinsics_nested_a_thousand_deep_are_a_synth_error_not_an_abort() {
    let mut s = Stack::new("S");
    s.add(
        "A",
        RawResource::new("AWS::SQS::Queue").property("QueueName", nested_join(400)),
    );
    let e = errors(&s);
    assert!(
        e.iter()
            .any(|d| d.contains("resource `A` property `QueueName`")
                && d.contains("nested 1200 levels deep")
                && d.contains("128")),
        "{e:?}"
    );
}

#[test]
fn values_built_tens_of_thousands_deep_never_overflow_the_stack() {
    // Walking or dropping such a value recursed once per level and aborted the process
    // (30,000 joins did, even without synth); past 1,000 levels it is built invalid.
    let deep = nested_join(30_000);
    let mut s = Stack::new("S");
    s.add(
        "A",
        RawResource::new("AWS::SQS::Queue").property("QueueName", deep.clone()),
    );
    drop(deep);
    let e = errors(&s);
    assert!(
        e.iter()
            .any(|d| d.contains("resource `A` property `QueueName`")
                && d.contains("nested more than 1000 intrinsics and containers deep")),
        "{e:?}"
    );
}

#[test]
fn nesting_within_the_limit_still_synthesizes() {
    let mut s = Stack::new("S");
    // 4 levels above the property, 3 per join (`{"Fn::Join": ["-", [inner]]}`): 41 joins
    // nest the template 127 deep, 42 joins 130.
    s.add(
        "A",
        RawResource::new("AWS::SQS::Queue").property("QueueName", nested_join(41)),
    );
    let t = s.synth().expect("41 nested joins fit in a template");
    // The deployer reads templates with serde_json: what synth accepts must parse back.
    let back: serde_json::Value = serde_json::from_str(&t.to_json_pretty()).unwrap();
    assert_eq!(&back, t.json());
    let mut s = Stack::new("S");
    s.add(
        "A",
        RawResource::new("AWS::SQS::Queue").property("QueueName", nested_join(42)),
    );
    assert!(errors(&s)[0].contains("nested 126 levels deep"));
}

#[test]
fn an_override_path_of_two_thousand_segments_is_a_synth_error() {
    let mut s = Stack::new("S");
    let a = s.add("A", RawResource::new("AWS::SQS::Queue"));
    s.resource(&a)
        .override_property(&vec!["a"; 2000].join("."), 1);
    let e = errors(&s);
    assert!(
        e.iter()
            .any(|d| d.starts_with("error: resource `A`") && d.contains("has 2000 segments")),
        "{e:?}"
    );
}

#[test]
fn deep_conditions_and_outputs_are_caught_too() {
    let mut s = Stack::new("S");
    s.output("Deep", nephos::Output::new(nested_join(500)));
    let e = errors(&s);
    assert!(e.iter().any(|d| d.contains("output `Deep`")), "{e:?}");
}

#[test]
fn nan_and_infinity_are_synth_errors_naming_the_property() {
    let mut s = Stack::new("S");
    s.add(
        "A",
        RawResource::new("AWS::SQS::Queue")
            .property("DelaySeconds", f64::NAN)
            .property("MaximumMessageSize", f64::INFINITY),
    );
    let e = errors(&s);
    assert!(
        e.iter()
            .any(|d| d.contains("resource `A` property `DelaySeconds`")
                && d.contains("the number is NaN")),
        "{e:?}"
    );
    assert!(
        e.iter().any(|d| d.contains("property `MaximumMessageSize`")
            && d.contains("the number is inf")),
        "{e:?}"
    );
}

#[test]
fn non_finite_parameter_numbers_are_synth_errors() {
    let mut s = Stack::new("S");
    s.parameter("Ratio", Parameter::number().default(f64::NAN));
    s.parameter("Cap", Parameter::number().max_value(f64::INFINITY));
    let e = errors(&s);
    assert!(
        e.iter()
            .any(|d| d.contains("parameter `Ratio`") && d.contains("NaN or infinite"))
    );
    assert!(
        e.iter()
            .any(|d| d.contains("parameter `Cap`") && d.contains("NaN or infinite"))
    );
}

#[test]
fn deep_plain_json_in_metadata_is_a_synth_error() {
    let mut v = serde_json::json!(1);
    for _ in 0..500 {
        v = serde_json::json!([v]);
    }
    let mut s = Stack::new("S");
    let a = s.add("A", RawResource::new("AWS::SQS::Queue"));
    s.resource(&a).metadata("Deep", v.clone());
    let e = errors(&s);
    assert!(
        e.iter()
            .any(|d| d.starts_with("error: resource `A`") && d.contains("nested 500 levels deep")),
        "{e:?}"
    );
    let mut s = Stack::new("S");
    s.metadata("Deep", v);
    assert!(errors(&s)[0].starts_with("error: stack: the value is nested 500 levels deep"));
}
