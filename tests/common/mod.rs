//! The example apps, compiled into the tests so their stacks can be synthesized in
//! process (each example file is also a runnable `cargo run --example`).

#![allow(dead_code)]

#[path = "../../examples/event_fan_out.rs"]
pub mod event_fan_out;
#[path = "../../examples/fan_out.rs"]
pub mod fan_out;
#[path = "../../examples/http_api_authorized.rs"]
pub mod http_api_authorized;
#[path = "../../examples/http_crud.rs"]
pub mod http_crud;
#[path = "../../examples/jobs_queue.rs"]
pub mod jobs_queue;
#[path = "../../examples/order_workflow.rs"]
pub mod order_workflow;
#[path = "../../examples/queue_worker.rs"]
pub mod queue_worker;
#[path = "../../examples/scheduled_job.rs"]
pub mod scheduled_job;
#[path = "../../examples/upload_pipeline.rs"]
pub mod upload_pipeline;
#[path = "../../examples/users_api.rs"]
pub mod users_api;
#[path = "../../examples/users_api_native.rs"]
pub mod users_api_native;
#[path = "../../examples/users_api_tf.rs"]
pub mod users_api_tf;

/// Every example app by name.
pub fn examples() -> Vec<(&'static str, nephos::App)> {
    vec![
        ("jobs_queue", jobs_queue::app()),
        ("users_api", users_api::app()),
        ("users_api_tf", users_api_tf::app()),
        ("upload_pipeline", upload_pipeline::app()),
        ("fan_out", fan_out::app()),
        ("http_crud", http_crud::app()),
        ("http_api_authorized", http_api_authorized::app()),
        ("users_api_native", users_api_native::app()),
        ("queue_worker", queue_worker::app()),
        ("scheduled_job", scheduled_job::app()),
        ("event_fan_out", event_fan_out::app()),
        ("order_workflow", order_workflow::app()),
    ]
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
