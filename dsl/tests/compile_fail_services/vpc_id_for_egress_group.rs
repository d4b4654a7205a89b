//! A security group rule's destination group is a group's ID, not the VPC's: the format of
//! `SecurityGroup`'s nested `Egress.DestinationSecurityGroupId` names another group.
use nephos::Stack;
use nephos::ec2::security_group::Egress;
use nephos::ec2::{SecurityGroup, Vpc};

fn main() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new());
    let peer = stack.add("Peer", SecurityGroup::new("peer").vpc_id(vpc.id()));
    let _ok = Egress::new("tcp").destination_security_group_id(peer.group_id());
    let _ = Egress::new("tcp").destination_security_group_id(vpc.id());
}
