//! `set_vpc_id` takes an `Option`, so whether the group is in a VPC is known only at run
//! time: its `Ref` is `id_or_name()`, of the union kind, which group-ID properties refuse.
use nephos::Stack;
use nephos::ec2::{Instance, SecurityGroup, Vpc};

fn main() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let group = stack.add(
        "Group",
        SecurityGroup::new("maybe in a VPC").set_vpc_id(Some(vpc.id())),
    );
    let _ = Instance::new().add_security_group_ids(group.id_or_name());
}
