//! Reviewed corrections to what a property or attribute refers to ([`CORRECTIONS_FILE`]).
//!
//! The registry schemas' formats and the AWS service spec's `relationshipRefs` are the
//! sources of the reference kinds, and where they disagree with what the service accepts a
//! kind either lets a value compile that fails at deploy (MSK's data-volume key takes only a
//! key ARN, the spec also names the key ID) or rejects a value the service takes (a Kinesis
//! stream's key may be an alias name, the spec lacks it). Those few cases are corrected in
//! data, each entry naming the AWS documentation page that states the accepted values, and
//! applied to the schema before the type is built, so every later step (the schema's own
//! format wins over the supplement) sees the corrected formats.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Value, json};

/// The corrections table, relative to the workspace root.
pub const CORRECTIONS_FILE: &str = "dsl/codegen/data/kind_corrections.json";

/// Where every entry's source must point: the AWS documentation.
const SOURCE_PREFIX: &str = "https://docs.aws.amazon.com/";

/// One reviewed correction: the node at `pointer` (a JSON pointer into the type's schema,
/// `/definitions/EncryptionAtRest/properties/DataVolumeKMSKeyId`) refers to any one of
/// `formats` (`AWS::KMS::Key.Arn`), as the page at `source` states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// JSON pointer to a string property or attribute of the schema.
    pub pointer: String,
    /// The resource attributes it refers to, one or several.
    pub formats: Vec<String>,
    /// The AWS documentation page that states the accepted values.
    pub source: String,
    /// The cfn-lint 1.x finding a template wiring a corrected format here gets (`E1041`
    /// for a `Ref`, `E1040` for a `Fn::GetAtt`: the source's format does not match the
    /// schema's format, which cfn-lint still reads), when the correction replaces or widens
    /// a format the schema states. Verified by linting such a template; the generated
    /// setter says so, and the cfn-lint test harness expects it ([`LINT_KEY`]).
    pub cfn_lint: Option<String>,
}

/// The key [`apply`] writes beside the corrected formats with [`Correction::cfn_lint`],
/// read by the field builder into the setter's doc.
pub const LINT_KEY: &str = "x-nephos-cfn-lint";

/// The cfn-lint rules a correction may record: the format rules of cfn-lint 1.x
/// (`E1040` for `Fn::GetAtt`, `E1041` for `Ref`).
const LINT_RULES: &[&str] = &["E1040", "E1041"];

/// Loads [`CORRECTIONS_FILE`] below `root`, by type name.
///
/// # Errors
/// The file cannot be read or parsed, or an entry lacks a field, names a format that is no
/// resource attribute, or gives a source outside the AWS documentation.
pub fn load(root: &Path) -> Result<BTreeMap<String, Vec<Correction>>, String> {
    let path = root.join(CORRECTIONS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the corrections table (see [`load`]).
///
/// # Errors
/// As [`load`], less the file access.
pub fn parse(text: &str) -> Result<BTreeMap<String, Vec<Correction>>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let entries = v
        .get("corrections")
        .and_then(Value::as_array)
        .ok_or("no `corrections` list")?;
    let mut out: BTreeMap<String, Vec<Correction>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let field = |name: &str| {
            e.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("correction {i}: no `{name}`"))
        };
        let type_name = field("type")?;
        let pointer = field("pointer")?;
        let source = field("source")?;
        if !source.starts_with(SOURCE_PREFIX) {
            return Err(format!(
                "correction {i} ({type_name}): the source must be an AWS documentation page ({SOURCE_PREFIX}...)"
            ));
        }
        let formats: Vec<String> = e
            .get("formats")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect();
        if formats.is_empty() {
            return Err(format!("correction {i} ({type_name}): no `formats`"));
        }
        if formats.len() > 1 && formats.iter().any(|f| f == crate::any_arn::ANY_ARN_FORMAT) {
            return Err(format!(
                "correction {i} ({type_name}): `{}` (any ARN) already takes every ARN kind; give it alone",
                crate::any_arn::ANY_ARN_FORMAT
            ));
        }
        if let Some(f) = formats
            .iter()
            .find(|f| crate::build::format_kind(f).is_none())
        {
            return Err(format!(
                "correction {i} ({type_name}): `{f}` is no resource attribute"
            ));
        }
        let cfn_lint = e
            .get("cfn_lint")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(lint) = &cfn_lint
            && !LINT_RULES.iter().any(|r| lint.starts_with(r))
        {
            return Err(format!(
                "correction {i} ({type_name}): `cfn_lint` must start with one of {LINT_RULES:?}, the format rules"
            ));
        }
        out.entry(type_name).or_default().push(Correction {
            pointer,
            formats,
            source,
            cfn_lint,
        });
    }
    Ok(out)
}

