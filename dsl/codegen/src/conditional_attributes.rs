//! `Fn::GetAtt` attributes that exist only when a property of the same resource has a
//! certain value ([`CONDITIONAL_ATTRIBUTES_FILE`]): a Redis replication group has a
//! `ConfigurationEndPoint` only in cluster mode, a DynamoDB table a `StreamArn` only with a
//! `StreamSpecification`, and CloudFormation fails the `Fn::GetAtt` (or returns nothing)
//! otherwise. The reviewed rows name their AWS page and quote it; the generator checks each
//! row against the schemas (the type, its attributes and the deciding properties exist) and
//! writes the table synth reads ([`CONDITIONAL_ATTRIBUTES_DATA_FILE`]), so synth parses no
//! JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

/// The reviewed table, relative to the workspace root.
pub const CONDITIONAL_ATTRIBUTES_FILE: &str = "dsl/codegen/data/conditional_attributes.json";

/// The generated table synth reads, relative to the workspace root.
pub const CONDITIONAL_ATTRIBUTES_DATA_FILE: &str = "dsl/src/conditional_attributes_data.rs";

/// Where every row's source must point: the AWS documentation.
const SOURCE_PREFIX: &str = "https://docs.aws.amazon.com/";

/// The evidence a row may give.
const EVIDENCE: [&str; 3] = ["documented", "implied", "failure_report"];

/// When an attribute exists, as the row's `rule` states it (the variants of
/// `nephos::conditional_attributes_data`'s `Rule`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Present when `property` is set.
    Set(String),
    /// Present when `property` is not set.
    Unset(String),
    /// Present when the literal `property` is one of `values` (case-insensitively).
    OneOf {
        /// The deciding property.
        property: String,
        /// The values under which the attribute exists.
        values: Vec<String>,
    },
    /// Present when the boolean `property` is true; `absent` is its value when not set.
    True {
        /// The deciding property.
        property: String,
        /// The value of the property when it is not set.
        absent: bool,
    },
    /// Present when the literal list `property`.`member` holds `value`; `absent` says
    /// whether it is present when either is not set.
    Contains {
        /// The deciding object property.
        property: String,
        /// Its list member.
        member: String,
        /// The item under which the attribute exists.
        value: String,
        /// Whether the attribute exists when the list is not set.
        absent: bool,
    },
    /// ElastiCache: present when cluster mode is enabled (`true`) or disabled (`false`).
    ClusterMode(bool),
    /// EC2: present when the instance gets a public IPv4 address.
    PublicIp,
}

/// One row: the attributes of `type_name` that exist only as `rule` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The resource type.
    pub type_name: String,
    /// The `Fn::GetAtt` names.
    pub attributes: Vec<String>,
    /// When they exist.
    pub rule: Rule,
    /// Properties whose presence leaves the attribute to what synth cannot see.
    pub undecided_when_set: Vec<String>,
    /// The condition, in words, for the diagnostic.
    pub present_when: String,
    /// The AWS page.
    pub source: String,
    /// `documented`, `implied` or `failure_report`.
    pub evidence: String,
}

impl Row {
    /// The top-level properties the row reads.
    fn properties(&self) -> Vec<&str> {
        let mut out: Vec<&str> = match &self.rule {
            Rule::Set(p) | Rule::Unset(p) => vec![p],
            Rule::OneOf { property, .. }
            | Rule::True { property, .. }
            | Rule::Contains { property, .. } => vec![property],
            Rule::ClusterMode(_) => vec![
                "ClusterMode",
                "NumNodeGroups",
                "NodeGroupConfiguration",
                "CacheParameterGroupName",
            ],
            Rule::PublicIp => vec!["NetworkInterfaces", "SubnetId"],
        };
        out.extend(self.undecided_when_set.iter().map(String::as_str));
        out
    }
}

