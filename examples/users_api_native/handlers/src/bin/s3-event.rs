//! The `bootstrap` of the S3 event function: builds the S3 client once per sandbox and
//! serves bucket notifications with [`users_api_handlers::s3_event::handle_event`].

use aws_config::BehaviorVersion;
use aws_lambda_events::s3::S3Event;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use users_api_handlers::s3_event::{S3ObjectStore, handle_event};

// Lambda hands a sandbox one event at a time, so a single-threaded runtime is enough.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Region and credentials come from the variables Lambda sets in the sandbox.
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let store = S3ObjectStore::new(aws_sdk_s3::Client::new(&config));
    // The client is built once and borrowed by every invocation (its connection pool is reused).
    let store = &store;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<S3Event>| async move {
        // Per-record failures are logged and skipped inside; the invocation itself succeeds,
        // as the tutorial's handler does, so S3 does not redeliver the whole event.
        handle_event(store, &event.payload).await;
        Ok::<_, Error>(())
    }))
    .await
}
