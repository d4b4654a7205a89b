//! A user pool domain names its pool by ID (a plain string before, which took a CloudFront
//! distribution's ID); the pool's ARN does not compile there.
use nephos::Stack;
use nephos::cognito::{UserPool, UserPoolDomain};

fn main() {
    let mut stack = Stack::new("App");
    let pool = stack.add("Pool", UserPool::new());
    let _ = UserPoolDomain::new("auth", pool.arn());
}
