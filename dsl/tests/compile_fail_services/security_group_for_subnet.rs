//! A security group's ID is not a subnet's ID, across EC2 and Lambda.
use nephos::Stack;
use nephos::ec2::{SecurityGroup, Vpc};
use nephos::lambda::function::VpcConfig;

fn main() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new());
    let group = stack.add("Group", SecurityGroup::new("group").vpc_id(vpc.id()));
    let _ = VpcConfig::new().add_subnet_ids(group.group_id());
}
