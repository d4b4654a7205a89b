//! The same code gives the same bytes: repeated synths, builder order, and generated stacks.

use nephos::kind::Str;
use nephos::{Output, Parameter, RawResource, Stack, Value, sub};
use proptest::prelude::*;

/// One generated resource: logical ID, literal properties, and maybe a reference to an
/// earlier resource (by index, modulo how many exist).
type ResourceSpec = (String, Vec<(String, u32)>, Option<usize>);

/// A stack described by data, so proptest can generate and shuffle it.
#[derive(Clone, Debug)]
struct Spec {
    resources: Vec<ResourceSpec>,
    parameters: Vec<String>,
}

fn build(spec: &Spec, reverse_properties: bool) -> Stack {
    let mut stack = Stack::new("Generated");
    let params: Vec<_> = spec
        .parameters
        .iter()
        .map(|p| stack.parameter(p, Parameter::string().default("x")))
        .collect();
    let mut handles: Vec<nephos::ResourceRef> = Vec::new();
    for (id, props, reference) in &spec.resources {
        // A custom resource takes any property (an `AWS::` type takes only the names its
        // schema declares, which generated names are not).
        let mut r = RawResource::new("Custom::Generated").property(
            "ServiceToken",
            "arn:aws:lambda:us-east-1:123456789012:function:provider",
        );
        let mut props = props.clone();
        if reverse_properties {
            props.reverse();
        }
        for (name, value) in &props {
            r = r.property(name, *value);
        }
        if let Some(i) = reference
            && let Some(target) = handles.get(i % handles.len().max(1))
        {
            let arn: Value<Str> = target.get_att("Arn");
            r = r.property(
                "RedrivePolicy",
                nephos::value!({ "deadLetterTargetArn": arn }),
            );
        }
        if let Some(p) = params.first() {
            r = r.property("QueueName", sub!("${p}-q", p = p));
        }
        r = r.property("MessageRetentionPeriod", 1_209_600 - handles.len() as u32);
        handles.push(stack.add(id, r));
    }
    if let Some(h) = handles.last() {
        stack.output("Last", Output::new(h.ref_value::<Str>()));
    }
    stack
}

fn spec() -> impl Strategy<Value = Spec> {
    // Resource IDs never start with `P`, so they cannot collide with the parameters below:
    // parameters and resources share one logical-ID namespace, and a collision is a synth
    // error, not the nondeterminism this test looks for.
    let ids = proptest::collection::btree_set("[A-OQ-Z][a-zA-Z0-9]{0,12}", 1..20);
    let props = proptest::collection::btree_map("[A-Z][a-zA-Z]{1,10}", 0u32..1000, 0..6);
    (
        ids,
        proptest::collection::vec((props, proptest::option::of(0usize..50)), 20),
        proptest::collection::btree_set("P[a-z]{1,6}", 0..3),
    )
        .prop_map(|(ids, bodies, params)| Spec {
            resources: ids
                .into_iter()
                .zip(bodies)
                .map(|(id, (p, r))| {
                    (
                        id,
                        p.into_iter()
                            .filter(|(k, _)| k != "QueueName" && k != "RedrivePolicy")
                            .collect(),
                        r,
                    )
                })
                .collect(),
            parameters: params.into_iter().collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_stacks_synthesize_to_identical_bytes(spec in spec()) {
        let first = build(&spec, false).synth().unwrap().to_json_pretty();
        let second = build(&spec, false).synth().unwrap().to_json_pretty();
        prop_assert_eq!(&first, &second);
        // The order of property setters does not reach the output.
        let reordered = build(&spec, true).synth().unwrap().to_json_pretty();
        prop_assert_eq!(&first, &reordered);
        // And the text is the JSON value, faithfully.
        let reparsed: serde_json::Value = serde_json::from_str(&first).unwrap();
        let template = build(&spec, false).synth().unwrap();
        prop_assert_eq!(&reparsed, template.json());
    }
}

#[test]
fn sections_come_in_conventional_order_and_keys_sorted() {
    let mut stack = Stack::new("Order");
    stack.output("Out", Output::new(nephos::aws::region()));
    let q = stack.add(
        "Zed",
        RawResource::new("AWS::SQS::Queue")
            .property("VisibilityTimeout", 5)
            .property("DelaySeconds", 1),
    );
    stack.resource(&q).retain();
    stack.add("Alpha", RawResource::new("AWS::SQS::Queue"));
    stack.parameter("Env", Parameter::string());
    stack.description("d");
    let text = stack.synth().unwrap().to_json_pretty();
    let pos = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("{s} missing from\n{text}"))
    };
    assert!(pos("AWSTemplateFormatVersion") < pos("\"Description\""));
    assert!(pos("\"Description\"") < pos("\"Parameters\""));
    assert!(pos("\"Parameters\"") < pos("\"Resources\""));
    assert!(pos("\"Resources\"") < pos("\"Outputs\""));
    assert!(pos("\"Alpha\"") < pos("\"Zed\""));
    assert!(pos("\"DelaySeconds\"") < pos("\"VisibilityTimeout\""));
    assert!(
        pos("\"Type\": \"AWS::SQS::Queue\",\n      \"Properties\"") < pos("\"DeletionPolicy\"")
    );
    assert!(text.ends_with("}\n"));
}

#[test]
fn references_are_not_written_as_depends_on() {
    let mut stack = Stack::new("Deps");
    let a = stack.add("A", RawResource::new("AWS::SQS::Queue"));
    let b = stack.add(
        "B",
        RawResource::new("AWS::SQS::Queue").property("QueueName", a.get_att::<Str>("QueueName")),
    );
    let c = stack.add("C", RawResource::new("AWS::SQS::Queue"));
    stack
        .resource(&c)
        .depends_on(&b)
        .depends_on(&a)
        .depends_on(&b);
    let t = stack.synth().unwrap();
    assert!(t.json()["Resources"]["B"].get("DependsOn").is_none());
    assert_eq!(
        t.json()["Resources"]["C"]["DependsOn"],
        serde_json::json!(["A", "B"])
    );
}
