//! The app: synthesizes the stack into `$NEPHOS_OUTDIR` (default `nephos.out`).

use std::process::ExitCode;

use nephos::StackSettings;
use nephos::constructs::Code;

/// The deployed stack's name in the `dev` environment (no `--env`).
const STACK_NAME: &str = "{{stack_name}}";

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
    let code: Code = Code::rust_bin("{{name}}-handler", "bootstrap")
        .workspace(env!("CARGO_MANIFEST_DIR"))
        .into();
    // `app!()` records this crate's directory, fixed at compile time: `nephos` refuses the
    // output of a binary another checkout built (two checkouts sharing a target directory).
    let mut app = nephos::app!();
    app.stack({{crate}}::stack(code), StackSettings::new(stack_name()));
    app.run()
}
