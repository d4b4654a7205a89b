//! An HTTP API that takes jobs from signed-in users straight into a queue, and a worker
//! that drains it with partial batch responses.
//!
//! Shows a JWT authorizer on a Cognito user pool as the API's default, a public health
//! route that opts out, a direct SQS integration (no function in the request path; API
//! Gateway's role may only `sqs:SendMessage` on the queue), access logs and throttling,
//! and a worker whose failed messages alone return to the queue, then to a dead-letter
//! queue after three tries.
//!
//! Run: `cargo run --example http_api_authorized`.

use std::process::ExitCode;

use nephos::constructs::{
    AccessLogFormat, AccessLogs, Code, Function, HttpApi, HttpAuthorization, HttpAuthorizer, Queue,
    RequestValue, Runtime, SqsSendMessage, SqsTrigger, Throttle,
};
use nephos::{App, Output, Stack, StackSettings, cognito};

/// Processes each job; reports the ones that failed so only they are retried.
const WORKER: &str = r#"import json
def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            job = json.loads(record["body"])
            print("job", job.get("kind"))
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
"#;

const HEALTH: &str = r#"def handler(event, context):
    return {"statusCode": 200, "body": "ok"}
"#;

/// The stack: everything the example deploys.
pub fn stack() -> Stack {
    let mut stack = Stack::new("JobsApi");
    stack.description("Signed-in users submit jobs over HTTP; a worker drains the queue");

    let users = stack.add(
        "Users",
        cognito::UserPool::new().user_pool_name("jobs-users"),
    );
    // The pool holds the accounts: kept if it ever leaves the stack.
    stack.resource(&users).retain();
    let web = stack.add(
        "WebClient",
        cognito::UserPoolClient::new(users.id()).generate_secret(false),
    );

    let failed = stack.add("FailedJobs", Queue::new().retention_seconds(1_209_600));
    let jobs = stack.add(
        "Jobs",
        Queue::new()
            .visibility_timeout(60)
            .dead_letter_queue(&failed, 3),
    );

    let api = stack.add(
        "JobsApi",
        HttpApi::new("jobs")
            .default_authorization(HttpAuthorization::with_scopes(
                HttpAuthorizer::cognito("Users", &users, &web),
                ["aws.cognito.signin.user.admin"],
            ))
            .access_logs(AccessLogs::new(AccessLogFormat::standard()))
            .throttle(Throttle::new(50.0, 100)),
    );
    // Each request body becomes one message; this route is throttled below the API's rate.
    api.route_to(
        &mut stack,
        "POST",
        "/jobs",
        SqsSendMessage::new(&jobs).message_body(RequestValue::Body),
    )
    .throttle(&mut stack, Throttle::new(10.0, 20));

    let health = stack.add(
        "Health",
        Function::new(Runtime::Python312, "index.handler", Code::inline(HEALTH)),
    );
    api.route(&mut stack, "GET", "/health", &health)
        .authorization(&mut stack, HttpAuthorization::None);

    let worker = stack.add(
        "Worker",
        Function::new(Runtime::Python312, "index.handler", Code::inline(WORKER)).timeout(30),
    );
    jobs.trigger_with(
        &mut stack,
        &worker,
        SqsTrigger::new(10).report_batch_item_failures(),
    );

    stack.output("JobsApiUrl", Output::new(api.url()));
    stack.output("UserPoolClientId", Output::new(web.client_id()));
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("jobs-api"));
    app
}

fn main() -> ExitCode {
    app().run()
}
