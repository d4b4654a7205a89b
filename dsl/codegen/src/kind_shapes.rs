//! The shape a literal of each typed string kind must have, so synth can refuse
//! `Value::<IamRoleArn>::literal("my-role")` instead of CloudFormation at deploy.
//!
//! A kind names a resource attribute (`AWS::IAM::Role.Arn`); its shape is that attribute's
//! `pattern` in the type's registry schema (read-only properties keep theirs: 998 kinds
//! have one). An ARN kind whose attribute has no pattern gets the ARN syntax every ARN
//! follows, `arn:partition:service:region:account-id:resource` (AWS IAM User Guide,
//! "IAM identifiers" / ARN format, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>),
//! and so does the generic `AnyArn`. A union is checked member by member at synth: a
//! literal that fits any member passes, and a member without a shape admits anything.
//!
//! A pattern the dsl's regex engine cannot compile, or one that admits any text, gives no
//! shape: a check needs evidence.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

/// The ARN syntax (see the module docs): six colon-separated parts, the first `arn`, the
/// partition and service never empty, region and account may be (S3, IAM).
pub const ARN_SYNTAX: &str = "^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+";

/// Where a shape comes from, as the diagnostic names it.
pub const FROM_SCHEMA: &str = "schema";
/// See [`FROM_SCHEMA`].
pub const FROM_ARN_SYNTAX: &str = "arn";

/// The pattern of the attribute `format` names (`AWS::IAM::Role.Arn`, nested attributes
/// as `Endpoint.Address`) in its type's schema, following `$ref`s.
pub fn schema_pattern<'a>(schemas: &'a BTreeMap<String, Value>, format: &str) -> Option<&'a str> {
    let (type_name, attribute) = format.split_once('.')?;
    let schema = schemas.get(type_name)?;
    let by_path = || {
        let mut node = schema;
        for part in attribute.split('.') {
            node = resolve(schema, node.get("properties")?.get(part)?);
        }
        Some(node)
    };
    // A format need not spell its property's name (`AWS::Logs::LogGroup.Name` is the
    // property `LogGroupName`): then the top-level property that declares it is the one.
    let by_format = || {
        schema
            .get("properties")?
            .as_object()?
            .values()
            .map(|p| resolve(schema, p))
            .find(|p| p.get("format").and_then(Value::as_str) == Some(format))
    };
    by_path()
        .filter(|n| n.get("pattern").is_some())
        .or_else(by_format)?
        .get("pattern")?
        .as_str()
}

fn resolve<'a>(schema: &'a Value, mut node: &'a Value) -> &'a Value {
    // Bounded: a `$ref` cycle in a broken schema stops instead of looping.
    for _ in 0..16 {
        let Some(name) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"))
        else {
            break;
        };
        match schema.get("definitions").and_then(|d| d.get(name)) {
            Some(def) => node = def,
            None => break,
        }
    }
    node
}

/// Whether `pattern` is usable evidence: it compiles in the dsl's engine (once translated
/// to Rust syntax, as it is emitted) and rejects some text.
fn usable(pattern: &str) -> bool {
    let Ok(re) = fancy_regex::Regex::new(&crate::samples::rust_syntax(pattern)) else {
        return false;
    };
    // Text no identifier, name or ARN looks like: a pattern that admits it admits anything.
    let admits = |text: &str| re.is_match(text).unwrap_or(true);
    !(admits("") && admits("\u{1} \n%#!?"))
}

/// The shape of one non-union kind: its schema pattern, else the ARN syntax for an ARN kind.
pub fn shape(schemas: &BTreeMap<String, Value>, format: &str) -> Option<(String, &'static str)> {
    if format == crate::any_arn::ANY_ARN_FORMAT {
        return Some((ARN_SYNTAX.to_string(), FROM_ARN_SYNTAX));
    }
    if let Some(p) = schema_pattern(schemas, format).filter(|p| usable(p)) {
        return Some((crate::samples::rust_syntax(p), FROM_SCHEMA));
    }
    crate::any_arn::is_arn_format(format).then(|| (ARN_SYNTAX.to_string(), FROM_ARN_SYNTAX))
}

