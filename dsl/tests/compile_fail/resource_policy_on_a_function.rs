//! Resource-policy statements go to a queue, topic or bucket: a function does not compile.
use nephos::Stack;
use nephos::constructs::wiring::resource_policy::add_statement;
use nephos::constructs::{Code, Function, Runtime};
use nephos::policy::Statement;

fn main() {
    let mut stack = Stack::new("App");
    let f = stack.add("Worker", Function::new(Runtime::Python312, "index.handler", Code::inline("x")));
    add_statement(&mut stack, &f, Statement::allow().action("lambda:InvokeFunction").resource("*"));
}
