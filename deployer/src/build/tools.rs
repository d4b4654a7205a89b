//! The cross-build tools a Lambda binary needs. Which ones is decided by
//! [`BuildTools::find`] in the nephos library, the finder synth uses to put their versions
//! into the key, so that the deployer runs exactly the tools the key names. This module
//! adds what only a build needs: the target's standard library. A host build is never the
//! fallback: a binary linked against this machine's glibc may not start on Lambda.

use std::path::Path;

use nephos::assembly::BuildTools;

/// The tools for a build of `target` in `workspace` ([`BuildTools::find`]); for
/// `aarch64-*`, also checks the aarch64 standard library in `sysroot_libs` (the rustc
/// sysroot's `lib/rustlib`).
///
/// # Errors
/// A tool or the standard library is missing: the message names it and its install
/// command.
pub fn find(
    workspace: &Path,
    target: &str,
    sysroot_libs: Option<&Path>,
) -> Result<BuildTools, String> {
    let tools = BuildTools::find(workspace)?;
    check_std(target, sysroot_libs)?;
    Ok(tools)
}

/// Whether the standard library for `target` is installed (only arm64 needs a check: the
/// x86_64 one comes with every x86_64 toolchain this builds on).
fn check_std(target: &str, sysroot_libs: Option<&Path>) -> Result<(), String> {
    if target.starts_with("aarch64")
        && !sysroot_libs.is_some_and(|libs| libs.join("aarch64-unknown-linux-gnu/lib").is_dir())
    {
        return Err(
            "the aarch64-unknown-linux-gnu standard library is not installed, so arm64 handlers cannot be built: \
             `rustup target add aarch64-unknown-linux-gnu` (or build for x86_64: drop `.arm64()`)"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm64_without_its_standard_library_names_the_rustup_command() {
        let libs = std::env::temp_dir().join(format!("nephos-tools-arm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&libs);
        std::fs::create_dir_all(libs.join("x86_64-unknown-linux-gnu/lib")).unwrap();
        let e = check_std("aarch64-unknown-linux-gnu", Some(&libs)).unwrap_err();
        assert!(
            e.contains("rustup target add aarch64-unknown-linux-gnu"),
            "{e}"
        );
        assert!(check_std("x86_64-unknown-linux-gnu", Some(&libs)).is_ok());
        std::fs::create_dir_all(libs.join("aarch64-unknown-linux-gnu/lib")).unwrap();
        assert!(check_std("aarch64-unknown-linux-gnu", Some(&libs)).is_ok());
        let _ = std::fs::remove_dir_all(&libs);
    }
}