/// Loads [`CONDITIONAL_ATTRIBUTES_FILE`] below `root`.
///
/// # Errors
/// The file cannot be read or parsed, or a row is incomplete (see [`parse`]).
pub fn load(root: &Path) -> Result<Vec<Row>, String> {
    let path = root.join(CONDITIONAL_ATTRIBUTES_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the table (see [`load`]).
///
/// # Errors
/// A row lacks a field, has an unknown rule or evidence, or a source outside the AWS
/// documentation.
pub fn parse(text: &str) -> Result<Vec<Row>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let rows = v
        .get("attributes")
        .and_then(Value::as_array)
        .ok_or("no `attributes` list")?;
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let text_at = |pointer: &str| {
            r.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("row {i}: no `{pointer}`"))
        };
        let texts_at = |pointer: &str| -> Result<Vec<String>, String> {
            match r.pointer(pointer) {
                None => Ok(Vec::new()),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| format!("row {i}: `{pointer}` holds a non-text"))
                    })
                    .collect(),
                Some(_) => Err(format!("row {i}: `{pointer}` is not a list")),
            }
        };
        let bool_at = |pointer: &str| {
            r.pointer(pointer)
                .and_then(Value::as_bool)
                .ok_or_else(|| format!("row {i}: no boolean `{pointer}`"))
        };
        let type_name = text_at("/type")?;
        let rule = match text_at("/rule/kind")?.as_str() {
            "set" => Rule::Set(text_at("/rule/property")?),
            "unset" => Rule::Unset(text_at("/rule/property")?),
            "one_of" => Rule::OneOf {
                property: text_at("/rule/property")?,
                values: texts_at("/rule/values")?,
            },
            "true" => Rule::True {
                property: text_at("/rule/property")?,
                absent: bool_at("/rule/absent")?,
            },
            "contains" => Rule::Contains {
                property: text_at("/rule/property")?,
                member: text_at("/rule/member")?,
                value: text_at("/rule/value")?,
                absent: bool_at("/rule/absent")?,
            },
            "cluster_mode" => Rule::ClusterMode(bool_at("/rule/present_when_enabled")?),
            "public_ip" => Rule::PublicIp,
            other => return Err(format!("row {i} ({type_name}): unknown rule `{other}`")),
        };
        if let Rule::OneOf { values, .. } = &rule
            && values.is_empty()
        {
            return Err(format!("row {i} ({type_name}): `one_of` without values"));
        }
        let row = Row {
            attributes: texts_at("/attributes")?,
            rule,
            undecided_when_set: texts_at("/undecided_when_set")?,
            present_when: text_at("/present_when")?,
            source: text_at("/source")?,
            evidence: text_at("/evidence")?,
            type_name,
        };
        if row.attributes.is_empty() {
            return Err(format!("row {i} ({}): no attributes", row.type_name));
        }
        if !row.source.starts_with(SOURCE_PREFIX) {
            return Err(format!(
                "row {i} ({}): the source must be an AWS documentation page ({SOURCE_PREFIX}...)",
                row.type_name
            ));
        }
        if !EVIDENCE.contains(&row.evidence.as_str()) {
            return Err(format!(
                "row {i} ({}): evidence `{}` is none of {}",
                row.type_name,
                row.evidence,
                EVIDENCE.join(", ")
            ));
        }
        out.push(row);
    }
    Ok(out)
}

/// Checks every row against the schemas: the type exists, each attribute is one of its
/// `Fn::GetAtt` attributes (read-only properties, dotted, or the supplement's), each
/// property the rule reads is one of its properties, and no attribute is listed twice.
///
/// # Errors
/// The first row that does not hold.
pub fn verify(
    rows: &[Row],
    schemas: &BTreeMap<String, Value>,
    supplement: &BTreeMap<String, Vec<String>>,
) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for row in rows {
        let t = &row.type_name;
        let schema = schemas
            .get(t)
            .ok_or_else(|| format!("{CONDITIONAL_ATTRIBUTES_FILE}: {t} has no schema"))?;
        let read_only: Vec<String> = schema
            .get("readOnlyProperties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|p| {
                p.strip_prefix("/properties/")
                    .unwrap_or(p)
                    .replace('/', ".")
            })
            .chain(supplement.get(t).into_iter().flatten().cloned())
            .collect();
        for a in &row.attributes {
            if !read_only.contains(a) {
                return Err(format!(
                    "{CONDITIONAL_ATTRIBUTES_FILE}: {t} has no attribute `{a}`"
                ));
            }
            if !seen.insert((t.clone(), a.clone())) {
                return Err(format!(
                    "{CONDITIONAL_ATTRIBUTES_FILE}: {t}.{a} is listed twice"
                ));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for p in row.properties() {
            if !properties.is_some_and(|m| m.contains_key(p)) {
                return Err(format!(
                    "{CONDITIONAL_ATTRIBUTES_FILE}: {t} has no property `{p}`"
                ));
            }
        }
    }
    Ok(())
}

