//! A security group's `Ref` is its ID with `VpcId` set and its name without (AWS docs,
//! `AWS::EC2::SecurityGroup`, "Return values"): the builder's typestate gives the handle the
//! getter of the right kind (`id()`, `name()`, `id_or_name()`), and synth refuses a stack
//! where the property no longer matches the handle's type. Run with `--features ec2`.
#![cfg(feature = "ec2")]

use nephos::ec2::{SecurityGroup, Vpc};
use nephos::kinds::{Ec2SecurityGroupId, Ec2SecurityGroupIdOrName, Ec2SecurityGroupName};
use nephos::{IntoValue, Parameter, Stack, Value, equals, fn_if};
use serde_json::json;

fn errors(stack: &Stack) -> Vec<String> {
    match stack.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e.errors().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn each_state_s_ref_getter_has_its_kind() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let in_vpc = stack.add("InVpc", SecurityGroup::new("in a VPC").vpc_id(vpc.id()));
    let default_vpc = stack.add("DefaultVpc", SecurityGroup::new("default VPC"));
    let maybe = stack.add(
        "Maybe",
        SecurityGroup::new("maybe").set_vpc_id(None::<Value<nephos::kinds::Ec2VpcId>>),
    );
    let id: Value<Ec2SecurityGroupId> = in_vpc.id();
    let name: Value<Ec2SecurityGroupName> = default_vpc.name();
    let either: Value<Ec2SecurityGroupIdOrName> = maybe.id_or_name();
    assert_eq!(id.to_json(), json!({"Ref": "InVpc"}));
    assert_eq!(name.to_json(), json!({"Ref": "DefaultVpc"}));
    assert_eq!(either.to_json(), json!({"Ref": "Maybe"}));
    // `GroupId` is the ID in every state.
    let any_id: Value<Ec2SecurityGroupId> = default_vpc.group_id();
    assert_eq!(
        any_id.to_json(),
        json!({"Fn::GetAtt": ["DefaultVpc", "GroupId"]})
    );
    // The ID and the name both go where either is taken (a launch configuration's
    // `SecurityGroups`).
    fn takes_either(v: impl IntoValue<Ec2SecurityGroupIdOrName>) -> serde_json::Value {
        v.into_value().to_json()
    }
    assert_eq!(takes_either(in_vpc.id()), json!({"Ref": "InVpc"}));
    assert_eq!(
        takes_either(default_vpc.name()),
        json!({"Ref": "DefaultVpc"})
    );
    let template = stack.synth().expect("synthesizes");
    assert!(
        template.json()["Resources"]["Maybe"]["Properties"]
            .get("VpcId")
            .is_none()
    );
}

#[test]
fn a_vpc_id_that_may_be_no_value_is_refused_for_a_handle_typed_in_a_vpc() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("Prod", equals(&env, "prod"));
    stack.add(
        "Group",
        SecurityGroup::new("sometimes in a VPC").vpc_id(fn_if(&prod, vpc.id(), Value::no_value())),
    );
    let errors = errors(&stack);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("resource `Group` property `VpcId`")
            && errors[0].contains("may be AWS::NoValue")
            && errors[0].contains("the setter taking an `Option`"),
        "{errors:?}"
    );
}

#[test]
fn overrides_that_break_the_handle_s_assumption_are_refused() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let removed = stack.add("Removed", SecurityGroup::new("in a VPC").vpc_id(vpc.id()));
    stack.resource(&removed).remove_property("VpcId");
    let added = stack.add("Added", SecurityGroup::new("default VPC"));
    stack.resource(&added).override_property("VpcId", vpc.id());
    let errors = errors(&stack);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("resource `Removed` property `VpcId`") && e.contains("is not set")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("resource `Added` property `VpcId`") && e.contains("is set")),
        "{errors:?}"
    );
    // The same overrides on a group whose handle does not say are fine.
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let maybe = stack.add(
        "Maybe",
        SecurityGroup::new("maybe").set_vpc_id(Some(vpc.id())),
    );
    stack.resource(&maybe).remove_property("VpcId");
    assert!(stack.synth().is_ok());
}
