//! An instance's `SecurityGroupIds` takes group IDs only (a name goes in `SecurityGroups`,
//! for a default VPC); a default-VPC group's `Ref` is its name (`name()`), so it does not
//! fit there and `group_id()` does. The schema's `anyOf` also listed a name: corrected from
//! the AWS docs.
use nephos::Stack;
use nephos::ec2::{Instance, SecurityGroup};

fn main() {
    let mut stack = Stack::new("App");
    let group = stack.add("Group", SecurityGroup::new("default VPC"));
    let _ = Instance::new().add_security_group_ids(group.name());
}
