//! Resources of services outside the default features, wired to each other and to the
//! default ones through their typed references: a function in a VPC (subnets and a
//! security group from the generated EC2 types; the group's `Ref` is its ID because it is
//! given a VPC, so `id()` goes where Lambda takes group IDs, in the L1 `VpcConfig` and in
//! the `Function` construct's `vpc`), a Cognito user pool and its client, and an
//! ACM certificate on an API Gateway domain name. The stack synthesizes with each reference
//! where it belongs, and cfn-lint accepts it. Run with
//! `--features ec2,cognito,certificatemanager`.
#![cfg(all(
    feature = "ec2",
    feature = "cognito",
    feature = "certificatemanager",
    feature = "lambda",
    feature = "iam",
    feature = "apigateway"
))]

use nephos::kind::Str;
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{Output, Param, Stack};
use serde_json::json;

mod roundtrip_support;

/// An execution role Lambda may assume, with no permissions yet.
fn function_role() -> nephos::iam::Role {
    nephos::iam::Role::new(
        PolicyDocument::new().statement(
            Statement::allow()
                .principal(Principal::service("lambda.amazonaws.com"))
                .action("sts:AssumeRole"),
        ),
    )
}

fn vpc_function_with_user_pool_and_certificate(stack: &mut Stack, _text: &Param<Str>) {
    let vpc = stack.add("Vpc", nephos::ec2::Vpc::new().cidr_block("10.0.0.0/16"));
    let subnet_a = stack.add(
        "SubnetA",
        nephos::ec2::Subnet::new(vpc.id()).cidr_block("10.0.0.0/24"),
    );
    let subnet_b = stack.add(
        "SubnetB",
        nephos::ec2::Subnet::new(vpc.id()).cidr_block("10.0.1.0/24"),
    );
    let group = stack.add(
        "FunctionSecurityGroup",
        nephos::ec2::SecurityGroup::new("function egress only").vpc_id(vpc.id()),
    );
    // A function in a VPC needs its role to create network interfaces (Lambda refuses to
    // create it otherwise): the AWS managed policy the `Function` construct attaches for
    // `.vpc(...)`, written here by hand for the L1 function.
    let role = stack.add(
        "FunctionRole",
        function_role().add_managed_policy_arns(
            nephos::sub(
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                [],
            )
            .cast(),
        ),
    );
    let function = stack.add(
        "Function",
        nephos::lambda::Function::new(
            nephos::lambda::function::Code::new()
                .zip_file("def handler(event, context):\n    return event\n"),
            role.arn(),
        )
        .runtime(nephos::lambda::function::Runtime::Python312)
        .handler("index.handler")
        .vpc_config(
            nephos::lambda::function::VpcConfig::new()
                .add_subnet_ids(subnet_a.id())
                .add_subnet_ids(subnet_b.id())
                .add_security_group_ids(group.id()),
        ),
    );
    let worker = stack.add(
        "Worker",
        nephos::constructs::Function::new(
            nephos::constructs::Runtime::Python312,
            "index.handler",
            nephos::constructs::Code::inline("def handler(event, context):\n    return event\n"),
        )
        .vpc(
            [subnet_a.id(), subnet_b.id()],
            [group.id(), group.group_id()],
        ),
    );
    let pool = stack.add("UserPool", nephos::cognito::UserPool::new());
    stack.add(
        "UserPoolClient",
        nephos::cognito::UserPoolClient::new(pool.id()),
    );
    let certificate = stack.add(
        "Certificate",
        nephos::certificatemanager::Certificate::new("api.example.com"),
    );
    stack.add(
        "DomainName",
        nephos::apigateway::DomainName::new()
            .domain_name("api.example.com")
            .certificate_arn(certificate.arn()),
    );
    stack.output("FunctionArn", Output::new(function.arn()));
    stack.output("UserPoolArn", Output::new(pool.arn()));
    stack.output("WorkerArn", Output::new(worker.arn()));
}

#[test]
fn typed_references_between_services_land_where_they_belong() {
    let mut stack = Stack::new("App");
    let text = stack.parameter("Text", nephos::Parameter::string());
    vpc_function_with_user_pool_and_certificate(&mut stack, &text);
    let template = stack.synth().expect("synthesizes");
    let resources = &template.json()["Resources"];
    assert_eq!(
        resources["Function"]["Properties"]["VpcConfig"],
        json!({
            "SecurityGroupIds": [{"Ref": "FunctionSecurityGroup"}],
            "SubnetIds": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}],
        })
    );
    assert_eq!(
        resources["Worker"]["Properties"]["VpcConfig"],
        json!({
            "SecurityGroupIds": [
                {"Ref": "FunctionSecurityGroup"},
                {"Fn::GetAtt": ["FunctionSecurityGroup", "GroupId"]}
            ],
            "SubnetIds": [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}],
        })
    );
    assert_eq!(
        resources["FunctionSecurityGroup"]["Properties"]["VpcId"],
        json!({"Ref": "Vpc"})
    );
    assert_eq!(
        resources["UserPoolClient"]["Properties"]["UserPoolId"],
        json!({"Ref": "UserPool"})
    );
    assert_eq!(
        resources["DomainName"]["Properties"]["CertificateArn"],
        json!({"Ref": "Certificate"})
    );
}

