//! What a build reads besides the packages' sources and Cargo's configuration
//! (`cargo_config`): the toolchain (`rustc -vV`) and the rustup toolchain file, and the
//! environment variables that change what the compiler emits. Each is named by where it
//! sits relative to the workspace, never by an absolute path, so the same setup gives the
//! same hash on every machine.

use std::path::{Path, PathBuf};

use super::bounded;

/// The toolchain file rustup picks for a build in `workspace`: `rust-toolchain` or
/// `rust-toolchain.toml` in the nearest directory at or above it holding either (rustup
/// book, "Overrides": the nearest wins), named `@toolchain/<levels up>/<file>`.
pub(crate) fn toolchain_files(workspace: &Path) -> Vec<(String, PathBuf)> {
    for (up, dir) in workspace.ancestors().enumerate() {
        let found: Vec<(String, PathBuf)> = ["rust-toolchain", "rust-toolchain.toml"]
            .into_iter()
            .map(|file| (format!("@toolchain/{up}/{file}"), dir.join(file)))
            .filter(|(_, path)| path.is_file())
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// The identity of the compiler a build in `workspace` uses: `rustc -vV`'s output (release,
/// commit hash and date, host, LLVM version), from `$RUSTC` or the `rustc` rustup picks
/// there. `RUSTUP_TOOLCHAIN` is removed, as for the build itself (the deployer does the
/// same), because `cargo run` sets it on the app: the toolchain is the workspace's.
///
/// # Errors
/// The compiler cannot be run or fails, named.
pub(crate) fn toolchain(workspace: &Path) -> Result<Vec<u8>, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    toolchain_of(&rustc, workspace)
}

/// [`toolchain`] with the compiler `rustc`. Its answer is bounded and checked: a first line
/// `rustc <version>`, and the `release:` and `host:` lines (the host stays in the key: see
/// "Rust handlers as assets" in ARCHITECTURE.md).
pub(crate) fn toolchain_of(rustc: &std::ffi::OsStr, workspace: &Path) -> Result<Vec<u8>, String> {
    let shown = bounded::printable(&rustc.to_string_lossy());
    let mut cmd = std::process::Command::new(rustc);
    cmd.arg("-vV")
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(workspace);
    let out = bounded::run(cmd).map_err(|e| format!("cannot run `{shown} -vV`: {e}"))?;
    if !out.success || out.stdout.is_empty() {
        return Err(format!(
            "`{shown} -vV` failed in {} ({}): {}",
            workspace.display(),
            out.status,
            out.stderr
        ));
    }
    let text = std::str::from_utf8(&out.stdout)
        .ok()
        .filter(|_| !out.too_long);
    let lines: Vec<&str> = text.map(|t| t.lines().collect()).unwrap_or_default();
    let has = |prefix: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(prefix) && l.len() > prefix.len())
    };
    let ok = lines.first().is_some_and(|l| l.starts_with("rustc "))
        && has("release: ")
        && has("host: ")
        && lines.iter().all(|l| !l.chars().any(char::is_control));
    if !ok {
        return Err(format!(
            "`{shown} -vV` answered `{}`, which is not rustc's version report (`rustc <version>`, `release:` and `host:` lines): is RUSTC or the PATH's rustc a real compiler?",
            bounded::printable(&String::from_utf8_lossy(&out.stdout))
        ));
    }
    Ok(out.stdout)
}

/// The environment variables that change the binary a build of `profile` for `target`
/// emits, with their values, sorted: the compiler flags (`RUSTFLAGS`,
/// `CARGO_ENCODED_RUSTFLAGS`) and Cargo configuration given as environment
/// (`CARGO_BUILD_RUSTFLAGS`, `CARGO_PROFILE_<PROFILE>_*`, `CARGO_TARGET_<TRIPLE>_*`; Cargo
/// Book, "Configuration: Environment variables"). Cargo sets none of them on a program it
/// runs, so the app under `cargo run` sees what the deployer does. `RUSTUP_TOOLCHAIN` is
/// left out for that reason: rustup sets it on the programs it starts, so the app and the
/// deployer would disagree.
pub(crate) fn env_inputs(profile: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    env_inputs_of(std::env::vars_os(), profile, target)
}

