//! An EIP association takes the address's allocation ID (`GetAtt AllocationId`), which the
//! spec left a plain string (a reviewed kind correction now types it); the address's public
//! IP does not compile there.
use nephos::Stack;
use nephos::ec2::{Eip, EipAssociation};

fn main() {
    let mut stack = Stack::new("App");
    let eip = stack.add("Eip", Eip::new().domain("vpc"));
    let _ = EipAssociation::new().allocation_id(eip.public_ip());
}
