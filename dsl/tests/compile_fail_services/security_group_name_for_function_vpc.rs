//! `Function::vpc` takes security group IDs: the name a default-VPC group's `Ref` gives does
//! not compile there.
use nephos::Stack;
use nephos::constructs::{Code, Function, Runtime};
use nephos::ec2::{SecurityGroup, Subnet, Vpc};

fn main() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let subnet = stack.add("Subnet", Subnet::new(vpc.id()).cidr_block("10.0.0.0/24"));
    let group = stack.add("Group", SecurityGroup::new("default VPC"));
    let _ = Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
        .vpc([subnet.id()], [group.name()]);
}
