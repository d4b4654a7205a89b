//! Lambda@Edge takes a function VERSION's ARN: a function's unversioned ARN does not
//! compile where CloudFront associates one.
use nephos::Stack;
use nephos::cloudfront::distribution::LambdaFunctionAssociation;
use nephos::iam::Role;
use nephos::lambda::Function;
use nephos::lambda::function::Code;
use nephos::policy::PolicyDocument;

fn main() {
    let mut stack = Stack::new("App");
    let role = stack.add("Role", Role::new(PolicyDocument::new()));
    let f = stack.add("Fn", Function::new(Code::new().zip_file("x"), role.arn()));
    let _ = LambdaFunctionAssociation::new().lambda_function_arn(f.arn());
}
