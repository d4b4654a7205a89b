//! cfn-lint, an independent validator, accepts every template the examples produce:
//! no errors and no warnings.

mod common;

use std::process::Command;

#[test]
fn cfn_lint_reports_nothing_on_the_examples() {
    let cfn_lint = common::venv_bin("cfn-lint");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cfn-lint-examples");
    let _ = std::fs::remove_dir_all(&dir);
    let mut files = Vec::new();
    for (name, app) in common::examples() {
        let manifest = app
            .write(&dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for stack in manifest.stacks {
            files.push(dir.join(name).join(stack.template_file));
        }
    }
    assert!(!files.is_empty());
    // One process for all templates: cfn-lint's start-up dominates its run time.
    let out = Command::new(&cfn_lint)
        .args(["--format", "json"])
        .args(&files)
        .output()
        .expect("cfn-lint runs");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint did not print JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let findings = findings.as_array().expect("a list of findings");
    let serious: Vec<String> = findings
        .iter()
        .filter(|f| f["Level"] != "Informational")
        .map(|f| {
            format!(
                "{} {} {}: {}",
                f["Level"], f["Rule"]["Id"], f["Filename"], f["Message"]
            )
        })
        .collect();
    assert!(
        serious.is_empty(),
        "cfn-lint findings:\n{}",
        serious.join("\n")
    );
}
