//! Building the assets an app recorded as recipes (Rust binaries for Lambda) before they
//! are summarised, diffed by change set, or uploaded.
//!
//! Each zip is named by the hash synth computed over the sources and the recipe. It is
//! reused from the assembly directory, then from the cache under cargo's target directory
//! (`<target>/nephos-lambda/<hash>.zip`, the directory as `cargo metadata` reports it), and
//! only built when neither has it. The binary zipped is the one cargo's JSON messages name
//! ([`artifact`]), never a path guessed from the target directory.
//! Sources that changed since synth are refused: the zip would not be what the template's
//! key names.

pub mod artifact;
pub mod carried;
pub mod depinfo;
pub mod fresh;
pub mod package;
pub mod reads;
pub mod target_dir;
pub mod tools;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use nephos::assembly::RustBuild;

use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use crate::output::relay::{Ended, MAX_LINE_BYTES, relay_with};
use crate::source::StackSource;

/// The triples a recipe may name: Lambda's two instruction sets on glibc.
const TARGETS: [&str; 2] = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"];

/// Makes every recipe asset of `stacks` present in its assembly directory, building what
/// no cache holds. Progress lines go to `log`.
///
/// Each zip written into an assembly has its SHA-256 recorded in that assembly's manifest
/// and in `stacks` (`zip_sha256`): carried to a machine without the sources, the assembly
/// deploys only that zip ([`carried`]), and the upload checks it again.
pub fn ensure_built(stacks: &mut [StackSource], log: &mut dyn Write) -> Result<()> {
    let mut done: Vec<&str> = Vec::new();
    // Per assembly directory: asset path -> (source key, the zip's SHA-256).
    let mut written: BTreeMap<PathBuf, BTreeMap<String, (String, String)>> = BTreeMap::new();
    for s in stacks.iter() {
        for a in &s.artifact.assets {
            let Some(recipe) = &a.build else { continue };
            if done.contains(&a.sha256.as_str()) {
                continue;
            }
            done.push(&a.sha256);
            // Checked before a build of minutes: the zip goes into the assembly, never
            // through a symbolic link out of it (atk finding 1).
            let dest = nephos::assembly::path_inside(&s.dir, &a.path).map_err(|e| {
                let at = s.dir.join(&a.path);
                Error::with_next(
                    format!(
                        "cannot write the zip of {} (package {}) to {}: {}",
                        escape_line(&recipe.bin),
                        escape_line(&recipe.package),
                        escape_line(&at.to_string_lossy()),
                        escape_line(&e.to_string())
                    ),
                    crate::source::staging::unblock(&s.dir, &at),
                )
            })?;
            // The assembly's zip is taken as it is only where its sources are not (an
            // assembly carried from the machine that built it), and only with the hash
            // recorded when it was written: a moved checkout looks the same. Here, any file
            // under its name (copied in, edited, an older nephos's) is replaced by the
            // checked cache's or a build's, as the key's sources and reads are checked
            // first (atk finding 7).
            if !Path::new(&recipe.workspace).exists() {
                carried::check(a, recipe, &dest)?;
                continue;
            }
            let zip = build_one(recipe, &a.sha256, &dest, log)?;
            written
                .entry(s.dir.clone())
                .or_default()
                .insert(a.path.clone(), (a.sha256.clone(), zip));
        }
    }
    for (dir, zips) in &written {
        let recorded = crate::source::assembly::record_zips(dir, zips)?;
        let assets = stacks
            .iter_mut()
            .filter(|s| &s.dir == dir)
            .flat_map(|s| s.artifact.assets.iter_mut());
        for a in assets.filter(|a| a.build.is_some() && recorded.contains(&a.path)) {
            if let Some((_, zip)) = zips.get(&a.path).filter(|(key, _)| *key == a.sha256) {
                a.zip_sha256 = Some(zip.clone());
            }
        }
    }
    Ok(())
}

