//! Every synth-time validation error, with its message asserted.

use nephos::kind::{Any, Int, Str};
use nephos::{
    Check, Constraint, Diagnostic, IntoValue, Mapping, Output, Parameter, Props, RawResource,
    Resource, ResourceRef, Rule, Severity, Stack, Value, and, aws, equals, fn_if, not, sub, value,
};

/// The rendered diagnostics of a stack that must fail.
fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(_) => panic!(
            "stack `{}` synthesized, but errors were expected",
            stack.name()
        ),
        Err(e) => e.diagnostics.iter().map(Diagnostic::to_string).collect(),
    }
}

fn has(errors: &[String], expected: &str) {
    assert!(
        errors.iter().any(|e| e == expected),
        "expected diagnostic:\n{expected}\n\ngot:\n{}",
        errors.join("\n---\n")
    );
}

fn queue() -> RawResource {
    RawResource::new("AWS::SQS::Queue")
}

#[test]
fn invalid_logical_ids() {
    let mut stack = Stack::new("App");
    stack.add("my-queue", queue());
    stack.add("", queue());
    stack.add(&"Q".repeat(256), queue());
    let e = errors(&stack);
    has(
        &e,
        "error: resource `my-queue`: logical ID `my-queue` contains `-`; logical IDs are letters and digits only (A-Z, a-z, 0-9): use `myqueue`\n  fix: rename it; logical IDs are the names CloudFormation tracks resources by",
    );
    has(
        &e,
        "error: resource ``: a logical ID cannot be empty; give it a name such as `UsersTable`\n  fix: rename it; logical IDs are the names CloudFormation tracks resources by",
    );
    assert!(
        e.iter()
            .any(|m| m.contains("is 256 characters; CloudFormation allows at most 255"))
    );
}

#[test]
fn duplicate_logical_ids_across_parameters_and_resources() {
    let mut stack = Stack::new("App");
    stack.parameter("Jobs", Parameter::string());
    stack.add("Jobs", queue());
    has(
        &errors(&stack),
        "error: resource `Jobs`: logical ID `Jobs` is used twice among the parameters and resources (first by parameter `Jobs`)\n  fix: give each one its own logical ID",
    );
}

#[test]
fn handle_from_another_stack_names_both_stacks() {
    let mut network = Stack::new("Network");
    let vpc = network.add("Vpc", RawResource::new("AWS::EC2::VPC"));
    let mut api = Stack::new("Api");
    api.add(
        "Sg",
        RawResource::new("AWS::EC2::SecurityGroup").property("VpcId", vpc.ref_value::<Str>()),
    );
    has(
        &errors(&api),
        "error: resource `Sg` property `VpcId`: Ref refers to resource `Vpc` of stack `Network`, but this is stack `Api`\n  fix: export the value from stack `Network` with an output (`.export(\"name\")`) and use `api.import(&output)` in stack `Api`",
    );
}

#[test]
fn foreign_handles_in_depends_on_options_and_conditions() {
    let mut a = Stack::new("A");
    let qa = a.add("Qa", queue());
    let ca = a.condition("OnlyA", equals(aws::region(), "x"));
    let mut b = Stack::new("B");
    let qb = b.add(
        "Qb",
        queue().property("DelaySeconds", fn_if::<Int>(&ca, 1, 2)),
    );
    b.resource(&qb).depends_on(&qa).condition(&ca);
    b.resource(&qa).retain();
    let e = errors(&b);
    has(
        &e,
        "error: resource `Qb`: DependsOn refers to resource `Qa` of stack `A`, but this is stack `B`\n  fix: export the value from stack `A` with an output (`.export(\"name\")`) and use `b.import(&output)` in stack `B`",
    );
    has(
        &e,
        "error: resource `Qb` property `DelaySeconds`: Fn::If refers to condition `OnlyA` of stack `A`, but this is stack `B`\n  fix: declare the condition in stack `B` as well",
    );
    has(
        &e,
        "error: resource `Qb`: Condition refers to condition `OnlyA` of stack `A`, but this is stack `B`\n  fix: declare the condition in stack `B` as well",
    );
    has(
        &e,
        "error: resource `Qa`: options were set on resource `Qa` of stack `A` through stack `B`, which does not hold it\n  fix: call `resource(...)` on stack `A`",
    );
}

