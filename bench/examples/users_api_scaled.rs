//! The users API scaled for synth-speed measurement: `N` copies of
//! {function + table + `POST` route on one REST API, with the function's grant on its
//! table} in one stack.
//!
//! Each copy adds 7 resources (function, role, log group, table, API resource, method,
//! invoke permission) to the REST API and its deployment, so `N=70` is 492 resources,
//! just under CloudFormation's 500.
//!
//! Run: `USERS_API_COPIES=70 cargo run --release -p nephos-bench --example users_api_scaled` writes the
//! assembly to `nephos.out/`, like the other examples (`N` defaults to 1). The
//! `users_api_scaled` bench of this package measures it in-process and spawns the
//! prebuilt binary for the whole-process figure. With `USERS_API_TIME_ONE_SYNTH=1` the
//! binary writes nothing: it times one build + synth + JSON of the stack in its fresh
//! process, caches cold, and prints `NANOSECONDS BYTES` (the bench's `cold` group).

use std::process::ExitCode;

use nephos::constructs::{Code, Function, Key, RestApi, Runtime, Table};
use nephos::{App, Stack, StackSettings, sub};

/// The app's global allocator. Synth makes many small maps and strings; mimalloc serves
/// them faster than the system allocator (N=70: about a fifth of the in-process time).
/// The nephos library never sets a global allocator: choosing one is the app binary's
/// call, as here (mimalloc 2.x, whose start-up touches less memory than 3.x: see
/// `bench/Cargo.toml`). The bench includes this file, so it measures the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The environment variable holding `N`, the number of copies.
pub const COPIES_VAR: &str = "USERS_API_COPIES";

/// The environment variable that asks for one timed synth instead of the assembly.
pub const TIME_VAR: &str = "USERS_API_TIME_ONE_SYNTH";

/// The handler every copy runs (the users API's own).
const HANDLER: &str = include_str!("../../examples/users_api/index.py");

/// The stack with `copies` copies of function, table and route.
pub fn stack(copies: usize) -> Stack {
    let mut stack = Stack::new("UsersApiScaled");
    stack.description("Users API scaled for synth-speed measurement");
    let api = stack.add("Api", RestApi::new("users-scaled").stage("dev"));
    for i in 0..copies {
        let table = stack.add(
            &format!("Table{i}"),
            Table::new(Key::string("user_id"))
                .name(sub!(&format!("users-{i}-${{AWS::StackName}}"))),
        );
        let function = stack.add(
            &format!("Function{i}"),
            Function::new(
                Runtime::Python312,
                "index.lambda_handler",
                Code::inline(HANDLER),
            )
            .env("TABLE_NAME", table.name())
            .timeout(30)
            .memory(256)
            .log_retention_days(14),
        );
        table.grant_read_write(&mut stack, &function);
        api.route(&mut stack, "POST", &format!("/users{i}"), &function);
    }
    stack
}

/// The app: the scaled stack deployed as `users-api-scaled`.
pub fn app(copies: usize) -> App {
    let mut app = nephos::app!();
    app.stack(stack(copies), StackSettings::new("users-api-scaled"));
    app
}

/// `N` from [`COPIES_VAR`], 1 when unset.
fn copies() -> Result<usize, String> {
    match std::env::var(COPIES_VAR) {
        Err(std::env::VarError::NotPresent) => Ok(1),
        Err(e) => Err(format!("{COPIES_VAR}: {e}")),
        Ok(text) => text
            .parse()
            .map_err(|_| format!("{COPIES_VAR} must be a whole number, got `{text}`")),
    }
}

/// One build + synth + JSON of the stack, the in-process bench's work, timed once in this
/// fresh process: `(nanoseconds, bytes of JSON)`.
pub fn one_timed_synth(copies: usize) -> Result<(u128, usize), String> {
    let start = std::time::Instant::now();
    let template = stack(copies).synth().map_err(|e| e.to_string())?;
    let bytes = template.to_json_pretty().len();
    Ok((start.elapsed().as_nanos(), bytes))
}

#[allow(dead_code)] // `main` is unused when the bench includes this file.
fn main() -> ExitCode {
    let timed = std::env::var_os(TIME_VAR).is_some_and(|v| v == "1");
    match copies() {
        Ok(n) if timed => match one_timed_synth(n) {
            Ok((nanos, bytes)) => {
                println!("{nanos} {bytes}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Ok(n) => app(n).run_and_exit(),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
