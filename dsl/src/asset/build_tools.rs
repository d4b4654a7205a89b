//! The cross-build tools a Rust handler's build links with: cargo-zigbuild and the zig it
//! drives. They are found here, once, for both halves of nephos: synth puts their versions
//! into the handler's cache key (zig 0.14.1 and 0.15.2 link other bytes from one source,
//! atk finding 2b), and the deployer runs exactly the tools found, with zig pinned for
//! cargo-zigbuild ([`BuildTools::cargo_zigbuild_env`]). A tool that is missing, fails, or
//! answers something that is not a version is an error naming it and the install command,
//! never an "unknown" version in the key.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::bounded;

/// The versions nephos pins, as pip requirements one a line (`ziglang==0.15.2`), with `#`
/// comments: `dsl/build-tools.txt`, the one list that `scripts/venv.sh`, the CI workflow
/// `nephos init` writes and nephos's install commands take the versions from.
pub const PINNED_TOOLS: &str = include_str!("../../build-tools.txt");

/// The longest version a tool may answer, in bytes.
const MAX_VERSION_LEN: usize = 64;

/// The requirements of [`PINNED_TOOLS`] (`name==version`), in its order.
///
/// ```
/// let pins = nephos::assembly::pinned_requirements();
/// assert!(pins.iter().any(|p| p.starts_with("ziglang==")));
/// assert!(pins.iter().any(|p| p.starts_with("cargo-zigbuild==")));
/// ```
pub fn pinned_requirements() -> Vec<&'static str> {
    PINNED_TOOLS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// How to install the pinned tools where [`BuildTools::find`] looks.
pub(crate) fn install_hint() -> String {
    format!(
        "install the pinned versions where nephos looks (PATH, or the workspace's .venv): `python3 -m venv .venv && .venv/bin/pip install {}` in the workspace (in a nephos checkout, `scripts/venv.sh`)",
        pinned_requirements().join(" ")
    )
}

/// The cross-build tools of a handler's build, found by [`BuildTools::find`].
///
/// ```no_run
/// let tools = nephos::assembly::BuildTools::find(std::path::Path::new("/src/orders"))
///     .expect("cargo-zigbuild and zig are installed");
/// let versions = tools.versions().expect("both answer a version");
/// assert!(versions.zig.starts_with("0."));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BuildTools {
    /// The `cargo-zigbuild` executable.
    pub cargo_zigbuild: PathBuf,
    /// The zig executable cargo-zigbuild is to link with.
    pub zig: PathBuf,
}

/// What the tools say their versions are, checked (digits, letters, `.`, `+`, `-`; at most
/// 64 bytes): zig's `zig version` (`0.15.2`), and the version of `cargo-zigbuild
/// --version`'s `cargo-zigbuild 0.24.1`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ToolVersions {
    /// zig's version, `0.15.2`.
    pub zig: String,
    /// cargo-zigbuild's version, `0.24.1`.
    pub cargo_zigbuild: String,
}

impl BuildTools {
    /// The tools a build in `workspace` uses, from this process's `PATH` and
    /// `CARGO_ZIGBUILD_ZIG_PATH` (see [`find_in`](BuildTools::find_in)).
    ///
    /// # Errors
    /// A tool is not found: the message names it and the install command.
    pub fn find(workspace: &Path) -> Result<Self, String> {
        let path = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default();
        Self::find_in(
            &path,
            std::env::var_os("CARGO_ZIGBUILD_ZIG_PATH").filter(|z| !z.is_empty()),
            workspace,
        )
    }

