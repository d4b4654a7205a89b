//! A Cognito user pool's ARN is not an ACM certificate's ARN on an API domain name.
use nephos::Stack;
use nephos::apigateway::DomainName;
use nephos::cognito::UserPool;

fn main() {
    let mut stack = Stack::new("App");
    let pool = stack.add("Pool", UserPool::new());
    let _ = DomainName::new().certificate_arn(pool.arn());
}