#[test]
fn dependency_cycle_is_printed_with_the_property_of_each_edge() {
    let mut stack = Stack::new("App");
    let a = stack.add("A", queue());
    let b = stack.add(
        "B",
        queue().property(
            "RedrivePolicy",
            nephos::value!({ "deadLetterTargetArn": a.get_att::<Str>("Arn") }),
        ),
    );
    let c = stack.add(
        "C",
        queue().property(
            "QueueName",
            sub!("${b}-c", b = b.get_att::<Str>("QueueName")),
        ),
    );
    stack.resource(&a).depends_on(&c);
    has(
        &errors(&stack),
        "error: resource `A`: dependency cycle: A -> C -> B -> A\n    A -> C: DependsOn\n    C -> B: property `QueueName` (Fn::GetAtt QueueName)\n    B -> A: property `RedrivePolicy.deadLetterTargetArn` (Fn::GetAtt Arn)\n  fix: break one edge of the cycle: build a value from a name you choose instead of a reference, or drop a DependsOn",
    );
}

#[test]
fn self_dependency_is_a_cycle() {
    let mut stack = Stack::new("App");
    let a = stack.add("A", queue());
    stack.resource(&a).depends_on(&a);
    assert!(errors(&stack).iter().any(|e| {
        e.starts_with("error: resource `A`: dependency cycle: A -> A\n    A -> A: DependsOn")
    }));
}

#[test]
fn condition_cycle_and_conditions_reading_resources() {
    let mut stack = Stack::new("App");
    let a = stack.condition("A", equals(aws::region(), "x"));
    let b = stack.condition("B", not(&a));
    stack.condition("A", not(&b));
    let q = stack.add("Q", queue());
    stack.condition("Bad", equals(q.ref_value::<Str>(), "x"));
    let e = errors(&stack);
    has(
        &e,
        "error: condition `A`: condition cycle: A -> B -> A\n    A -> B: Condition\n    B -> A: Condition\n  fix: make one condition stop referring to the next",
    );
    has(
        &e,
        "error: condition `A`: logical ID `A` is used twice among the conditions (first by condition `A`)\n  fix: give each one its own logical ID",
    );
    has(
        &e,
        "error: condition `Bad`: Ref refers to resource `Q`, which a condition cannot read\n  fix: conditions can only read parameters, mappings and pseudo parameters",
    );
}

#[test]
fn and_or_take_two_to_ten_conditions() {
    let mut stack = Stack::new("App");
    stack.condition("One", and([equals("a", "a")]));
    has(
        &errors(&stack),
        "error: condition `One`: Fn::And has 1 conditions; it takes 2 to 10\n  fix: nest the conditions in groups of at most 10, or use the condition directly",
    );
}

#[test]
fn rules_read_only_parameters_and_need_assertions() {
    let mut stack = Stack::new("App");
    let q = stack.add("Q", queue());
    stack.rule("Empty", Rule::new());
    stack.rule(
        "ReadsQueue",
        Rule::new().assert(equals(q.ref_value::<Str>(), "x"), "no"),
    );
    let e = errors(&stack);
    has(
        &e,
        "error: rule `Empty`: the rule has no assertion\n  fix: add one with `.assert(condition, \"message\")`",
    );
    has(
        &e,
        "error: rule `ReadsQueue`: Ref refers to resource `Q`, which a rule cannot read\n  fix: rules can only read parameters",
    );
}

