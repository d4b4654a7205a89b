//! `Function::vpc` takes subnet IDs and security group IDs, typed: a bare string, which could
//! be anything (a group's name), does not compile; a literal ID is written with its kind.
use nephos::constructs::{Code, Function, Runtime};

fn main() {
    let _ = Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
        .vpc(["subnet-0123456789abcdef0"], ["sg-0123456789abcdef0"]);
}
