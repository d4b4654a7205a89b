//! The `bootstrap` of the create-user function (`POST /users`): reads `TABLE_NAME`, builds
//! the DynamoDB client once per sandbox, and serves API Gateway proxy events with
//! [`users_api_handlers::create_user::handle_request`].

use aws_config::BehaviorVersion;
use aws_lambda_events::apigw::ApiGatewayProxyRequest;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use users_api_handlers::create_user::{
    DynamoUserStore, TABLE_NAME_VAR, handle_request, now_rfc3339, table_name,
};

// Lambda hands a sandbox one event at a time, so a single-threaded runtime is enough.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Checked before anything else so a misconfigured stack fails at init, visibly.
    let table_name = table_name(std::env::var(TABLE_NAME_VAR).ok())?;
    // Region and credentials come from the variables Lambda sets in the sandbox.
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let store = DynamoUserStore::new(aws_sdk_dynamodb::Client::new(&config), table_name);
    // The client is built once and borrowed by every invocation (its connection pool is reused).
    let store = &store;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayProxyRequest>| async move {
            Ok::<_, Error>(handle_request(store, &event.payload, now_rfc3339).await)
        },
    ))
    .await
}
