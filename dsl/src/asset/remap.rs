//! The compiler flags of a handler's build: the user's, as Cargo would give them, then
//! `--remap-path-prefix` for every machine path that reaches the binary (panic locations,
//! `file!()`): Cargo's home (registry sources), the toolchain's sysroot, the workspace and
//! path dependencies outside it. With them, one commit built with one toolchain gives the
//! same bytes on any machine, so the key (which names no machine path) names those bytes
//! (attack report atk15b, finding 4; the why is in ARCHITECTURE.md, "Rust handlers").

use std::path::{Path, PathBuf};
use std::process::Command;

use super::cargo_config;
use super::cargo_graph;
use super::rust_bin::relative;
use crate::app::assembly::RustBuild;

/// The flags to give rustc (as `CARGO_ENCODED_RUSTFLAGS`, which overrides every other
/// source) for `recipe`'s build: the user's effective flags, then the remaps.
///
/// # Errors
/// The configuration cannot be read, its rustflags cannot be known (a `cfg(...)` table),
/// the sysroot or the package graph cannot be read.
pub(crate) fn build_rustflags(recipe: &RustBuild) -> Result<Vec<String>, String> {
    let workspace = std::fs::canonicalize(&recipe.workspace)
        .map_err(|e| format!("cannot read workspace {}: {e}", recipe.workspace))?;
    let config = cargo_config::effective(&workspace, &recipe.target)?;
    let mut flags =
        cargo_config::user_rustflags(&config, &recipe.target, &|k| std::env::var(k).ok())?;
    let mut prefixes: Vec<(PathBuf, String)> = vec![(workspace.clone(), "/workspace".into())];
    if let Some(home) = cargo_config::cargo_home() {
        prefixes.push((home, "/cargo-home".into()));
    }
    prefixes.push((sysroot(&workspace)?, "/rust-sysroot".into()));
    let package_dir = std::fs::canonicalize(&recipe.package_dir)
        .map_err(|e| format!("cannot read package directory {}: {e}", recipe.package_dir))?;
    for p in cargo_graph::local_packages(&workspace, &package_dir, &recipe.package, &recipe.target)?
        .local
    {
        if !p.dir.starts_with(&workspace) {
            let to = format!("/workspace/{}", relative(&workspace, &p.dir));
            prefixes.push((p.dir, to));
        }
    }
    flags.extend(remap_flags(prefixes));
    Ok(flags)
}

/// `--remap-path-prefix=FROM=TO` for each pair, also for FROM's canonical form where it
/// differs. Rustc applies the last matching remap, so the longest FROM comes last: a
/// Cargo home inside the workspace is remapped as the home, not as part of the workspace.
fn remap_flags(prefixes: Vec<(PathBuf, String)>) -> Vec<String> {
    let mut all: Vec<(PathBuf, String)> = Vec::new();
    for (from, to) in prefixes {
        if let Ok(real) = std::fs::canonicalize(&from)
            && real != from
        {
            all.push((real, to.clone()));
        }
        all.push((from, to));
    }
    all.sort_by_key(|(from, _)| from.as_os_str().len());
    all.dedup();
    all.into_iter()
        .map(|(from, to)| format!("--remap-path-prefix={}={to}", from.display()))
        .collect()
}

/// The sysroot of the compiler rustup picks in `workspace` (`RUSTUP_TOOLCHAIN` removed,
/// as for the key and the build).
fn sysroot(workspace: &Path) -> Result<PathBuf, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(workspace)
        .output()
        .map_err(|e| {
            format!(
                "cannot run `{} --print sysroot`: {e}",
                rustc.to_string_lossy()
            )
        })?;
    let text = String::from_utf8(out.stdout).unwrap_or_default();
    let text = text.trim();
    if !out.status.success() || text.is_empty() {
        return Err(format!(
            "`{} --print sysroot` failed ({})",
            rustc.to_string_lossy(),
            out.status
        ));
    }
    Ok(PathBuf::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_prefix_is_remapped_last() {
        let flags = remap_flags(vec![
            (PathBuf::from("/w"), "/workspace".into()),
            (PathBuf::from("/w/.cargo-home"), "/cargo-home".into()),
            (
                PathBuf::from("/nonexistent-sysroot"),
                "/rust-sysroot".into(),
            ),
        ]);
        assert_eq!(
            flags,
            [
                "--remap-path-prefix=/w=/workspace",
                "--remap-path-prefix=/w/.cargo-home=/cargo-home",
                "--remap-path-prefix=/nonexistent-sysroot=/rust-sysroot",
            ]
        );
    }
}
