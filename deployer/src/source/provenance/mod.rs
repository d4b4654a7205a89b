//! Whether the assembly an app run wrote comes from the project nephos runs in.
//!
//! Cargo judges a workspace package fresh by file times and names its fingerprints
//! relative to the workspace, so two checkouts sharing a target directory (one global
//! `CARGO_TARGET_DIR`, git worktrees) can make `cargo run` in checkout B run the binary
//! built from checkout A: A's stack name, A's code. Only what was fixed when the binary was
//! compiled tells them apart:
//!
//! - the crate `nephos::app!()` records (`appCrate`: `CARGO_MANIFEST_DIR` and the package
//!   name of the app's crate), which must be in the project ([`check_app`]);
//! - the workspace of each Rust handler (the scaffold sets it from
//!   `env!("CARGO_MANIFEST_DIR")`), which must be the project ([`check_from_project`]).
//!
//! An app made with `App::new()` records only the binary that ran (`appExe`); then the
//! sources cargo's dep-info beside it lists must all be in the project, and a `.d` that
//! says nothing is refused (`dep_info.rs`). Only app runs are checked: an assembly passed
//! with `--assembly` may come from another machine or CI job.

mod dep_info;
mod project;

use std::path::{Path, PathBuf};

use nephos::assembly::AppCrate;

use self::project::{belongs, workspace_of};
use super::assembly::StackSource;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// The longest recorded path read, in bytes (Linux's `PATH_MAX`).
const MAX_PATH_BYTES: usize = 4096;
/// The longest package name read, in bytes (crates.io allows 64).
const MAX_PACKAGE_BYTES: usize = 64;