    /// The tools found in the directories `path` (the `PATH` entries), then in
    /// `<workspace>/.venv/bin` (where `scripts/venv.sh` puts them):
    /// - `cargo-zigbuild`: the first executable of that name;
    /// - zig: `zig_path` when given (as cargo-zigbuild reads `CARGO_ZIGBUILD_ZIG_PATH`: a
    ///   path, or a name looked up in `path`); else the zig of PyPI's `ziglang` installed
    ///   beside cargo-zigbuild (`pip install cargo-zigbuild` installs it); else `zig` in
    ///   one of the directories; else the `ziglang` of a venv among them.
    ///
    /// # Errors
    /// A tool is not found: the message names it and the install command.
    pub fn find_in(
        path: &[PathBuf],
        zig_path: Option<OsString>,
        workspace: &Path,
    ) -> Result<Self, String> {
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
                    "cargo-zigbuild is not installed (it builds Lambda binaries against glibc {}; its version is part of the handler's cache key): {}",
                    super::LAMBDA_GLIBC,
                    install_hint()
                )
            })?;
        let zig = match zig_path {
            Some(named) => {
                let named = PathBuf::from(named);
                let found = if named.components().count() > 1 || named.is_absolute() {
                    Some(named.clone()).filter(|p| is_executable(p))
                } else {
                    dirs.iter().map(|d| d.join(&named)).find(|p| is_executable(p))
                };
                found.ok_or_else(|| {
                    format!(
                        "CARGO_ZIGBUILD_ZIG_PATH names `{}`, which is not an executable: unset it, or {}",
                        bounded::printable(&named.to_string_lossy()),
                        install_hint()
                    )
                })?
            }
            None => cargo_zigbuild
                .parent()
                .and_then(venv_zig)
                .or_else(|| {
                    dirs.iter()
                        .map(|d| d.join("zig"))
                        .find(|p| is_executable(p))
                })
                .or_else(|| dirs.iter().find_map(|d| venv_zig(d)))
                .ok_or_else(|| {
                    format!(
                        "zig is not installed (cargo-zigbuild links with it; its version is part of the handler's cache key): {}",
                        install_hint()
                    )
                })?,
        };
        Ok(BuildTools {
            cargo_zigbuild,
            zig,
        })
    }

    /// The tools' versions, as they answer `zig version` and `cargo-zigbuild --version`.
    ///
    /// # Errors
    /// A tool cannot be run, fails, or answers something that is not a version: the
    /// message names the tool, shows its answer escaped, and says how to install it.
    pub fn versions(&self) -> Result<ToolVersions, String> {
        let zig = answer(&self.zig, "version")?;
        let zig = check_version(&zig)
            .ok_or_else(|| not_a_version(&self.zig, "version", &zig))?
            .to_owned();
        let cz = answer(&self.cargo_zigbuild, "--version")?;
        let cargo_zigbuild = cz
            .strip_prefix("cargo-zigbuild ")
            .and_then(check_version)
            .ok_or_else(|| not_a_version(&self.cargo_zigbuild, "--version", &cz))?
            .to_owned();
        Ok(ToolVersions {
            zig,
            cargo_zigbuild,
        })
    }

    /// The environment `cargo zigbuild` is run with so that it links with
    /// [`zig`](BuildTools::zig), the zig whose version the key holds: a value to set, or
    /// `None` to remove. Left alone, cargo-zigbuild tries `python3 -m ziglang` first (the
    /// ziglang of whichever Python is on `PATH`), then `CARGO_ZIGBUILD_ZIG_PATH` or `zig`
    /// (its `src/zig.rs`, `find_zig`); and recent versions take a zig from
    /// `CARGO_ZIGBUILD_ZIG_COMMAND`/`_ARGS`/`_VERSION` when set. So the Python it probes is
    /// one that cannot run, and those three are removed.
    ///
    /// ```no_run
    /// use nephos::assembly::BuildTools;
    /// let tools = BuildTools::find(std::path::Path::new("/src/orders")).unwrap();
    /// let mut cmd = std::process::Command::new(&tools.cargo_zigbuild);
    /// for (name, value) in tools.cargo_zigbuild_env() {
    ///     match value {
    ///         Some(v) => cmd.env(name, v),
    ///         None => cmd.env_remove(name),
    ///     };
    /// }
    /// ```
    pub fn cargo_zigbuild_env(&self) -> Vec<(&'static str, Option<OsString>)> {
        vec![
            ("CARGO_ZIGBUILD_ZIG_PATH", Some(self.zig.clone().into())),
            ("CARGO_ZIGBUILD_PYTHON_PATH", Some(NO_PYTHON.into())),
            ("CARGO_ZIGBUILD_ZIG_COMMAND", None),
            ("CARGO_ZIGBUILD_ZIG_COMMAND_ARGS", None),
            ("CARGO_ZIGBUILD_ZIG_VERSION", None),
        ]
    }
}

