//! A security group without `VpcId` is in the default VPC, where its `Ref` is its name
//! (AWS docs, `AWS::EC2::SecurityGroup`, "Return values"): its handle gives the `Ref` as
//! `name()`, of a name kind, which a function's `VpcConfig` (group IDs only) refuses.
use nephos::Stack;
use nephos::ec2::SecurityGroup;
use nephos::lambda::function::VpcConfig;

fn main() {
    let mut stack = Stack::new("App");
    let group = stack.add("Group", SecurityGroup::new("default VPC"));
    let _ = VpcConfig::new().add_security_group_ids(group.name());
}
