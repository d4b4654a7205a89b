//! The alarm checks of the metrics' `alarm` construct hold for the generated
//! `cloudwatch::Alarm` (issue 13, atk13c F: dsl/src/synth/checks/alarms.rs, one error per
//! mistake), and a Lambda function mounting an EFS access point needs a VPC and
//! `DependsOn` the file system's mount targets (atk13c G: synth/checks/lambda_file_systems.rs,
//! required_depends_on.rs). The EFS resources are raw here (the root package does not
//! enable `efs`): synth reads the template's types either way.

use nephos::cloudwatch::alarm::{ComparisonOperator, Statistic};
use nephos::constructs::metrics::AlarmOptions;
use nephos::constructs::{Code, Function, Runtime};
use nephos::kinds::{Ec2SecurityGroupId, Ec2SubnetId, EfsAccessPointArn};
use nephos::lambda::function::FileSystemConfig;
use nephos::{Diagnostic, RawResource, ResourceRef, Stack, Value};

fn errors(stack: &Stack) -> Vec<Diagnostic> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().cloned().collect(),
    }
}

fn one_error(stack: &Stack) -> String {
    let e = errors(stack);
    assert_eq!(e.len(), 1, "{e:#?}");
    e[0].to_string()
}

fn alarm() -> nephos::cloudwatch::Alarm {
    nephos::cloudwatch::Alarm::new()
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .threshold(1.0)
        .metric_name("Errors")
        .namespace("AWS/Lambda")
        .statistic(Statistic::Sum)
}

#[test]
fn put_metric_alarm_rules_on_the_generated_alarm() {
    for (a, expected) in [
        (
            alarm()
                .evaluation_periods(2)
                .datapoints_to_alarm(5)
                .period(60),
            "give 1 to 2",
        ),
        (alarm().evaluation_periods(1).period(90), "multiple of 60"),
        // Below 1: the schema's minimum, one error.
        (alarm().evaluation_periods(0).period(60), "at least 1"),
        (alarm().evaluation_periods(289).period(300), "86400"),
        (
            alarm()
                .evaluation_periods(1)
                .period(60)
                .comparison_operator(ComparisonOperator::LessThanLowerThreshold),
            "anomaly",
        ),
    ] {
        let mut stack = Stack::new("App");
        stack.add("A", a);
        let e = one_error(&stack);
        assert!(e.contains("`A`") && e.contains(expected), "{expected}: {e}");
    }
    let mut stack = Stack::new("App");
    stack.add(
        "A",
        alarm()
            .evaluation_periods(288)
            .datapoints_to_alarm(288)
            .period(300),
    );
    assert!(errors(&stack).is_empty(), "{:#?}", errors(&stack));
}

#[test]
fn the_alarm_construct_gets_one_error() {
    let mut stack = Stack::new("App");
    let f = stack.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    f.metric_errors().alarm(
        &mut stack,
        "Bad",
        AlarmOptions {
            datapoints_to_alarm: Some(3),
            ..AlarmOptions::above(1.0)
        },
    );
    let e = one_error(&stack);
    assert!(
        e.contains("`Bad`") && e.contains("DatapointsToAlarm"),
        "{e}"
    );
}

/// A VPC's subnets and group, an EFS file system with two mount targets and an access
/// point (raw resources).
type Network = (
    Vec<Value<Ec2SubnetId>>,
    Value<Ec2SecurityGroupId>,
    Value<EfsAccessPointArn>,
    Vec<ResourceRef>,
);

fn network(stack: &mut Stack) -> Network {
    let subnets: Vec<Value<Ec2SubnetId>> = ["SubnetA", "SubnetB"]
        .iter()
        .map(|id| {
            let s: ResourceRef = stack.add(
                id,
                RawResource::new("AWS::EC2::Subnet")
                    .property("VpcId", "vpc-0123456789abcdef0")
                    .property("CidrBlock", "10.0.0.0/24"),
            );
            s.ref_value()
        })
        .collect();
    let sg: ResourceRef = stack.add(
        "Sg",
        RawResource::new("AWS::EC2::SecurityGroup").property("GroupDescription", "nfs"),
    );
    let fs: ResourceRef = stack.add("Fs", RawResource::new("AWS::EFS::FileSystem"));
    let mut mts = Vec::new();
    for (id, subnet) in [("MtA", &subnets[0]), ("MtB", &subnets[1])] {
        let mt: ResourceRef = stack.add(
            id,
            RawResource::new("AWS::EFS::MountTarget")
                .property("FileSystemId", fs.ref_value::<nephos::kind::Str>())
                .property("SubnetId", subnet.clone().cast::<nephos::kind::Str>())
                .property(
                    "SecurityGroups",
                    vec![sg.get_att::<nephos::kind::Str>("GroupId")],
                ),
        );
        mts.push(mt);
    }
    let ap: ResourceRef = stack.add(
        "Ap",
        RawResource::new("AWS::EFS::AccessPoint")
            .property("FileSystemId", fs.ref_value::<nephos::kind::Str>()),
    );
    (subnets, sg.get_att("GroupId"), ap.get_att("Arn"), mts)
}

#[test]
fn a_function_mounting_efs_waits_for_the_mount_targets_and_needs_a_vpc() {
    // The construct in the VPC, mounting the access point: DependsOn both mount targets.
    let mut stack = Stack::new("App");
    let (subnets, sg, ap, mts) = network(&mut stack);
    let arn = ap.clone();
    let f = stack.add(
        "Fn",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
            .vpc(subnets.clone(), [sg.clone()])
            .configure(move |l1| {
                l1.add_file_system_configs(FileSystemConfig::new(arn.clone(), "/mnt/data"))
            }),
    );
    let e = one_error(&stack);
    assert!(
        e.contains("`Fn`") && e.contains("`MtA` and `MtB`") && e.contains("DependsOn: [MtA, MtB]"),
        "{e}"
    );
    // Waiting for one is not enough; for both, synth passes.
    stack.resource(&f).depends_on(&mts[0]);
    let e = one_error(&stack);
    assert!(e.contains("(`MtB`)") && e.contains("DependsOn: MtB"), "{e}");
    stack.resource(&f).depends_on(&mts[1]);
    assert!(errors(&stack).is_empty(), "{:#?}", errors(&stack));

    // Outside a VPC: refused (with the mount targets waited for).
    let mut stack = Stack::new("App");
    let (_, _, ap, mts) = network(&mut stack);
    let arn = ap.clone();
    let f = stack.add(
        "Fn",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")).configure(
            move |l1| l1.add_file_system_configs(FileSystemConfig::new(arn.clone(), "/mnt/data")),
        ),
    );
    for mt in &mts {
        stack.resource(&f).depends_on(mt);
    }
    let e = one_error(&stack);
    assert!(e.contains("`Fn`") && e.contains("no VPC"), "{e}");
}
