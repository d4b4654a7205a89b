//! The API handler behind `POST /users` (API Gateway REST API, Lambda proxy integration):
//! parse the JSON body into a [`User`], reject it with a 400 when it is not JSON or lacks a
//! required field, put it into the DynamoDB table named by `TABLE_NAME`, and answer 500 when
//! the put fails or 200 with the new user's id when it succeeds.
//!
//! Behaviour follows the tutorial's Go handler, with two deliberate differences:
//!
//! - a missing or empty `created_at` is filled with the current UTC time (RFC 3339) instead
//!   of storing an empty string, so every item has a usable creation time;
//! - an unset or empty `TABLE_NAME` stops the function at start-up ([`table_name`]) instead
//!   of failing every request with a 500, so the misconfiguration shows up in the init log.

use std::collections::HashMap;
use std::future::Future;
use std::time::SystemTime;

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE};
use aws_lambda_events::http::{HeaderMap, HeaderValue};
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_dynamodb::primitives::{DateTime, DateTimeFormat};
use aws_sdk_dynamodb::types::AttributeValue;
use lambda_runtime::Error;
use serde::Deserialize;
use serde_json::json;

/// Error message of a 400 for a body that is not a JSON object of the right shape.
pub const INVALID_JSON: &str = "Invalid JSON format";
/// Error message of a 400 for a body that lacks `user_id`, `name` or `email`.
pub const MISSING_FIELDS: &str = "Missing required fields: user_id, name, email";
/// Error message of a 500; the cause is logged, never shown to the caller.
pub const INTERNAL_ERROR: &str = "Internal server error";
/// The `message` of a 200.
pub const CREATED: &str = "User created successfully";
/// The environment variable that names the table (set by the stack).
pub const TABLE_NAME_VAR: &str = "TABLE_NAME";

/// A user as it is stored in the table: one item keyed by `user_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The partition key; never empty.
    pub user_id: String,
    /// Never empty.
    pub name: String,
    /// Never empty; not checked for shape, as in the tutorial.
    pub email: String,
    /// As sent by the client, or the time of the request when the client sent none.
    pub created_at: String,
}

/// The body as the client sent it. Every field is optional so that a well-formed body that
/// lacks a field is reported as missing fields rather than invalid JSON, as Go's zero values
/// make it in the tutorial; a field of the wrong type (a number for `name`) is still invalid
/// JSON there and here. Unknown fields are ignored, as Go ignores them.
#[derive(Debug, Default, Deserialize)]
struct UserInput {
    user_id: Option<String>,
    name: Option<String>,
    email: Option<String>,
    created_at: Option<String>,
}

/// Why a request body was turned away with a 400.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The body is absent, not JSON, or not an object with string fields.
    InvalidJson,
    /// `user_id`, `name` or `email` is absent or empty.
    MissingFields,
}

impl Rejection {
    /// The error message the caller sees.
    pub fn message(self) -> &'static str {
        match self {
            Rejection::InvalidJson => INVALID_JSON,
            Rejection::MissingFields => MISSING_FIELDS,
        }
    }
}

/// Parses and validates a request body. `now` is called only when the body has no
/// `created_at`, and gives the value to store instead (injected so tests are deterministic).
pub fn parse_user(body: Option<&str>, now: impl FnOnce() -> String) -> Result<User, Rejection> {
    // An absent body is parsed as "" so it fails like Go's json.Unmarshal on empty input;
    // `null` parses to None and, like Go's no-op unmarshal of null, leaves every field unset.
    let input: Option<UserInput> =
        serde_json::from_str(body.unwrap_or("")).map_err(|_| Rejection::InvalidJson)?;
    let input = input.unwrap_or_default();
    // Go's check is `== ""`: an explicit empty string counts as missing, and so does null.
    let present = |value: Option<String>| value.filter(|s| !s.is_empty());
    match (
        present(input.user_id),
        present(input.name),
        present(input.email),
    ) {
        (Some(user_id), Some(name), Some(email)) => Ok(User {
            user_id,
            name,
            email,
            created_at: present(input.created_at).unwrap_or_else(now),
        }),
        _ => Err(Rejection::MissingFields),
    }
}

/// The current UTC time in RFC 3339, the default `created_at`.
pub fn now_rfc3339() -> String {
    // Formatting fails only for years outside 0001-9999; an empty value is then better
    // than failing a request over a clock that far off.
    DateTime::from(SystemTime::now())
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_default()
}

