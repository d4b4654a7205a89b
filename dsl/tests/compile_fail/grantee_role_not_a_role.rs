//! A grantee's role is an `AWS::IAM::Role`: another resource's reference does not compile.
use nephos::constructs::grants::{Grantee, GranteeRole};
use nephos::ResourceRef;

struct Worker {
    queue: ResourceRef,
}

impl Grantee for Worker {
    fn grant_role(&self) -> Option<GranteeRole<'_>> {
        Some(GranteeRole::from(&self.queue))
    }

    fn grantee_name(&self) -> String {
        "worker".to_string()
    }
}

fn main() {}
