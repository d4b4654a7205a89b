//! A security group's `Ref` is its name in a default VPC (no `VpcId`) and its ID otherwise
//! (the registry schema's `Id` is `anyOf` the two), so `id()` does not fit a property that
//! takes only group IDs; `group_id()` (`Fn::GetAtt GroupId`) does.
use nephos::Stack;
use nephos::ec2::SecurityGroup;
use nephos::lambda::function::VpcConfig;

fn main() {
    let mut stack = Stack::new("App");
    let group = stack.add("Group", SecurityGroup::new("default VPC"));
    let _ = VpcConfig::new().add_security_group_ids(group.id());
}
