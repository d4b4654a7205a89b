//! Every `pattern` (and `patternProperties` key) of the schemas must compile through the
//! translation synth uses ([`crate::ecma`], the dsl's `check/ecma.rs`): a pattern that
//! does not is a constraint synth would skip, so [`verify`] stops the generator on one,
//! unless it is listed with its reason in [`UNEXPRESSIBLE_FILE`] (synth then notes it as
//! not checked).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Patterns that cannot be checked, with the reason: a JSON array of
/// `{"pattern": "...", "reason": "..."}`, relative to the workspace root.
pub const UNEXPRESSIBLE_FILE: &str = "dsl/codegen/data/unexpressible_patterns.json";

const UNEXPRESSIBLE: &str = include_str!("../data/unexpressible_patterns.json");

/// The listed patterns synth cannot check, with their reasons.
///
/// # Errors
/// The data file is not such a list.
pub fn unexpressible() -> Result<BTreeMap<String, String>, String> {
    let list: Vec<BTreeMap<String, String>> =
        serde_json::from_str(UNEXPRESSIBLE).map_err(|e| format!("{UNEXPRESSIBLE_FILE}: {e}"))?;
    list.into_iter()
        .map(|mut e| match (e.remove("pattern"), e.remove("reason")) {
            (Some(p), Some(r)) if e.is_empty() => Ok((p, r)),
            _ => Err(format!(
                "{UNEXPRESSIBLE_FILE}: each entry has a pattern and a reason"
            )),
        })
        .collect()
}

/// Every distinct pattern the schemas state: `pattern` values and `patternProperties` keys.
pub fn schema_patterns(schemas: &BTreeMap<String, Value>) -> BTreeSet<String> {
    fn walk(node: &Value, out: &mut BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                if let Some(p) = map.get("pattern").and_then(Value::as_str) {
                    out.insert(p.to_string());
                }
                if let Some(pp) = map.get("patternProperties").and_then(Value::as_object) {
                    out.extend(pp.keys().cloned());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    schemas.values().for_each(|s| walk(s, &mut out));
    out
}

/// The schemas' patterns that do not compile, with the reason.
pub fn failing(schemas: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    schema_patterns(schemas)
        .into_iter()
        .filter_map(|p| crate::ecma::compile(&p).err().map(|e| (p, e)))
        .collect()
}

/// Stops the generator when a schema pattern does not compile and is not listed in
/// [`UNEXPRESSIBLE_FILE`], or a listed one now compiles (the list is kept exact).
///
/// # Errors
/// The patterns concerned, one a line.
pub fn verify(schemas: &BTreeMap<String, Value>) -> Result<(), String> {
    let listed = unexpressible()?;
    let failing = failing(schemas);
    let mut problems = Vec::new();
    for (p, e) in &failing {
        if !listed.contains_key(p) {
            problems.push(format!("pattern {p:?} does not compile: {e}"));
        }
    }
    for p in listed.keys() {
        if !failing.contains_key(p) {
            problems.push(format!("{UNEXPRESSIBLE_FILE} lists {p:?}, which compiles"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests;
