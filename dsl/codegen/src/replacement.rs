//! Replacement and list-order facts of a resource type, merged from two sources:
//!
//! - the registry schema (`dsl/schemas/*.json`): `createOnlyProperties` (replaces),
//!   `conditionalCreateOnlyProperties` (may replace) and `insertionOrder: false` (a list
//!   whose order CloudFormation ignores);
//! - the AWS service spec (`@aws-cdk/aws-service-spec`, vendored as facts in
//!   `dsl/schemas/aws-service-spec/replacement.json` by `scripts/refresh_service_spec.py`):
//!   `causesReplacement: yes | maybe`.
//!
//! Neither source alone is complete: the registry misses a DynamoDB table's `KeySchema`,
//! which the service spec marks `yes`. A property replaces when either source says so; it
//! may replace when a source says "maybe" and none says it always does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// The service spec's facts of one type: paths (slash-separated below `Properties`, `*` for
/// any list or map element) whose change replaces (`yes`) or may replace (`maybe`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecFacts {
    /// `causesReplacement: yes`.
    pub yes: Vec<String>,
    /// `causesReplacement: maybe`.
    pub maybe: Vec<String>,
}

/// The merged facts of one type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Paths whose change replaces the resource, sorted, none inside another.
    pub replaces: Vec<String>,
    /// Paths whose change may replace it, sorted, none inside a replacing path.
    pub may_replace: Vec<String>,
    /// Lists whose order CloudFormation ignores (`insertionOrder: false`), sorted.
    pub unordered: Vec<String>,
}

/// Loads `replacement.json`: `{"source": "...", "types": {"AWS::X::Y": {"yes": [..], "maybe": [..]}}}`.
pub fn load(path: &Path) -> Result<BTreeMap<String, SpecFacts>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let types = v
        .get("types")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{}: no \"types\" object", path.display()))?;
    let list = |f: &Value, key: &str| -> Vec<String> {
        f.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(types
        .iter()
        .map(|(t, f)| {
            (
                t.clone(),
                SpecFacts {
                    yes: list(f, "yes"),
                    maybe: list(f, "maybe"),
                },
            )
        })
        .collect())
}

/// Whether `inner` is `outer` or lies below it (`*` in `outer` matches any one segment).
pub fn covers(outer: &str, inner: &str) -> bool {
    let mut o = outer.split('/');
    let mut i = inner.split('/');
    loop {
        match (o.next(), i.next()) {
            (None, _) => return true,
            (Some(_), None) => return false,
            (Some(a), Some(b)) if a == b || a == "*" || b == "*" => {}
            _ => return false,
        }
    }
}

/// Merges a type's registry `schema` with its service-spec facts (`None`: the spec has none).
pub fn merge(schema: &Value, spec: Option<&SpecFacts>) -> Merged {
    let registry = |key: &str| -> Vec<String> {
        schema
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|p| p.strip_prefix("/properties/").unwrap_or(p).to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut replaces: Vec<String> = registry("createOnlyProperties");
    let mut maybe: Vec<String> = registry("conditionalCreateOnlyProperties");
    if let Some(s) = spec {
        replaces.extend(s.yes.iter().cloned());
        maybe.extend(s.maybe.iter().cloned());
    }
    let replaces = outermost(replaces);
    let maybe: Vec<String> = outermost(maybe)
        .into_iter()
        .filter(|m| !replaces.iter().any(|r| covers(r, m)))
        .collect();
    let mut unordered = BTreeSet::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let mut seen = Vec::new();
        for (name, node) in props {
            unordered_paths(schema, node, name.clone(), &mut seen, &mut unordered);
        }
    }
    Merged {
        replaces,
        may_replace: maybe,
        unordered: unordered.into_iter().collect(),
    }
}

/// Sorted, deduplicated paths with those inside another dropped.
fn outermost(paths: Vec<String>) -> Vec<String> {
    let all: BTreeSet<String> = paths.into_iter().collect();
    all.iter()
        .filter(|p| !all.iter().any(|q| q != *p && covers(q, p)))
        .cloned()
        .collect()
}

const MAX_DEPTH: usize = 8;

/// Collects the paths of `insertionOrder: false` lists below `node` (at `path`), following
/// `$ref`s into the schema's definitions without looping on recursive ones.
fn unordered_paths<'a>(
    schema: &'a Value,
    node: &'a Value,
    path: String,
    seen: &mut Vec<&'a str>,
    out: &mut BTreeSet<String>,
) {
    if seen.len() > MAX_DEPTH {
        return;
    }
    let mut node = node;
    let mut pushed = false;
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        if seen.contains(&r) {
            return;
        }
        let Some(target) = r.strip_prefix('#').and_then(|p| schema.pointer(p)) else {
            return;
        };
        seen.push(r);
        pushed = true;
        node = target;
    }
    if node.get("insertionOrder") == Some(&Value::Bool(false)) {
        out.insert(path.clone());
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            unordered_paths(schema, sub, format!("{path}/{name}"), seen, out);
        }
    }
    if let Some(items) = node.get("items").filter(|v| v.is_object()) {
        unordered_paths(schema, items, format!("{path}/*"), seen, out);
    }
    if pushed {
        seen.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_sources_merge_and_maybe_yields_to_yes() {
        let schema = json!({
            "createOnlyProperties": ["/properties/TableName"],
            "conditionalCreateOnlyProperties": ["/properties/Engine"],
            "properties": {
                "Tags": {"type": "array", "insertionOrder": false, "items": {"$ref": "#/definitions/Tag"}},
                "Rules": {"type": "array", "items": {"$ref": "#/definitions/Rule"}}
            },
            "definitions": {
                "Tag": {"type": "object"},
                "Rule": {"type": "object", "properties": {
                    "Ids": {"type": "array", "insertionOrder": false},
                    "Next": {"$ref": "#/definitions/Rule"}}}
            }
        });
        let spec = SpecFacts {
            yes: vec!["KeySchema".into(), "TableName".into()],
            maybe: vec!["KeySchema/*/KeyType".into(), "Port".into()],
        };
        let m = merge(&schema, Some(&spec));
        assert_eq!(m.replaces, ["KeySchema", "TableName"]);
        assert_eq!(m.may_replace, ["Engine", "Port"]);
        assert_eq!(m.unordered, ["Rules/*/Ids", "Tags"]);
    }

    #[test]
    fn stars_match_one_segment() {
        assert!(covers("A/*/B", "A/3/B/C"));
        assert!(covers("A", "A/0"));
        assert!(!covers("A/B", "A"));
        assert!(!covers("AB", "A"));
    }
}
