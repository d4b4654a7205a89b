//! Whether the assembly an app run wrote comes from the project nephos runs in.
//!
//! Cargo judges a workspace package fresh by file times and names its fingerprints
//! relative to the workspace, so two checkouts sharing a target directory (one global
//! `CARGO_TARGET_DIR`, git worktrees) can make `cargo run` in checkout B run the binary
//! built from checkout A: A's stack name, A's code. That binary records A's handler
//! workspace in the manifest (the scaffold sets it from `env!("CARGO_MANIFEST_DIR")`, fixed
//! at compile time), which is what gives it away here.

use std::path::{Path, PathBuf};

use super::assembly::StackSource;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// Refuses stacks whose Rust handler workspace is not the project in `cwd`: neither `cwd`
/// itself, nor a directory below it, nor the workspace `cwd` belongs to (the nearest
/// directory at or above `cwd` holding `Cargo.lock` must be that workspace).
///
/// An app with no Rust handler records no path, so it is not checked (nothing in the
/// manifest tells two checkouts apart). Only app runs are checked: an assembly passed with
/// `--assembly` may come from another machine or CI job.
pub fn check_from_project(stacks: &[StackSource], cwd: &Path) -> Result<()> {
    let here = std::fs::canonicalize(cwd)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", cwd.display())))?;
    for stack in stacks {
        for asset in &stack.artifact.assets {
            let Some(build) = &asset.build else { continue };
            let recorded = Path::new(&build.workspace);
            // A workspace that no longer exists is someone else's too.
            let workspace =
                std::fs::canonicalize(recorded).unwrap_or_else(|_| recorded.to_path_buf());
            if !belongs(&workspace, &here) {
                return Err(foreign(&stack.artifact.id, &workspace, &here));
            }
        }
    }
    Ok(())
}

/// Whether a handler workspace is the project in `here`: `here` or below it, or the
/// workspace `here` is a member of (no `Cargo.lock` of another workspace in between).
fn belongs(workspace: &Path, here: &Path) -> bool {
    if workspace.starts_with(here) {
        return true;
    }
    if !here.starts_with(workspace) {
        return false;
    }
    // `here` is below the workspace: another `Cargo.lock` on the way up means `here` is a
    // workspace of its own (for example a checkout nested inside another one).
    let mut at: PathBuf = here.to_path_buf();
    while at != workspace {
        if at.join("Cargo.lock").exists() {
            return false;
        }
        if !at.pop() {
            return false;
        }
    }
    true
}

fn foreign(stack: &str, workspace: &Path, here: &Path) -> Error {
    Error::with_next(
        format!(
            "the app's output is from another checkout: stack {} records handler workspace {}, but nephos runs in {} (Cargo judged a binary built from the other checkout fresh: the two share a target directory, and file times decide freshness)",
            escape_line(stack),
            escape_line(&workspace.to_string_lossy()),
            escape_line(&here.to_string_lossy()),
        ),
        "rebuild the app from this checkout: `cargo clean -p <app package>` (or `touch src/main.rs`), or give each checkout its own CARGO_TARGET_DIR; then run the command again (a handler workspace kept outside the project on purpose is refused too: move it under the project)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir()
            .join(format!("nephos-provenance-{}", std::process::id()))
            .join(name);
        std::fs::create_dir_all(&d).unwrap_or_default();
        std::fs::canonicalize(&d).unwrap_or(d)
    }

    #[test]
    fn the_project_itself_and_its_subdirectories_belong() {
        let a = dir("a");
        assert!(belongs(&a, &a));
        assert!(belongs(&a.join("lambdas"), &a));
    }

    #[test]
    fn a_sibling_checkout_does_not_belong() {
        let (a, b) = (dir("s/a"), dir("s/b"));
        assert!(!belongs(&a, &b));
        assert!(!belongs(&b, &a));
    }

    #[test]
    fn the_enclosing_workspace_belongs_unless_a_lock_file_sits_between() {
        let outer = dir("o");
        let member = dir("o/apps/api");
        assert!(belongs(&outer, &member));
        // A checkout nested in another one has its own Cargo.lock.
        let nested = dir("o/wt/b");
        std::fs::write(nested.join("Cargo.lock"), "").unwrap_or_default();
        assert!(!belongs(&outer, &nested));
        assert!(!belongs(&outer, &nested.join("src")));
    }
}
