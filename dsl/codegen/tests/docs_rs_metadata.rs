//! docs.rs builds `nephos` with the features `[package.metadata.docs.rs]` names: the
//! generated `docs-rs` feature only, which lists exactly the services the generator's rule
//! gives (`nephos_codegen::docs_rs`), so a service added to the schemas is documented and
//! an excluded one stays out.

use std::path::{Path, PathBuf};

use nephos_codegen::{docs_rs, schemas, services};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The lines of the TOML table `[name]` of `text`, up to the next table.
fn table<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| l.trim() != format!("[{name}]"))
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .collect()
}

/// The quoted strings of the array `key = [...]` in `lines` (one line or one item a line).
fn array(lines: &[&str], key: &str) -> Option<Vec<String>> {
    let start = lines
        .iter()
        .position(|l| l.split('=').next().map(str::trim) == Some(key))?;
    let mut text = String::new();
    for line in &lines[start..] {
        text.push_str(line);
        if line.trim_end().ends_with(']') {
            break;
        }
    }
    let inside = text.split_once('[')?.1.rsplit_once(']')?.0;
    Some(
        inside
            .split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

#[test]
fn docs_rs_builds_exactly_the_generated_service_list() {
    let manifest = std::fs::read_to_string(root().join("dsl/Cargo.toml")).expect("manifest");
    let metadata = table(&manifest, "package.metadata.docs.rs");
    assert_eq!(
        array(&metadata, "features"),
        Some(vec![docs_rs::FEATURE.to_string()]),
        "[package.metadata.docs.rs] must name the generated `docs-rs` feature alone"
    );
    assert!(
        !metadata
            .iter()
            .any(|l| l.trim_start().starts_with("all-features")),
        "all-features would build QuickSight's docs too, over docs.rs's memory limit"
    );
    assert_eq!(
        array(&metadata, "rustdoc-args"),
        Some(vec!["--cfg".to_string(), "docsrs".to_string()])
    );

    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let services = services::services(schemas.keys().map(String::as_str)).expect("services");
    let expected = docs_rs::services(&services).expect("excluded names are services");
    let features = table(&manifest, "features");
    let listed = array(&features, docs_rs::FEATURE).expect("the docs-rs feature");
    assert_eq!(listed, expected);
    for excluded in docs_rs::EXCLUDED {
        assert!(
            !listed.iter().any(|s| s == excluded),
            "{excluded} is listed"
        );
    }
    assert_eq!(listed.len(), services.len() - docs_rs::EXCLUDED.len());
}
