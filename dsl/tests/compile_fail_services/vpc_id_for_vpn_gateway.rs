//! A VPN gateway route propagation names its VPN gateway by ID. The spec gives the property
//! no target; the same-name rule types it as the other `VpnGatewayId`s are, so the VPC's ID
//! does not compile there.
use nephos::Stack;
use nephos::ec2::{RouteTable, Vpc, VpnGatewayRoutePropagation};

fn main() {
    let mut stack = Stack::new("App");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let rt = stack.add("Routes", RouteTable::new(vpc.id()));
    let _ = VpnGatewayRoutePropagation::new(vec![rt.id()], vpc.id());
}