#[test]
fn limits_on_counts() {
    let mut stack = Stack::new("App");
    for i in 0..501 {
        stack.add(&format!("Q{i}"), queue());
    }
    for i in 0..201 {
        stack.parameter(&format!("P{i}"), Parameter::string());
        stack.output(&format!("O{i}"), Output::new(aws::region()));
        stack.mapping(&format!("M{i}"), Mapping::new().entry("a", "b", "c"));
    }
    let e = errors(&stack);
    has(
        &e,
        "error: stack: the template has 501 resources; CloudFormation allows at most 500\n  fix: split the stack into several stacks of at most 500 resources, joined by exports and imports",
    );
    has(
        &e,
        "error: stack: the template has 201 parameters; CloudFormation allows at most 200\n  fix: split the stack into several stacks of at most 200 parameters, joined by exports and imports",
    );
    has(
        &e,
        "error: stack: the template has 201 outputs; CloudFormation allows at most 200\n  fix: split the stack into several stacks of at most 200 outputs, joined by exports and imports",
    );
    has(
        &e,
        "error: stack: the template has 201 mappings; CloudFormation allows at most 200\n  fix: split the stack into several stacks of at most 200 mappings, joined by exports and imports",
    );
}

#[test]
fn eighty_percent_of_a_limit_warns() {
    let mut stack = Stack::new("App");
    for i in 0..400 {
        stack.add(&format!("Q{i}"), queue());
    }
    let t = stack.synth().unwrap();
    let warnings: Vec<String> = t.warnings().iter().map(Diagnostic::to_string).collect();
    assert!(warnings.contains(&"warning: stack: the template has 400 resources, 80% of CloudFormation's limit of 500\n  fix: plan to split the stack before it reaches the limit".to_string()), "{warnings:?}");
}

#[test]
fn template_size_limits() {
    let mut big = Stack::new("Big");
    big.add(
        "Q",
        queue().property(
            "Tags",
            nephos::value!([{ "Key": "k", "Value": "x".repeat(60_000) }]),
        ),
    );
    let t = big.synth().unwrap();
    assert!(t.warnings().iter().any(|w| {
        w.severity == Severity::Warning
            && w.message
                .contains("over the 51200 bytes CloudFormation accepts inline")
    }));
    let mut huge = Stack::new("Huge");
    huge.add(
        "Q",
        queue().property(
            "Tags",
            nephos::value!([{ "Key": "k", "Value": "x".repeat(1_000_001) }]),
        ),
    );
    assert!(errors(&huge).iter().any(|e| e.contains(
        "CloudFormation accepts at most 1000000\n  fix: split the stack into several stacks"
    )));
}

#[test]
fn export_names() {
    let mut stack = Stack::new("App");
    stack.output("A", Output::new(aws::region()).export("bad name!"));
    stack.output("B", Output::new(aws::region()).export("same"));
    stack.output("C", Output::new(aws::region()).export("same"));
    let e = errors(&stack);
    has(
        &e,
        "error: output `A`: export name `bad name!` is not valid\n  fix: use 1 to 255 letters, digits, `-` and `:`",
    );
    has(
        &e,
        "error: output `C`: export name `same` is used by another output of this stack\n  fix: export names are unique per account and region: give each output its own",
    );
}

#[test]
fn sub_placeholders_are_checked() {
    let mut stack = Stack::new("App");
    stack.add("A", queue().property("QueueName", sub!("${MyBucket}-x")));
    stack.add("B", queue().property("QueueName", sub!("${oops")));
    stack.add(
        "C",
        queue().property("QueueName", sub!("plain", unused = "x")),
    );
    let e = errors(&stack);
    has(
        &e,
        "error: resource `A` property `QueueName`: Fn::Sub string `${MyBucket}-x` refers to `${MyBucket}`, which is neither a pseudo parameter nor a variable\n  fix: pass it as a variable: sub!(\"...\", MyBucket = handle.value())",
    );
    has(
        &e,
        "error: resource `B` property `QueueName`: Fn::Sub string `${oops` has a `${` without its closing `}`\n  fix: close the placeholder with `}`, or write `${!` for a literal `${`",
    );
    has(
        &e,
        "error: resource `C` property `QueueName`: Fn::Sub variable `unused` is never used in `plain`\n  fix: remove the variable or add `${unused}` to the string",
    );
}

