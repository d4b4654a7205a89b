//! Each grant family takes the ARN of its own resource type: a parameter's ARN as a
//! secret, a secret's as a parameter, a function's as a state machine do not compile.
use nephos::Stack;
use nephos::constructs::grants::{self, Target};
use nephos::constructs::{Code, Function, Runtime};

fn main() {
    let mut stack = Stack::new("App");
    let f = stack.add("F", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    let p = stack.add("P", nephos::ssm::Parameter::new(nephos::ssm::parameter::Type::String, "v"));
    let s = stack.add("S", nephos::secretsmanager::Secret::new());
    grants::secret::read(&mut stack, &f, &Target::by_arn("secret", p.arn()));
    grants::parameter::read(&mut stack, &f, &Target::by_arn("parameter", s.id()));
    grants::state_machine::start_execution(&mut stack, &f, f.arn());
}
