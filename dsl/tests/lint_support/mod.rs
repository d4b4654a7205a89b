//! cfn-lint over synthesized stacks, every finding kept (errors, warnings and
//! informational ones) but those a reviewed kind correction records ([`corrections`]):
//! the tests that use it expect none at all.

#[allow(dead_code)]
pub mod corrections;

use std::path::Path;
use std::process::Command;

use nephos::Stack;

/// Synthesizes each stack (panicking on a synth error), lints the templates with one
/// cfn-lint process, and returns every finding as `file rule path: message`.
pub fn findings(stacks: &[&Stack]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cfn_lint = root.join(".venv/bin/cfn-lint");
    assert!(
        cfn_lint.exists(),
        "{} is missing: run scripts/venv.sh",
        cfn_lint.display()
    );
    let dir = std::env::temp_dir().join(format!(
        "nephos-lint-{}-{}",
        std::process::id(),
        std::thread::current()
            .name()
            .unwrap_or("main")
            .replace("::", "-")
    ));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let mut templates = std::collections::BTreeMap::new();
    let files: Vec<_> = stacks
        .iter()
        .map(|stack| {
            let t = stack
                .synth()
                .unwrap_or_else(|e| panic!("synth of {} failed: {e}", stack.name()));
            let path = dir.join(format!("{}.json", stack.name()));
            std::fs::write(&path, t.to_json_pretty()).expect("write template");
            templates.insert(format!("{}.json", stack.name()), t.json().clone());
            path
        })
        .collect();
    let output = Command::new(&cfn_lint)
        .args(["--format", "json", "--"])
        .args(&files)
        .output()
        .expect("run cfn-lint");
    let _ = std::fs::remove_dir_all(&dir);
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let expected = corrections::expected();
    found
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            let file = f["Filename"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("");
            let template = templates.get(file).unwrap_or(&serde_json::Value::Null);
            !corrections::is_expected(&expected, template, f)
        })
        .map(|f| {
            format!(
                "{} {} {}: {}",
                f["Filename"]
                    .as_str()
                    .unwrap_or("?")
                    .rsplit('/')
                    .next()
                    .unwrap_or("?"),
                f["Rule"]["Id"].as_str().unwrap_or("?"),
                f["Location"]["Path"],
                f["Message"].as_str().unwrap_or("?")
            )
        })
        .collect()
}