#[test]
fn a_function_in_a_vpc_with_a_user_pool_and_a_certificate_passes_cfn_lint() {
    roundtrip_support::run(&[(
        "Nephos::Proof::ServicesAcrossFeatures",
        vpc_function_with_user_pool_and_certificate,
    )]);
}

/// The same L1 function with a role that cannot create network interfaces: Lambda refuses
/// to create it, so synth does, naming the function, its role and the policy to add. The
/// role's managed policies being AWS managed ones by literal ARN and its inline policies
/// literal, synth sees everything it may do.
#[test]
fn an_l1_function_in_a_vpc_whose_role_cannot_create_network_interfaces_is_refused() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", nephos::ec2::Vpc::new().cidr_block("10.0.0.0/16"));
    let subnet = stack.add(
        "Subnet",
        nephos::ec2::Subnet::new(vpc.id()).cidr_block("10.0.0.0/24"),
    );
    let group = stack.add(
        "Group",
        nephos::ec2::SecurityGroup::new("function").vpc_id(vpc.id()),
    );
    let role = stack.add(
        "FunctionRole",
        function_role()
            .add_managed_policy_arns(
                nephos::sub(
                    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                    [],
                )
                .cast(),
            )
            .add_policies(nephos::iam::role::Policy::new(
                PolicyDocument::new().statement(
                    Statement::allow()
                        .action("ec2:DescribeNetworkInterfaces")
                        .resource("*"),
                ),
                "describe",
            )),
    );
    stack.add(
        "Function",
        nephos::lambda::Function::new(
            nephos::lambda::function::Code::new().zip_file("def handler(e, c):\n    return e\n"),
            role.arn(),
        )
        .runtime(nephos::lambda::function::Runtime::Python312)
        .handler("index.handler")
        .vpc_config(
            nephos::lambda::function::VpcConfig::new()
                .add_subnet_ids(subnet.id())
                .add_security_group_ids(group.id()),
        ),
    );
    let err = stack.synth().expect_err("the role lacks ENI permissions");
    let found: Vec<String> = err.errors().map(ToString::to_string).collect();
    assert!(
        found.iter().any(|d| d.contains("`Function`")
            && d.contains("VpcConfig")
            && d.contains("`FunctionRole` has no permission to create network interfaces")
            && d.contains("AWSLambdaVPCAccessExecutionRole")),
        "{found:#?}"
    );
}

/// Attributes that hold another resource's ID take that resource's kind (reviewed kind
/// corrections, atk13b F2): a VPC's default network ACL takes entries and a NAT gateway's
/// network interface is a route target, with no `.cast()`. An EIP association takes the
/// address's allocation ID (its `GetAtt AllocationId`).
#[test]
fn attributes_naming_other_resources_wire_without_a_cast() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", nephos::ec2::Vpc::new().cidr_block("10.0.0.0/16"));
    stack.add(
        "Deny",
        nephos::ec2::NetworkAclEntry::new(vpc.default_network_acl(), -1, "deny", 100)
            .cidr_block("0.0.0.0/0"),
    );
    let subnet = stack.add(
        "Subnet",
        nephos::ec2::Subnet::new(vpc.id()).cidr_block("10.0.0.0/24"),
    );
    let eip = stack.add("Eip", nephos::ec2::Eip::new().domain("vpc"));
    let nat = stack.add(
        "Nat",
        nephos::ec2::NatGateway::new()
            .subnet_id(subnet.id())
            .allocation_id(eip.allocation_id()),
    );
    let routes = stack.add("Routes", nephos::ec2::RouteTable::new(vpc.id()));
    stack.add(
        "ViaNatInterface",
        nephos::ec2::Route::new(routes.id())
            .destination_cidr_block("0.0.0.0/0")
            .network_interface_id(nat.eni_id()),
    );
    stack.add(
        "Assoc",
        nephos::ec2::EipAssociation::new()
            .allocation_id(eip.allocation_id())
            .network_interface_id(nat.eni_id()),
    );
    let template = stack.synth().expect("synthesizes");
    let resources = &template.json()["Resources"];
    assert_eq!(
        resources["Deny"]["Properties"]["NetworkAclId"],
        json!({"Fn::GetAtt": ["Vpc", "DefaultNetworkAcl"]})
    );
    assert_eq!(
        resources["ViaNatInterface"]["Properties"]["NetworkInterfaceId"],
        json!({"Fn::GetAtt": ["Nat", "EniId"]})
    );
    assert_eq!(
        resources["Assoc"]["Properties"]["AllocationId"],
        json!({"Fn::GetAtt": ["Eip", "AllocationId"]})
    );
}
