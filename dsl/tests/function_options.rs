//! Function options: X-Ray tracing, ephemeral storage, SnapStart, asynchronous invoke
//! configuration with destinations (their grants, dependencies and synth errors).

use std::time::Duration;

use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::grants::Target;
use nephos::constructs::{
    Code, Destination, EventInvokeConfig, Function, FunctionRef, Queue, Runtime, Topic, Tracing,
};
use serde_json::{Value as J, json};

mod lint_support;

fn lambda(runtime: Runtime) -> Function {
    Function::new(
        runtime,
        "index.handler",
        Code::inline("def handler(e, c): pass"),
    )
}

fn add(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(id, lambda(Runtime::Python312))
}

fn synth(stack: &Stack) -> J {
    let t = Assertions::from_stack(stack);
    t.assert_no_cycles();
    t.json().clone()
}

fn statements(t: &J, role: &str) -> J {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

fn errors(stack: &Stack) -> Vec<String> {
    stack
        .synth()
        .expect_err("errors expected")
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn active_tracing_sets_the_mode_and_the_xray_managed_policy() {
    let mut stack = Stack::new("App");
    stack.add("Api", lambda(Runtime::Python312).tracing(Tracing::Active));
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Api"]["Properties"]["TracingConfig"],
        json!({"Mode": "Active"})
    );
    assert_eq!(
        t["Resources"]["ApiRole"]["Properties"]["ManagedPolicyArns"],
        json!([
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"}
        ])
    );
}

#[test]
fn pass_through_tracing_adds_no_policy() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        lambda(Runtime::Python312).tracing(Tracing::PassThrough),
    );
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Api"]["Properties"]["TracingConfig"]["Mode"],
        "PassThrough"
    );
    assert!(
        !t["Resources"]["ApiRole"]["Properties"]["ManagedPolicyArns"]
            .to_string()
            .contains("XRay")
    );
}

#[test]
fn tracing_changed_by_configure_is_refused() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        lambda(Runtime::Python312)
            .tracing(Tracing::Active)
            .configure(|l1| l1.set_tracing_config(None::<nephos::lambda::function::TracingConfig>)),
    );
    let e = errors(&stack).join("\n");
    assert!(e.contains("TracingConfig") && e.contains("tracing"), "{e}");
}

#[test]
fn tracing_with_a_given_role_warns_to_attach_the_policy() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        lambda(Runtime::Python312)
            .role(nephos::Value::<nephos::kinds::IamRoleArn>::literal(
                "arn:aws:iam::123456789012:role/existing",
            ))
            .tracing(Tracing::Active),
    );
    let t = stack.synth().expect("a warning only");
    let warnings: Vec<String> = t.warnings().iter().map(|d| d.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("AWSXRayDaemonWriteAccess")),
        "{warnings:?}"
    );
}

#[test]
fn ephemeral_storage_within_the_quota_is_written() {
    let mut stack = Stack::new("App");
    stack.add("Api", lambda(Runtime::Python312).ephemeral_storage_mb(2048));
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Api"]["Properties"]["EphemeralStorage"],
        json!({"Size": 2048})
    );
}

#[test]
fn ephemeral_storage_outside_the_quota_is_a_synth_error() {
    for mb in [256, 10_241, 32_768] {
        let mut stack = Stack::new("App");
        stack.add("Api", lambda(Runtime::Python312).ephemeral_storage_mb(mb));
        let e = errors(&stack).join("\n");
        assert!(
            e.contains("Api") && e.contains("EphemeralStorage") && e.contains("512 to 10240"),
            "{mb}: {e}"
        );
    }
}

#[test]
fn snap_start_on_a_supported_runtime() {
    for runtime in [Runtime::Java21, Runtime::Python312, Runtime::Dotnet8] {
        let mut stack = Stack::new("App");
        stack.add("Api", lambda(runtime).snap_start());
        let t = synth(&stack);
        assert_eq!(
            t["Resources"]["Api"]["Properties"]["SnapStart"],
            json!({"ApplyOn": "PublishedVersions"})
        );
    }
}

#[test]
fn snap_start_on_an_unsupported_runtime_is_a_synth_error() {
    for runtime in [
        Runtime::Nodejs22X,
        Runtime::Python311,
        Runtime::Java8Al2,
        Runtime::ProvidedAl2023,
    ] {
        let mut stack = Stack::new("App");
        stack.add("Api", lambda(runtime).snap_start());
        let e = errors(&stack).join("\n");
        assert!(
            e.contains("not one SnapStart supports") && e.contains("SnapStart"),
            "{e}"
        );
    }
}

