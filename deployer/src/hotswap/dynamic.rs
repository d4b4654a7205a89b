//! CloudFormation dynamic references (`{{resolve:ssm:...}}`, `{{resolve:ssm-secure:...}}`,
//! `{{resolve:secretsmanager:...}}`): CloudFormation replaces them with the value they name
//! when it applies a template (CloudFormation User Guide, "Get values stored in other
//! services using dynamic references"). The Lambda API does not: a hotswap would write the
//! reference itself into the function, so a value that holds one is never hotswapped.

use serde_json::Value;

/// The text that opens a dynamic reference. Compared without regard to ASCII case, so
/// that no spelling CloudFormation might accept slips through.
const OPENING: &str = "{{resolve:";

/// The service of the first dynamic reference anywhere in `value` (strings and object
/// keys, at any depth), escaped for one line, or `None` when it holds none.
///
/// # Example
/// ```
/// use nephos_cli::hotswap::dynamic::dynamic_reference;
/// let env = serde_json::json!({"Variables": {"K": "x-{{resolve:ssm-secure:/db/pw}}"}});
/// assert_eq!(dynamic_reference(&env).as_deref(), Some("ssm-secure"));
/// assert_eq!(dynamic_reference(&serde_json::json!({"Variables": {"K": "{{x}}"}})), None);
/// ```
pub fn dynamic_reference(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => in_text(s),
        Value::Array(a) => a.iter().find_map(dynamic_reference),
        Value::Object(m) => m
            .iter()
            .find_map(|(k, v)| in_text(k).or_else(|| dynamic_reference(v))),
        _ => None,
    }
}

fn in_text(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let at = lower.find(OPENING)?;
    let rest = &s[at + OPENING.len()..];
    let service: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(32)
        .collect();
    Some(if service.is_empty() {
        "unnamed service".to_owned()
    } else {
        service
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_found_at_any_depth_and_in_any_case() {
        for (v, service) in [
            (json!("{{resolve:ssm:/app/url}}"), "ssm"),
            (
                json!({"a": ["x", {"b": "p{{resolve:secretsmanager:s:SecretString:pw}}q"}]}),
                "secretsmanager",
            ),
            (json!({"{{RESOLVE:ssm-secure:k}}": "v"}), "ssm-secure"),
            (json!("{{resolve:}}"), "unnamed service"),
        ] {
            assert_eq!(dynamic_reference(&v).as_deref(), Some(service), "{v}");
        }
        for v in [
            json!("{{resolve"),
            json!({"resolve:ssm": 1}),
            json!(["{ {resolve:ssm:x}}", 3]),
        ] {
            assert_eq!(dynamic_reference(&v), None, "{v}");
        }
    }
}