/// A proxy-integration response with the tutorial's headers: JSON content, and CORS open to
/// every origin because the API is called from browsers.
pub fn json_response(status: u16, body: &serde_json::Value) -> ApiGatewayProxyResponse {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    // The struct is non-exhaustive, so it is built from its default and then filled in.
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = i64::from(status);
    response.headers = headers;
    response.body = Some(Body::Text(body.to_string()));
    response
}

/// An error response: `{"error": message}`.
pub fn error_response(status: u16, message: &str) -> ApiGatewayProxyResponse {
    json_response(status, &json!({ "error": message }))
}

/// The 200 response: `{"message": "User created successfully", "user_id": ...}`.
pub fn success_response(user_id: &str) -> ApiGatewayProxyResponse {
    json_response(200, &json!({ "message": CREATED, "user_id": user_id }))
}

/// The item the handler puts: every field as a string attribute, as the tutorial stores it.
pub fn user_item(user: &User) -> HashMap<String, AttributeValue> {
    [
        ("user_id", &user.user_id),
        ("name", &user.name),
        ("email", &user.email),
        ("created_at", &user.created_at),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), AttributeValue::S(value.clone())))
    .collect()
}

/// Reads the table name from the value of `TABLE_NAME`; an unset or empty variable is an
/// error, so the function fails at start-up rather than on every request.
pub fn table_name(value: Option<String>) -> Result<String, Error> {
    match value {
        Some(name) if !name.is_empty() => Ok(name),
        _ => {
            Err(format!("{TABLE_NAME_VAR} is not set: the stack must name the users table").into())
        }
    }
}

/// Where users are saved. The handler depends on this trait, not on the SDK, so its flow is
/// tested against an in-memory fake.
pub trait UserStore {
    /// Saves `user`, overwriting any user with the same id (the tutorial's PutItem has no
    /// condition either).
    fn put_user(&self, user: &User) -> impl Future<Output = Result<(), Error>> + Send;
}

/// The real store: PutItem into one DynamoDB table.
#[derive(Clone, Debug)]
pub struct DynamoUserStore {
    client: aws_sdk_dynamodb::Client,
    table_name: String,
}

impl DynamoUserStore {
    /// A store writing to `table_name` through `client`.
    pub fn new(client: aws_sdk_dynamodb::Client, table_name: String) -> Self {
        Self { client, table_name }
    }
}

impl UserStore for DynamoUserStore {
    fn put_user(&self, user: &User) -> impl Future<Output = Result<(), Error>> + Send {
        let request = self
            .client
            .put_item()
            .table_name(&self.table_name)
            .set_item(Some(user_item(user)));
        async move {
            request
                .send()
                .await
                .map(|_| ())
                // The SDK error's Display is only "service error": log the service's code and
                // message, or the whole chain for a failure that never reached the service.
                .map_err(|e| match e.code() {
                    Some(code) => format!("{code}: {}", e.message().unwrap_or("no message")).into(),
                    None => DisplayErrorContext(e).to_string().into(),
                })
        }
    }
}

