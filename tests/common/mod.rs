//! The example apps, compiled into the tests so their stacks can be synthesized in
//! process (each example file is also a runnable `cargo run --example`).

#![allow(dead_code)]

#[path = "../../examples/jobs_queue.rs"]
pub mod jobs_queue;
#[path = "../../examples/users_api.rs"]
pub mod users_api;

/// Every example app by name.
pub fn examples() -> Vec<(&'static str, nephos::App)> {
    vec![("jobs_queue", jobs_queue::app()), ("users_api", users_api::app())]
}

/// The project's Python venv (created by `scripts/venv.sh`).
pub fn venv_bin(tool: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".venv/bin")
        .join(tool);
    assert!(
        path.exists(),
        "{} is missing: run scripts/venv.sh to install the pinned cfn-lint and moto",
        path.display()
    );
    path
}