/// One reviewed widening: a value of the kind `from` (`AWS::Lambda::Version.FunctionArn`)
/// is also a value of the kind `into` (`AWS::Lambda::Function.Arn`), as the page at
/// `source` states, so it converts where the wider kind is taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Widening {
    /// The narrower kind's format.
    pub from: String,
    /// The wider kind's format.
    pub into: String,
    /// The AWS documentation page that states it.
    pub source: String,
}

/// The `widenings` list of [`CORRECTIONS_FILE`] below `root` (empty when absent).
///
/// # Errors
/// The file cannot be read or parsed, or an entry lacks a field, names a format that is no
/// resource attribute, or gives a source outside the AWS documentation.
pub fn load_widenings(root: &Path) -> Result<Vec<Widening>, String> {
    let path = root.join(CORRECTIONS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_widenings(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the `widenings` list (see [`load_widenings`]).
///
/// # Errors
/// As [`load_widenings`], less the file access.
pub fn parse_widenings(text: &str) -> Result<Vec<Widening>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Some(entries) = v.get("widenings") else {
        return Ok(Vec::new());
    };
    let entries = entries.as_array().ok_or("`widenings` is no list")?;
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let field = |name: &str| {
            e.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("widening {i}: no `{name}`"))
        };
        let (from, into, source) = (field("from")?, field("into")?, field("source")?);
        if !source.starts_with(SOURCE_PREFIX) {
            return Err(format!(
                "widening {i}: the source must be an AWS documentation page ({SOURCE_PREFIX}...)"
            ));
        }
        for f in [&from, &into] {
            if crate::build::format_kind(f).is_none() {
                return Err(format!("widening {i}: `{f}` is no resource attribute"));
            }
        }
        out.push(Widening { from, into, source });
    }
    Ok(out)
}

/// The `kinds.rs` section of the widenings: one conversion per entry whose kinds both exist
/// in `kinds` (Rust name to format).
///
/// # Errors
/// An entry names a kind no generated type uses: the table must be reviewed.
pub fn widenings_section(
    kinds: &BTreeMap<String, String>,
    widenings: &[Widening],
) -> Result<String, String> {
    let rust = |format: &str| {
        kinds
            .iter()
            .find(|(_, f)| f.as_str() == format)
            .map(|(r, _)| r.clone())
            .ok_or_else(|| {
                format!("{CORRECTIONS_FILE}: the widening's kind `{format}` is not generated")
            })
    };
    let mut out = String::new();
    for w in widenings {
        let (from, into) = (rust(&w.from)?, rust(&w.into)?);
        out.push_str(&format!(
            "// A `{}` is a `{}` ({}).\ncrate::union_kind!(@into {into}, [{from}]);\n",
            w.from, w.into, w.source
        ));
    }
    for (from, target, via) in carried(kinds, widenings) {
        let (from_rust, target_rust) = (rust(&from)?, rust(&target)?);
        out.push_str(&format!(
            "// A `{from}` is a `{via}`, so it is a `{target}`.\n\
             crate::union_kind!(@into {target_rust}, [{from_rust}]);\n"
        ));
    }
    Ok(out)
}

