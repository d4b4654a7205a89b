//! An Auto Scaling group's `VPCZoneIdentifier` lists subnet IDs: a VPC's ID does not go
//! there (it was a plain string list, so it compiled and Auto Scaling refused the create).
use nephos::Stack;
use nephos::autoscaling::AutoScalingGroup;
use nephos::ec2::Vpc;

fn main() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let _ = AutoScalingGroup::new("2", "1").add_vpc_zone_identifier(vpc.id());
}
