//! The template, pinned byte for byte: a change to the stack shows here as a diff.
//! Review and accept changes with `cargo insta review` (`cargo install cargo-insta`).

use nephos::constructs::Code;
use nephos::{App, Asset, StackSettings};

#[test]
fn the_template_matches_its_snapshot() {
    // A fixed stand-in for the compiled handler: the snapshot pins the infrastructure, a
    // handler's key (which follows its sources and the toolchain) does not churn it, and
    // the tests need no zig or cargo-zigbuild (`Code::rust_bin`'s key runs both).
    let stand_in = Asset::bootstrap(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bootstrap"));
    let mut app = App::new();
    app.stack({{crate}}::stack(Code::asset(stand_in)), StackSettings::new("snapshot"));
    let assembly = app.synth().expect("the stack is valid");
    let template = &assembly.templates[&format!("{}.template.json", {{crate}}::STACK)];
    insta::assert_snapshot!("stack", template);
}
