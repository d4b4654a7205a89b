//! Cargo's configuration files as watched files: a `.cargo/config.toml` (or `.cargo/config`)
//! in the project, in a directory above it, or in `$CARGO_HOME` changes the key of a Rust
//! handler (its rustflags, profiles, linker: see the `nephos` library's
//! `asset::cargo_config`), so saving one starts a run, although dot directories are
//! otherwise never watched.

use std::path::{Path, PathBuf};

/// The names Cargo reads in a `.cargo` directory (Cargo Book, "Configuration").
const FILES: [&str; 2] = ["config", "config.toml"];

/// `$CARGO_HOME`, else `$HOME/.cargo` (Cargo's default).
pub fn cargo_home() -> Option<PathBuf> {
    match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => Some(PathBuf::from(home)),
        _ => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")),
    }
}

/// Whether `path` is a Cargo configuration file a build in `root` (or below it) may read:
/// `<dir>/.cargo/config[.toml]` where `<dir>` is `root`, one of its ancestors, or a
/// directory below it that `inside` accepts; or `config[.toml]` of `cargo_home`.
pub fn is_config(
    root: &Path,
    cargo_home: Option<&Path>,
    path: &Path,
    inside: impl Fn(&Path) -> bool,
) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if !FILES.contains(&name) {
        return false;
    }
    let Some(parent) = path.parent() else {
        return false;
    };
    if cargo_home.is_some_and(|home| parent == home) {
        return true;
    }
    if parent.file_name().is_none_or(|n| n != ".cargo") {
        return false;
    }
    let Some(dir) = parent.parent() else {
        return false;
    };
    root.starts_with(dir) || (dir.starts_with(root) && inside(dir))
}

/// The directories to watch (not recursively) for those files that no watch of the project
/// covers: `<root or an ancestor>/.cargo` and `cargo_home`, the ones that exist.
pub fn dirs(root: &Path, cargo_home: Option<&Path>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = root
        .ancestors()
        .map(|d| d.join(".cargo"))
        .chain(cargo_home.map(Path::to_path_buf))
        .filter(|d| d.is_dir())
        .collect();
    out.sort();
    out.dedup();
    out
}
