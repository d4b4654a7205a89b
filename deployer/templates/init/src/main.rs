//! The app: synthesizes the stack into `$NEPHOS_OUTDIR` (default `nephos.out`).

use std::path::PathBuf;
use std::process::ExitCode;

use nephos::constructs::Code;
use nephos::{App, Asset, StackSettings};

/// The deployed stack's name.
const STACK_NAME: &str = "{{name}}-dev";

/// The handler binary, as `cargo build --release -p {{name}}-handler` leaves it (nephos.json's
/// `app` builds it first). Cargo's target directory honours CARGO_TARGET_DIR.
fn handler_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release").join("bootstrap")
}

fn main() -> ExitCode {
    let code = Code::asset(Asset::bootstrap(handler_binary()));
    let mut app = App::new();
    app.stack({{crate}}::stack(code), StackSettings::new(STACK_NAME));
    app.run()
}
