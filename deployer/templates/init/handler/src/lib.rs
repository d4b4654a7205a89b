//! The handler's logic, kept free of the Lambda runtime so it is tested with `cargo test`.

use serde_json::{Value, json};

/// Answers an API Gateway proxy event: 200 with the item parsed from the body, or 400
/// when the body is not a JSON object with a string `id`.
pub fn respond(event: &Value) -> Value {
    let item = event
        .get("body")
        .and_then(Value::as_str)
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .filter(|v| v.get("id").is_some_and(Value::is_string));
    match item {
        Some(item) => json!({"statusCode": 200, "body": item.to_string()}),
        None => {
            json!({"statusCode": 400, "body": "{\"error\":\"a JSON object with a string id\"}"})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_with_an_id_is_accepted() {
        let out = respond(&json!({"body": "{\"id\":\"a1\"}"}));
        assert_eq!(out["statusCode"], 200);
    }

    #[test]
    fn a_body_without_an_id_is_refused() {
        assert_eq!(respond(&json!({"body": "{}"}))["statusCode"], 400);
        assert_eq!(respond(&json!({}))["statusCode"], 400);
    }
}
