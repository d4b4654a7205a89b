//! Managed login branding names its pool by ID. The spec gives the property no target; the
//! same-name rule types it as the other `UserPoolId`s are, so the pool's ARN does not
//! compile there.
use nephos::Stack;
use nephos::cognito::{ManagedLoginBranding, UserPool};

fn main() {
    let mut stack = Stack::new("App");
    let pool = stack.add("Pool", UserPool::new());
    let _ = ManagedLoginBranding::new(pool.arn());
}
