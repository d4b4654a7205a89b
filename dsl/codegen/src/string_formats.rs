//! The string `format`s synth checks (`nephos::StringFormat`, `dsl/src/check/format.rs`):
//! the schemas name `date-time` 629 times, `ipv4-network` 60, `ipv6-network` 12. Their other
//! formats are read elsewhere (`json`: JSON and policy documents; `AWS::…` attribute
//! formats: kinds) or state nothing a string can be held to (`int64`, `double` on numbers;
//! `string`, `password`, `timestamp`, `uri`, and one regex written as a format).

use serde_json::Value;

/// Each checked format: its schema name and its `nephos::StringFormat` variant.
pub const CHECKED: &[(&str, &str)] = &[
    ("date-time", "DateTime"),
    ("ipv4-network", "Ipv4Network"),
    ("ipv6-network", "Ipv6Network"),
];

/// The checked format a schema node names, if any.
pub fn checked(node: &Value) -> Option<&'static str> {
    let name = node.get("format").and_then(Value::as_str)?;
    CHECKED.iter().map(|(n, _)| *n).find(|n| *n == name)
}

/// The Rust expression of a checked format, such as `nephos::StringFormat::DateTime`.
pub fn rust(name: &str) -> String {
    let variant = CHECKED
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("DateTime", |(_, v)| v);
    format!("nephos::StringFormat::{variant}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_checked_formats_become_checks() {
        let node = |f: &str| serde_json::json!({"type": "string", "format": f});
        assert_eq!(checked(&node("ipv4-network")), Some("ipv4-network"));
        assert_eq!(checked(&node("date-time")), Some("date-time"));
        assert_eq!(checked(&node("json")), None);
        assert_eq!(checked(&node("AWS::EC2::VPC.Id")), None);
        assert_eq!(rust("ipv6-network"), "nephos::StringFormat::Ipv6Network");
    }
}
