//! Formatting and writing the generated files, or checking that the tree matches them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Formats Rust source with rustfmt (edition 2024), as `cargo fmt` would: to rustfmt's
/// fixed point, since one pass over deeply nested calls (the round-trip sample) can still
/// change on the next, and `cargo fmt --all` must leave generated files alone.
pub fn rustfmt(source: &str) -> Result<String, String> {
    let mut text = rustfmt_once(source)?;
    for _ in 0..3 {
        let again = rustfmt_once(&text)?;
        if again == text {
            return Ok(text);
        }
        text = again;
    }
    Ok(text)
}

fn rustfmt_once(source: &str) -> Result<String, String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let text = source.to_string();
    // Written from a thread so a large file cannot deadlock on a full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt writer panicked".to_string())?
        .map_err(|e| format!("cannot write to rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output is not UTF-8: {e}"))
}

/// What a run changed (or, with `check`, would change).
#[derive(Debug, Default)]
pub struct Report {
    /// Files written or differing.
    pub changed: Vec<PathBuf>,
    /// Stale generated files removed (or that would be).
    pub removed: Vec<PathBuf>,
}

/// Writes `files` under `root` and removes generated files under `owned_dir` that are no
/// longer produced. With `check`, only reports.
pub fn write_all(
    root: &Path,
    owned_dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    check: bool,
) -> Result<Report, String> {
    let mut report = Report::default();
    for (rel, text) in files {
        let path = root.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        report.changed.push(rel.clone());
        if !check {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let mut stack = vec![root.join(owned_dir)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if !files.contains_key(&rel) {
                report.removed.push(rel);
                if !check {
                    std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                }
            }
        }
    }
    report.removed.sort();
    Ok(report)
}
