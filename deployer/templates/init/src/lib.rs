//! The stack: a function behind `POST /items` that writes into a table.
//!
//! `stack` takes the handler's code so the snapshot test can pin the template with a
//! stand-in for the compiled binary (see tests/template.rs).

use nephos::constructs::{Architecture, Code, Function, Key, RestApi, Runtime, Table};
use nephos::{Output, Stack, sub};

/// A new app that records this crate (`nephos::app!()`), fixed when this library is
/// compiled. It is made here, beside the stack, rather than in `main.rs`: with two
/// checkouts sharing a target directory, cargo can link the other checkout's library into
/// this binary, and it is the library's record that gives that away (`nephos` refuses it).
pub fn new_app() -> nephos::App {
    nephos::app!()
}

/// The stack's logical name (its template is `Service.template.json`).
pub const STACK: &str = "Service";

/// The stack, with `handler` as the function's code.
pub fn stack(handler: Code) -> Stack {
    let mut stack = Stack::new(STACK);
    let table = stack.add("Items", Table::new(Key::string("id")));
    let function = stack.add(
        "Handler",
        // The handler crate builds a `bootstrap` executable for Lambda's OS-only runtime.
        Function::new(Runtime::ProvidedAl2023, "bootstrap", handler)
            .architecture(Architecture::X8664)
            .env("TABLE_NAME", table.name())
            .timeout(10)
            .memory(128),
    );
    table.grant_read_write(&mut stack, &function);
    let api = stack.add(
        "Api",
        RestApi::new(sub!("${AWS::StackName}-api")).stage("dev"),
    );
    api.route(&mut stack, "POST", "/items", &function);
    stack.output(
        "ItemsUrl",
        Output::new(sub!("${base}items", base = api.url())),
    );
    stack
}