/// The Rust source of [`CONDITIONAL_ATTRIBUTES_DATA_FILE`].
pub fn module(rows: &[Row]) -> String {
    let lit = |s: &str| format!("{s:?}");
    let lits = |v: &[String]| {
        let items: Vec<String> = v.iter().map(|s| lit(s)).collect();
        format!("&[{}]", items.join(", "))
    };
    let mut out = String::from(
        "// @generated by nephos-codegen from dsl/codegen/data/conditional_attributes.json\n\
         // (dsl/codegen/src/conditional_attributes.rs). DO NOT EDIT.\n\
         //! `Fn::GetAtt` attributes that exist only when a property of the same resource has a\n\
         //! certain value, with the AWS page that says so: read by\n\
         //! `synth/checks/conditional_attributes.rs`.\n\n\
         use crate::synth::checks::conditional_attributes::{Row, Rule};\n\n\
         /// Every row of the reviewed table, in its order.\n\
         pub(crate) static ROWS: &[Row] = &[\n",
    );
    for row in rows {
        let rule = match &row.rule {
            Rule::Set(p) => format!("Rule::Set({})", lit(p)),
            Rule::Unset(p) => format!("Rule::Unset({})", lit(p)),
            Rule::OneOf { property, values } => format!(
                "Rule::OneOf {{ property: {}, values: {} }}",
                lit(property),
                lits(values)
            ),
            Rule::True { property, absent } => format!(
                "Rule::True {{ property: {}, absent: {absent} }}",
                lit(property)
            ),
            Rule::Contains {
                property,
                member,
                value,
                absent,
            } => format!(
                "Rule::Contains {{ property: {}, member: {}, value: {}, absent: {absent} }}",
                lit(property),
                lit(member),
                lit(value)
            ),
            Rule::ClusterMode(enabled) => format!("Rule::ClusterMode({enabled})"),
            Rule::PublicIp => "Rule::PublicIp".to_string(),
        };
        let _ = writeln!(
            out,
            "    Row {{ type_name: {}, attributes: {}, rule: {rule}, undecided_when_set: {}, present_when: {}, source: {}, evidence: {} }},",
            lit(&row.type_name),
            lits(&row.attributes),
            lits(&row.undecided_when_set),
            lit(&crate::emit::escape_controls(&row.present_when)),
            lit(&row.source),
            lit(&row.evidence),
        );
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reviewed_table_parses_and_a_bad_row_is_refused() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let rows = load(&root).unwrap();
        assert!(rows.iter().any(|r| r.type_name == "AWS::DynamoDB::Table"
            && r.rule == Rule::Set("StreamSpecification".into())));
        let bad = r#"{"attributes": [{"type": "AWS::X::Y", "attributes": ["A"], "rule": {"kind": "maybe"},
            "present_when": "p", "source": "https://docs.aws.amazon.com/x", "evidence": "documented"}]}"#;
        assert!(parse(bad).unwrap_err().contains("unknown rule `maybe`"));
        let elsewhere = bad
            .replace("\"maybe\"", "\"set\", \"property\": \"P\"")
            .replace("https://docs.aws.amazon.com/x", "https://example.com/x");
        assert!(parse(&elsewhere).unwrap_err().contains("AWS documentation"));
    }

    #[test]
    fn a_row_naming_what_the_schema_lacks_is_refused() {
        let schema: Value = serde_json::json!({
            "properties": {"StreamSpecification": {}, "StreamArn": {}},
            "readOnlyProperties": ["/properties/StreamArn"]
        });
        let schemas = BTreeMap::from([("AWS::DynamoDB::Table".to_string(), schema)]);
        let row = Row {
            type_name: "AWS::DynamoDB::Table".into(),
            attributes: vec!["StreamArn".into()],
            rule: Rule::Set("StreamSpecification".into()),
            undecided_when_set: vec![],
            present_when: "p".into(),
            source: "https://docs.aws.amazon.com/x".into(),
            evidence: "documented".into(),
        };
        assert_eq!(
            verify(std::slice::from_ref(&row), &schemas, &BTreeMap::new()),
            Ok(())
        );
        let mut no_attribute = row.clone();
        no_attribute.attributes = vec!["StreamLabel".into()];
        assert!(
            verify(&[no_attribute], &schemas, &BTreeMap::new())
                .unwrap_err()
                .contains("no attribute `StreamLabel`")
        );
        let mut no_property = row.clone();
        no_property.rule = Rule::Set("Stream".into());
        assert!(
            verify(&[no_property], &schemas, &BTreeMap::new())
                .unwrap_err()
                .contains("no property `Stream`")
        );
        assert!(
            verify(&[row.clone(), row], &schemas, &BTreeMap::new())
                .unwrap_err()
                .contains("listed twice")
        );
    }
}