/// The `kinds.rs` section: `SHAPES`, one `(format, pattern, source)` row per kind of
/// `kinds` (Rust name to format) that has a shape, sorted by format.
pub fn section(schemas: &BTreeMap<String, Value>, kinds: &BTreeMap<String, String>) -> String {
    let mut rows = BTreeMap::new();
    for format in kinds.values() {
        for member in format.split(crate::unions::SEPARATOR) {
            if let Some(s) = shape(schemas, member) {
                rows.insert(member.to_string(), s);
            }
        }
    }
    let mut out = String::from(
        "/// The shape a literal of each kind must have, by format (sorted): the pattern of its\n/// attribute in the registry schema (`schema`), or the ARN syntax (`arn`). Written by\n/// nephos-codegen (`dsl/codegen/src/kind_shapes.rs`); read by `Value::literal`.\n#[rustfmt::skip]\npub(crate) static SHAPES: &[(&str, &str, &str)] = &[\n",
    );
    for (format, (pattern, source)) in rows {
        let _ = writeln!(out, "    ({format:?}, {pattern:?}, {source:?}),");
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> BTreeMap<String, Value> {
        let role = serde_json::json!({
            "properties": {
                "Arn": {"type": "string", "pattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$"},
                "Name": {"$ref": "#/definitions/Name"},
                "Endpoint": {"$ref": "#/definitions/Endpoint"},
                "Free": {"type": "string", "pattern": "(?s).*"},
                "RoleName": {"type": "string", "format": "AWS::X::Role.Title", "pattern": "^[A-Z]"}
            },
            "definitions": {
                "Name": {"type": "string", "pattern": "^[a-z]+$"},
                "Endpoint": {"properties": {"Address": {"pattern": "^[a-z.]+$"}}}
            }
        });
        [("AWS::X::Role".to_string(), role)].into_iter().collect()
    }

    #[test]
    fn schema_patterns_are_found_through_refs_and_nested_attributes() {
        let s = schemas();
        assert_eq!(
            shape(&s, "AWS::X::Role.Name"),
            Some(("^[a-z]+$".to_string(), FROM_SCHEMA))
        );
        assert_eq!(
            shape(&s, "AWS::X::Role.Endpoint.Address").map(|x| x.0),
            Some("^[a-z.]+$".to_string())
        );
        assert_eq!(
            shape(&s, "AWS::X::Role.Arn").map(|x| x.1),
            Some(FROM_SCHEMA)
        );
        assert_eq!(
            shape(&s, "AWS::X::Role.Title").map(|x| x.0),
            Some("^[A-Z]".to_string())
        );
    }

    #[test]
    fn arn_kinds_without_a_pattern_take_the_arn_syntax_and_free_text_gives_nothing() {
        let s = schemas();
        assert_eq!(
            shape(&s, "AWS::X::Queue.Arn"),
            Some((ARN_SYNTAX.to_string(), FROM_ARN_SYNTAX))
        );
        assert_eq!(shape(&s, "AWS::X::Queue.Url"), None);
        assert_eq!(shape(&s, "AWS::X::Role.Free"), None);
        assert_eq!(
            shape(&s, crate::any_arn::ANY_ARN_FORMAT).map(|x| x.1),
            Some(FROM_ARN_SYNTAX)
        );
        let re = fancy_regex::Regex::new(ARN_SYNTAX).unwrap();
        let admits = |t: &str| re.is_match(t).unwrap();
        assert!(admits("arn:aws:s3:::bucket"));
        assert!(admits("arn:aws:iam::123456789012:role/ops"));
        assert!(!admits("my-role"));
        assert!(!admits("arn:aws:sqs"));
    }

    #[test]
    fn union_members_each_get_a_row() {
        let s = schemas();
        let kinds: BTreeMap<String, String> = [(
            "U".to_string(),
            "AWS::X::Role.Arn | AWS::X::Role.Name".to_string(),
        )]
        .into_iter()
        .collect();
        let text = section(&s, &kinds);
        assert!(text.contains("(\"AWS::X::Role.Arn\","));
        assert!(text.contains("(\"AWS::X::Role.Name\", \"^[a-z]+$\", \"schema\")"));
    }
}