#[test]
fn language_extensions_are_required() {
    let mut stack = Stack::new("App");
    let m = stack.mapping("M", Mapping::new().entry("a", "b", "c"));
    stack.add(
        "A",
        queue().property("DelaySeconds", nephos::length::<Str>(vec!["a"])),
    );
    stack.add(
        "B",
        queue().property("QueueName", m.find_or::<Str>("x", "y", "z")),
    );
    let e = errors(&stack);
    has(
        &e,
        "error: resource `A` property `DelaySeconds`: Fn::Length needs the AWS::LanguageExtensions transform\n  fix: add `stack.transform(Transform::LanguageExtensions)`",
    );
    has(
        &e,
        "error: resource `B` property `QueueName`: Fn::FindInMap with a default value needs the AWS::LanguageExtensions transform\n  fix: add `stack.transform(Transform::LanguageExtensions)`",
    );
}

#[test]
fn find_in_map_keys_are_checked_when_literal() {
    let mut stack = Stack::new("App");
    let m = stack.mapping("Sizes", Mapping::new().entry("dev", "Mem", "128"));
    stack.add(
        "A",
        queue().property("QueueName", m.find::<Str>("prod", "Mem")),
    );
    has(
        &errors(&stack),
        "error: resource `A` property `QueueName`: Fn::FindInMap looks up `prod` / `Mem`, which mapping `Sizes` does not have\n  fix: add the entry to the mapping, or use `find_or` with a default value",
    );
}

#[test]
fn parameter_constraints_are_consistent() {
    let mut stack = Stack::new("App");
    stack.parameter(
        "Env",
        Parameter::string().allowed_values(["dev"]).default("prod"),
    );
    stack.parameter("Len", Parameter::string().min_length(5).max_length(2));
    stack.parameter("Num", Parameter::number().min_value(10.0).max_value(1.0));
    stack.parameter(
        "Pat",
        Parameter::string().allowed_pattern("[a-z]+").default("ABC"),
    );
    // A typed AWS-specific parameter has no string constraints at all (a compile error);
    // the availability zone, a plain string, still reaches the synth check.
    stack.parameter(
        "Zone",
        Parameter::availability_zone().allowed_pattern("us-.*"),
    );
    let e = errors(&stack);
    has(
        &e,
        "error: parameter `Env`: the default `prod` is not one of the AllowedValues\n  fix: change the default or the constraint",
    );
    has(
        &e,
        "error: parameter `Len`: MinLength 5 is greater than MaxLength 2\n  fix: swap or correct the bounds",
    );
    has(
        &e,
        "error: parameter `Num`: MinValue 10 is greater than MaxValue 1\n  fix: swap or correct the bounds",
    );
    has(
        &e,
        "error: parameter `Pat`: the default `ABC` does not match AllowedPattern `[a-z]+`\n  fix: change the default or the constraint",
    );
    has(
        &e,
        "error: parameter `Zone`: AllowedPattern, MinLength and MaxLength do not apply to type AWS::EC2::AvailabilityZone::Name\n  fix: remove them; CloudFormation checks AWS-specific values itself",
    );
}

#[test]
fn no_echo_with_default_warns() {
    let mut stack = Stack::new("App");
    stack.parameter("Secret", Parameter::string().no_echo().default("hunter2"));
    let t = stack.synth().unwrap();
    assert_eq!(
        t.warnings()[0].to_string(),
        "warning: parameter `Secret`: NoEcho hides the value, but the default is written in the template for anyone to read\n  fix: remove the default and pass the value at deploy, or read it from Secrets Manager"
    );
}

#[test]
fn mappings_must_have_entries_and_simple_keys() {
    let mut stack = Stack::new("App");
    stack.mapping("Empty", Mapping::new());
    stack.mapping("Keys", Mapping::new().entry("us east", "b", "c"));
    let e = errors(&stack);
    has(
        &e,
        "error: mapping `Empty`: the mapping is empty\n  fix: add an entry or remove the mapping",
    );
    has(
        &e,
        "error: mapping `Keys`: key `us east` has characters a mapping key cannot have\n  fix: use letters, digits, `-`, `.` and `_`",
    );
}