/// Handles one API Gateway request. Never fails: every outcome is an HTTP response, as in the
/// tutorial, so API Gateway never turns a handler error into a bare 502.
pub async fn handle_request<S: UserStore>(
    store: &S,
    request: &ApiGatewayProxyRequest,
    now: impl FnOnce() -> String,
) -> ApiGatewayProxyResponse {
    let user = match parse_user(request.body.as_deref(), now) {
        Ok(user) => user,
        Err(rejection) => return error_response(400, rejection.message()),
    };
    if let Err(error) = store.put_user(&user).await {
        eprintln!("Error saving user: {error}");
        return error_response(500, INTERNAL_ERROR);
    }
    success_response(&user.user_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::sync::Mutex;

    const NOW: &str = "2026-11-27T12:00:00Z";

    fn now() -> String {
        NOW.to_owned()
    }

    fn body_json(response: &ApiGatewayProxyResponse) -> Value {
        match &response.body {
            Some(Body::Text(text)) => serde_json::from_str(text).expect("body is JSON"),
            other => panic!("expected a text body, got {other:?}"),
        }
    }

    fn assert_headers(response: &ApiGatewayProxyResponse) {
        assert_eq!(response.headers.len(), 2);
        assert_eq!(response.headers[CONTENT_TYPE], "application/json");
        assert_eq!(response.headers[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    }

    #[test]
    fn parses_a_complete_body() {
        let user = parse_user(
            Some(r#"{"user_id":"u1","name":"Ada","email":"ada@example.com","created_at":"2020-01-01"}"#),
            || panic!("clock read although created_at was given"),
        )
        .unwrap();
        assert_eq!(
            user,
            User {
                user_id: "u1".into(),
                name: "Ada".into(),
                email: "ada@example.com".into(),
                created_at: "2020-01-01".into(),
            }
        );
    }

    #[test]
    fn fills_missing_or_empty_created_at_from_the_clock() {
        for body in [
            r#"{"user_id":"u1","name":"Ada","email":"a@b"}"#,
            r#"{"user_id":"u1","name":"Ada","email":"a@b","created_at":""}"#,
            r#"{"user_id":"u1","name":"Ada","email":"a@b","created_at":null}"#,
        ] {
            assert_eq!(
                parse_user(Some(body), now).unwrap().created_at,
                NOW,
                "{body}"
            );
        }
    }

    #[test]
    fn ignores_unknown_fields() {
        let user = parse_user(
            Some(r#"{"user_id":"u1","name":"Ada","email":"a@b","role":"admin"}"#),
            now,
        )
        .unwrap();
        assert_eq!(user.user_id, "u1");
    }

    #[test]
    fn rejects_what_is_not_a_json_object_as_invalid_json() {
        for body in [
            None,
            Some(""),
            Some("not json"),
            Some("{\"user_id\":"),
            Some("[]"),
            Some("\"u1\""),
            Some("42"),
            Some(r#"{"user_id":"u1","name":"Ada","email":"a@b"} trailing"#),
            // A field of the wrong type fails Go's Unmarshal too.
            Some(r#"{"user_id":1,"name":"Ada","email":"a@b"}"#),
        ] {
            assert_eq!(
                parse_user(body, now),
                Err(Rejection::InvalidJson),
                "{body:?}"
            );
        }
    }

    #[test]
    fn rejects_absent_null_or_empty_required_fields() {
        for body in [
            "{}",
            "null",
            r#"{"name":"Ada","email":"a@b"}"#,
            r#"{"user_id":"u1","email":"a@b"}"#,
            r#"{"user_id":"u1","name":"Ada"}"#,
            r#"{"user_id":"","name":"Ada","email":"a@b"}"#,
            r#"{"user_id":"u1","name":null,"email":"a@b"}"#,
        ] {
            assert_eq!(
                parse_user(Some(body), now),
                Err(Rejection::MissingFields),
                "{body}"
            );
        }
    }

    #[test]
    fn rejection_messages_are_the_tutorials() {
        assert_eq!(Rejection::InvalidJson.message(), "Invalid JSON format");
        assert_eq!(
            Rejection::MissingFields.message(),
            "Missing required fields: user_id, name, email"
        );
    }

    #[test]
    fn error_response_has_status_headers_and_error_body() {
        let response = error_response(400, INVALID_JSON);
        assert_eq!(response.status_code, 400);
        assert_headers(&response);
        assert_eq!(
            body_json(&response),
            json!({"error": "Invalid JSON format"})
        );
        assert!(!response.is_base64_encoded);
    }

    #[test]
    fn success_response_has_message_and_user_id() {
        let response = success_response("u1");
        assert_eq!(response.status_code, 200);
        assert_headers(&response);
        assert_eq!(
            body_json(&response),
            json!({"message": "User created successfully", "user_id": "u1"})
        );
    }

    #[test]
    fn response_serializes_to_the_proxy_integration_shape() {
        let wire = serde_json::to_value(success_response("u1")).unwrap();
        assert_eq!(wire["statusCode"], 200);
        // HeaderMap names are lower case on the wire; API Gateway treats them case-insensitively.
        assert_eq!(wire["headers"]["content-type"], "application/json");
        assert_eq!(wire["headers"]["access-control-allow-origin"], "*");
        assert_eq!(
            wire["body"],
            r#"{"message":"User created successfully","user_id":"u1"}"#
        );
        assert_eq!(wire["isBase64Encoded"], false);
    }

    #[test]
    fn item_stores_every_field_as_a_string() {
        let user = User {
            user_id: "u1".into(),
            name: "Ada".into(),
            email: "a@b".into(),
            created_at: NOW.into(),
        };
        let item = user_item(&user);
        assert_eq!(item.len(), 4);
        assert_eq!(item["user_id"], AttributeValue::S("u1".into()));
        assert_eq!(item["name"], AttributeValue::S("Ada".into()));
        assert_eq!(item["email"], AttributeValue::S("a@b".into()));
        assert_eq!(item["created_at"], AttributeValue::S(NOW.into()));
    }

    #[test]
    fn table_name_must_be_set_and_non_empty() {
        assert_eq!(table_name(Some("users-dev".into())).unwrap(), "users-dev");
        for value in [None, Some(String::new())] {
            let error = table_name(value).unwrap_err().to_string();
            assert!(error.contains("TABLE_NAME"), "{error}");
        }
    }

    #[test]
    fn clock_gives_an_rfc3339_utc_time() {
        let now = now_rfc3339();
        assert!(now.starts_with("20") && now.ends_with('Z'), "{now}");
        assert_eq!(&now[10..11], "T", "{now}");
    }

    /// An in-memory table: records every put, or fails them all.
    #[derive(Default)]
    struct FakeStore {
        fail: bool,
        saved: Mutex<Vec<User>>,
    }

    impl UserStore for FakeStore {
        fn put_user(&self, user: &User) -> impl Future<Output = Result<(), Error>> + Send {
            let result = if self.fail {
                Err("ProvisionedThroughputExceededException".into())
            } else {
                self.saved.lock().unwrap().push(user.clone());
                Ok(())
            };
            std::future::ready(result)
        }
    }

    fn request(body: Option<&str>) -> ApiGatewayProxyRequest {
        let mut request = ApiGatewayProxyRequest::default();
        request.body = body.map(str::to_owned);
        request
    }

    #[tokio::test]
    async fn saves_a_valid_user_and_answers_200() {
        let store = FakeStore::default();
        let response = handle_request(
            &store,
            &request(Some(r#"{"user_id":"u1","name":"Ada","email":"a@b"}"#)),
            now,
        )
        .await;
        assert_eq!(response.status_code, 200);
        assert_headers(&response);
        assert_eq!(body_json(&response)["user_id"], "u1");
        let saved = store.saved.lock().unwrap();
        assert_eq!(
            *saved,
            [User {
                user_id: "u1".into(),
                name: "Ada".into(),
                email: "a@b".into(),
                created_at: NOW.into(),
            }]
        );
    }

    #[tokio::test]
    async fn failed_put_answers_500_without_leaking_the_cause() {
        let store = FakeStore {
            fail: true,
            ..FakeStore::default()
        };
        let response = handle_request(
            &store,
            &request(Some(r#"{"user_id":"u1","name":"Ada","email":"a@b"}"#)),
            now,
        )
        .await;
        assert_eq!(response.status_code, 500);
        assert_headers(&response);
        assert_eq!(
            body_json(&response),
            json!({"error": "Internal server error"})
        );
    }

    #[tokio::test]
    async fn invalid_requests_answer_400_and_save_nothing() {
        let store = FakeStore::default();
        let bad_json = handle_request(&store, &request(Some("{")), now).await;
        assert_eq!(bad_json.status_code, 400);
        assert_eq!(body_json(&bad_json), json!({"error": INVALID_JSON}));
        let no_body = handle_request(&store, &request(None), now).await;
        assert_eq!(no_body.status_code, 400);
        assert_eq!(body_json(&no_body), json!({"error": INVALID_JSON}));
        let missing = handle_request(&store, &request(Some(r#"{"user_id":"u1"}"#)), now).await;
        assert_eq!(missing.status_code, 400);
        assert_headers(&missing);
        assert_eq!(body_json(&missing), json!({"error": MISSING_FIELDS}));
        assert!(store.saved.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn handles_an_api_gateway_event_as_delivered() {
        // The shape API Gateway's REST proxy integration sends (trimmed to what matters).
        let event: ApiGatewayProxyRequest = serde_json::from_value(json!({
            "resource": "/users",
            "path": "/users",
            "httpMethod": "POST",
            "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": {"Content-Type": ["application/json"]},
            "queryStringParameters": null,
            "multiValueQueryStringParameters": null,
            "pathParameters": null,
            "stageVariables": null,
            "requestContext": {
                "accountId": "123456789012",
                "resourceId": "abc123",
                "stage": "dev",
                "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                "identity": {"sourceIp": "203.0.113.10"},
                "resourcePath": "/users",
                "httpMethod": "POST",
                "apiId": "1234567890"
            },
            "body": "{\"user_id\":\"u7\",\"name\":\"Grace\",\"email\":\"g@example.com\",\"created_at\":\"2026-01-01T00:00:00Z\"}",
            "isBase64Encoded": false
        }))
        .expect("a REST proxy event deserializes");
        let store = FakeStore::default();
        let response = handle_request(&store, &event, now).await;
        assert_eq!(response.status_code, 200);
        assert_eq!(
            store.saved.lock().unwrap()[0].created_at,
            "2026-01-01T00:00:00Z"
        );
    }
}
