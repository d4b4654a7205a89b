//! Statuses are typed once, in `deployer/src/cfn/status.rs`: everywhere else a stack,
//! resource, change-set or execution status is a variant of its enum (`StackStatus::
//! UpdateComplete`, or `StackStatus::from(..)` for a spelling nephos does not know), so a
//! misspelt status cannot compile. This guard fails when a known spelling comes back as a
//! quoted literal anywhere in the deployer's sources or tests outside `cfn/`, or in the
//! workspace's end-to-end tests (`tests/`), which drive the deployer too.

use std::fs;
use std::path::{Path, PathBuf};

use nephos_cli::cfn::status::{ChangeSetStatus, ExecutionStatus, ResourceStatus, StackStatus};

/// Every status spelling nephos knows, each quoted as a Rust literal would be.
fn quoted_spellings() -> Vec<String> {
    let mut all: Vec<String> = StackStatus::KNOWN
        .iter()
        .map(|s| s.as_str().to_owned())
        .chain(ResourceStatus::KNOWN.iter().map(|s| s.as_str().to_owned()))
        .chain(ChangeSetStatus::KNOWN.iter().map(|s| s.as_str().to_owned()))
        .chain(ExecutionStatus::KNOWN.iter().map(|s| s.as_str().to_owned()))
        .map(|s| format!("\"{s}\""))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The `.rs` files under `dir`, depth first, in name order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// `file:line: text` for every line of `files` that quotes one of `spellings`.
fn literal_statuses(root: &Path, files: &[PathBuf], spellings: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for path in files {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (n, line) in text.lines().enumerate() {
            if spellings.iter().any(|s| line.contains(s.as_str())) {
                let shown = path.strip_prefix(root).unwrap_or(path).display();
                found.push(format!("{shown}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_status_is_spelled_as_a_string_outside_the_cfn_seam() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seam = root.join("src").join("cfn");
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    rust_files(&root.join("..").join("tests"), &mut files);
    files.retain(|p| !p.starts_with(&seam));
    assert!(
        files.len() > 100,
        "the scan found only {} files: is the layout what this guard expects?",
        files.len()
    );
    let found = literal_statuses(root, &files, &quoted_spellings());
    assert!(
        found.is_empty(),
        "status literals outside deployer/src/cfn/ (use the enum in cfn::status: \
         `StackStatus::UpdateComplete`, `.as_str()` where text is compared):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_guard_sees_a_quoted_status_and_skips_the_enum() {
    // The scan itself, on a file of each kind, so a guard that matches nothing fails here.
    let dir = std::env::temp_dir().join(format!("nephos-status-guard-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let quoted = dir.join("quoted.rs");
    let typed = dir.join("typed.rs");
    let spelled = format!(
        "let s = stack(\"{}\");\n",
        StackStatus::UpdateRollbackFailed
    );
    fs::write(&quoted, spelled).unwrap();
    fs::write(
        &typed,
        "let s = stack(StackStatus::UpdateRollbackFailed);\n",
    )
    .unwrap();
    let found = literal_statuses(&dir, &[quoted, typed], &quoted_spellings());
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("quoted.rs:1:"), "{found:?}");
}