/// Refuses stacks whose Rust handler workspace is not the project in `cwd`: neither `cwd`
/// itself, nor a directory below it (but not in a checkout of its own there, a directory
/// with `.git` in between), nor the workspace `cwd` belongs to (the nearest directory at
/// or above `cwd` holding `Cargo.lock` must be that workspace).
///
/// # Errors
/// `cwd` cannot be read, or a stack's handler workspace is not the project: the message
/// names both and the fix.
pub fn check_from_project(stacks: &[StackSource], cwd: &Path) -> Result<()> {
    let here = canonical(cwd)?;
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

/// Refuses the assembly an app run wrote to `outdir` unless the app binary was built from
/// the project in `cwd`. With `appCrate` (`nephos::app!()`), its directory's workspace must
/// belong to the project as a handler workspace must ([`check_from_project`]); without it,
/// with `appExe`, cargo's dep-info beside the binary decides (`dep_info.rs`). A manifest
/// with neither was not written by `App::run` (another program wrote the assembly): there
/// is no binary cargo could have mixed up, and nothing is checked.
///
/// # Errors
/// The manifest cannot be read or parsed, a recorded path or name is malformed, the crate
/// or binary is from elsewhere, or (without `appCrate`) nothing tells where the binary was
/// built: each message says why and what to run.
pub fn check_app(outdir: &Path, cwd: &Path) -> Result<()> {
    let manifest = outdir.join(nephos::assembly::MANIFEST_FILE);
    let text = super::bounded::read_bounded(&manifest, super::bounded::MAX_CONFIG_BYTES)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", manifest.display())))?;
    let parsed: nephos::assembly::Manifest = serde_json::from_str(&text)
        .map_err(|e| Error::new(format!("invalid {}: {e}", manifest.display())))?;
    let exe = parsed
        .app_exe
        .as_deref()
        .map(|exe| absolute(exe, "appExe", &manifest))
        .transpose()?;
    let here = canonical(cwd)?;
    match (parsed.app_crate, exe) {
        (Some(krate), exe) => check_crate(&krate, exe.as_deref(), &here, &manifest),
        (None, Some(exe)) => dep_info::check(&exe, &here),
        (None, None) => Ok(()),
    }
}

/// The check of the crate `nephos::app!()` recorded.
fn check_crate(krate: &AppCrate, exe: Option<&Path>, here: &Path, manifest: &Path) -> Result<()> {
    let dir = absolute(&krate.manifest_dir, "appCrate.manifestDir", manifest)?;
    let package = &krate.package;
    let named = !package.is_empty()
        && package.len() <= MAX_PACKAGE_BYTES
        && package
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !named {
        return Err(Error::new(format!(
            "invalid {}: appCrate.package `{}` is not a Cargo package name",
            manifest.display(),
            escape_line(package)
        )));
    }
    let exists = match std::fs::symlink_metadata(&dir) {
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => {
            return Err(Error::new(format!(
                "cannot tell where the app was built: cannot read {}: {e}",
                escape_line(&dir.to_string_lossy())
            )));
        }
    };
    if exists && belongs(&workspace_of(&dir), here) {
        return Ok(());
    }
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    let binary = exe
        .map(|e| format!(" {}", escape_line(&e.to_string_lossy())))
        .unwrap_or_default();
    let gone = if exists {
        ""
    } else {
        ", a directory that does not exist here (since removed, or on another machine)"
    };
    Err(Error::with_next(
        format!(
            "the app's output is from another checkout: the app binary{binary} was compiled from package `{package}` in {}{gone} (recorded by `nephos::app!()`), but nephos runs in {} (Cargo judged a binary built from the other checkout fresh: the two share a target directory, and file times decide freshness)",
            escape_line(&dir.to_string_lossy()),
            escape_line(&here.to_string_lossy()),
        ),
        format!(
            "rebuild the app from this checkout: `cargo clean -p {package}` (or `touch` one of its sources), or give each checkout its own CARGO_TARGET_DIR; then run the command again"
        ),
    ))
}

/// `path` as recorded under `field` of the manifest, refused unless absolute and free of
/// control characters.
fn absolute(path: &str, field: &str, manifest: &Path) -> Result<PathBuf> {
    let p = PathBuf::from(path);
    if !p.is_absolute() || path.len() > MAX_PATH_BYTES || path.chars().any(char::is_control) {
        return Err(Error::new(format!(
            "invalid {}: {field} `{}` is not an absolute path",
            manifest.display(),
            escape_line(path)
        )));
    }
    Ok(p)
}

fn canonical(cwd: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(cwd)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", cwd.display())))
}

fn foreign(stack: &str, workspace: &Path, here: &Path) -> Error {
    Error::with_next(
        format!(
            "the app's output is from another checkout: stack {} records handler workspace {}, but nephos runs in {} (Cargo judged a binary built from the other checkout fresh: the two share a target directory, and file times decide freshness)",
            escape_line(stack),
            escape_line(&workspace.to_string_lossy()),
            escape_line(&here.to_string_lossy()),
        ),
        "rebuild the app from this checkout: `cargo clean -p <app package>` (touching `src/main.rs` is not enough: cargo may still link the other checkout's library), or give each checkout its own CARGO_TARGET_DIR; then run the command again (a handler workspace kept outside the project on purpose is refused too: move it under the project)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory of this test process, canonical. Panics when it cannot be made:
    /// a fixture that silently failed to appear would make the assertions meaningless.
    pub(super) fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir()
            .join(format!("nephos-provenance-{}", std::process::id()))
            .join(name);
        std::fs::create_dir_all(&d)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", d.display()));
        std::fs::canonicalize(&d).unwrap_or_else(|e| panic!("cannot read {}: {e}", d.display()))
    }

    /// Writes `text` to `path`, making its directory; panics when it cannot.
    pub(super) fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(path, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// An output directory whose manifest records `app` (the `appCrate`/`appExe` keys).
    fn outdir_with(name: &str, app: serde_json::Value) -> PathBuf {
        let out = dir(name).join("out");
        let mut manifest = serde_json::json!({"version": 1, "stacks": []});
        if let (Some(m), Some(extra)) = (manifest.as_object_mut(), app.as_object()) {
            m.extend(extra.clone());
        }
        write(&out.join("manifest.json"), &manifest.to_string());
        out
    }

    fn recorded(dir: &Path, package: &str) -> serde_json::Value {
        serde_json::json!({"appCrate": {"manifestDir": dir, "package": package}})
    }

    #[test]
    fn an_app_crate_from_another_checkout_is_refused_naming_both() {
        let (a, b) = (dir("crate/a"), dir("crate/b"));
        for p in [&a, &b] {
            write(&p.join("Cargo.lock"), "");
        }
        let member = a.join("infra");
        write(&member.join("Cargo.toml"), "");
        let out = outdir_with("crate/out", recorded(&member, "orders-infra"));
        let e = check_app(&out, &b).expect_err("a's crate run from b");
        assert!(e.0.contains("another checkout"), "{}", e.0);
        assert!(e.0.contains(&member.display().to_string()), "{}", e.0);
        assert!(e.0.contains(&b.display().to_string()), "{}", e.0);
        let next = e.next_step().unwrap_or_default();
        assert!(next.contains("cargo clean -p orders-infra"), "{next}");
        assert!(next.contains("CARGO_TARGET_DIR"), "{next}");
        // From a's root, from inside the member, and from the member as the project.
        assert!(check_app(&out, &a).is_ok());
        assert!(check_app(&out, &member).is_ok());
        assert!(check_app(&out, &a.join("infra")).is_ok());
    }

    /// With `appCrate`, the `.d` is not consulted: cargo rewrites it for the checkout it
    /// runs in, so it would pass a's binary in b.
    #[test]
    fn the_recorded_crate_decides_not_the_dep_info() {
        let (a, b) = (dir("crate-d/a"), dir("crate-d/b"));
        let exe = dir("crate-d/target/debug").join("app");
        write(&exe, "");
        write(
            &exe.with_extension("d"),
            &format!("{}: {}\n", exe.display(), b.join("src/main.rs").display()),
        );
        let mut app = recorded(&a, "app");
        app["appExe"] = serde_json::json!(exe);
        let out = outdir_with("crate-d/out", app);
        let e = check_app(&out, &b).expect_err("the crate is a's");
        assert!(e.0.contains(&exe.display().to_string()), "{}", e.0);
    }

    #[test]
    fn a_crate_directory_that_does_not_exist_is_refused() {
        let b = dir("gone/b");
        let out = outdir_with("gone/out", recorded(&b.join("../a-removed"), "app"));
        let e = check_app(&out, &b).expect_err("nothing there");
        assert!(e.0.contains("does not exist here"), "{}", e.0);
    }

    #[test]
    fn malformed_records_are_refused_escaped() {
        let b = dir("bad/b");
        for (app, says) in [
            (
                recorded(Path::new("relative/dir"), "app"),
                "not an absolute path",
            ),
            (recorded(&b, "app; rm -rf ~"), "not a Cargo package name"),
            (recorded(&b, ""), "not a Cargo package name"),
            (
                serde_json::json!({"appExe": "/t/debug/app\u{1b}[2J"}),
                "\\x1b",
            ),
        ] {
            let out = outdir_with("bad/out", app);
            let e = check_app(&out, &b).expect_err("malformed");
            assert!(e.0.contains(says), "{}", e.0);
            assert!(!e.0.contains('\u{1b}'), "{}", e.0);
        }
    }

    /// A manifest another program wrote records no binary: nothing to check.
    #[test]
    fn a_manifest_without_app_records_is_not_checked() {
        let b = dir("plain/b");
        let out = outdir_with("plain/out", serde_json::json!({}));
        assert!(check_app(&out, &b).is_ok());
    }

    /// Without `appCrate`, `appExe` leads to the `.d` check (no `.d` here: refused).
    #[test]
    fn an_app_exe_without_a_crate_goes_to_the_dep_info_check() {
        let b = dir("exe-only/b");
        let exe = dir("exe-only/target/debug").join("app");
        write(&exe, "");
        let out = outdir_with("exe-only/out", serde_json::json!({"appExe": exe}));
        let e = check_app(&out, &b).expect_err("no dep-info");
        assert!(e.next_step().is_some_and(|n| n.contains("nephos::app!()")));
    }
}
