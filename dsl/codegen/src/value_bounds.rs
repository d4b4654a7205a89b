//! Reviewed value bounds ([`BOUNDS_FILE`]): where a registry schema bounds a number more
//! weakly than the service does (a security group rule's ports have only `minimum: -1`, so
//! port 70000 passed synth and EC2 refused it at deploy), the bound the AWS documentation
//! states, applied to the type's schema before it is built so the constraint table checks
//! it at synth like any schema bound.
//!
//! cfn-lint's schema patches and extensions (the data it checks templates with) bound none
//! of these ports, so the table is hand-kept, each entry naming the page that states its
//! bound. An entry only tightens: one the schema already meets (a refresh brought the bound)
//! or that names no number fails the generator, so the table cannot go stale unseen.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

/// The bounds table, relative to the workspace root.
pub const BOUNDS_FILE: &str = "dsl/codegen/data/value_bounds.json";

/// Where every entry's source must point: the AWS documentation.
const SOURCE_PREFIX: &str = "https://docs.aws.amazon.com/";

/// One reviewed bound: the number at `pointer` (a JSON pointer into the type's schema) is
/// at least `minimum` and at most `maximum`, as the page at `source` states.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// JSON pointer to an integer or number property of the schema.
    pub pointer: String,
    /// The least value the service takes, where the schema states less.
    pub minimum: Option<f64>,
    /// The greatest value the service takes, where the schema states more.
    pub maximum: Option<f64>,
    /// The AWS documentation page that states it.
    pub source: String,
}

/// Loads [`BOUNDS_FILE`] below `root`, by type name.
///
/// # Errors
/// The file cannot be read or parsed, or an entry lacks a field, states no bound, or gives
/// a source outside the AWS documentation.
pub fn load(root: &Path) -> Result<BTreeMap<String, Vec<Bound>>, String> {
    let path = root.join(BOUNDS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the bounds table (see [`load`]).
///
/// # Errors
/// As [`load`], less the file access.
pub fn parse(text: &str) -> Result<BTreeMap<String, Vec<Bound>>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let entries = v
        .get("bounds")
        .and_then(Value::as_array)
        .ok_or("no `bounds` list")?;
    let mut out: BTreeMap<String, Vec<Bound>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let field = |name: &str| {
            e.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("bound {i}: no `{name}`"))
        };
        let type_name = field("type")?;
        let pointer = field("pointer")?;
        let source = field("source")?;
        if !source.starts_with(SOURCE_PREFIX) {
            return Err(format!(
                "bound {i} ({type_name}): the source must be an AWS documentation page ({SOURCE_PREFIX}...)"
            ));
        }
        let minimum = e.get("minimum").and_then(Value::as_f64);
        let maximum = e.get("maximum").and_then(Value::as_f64);
        if minimum.is_none() && maximum.is_none() {
            return Err(format!(
                "bound {i} ({type_name}): neither `minimum` nor `maximum`"
            ));
        }
        out.entry(type_name).or_default().push(Bound {
            pointer,
            minimum,
            maximum,
            source,
        });
    }
    Ok(out)
}

/// `schema` with `bounds` applied.
///
/// # Errors
/// A pointer names no integer or number property, or a bound does not tighten the schema's
/// (the schema changed: the entry is to be reviewed).
pub fn apply(type_name: &str, mut schema: Value, bounds: &[Bound]) -> Result<Value, String> {
    for b in bounds {
        let stale = |what: &str| {
            format!(
                "{type_name}: the value bound at {} {what} (the schema changed: review {BOUNDS_FILE} against {})",
                b.pointer, b.source
            )
        };
        let node = schema
            .pointer_mut(&b.pointer)
            .and_then(Value::as_object_mut)
            .filter(|n| {
                matches!(
                    n.get("type").and_then(Value::as_str),
                    Some("integer" | "number")
                )
            })
            .ok_or_else(|| stale("names no integer or number property"))?;
        let has = |n: &serde_json::Map<String, Value>, k: &str| n.get(k).and_then(Value::as_f64);
        if let Some(min) = b.minimum {
            if has(node, "minimum").is_some_and(|m| m >= min) {
                return Err(stale("does not raise the schema's minimum"));
            }
            node.insert("minimum".into(), json!(min));
        }
        if let Some(max) = b.maximum {
            if has(node, "maximum").is_some_and(|m| m <= max) {
                return Err(stale("does not lower the schema's maximum"));
            }
            node.insert("maximum".into(), json!(max));
        }
    }
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port_bound() -> Bound {
        Bound {
            pointer: "/properties/ToPort".into(),
            minimum: None,
            maximum: Some(65535.0),
            source: "https://docs.aws.amazon.com/x".into(),
        }
    }

    /// A bound the schema lacks is added; one the schema already states (or a pointer to
    /// no number) fails, naming the entry to review.
    #[test]
    fn a_bound_tightens_the_schema_or_fails() {
        let schema = json!({"properties": {"ToPort": {"type": "integer", "minimum": -1}}});
        let applied = apply("T", schema, &[port_bound()]).unwrap();
        assert_eq!(
            applied["properties"]["ToPort"],
            json!({"type": "integer", "minimum": -1, "maximum": 65535.0})
        );
        let already = json!({"properties": {"ToPort": {"type": "integer", "maximum": 1024}}});
        let err = apply("T", already, &[port_bound()]).unwrap_err();
        assert!(err.contains("does not lower"), "{err}");
        let text = json!({"properties": {"ToPort": {"type": "string"}}});
        let err = apply("T", text, &[port_bound()]).unwrap_err();
        assert!(err.contains("names no integer"), "{err}");
    }

    #[test]
    fn a_source_outside_the_aws_documentation_is_refused() {
        let text = r#"{"bounds": [{"type": "T", "pointer": "/properties/P", "maximum": 1, "source": "https://example.com"}]}"#;
        assert!(parse(text).unwrap_err().contains("AWS documentation"));
        let none = r#"{"bounds": [{"type": "T", "pointer": "/properties/P", "source": "https://docs.aws.amazon.com/x"}]}"#;
        assert!(parse(none).unwrap_err().contains("neither"));
    }
}
