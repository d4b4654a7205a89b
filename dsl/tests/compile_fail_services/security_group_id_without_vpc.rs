//! Without `VpcId` a security group's `Ref` is no ID, so its handle has no `id()` at all:
//! the ID of any group is `group_id()` (`Fn::GetAtt GroupId`).
use nephos::Stack;
use nephos::ec2::SecurityGroup;

fn main() {
    let mut stack = Stack::new("App");
    let group = stack.add("Group", SecurityGroup::new("default VPC"));
    let _ = group.id();
}
