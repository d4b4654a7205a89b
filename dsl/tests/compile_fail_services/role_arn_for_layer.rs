//! A function's `Layers` take layer version ARNs; a role's ARN, a plain string before,
//! does not compile there.
use nephos::Stack;
use nephos::iam::Role;
use nephos::lambda::Function;
use nephos::lambda::function::Code;
use nephos::policy::PolicyDocument;

fn main() {
    let mut stack = Stack::new("App");
    let role = stack.add("Role", Role::new(PolicyDocument::new()));
    let _ = Function::new(Code::new().zip_file("x"), role.arn()).add_layers(role.arn());
}