#[test]
fn snap_start_set_through_configure_is_checked_too() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        lambda(Runtime::Nodejs20X).configure(|l1| {
            l1.snap_start(nephos::lambda::function::SnapStart::new(
                nephos::lambda::function::ApplyOn::PublishedVersions,
            ))
        }),
    );
    assert!(errors(&stack).join("\n").contains("nodejs20.x"));
}

#[test]
fn snap_start_with_large_ephemeral_storage_is_a_synth_error() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        lambda(Runtime::Java21)
            .snap_start()
            .ephemeral_storage_mb(1024),
    );
    let e = errors(&stack).join("\n");
    assert!(e.contains("1024 MB is above the 512 MB"), "{e}");
}

#[test]
fn async_invoke_writes_the_config_grants_destinations_and_waits_for_the_role() {
    let mut stack = Stack::new("App");
    let ok = stack.add("Done", Topic::new());
    let failed = stack.add("Failed", Queue::new());
    stack.add(
        "Worker",
        lambda(Runtime::Python312).async_invoke(
            EventInvokeConfig::new()
                .max_event_age(Duration::from_secs(3600))
                .retry_attempts(0)
                .on_success(Destination::Topic(ok.grant_target()))
                .on_failure(Destination::Queue(failed.grant_target())),
        ),
    );
    let a = Assertions::from_stack(&stack);
    a.assert_no_cycles();
    let t = a.json();
    let c = &t["Resources"]["WorkerEventInvokeConfig"];
    assert_eq!(c["Type"], "AWS::Lambda::EventInvokeConfig");
    assert_eq!(
        c["Properties"],
        json!({
            "DestinationConfig": {
                "OnFailure": {"Destination": {"Fn::GetAtt": ["Failed", "Arn"]}},
                "OnSuccess": {"Destination": {"Ref": "Done"}}
            },
            "FunctionName": {"Ref": "Worker"},
            "MaximumEventAgeInSeconds": 3600,
            "MaximumRetryAttempts": 0,
            "Qualifier": "$LATEST"
        })
    );
    assert!(
        a.dependencies_of("WorkerEventInvokeConfig")
            .contains(&"WorkerRole".to_string())
    );
    let s = statements(t, "WorkerRole").to_string();
    assert!(
        s.contains("sqs:SendMessage") && s.contains("sns:Publish"),
        "{s}"
    );
}

#[test]
fn async_invoke_to_a_function_or_bus_grants_invoke_or_put_events() {
    let mut stack = Stack::new("App");
    let next = add(&mut stack, "Next");
    stack.add(
        "Worker",
        lambda(Runtime::Python312).async_invoke(
            EventInvokeConfig::new()
                .on_success(Destination::Function(next.grant_target()))
                .on_failure(Destination::EventBus(Target::by_arn(
                    "event bus",
                    "arn:aws:events:eu-west-1:123456789012:event-bus/default",
                ))),
        ),
    );
    let t = synth(&stack);
    let s = statements(&t, "WorkerRole");
    let text = s.to_string();
    assert!(text.contains("lambda:InvokeFunction"), "{text}");
    assert!(
        text.contains("events:PutEvents")
            && text.contains("arn:aws:events:eu-west-1:123456789012:event-bus/default"),
        "{text}"
    );
    // No destination means no DestinationConfig and no grant.
    let mut stack = Stack::new("App");
    stack.add(
        "Worker",
        lambda(Runtime::Python312).async_invoke(EventInvokeConfig::new().retry_attempts(1)),
    );
    let t = synth(&stack);
    assert!(
        t["Resources"]["WorkerEventInvokeConfig"]["Properties"]
            .get("DestinationConfig")
            .is_none()
    );
    assert!(
        t["Resources"]["WorkerRole"]["Properties"]
            .get("Policies")
            .is_none()
    );
}