#[test]
fn overrides_need_object_parents() {
    let mut stack = Stack::new("App");
    let q = stack.add(
        "Q",
        queue()
            .property("QueueName", aws::stack_name())
            .property("Tags", nephos::value!([{ "Key": "a" }])),
    );
    stack
        .resource(&q)
        .override_property("QueueName.Inner", "x")
        .override_property("Tags.3.Key", "k")
        .override_property("Tags.first.Key", "k");
    let e = errors(&stack);
    has(
        &e,
        "error: resource `Q` property `QueueName.Inner`: the parent of `Inner` is Ref, which is not an object\n  fix: override a path whose parents are objects, lists (by index) or not yet set",
    );
    has(
        &e,
        "error: resource `Q` property `Tags.3.Key`: index 3 is past the end of a list of 1\n  fix: override a path whose parents are objects, lists (by index) or not yet set",
    );
    has(
        &e,
        "error: resource `Q` property `Tags.first.Key`: `first` is not an index into the list there\n  fix: override a path whose parents are objects, lists (by index) or not yet set",
    );
}

#[test]
fn overrides_set_and_remove_properties() {
    let mut stack = Stack::new("App");
    let q = stack.add(
        "Q",
        queue()
            .property("Tags", nephos::value!([{ "Key": "a", "Value": "b" }]))
            .property("DelaySeconds", 5),
    );
    stack
        .resource(&q)
        .override_property("Tags.0.Value", "c")
        .override_property("RedrivePolicy.maxReceiveCount", 3)
        .remove_property("DelaySeconds");
    let t = stack.synth().unwrap();
    assert_eq!(
        t.json()["Resources"]["Q"]["Properties"],
        serde_json::json!({"RedrivePolicy": {"maxReceiveCount": 3}, "Tags": [{"Key": "a", "Value": "c"}]})
    );
}

#[test]
fn resource_type_names_and_policies_are_checked() {
    let mut stack = Stack::new("App");
    let q = stack.add("Q", RawResource::new("SQS Queue"));
    stack
        .resource(&q)
        .update_policy(serde_json::json!({"AutoScalingRollingUpdat": {}}));
    let e = errors(&stack);
    has(
        &e,
        "error: resource `Q`: type `SQS Queue` is not a CloudFormation type name\n  fix: write it as `Service::Group::Type`, such as `AWS::SQS::Queue`, or `Custom::Name`",
    );
    assert!(e.iter().any(|m| m.starts_with(
        "error: resource `Q`: UpdatePolicy has unknown key `AutoScalingRollingUpdat`"
    )));
}

#[test]
fn imports_need_a_literal_export_from_another_stack() {
    let mut a = Stack::new("A");
    let plain = a.output("Plain", Output::new(aws::region()));
    let computed = a.output(
        "Computed",
        Output::new(aws::region()).export(sub!("${AWS::StackName}-x")),
    );
    let own = a.output("Own", Output::new(aws::region()).export("own"));
    let mut b = Stack::new("B");
    let v1: Value<Str> = b.import(&plain);
    let v2: Value<Str> = b.import(&computed);
    b.add(
        "Q",
        queue()
            .property("QueueName", v1)
            .property("RedrivePolicy", v2),
    );
    let _ = a.import(&own);
    has(
        &errors(&b),
        "error: resource `Q` property `QueueName`: imports output `Plain` of stack `A`, which is not exported\n  fix: add `.export(\"A-Plain\")` to the output",
    );
    has(
        &errors(&b),
        "error: resource `Q` property `RedrivePolicy`: imports output `Computed` of stack `A`, whose export name is computed; Fn::ImportValue would compute it in stack `B`\n  fix: give the output a literal export name, such as `.export(\"users-table-name\")`",
    );
    has(
        &errors(&a),
        "error: output `Own`: stack `A` imports its own output `Own`\n  fix: use the output's value directly instead of importing it",
    );
}

#[test]
fn stack_name_and_description() {
    let mut stack = Stack::new("9 lives");
    stack.description("d".repeat(1025));
    let e = errors(&stack);
    has(
        &e,
        "error: stack: stack name `9 lives` is not a valid CloudFormation stack name\n  fix: start with a letter and use only letters, digits and hyphens, at most 128 characters",
    );
    has(
        &e,
        "error: stack: the description is 1025 bytes; CloudFormation allows 1024\n  fix: shorten the description",
    );
}

