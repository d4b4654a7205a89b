//! Whether the assembly an app run wrote comes from the project nephos runs in.
//!
//! Cargo judges a workspace package fresh by file times and names its fingerprints
//! relative to the workspace, so two checkouts sharing a target directory (one global
//! `CARGO_TARGET_DIR`, git worktrees) can make `cargo run` in checkout B run the binary
//! built from checkout A: A's stack name, A's code. That binary records A's handler
//! workspace in the manifest (the scaffold sets it from `env!("CARGO_MANIFEST_DIR")`, fixed
//! at compile time), which is what gives it away here.
//!
//! An app with no Rust handler records no workspace; it records the binary that ran
//! (`appExe`, `std::env::current_exe()`), and cargo writes the sources of that binary's
//! last build, absolute, in the dep-info file beside it (`<exe>.d`): those must be in the
//! project too ([`check_app_exe`]).

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

/// Refuses an app binary whose sources, as cargo's dep-info beside it (`<exe>.d`) lists
/// them, are none of them in the project in `cwd` (each source belongs to the workspace of
/// the nearest `Cargo.lock` above it, judged as [`check_from_project`] judges a handler
/// workspace). A manifest without `appExe`, or a binary with no `.d` beside it (not built
/// by cargo), is not checked; relative paths (cargo's `build.dep-info-basedir`) say
/// nothing. A `.d` that is there but cannot be read or parsed is refused, naming it.
pub fn check_app_exe(outdir: &Path, cwd: &Path) -> Result<()> {
    let manifest = outdir.join(nephos::assembly::MANIFEST_FILE);
    let text = super::bounded::read_bounded(&manifest, super::bounded::MAX_CONFIG_BYTES)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", manifest.display())))?;
    let parsed: nephos::assembly::Manifest = serde_json::from_str(&text)
        .map_err(|e| Error::new(format!("invalid {}: {e}", manifest.display())))?;
    let Some(exe) = parsed.app_exe else {
        return Ok(());
    };
    let exe = PathBuf::from(exe);
    if !exe.is_absolute() || exe.to_string_lossy().chars().any(char::is_control) {
        return Err(Error::new(format!(
            "invalid {}: appExe `{}` is not an absolute path",
            manifest.display(),
            escape_line(&exe.to_string_lossy())
        )));
    }
    let depinfo = exe.with_extension("d");
    // No dep-info: the app was not built by cargo. Any other failure to look is no answer.
    match std::fs::symlink_metadata(&depinfo) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::new(format!(
                "cannot tell which sources built the app: cannot read {}: {e}",
                escape_line(&depinfo.to_string_lossy())
            )));
        }
        Ok(_) => {}
    }
    let shown = escape_line(&depinfo.to_string_lossy()).into_owned();
    let sources = crate::build::depinfo::read(&depinfo)
        .map_err(|e| {
            Error::with_next(
                format!("cannot tell which sources built the app: {}", escape_line(&e)),
                format!("rebuild the app (`cargo build`) so cargo writes {shown} anew, then run the command again"),
            )
        })?
        .files;
    let here = std::fs::canonicalize(cwd)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", cwd.display())))?;
    let absolute: Vec<&PathBuf> = sources.iter().filter(|s| s.is_absolute()).collect();
    if absolute.is_empty() {
        return Ok(());
    }
    let mut first_foreign = None;
    for source in absolute {
        let workspace = workspace_of(source);
        if belongs(&workspace, &here) {
            return Ok(());
        }
        first_foreign.get_or_insert(workspace);
    }
    let workspace = first_foreign.unwrap_or_default();
    Err(Error::with_next(
        format!(
            "the app's output is from another checkout: its binary {} was built from sources in {} (cargo's {shown}), but nephos runs in {} (Cargo judged a binary built from the other checkout fresh, or the app command runs another checkout's binary)",
            escape_line(&exe.to_string_lossy()),
            escape_line(&workspace.to_string_lossy()),
            escape_line(&here.to_string_lossy()),
        ),
        "rebuild the app from this checkout: `cargo clean -p <app package>` (or `touch src/main.rs`), or give each checkout its own CARGO_TARGET_DIR; then run the command again",
    ))
}

/// The workspace a source file belongs to: the nearest directory above it holding a
/// `Cargo.lock`, canonical (the file's own directory when there is none).
fn workspace_of(source: &Path) -> PathBuf {
    let dir = source.parent().unwrap_or(source);
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.ancestors()
        .find(|d| d.join("Cargo.lock").is_file())
        .unwrap_or(&dir)
        .to_path_buf()
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

    /// An output directory whose manifest names `exe` as the app binary.
    fn outdir_naming(name: &str, exe: &Path) -> PathBuf {
        let out = dir(name).join("out");
        std::fs::create_dir_all(&out).unwrap_or_default();
        let manifest = serde_json::json!({"version": 1, "stacks": [], "appExe": exe});
        std::fs::write(out.join("manifest.json"), manifest.to_string()).unwrap_or_default();
        out
    }

    #[test]
    fn an_app_binary_built_from_another_checkout_is_refused_by_its_dep_info() {
        let (a, b) = (dir("exe/a"), dir("exe/b"));
        for p in [&a, &b] {
            std::fs::write(p.join("Cargo.lock"), "").unwrap_or_default();
            std::fs::create_dir_all(p.join("src")).unwrap_or_default();
        }
        let target = dir("exe/shared-target/debug");
        let exe = target.join("app");
        let out = outdir_naming("exe/out", &exe);
        // No `.d` beside the binary: not built by cargo, nothing said.
        assert!(check_app_exe(&out, &b).is_ok());
        // Cargo's dep-info names checkout a's sources (and a dependency outside both).
        std::fs::write(
            target.join("app.d"),
            format!(
                "{}: {} /elsewhere/dsl/src/lib.rs\n",
                exe.display(),
                a.join("src/main.rs").display()
            ),
        )
        .unwrap_or_default();
        let e = check_app_exe(&out, &b).expect_err("a's binary run from b");
        assert!(e.0.contains("another checkout"), "{}", e.0);
        assert!(e.0.contains(&a.display().to_string()), "{}", e.0);
        assert!(e.0.contains(&b.display().to_string()), "{}", e.0);
        assert!(
            e.next_step()
                .is_some_and(|n| n.contains("CARGO_TARGET_DIR"))
        );
        assert!(check_app_exe(&out, &a).is_ok(), "from a itself");
        assert!(check_app_exe(&out, &a.join("src")).is_ok(), "from below a");
        // A dep-info file that is there but not dep-info is refused, named.
        std::fs::write(target.join("app.d"), "garbage without a rule\n").unwrap_or_default();
        let e = check_app_exe(&out, &a).expect_err("unreadable dep-info");
        assert!(e.0.contains("app.d"), "{}", e.0);
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
