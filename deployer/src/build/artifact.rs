//! Where cargo put what it built, as cargo says it: never a guessed `target/` path.
//!
//! Cargo picks its target directory from `CARGO_TARGET_DIR`, `CARGO_BUILD_TARGET_DIR`,
//! `build.target-dir` in any `.cargo/config.toml` up the tree or in `$CARGO_HOME`, and
//! `--config`; a guess that knows some of them packages a stale binary left where the
//! guess points. So the binary is the `executable` of the build's `compiler-artifact`
//! message (`--message-format=json-render-diagnostics`, Cargo Book "External tools: JSON
//! messages"), and the zip cache sits in the `target_directory` that `cargo metadata`
//! reports.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// The fields of a cargo JSON message this module reads.
#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    manifest_path: Option<PathBuf>,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    executable: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

/// Collects, from cargo's JSON messages, the executables of the binary `bin` of the
/// package whose manifest is `manifest`.
#[derive(Debug)]
pub struct Artifacts {
    bin: String,
    manifest: PathBuf,
    found: Vec<PathBuf>,
}

impl Artifacts {
    /// Looks for the binary `bin` of the package at `package_dir`.
    pub fn new(bin: &str, package_dir: &Path) -> Self {
        let dir = std::fs::canonicalize(package_dir).unwrap_or_else(|_| package_dir.to_path_buf());
        Artifacts {
            bin: bin.to_owned(),
            manifest: dir.join("Cargo.toml"),
            found: Vec::new(),
        }
    }

    /// Reads one stdout line of the build. Returns whether it was a cargo JSON message
    /// (those are not shown; everything else is).
    pub fn line(&mut self, line: &[u8]) -> bool {
        let Ok(m) = serde_json::from_slice::<Message>(line) else {
            return false;
        };
        if m.reason != "compiler-artifact" {
            return true;
        }
        let ours = m
            .target
            .as_ref()
            .is_some_and(|t| t.name == self.bin && t.kind.iter().any(|k| k == "bin"))
            && m.manifest_path
                .as_deref()
                .is_some_and(|p| std::fs::canonicalize(p).is_ok_and(|p| p == self.manifest));
        if let (true, Some(exe)) = (ours, m.executable)
            && !self.found.contains(&exe)
        {
            self.found.push(exe);
        }
        true
    }

    /// The one executable cargo named for the binary.
    ///
    /// # Errors
    /// Cargo named none (or more than one): the reason, for the message of a refusal.
    pub fn executable(self) -> Result<PathBuf, String> {
        match <[PathBuf; 1]>::try_from(self.found) {
            Ok([exe]) => Ok(exe),
            Err(found) if found.is_empty() => Err(format!(
                "cargo reported no executable for the binary `{}` of {} (its JSON messages name none), so there is nothing known to package",
                self.bin,
                self.manifest.display()
            )),
            Err(found) => Err(format!(
                "cargo reported {} executables for the binary `{}` ({}), so which one to package is not known",
                found.len(),
                self.bin,
                found
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// The most of `cargo metadata --no-deps`'s answer read (it lists the workspace's own
/// packages: kilobytes).
const MAX_METADATA_BYTES: u64 = 16 << 20;
/// The most of its error output kept for a message.
const MAX_STDERR_BYTES: u64 = 4 << 10;

/// Cargo's target directory for a build in `workspace`: `cargo metadata --no-deps`'s
/// `target_directory` (it needs no download), so every way of setting it is honoured.
///
/// # Errors
/// Cargo cannot be run or its answer cannot be read.
pub fn target_dir(workspace: &Path) -> Result<PathBuf, String> {
    #[derive(Deserialize)]
    struct Metadata {
        target_directory: PathBuf,
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([
        "metadata",
        "--no-deps",
        "--format-version",
        "1",
        "--offline",
    ])
    .current_dir(workspace);
    let out = nephos::assembly::run_bounded(cmd, MAX_METADATA_BYTES, MAX_STDERR_BYTES)
        .map_err(|e| format!("cannot run `cargo metadata`: {}", e.error))?;
    if out.stdout_cut {
        return Err(format!(
            "`cargo metadata` printed more than {MAX_METADATA_BYTES} bytes in {}",
            workspace.display()
        ));
    }
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "`cargo metadata` failed in {} ({}): {}",
            workspace.display(),
            out.status,
            crate::output::escape::escape_line(why.trim())
        ));
    }
    let meta: Metadata = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cannot read `cargo metadata`'s answer: {e}"))?;
    Ok(meta.target_directory)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(name: &str, kind: &str, manifest: &Path, exe: Option<&str>) -> Vec<u8> {
        serde_json::json!({
            "reason": "compiler-artifact",
            "manifest_path": manifest,
            "target": {"name": name, "kind": [kind]},
            "executable": exe,
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn only_the_named_bin_of_the_package_is_taken_and_none_is_refused() {
        let dir = std::env::temp_dir().join(format!("nephos-artifact-{}", std::process::id()));
        let other = dir.join("other");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(dir.join("Cargo.toml"), "").unwrap();
        std::fs::write(other.join("Cargo.toml"), "").unwrap();
        let manifest = dir.join("Cargo.toml");

        let mut a = Artifacts::new("h", &dir);
        assert!(!a.line(b"plain text from somewhere\n"), "not JSON: shown");
        assert!(a.line(br#"{"reason":"build-finished","success":true}"#));
        assert!(a.line(&message("h", "lib", &manifest, None)));
        assert!(a.line(&message(
            "h",
            "bin",
            &other.join("Cargo.toml"),
            Some("/x/other")
        )));
        assert!(a.line(&message("g", "bin", &manifest, Some("/x/g"))));
        let none = Artifacts::new("h", &dir);
        assert!(none.executable().unwrap_err().contains("no executable"));
        assert!(a.line(&message("h", "bin", &manifest, Some("/t/release/h"))));
        assert_eq!(a.executable().unwrap(), PathBuf::from("/t/release/h"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