/// Checks a recipe read from a manifest (which may come from elsewhere) before any of it
/// reaches a command line or a path.
fn check_recipe(r: &RustBuild) -> std::result::Result<(), String> {
    let name = |what: &str, v: &str| {
        let ok = !v.is_empty()
            && v.len() <= 64
            && !v.starts_with('-')
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(())
        } else {
            Err(format!("{what} `{}` is not a Cargo name", escape_line(v)))
        }
    };
    name("package", &r.package)?;
    name("bin", &r.bin)?;
    name("profile", &r.profile)?;
    if !TARGETS.contains(&r.target.as_str()) {
        return Err(format!(
            "target `{}` is not one Lambda runs ({})",
            escape_line(&r.target),
            TARGETS.join(", ")
        ));
    }
    if r.glibc != nephos::LAMBDA_GLIBC {
        return Err(format!(
            "glibc `{}` is not provided.al2023's ({})",
            escape_line(&r.glibc),
            nephos::LAMBDA_GLIBC
        ));
    }
    for (what, p) in [("workspace", &r.workspace), ("packageDir", &r.package_dir)] {
        if !Path::new(p).is_absolute() || p.chars().any(char::is_control) {
            return Err(format!(
                "{what} `{}` is not an absolute path",
                escape_line(p)
            ));
        }
    }
    Ok(())
}

/// Makes the zip of `recipe` (key `sha256`) at `dest`, from the cache or a build, and
/// returns the SHA-256 of the bytes written there.
fn build_one(recipe: &RustBuild, sha256: &str, dest: &Path, log: &mut dyn Write) -> Result<String> {
    let what = format!("{} (package {})", recipe.bin, recipe.package);
    check_recipe(recipe).map_err(|e| {
        Error::with_next(
            format!("cannot build {}: the manifest's recipe: {e}", escape_line(&what)),
            "run `nephos synth` to write the assembly anew (the nephos library writes only valid recipes)",
        )
    })?;
    let workspace = PathBuf::from(&recipe.workspace);
    let coverage = check_sources(recipe, sha256, &what, "since synth")?;

    let target_dir = artifact::target_dir(&workspace)
        .map_err(|e| Error::new(format!("cannot build {what}: {e}")))?;
    let cache = target_dir
        .join("nephos-lambda")
        .join(format!("{sha256}.zip"));
    // What the build that made the cached zip read (written before the zip, so a zip
    // without it is from an interrupted write or an older nephos).
    let recorded = cache.with_extension("reads.json");
    let started = Instant::now();
    if cache.is_file() {
        match reads::Reads::load(&recorded, &workspace) {
            Ok(r) if r.uncovered(&coverage).is_empty() => {
                let zip = copy_into(&cache, dest)?;
                writeln!(
                    log,
                    "{what}: zip for these sources is cached ({})",
                    escape_line(&cache.display().to_string())
                )?;
                return Ok(zip);
            }
            Ok(_) => writeln!(
                log,
                "{what}: the cached zip's build read what the key no longer covers: building again"
            )?,
            Err(e) => writeln!(
                log,
                "{what}: the cached zip is not used ({}): building again",
                escape_line(&e)
            )?,
        }
    }

    let sysroot_libs = if recipe.target.starts_with("aarch64") {
        sysroot_libs()
    } else {
        None
    };
    let tools = tools::find(&workspace, &recipe.target, sysroot_libs.as_deref())
        .map_err(|e| Error::new(format!("cannot build {what} for Lambda: {e}")))?;
    writeln!(
        log,
        "{what}: building for {} (glibc {}, profile {}) with cargo-zigbuild",
        recipe.target, recipe.glibc, recipe.profile
    )?;
    let build_dir = target_dir::handler_build_dir(&target_dir, &workspace);
    fresh::clean_local_packages(recipe, &build_dir, &what, log)?;
    let rustflags = recipe.build_rustflags().map_err(|e| {
        Error::new(format!(
            "cannot build {what}: the compiler flags are not known: {e}"
        ))
    })?;
    let cmd = zigbuild_command(recipe, &tools, &build_dir, &rustflags);
    let mut artifacts = artifact::Artifacts::new(&recipe.bin, Path::new(&recipe.package_dir));
    let mut compiled = reads::Compiled::default();
    run_cargo(cmd, &what, log, &mut |line| {
        compiled.line(line);
        artifacts.line(line)
    })?;
    // What the compiler says it read must all be in the key, or the zip is not trusted.
    let read = compiled.reads(&workspace).map_err(|e| {
        Error::with_next(
            format!("cannot use the build of {what}: {}", escape_line(&e)),
            "build again (`cargo clean -p <package>` if the target directory was edited by hand)",
        )
    })?;
    let uncovered = read.uncovered(&coverage);
    if !uncovered.is_empty() {
        let (message, next) = uncovered.refusal(
            &what,
            &recipe.package,
            &recipe.bin,
            Path::new(&recipe.package_dir),
        );
        return Err(Error::with_next(message, next));
    }
    let binary_path = artifacts
        .executable()
        .map_err(|e| Error::new(format!("cannot package {what}: {e}")))?;
    let binary = std::fs::read(&binary_path).map_err(|e| {
        Error::new(format!(
            "cannot read the built binary {}: {e}",
            binary_path.display()
        ))
    })?;
    // An edit while cargo ran would give a binary the hash does not name.
    check_sources(recipe, sha256, &what, "during the build")?;
    let zip = package::zip_bootstrap(&binary).map_err(Error::new)?;
    let record = read.record(&workspace).map_err(Error::new)?;
    write_atomically(&recorded, &record)?;
    write_atomically(&cache, &zip)?;
    let written = copy_into(&cache, dest)?;
    writeln!(
        log,
        "{what}: built in {:.1} s, zip {} bytes",
        started.elapsed().as_secs_f64(),
        zip.len()
    )?;
    Ok(written)
}

