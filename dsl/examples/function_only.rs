//! A function stack built with only the features a `Function` needs
//! (`--no-default-features --features lambda,iam,logs`): the constructs module does not
//! depend on the other default services. `scripts/test.sh` compiles it that way.

use nephos::Stack;
use nephos::constructs::{Code, Function, Runtime};

fn main() {
    let mut stack = Stack::new("Worker");
    stack.add(
        "Worker",
        Function::new(
            Runtime::Python312,
            "index.handler",
            Code::inline("def handler(e, c): return 1"),
        )
        .memory(256)
        .configure(|l1| l1.description("built without the other services")),
    );
    let template = stack.synth().expect("valid stack");
    println!("{}", template.json());
}
