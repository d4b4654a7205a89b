//! The cfn-lint findings the reviewed kind corrections expect
//! (`dsl/codegen/data/kind_corrections.json`, entries with `cfn_lint`): cfn-lint 1.x reads
//! the registry schema's format (rules E1040 and E1041), and where a correction replaces or
//! widens it, the corrected wiring is reported though AWS takes it (a Route 53 alias to a
//! record in the same zone, given that zone's own ID). Shared by the cfn-lint harnesses.

use std::path::Path;

/// `(type, property name, rule)` of every correction recording a cfn-lint finding.
pub fn expected() -> Vec<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/data/kind_corrections.json");
    let text = std::fs::read_to_string(&path).expect("read the kind corrections");
    let table: serde_json::Value = serde_json::from_str(&text).expect("kind corrections parse");
    table["corrections"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| {
            let rule = c["cfn_lint"]
                .as_str()?
                .split_whitespace()
                .next()?
                .to_string();
            let property = c["pointer"]
                .as_str()?
                .rsplit('/')
                .find(|p| *p != "items")?
                .to_string();
            Some((c["type"].as_str()?.to_string(), property, rule))
        })
        .collect()
}

/// Whether `finding` (one cfn-lint JSON finding) on `template` is one a correction expects:
/// its rule, at the corrected property of a resource of the corrected type.
pub fn is_expected(
    expected: &[(String, String, String)],
    template: &serde_json::Value,
    finding: &serde_json::Value,
) -> bool {
    let rule = finding["Rule"]["Id"].as_str().unwrap_or("");
    let path: Vec<&str> = finding["Location"]["Path"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .collect();
    let ["Resources", id, "Properties", rest @ ..] = &path[..] else {
        return false;
    };
    let type_name = template["Resources"][*id]["Type"].as_str().unwrap_or("");
    expected
        .iter()
        .any(|(t, p, r)| t == type_name && r == rule && rest.contains(&p.as_str()))
}