/// A path that names no runnable program: cargo-zigbuild's `python -m ziglang` probe fails
/// on it at once (`/dev/null` is on every Unix and never an executable file).
#[cfg(unix)]
const NO_PYTHON: &str = "/dev/null";
#[cfg(not(unix))]
const NO_PYTHON: &str = "NUL";

/// `tool arg`'s answer: its standard output, one line, trimmed.
fn answer(tool: &Path, arg: &str) -> Result<String, String> {
    let shown = || format!("`{} {arg}`", bounded::printable(&tool.to_string_lossy()));
    let mut cmd = Command::new(tool);
    cmd.arg(arg);
    let out = bounded::run(cmd)
        .map_err(|e| format!("cannot run {}: {e}; {}", shown(), install_hint()))?;
    if !out.success {
        return Err(format!(
            "{} failed ({}): {}; {}",
            shown(),
            out.status,
            out.stderr,
            install_hint()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    if out.too_long {
        return Err(not_a_version(tool, arg, &text));
    }
    Ok(text.trim().to_owned())
}

fn not_a_version(tool: &Path, arg: &str, said: &str) -> String {
    format!(
        "`{} {arg}` answered `{}`, which is not a version: {}",
        bounded::printable(&tool.to_string_lossy()),
        bounded::printable(said),
        install_hint()
    )
}

/// `v` when it is a version: one line of digits, letters, `.`, `+` and `-`, starting with a
/// digit (`0.15.2`, `0.16.0-dev.1484+d0ba6642b`).
fn check_version(v: &str) -> Option<&str> {
    let ok = !v.is_empty()
        && v.len() <= MAX_VERSION_LEN
        && v.starts_with(|c: char| c.is_ascii_digit())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
    ok.then_some(v)
}

/// The zig binary of the `ziglang` package of the venv whose `bin` is `venv_bin`.
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nephos-tools-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Writes an executable shell script at `path` running `body`.
    #[cfg(unix)]
    pub(crate) fn script(path: &Path, body: &str) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Stand-ins for the pinned tools in `<workspace>/.venv`, where the finder looks: a
    /// `cargo-zigbuild` and a `ziglang` zig answering `zig_version`. The cache-key tests
    /// use them so they run fast and without the real tools.
    #[cfg(unix)]
    pub(crate) fn fake_tools(workspace: &Path, zig_version: &str) {
        script(
            &workspace.join(".venv/bin/cargo-zigbuild"),
            "echo 'cargo-zigbuild 0.24.1'",
        );
        script(
            &workspace.join(".venv/lib/python3.11/site-packages/ziglang/zig"),
            &format!("echo '{zig_version}'"),
        );
    }

    #[test]
    fn the_pins_are_the_two_tools_with_exact_versions() {
        let pins = pinned_requirements();
        let names: Vec<&str> = pins.iter().map(|p| p.split("==").next().unwrap()).collect();
        assert_eq!(names, ["ziglang", "cargo-zigbuild"], "{pins:?}");
        for p in pins {
            let version = p.split_once("==").map(|(_, v)| v).unwrap_or_default();
            assert!(check_version(version).is_some(), "{p}");
        }
    }

    #[test]
    fn the_checkouts_venv_takes_its_versions_from_the_pins() {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/venv.sh");
        let Ok(text) = std::fs::read_to_string(script) else {
            return; // a packaged crate has no scripts/
        };
        assert!(text.contains("dsl/build-tools.txt"), "{text}");
        for line in text.lines() {
            let pinned_here = ["ZIGLANG_VERSION=", "CARGO_ZIGBUILD_VERSION="]
                .iter()
                .any(|v| line.starts_with(v) && !line.contains("$(pinned "));
            assert!(!pinned_here, "a second list of versions: {line}");
        }
    }

    #[test]
    fn a_missing_cargo_zigbuild_is_named_with_the_pinned_install_command() {
        let empty = dir("none");
        let e = BuildTools::find_in(std::slice::from_ref(&empty), None, &empty).unwrap_err();
        assert!(e.starts_with("cargo-zigbuild is not installed"), "{e}");
        assert!(
            e.contains(&format!("pip install {}", pinned_requirements().join(" "))),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_missing_zig_is_named_and_the_ziglang_beside_cargo_zigbuild_comes_first() {
        let ws = dir("venv");
        script(&ws.join(".venv/bin/cargo-zigbuild"), "true");
        let e = BuildTools::find_in(&[], None, &ws).unwrap_err();
        assert!(e.starts_with("zig is not installed"), "{e}");
        assert!(e.contains("pip install ziglang=="), "{e}");

        // A zig on PATH, and the ziglang installed with cargo-zigbuild: the pair wins.
        let bin = ws.join("bin");
        script(&bin.join("zig"), "true");
        let zig = ws.join(".venv/lib/python3.11/site-packages/ziglang/zig");
        script(&zig, "true");
        let tools = BuildTools::find_in(std::slice::from_ref(&bin), None, &ws).unwrap();
        assert_eq!(tools.cargo_zigbuild, ws.join(".venv/bin/cargo-zigbuild"));
        assert_eq!(tools.zig, zig);

        // Without that ziglang, the zig on PATH; CARGO_ZIGBUILD_ZIG_PATH over both.
        std::fs::remove_file(&zig).unwrap();
        let tools = BuildTools::find_in(std::slice::from_ref(&bin), None, &ws).unwrap();
        assert_eq!(tools.zig, bin.join("zig"));
        let own = ws.join("own/zig-0.14");
        script(&own, "true");
        let tools =
            BuildTools::find_in(std::slice::from_ref(&bin), Some(own.clone().into()), &ws).unwrap();
        assert_eq!(tools.zig, own);
        let e = BuildTools::find_in(&[bin], Some("nope".into()), &ws).unwrap_err();
        assert!(e.contains("CARGO_ZIGBUILD_ZIG_PATH names `nope`"), "{e}");
        let _ = std::fs::remove_dir_all(&ws);
    }

    #[cfg(unix)]
    #[test]
    fn versions_are_read_checked_and_a_garbage_answer_is_refused_escaped() {
        let ws = dir("versions");
        fake_tools(&ws, "0.15.2");
        let tools = BuildTools::find_in(&[], None, &ws).unwrap();
        let v = tools.versions().unwrap();
        assert_eq!(
            (v.zig.as_str(), v.cargo_zigbuild.as_str()),
            ("0.15.2", "0.24.1")
        );

        script(&tools.zig, "printf 'zig \\033[2J 0.15.2\\n'");
        let e = tools.versions().unwrap_err();
        assert!(
            e.contains("version` answered `zig \\u{1b}[2J 0.15.2`"),
            "{e}"
        );
        assert!(
            e.contains("not a version") && e.contains("pip install"),
            "{e}"
        );
        assert!(!e.contains('\u{1b}'), "{e}");

        script(&tools.zig, "echo 'error: bad' >&2; exit 3");
        let e = tools.versions().unwrap_err();
        assert!(e.contains("failed") && e.contains("error: bad"), "{e}");

        script(&tools.zig, "echo 0.15.2");
        script(&tools.cargo_zigbuild, "echo 'cargo-zigbuild'");
        let e = tools.versions().unwrap_err();
        assert!(e.contains("cargo-zigbuild --version` answered"), "{e}");
        let _ = std::fs::remove_dir_all(&ws);
    }

    #[test]
    fn cargo_zigbuild_is_pinned_to_the_zig_found() {
        let tools = BuildTools {
            cargo_zigbuild: "/t/cargo-zigbuild".into(),
            zig: "/t/zig".into(),
        };
        let env = tools.cargo_zigbuild_env();
        let get = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        assert_eq!(get("CARGO_ZIGBUILD_ZIG_PATH"), Some(Some("/t/zig".into())));
        assert_eq!(
            get("CARGO_ZIGBUILD_PYTHON_PATH"),
            Some(Some(NO_PYTHON.into()))
        );
        assert_eq!(get("CARGO_ZIGBUILD_ZIG_COMMAND"), Some(None));
    }
}
