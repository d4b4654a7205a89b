//! An upload pipeline: files dropped under `incoming/` in a bucket invoke a function,
//! which reads them and publishes a summary to a topic that emails the team.
//!
//! Shows a bucket notification to a function without a dependency cycle (the bucket's
//! name is computed, its ARN is built from the name), least-privilege grants (read the
//! bucket, publish to the topic) and an email subscription.
//!
//! Run: `cargo run --example upload_pipeline`.

use std::process::ExitCode;

use nephos::constructs::{Bucket, Code, Function, NotificationFilter, Runtime, S3Event, Topic};
use nephos::{App, Output, Parameter, Stack, StackSettings};

const HANDLER: &str = r#"import json, os, boto3
s3 = boto3.client("s3")
sns = boto3.client("sns")
def handler(event, context):
    for record in event["Records"]:
        bucket, key = record["s3"]["bucket"]["name"], record["s3"]["object"]["key"]
        size = s3.head_object(Bucket=bucket, Key=key)["ContentLength"]
        sns.publish(TopicArn=os.environ["TOPIC_ARN"], Message=json.dumps({"key": key, "size": size}))
"#;

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("UploadPipeline");
    stack.description("Bucket uploads processed by a function, summaries published to a topic");
    let email = stack.parameter("TeamEmail", Parameter::string().default("team@example.com"));

    let uploads = stack.add(
        "Uploads",
        Bucket::new().versioned().expire_objects("incoming/", 30),
    );
    let summaries = stack.add("Summaries", Topic::new().display_name("Upload summaries"));
    summaries.subscribe_email(&mut stack, &email);

    let processor = stack.add(
        "Processor",
        Function::new(Runtime::Python312, "index.handler", Code::inline(HANDLER))
            .timeout(60)
            .memory(512)
            .env("TOPIC_ARN", summaries.arn()),
    );
    uploads.grant_read(&mut stack, &processor);
    summaries.grant_publish(&mut stack, &processor);
    uploads.notify_function(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("incoming/"),
        &processor,
    );

    stack.output(
        "UploadBucket",
        Output::new(uploads.name()).description("Drop files under incoming/"),
    );
    stack.output("SummaryTopic", Output::new(summaries.arn()));
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("upload-pipeline"));
    app
}

fn main() -> ExitCode {
    app().run()
}