/// The conversions the widenings imply beyond their own: `(from, target, via)` where a
/// `from` value widens (through one or more entries) into `via`, and `target` is either
/// `via` itself reached through a chain of entries, or a union kind in `kinds` with `via`
/// among its members and `from` not (a union member converts already). Without these a
/// version's ARN converts into `LambdaFunctionArn` but not into `LambdaFunctionArnOrName`,
/// which `Permission::new` takes. Sorted and without repeats, one per (from, target).
pub fn carried(
    kinds: &BTreeMap<String, String>,
    widenings: &[Widening],
) -> Vec<(String, String, String)> {
    let direct: BTreeSet<(&str, &str)> = widenings
        .iter()
        .map(|w| (w.from.as_str(), w.into.as_str()))
        .collect();
    let mut out: BTreeMap<(String, String), String> = BTreeMap::new();
    for from in direct.iter().map(|(f, _)| *f).collect::<BTreeSet<_>>() {
        // Every format `from` reaches; a cycle in the table ends at a format seen before.
        let mut reached: BTreeSet<&str> = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(at) = todo.pop() {
            for (_, into) in direct.iter().filter(|(f, _)| *f == at) {
                if *into != from && reached.insert(into) {
                    todo.push(into);
                }
            }
        }
        for via in &reached {
            if !direct.contains(&(from, via)) {
                out.entry((from.to_string(), via.to_string()))
                    .or_insert_with(|| via.to_string());
            }
            for name in kinds.values() {
                let members: Vec<&str> = name.split(crate::unions::SEPARATOR).collect();
                if crate::unions::is_union(name)
                    && members.contains(via)
                    && !members.contains(&from)
                {
                    out.entry((from.to_string(), name.clone()))
                        .or_insert_with(|| via.to_string());
                }
            }
        }
    }
    out.into_iter().map(|((f, t), v)| (f, t, v)).collect()
}

/// Every schema of `schemas` with its type's corrections applied ([`apply`]): what the
/// kinds' literal shapes read, so a property whose schema format a correction replaces no
/// longer counts as taking the schema's kind (the Lambda web function's own ARN, with
/// pattern `web-function/`, took the function ARN's template away from its kind).
///
/// # Errors
/// As [`apply`].
pub fn apply_all(
    schemas: &BTreeMap<String, Value>,
    corrections: &BTreeMap<String, Vec<Correction>>,
) -> Result<BTreeMap<String, Value>, String> {
    schemas
        .iter()
        .map(|(t, s)| {
            let s = match corrections.get(t) {
                Some(c) => apply(t, s.clone(), c)?,
                None => s.clone(),
            };
            Ok((t.clone(), s))
        })
        .collect()
}