#[test]
fn no_value_only_in_properties() {
    let mut stack = Stack::new("App");
    stack.output("O", Output::new(Value::<Str>::no_value()));
    has(
        &errors(&stack),
        "error: output `O`: AWS::NoValue is only meaningful in resource properties\n  fix: use a real value here",
    );
}

/// A resource type with schema constraints, as the generated types declare them.
struct Named(Value<Str>, Option<Value<Int>>);
impl Resource for Named {
    type Handle = ResourceRef;
    fn type_name(&self) -> &str {
        "AWS::SQS::Queue"
    }
    fn into_props(self) -> Props {
        let mut p = Props::new();
        p.set::<Str>("QueueName", self.0);
        p.set_opt::<Int>("DelaySeconds", self.1);
        p
    }
    fn constraints(&self) -> &'static [Constraint] {
        &[
            Constraint {
                path: "QueueName",
                check: Check::MaxLength(8),
            },
            Constraint {
                path: "QueueName",
                check: Check::Pattern("^[a-z-]+$"),
            },
            Constraint {
                path: "DelaySeconds",
                check: Check::Maximum(900.0),
            },
        ]
    }
}

#[test]
fn literal_constraints_fail_and_computed_values_are_deferred() {
    let mut stack = Stack::new("App");
    stack.add("Long", Named("much-too-long".into(), Some(901.into())));
    stack.add("Caps", Named("ABC".into(), None));
    let e = errors(&stack);
    has(
        &e,
        "error: resource `Long` property `QueueName`: \"much-too-long\" does not satisfy length at most 8\n  fix: change the value to one with length at most 8",
    );
    has(
        &e,
        "error: resource `Long` property `DelaySeconds`: 901 does not satisfy value at most 900\n  fix: change the value to one with value at most 900",
    );
    has(
        &e,
        "error: resource `Caps` property `QueueName`: \"ABC\" does not satisfy matching `^[a-z-]+$`\n  fix: change the value to one with matching `^[a-z-]+$`",
    );

    let mut ok = Stack::new("Ok");
    ok.add("Computed", Named(aws::stack_name(), Some(5.into())));
    let t = ok.synth().unwrap();
    let deferred: Vec<String> = t.deferred().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        deferred,
        [
            "resource `Computed` property `QueueName`: length at most 8 computed by Ref is checked at deploy",
            "resource `Computed` property `QueueName`: matching `^[a-z-]+$` computed by Ref is checked at deploy",
        ]
    );
}

#[test]
fn all_errors_are_reported_at_once() {
    let mut stack = Stack::new("App");
    stack.add("bad-id", queue());
    stack.add("Q", queue().property("QueueName", sub!("${Nope}")));
    stack.mapping("Empty", Mapping::new());
    let err = stack.synth().unwrap_err();
    assert_eq!(err.errors().count(), 3);
    assert!(err.to_string().starts_with("stack `App` has 3 errors:\n"));
}

#[test]
fn overrides_reach_into_json_literals_and_refuse_empty_segments() {
    // A property given as a `json!` document is opened like any other value.
    let mut stack = Stack::new("App");
    let q = stack.add(
        "Q",
        queue().property(
            "RedrivePolicy",
            serde_json::json!({"maxReceiveCount": 3, "deadLetterTargetArn": "arn:aws:sqs:us-east-1:111111111111:dlq"}),
        ),
    );
    stack
        .resource(&q)
        .override_property("RedrivePolicy.maxReceiveCount", 5);
    let t = stack.synth().unwrap();
    assert_eq!(
        t.json()["Resources"]["Q"]["Properties"]["RedrivePolicy"]["maxReceiveCount"],
        serde_json::json!(5)
    );
    // An empty segment names no property.
    for path in ["", ".", "..", "Tags..Key", "Tags."] {
        let mut stack = Stack::new("App");
        let q = stack.add("Q", queue());
        stack.resource(&q).override_property(path, "x");
        let e = errors(&stack);
        let want = format!("the override path `{path}` has an empty segment");
        assert!(e.iter().any(|d| d.contains(&want)), "{path}: {e:?}");
    }
}

