//! The Rust toolchain a new project pins (`rust-toolchain.toml`): the one that ran init.
//!
//! A Rust handler's asset key includes `rustc -vV` (same key, same bytes), so two machines
//! on different toolchains compute two keys for one source: CI's `nephos diff` then reports
//! the handler changed on every run, and deploys from CI and a laptop alternate zips. One
//! pinned toolchain gives every machine one key.

use std::process::Command;

use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// The `channel` to pin: the `release:` of `rustc -vV` (`RUSTC`, else `rustc` on the
/// `PATH`, as Cargo picks it), run in the current directory so a toolchain override there
/// counts.
///
/// # Errors
/// No rustc, output that names no release, or a pre-release (nightly, beta, dev): its
/// version names no toolchain rustup can install, so nothing reproducible could be pinned.
pub fn detect() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc).arg("-vV").output().map_err(|e| {
        Error::with_next(
            format!(
                "cannot run `{} -vV` to pin the project's toolchain: {e}",
                escape_line(&rustc.to_string_lossy())
            ),
            "install Rust (https://rustup.rs) or set RUSTC, then run `nephos init` again",
        )
    })?;
    let text = String::from_utf8_lossy(&out.stdout);
    channel(&text).map_err(|why| {
        Error::with_next(
            format!("cannot pin the project's toolchain: {why}"),
            "run init with a stable toolchain, e.g. `RUSTUP_TOOLCHAIN=stable nephos init ...`",
        )
    })
}

/// The channel for the output of `rustc -vV`: its `release:` when that is a stable
/// `MAJOR.MINOR.PATCH`.
///
/// ```
/// use nephos_cli::scaffold::toolchain::channel;
/// assert_eq!(channel("rustc 1.95.0 (x)\nrelease: 1.95.0\n").unwrap(), "1.95.0");
/// assert!(channel("release: 1.97.0-nightly\n").is_err());
/// ```
///
/// # Errors
/// No `release:` line, or one that is not a stable version.
pub fn channel(rustc_vv: &str) -> std::result::Result<String, String> {
    let release = rustc_vv
        .lines()
        .find_map(|l| l.strip_prefix("release: "))
        .map(str::trim)
        .ok_or("`rustc -vV` printed no `release:` line")?;
    let parts: Vec<&str> = release.split('.').collect();
    let stable = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    if stable {
        Ok(release.to_owned())
    } else {
        Err(format!(
            "rustc is `{}`, not a stable release (MAJOR.MINOR.PATCH)",
            escape_line(release)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_stable_release_is_pinned() {
        assert_eq!(channel("release: 1.95.0\nLLVM: 22").unwrap(), "1.95.0");
        for bad in [
            "release: 1.97.0-nightly",
            "release: 1.96.0-beta.3",
            "release: 1.95",
            "release: 1.95.0\"\n[x]",
            "nothing",
        ] {
            assert!(channel(bad).is_err(), "{bad}");
        }
    }
}