/// `schema` with `corrections` applied: each node's own formats (a `format`, an `anyOf` or
/// `oneOf`) are replaced by the correction's, a single `format` or an `anyOf` of them.
///
/// # Errors
/// A pointer that resolves to no string node: the schema changed under the correction,
/// which must be reviewed again.
pub fn apply(
    type_name: &str,
    mut schema: Value,
    corrections: &[Correction],
) -> Result<Value, String> {
    for c in corrections {
        let node = schema
            .pointer_mut(&c.pointer)
            .and_then(Value::as_object_mut)
            .filter(|n| {
                n.contains_key("$ref") || n.get("type").and_then(Value::as_str) == Some("string")
            })
            .ok_or_else(|| {
                format!(
                    "{type_name}: the kind correction at {} names no string property \
                     (the schema changed: review {CORRECTIONS_FILE} against {})",
                    c.pointer, c.source
                )
            })?;
        node.remove("format");
        node.remove("anyOf");
        node.remove("oneOf");
        if let [only] = &c.formats[..] {
            node.insert("format".into(), json!(only));
        } else {
            let alternatives: Vec<Value> =
                c.formats.iter().map(|f| json!({ "format": f })).collect();
            node.insert("anyOf".into(), Value::Array(alternatives));
        }
        if let Some(lint) = &c.cfn_lint {
            node.insert(LINT_KEY.into(), json!(lint));
        }
    }
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(pointer: &str, formats: &[&str]) -> Correction {
        Correction {
            pointer: pointer.into(),
            formats: formats.iter().map(|f| f.to_string()).collect(),
            source: format!("{SOURCE_PREFIX}x"),
            cfn_lint: None,
        }
    }

    #[test]
    fn a_single_format_replaces_the_alternatives() {
        let schema = json!({"properties": {"K": {"type": "string",
            "anyOf": [{"format": "AWS::KMS::Key.Arn"}, {"format": "AWS::KMS::Key.Id"}]}}});
        let out = apply("T", schema, &[one("/properties/K", &["AWS::KMS::Key.Arn"])]).unwrap();
        assert_eq!(
            out["properties"]["K"],
            json!({"type": "string", "format": "AWS::KMS::Key.Arn"})
        );
    }

    #[test]
    fn several_formats_become_alternatives_beside_a_ref() {
        let schema = json!({"definitions": {"A": {"properties": {"Z": {
            "$ref": "#/definitions/Z", "format": "AWS::Route53::AliasTarget.HostedZoneId"}}}}});
        let formats = [
            "AWS::Route53::AliasTarget.HostedZoneId",
            "AWS::Route53::HostedZone.Id",
        ];
        let out = apply("T", schema, &[one("/definitions/A/properties/Z", &formats)]).unwrap();
        let node = &out["definitions"]["A"]["properties"]["Z"];
        assert!(node.get("format").is_none());
        assert_eq!(
            crate::unions::alternatives(node).unwrap(),
            formats.map(String::from).to_vec()
        );
    }

    #[test]
    fn a_pointer_the_schema_no_longer_has_stops_the_generator() {
        let schema = json!({"properties": {"K": {"type": "integer"}}});
        for pointer in ["/properties/Gone", "/properties/K"] {
            let err =
                apply("T", schema.clone(), &[one(pointer, &["AWS::KMS::Key.Arn"])]).unwrap_err();
            assert!(err.contains(pointer) && err.contains("review"), "{err}");
        }
    }

    #[test]
    fn a_widening_becomes_one_conversion_and_an_unknown_kind_stops_the_generator() {
        let text = r#"{"corrections": [], "widenings": [{"from": "AWS::Lambda::Version.FunctionArn",
            "into": "AWS::Lambda::Function.Arn", "source": "https://docs.aws.amazon.com/x"}]}"#;
        let w = parse_widenings(text).unwrap();
        let kinds: BTreeMap<String, String> = [
            ("LambdaFunctionArn", "AWS::Lambda::Function.Arn"),
            (
                "LambdaVersionFunctionArn",
                "AWS::Lambda::Version.FunctionArn",
            ),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let section = widenings_section(&kinds, &w).unwrap();
        assert!(
            section.contains(
                "crate::union_kind!(@into LambdaFunctionArn, [LambdaVersionFunctionArn]);"
            )
        );
        assert!(widenings_section(&BTreeMap::new(), &w).is_err());
        assert!(parse_widenings(&text.replace("docs.aws.amazon.com", "example.com")).is_err());
        assert!(
            parse_widenings(r#"{"corrections": []}"#)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_widening_reaches_every_union_of_its_target_and_chains() {
        let w = |from: &str, into: &str| Widening {
            from: from.into(),
            into: into.into(),
            source: format!("{SOURCE_PREFIX}x"),
        };
        let kinds: BTreeMap<String, String> = [
            ("A", "X::Y::A.Arn"),
            ("B", "X::Y::B.Arn"),
            ("C", "X::Y::C.Arn"),
            ("BOrN", "X::Y::B.Arn | X::Y::N.Name"),
            ("AOrB", "X::Y::A.Arn | X::Y::B.Arn"),
            ("COrN", "X::Y::C.Arn | X::Y::N.Name"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        // A is a B, B is a C.
        let table = [
            w("X::Y::A.Arn", "X::Y::B.Arn"),
            w("X::Y::B.Arn", "X::Y::C.Arn"),
        ];
        let text = widenings_section(&kinds, &table).unwrap();
        for line in [
            "crate::union_kind!(@into B, [A]);",
            "crate::union_kind!(@into C, [A]);",
            "crate::union_kind!(@into BOrN, [A]);",
            "crate::union_kind!(@into COrN, [A]);",
            "crate::union_kind!(@into COrN, [B]);",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
        // A union that has A as a member converts it already: a second impl would clash.
        assert!(!text.contains("@into AOrB, [A]"), "{text}");
        assert_eq!(text.matches("@into COrN, [A]").count(), 1, "{text}");
        // A cycle in the table ends.
        let cycle = [
            w("X::Y::A.Arn", "X::Y::B.Arn"),
            w("X::Y::B.Arn", "X::Y::A.Arn"),
        ];
        assert!(widenings_section(&kinds, &cycle).is_ok());
    }

    #[test]
    fn entries_name_an_aws_documentation_page_and_resource_attributes() {
        let entry = |source: &str, format: &str| {
            format!(
                r#"{{"corrections": [{{"type": "T", "pointer": "/properties/K",
                "formats": ["{format}"], "source": "{source}"}}]}}"#
            )
        };
        let ok = parse(&entry(
            "https://docs.aws.amazon.com/a.html",
            "AWS::KMS::Key.Arn",
        ))
        .unwrap();
        assert_eq!(ok["T"][0].formats, ["AWS::KMS::Key.Arn"]);
        assert!(parse(&entry("https://example.com/a.html", "AWS::KMS::Key.Arn")).is_err());
        assert!(parse(&entry("https://docs.aws.amazon.com/a.html", "not a format")).is_err());
    }
}
