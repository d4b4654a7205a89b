//! The template, pinned byte for byte: a change to the stack shows here as a diff.
//! Review and accept changes with `cargo insta review` (`cargo install cargo-insta`).

use nephos::constructs::Code;
use nephos::{App, Asset, StackSettings};

use {{crate}}::{STACK, stack};

#[test]
fn the_template_matches_its_snapshot() {
    // A fixed stand-in for the compiled handler: the snapshot pins the infrastructure, a
    // handler's key (which follows its sources and the toolchain) does not churn it, and
    // the tests need no zig or cargo-zigbuild (`Code::rust_bin`'s key runs both).
    let stand_in = Asset::bootstrap(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bootstrap"
    ));
    let mut app = App::new();
    app.stack(stack(Code::asset(stand_in)), StackSettings::new("snapshot"));
    let assembly = app.synth().expect("the stack is valid");
    let template = &assembly.templates[&format!("{STACK}.template.json")];
    insta::assert_snapshot!("stack", template);
}
