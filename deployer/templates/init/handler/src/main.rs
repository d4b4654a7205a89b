//! The Lambda entry point: the runtime loop around `respond`.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

use {{handler_crate}}::respond;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| async move {
        // One line per request: Lambda ships stderr to the function's log group
        // (`nephos logs {{stack_name}} Handler`).
        eprintln!("request {}", event.context.request_id);
        Ok::<Value, Error>(respond(&event.payload))
    }))
    .await
}