/// [`env_inputs`] over the variables `vars`.
fn env_inputs_of(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
    profile: &str,
    target: &str,
) -> Vec<(String, Vec<u8>)> {
    let upper = |s: &str| s.to_ascii_uppercase().replace(['-', '.'], "_");
    let profile_prefix = format!("CARGO_PROFILE_{}_", upper(profile));
    let target_prefix = format!("CARGO_TARGET_{}_", upper(target));
    let mut out: Vec<(String, Vec<u8>)> = vars
        .filter_map(|(k, v)| {
            let k = k.into_string().ok()?;
            let wrapper = matches!(
                k.as_str(),
                "RUSTC_WRAPPER"
                    | "RUSTC_WORKSPACE_WRAPPER"
                    | "CARGO_BUILD_RUSTC_WRAPPER"
                    | "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER"
            );
            if wrapper && output_preserving_wrapper(v.as_encoded_bytes()) {
                return None;
            }
            let read = wrapper
                || matches!(
                    k.as_str(),
                    "RUSTFLAGS" | "CARGO_ENCODED_RUSTFLAGS" | "CARGO_BUILD_RUSTFLAGS"
                )
                || k.starts_with(&profile_prefix)
                || k.starts_with(&target_prefix);
            read.then(|| (format!("@env/{k}"), v.as_encoded_bytes().to_vec()))
        })
        .collect();
    out.sort();
    out
}

/// Whether the rustc wrapper `value` (a command, as `RUSTC_WRAPPER` or
/// `build.rustc-wrapper` give it) is a compilation cache that returns what rustc would
/// emit: sccache ("sccache is a ccache-like compiler caching tool", mozilla/sccache
/// README). Such a wrapper is left out of the key so that a machine with it and one
/// without share zips; any other wrapper (one that could add flags or rewrite output) is
/// hashed by its command, so its builds never share a key with plain rustc's. An empty
/// value disables the wrapper in Cargo, and so counts as none.
pub(crate) fn output_preserving_wrapper(value: &[u8]) -> bool {
    let value = String::from_utf8_lossy(value);
    let stem = Path::new(value.trim())
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    value.trim().is_empty() || stem.as_deref() == Some("sccache")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variables_that_change_the_compilers_output_are_read_and_no_others() {
        let vars = [
            ("RUSTFLAGS", "-Ctarget-cpu=native"),
            ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
            ("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS", "-Cx"),
            ("CARGO_TARGET_DIR", "/elsewhere"),
            ("CARGO_PROFILE_DEV_OPT_LEVEL", "3"),
            ("CARGO_PKG_NAME", "app"),
            ("HOME", "/root"),
            ("RUSTC_WRAPPER", "/home/u/.cargo/bin/sccache"),
            ("RUSTC_WORKSPACE_WRAPPER", "/opt/rewrite-output"),
        ]
        .map(|(k, v)| (k.into(), v.into()));
        let read = env_inputs_of(vars.into_iter(), "release", "x86_64-unknown-linux-gnu");
        let names: Vec<&str> = read.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "@env/CARGO_PROFILE_RELEASE_OPT_LEVEL",
                "@env/CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS",
                "@env/RUSTC_WORKSPACE_WRAPPER",
                "@env/RUSTFLAGS",
            ]
        );
        assert_eq!(read[3].1, b"-Ctarget-cpu=native");
        assert_eq!(
            read[2].1, b"/opt/rewrite-output",
            "a wrapper that is not a cache"
        );
    }

    #[test]
    fn toolchain_files_are_named_by_level_not_by_path() {
        let root = std::env::temp_dir().join(format!("nephos-inputs-{}", std::process::id()));
        let ws = root.join("a/ws");
        std::fs::create_dir_all(ws.join(".cargo")).unwrap();
        std::fs::create_dir_all(root.join("a/.cargo")).unwrap();
        std::fs::write(ws.join(".cargo/config.toml"), "").unwrap();
        std::fs::write(root.join("a/.cargo/config"), "").unwrap();
        std::fs::write(root.join("a/rust-toolchain.toml"), "").unwrap();
        let tc = toolchain_files(&ws);
        assert_eq!(tc.len(), 1, "{tc:?}");
        assert_eq!(tc[0].0, "@toolchain/1/rust-toolchain.toml");
        // The nearest wins: one in the workspace hides the one above.
        std::fs::write(ws.join("rust-toolchain"), "stable").unwrap();
        let tc = toolchain_files(&ws);
        assert_eq!(tc.len(), 1, "{tc:?}");
        assert_eq!(tc[0].0, "@toolchain/0/rust-toolchain");
        let _ = std::fs::remove_dir_all(&root);
    }
}
