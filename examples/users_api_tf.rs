//! The tutorial's Terraform variant of the users API, written as nephos.
//!
//! The same stack as `users_api`, with what the Terraform version does differently:
//! the handler's source is packaged from a file (an asset, uploaded by `nephos deploy`)
//! instead of inline; the execution role is named and carries its logging permissions
//! in its own policy (scoped to the function's log group, where the tutorial allows
//! `arn:aws:logs:*:*:*`) instead of the managed basic-execution policy; and the bucket
//! name ends with a suffix unique to the stack (Terraform's `random_id`; here the first
//! block of the stack id, stable across updates).
//!
//! Run: `cargo run --example users_api_tf` writes the assembly to `nephos.out/`.

use std::process::ExitCode;

use nephos::constructs::{
    Bucket, Code, Function, Key, NotificationFilter, RestApi, Runtime, S3Event, StreamTrigger,
    StreamView, Table, Topic,
};
use nephos::{App, Asset, Output, Parameter, Stack, StackSettings, aws, select, split, sub};

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("UsersApiTf");
    stack.description("Lambda function with API Gateway and DynamoDB (Terraform variant)");
    let env = stack.parameter(
        "Environment",
        Parameter::string()
            .description("Environment name")
            .default("dev"),
    );
    let name = stack.parameter(
        "FunctionName",
        Parameter::string()
            .description("Lambda function name")
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
            .name(sub!("${f}-${e}-users", f = &name, e = &env))
            .stream(StreamView::NewAndOldImages)
            .tag("Name", sub!("${f}-${e}-users", f = &name, e = &env))
            .tag("Environment", &env),
    );
    let handler = Asset::file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/users_api/index.py"
    ));
    let function = stack.add(
        "LambdaFunction",
        Function::new(
            Runtime::Python312,
            "index.lambda_handler",
            Code::asset(handler),
        )
        .name(sub!("${f}-${e}", f = &name, e = &env))
        .role_name(sub!("${f}-${e}-lambda-execution", f = &name, e = &env))
        .inline_log_permissions()
        .env("TABLE_NAME", table.name())
        .timeout(30)
        .memory(256)
        .tag("Name", sub!("${f}-${e}", f = &name, e = &env))
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
        RestApi::new(sub!("${f}-${e}-api", f = &name, e = &env)).stage(&env),
    );
    api.route(&mut stack, "POST", "/users", &function);

    let suffix = select(0, split("-", select(2, split("/", aws::stack_id()))));
    let bucket = stack.add(
        "S3Bucket",
        Bucket::new()
            .name(sub!(
                "${f}-${e}-${suffix}",
                f = &name,
                e = &env,
                suffix = suffix
            ))
            .tag("Name", sub!("${f}-${e}", f = &name, e = &env))
            .tag("Environment", &env),
    );
    bucket.notify_function(
        &mut stack,
        &[S3Event::ObjectCreated],
        NotificationFilter::prefix("uploads/"),
        &function,
    );

    let topic = stack.add(
        "SNSTopic",
        Topic::new().name(sub!("${f}-${e}-notifications", f = &name, e = &env)),
    );
    topic.subscribe_email(&mut stack, &email);

    stack.output(
        "ApiGatewayUrl",
        Output::new(sub!("${base}users", base = api.url())).description("API Gateway URL"),
    );
    stack.output(
        "LambdaFunctionArn",
        Output::new(function.arn()).description("Lambda Function ARN"),
    );
    stack.output(
        "DynamoDBTableName",
        Output::new(table.name()).description("DynamoDB Table Name"),
    );
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(
        stack(),
        StackSettings::new("users-api-tf-dev").region("us-west-2"),
    );
    app
}

fn main() -> ExitCode {
    app().run()
}