#[test]
fn async_invoke_ranges_come_from_the_schema() {
    for (config, what) in [
        (
            EventInvokeConfig::new().max_event_age(Duration::from_secs(59)),
            "MaximumEventAgeInSeconds",
        ),
        (
            EventInvokeConfig::new().max_event_age(Duration::from_secs(21_601)),
            "MaximumEventAgeInSeconds",
        ),
        (
            EventInvokeConfig::new().max_event_age(Duration::from_millis(60_500)),
            "whole number of seconds",
        ),
        (
            EventInvokeConfig::new().retry_attempts(3),
            "MaximumRetryAttempts",
        ),
    ] {
        let mut stack = Stack::new("App");
        stack.add("Worker", lambda(Runtime::Python312).async_invoke(config));
        let e = errors(&stack).join("\n");
        assert!(
            e.contains("WorkerEventInvokeConfig") && e.contains(what),
            "{what}: {e}"
        );
    }
}

/// A runtime Lambda no longer creates functions on passes the schema's `Runtime` enum, which
/// keeps every runtime Lambda ever had; synth refuses it by cfn-lint's lifecycle dates
/// (`dsl/data/lambda-runtime-lifecycle.json`), naming the function, the dates and the
/// successor. `python2.7` and `nodejs14.x` were blocked in 2021 and 2024, so this holds on
/// any later day.
#[test]
fn a_runtime_past_its_end_of_life_is_a_synth_error() {
    for (runtime, name, successor) in [
        (Runtime::Python27, "python2.7", "python3.14"),
        (Runtime::Nodejs14X, "nodejs14.x", "nodejs24.x"),
    ] {
        let mut stack = Stack::new("App");
        stack.add("Api", lambda(runtime));
        let e = errors(&stack).join("\n");
        assert!(
            e.contains("`Api`")
                && e.contains("Runtime")
                && e.contains(&format!("runtime `{name}` reached its end of life"))
                && e.contains(successor),
            "{e}"
        );
    }
    // The same through the L1 type, where the construct's checks do not run.
    let mut stack = Stack::new("App");
    let role = nephos::Value::literal("arn:aws:iam::123456789012:role/app");
    stack.add(
        "Raw",
        nephos::lambda::Function::new(
            nephos::lambda::function::Code::new().zip_file("def handler(e, c): pass"),
            role,
        )
        .runtime(Runtime::Python27)
        .handler("index.handler"),
    );
    assert!(errors(&stack).join("\n").contains("runtime `python2.7`"));
}

/// A function in the VPC of `List<AWS::EC2::Subnet::Id>` and
/// `List<AWS::EC2::SecurityGroup::Id>` parameters, or of a comma-joined import split
/// (atk13c I): `vpc_lists` takes list values as the generated `VpcConfig` does, the
/// created role still gets the VPC access policy, and cfn-lint finds nothing.
#[test]
fn a_function_in_the_vpc_of_list_parameters_gets_its_vpc_access_policy() {
    use nephos::Parameter;
    use nephos::kind::{List, Str};
    use nephos::kinds::{Ec2SecurityGroupId, Ec2SubnetId};
    let mut stack = Stack::new("ListVpc");
    let subnets = stack.parameter("Subnets", Parameter::<List<Ec2SubnetId>>::aws_list());
    let groups = stack.parameter(
        "SecurityGroups",
        Parameter::<List<Ec2SecurityGroupId>>::aws_list(),
    );
    stack.add(
        "Worker",
        lambda(Runtime::Python312).vpc_lists(&subnets, &groups),
    );
    stack.add(
        "Imported",
        lambda(Runtime::Python312).vpc_lists(
            nephos::split_as::<Ec2SubnetId>(",", nephos::import_value::<Str>("network-subnets")),
            groups.value(),
        ),
    );
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["Worker"]["Properties"]["VpcConfig"],
        json!({"SubnetIds": {"Ref": "Subnets"}, "SecurityGroupIds": {"Ref": "SecurityGroups"}})
    );
    assert_eq!(
        t["Resources"]["Imported"]["Properties"]["VpcConfig"]["SubnetIds"],
        json!({"Fn::Split": [",", {"Fn::ImportValue": "network-subnets"}]})
    );
    for role in ["WorkerRole", "ImportedRole"] {
        let managed = t["Resources"][role]["Properties"]["ManagedPolicyArns"].to_string();
        assert!(
            managed.contains("service-role/AWSLambdaVPCAccessExecutionRole"),
            "{role}: {managed}"
        );
    }
    let found = lint_support::findings(&[&stack]);
    assert!(found.is_empty(), "cfn-lint:\n{}", found.join("\n"));
}