/// The `cargo zigbuild` command building `recipe` with `tools` into `build_dir`, given
/// `rustflags` (see [`RustBuild::build_rustflags`]).
fn zigbuild_command(
    recipe: &RustBuild,
    tools: &nephos::assembly::BuildTools,
    build_dir: &Path,
    rustflags: &[String],
) -> Command {
    let mut cmd = Command::new(&tools.cargo_zigbuild);
    cmd.arg("zigbuild")
        .args(["--locked", "-p", &recipe.package, "--bin", &recipe.bin])
        .args(["--profile", &recipe.profile])
        .arg("--target")
        .arg(format!("{}.{}", recipe.target, recipe.glibc))
        .arg("--target-dir")
        .arg(build_dir)
        // Symbols are most of a binary and nothing in Lambda reads them.
        .arg("--config")
        .arg(format!("profile.{}.strip=\"symbols\"", recipe.profile))
        // The binary's path comes from cargo's own messages (diagnostics stay on stderr).
        .arg("--message-format=json-render-diagnostics")
        // The user's flags plus remaps of this machine's paths (the key names no path, so
        // the bytes must not either); this variable overrides every other source of flags.
        .env("CARGO_ENCODED_RUSTFLAGS", rustflags.join("\x1f"))
        // The toolchain is the workspace's, as the key's `rustc -vV` saw it.
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(&recipe.workspace);
    // The zig whose version the key holds, whatever else Python or PATH offer.
    for (name, value) in tools.cargo_zigbuild_env() {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    cmd
}

/// Runs the cargo command `cmd` building `what`. Its output comes from user code (build
/// scripts, proc macros) and is passed to `log` escaped and bounded, never to the terminal
/// directly (see [`relay`]).
/// Each stdout line is offered to `stdout` first (see [`relay_with`]).
fn run_cargo(
    mut cmd: Command,
    what: &str,
    log: &mut dyn Write,
    stdout: &mut dyn FnMut(&[u8]) -> bool,
) -> Result<()> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    // As the app: Ctrl-C reaches it through nephos, a forced exit kills it.
    crate::children::own_group(&mut cmd);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::new(format!("cannot run {}: {e}", escape_line(&program))))?;
    match relay_with(&mut child, log, stdout) {
        Ok(Ended::Exited(status)) if status.success() => Ok(()),
        Ok(Ended::Exited(status)) if crate::children::ended_by_ctrl_c(&status) => {
            Err(Error::new(format!(
                "interrupted (Ctrl-C) while building {what}: the build stopped before anything was deployed; run the command again"
            )))
        }
        Ok(Ended::Exited(status)) => Err(Error::new(format!(
            "building {what} failed ({status}): see cargo's messages above"
        ))),
        Ok(Ended::LineTooLong) => Err(Error::new(format!(
            "building {what} stopped: the build wrote a line longer than {MAX_LINE_BYTES} bytes (a build script printing without line breaks?)"
        ))),
        Err(e) => Err(Error::new(format!(
            "cannot follow the build of {what}: {e}"
        ))),
    }
}

/// Refuses sources whose hash is no longer the one synth recorded; returns what the key
/// covers.
fn check_sources(
    recipe: &RustBuild,
    sha256: &str,
    what: &str,
    when: &str,
) -> Result<nephos::KeyCoverage> {
    let (now, coverage) = recipe.source_key().map_err(|e| {
        Error::new(format!(
            "cannot build {what}: {e} (an assembly from another machine carries its built zips: run `nephos synth` where the sources are)"
        ))
    })?;
    if now != sha256 {
        return Err(Error::new(format!(
            "the sources or build tools of {what} changed {when} (hash {now}, the template names {sha256}): synthesize again, with the PATH nephos runs with (the key holds the versions of rustc, zig and cargo-zigbuild as found there)"
        )));
    }
    Ok(coverage)
}

