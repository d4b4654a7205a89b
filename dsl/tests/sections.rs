//! Every template section and every parameter type and constraint, as written.

use nephos::kind::{List, Str};
use nephos::kinds::{Ec2ImageId, Ec2SecurityGroupId, Ec2SubnetId, Ec2VpcId};
use nephos::{
    DeletionPolicy, Output, Parameter, RawResource, Rule, Stack, Transform, UpdateReplacePolicy,
    equals, rules,
};
use serde_json::json;

#[test]
fn every_parameter_type() {
    let mut stack = Stack::new("Params");
    stack.parameter("S", Parameter::string());
    stack.parameter("N", Parameter::number());
    stack.parameter("NL", Parameter::number_list());
    stack.parameter("CDL", Parameter::comma_delimited_list().default(["a", "b"]));
    let vpc = stack.parameter("Vpc", Parameter::<Ec2VpcId>::aws());
    // A reference to it is a VPC's ID (a subnet's ID does not compile: compile_fail case
    // `vpc_parameter_for_subnet_id`).
    let vpc_id: nephos::Value<Ec2VpcId> = nephos::IntoValue::into_value(&vpc);
    assert_eq!(vpc_id.to_json(), json!({"Ref": "Vpc"}));
    stack.parameter("Zone", Parameter::availability_zone());
    stack.parameter("Zones", Parameter::availability_zones());
    stack.parameter("Subnets", Parameter::<List<Ec2SubnetId>>::aws_list());
    stack.parameter("SsmName", Parameter::ssm_name());
    stack.parameter("SsmString", Parameter::ssm_string());
    stack.parameter("SsmList", Parameter::ssm_string_list());
    stack.parameter("SsmCdl", Parameter::ssm_comma_delimited_list());
    stack.parameter("Ami", Parameter::<Ec2ImageId>::ssm_aws());
    stack.parameter("Sgs", Parameter::<List<Ec2SecurityGroupId>>::ssm_aws_list());
    let t = stack.synth().unwrap();
    let types: Vec<(&str, &str)> = t.json()["Parameters"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v["Type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        types,
        [
            ("Ami", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"),
            ("CDL", "CommaDelimitedList"),
            ("N", "Number"),
            ("NL", "List<Number>"),
            ("S", "String"),
            (
                "Sgs",
                "AWS::SSM::Parameter::Value<List<AWS::EC2::SecurityGroup::Id>>"
            ),
            ("SsmCdl", "AWS::SSM::Parameter::Value<CommaDelimitedList>"),
            ("SsmList", "AWS::SSM::Parameter::Value<List<String>>"),
            ("SsmName", "AWS::SSM::Parameter::Name"),
            ("SsmString", "AWS::SSM::Parameter::Value<String>"),
            ("Subnets", "List<AWS::EC2::Subnet::Id>"),
            ("Vpc", "AWS::EC2::VPC::Id"),
            ("Zone", "AWS::EC2::AvailabilityZone::Name"),
            ("Zones", "List<AWS::EC2::AvailabilityZone::Name>"),
        ]
    );
    assert_eq!(t.json()["Parameters"]["CDL"]["Default"], json!("a,b"));
}

#[test]
fn every_parameter_constraint() {
    let mut stack = Stack::new("Params");
    stack.parameter(
        "Name",
        Parameter::string()
            .description("d")
            .default("abc")
            .allowed_values(["abc", "def"])
            .allowed_pattern("[a-z]+")
            .min_length(1)
            .max_length(3)
            .constraint_description("lower case")
            .no_echo(),
    );
    stack.parameter(
        "Size",
        Parameter::number()
            .default(2.0)
            .allowed_values([1.0, 2.0])
            .min_value(1.0)
            .max_value(2.5),
    );
    let t = stack.synth().unwrap();
    assert_eq!(
        t.json()["Parameters"],
        json!({
            "Name": {"Type": "String", "Description": "d", "Default": "abc", "AllowedValues": ["abc", "def"],
                     "AllowedPattern": "[a-z]+", "MinLength": 1, "MaxLength": 3, "NoEcho": true,
                     "ConstraintDescription": "lower case"},
            "Size": {"Type": "Number", "Default": 2, "AllowedValues": [1, 2], "MinValue": 1.0, "MaxValue": 2.5}
        })
    );
    let text = t.to_json_pretty();
    assert!(
        text.find("\"Type\": \"String\"").unwrap() < text.find("\"Default\": \"abc\"").unwrap()
    );
}

#[test]
fn metadata_transform_rules_outputs_and_resource_attributes() {
    let mut stack = Stack::new("All");
    stack
        .metadata("Owner", json!({"team": "core"}))
        .transform(Transform::LanguageExtensions)
        .transform(Transform::Serverless);
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("Prod", equals(&env, "prod"));
    stack.rule(
        "OnlyKnown",
        Rule::new().when(equals(&env, "prod")).assert(
            rules::each_member_in(vec!["a"], vec!["a", "b"]),
            "unknown member",
        ),
    );
    let q = stack.add("Q", RawResource::new("AWS::SQS::Queue"));
    stack
        .resource(&q)
        .condition(&prod)
        .deletion_policy(DeletionPolicy::Snapshot)
        .update_replace_policy(UpdateReplacePolicy::Delete)
        .metadata("Note", json!("kept"))
        .creation_policy(json!({"ResourceSignal": {"Count": 1, "Timeout": "PT5M"}}))
        .update_policy(json!({"UseOnlineResharding": true}));
    stack.output(
        "Url",
        Output::new(q.ref_value::<Str>())
            .description("queue")
            .condition(&prod)
            .export("all-url"),
    );
    let t = stack.synth().unwrap();
    let j = t.json();
    assert_eq!(j["Metadata"], json!({"Owner": {"team": "core"}}));
    assert_eq!(
        j["Transform"],
        json!(["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"])
    );
    assert_eq!(
        j["Rules"],
        json!({"OnlyKnown": {
            "RuleCondition": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "Assertions": [{"Assert": {"Fn::EachMemberIn": [["a"], ["a", "b"]]}, "AssertDescription": "unknown member"}]
        }})
    );
    assert_eq!(
        j["Resources"]["Q"],
        json!({"Type": "AWS::SQS::Queue", "Condition": "Prod", "Metadata": {"Note": "kept"},
               "CreationPolicy": {"ResourceSignal": {"Count": 1, "Timeout": "PT5M"}},
               "UpdatePolicy": {"UseOnlineResharding": true},
               "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Delete"})
    );
    assert_eq!(
        j["Outputs"]["Url"],
        json!({"Description": "queue", "Condition": "Prod", "Value": {"Ref": "Q"}, "Export": {"Name": "all-url"}})
    );
}
