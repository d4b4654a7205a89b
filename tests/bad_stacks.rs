//! A corpus of bad stack definitions: wrong wiring, limits, insecure settings, cycles.
//! Each fails to synthesize with an error naming the element at fault and the fix; none
//! panics.

use std::panic::{AssertUnwindSafe, catch_unwind};

use nephos::constructs::{
    Bucket, Code, Function, FunctionRef, Key, Queue, RestApi, Runtime, StreamTrigger, Table,
};
use nephos::kind::Str;
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{Mapping, Output, Parameter, RawResource, Stack, Value, and, aws, equals, not, sub};

fn queue() -> RawResource {
    RawResource::new("AWS::SQS::Queue")
}

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("pass")),
    )
}

type Case = (&'static str, fn() -> Stack, &'static str, &'static str);

/// (what is wrong, the stack, the logical ID the error must name, words of the message).
const CASES: &[Case] = &[
    (
        "logical ID with a hyphen",
        || {
            let mut s = Stack::new("App");
            s.add("my-queue", queue());
            s
        },
        "my-queue",
        "letters and digits only",
    ),
    (
        "logical ID used twice",
        || {
            let mut s = Stack::new("App");
            s.add("Jobs", queue());
            s.add("Jobs", queue());
            s
        },
        "Jobs",
        "is used twice",
    ),
    (
        "handle from another stack",
        || {
            let mut other = Stack::new("Other");
            let q = other.add("Elsewhere", queue());
            let mut s = Stack::new("App");
            s.add(
                "Here",
                queue().property(
                    "RedrivePolicy",
                    nephos::value!({ "deadLetterTargetArn": q.get_att::<Str>("Arn") }),
                ),
            );
            s
        },
        "Here",
        "of stack `Other`, but this is stack `App`",
    ),
    (
        "DependsOn a resource of another stack",
        || {
            let mut other = Stack::new("Other");
            let q = other.add("Elsewhere", queue());
            let mut s = Stack::new("App");
            let h = s.add("Here", queue());
            s.resource(&h).depends_on(&q);
            s
        },
        "Here",
        "DependsOn refers to resource `Elsewhere` of stack `Other`",
    ),
    (
        "dependency cycle through properties and DependsOn",
        || {
            let mut s = Stack::new("App");
            let a = s.add("A", queue());
            let b = s.add(
                "B",
                queue().property(
                    "QueueName",
                    sub!("${a}-b", a = a.get_att::<Str>("QueueName")),
                ),
            );
            s.resource(&a).depends_on(&b);
            s
        },
        "A",
        "dependency cycle: A -> B -> A",
    ),
    (
        "a resource depending on itself",
        || {
            let mut s = Stack::new("App");
            let a = s.add("A", queue());
            s.resource(&a).depends_on(&a);
            s
        },
        "A",
        "dependency cycle: A -> A",
    ),
    (
        "condition cycle",
        || {
            let mut s = Stack::new("App");
            let a = s.condition("A", equals(aws::region(), "x"));
            let b = s.condition("B", not(&a));
            s.condition("A", not(&b));
            s
        },
        "A",
        "condition cycle: A -> B -> A",
    ),
    (
        "condition reading a resource",
        || {
            let mut s = Stack::new("App");
            let q = s.add("Q", queue());
            s.condition("Bad", equals(q.ref_value::<Str>(), "x"));
            s
        },
        "Bad",
        "which a condition cannot read",
    ),
    (
        "Fn::And of one condition",
        || {
            let mut s = Stack::new("App");
            s.condition("One", and([equals("a", "b")]));
            s
        },
        "One",
        "it takes 2 to 10",
    ),
    (
        "rule without assertions",
        || {
            let mut s = Stack::new("App");
            s.rule("Empty", nephos::Rule::new());
            s
        },
        "Empty",
        "the rule has no assertion",
    ),
    (
        "501 resources",
        || {
            let mut s = Stack::new("App");
            for i in 0..501 {
                s.add(&format!("Q{i}"), queue());
            }
            s
        },
        "",
        "CloudFormation allows at most 500",
    ),
    (
        "201 outputs",
        || {
            let mut s = Stack::new("App");
            for i in 0..201 {
                s.output(&format!("O{i}"), Output::new(aws::region()));
            }
            s
        },
        "",
        "201 outputs",
    ),
    (
        "template over 1,000,000 bytes",
        || {
            let mut s = Stack::new("App");
            s.add(
                "Big",
                queue().property(
                    "Tags",
                    nephos::value!([{ "Key": "k", "Value": "x".repeat(1_000_001) }]),
                ),
            );
            s
        },
        "",
        "CloudFormation accepts at most 1000000",
    ),
    (
        "invalid export name",
        || {
            let mut s = Stack::new("App");
            s.output("Url", Output::new(aws::region()).export("has spaces"));
            s
        },
        "Url",
        "export name `has spaces` is not valid",
    ),
    (
        "duplicate export names",
        || {
            let mut s = Stack::new("App");
            s.output("A", Output::new(aws::region()).export("same"));
            s.output("B", Output::new(aws::region()).export("same"));
            s
        },
        "B",
        "is used by another output",
    ),
    (
        "Fn::Sub naming a logical ID as text",
        || {
            let mut s = Stack::new("App");
            s.add("Q", queue().property("QueueName", sub!("${MyBucket}-q")));
            s
        },
        "Q",
        "neither a pseudo parameter nor a variable",
    ),
    (
        "Fn::Sub variable never used",
        || {
            let mut s = Stack::new("App");
            s.add("Q", queue().property("QueueName", sub!("q", unused = "x")));
            s
        },
        "Q",
        "is never used",
    ),
    (
        "Fn::Length without the language extensions",
        || {
            let mut s = Stack::new("App");
            s.add(
                "Q",
                queue().property("DelaySeconds", nephos::length::<Str>(vec!["a"])),
            );
            s
        },
        "Q",
        "needs the AWS::LanguageExtensions transform",
    ),
    (
        "Fn::FindInMap on a missing key",
        || {
            let mut s = Stack::new("App");
            let m = s.mapping("Sizes", Mapping::new().entry("dev", "Memory", "128"));
            s.add(
                "Q",
                queue().property("QueueName", m.find::<Str>("prod", "Memory")),
            );
            s
        },
        "Q",
        "which mapping `Sizes` does not have",
    ),
    (
        "parameter default outside its allowed values",
        || {
            let mut s = Stack::new("App");
            s.parameter(
                "Env",
                Parameter::string().allowed_values(["dev"]).default("prod"),
            );
            s
        },
        "Env",
        "is not one of the AllowedValues",
    ),
    (
        "parameter bounds the wrong way round",
        || {
            let mut s = Stack::new("App");
            s.parameter("Size", Parameter::number().min_value(10.0).max_value(1.0));
            s
        },
        "Size",
        "MinValue 10 is greater than MaxValue 1",
    ),
    (
        "empty mapping",
        || {
            let mut s = Stack::new("App");
            s.mapping("Nothing", Mapping::new());
            s
        },
        "Nothing",
        "the mapping is empty",
    ),
    (
        "override below a computed value",
        || {
            let mut s = Stack::new("App");
            let q = s.add("Q", queue().property("QueueName", aws::stack_name()));
            s.resource(&q).override_property("QueueName.Inner", "x");
            s
        },
        "Q",
        "which is not an object",
    ),
    (
        "import of an output that is not exported",
        || {
            let mut a = Stack::new("A");
            let o = a.output("O", Output::new(aws::region()));
            let mut s = Stack::new("B");
            let v: Value<Str> = s.import(&o);
            s.add("Q", queue().property("QueueName", v));
            s
        },
        "Q",
        "which is not exported",
    ),
    (
        "stream mapping on a table without a stream",
        || {
            let mut s = Stack::new("App");
            let t = s.add("Users", Table::new(Key::string("id")));
            let f = function(&mut s, "Worker");
            t.stream_to(&mut s, &f, StreamTrigger::default());
            s
        },
        "Users",
        "has none",
    ),
    (
        "API route to a function of another stack",
        || {
            let mut other = Stack::new("Other");
            let f = function(&mut other, "Elsewhere");
            let mut s = Stack::new("App");
            let api = s.add("Api", RestApi::new("api"));
            api.route(&mut s, "GET", "/items", &f);
            s
        },
        "ApiItemsGet",
        "refers to resource `Elsewhere` of stack `Other`",
    ),
    (
        "DynamoDB key with two types",
        || {
            let mut s = Stack::new("App");
            s.add(
                "Users",
                Table::new(Key::string("id")).global_index(
                    "ById",
                    Key::number("id"),
                    None,
                    Default::default(),
                ),
            );
            s
        },
        "Users",
        "is used as S and as N",
    ),
    (
        "DynamoDB key without a definition",
        || {
            use nephos::dynamodb::table as l1;
            let mut s = Stack::new("App");
            s.add(
                "Orders",
                l1::Table::new(vec![l1::KeySchema::new("order_id", "HASH")])
                    .billing_mode(l1::BillingMode::PayPerRequest),
            );
            s
        },
        "Orders",
        "key attribute `order_id` has no attribute definition",
    ),
    (
        "role policy over 10,240 bytes",
        || {
            let mut s = Stack::new("App");
            let f = function(&mut s, "Api");
            // Tables known by literal ARNs: the policy's own text is over the limit
            // (a policy over it only by its computed values' estimate is a warning).
            for i in 0..120 {
                let t = Table::from_arn(&format!(
                    "arn:aws:dynamodb:us-east-1:123456789012:table/orders-{i}"
                ))
                .unwrap();
                t.grant_read(&mut s, &f);
                if i % 2 == 0 {
                    t.grant_write(&mut s, &f);
                }
            }
            s
        },
        "ApiRole",
        "IAM allows 10240",
    ),
    (
        "Lambda resource policy over 20,480 bytes",
        || {
            let mut s = Stack::new("App");
            let f = function(&mut s, "Api");
            for i in 0..80 {
                s.add(
                    &format!("P{i}"),
                    nephos::lambda::Permission::new(
                        "lambda:InvokeFunction",
                        f.arn(),
                        "sns.amazonaws.com",
                    )
                    .source_arn(
                        nephos::Value::<nephos::kind::AnyArn>::literal(format!(
                            "arn:aws:sns:us-east-1:123456789012:topic-with-a-long-name-number-{i}"
                        )),
                    ),
                );
            }
            s
        },
        "P0",
        "the 80 permissions on function `Api` come to about",
    ),
    (
        "Allow of Action *",
        || {
            let mut s = Stack::new("App");
            s.add(
                "Admin",
                nephos::iam::Role::new(trust()).add_policies(nephos::iam::role::Policy::new(
                    PolicyDocument::new().statement(Statement::allow().action("*").resource("*")),
                    "everything",
                )),
            );
            s
        },
        "Admin",
        "[NEPHOS-IAM-WILDCARD-ACTION]",
    ),
    (
        "write actions on Resource *",
        || {
            let mut s = Stack::new("App");
            s.add(
                "Writer",
                nephos::iam::Role::new(trust()).add_policies(nephos::iam::role::Policy::new(
                    PolicyDocument::new()
                        .statement(Statement::allow().action("s3:PutObject").resource("*")),
                    "writes",
                )),
            );
            s
        },
        "Writer",
        "[NEPHOS-IAM-WILDCARD-RESOURCE]",
    ),
    (
        "queue policy open to anyone",
        || {
            let mut s = Stack::new("App");
            let q = s.add("Jobs", Queue::new());
            s.add(
                "JobsPolicy",
                nephos::sqs::QueuePolicy::new(
                    PolicyDocument::new().statement(
                        Statement::allow()
                            .principal(Principal::any())
                            .action("sqs:SendMessage")
                            .resource(q.arn()),
                    ),
                    vec![q.url()],
                ),
            );
            s
        },
        "JobsPolicy",
        "[NEPHOS-PRINCIPAL-WILDCARD]",
    ),
    (
        "bucket without public access block",
        || {
            let mut s = Stack::new("App");
            s.add("Site", nephos::s3::Bucket::new());
            s
        },
        "Site",
        "[NEPHOS-BUCKET-PUBLIC]",
    ),
    (
        "S3 permission without SourceAccount",
        || {
            let mut s = Stack::new("App");
            let f = function(&mut s, "Api");
            s.add(
                "FromS3",
                nephos::lambda::Permission::new(
                    "lambda:InvokeFunction",
                    f.arn(),
                    "s3.amazonaws.com",
                )
                .source_arn(nephos::Value::<nephos::kind::AnyArn>::literal(
                    "arn:aws:s3:::b",
                )),
            );
            s
        },
        "FromS3",
        "[NEPHOS-LAMBDA-PERMISSION-UNSCOPED]",
    ),
    (
        "secret in an environment variable",
        || {
            let mut s = Stack::new("App");
            s.add(
                "Api",
                Function::new(Runtime::Python312, "i.h", Code::inline("x"))
                    .env("DB_PASSWORD", "hunter2"),
            );
            s
        },
        "Api",
        "[NEPHOS-SECRET-IN-ENVIRONMENT]",
    ),
    (
        "suppression without a reason",
        || {
            let mut s = Stack::new("App");
            let b = s.add("Site", Bucket::new().allow_public_access());
            s.resource(&b)
                .suppress(nephos::security::BUCKET_PUBLIC, " ");
            s
        },
        "Site",
        "has no reason",
    ),
    (
        "literal above a schema maximum",
        || {
            let mut s = Stack::new("App");
            s.add(
                "Big",
                Function::new(Runtime::Python312, "i.h", Code::inline("x")).memory(100_000),
            );
            s
        },
        "Big",
        "does not satisfy value at most 32768",
    ),
    (
        "bucket named after a resource",
        || {
            let mut s = Stack::new("App");
            let q = s.add("Q", queue());
            s.add("Files", Bucket::new().name(q.get_att::<Str>("QueueName")));
            s
        },
        "Files",
        "the bucket name refers to a resource",
    ),
    (
        "Fn::ToJsonString without the language extensions",
        || {
            let mut s = Stack::new("App");
            s.add(
                "Q",
                queue().property(
                    "QueueName",
                    nephos::to_json_string(serde_json::json!({"a": 1})),
                ),
            );
            s
        },
        "Q",
        "Fn::ToJsonString needs the AWS::LanguageExtensions transform",
    ),
];

fn trust() -> PolicyDocument {
    PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("lambda.amazonaws.com"))
            .action("sts:AssumeRole"),
    )
}

#[test]
fn every_bad_stack_fails_naming_the_element_and_the_fix() {
    assert!(CASES.len() >= 30, "the corpus has {} cases", CASES.len());
    let mut failures = Vec::new();
    for (what, build, id, words) in CASES {
        let outcome = catch_unwind(AssertUnwindSafe(|| build().synth()));
        let result = match outcome {
            Ok(r) => r,
            Err(_) => {
                failures.push(format!("{what}: panicked"));
                continue;
            }
        };
        let Err(err) = result else {
            failures.push(format!("{what}: synthesized without error"));
            continue;
        };
        let matching = err.errors().find(|d| {
            d.message.contains(words) && (id.is_empty() || d.location.id.as_deref() == Some(*id))
        });
        match matching {
            Some(d) if !d.fix.trim().is_empty() => {}
            Some(d) => failures.push(format!("{what}: no fix in {d}")),
            None => failures.push(format!(
                "{what}: no error on `{id}` saying `{words}`:\n{err}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
