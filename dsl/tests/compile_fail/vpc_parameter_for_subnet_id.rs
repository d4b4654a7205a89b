//! A parameter declared `AWS::EC2::VPC::Id` is a VPC's ID, not a subnet's.
use nephos::kinds::{Ec2SubnetId, Ec2VpcId};
use nephos::{IntoValue, Parameter, Stack};

fn subnet(_: impl IntoValue<Ec2SubnetId>) {}

fn main() {
    let mut stack = Stack::new("App");
    let vpc = stack.parameter("Vpc", Parameter::<Ec2VpcId>::aws());
    subnet(&vpc);
}
