//! A CRUD service on an HTTP API (API Gateway v2) over a DynamoDB table with a global
//! secondary index for listing a user's items.
//!
//! Shows HTTP API routes sharing one Lambda integration, each with an invoke permission
//! scoped to its method and path, a table whose attribute definitions come from its keys
//! and index, and a read-write grant that covers the index.
//!
//! Run: `cargo run --example http_crud`.

use std::process::ExitCode;

use nephos::constructs::{Code, Cors, Function, HttpApi, Key, Projection, Runtime, Table};
use nephos::{App, Output, Stack, StackSettings};

const HANDLER: &str = r#"import json, os, boto3
table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
def handler(event, context):
    route = event["routeKey"]
    if route == "GET /items":
        owner = (event.get("queryStringParameters") or {}).get("owner", "")
        items = table.query(IndexName="ByOwner", KeyConditionExpression="owner_id = :o",
                            ExpressionAttributeValues={":o": owner})["Items"]
        return {"statusCode": 200, "body": json.dumps(items)}
    if route == "POST /items" or route == "PUT /items/{id}":
        item = json.loads(event.get("body") or "{}")
        if route.startswith("PUT"):
            item["item_id"] = event["pathParameters"]["id"]
        table.put_item(Item=item)
        return {"statusCode": 200, "body": json.dumps(item)}
    key = {"item_id": event["pathParameters"]["id"]}
    if route == "GET /items/{id}":
        item = table.get_item(Key=key).get("Item")
        return {"statusCode": 200 if item else 404, "body": json.dumps(item)}
    table.delete_item(Key=key)
    return {"statusCode": 204}
"#;

/// The stack.
pub fn stack() -> Stack {
    let mut stack = Stack::new("HttpCrud");
    stack.description("Items CRUD service on an HTTP API over DynamoDB");
    let items = stack.add(
        "Items",
        Table::new(Key::string("item_id"))
            .global_index(
                "ByOwner",
                Key::string("owner_id"),
                Some(Key::number("created_at")),
                Projection::All,
            )
            .point_in_time_recovery(),
    );
    let handler = stack.add(
        "ItemsHandler",
        Function::new(Runtime::Python312, "index.handler", Code::inline(HANDLER))
            .memory(256)
            .env("TABLE_NAME", items.name()),
    );
    items.grant_read_write(&mut stack, &handler);

    let api = stack.add("ItemsApi", HttpApi::new("items").cors(Cors::any_origin()));
    for (method, path) in [
        ("GET", "/items"),
        ("POST", "/items"),
        ("GET", "/items/{id}"),
        ("PUT", "/items/{id}"),
        ("DELETE", "/items/{id}"),
    ] {
        api.route(&mut stack, method, path, &handler);
    }
    stack.output("ItemsApiUrl", Output::new(api.url()));
    stack
}

/// The app.
pub fn app() -> App {
    let mut app = nephos::app!();
    app.stack(stack(), StackSettings::new("http-crud"));
    app
}

fn main() -> ExitCode {
    app().run()
}
