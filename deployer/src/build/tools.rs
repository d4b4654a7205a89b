//! Finding the cross-build tools a Lambda binary needs, with the install command for
//! each one that is missing. A host build is never the fallback: a binary linked against
//! this machine's glibc may not start on Lambda.

use std::path::{Path, PathBuf};

/// What installs the x86_64 tools in a nephos checkout, or anywhere with pip.
pub const INSTALL_TOOLS: &str = "run `scripts/venv.sh` in the nephos checkout (it installs both into .venv), or `pip install cargo-zigbuild ziglang` (or `cargo install --locked cargo-zigbuild`)";

/// The tools found: the `cargo-zigbuild` executable and, when zig came from a venv's
/// `ziglang` package, its path (passed as `CARGO_ZIGBUILD_ZIG_PATH`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tools {
    /// The `cargo-zigbuild` executable.
    pub cargo_zigbuild: PathBuf,
    /// The zig executable, when not on `PATH`.
    pub zig: Option<PathBuf>,
}

/// Looks for `cargo-zigbuild` and zig in `path` (the `PATH` entries), then in the
/// workspace's `.venv/bin` (where `scripts/venv.sh` puts them); zig from PyPI's `ziglang`
/// is found in the venv of any of those directories. For `target`
/// `aarch64-*`, also checks the aarch64 standard library in `sysroot_libs` (the rustc
/// sysroot's `lib/rustlib`).
pub fn find(
    path: &[PathBuf],
    workspace: &Path,
    target: &str,
    sysroot_libs: Option<&Path>,
) -> Result<Tools, String> {
    let venv_bin = workspace.join(".venv/bin");
    let dirs: Vec<&Path> = path
        .iter()
        .map(PathBuf::as_path)
        .chain([venv_bin.as_path()])
        .collect();
    let cargo_zigbuild = dirs
        .iter()
        .map(|d| d.join("cargo-zigbuild"))
        .find(|p| is_executable(p))
        .ok_or_else(|| {
            format!(
                "cargo-zigbuild is not installed (it links Lambda binaries against glibc {}); {INSTALL_TOOLS}",
                nephos::LAMBDA_GLIBC
            )
        })?;
    let on_path = path.iter().any(|d| is_executable(&d.join("zig")));
    let zig = if on_path {
        None
    } else {
        // `ziglang` installs no `zig` on PATH: look in the venvs the search covers.
        Some(dirs.iter().find_map(|d| venv_zig(d)).ok_or_else(|| {
            format!(
                "zig is not installed (cargo-zigbuild links with it): `pip install ziglang`, or {INSTALL_TOOLS}"
            )
        })?)
    };
    if target.starts_with("aarch64")
        && !sysroot_libs.is_some_and(|libs| libs.join("aarch64-unknown-linux-gnu/lib").is_dir())
    {
        return Err(
            "the aarch64-unknown-linux-gnu standard library is not installed, so arm64 handlers cannot be built: \
             `rustup target add aarch64-unknown-linux-gnu` (or build for x86_64: drop `.arm64()`)"
                .into(),
        );
    }
    Ok(Tools {
        cargo_zigbuild,
        zig,
    })
}

/// The zig binary of a venv's `ziglang` package.
fn venv_zig(venv_bin: &Path) -> Option<PathBuf> {
    let lib = venv_bin.parent()?.join("lib");
    let mut found: Vec<PathBuf> = std::fs::read_dir(lib)
        .ok()?
        .flatten()
        .map(|e| e.path().join("site-packages/ziglang/zig"))
        .filter(|p| is_executable(p))
        .collect();
    found.sort();
    found.pop()
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// The `PATH` entries of this process.
pub fn path_dirs() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nephos-tools-{name}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[cfg(unix)]
    fn executable(path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn a_missing_cargo_zigbuild_is_named_with_its_install_command() {
        let empty = dir("none");
        let e = find(
            std::slice::from_ref(&empty),
            &empty,
            "x86_64-unknown-linux-gnu",
            None,
        )
        .unwrap_err();
        assert!(e.starts_with("cargo-zigbuild is not installed"), "{e}");
        assert!(e.contains("pip install cargo-zigbuild ziglang"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_missing_zig_is_named_and_a_venv_zig_is_found() {
        let ws = dir("venv");
        executable(&ws.join(".venv/bin/cargo-zigbuild"));
        let e = find(&[], &ws, "x86_64-unknown-linux-gnu", None).unwrap_err();
        assert!(e.starts_with("zig is not installed"), "{e}");
        assert!(e.contains("pip install ziglang"), "{e}");

        let zig = ws.join(".venv/lib/python3.11/site-packages/ziglang/zig");
        executable(&zig);
        let tools = find(&[], &ws, "x86_64-unknown-linux-gnu", None).unwrap();
        assert_eq!(tools.cargo_zigbuild, ws.join(".venv/bin/cargo-zigbuild"));
        assert_eq!(tools.zig, Some(zig));
    }

    #[cfg(unix)]
    #[test]
    fn arm64_without_its_standard_library_names_the_rustup_command() {
        let ws = dir("arm");
        executable(&ws.join("bin/cargo-zigbuild"));
        executable(&ws.join("bin/zig"));
        let libs = ws.join("rustlib");
        std::fs::create_dir_all(libs.join("x86_64-unknown-linux-gnu/lib")).unwrap();
        let e = find(
            &[ws.join("bin")],
            &ws,
            "aarch64-unknown-linux-gnu",
            Some(&libs),
        )
        .unwrap_err();
        assert!(
            e.contains("rustup target add aarch64-unknown-linux-gnu"),
            "{e}"
        );
        std::fs::create_dir_all(libs.join("aarch64-unknown-linux-gnu/lib")).unwrap();
        let tools = find(
            &[ws.join("bin")],
            &ws,
            "aarch64-unknown-linux-gnu",
            Some(&libs),
        )
        .unwrap();
        assert_eq!(tools.zig, None, "zig on PATH needs no explicit path");
    }
}
