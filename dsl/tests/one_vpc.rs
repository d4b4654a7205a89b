//! Every subnet and security group a resource names is in one VPC
//! (dsl/src/synth/checks/one_vpc.rs): AWS refuses a function, a DB subnet group, a DB
//! instance or an EFS mount target whose subnets and groups are of two VPCs, or a group of
//! the default VPC with subnets of a VPC the stack creates. Facts only from the stack: a
//! literal ID against a VPC of the stack, a parameter, or an `Fn::If` is no finding.
#![cfg(all(feature = "ec2", feature = "rds"))]

use nephos::constructs::{Code, Function, Runtime};
use nephos::ec2::{SecurityGroup, SecurityGroupHandle, Subnet, SubnetHandle, Vpc, VpcHandle};
use nephos::kind::Str;
use nephos::kinds::Ec2VpcId;
use nephos::{Diagnostic, RawResource, Severity, Stack, Value};

mod lint_support;

fn errors(stack: &Stack) -> Vec<String> {
    let d: Vec<Diagnostic> = match stack.synth() {
        Ok(t) => t.warnings().to_vec(),
        Err(e) => e.diagnostics,
    };
    d.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

/// The errors of this check that name resource `id`.
fn vpc_errors(stack: &Stack, id: &str) -> Vec<String> {
    errors(stack)
        .into_iter()
        .filter(|e| e.contains(&format!("`{id}` (")) && e.contains("in one VPC"))
        .collect()
}

fn f() -> Function {
    Function::new(
        Runtime::Python312,
        "index.handler",
        Code::inline("def handler(e, c):\n    return e\n"),
    )
}

/// A VPC with subnets in two zones.
fn net(s: &mut Stack, p: &str, n: u8) -> (VpcHandle, SubnetHandle, SubnetHandle) {
    let vpc = s.add(
        &format!("{p}Vpc"),
        Vpc::new().cidr_block(format!("10.{n}.0.0/16")),
    );
    let a = s.add(
        &format!("{p}A"),
        Subnet::new(vpc.id())
            .cidr_block(format!("10.{n}.0.0/24"))
            .availability_zone("us-east-1a"),
    );
    let b = s.add(
        &format!("{p}B"),
        Subnet::new(vpc.id())
            .cidr_block(format!("10.{n}.1.0/24"))
            .availability_zone("us-east-1b"),
    );
    (vpc, a, b)
}

fn group(s: &mut Stack, id: &str, vpc: &VpcHandle) -> SecurityGroupHandle<nephos::ref_state::Set> {
    s.add(id, SecurityGroup::new("app").vpc_id(vpc.id()))
}

#[test]
fn a_function_with_a_group_of_another_vpc_is_refused_naming_both() {
    let mut s = Stack::new("CrossVpc");
    let (one, a, b) = net(&mut s, "One", 0);
    let (two, _, _) = net(&mut s, "Two", 1);
    let _ = group(&mut s, "Sg1", &one);
    let sg2 = group(&mut s, "Sg2", &two);
    s.add("Fn", f().vpc([a.id(), b.id()], [sg2.id()]));
    let e = vpc_errors(&s, "Fn");
    assert_eq!(e.len(), 1, "{e:?}");
    for part in [
        "subnet `OneA`",
        "VPC `OneVpc`",
        "security group `Sg2`",
        "VPC `TwoVpc`",
        "VpcConfig.SecurityGroupIds",
    ] {
        assert!(e[0].contains(part), "{part}: {e:?}");
    }
}

#[test]
fn subnets_of_two_vpcs_and_a_group_of_the_default_vpc_are_refused() {
    let mut s = Stack::new("CrossVpc");
    let (one, a, _) = net(&mut s, "One", 0);
    let (_, _, d) = net(&mut s, "Two", 1);
    let sg1 = group(&mut s, "Sg1", &one);
    let sgdef = s.add("SgDefault", SecurityGroup::new("default vpc"));
    s.add("Fn2", f().vpc([a.id(), d.id()], [sg1.id()]));
    s.add("Fn3", f().vpc([a.id()], [sgdef.group_id()]));
    let e = vpc_errors(&s, "Fn2");
    assert!(e.len() == 1 && e[0].contains("subnet `TwoB`"), "{e:?}");
    let e = vpc_errors(&s, "Fn3");
    assert!(
        e.len() == 1 && e[0].contains("the default VPC") && e[0].contains("`SgDefault`"),
        "{e:?}"
    );
}

#[test]
fn rds_subnet_groups_instances_and_mount_targets_of_two_vpcs_are_refused() {
    let mut s = Stack::new("CrossVpc");
    let (one, a, b) = net(&mut s, "One", 0);
    let (two, c, d) = net(&mut s, "Two", 1);
    let sg1 = group(&mut s, "Sg1", &one);
    let sg2 = group(&mut s, "Sg2", &two);
    // Subnets of two VPCs in one DB subnet group.
    let _ = s.add(
        "Mixed",
        nephos::rds::DbSubnetGroup::new("db", vec![a.id(), d.id()]),
    );
    // A DB instance with a group of another VPC than its subnet group's.
    let dbs = s.add(
        "Dbs",
        nephos::rds::DbSubnetGroup::new("db", vec![c.id(), d.id()]),
    );
    s.add(
        "Db",
        nephos::rds::DbInstance::new()
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage("20")
            .master_username("app")
            .manage_master_user_password(true)
            .db_subnet_group_name(dbs.name())
            .add_vpc_security_groups(sg1.id()),
    );
    // The same through an untyped property (DocumentDB's subnet group name is a plain
    // string): the subnet group is known by the resource its `Ref` names.
    let docdbs = s.add(
        "DocDbs",
        RawResource::new("AWS::DocDB::DBSubnetGroup")
            .property("DBSubnetGroupDescription", "docdb")
            .property("SubnetIds", vec![a.id(), b.id()]),
    );
    s.add(
        "DocDb",
        RawResource::new("AWS::DocDB::DBCluster")
            .property("DBSubnetGroupName", docdbs.ref_value::<Str>())
            .property("VpcSecurityGroupIds", vec![sg2.id()]),
    );
    // An EFS mount target whose group is of another VPC than its subnet.
    let fs = s.add("Fs", RawResource::new("AWS::EFS::FileSystem"));
    s.add(
        "Mt",
        RawResource::new("AWS::EFS::MountTarget")
            .property("FileSystemId", fs.ref_value::<Str>())
            .property("SubnetId", a.id())
            .property("SecurityGroups", vec![sg2.id()]),
    );
    // Consistent ones pass.
    s.add(
        "MtOk",
        RawResource::new("AWS::EFS::MountTarget")
            .property("FileSystemId", fs.ref_value::<Str>())
            .property("SubnetId", b.id())
            .property("SecurityGroups", vec![sg1.id()]),
    );
    let e = vpc_errors(&s, "Mixed");
    assert!(e.len() == 1 && e[0].contains("subnet `TwoB`"), "{e:?}");
    let e = vpc_errors(&s, "Db");
    assert!(
        e.len() == 1 && e[0].contains("subnet group `Dbs`") && e[0].contains("`Sg1`"),
        "{e:?}"
    );
    let e = vpc_errors(&s, "DocDb");
    assert!(
        e.len() == 1 && e[0].contains("subnet group `DocDbs`"),
        "{e:?}"
    );
    let e = vpc_errors(&s, "Mt");
    assert!(e.len() == 1 && e[0].contains("`Sg2`"), "{e:?}");
    assert!(vpc_errors(&s, "MtOk").is_empty());
}

#[test]
fn a_load_balancer_s_subnet_mappings_and_an_endpoint_s_own_vpc_are_one_network() {
    let mut s = Stack::new("CrossVpc");
    let (one, a, b) = net(&mut s, "One", 0);
    let (two, _, _) = net(&mut s, "Two", 1);
    let sg2 = group(&mut s, "Sg2", &two);
    let (a, b) = (a.id(), b.id());
    s.add(
        "Alb",
        RawResource::new("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .property(
                "SubnetMappings",
                nephos::value!([{ "SubnetId": &a }, { "SubnetId": &b }]),
            )
            .property("SecurityGroups", vec![sg2.id()]),
    );
    s.add(
        "Endpoint",
        RawResource::new("AWS::EC2::VPCEndpoint")
            .property("ServiceName", "com.amazonaws.us-east-1.s3")
            .property("VpcEndpointType", "Interface")
            .property("VpcId", one.id())
            .property("SubnetIds", vec![a])
            .property("SecurityGroupIds", vec![sg2.id()]),
    );
    assert_eq!(vpc_errors(&s, "Alb").len(), 1, "{:?}", errors(&s));
    assert_eq!(vpc_errors(&s, "Endpoint").len(), 1, "{:?}", errors(&s));
}

#[test]
fn unknowns_are_no_finding() {
    let mut s = Stack::new("Unknown");
    let (one, a, b) = net(&mut s, "One", 0);
    // A group of a literal VPC: the stack cannot tell whether it is `OneVpc` (an update
    // could paste its ID), nor whether the literal is the default VPC.
    let literal = s.add(
        "SgLiteral",
        SecurityGroup::new("literal").vpc_id(Value::<Ec2VpcId>::literal("vpc-0123456789abcdef0")),
    );
    let sgdef = s.add("SgDefault", SecurityGroup::new("default vpc"));
    let sub_literal = s.add(
        "LiteralSubnet",
        Subnet::new(Value::<Ec2VpcId>::literal("vpc-0123456789abcdef0"))
            .cidr_block("172.31.99.0/24"),
    );
    // A parameter VPC.
    let p = s.parameter("VpcParam", nephos::Parameter::string());
    let sg_param = s.add(
        "SgParam",
        SecurityGroup::new("param").vpc_id(p.value().cast::<Ec2VpcId>()),
    );
    let _ = one;
    s.add("F1", f().vpc([a.id(), b.id()], [literal.id()]));
    s.add("F2", f().vpc([sub_literal.id()], [sgdef.group_id()]));
    s.add("F3", f().vpc([a.id()], [sg_param.id()]));
    // Two groups of the default VPC with each other: one network.
    s.add(
        "F4",
        f().vpc(
            [Value::<nephos::kinds::Ec2SubnetId>::literal(
                "subnet-0123456789abcdef0",
            )],
            [sgdef.group_id(), sgdef.group_id()],
        ),
    );
    for id in ["F1", "F2", "F3", "F4"] {
        assert!(vpc_errors(&s, id).is_empty(), "{id}: {:?}", errors(&s));
    }
    // Two different literal VPCs are two networks.
    let other = s_group_literal(&mut s);
    s.add("F5", f().vpc([sub_literal.id()], [other]));
    assert_eq!(vpc_errors(&s, "F5").len(), 1, "{:?}", errors(&s));
}

fn s_group_literal(s: &mut Stack) -> Value<nephos::kinds::Ec2SecurityGroupId> {
    s.add(
        "SgOther",
        SecurityGroup::new("other").vpc_id(Value::<Ec2VpcId>::literal("vpc-0fedcba9876543210")),
    )
    .id()
}

/// A security group rule may name a group of a peered VPC: no finding.
#[test]
fn a_rule_naming_a_group_of_another_vpc_is_no_finding() {
    let mut s = Stack::new("Peers");
    let (one, _, _) = net(&mut s, "One", 0);
    let (two, _, _) = net(&mut s, "Two", 1);
    let sg1 = group(&mut s, "Sg1", &one);
    let sg2 = group(&mut s, "Sg2", &two);
    s.add(
        "Rule",
        RawResource::new("AWS::EC2::SecurityGroupIngress")
            .property("GroupId", sg1.id())
            .property("IpProtocol", "tcp")
            .property("FromPort", 443)
            .property("ToPort", 443)
            .property("SourceSecurityGroupId", sg2.id()),
    );
    assert!(vpc_errors(&s, "Rule").is_empty(), "{:?}", errors(&s));
}

/// A VPC's `DefaultSecurityGroup` (a `Fn::GetAtt`, typed a security group ID) is a group of
/// that VPC: with subnets of another VPC, Lambda and EC2 refuse it ("Security group ... and
/// subnet ... belong to different networks"). The same VPC's default group is no finding.
#[test]
fn a_default_security_group_of_another_vpc_is_refused() {
    let mut s = Stack::new("DefaultGroup");
    let (one, a, b) = net(&mut s, "One", 0);
    let (two, _, _) = net(&mut s, "Two", 1);
    s.add(
        "Fn",
        f().vpc([a.id(), b.id()], [two.default_security_group()]),
    );
    s.add(
        "Inst",
        nephos::ec2::Instance::new()
            .image_id(Value::<nephos::kinds::Ec2ImageId>::literal(
                "ami-0123456789abcdef0",
            ))
            .subnet_id(a.id())
            .security_group_ids(vec![two.default_security_group()]),
    );
    s.add("Same", f().vpc([a.id()], [one.default_security_group()]));
    let e = vpc_errors(&s, "Fn");
    assert_eq!(e.len(), 1, "{:?}", errors(&s));
    for part in [
        "subnet `OneA`",
        "VPC `OneVpc`",
        "security group `TwoVpc.DefaultSecurityGroup`",
        "VPC `TwoVpc`",
    ] {
        assert!(e[0].contains(part), "{part}: {}", e[0]);
    }
    assert_eq!(vpc_errors(&s, "Inst").len(), 1, "{:?}", errors(&s));
    assert!(vpc_errors(&s, "Same").is_empty(), "{:?}", errors(&s));
}

/// Another resource's VPC attribute (a network interface's `VpcId`, from its subnet) is
/// that resource's VPC: a group made with it is in VPC Two.
#[test]
fn a_vpc_id_attribute_of_another_resource_is_that_resource_s_vpc() {
    let mut s = Stack::new("AttrVpc");
    let (_, a, b) = net(&mut s, "One", 0);
    let (_, c, _) = net(&mut s, "Two", 1);
    let eni = s.add("Eni", nephos::ec2::NetworkInterface::new(c.id()));
    let sg = s.add("SgEni", SecurityGroup::new("eni").vpc_id(eni.vpc_id()));
    s.add("Fn", f().vpc([a.id(), b.id()], [sg.id()]));
    let e = vpc_errors(&s, "Fn");
    assert_eq!(e.len(), 1, "{:?}", errors(&s));
    assert!(
        e[0].contains("security group `SgEni`") && e[0].contains("VPC `TwoVpc`"),
        "{}",
        e[0]
    );
    // The same attribute with subnets of VPC Two: one network.
    s.add("Fn2", f().vpc([c.id()], [sg.id()]));
    assert!(vpc_errors(&s, "Fn2").is_empty(), "{:?}", errors(&s));
}

/// A load balancer in VPC One's subnets and a target group of VPC Two, joined by a listener
/// (default action, weighted forward config), a listener rule or an ECS service: ELB
/// refuses ("Target group ... is in a different VPC than load balancer"). Groups of the
/// load balancer's VPC are no finding.
#[test]
fn a_listener_joining_a_load_balancer_and_a_target_group_of_two_vpcs_is_refused() {
    let mut s = Stack::new("Joins");
    let (one, a, b) = net(&mut s, "One", 0);
    let (two, c, _) = net(&mut s, "Two", 1);
    let lb = s.add(
        "Lb",
        RawResource::new("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .property("Scheme", "internal")
            .property("Subnets", vec![a.id(), b.id()]),
    );
    let tg = |s: &mut Stack, id: &str, vpc: &VpcHandle| {
        s.add(
            id,
            RawResource::new("AWS::ElasticLoadBalancingV2::TargetGroup")
                .property("Port", 80)
                .property("Protocol", "HTTP")
                .property("TargetType", "ip")
                .property("VpcId", vpc.id()),
        )
    };
    let tg1 = tg(&mut s, "Tg1", &one);
    let tg2 = tg(&mut s, "Tg2", &two);
    let (lb_arn, tg1_arn, tg2_arn) = (
        lb.ref_value::<Str>(),
        tg1.ref_value::<Str>(),
        tg2.ref_value::<Str>(),
    );
    let listener = |default: nephos::Value<nephos::kind::Any>| {
        RawResource::new("AWS::ElasticLoadBalancingV2::Listener")
            .property("LoadBalancerArn", &lb_arn)
            .property("Port", 80)
            .property("Protocol", "HTTP")
            .property("DefaultActions", default)
    };
    s.add(
        "L",
        listener(nephos::value!([{ "Type": "forward", "TargetGroupArn": &tg2_arn }])),
    );
    s.add(
        "Weighted",
        listener(
            nephos::value!([{ "Type": "forward", "ForwardConfig": { "TargetGroups": [
            { "TargetGroupArn": &tg1_arn, "Weight": 1 },
            { "TargetGroupArn": &tg2_arn, "Weight": 1 }
        ] } }]),
        ),
    );
    let good = s.add(
        "Good",
        listener(nephos::value!([{ "Type": "forward", "TargetGroupArn": &tg1_arn }])),
    );
    let rule = |s: &mut Stack, id: &str, target: &Value<Str>| {
        s.add(
            id,
            RawResource::new("AWS::ElasticLoadBalancingV2::ListenerRule")
                .property("ListenerArn", good.ref_value::<Str>())
                .property("Priority", 1)
                .property(
                    "Conditions",
                    nephos::value!([{ "Field": "path-pattern", "Values": ["/x"] }]),
                )
                .property(
                    "Actions",
                    nephos::value!([{ "Type": "forward", "TargetGroupArn": target }]),
                ),
        )
    };
    rule(&mut s, "Rule", &tg2_arn);
    rule(&mut s, "GoodRule", &tg1_arn);
    let service = |s: &mut Stack, id: &str, subnet: &SubnetHandle| {
        s.add(
            id,
            RawResource::new("AWS::ECS::Service")
                .property("TaskDefinition", "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1")
                .property(
                    "NetworkConfiguration",
                    nephos::value!({ "AwsvpcConfiguration": { "Subnets": [subnet.id()] } }),
                )
                .property(
                    "LoadBalancers",
                    nephos::value!([{ "TargetGroupArn": &tg1_arn, "ContainerName": "app", "ContainerPort": 80 }]),
                ),
        )
    };
    service(&mut s, "Svc", &c);
    service(&mut s, "GoodSvc", &a);
    for id in ["L", "Weighted", "Rule", "Svc"] {
        let e = vpc_errors(&s, id);
        assert_eq!(e.len(), 1, "{id}: {:?}", errors(&s));
        assert!(
            e[0].contains("VPC `OneVpc`") && e[0].contains("VPC `TwoVpc`"),
            "{}",
            e[0]
        );
    }
    let e = vpc_errors(&s, "L");
    assert!(
        e[0].contains("`Lb` (AWS::ElasticLoadBalancingV2::LoadBalancer)")
            && e[0].contains("`Tg2` (AWS::ElasticLoadBalancingV2::TargetGroup)"),
        "{}",
        e[0]
    );
    // (Errors of other resources name `Good` too: only its own count.)
    for id in ["Good", "GoodRule", "GoodSvc"] {
        let own = format!("resource `{id}` ");
        assert!(
            !vpc_errors(&s, id).iter().any(|e| e.contains(&own)),
            "{id}: {:?}",
            errors(&s)
        );
    }
}

/// A DB proxy's subnets (`VpcSubnetIds`, a plain string list the registry gives no format:
/// now subnet IDs by the generator's ID-name rule) and groups, as `DbProxy::new` takes them.
fn proxy(
    subnets: Vec<Value<nephos::kinds::Ec2SubnetId>>,
    groups: Vec<Value<nephos::kinds::Ec2SecurityGroupId>>,
) -> nephos::rds::DbProxy {
    nephos::rds::DbProxy::new(
        "app-proxy",
        nephos::rds::db_proxy::EngineFamily::Postgresql,
        Value::<nephos::kinds::IamRoleArn>::literal("arn:aws:iam::123456789012:role/proxy"),
        subnets,
    )
    .vpc_security_group_ids(groups)
}

/// atk13d F1: the proxy's subnets were untyped, so the check saw only its group and
/// passed a proxy with subnets of VPC One and a group of VPC Two, which RDS refuses.
#[test]
fn a_db_proxy_with_subnets_of_one_vpc_and_a_group_of_another_is_refused() {
    let mut s = Stack::new("CrossVpc");
    let (one, a, b) = net(&mut s, "One", 0);
    let (two, _, _) = net(&mut s, "Two", 1);
    let _ = group(&mut s, "Sg1", &one);
    let sg2 = group(&mut s, "Sg2", &two);
    s.add("Proxy", proxy(vec![a.id(), b.id()], vec![sg2.id()]));
    let e = vpc_errors(&s, "Proxy");
    assert_eq!(e.len(), 1, "{e:?}");
    for part in [
        "subnet `OneA`",
        "VpcSubnetIds",
        "security group `Sg2`",
        "VPC `TwoVpc`",
        "VpcSecurityGroupIds",
    ] {
        assert!(e[0].contains(part), "{part}: {e:?}");
    }
    // Subnets of two VPCs in one proxy endpoint, no group at all.
    let mut s = Stack::new("CrossVpcEndpoint");
    let (_, a, _) = net(&mut s, "One", 0);
    let (_, c, _) = net(&mut s, "Two", 1);
    s.add(
        "Endpoint",
        nephos::rds::DbProxyEndpoint::new(
            "reader",
            Value::<nephos::kinds::RdsDbProxyName>::literal("app-proxy"),
            vec![a.id(), c.id()],
        ),
    );
    let e = vpc_errors(&s, "Endpoint");
    assert!(
        e.len() == 1 && e[0].contains("subnet `OneA`") && e[0].contains("subnet `TwoA`"),
        "{e:?}"
    );
}

/// The same wiring with subnets and groups of one VPC: no finding, and cfn-lint clean.
#[test]
fn a_db_proxy_and_its_endpoint_in_one_vpc_pass_and_lint_clean() {
    let mut s = Stack::new("OneVpcProxy");
    let (one, a, b) = net(&mut s, "One", 0);
    let sg1 = group(&mut s, "Sg1", &one);
    let p = s.add("Proxy", proxy(vec![a.id(), b.id()], vec![sg1.id()]));
    s.add(
        "Endpoint",
        nephos::rds::DbProxyEndpoint::new("reader", p.name(), vec![a.id(), b.id()])
            .vpc_security_group_ids(vec![sg1.id()]),
    );
    assert!(errors(&s).is_empty(), "{:?}", errors(&s));
    // `net` pins its subnets' zones (W3010 warns of that); every other finding counts.
    let found: Vec<String> = lint_support::findings(&[&s])
        .into_iter()
        .filter(|f| !(f.contains(" W3010 ") && f.contains("AvailabilityZone")))
        .collect();
    assert!(found.is_empty(), "cfn-lint:\n{}", found.join("\n"));
}
