//! Synthesis speed: a stack at CloudFormation's 500-resource limit, with references
//! between resources, parameters, conditions and outputs.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use nephos::kind::Str;
use nephos::{Output, Parameter, RawResource, Stack, Value, equals, fn_if, sub, value};

fn five_hundred() -> Stack {
    let mut stack = Stack::new("Bench");
    let env = stack.parameter(
        "Environment",
        Parameter::string()
            .allowed_values(["dev", "prod"])
            .default("dev"),
    );
    let prod = stack.condition("IsProd", equals(&env, "prod"));
    let mut previous: Option<nephos::ResourceRef> = None;
    for i in 0..500 {
        let mut queue = RawResource::new("AWS::SQS::Queue")
            .property(
                "QueueName",
                sub!("q-${env}-${n}", env = &env, n = i.to_string()),
            )
            .property(
                "VisibilityTimeout",
                fn_if::<nephos::kind::Int>(&prod, 120, 30),
            )
            .property("Tags", value!([{ "Key": "index", "Value": i.to_string() }]))
            // Each queue's dead-letter queue (the one before it) keeps messages longer,
            // as synth requires of a standard queue's.
            .property("MessageRetentionPeriod", 1_209_600 - i * 600);
        if let Some(p) = &previous {
            let arn: Value<Str> = p.get_att("Arn");
            queue = queue.property(
                "RedrivePolicy",
                value!({ "deadLetterTargetArn": arn, "maxReceiveCount": 5 }),
            );
        }
        previous = Some(stack.add(&format!("Queue{i}"), queue));
    }
    for i in 0..100 {
        stack.output(&format!("Out{i}"), Output::new(nephos::aws::region()));
    }
    stack
}

fn synth(c: &mut Criterion) {
    let stack = five_hundred();
    c.bench_function("synth 500 resources", |b| {
        b.iter(|| black_box(&stack).synth().map(|t| t.to_json_pretty().len()))
    });
    c.bench_function("build and synth 500 resources", |b| {
        b.iter(|| five_hundred().synth().map(|t| t.to_json_pretty().len()))
    });
}

criterion_group!(benches, synth);
criterion_main!(benches);