/// The rustc sysroot's `lib/rustlib`, where each installed target's std lives.
fn sysroot_libs() -> Option<PathBuf> {
    let out = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(["--print", "sysroot"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .output()
        .ok()?;
    let sysroot = String::from_utf8(out.stdout).ok()?;
    Some(PathBuf::from(sysroot.trim()).join("lib/rustlib"))
}

/// Writes `bytes` to `path` through a new file beside it, renamed over whatever is at
/// `path` (a link there is replaced, never written through).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |e: std::io::Error| Error::new(format!("cannot write {}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    // A new file, never one a link at the temporary name leads to; the rename then
    // replaces whatever is at `path` rather than writing through it.
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        _ => {}
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)
}

/// Copies `from` to `to` ([`write_atomically`]); returns the SHA-256 of the bytes copied.
fn copy_into(from: &Path, to: &Path) -> Result<String> {
    let bytes = std::fs::read(from)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", from.display())))?;
    write_atomically(to, &bytes)?;
    Ok(crate::deploy::staging::sha256_hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipe() -> RustBuild {
        RustBuild::new("/w", "/w/h", "h", "h")
    }

    /// [`recipe`] with `edit` applied (the struct is non-exhaustive: no literals).
    fn recipe_with(edit: impl FnOnce(&mut RustBuild)) -> RustBuild {
        let mut r = recipe();
        edit(&mut r);
        r
    }

    #[test]
    fn recipes_from_a_manifest_are_checked_before_use() {
        assert!(check_recipe(&recipe()).is_ok());
        let bad = recipe_with(|r| r.bin = "--config=x".into());
        assert!(check_recipe(&bad).unwrap_err().contains("bin"));
        let host = recipe_with(|r| r.target = "x86_64-apple-darwin".into());
        assert!(
            check_recipe(&host)
                .unwrap_err()
                .contains("not one Lambda runs")
        );
        let relative = recipe_with(|r| r.workspace = "w".into());
        assert!(check_recipe(&relative).unwrap_err().contains("absolute"));
    }

    #[test]
    fn cargo_output_reaches_the_log_escaped_and_a_failure_points_at_it() {
        // What a build script may print: a title change, a screen erase, a bidi override.
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            r"printf 'cargo:warning=\033]0;PWNED\007\n'; printf '\033[2J\342\200\256x\n' >&2; exit 101",
        ]);
        let mut log = Vec::new();
        let e = run_cargo(cmd, "h (package h)", &mut log, &mut |_| false).expect_err("exit 101");
        assert!(e.0.contains("building h (package h) failed"), "{}", e.0);
        let text = String::from_utf8(log).unwrap_or_default();
        assert!(
            text.contains("cargo:warning=\\x1b]0;PWNED\\x07\n"),
            "{text:?}"
        );
        assert!(text.contains("\\x1b[2J\\u202ex\n"), "{text:?}");
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }

    /// A workspace `<tmp>/<name>/ws` whose member `h` has a binary `h` doing nothing, with
    /// this checkout's `.venv` (cargo-zigbuild, zig) linked in where `scripts/venv.sh` puts it.
    fn built_workspace(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("nephos-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let ws = root.join("ws");
        std::fs::create_dir_all(ws.join("h/src")).unwrap();
        std::fs::write(ws.join("Cargo.toml"), "[workspace]\nmembers = [\"h\"]\n").unwrap();
        std::fs::write(
            ws.join("h/Cargo.toml"),
            "[package]\nname = \"h\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\next = { path = \"../../ext\" }\n",
        )
        .unwrap();
        // A panic location in a path dependency beside the workspace: an absolute path of
        // this machine unless the build remaps it.
        std::fs::write(
            ws.join("h/src/main.rs"),
            "fn main() { std::process::exit(ext::third(&std::env::args().count().to_le_bytes()[..1]).into()) }\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("ext/src")).unwrap();
        std::fs::write(
            root.join("ext/Cargo.toml"),
            "[package]\nname = \"ext\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join("ext/src/lib.rs"),
            "pub fn third(v: &[u8]) -> u8 { v[3] }\n",
        )
        .unwrap();
        let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv");
        std::os::unix::fs::symlink(&venv, ws.join(".venv")).unwrap();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let lock = Command::new(cargo)
            .args(["generate-lockfile", "--offline"])
            .current_dir(&ws)
            .output()
            .unwrap();
        assert!(
            lock.status.success(),
            "{}",
            String::from_utf8_lossy(&lock.stderr)
        );
        ws
    }

    /// A one-stack [`StackSource`] in `out` whose asset `path` (key `key`) is built by
    /// `recipe`, its zip recorded as `zip`.
    fn one_built(out: &Path, key: &str, recipe: RustBuild, zip: Option<String>) -> StackSource {
        let path = format!("assets/{key}.zip");
        StackSource {
            artifact: nephos::assembly::StackArtifact {
                id: "A".into(),
                stack_name: "a".into(),
                template_file: "A.template.json".into(),
                region: None,
                tags: Default::default(),
                termination_protection: false,
                parameters: Default::default(),
                dependencies: Vec::new(),
                assets: vec![nephos::assembly::Asset {
                    sha256: key.into(),
                    path: path.clone(),
                    object_key: path,
                    build: Some(recipe),
                    zip_sha256: zip,
                }],
            },
            body: String::new(),
            template: serde_json::Value::Null,
            dir: out.to_path_buf(),
        }
    }

    /// atk finding 7: a file under the asset's name in the assembly is not taken for the
    /// zip while the sources are here: the key's checks run (here they refuse sources that
    /// changed since synth). Where the sources are not (a carried assembly, or a moved
    /// checkout), the zip is taken only with the hash the manifest recorded for it.
    #[cfg(unix)]
    #[test]
    fn a_zip_in_the_assembly_is_checked_where_its_sources_are() {
        let ws = built_workspace("planted");
        let out = ws.parent().unwrap().join("out");
        let zeros = "0".repeat(64);
        let path = out.join(format!("assets/{zeros}.zip"));
        std::fs::create_dir_all(out.join("assets")).unwrap();
        std::fs::write(&path, b"PLANTED").unwrap();
        let mut here = recipe();
        here.workspace = ws.display().to_string();
        here.package_dir = ws.join("h").display().to_string();
        let e = ensure_built(&mut [one_built(&out, &zeros, here, None)], &mut Vec::new())
            .expect_err("not the key's sources");
        assert!(e.0.contains("changed since synth"), "{}", e.0);

        let gone = ws.parent().unwrap().join("gone");
        let mut elsewhere = recipe();
        elsewhere.workspace = gone.display().to_string();
        elsewhere.package_dir = gone.join("h").display().to_string();
        let carried = |zip: Option<String>| {
            ensure_built(
                &mut [one_built(&out, &zeros, elsewhere.clone(), zip)],
                &mut Vec::new(),
            )
        };
        let e = carried(None).expect_err("a zip nephos did not record");
        assert!(e.0.contains("not one nephos recorded building"), "{}", e.0);
        assert!(e.0.contains(&gone.display().to_string()), "{}", e.0);
        let next = e.next_step().unwrap_or_default();
        assert!(
            next.contains("on a machine with the handler's sources"),
            "{next}"
        );
        let built = crate::deploy::staging::sha256_hex(b"the zip synth built");
        let e = carried(Some(built.clone())).expect_err("another zip than the recorded one");
        let planted = crate::deploy::staging::sha256_hex(b"PLANTED");
        assert!(
            e.0.contains("is not the zip nephos built")
                && e.0.contains(&planted)
                && e.0.contains(&built),
            "{}",
            e.0
        );
        carried(Some(planted)).expect("the recorded zip");
        assert_eq!(std::fs::read(&path).unwrap(), b"PLANTED");
        let _ = std::fs::remove_dir_all(ws.parent().unwrap());
    }

    /// The assembly CI synthesizes and carries to a machine without the sources: synth's
    /// build records the zip's hash in the manifest, and there the zip deploys as it is; a
    /// zip swapped into the carried assembly does not.
    #[cfg(unix)]
    #[test]
    fn a_carried_assembly_deploys_the_zip_its_synth_built_and_no_other() {
        let ws = built_workspace("carried");
        let root = ws.parent().unwrap().to_path_buf();
        let out = root.join("nephos.out");
        let recipe = recipe_with(|r| {
            r.workspace = ws.display().to_string();
            r.package_dir = ws.join("h").display().to_string();
            r.profile = "dev".into();
        });
        let key = recipe.source_hash().unwrap();
        let stack = one_built(&out, &key, recipe, None);
        let manifest = nephos::assembly::Manifest {
            version: nephos::assembly::MANIFEST_VERSION,
            stacks: vec![stack.artifact],
            app_crate: None,
            app_exe: None,
        };
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(
            out.join("A.template.json"),
            r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#,
        )
        .unwrap();
        std::fs::write(
            out.join("manifest.json"),
            serde_json::to_string_pretty(&manifest).unwrap(),
        )
        .unwrap();
        let load = || crate::source::assembly::load_assembly(&out).unwrap();
        let mut log = Vec::new();
        let mut stacks = load();
        ensure_built(&mut stacks, &mut log)
            .unwrap_or_else(|e| panic!("{}\n{}", e.0, String::from_utf8_lossy(&log)));
        let zip = out.join(&stacks[0].artifact.assets[0].path);
        let made = carried::sha256_file(&zip).unwrap();
        assert_eq!(stacks[0].artifact.assets[0].zip_sha256, Some(made.clone()));
        assert_eq!(load()[0].artifact.assets[0].zip_sha256, Some(made.clone()));

        let bytes = std::fs::read(&zip).unwrap();
        assert_eq!(&bytes[..4], b"PK\x03\x04", "a zip");
        // Carried: the workspace is not where the recipe says.
        std::fs::rename(&ws, root.join("ws-moved")).unwrap();
        let mut stacks = load();
        ensure_built(&mut stacks, &mut Vec::new()).expect("the zip synth built");
        assert_eq!(stacks[0].artifact.assets[0].zip_sha256, Some(made));
        assert_eq!(std::fs::read(&zip).unwrap(), bytes, "used as it is");

        std::fs::write(&zip, b"PLANTED").unwrap();
        let e = ensure_built(&mut load(), &mut Vec::new()).expect_err("a swapped zip");
        assert!(e.0.contains("is not the zip nephos built"), "{}", e.0);
        let _ = std::fs::remove_dir_all(&root);
    }

    /// The `bootstrap` a zip at `path` holds.
    fn unzipped(path: &Path) -> Vec<u8> {
        let zip = std::fs::read(path).unwrap();
        let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut binary = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name("bootstrap").unwrap(), &mut binary)
            .unwrap();
        binary
    }

    #[cfg(unix)]
    #[test]
    fn a_build_that_read_what_the_key_does_not_cover_is_refused_until_it_is_declared() {
        let ws = built_workspace("undeclared");
        let root = ws.parent().unwrap().to_path_buf();
        std::fs::write(root.join("shared.txt"), "FIRST-TEXT").unwrap();
        // What the last attack shipped stale: a file beside the package and a variable.
        std::fs::write(
            ws.join("h/src/main.rs"),
            "fn main() { print!(\"{} {:?} {}\", include_str!(\"../../../shared.txt\"), option_env!(\"NEPHOS_TEST_UNDECLARED_MARK\"), ext::third(&[1, 2, 3, 4])) }\n",
        )
        .unwrap();
        let plain = recipe_with(|r| {
            r.workspace = ws.display().to_string();
            r.package_dir = ws.join("h").display().to_string();
            r.profile = "dev".into();
        });
        let sha = plain.source_hash().unwrap();
        let dest = root.join("out/asset.zip");
        let mut log = Vec::new();
        let e = build_one(&plain, &sha, &dest, &mut log).expect_err("undeclared reads");
        let shared = std::fs::canonicalize(root.join("shared.txt")).unwrap();
        assert!(e.0.contains(&shared.display().to_string()), "{}", e.0);
        assert!(e.0.contains("NEPHOS_TEST_UNDECLARED_MARK"), "{}", e.0);
        let next = e.next_step().unwrap_or_default();
        assert!(next.contains(".input_file(\"../../shared.txt\")"), "{next}");
        assert!(
            next.contains(".input_env(\"NEPHOS_TEST_UNDECLARED_MARK\")"),
            "{next}"
        );
        let target = artifact::target_dir(&ws).unwrap();
        let cached = |sha: &str| target.join(format!("nephos-lambda/{sha}.zip"));
        assert!(!cached(&sha).exists(), "no zip cached for a refused build");
        assert!(!dest.exists(), "nothing to deploy");

        let mut declared = plain.clone();
        declared.input_files = vec!["../../shared.txt".into()];
        declared.input_env = vec!["NEPHOS_TEST_UNDECLARED_MARK".into()];
        let first = declared.source_hash().unwrap();
        assert_ne!(first, sha);
        build_one(&declared, &first, &dest, &mut log)
            .unwrap_or_else(|e| panic!("{}\n{}", e.0, String::from_utf8_lossy(&log)));
        let one = unzipped(&dest);
        assert!(one.windows(10).any(|w| w == b"FIRST-TEXT"));

        // An edit of the declared file: another key, another zip, the new text.
        std::fs::write(root.join("shared.txt"), "OTHER-TEXT").unwrap();
        let second = declared.source_hash().unwrap();
        assert_ne!(second, first, "the declared file is in the key");
        let dest2 = root.join("out/asset2.zip");
        build_one(&declared, &second, &dest2, &mut log).unwrap();
        let two = unzipped(&dest2);
        assert!(
            two.windows(10).any(|w| w == b"OTHER-TEXT"),
            "the new text ships"
        );

        // A cache hit is taken only while what the build read is covered.
        let mut hit = Vec::new();
        build_one(&declared, &second, &root.join("out/3.zip"), &mut hit).unwrap();
        assert!(String::from_utf8_lossy(&hit).contains("is cached"));
        let recorded = cached(&second).with_extension("reads.json");
        let mut list: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&recorded).unwrap()).unwrap();
        list["env"] = serde_json::json!(["SOMETHING_ELSE"]);
        std::fs::write(&recorded, list.to_string()).unwrap();
        let mut again = Vec::new();
        build_one(&declared, &second, &root.join("out/4.zip"), &mut again).unwrap();
        let again = String::from_utf8_lossy(&again);
        assert!(again.contains("no longer covers"), "{again}");
        assert!(!again.contains("is cached"), "{again}");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn the_zip_holds_the_binary_cargo_built_not_one_at_a_guessed_path() {
        let ws = built_workspace("target-dir");
        let elsewhere = ws.parent().unwrap().join("elsewhere");
        std::fs::create_dir_all(ws.join(".cargo")).unwrap();
        std::fs::write(
            ws.join(".cargo/config.toml"),
            format!(
                "[build]\ntarget-dir = {:?}\n",
                elsewhere.display().to_string()
            ),
        )
        .unwrap();
        // What a guess of `<workspace>/target` would package: a binary from before the config.
        let stale = ws.join("target/x86_64-unknown-linux-gnu/release/h");
        std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
        std::fs::write(&stale, "#!/bin/sh\necho STALE-BINARY\n").unwrap();
        let recipe = recipe_with(|r| {
            r.workspace = ws.display().to_string();
            r.package_dir = ws.join("h").display().to_string();
        });
        // Sources of this run only: the zip cache follows CARGO_TARGET_DIR when it is set
        // (as under a shared target directory), and an earlier run's zip of the same key
        // would be a hit with no binary built here.
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let main = std::fs::read_to_string(ws.join("h/src/main.rs")).unwrap();
        std::fs::write(
            ws.join("h/src/main.rs"),
            format!("{main}// run {}-{run}\n", std::process::id()),
        )
        .unwrap();
        let sha = recipe.source_hash().unwrap();
        let dest = ws.parent().unwrap().join("out/asset.zip");
        let mut log = Vec::new();
        build_one(&recipe, &sha, &dest, &mut log)
            .unwrap_or_else(|e| panic!("{}\n{}", e.0, String::from_utf8_lossy(&log)));
        let zip = std::fs::read(&dest).unwrap();
        let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut binary = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name("bootstrap").unwrap(), &mut binary)
            .unwrap();
        assert!(
            binary.starts_with(b"\x7fELF"),
            "not cargo's binary: {:?}",
            &binary[..16.min(binary.len())]
        );
        // Cargo's target directory holds it (in the workspace's handler build directory)
        // and the zip cache, whatever CARGO_TARGET_DIR says.
        let target = artifact::target_dir(&ws).unwrap();
        assert_eq!(
            std::fs::read(
                target_dir::handler_build_dir(&target, &ws)
                    .join("x86_64-unknown-linux-gnu/release/h")
            )
            .unwrap(),
            binary
        );
        if std::env::var_os("CARGO_TARGET_DIR").is_none() {
            assert_eq!(target, elsewhere);
        }
        assert!(target.join(format!("nephos-lambda/{sha}.zip")).is_file());
        // No path of this machine: not the workspace's, nor the dependency's beside it.
        let root = ws.parent().unwrap().display().to_string();
        assert!(
            !binary.windows(root.len()).any(|w| w == root.as_bytes()),
            "the binary names {root}"
        );
        assert!(
            binary
                .windows(b"/workspace/".len())
                .any(|w| w == b"/workspace/"),
            "the remapped path is there"
        );
        assert!(
            !ws.join(format!("target/nephos-lambda/{sha}.zip")).exists(),
            "no zip cached at the guess"
        );
        let _ = std::fs::remove_dir_all(ws.parent().unwrap());
    }

    fn names(binary: &[u8], mark: &str) -> bool {
        binary.windows(mark.len()).any(|w| w == mark.as_bytes())
    }

    #[cfg(unix)]
    #[test]
    fn a_path_dependency_replaced_by_older_files_is_rebuilt_so_the_new_key_holds_the_new_code() {
        let ws = built_workspace("older-copy");
        let root = ws.parent().unwrap().to_path_buf();
        let lib = |mark: &str| format!("pub fn mark() -> &'static str {{ \"{mark}\" }}\n");
        std::fs::write(
            ws.join("h/src/main.rs"),
            "fn main() { println!(\"{}\", ext::mark()) }\n",
        )
        .unwrap();
        std::fs::write(root.join("ext/src/lib.rs"), lib("EXTMARK-a")).unwrap();
        // Another copy of `ext` whose files are older than any build (as `cp -a` or
        // `tar x` of an older tree leaves them).
        let old = root.join("ext-d");
        std::fs::create_dir_all(old.join("src")).unwrap();
        std::fs::copy(root.join("ext/Cargo.toml"), old.join("Cargo.toml")).unwrap();
        std::fs::write(old.join("src/lib.rs"), lib("EXTMARK-d")).unwrap();
        let past =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        for f in ["Cargo.toml", "src/lib.rs"] {
            std::fs::File::options()
                .write(true)
                .open(old.join(f))
                .unwrap()
                .set_modified(past)
                .unwrap();
        }
        let recipe = recipe_with(|r| {
            r.workspace = ws.display().to_string();
            r.package_dir = ws.join("h").display().to_string();
            r.profile = "dev".into();
        });
        let build = |name: &str| {
            let sha = recipe.source_hash().unwrap();
            let dest = root.join(format!("out/{name}.zip"));
            let mut log = Vec::new();
            build_one(&recipe, &sha, &dest, &mut log)
                .unwrap_or_else(|e| panic!("{}\n{}", e.0, String::from_utf8_lossy(&log)));
            (sha, unzipped(&dest))
        };
        let (first_key, first) = build("first");
        assert!(
            names(&first, "EXTMARK-a"),
            "the first build holds ext's code"
        );

        std::fs::remove_dir_all(root.join("ext")).unwrap();
        std::fs::rename(&old, root.join("ext")).unwrap();
        let (second_key, second) = build("second");
        assert_ne!(first_key, second_key, "other sources, another key");
        assert!(
            names(&second, "EXTMARK-d") && !names(&second, "EXTMARK-a"),
            "the zip under the new key holds the new code, though its files are older than the last build"
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    /// issue 15, atk 2b: left alone, cargo-zigbuild links with `python3 -m ziglang` when
    /// the PATH's Python has one, whatever zig the key named.
    #[cfg(unix)]
    #[test]
    fn cargo_zigbuild_links_with_the_zig_the_key_names() {
        use std::os::unix::fs::PermissionsExt;
        let ws = std::env::temp_dir().join(format!("nephos-build-pin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&ws);
        let zig = ws.join(".venv/lib/python3.11/site-packages/ziglang/zig");
        for tool in [ws.join(".venv/bin/cargo-zigbuild"), zig.clone()] {
            std::fs::create_dir_all(tool.parent().unwrap()).unwrap();
            std::fs::write(&tool, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let tools = nephos::assembly::BuildTools::find_in(&[], None, &ws).unwrap();
        let cmd = zigbuild_command(&recipe(), &tools, Path::new("/t/b"), &[]);
        let env: std::collections::HashMap<_, _> = cmd.get_envs().collect();
        let get = |k: &str| env.get(std::ffi::OsStr::new(k)).copied();
        assert_eq!(get("CARGO_ZIGBUILD_ZIG_PATH"), Some(Some(zig.as_os_str())));
        assert_eq!(
            get("CARGO_ZIGBUILD_PYTHON_PATH"),
            Some(Some(std::ffi::OsStr::new("/dev/null"))),
            "no Python's ziglang"
        );
        assert_eq!(get("CARGO_ZIGBUILD_ZIG_COMMAND"), Some(None), "removed");
        assert_eq!(cmd.get_program(), ws.join(".venv/bin/cargo-zigbuild"));
        let _ = std::fs::remove_dir_all(&ws);
    }
}
