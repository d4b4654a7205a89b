//! Where a workspace's handlers are compiled: a directory of their own per workspace,
//! below the target directory.
//!
//! The build's rustflags remap the workspace's path (and its path dependencies') so the
//! binary names no path of this machine (`nephos::assembly::RustBuild::build_rustflags`).
//! Rustflags are part of every crate's fingerprint in Cargo, so two workspaces (two
//! projects, two checkouts of one) building in one target directory (`CARGO_TARGET_DIR`
//! set globally is common) would each find the other's registry crates stale and rebuild
//! them all on every switch (atk finding 3: 102 s instead of 5.7 s for a one-line edit).
//! Each workspace gets `<target dir>/nephos-lambda/build-<hash of its path>` instead: its
//! registry crates are built once and stay fresh. The zip cache stays shared (zips are
//! named by the key, which names no path), so a second checkout of the same commit still
//! reuses the first one's zips without compiling.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The target directory the handler build of the workspace at `workspace` is given:
/// `<target_dir>/nephos-lambda/build-<16 hex digits>`, the digits the start of the SHA-256
/// of the workspace's canonical path (the path as given when it cannot be resolved).
///
/// ```
/// use std::path::Path;
/// let dir = nephos_cli::build::target_dir::handler_build_dir(Path::new("/t"), Path::new("/src/orders"));
/// assert!(dir.starts_with("/t/nephos-lambda"));
/// assert_ne!(dir, nephos_cli::build::target_dir::handler_build_dir(Path::new("/t"), Path::new("/src/other")));
/// ```
pub fn handler_build_dir(target_dir: &Path, workspace: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(workspace).unwrap_or_else(|_| workspace.to_path_buf());
    let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    target_dir
        .join("nephos-lambda")
        .join(format!("build-{hex}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn each_workspace_builds_in_its_own_directory_and_one_workspace_always_in_the_same() {
        let t = Path::new("/t");
        let a = handler_build_dir(t, Path::new("/nonexistent/a"));
        assert_eq!(a, handler_build_dir(t, Path::new("/nonexistent/a")));
        assert_ne!(a, handler_build_dir(t, Path::new("/nonexistent/b")));
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("build-") && name.len() == 22, "{name}");
        // A link to a workspace is the workspace: no second set of builds.
        let root = std::env::temp_dir().join(format!("nephos-build-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("ws")).unwrap();
        std::os::unix::fs::symlink(root.join("ws"), root.join("link")).unwrap();
        assert_eq!(
            handler_build_dir(t, &root.join("ws")),
            handler_build_dir(t, &root.join("link"))
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
