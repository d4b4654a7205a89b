//! The app: synthesizes the stack into `$NEPHOS_OUTDIR` (default `nephos.out`).

use std::process::ExitCode;

use nephos::StackSettings;
use nephos::constructs::Code;

use {{crate}}::{new_app, stack};

/// The deployed stack's name in the `dev` environment (no `--env`).
const STACK_NAME: &str = "{{stack_name}}";

/// The handler's package, a member of this workspace named after the app's package.
const HANDLER_PACKAGE: &str = concat!(env!("CARGO_PKG_NAME"), "-handler");

/// The stack's name in the environment `nephos --env NAME` selected (it runs the app with
/// `NEPHOS_ENV=NAME`): `STACK_NAME` for `dev` or none, and `-NAME` in place of `-dev`
/// otherwise, so each environment of `nephos.json` deploys a stack of its own rather than
/// updating dev's. Synth refuses a name CloudFormation would (letters, digits, hyphens).
fn stack_name() -> String {
    match std::env::var("NEPHOS_ENV") {
        Ok(env) if !env.is_empty() && env != "dev" => {
            format!("{}-{env}", STACK_NAME.trim_end_matches("-dev"))
        }
        _ => STACK_NAME.to_owned(),
    }
}

fn main() -> ExitCode {
    // Synth records how to build the handler and names its zip by a hash of the handler's
    // sources and Cargo.lock; `nephos synth`/`deploy` build it for Lambda (cargo-zigbuild,
    // glibc 2.34) and cache the zip by that hash.
    let code: Code = Code::rust_bin(HANDLER_PACKAGE, "bootstrap")
        .workspace(env!("CARGO_MANIFEST_DIR"))
        .into();
    // The app is made in the library, where the stack is defined: see `new_app`.
    let mut app = new_app();
    app.stack(stack(code), StackSettings::new(stack_name()));
    app.run()
}
