//! The directories outside the project whose edits change what a run deploys: the local
//! (path) packages of the project's Cargo workspace, wherever they are, and the workspace's
//! real build directory, which is never watched.
//!
//! A Rust handler's key hashes every path package its build reaches, also one outside the
//! project (`common = { path = "../common" }`), and its hidden files (the dsl's
//! `asset::rust_bin::source_hash`); the app itself compiles the same packages. So watch
//! follows what Cargo resolves: `cargo metadata --format-version 1 --offline --locked`
//! ("cargo metadata" in the Cargo Book), whose packages without a `source` are the path
//! packages, and whose `target_directory` is the build directory (`CARGO_TARGET_DIR` and
//! `build.target-dir` included). Every path package of the workspace is taken, not only
//! those a handler reaches: the app's own path dependencies change the templates.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// The most `cargo metadata` may print that is read (its answer for a workspace with a few
/// hundred dependencies is a few MB).
const MAX_METADATA_BYTES: u64 = 64 << 20;

/// The most packages taken from one answer.
const MAX_PACKAGES: usize = 20_000;

/// What Cargo says of a workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Packages {
    /// The directories of its path packages (members and path dependencies), absolute.
    pub dirs: Vec<PathBuf>,
    /// Its build directory, absolute.
    pub target_dir: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    target_directory: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Package {
    source: Option<String>,
    manifest_path: PathBuf,
}

/// The path packages and build directory of the Cargo workspace at `dir` (which holds a
/// `Cargo.toml`); `Ok(None)` when it holds none (a project deployed from a template).
///
/// # Errors
/// Cargo cannot be run, or refuses (offline with dependencies not yet downloaded, a
/// `Cargo.lock` needing an update): the message says so, and watching goes on with what
/// it watched before.
pub fn of_workspace(dir: &Path) -> Result<Option<Packages>, String> {
    if !dir.join("Cargo.toml").is_file() {
        return Ok(None);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .current_dir(dir);
    // Cargo's error output is not shown: the message names the command to run for it.
    let out = nephos::assembly::run_bounded(cmd, MAX_METADATA_BYTES, 0)
        .map_err(|e| format!("cannot run `cargo metadata`: {}", e.error))?;
    let status = out.status;
    if out.stdout_cut {
        return Err(format!(
            "`cargo metadata` printed more than {MAX_METADATA_BYTES} bytes"
        ));
    }
    if !status.success() {
        return Err(format!(
            "`cargo metadata --offline --locked` failed in {} ({status}): run `cargo metadata --offline --locked` there to see why",
            dir.display()
        ));
    }
    parse(&out.stdout).map(Some)
}

/// Reads `cargo metadata`'s answer.
fn parse(json: &[u8]) -> Result<Packages, String> {
    let m: Metadata = serde_json::from_slice(json)
        .map_err(|e| format!("cannot read `cargo metadata`'s answer: {e}"))?;
    if m.packages.len() > MAX_PACKAGES {
        return Err(format!(
            "`cargo metadata` lists {} packages, more than {MAX_PACKAGES}",
            m.packages.len()
        ));
    }
    let mut dirs: Vec<PathBuf> = m
        .packages
        .into_iter()
        .filter(|p| p.source.is_none())
        .filter_map(|p| Some(p.manifest_path.parent()?.to_path_buf()))
        .filter(|d| d.is_absolute())
        .collect();
    dirs.sort();
    dirs.dedup();
    Ok(Packages {
        dirs,
        target_dir: m.target_directory.filter(|t| t.is_absolute()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_packages_and_the_build_directory_are_read_registry_ones_left_out() {
        let json = br#"{"version":1,"workspace_root":"/p","target_directory":"/cache/t",
            "packages":[
              {"name":"app","source":null,"manifest_path":"/p/Cargo.toml","x":1},
              {"name":"common","source":null,"manifest_path":"/outside/common/Cargo.toml"},
              {"name":"serde","source":"registry+https://github.com/rust-lang/crates.io-index",
               "manifest_path":"/home/u/.cargo/registry/src/serde/Cargo.toml"},
              {"name":"odd","source":null,"manifest_path":"relative/Cargo.toml"}
            ]}"#;
        let p = parse(json).unwrap_or_default();
        assert_eq!(
            p.dirs,
            [PathBuf::from("/outside/common"), PathBuf::from("/p")]
        );
        assert_eq!(p.target_dir, Some(PathBuf::from("/cache/t")));
        assert!(parse(b"{\"packages\": 3}").is_err());
    }

    #[test]
    fn a_directory_without_a_manifest_has_no_packages() {
        let dir = std::env::temp_dir().join(format!("nephos-pk-none-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        assert_eq!(of_workspace(&dir), Ok(None));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
