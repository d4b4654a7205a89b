//! The tutorial's users API, resource for resource, as nephos constructs.
//!
//! A Python function behind `POST /users` on a regional REST API stores users in a
//! DynamoDB table; the table's stream and uploads to a bucket (under `uploads/`) also
//! invoke it; an SNS topic emails notifications. 14 resources, like the tutorial's
//! CloudFormation: function, role, log group, table, REST API, resource, method,
//! API permission, deployment, bucket, S3 permission, stream mapping, topic, subscription.
//!
//! Differences from the tutorial, on purpose:
//! - The role can also read the table's stream (DescribeStream, GetRecords,
//!   GetShardIterator, ListStreams): the tutorial's mapping fails to create without them.
//! - The bucket's notification and the S3 permission do not form a cycle: the bucket's
//!   name is computed from parameters, and the permission's SourceArn is built from that
//!   name, never from the bucket; the bucket waits for the permission (DependsOn).
//! - Item permissions are nephos's read and write sets (adding BatchGetItem,
//!   BatchWriteItem, ConditionCheckItem and DescribeTable to the tutorial's six), and
//!   the API permission is scoped to `POST /users` rather than every method and path.
//! - Python 3.12 instead of the deprecated 3.9; the log group is attached to the function
//!   by name and the function waits for it, so Lambda never creates it first.
//! - Stateful resources (table, bucket, log group) are retained on delete and replace;
//!   the bucket is encrypted and blocks public access.
//!
//! Run: `cargo run --example users_api` writes the assembly to `nephos.out/`.

use std::process::ExitCode;

use nephos::constructs::{
    Bucket, Code, Function, Key, NotificationFilter, RestApi, Runtime, S3Event, StreamTrigger,
    StreamView, Table, Topic,
};
use nephos::{App, Output, Parameter, Stack, StackSettings, sub};

/// The handler the tutorial writes inline: validate, put the user, answer.
pub const HANDLER: &str = include_str!("users_api/index.py");

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("UsersApi");
    stack.description("Lambda function with API Gateway and DynamoDB");

    let env = stack.parameter(
        "Environment",
        Parameter::string()
            .allowed_values(["dev", "staging", "prod"])
            .default("dev"),
    );
    let function_name = stack.parameter(
        "FunctionName",
        Parameter::string()
            .description("Name for the Lambda function")
            .default("my-function"),
    );
    let email = stack.parameter(
        "NotificationEmail",
        Parameter::string()
            .description("Email address for notifications")
            .default("admin@example.com"),
    );

    let table = stack.add(
        "DynamoDBTable",
        Table::new(Key::string("user_id"))
            .name(sub!("${f}-${e}-users", f = &function_name, e = &env))
            .stream(StreamView::NewAndOldImages)
            .tag(
                "Name",
                sub!("${f}-${e}-users", f = &function_name, e = &env),
            )
            .tag("Environment", &env),
    );

    let function = stack.add(
        "LambdaFunction",
        Function::new(
            Runtime::Python312,
            "index.lambda_handler",
            Code::inline(HANDLER),
        )
        .name(sub!("${f}-${e}", f = &function_name, e = &env))
        .env("TABLE_NAME", table.name())
        .timeout(30)
        .memory(256)
        .log_retention_days(14)
        .tag("Name", sub!("${f}-${e}", f = &function_name, e = &env))
        .tag("Environment", &env),
    );
    table.grant_read_write(&mut stack, &function);
    table.stream_to(
        &mut stack,
        &function,
        StreamTrigger::default().batch_size(10),
    );

    let api = stack.add(
        "ApiGateway",
        RestApi::new(sub!("${f}-${e}-api", f = &function_name, e = &env))
            .description("API Gateway for Lambda function")
            .stage(&env),
    );
    api.route(&mut stack, "POST", "/users", &function);

    let bucket = stack.add(
        "S3Bucket",
        Bucket::new().name(sub!(
            "${f}-${e}-${AWS::AccountId}",
            f = &function_name,
            e = &env
        )),
    );
    bucket.notify_function(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("uploads/"),
        &function,
    );

    let topic = stack.add(
        "SNSTopic",
        Topic::new()
            .name(sub!(
                "${f}-${e}-notifications",
                f = &function_name,
                e = &env
            ))
            .display_name("User Notifications"),
    );
    topic.subscribe_email(&mut stack, &email);

    stack.output(
        "ApiGatewayUrl",
        Output::new(sub!("${base}users", base = api.url()))
            .description("API Gateway URL")
            .export(sub!("${e}-API-Gateway-URL", e = &env)),
    );
    stack.output(
        "LambdaFunctionArn",
        Output::new(function.arn())
            .description("Lambda Function ARN")
            .export(sub!("${e}-Lambda-Function-ARN", e = &env)),
    );
    stack.output(
        "DynamoDBTableName",
        Output::new(table.name())
            .description("DynamoDB Table Name")
            .export(sub!("${e}-DynamoDB-Table-Name", e = &env)),
    );
    stack
}

/// The app: the stack deployed as `users-api-dev`.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(
        stack(),
        StackSettings::new("users-api-dev").parameter("Environment", "dev"),
    );
    app
}

fn main() -> ExitCode {
    app().run()
}