/// A resource whose `Rules` list holds objects with a `Name`, constrained per item.
struct Listed(Value<Any>);

impl Resource for Listed {
    type Handle = ResourceRef;
    fn type_name(&self) -> &str {
        "AWS::SQS::Queue"
    }
    fn into_props(self) -> Props {
        let mut p = Props::new();
        p.set::<Any>("Rules", self.0);
        p
    }
    fn constraints(&self) -> &'static [Constraint] {
        &[Constraint {
            path: "Rules/*/Name",
            check: Check::MaxLength(4),
        }]
    }
}

#[test]
fn literal_constraints_reach_into_lists_built_or_given_as_json() {
    let mut stack = Stack::new("App");
    // A plain JSON literal (read in place) and a built value tree: the same paths.
    stack.add(
        "Json",
        Listed(serde_json::json!([{ "Name": "ok" }, { "Name": "much-too-long" }]).into_value()),
    );
    stack.add(
        "Built",
        Listed(
            value!([{ "Name": "ok" }, { "Name": aws::stack_name() }, { "Name": "way-too-long" }]),
        ),
    );
    let e = errors(&stack);
    has(
        &e,
        "error: resource `Json` property `Rules.1.Name`: \"much-too-long\" does not satisfy length at most 4\n  fix: change the value to one with length at most 4",
    );
    has(
        &e,
        "error: resource `Built` property `Rules.2.Name`: \"way-too-long\" does not satisfy length at most 4\n  fix: change the value to one with length at most 4",
    );
    assert_eq!(
        e.iter().filter(|d| d.contains("does not satisfy")).count(),
        2,
        "{e:?}"
    );
}

/// The schemas' patterns with lookahead or Unicode property classes are checked too (the
/// engine once skipped them): Lambda refuses an alias named only by digits, and an SQS
/// queue's tag value takes letters, digits, spaces and `_.:/=+-@` only.
#[test]
fn lookahead_and_unicode_class_patterns_refuse_a_literal_the_service_refuses() {
    use nephos::kinds::{LambdaFunctionName, LambdaVersionVersion};
    let alias = |name: &str| {
        nephos::lambda::Alias::new(
            Value::<LambdaFunctionName>::literal("orders"),
            Value::<LambdaVersionVersion>::literal("1"),
            name,
        )
    };
    let mut stack = Stack::new("App");
    stack.add("Digits", alias("42"));
    stack.add(
        "Tagged",
        nephos::sqs::Queue::new().add_tags(nephos::sqs::queue::Tag::new("team", "a#b")),
    );
    let e = errors(&stack);
    has(
        &e,
        "error: resource `Digits` property `Name`: \"42\" does not satisfy matching `^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$`\n  fix: change the value to one with matching `^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$`",
    );
    has(
        &e,
        "error: resource `Tagged` property `Tags.0.Value`: \"a#b\" does not satisfy matching `^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`\n  fix: change the value to one with matching `^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`",
    );

    let mut ok = Stack::new("Ok");
    ok.add("Live", alias("live"));
    ok.add(
        "Tagged",
        nephos::sqs::Queue::new().add_tags(nephos::sqs::queue::Tag::new("team", "équipe 7")),
    );
    ok.synth()
        .expect("a name with a letter and a Unicode tag value pass");
}

#[test]
fn a_route_added_through_a_stack_that_does_not_hold_the_api_is_refused() {
    use nephos::constructs::{Code, Function, RestApi, Runtime};
    let mut a = Stack::new("A");
    let api = a.add("Api", RestApi::new("orders"));
    let mut b = Stack::new("B");
    let f = b.add(
        "Handler",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    api.route(&mut b, "GET", "/orders", &f);
    has(
        &errors(&b),
        "error: resource `Api`: a route was added to API `Api` through stack `B`, which does not hold it\n  fix: add the route on stack `A`",
    );
}
