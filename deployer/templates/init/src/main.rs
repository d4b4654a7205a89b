//! The app: synthesizes the stack into `$NEPHOS_OUTDIR` (default `nephos.out`).

use std::process::ExitCode;

use nephos::constructs::Code;
use nephos::{App, StackSettings};

/// The deployed stack's name.
const STACK_NAME: &str = "{{stack}}";

fn main() -> ExitCode {
    // Synth records how to build the handler and names its zip by a hash of the handler's
    // sources and Cargo.lock; `nephos synth`/`deploy` build it for Lambda (cargo-zigbuild,
    // glibc 2.34) and cache the zip by that hash.
    let code: Code = Code::rust_bin("{{name}}-handler", "bootstrap")
        .workspace(env!("CARGO_MANIFEST_DIR"))
        .into();
    let mut app = App::new();
    app.stack({{crate}}::stack(code), StackSettings::new(STACK_NAME));
    app.run()
}
