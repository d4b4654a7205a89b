//! The same-name rule (`nephos_codegen::same_name`) and the attribute corrections of atk13b
//! over the whole bundle: untyped properties take the kind the same property (name and
//! shape) is typed with elsewhere, except where the rule's guards or the reviewed
//! exclusions say the name means something else; attributes that hold another resource's
//! value take that resource's kind. Prints every inferred property (`--nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nephos_codegen::model::{ResourceModel, Ty};
use nephos_codegen::{build_all_inferred, same_name, schemas};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn build() -> (BTreeMap<String, ResourceModel>, same_name::Inference) {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    build_all_inferred(&schemas, &extras).expect("builds")
}

/// The type of the field `prop` of `owner` (`""`: the resource, else the nested type's
/// schema name) of type `t`.
fn field(models: &BTreeMap<String, ResourceModel>, t: &str, owner: &str, prop: &str) -> Ty {
    let m = &models[t];
    let top = m.fields.iter().map(|f| ("", f));
    let nested = m
        .structs
        .iter()
        .flat_map(|s| s.fields.iter().map(move |f| (s.schema_name.as_str(), f)));
    top.chain(nested)
        .find(|(o, f)| *o == owner && f.name == prop)
        .map(|(_, f)| f.ty.clone())
        .unwrap_or_else(|| panic!("{t}: no {owner}.{prop}"))
}

fn attribute(models: &BTreeMap<String, ResourceModel>, t: &str, name: &str) -> Ty {
    models[t]
        .attributes
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.ty.clone())
        .unwrap_or_else(|| panic!("{t}: no attribute {name}"))
}

fn kind(k: &str) -> Ty {
    Ty::Kind(k.to_string())
}

fn list(k: &str) -> Ty {
    Ty::List(Box::new(kind(k)))
}

#[test]
fn untyped_properties_take_the_kind_their_name_has_elsewhere() {
    let (models, inference) = build();
    for i in &inference.inferred {
        println!("{} {} {}", i.type_name, i.key, i.format);
    }
    println!(
        "{} properties typed by the same-name rule",
        inference.inferred.len()
    );
    // atk13b F1: each of these was a plain string (a VPC ID compiled as a subnet, a pool's
    // ARN as its ID), typed the same way elsewhere.
    for (t, owner, prop, ty) in [
        (
            "AWS::DocDB::DBSubnetGroup",
            "",
            "SubnetIds",
            list("Ec2SubnetId"),
        ),
        (
            "AWS::Neptune::DBSubnetGroup",
            "",
            "SubnetIds",
            list("Ec2SubnetId"),
        ),
        (
            "AWS::DAX::SubnetGroup",
            "",
            "SubnetIds",
            list("Ec2SubnetId"),
        ),
        (
            "AWS::DMS::ReplicationSubnetGroup",
            "",
            "SubnetIds",
            list("Ec2SubnetId"),
        ),
        (
            "AWS::Pipes::Pipe",
            "AwsVpcConfiguration",
            "Subnets",
            list("Ec2SubnetId"),
        ),
        (
            "AWS::Cognito::UserPoolIdentityProvider",
            "",
            "UserPoolId",
            kind("CognitoUserPoolId"),
        ),
        (
            "AWS::Cognito::ManagedLoginBranding",
            "",
            "UserPoolId",
            kind("CognitoUserPoolId"),
        ),
        (
            "AWS::AppSync::Api",
            "CognitoConfig",
            "UserPoolId",
            kind("CognitoUserPoolId"),
        ),
        (
            "AWS::ECS::TaskSet",
            "LoadBalancer",
            "TargetGroupArn",
            kind("ElasticLoadBalancingV2TargetGroupArn"),
        ),
        (
            "AWS::EC2::VPNGatewayRoutePropagation",
            "",
            "VpnGatewayId",
            kind("Ec2VpnGatewayId"),
        ),
        (
            "AWS::BackupGateway::Hypervisor",
            "",
            "LogGroupArn",
            kind("LogsLogGroupArn"),
        ),
        (
            "AWS::Glue::Connection",
            "AuthenticationConfiguration",
            "SecretArn",
            kind("SecretsManagerSecretArn"),
        ),
        // Lex's `CloudWatchLogGroupArn` takes the log group kind (kind_corrections.json), so
        // DataSync's untyped one (pattern `...:log-group:name(:\*)?$`) takes it too.
        (
            "AWS::DataSync::Task",
            "",
            "CloudWatchLogGroupArn",
            kind("LogsLogGroupArn"),
        ),
    ] {
        assert_eq!(field(&models, t, owner, prop), ty, "{t} {owner}.{prop}");
    }
    // Guards: DocDB's `DBSubnetGroupName` is DocDB's own subnet group (rule 3), Pipes'
    // `SecurityGroups` is typed two ways elsewhere (rule 1), and the reviewed exclusions.
    for (t, owner, prop, ty) in [
        ("AWS::DocDB::DBCluster", "", "DBSubnetGroupName", Ty::Str),
        (
            "AWS::Pipes::Pipe",
            "AwsVpcConfiguration",
            "SecurityGroups",
            Ty::List(Box::new(Ty::Str)),
        ),
        ("AWS::SQS::QueueInlinePolicy", "", "Queue", Ty::Str),
        (
            "AWS::IoT::TopicRule",
            "TimestreamAction",
            "TableName",
            Ty::Str,
        ),
        ("AWS::CodeCommit::Repository", "Code", "BranchName", Ty::Str),
        ("AWS::DynamoDB::GlobalTable", "", "TableName", Ty::Str),
    ] {
        assert_eq!(field(&models, t, owner, prop), ty, "{t} {owner}.{prop}");
    }
    // How many the rule types today: a schema refresh that changes it is reviewed.
    assert_eq!(inference.inferred.len(), 236);
}

#[test]
fn attributes_that_hold_another_resource_s_value_take_its_kind() {
    let (models, _) = build();
    for (t, name, ty) in [
        (
            "AWS::EC2::VPC",
            "DefaultNetworkAcl",
            kind("Ec2NetworkAclId"),
        ),
        (
            "AWS::EC2::NatGateway",
            "EniId",
            kind("Ec2NetworkInterfaceId"),
        ),
        (
            "AWS::EC2::RouteServerEndpoint",
            "EniId",
            kind("Ec2NetworkInterfaceId"),
        ),
        (
            "AWS::WorkSpaces::Directory",
            "WorkspaceSecurityGroupId",
            kind("Ec2SecurityGroupId"),
        ),
        (
            "AWS::Events::Connection",
            "SecretArn",
            kind("SecretsManagerSecretArn"),
        ),
        (
            "AWS::Redshift::Cluster",
            "MasterPasswordSecretArn",
            kind("SecretsManagerSecretArn"),
        ),
        (
            "AWS::Bedrock::FlowVersion",
            "CustomerEncryptionKeyArn",
            kind("KmsKeyArn"),
        ),
        ("AWS::EKS::Nodegroup", "ClusterName", kind("EksClusterName")),
        (
            "AWS::EC2::VPCEndpoint",
            "NetworkInterfaceIds",
            list("Ec2NetworkInterfaceId"),
        ),
        (
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "LoadBalancerArns",
            list("ElasticLoadBalancingV2LoadBalancerArn"),
        ),
    ] {
        assert_eq!(attribute(&models, t, name), ty, "{t}.{name}");
    }
    assert_eq!(
        field(&models, "AWS::EC2::EIPAssociation", "", "AllocationId"),
        kind("Ec2EipAllocationId")
    );
}
