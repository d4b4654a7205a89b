//! A cache miss rebuilds every local crate of the handler, whatever the file times say.
//!
//! Cargo judges a crate fresh when no source it read is newer than its last build (the
//! "dep-info" file times, Cargo Book "Build cache"). A path dependency or handler source
//! replaced by files with older times (`cp -a`, `tar x`, `rsync -a`, a retargeted link, a
//! second checkout sharing the target directory) has a new key but is not rebuilt, so the
//! zip under the new key would hold the old code (atk finding 1). So before each build,
//! `cargo clean -p <name>` (Cargo Book, "cargo clean": `--package`, `--target`,
//! `--profile`, `--target-dir`) removes the local packages' artifacts for that target and
//! profile; Cargo then compiles them from their sources, while the registry crates they
//! use stay built. Cargo cleans by name (every version, every source), so a registry crate
//! named like a local one is rebuilt too: time, never stale bytes.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use nephos::assembly::RustBuild;

use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// The most local packages cleaned in one `cargo clean` (a command line stays short; a
/// graph with more path packages is cleaned in several runs).
const PER_RUN: usize = 64;

/// Removes the build artifacts of `recipe`'s local packages (the binary's package and its
/// path dependencies, see [`RustBuild::local_packages`]) for its target and profile from
/// `build_dir`, the target directory the build is given. Nothing is run when `build_dir`
/// does not exist yet (nothing was built there). `what` names the handler in messages;
/// Cargo's output goes to `log`, escaped.
///
/// # Errors
/// The package graph cannot be read, a name in it is not a Cargo name (a kept graph is a
/// file under the target directory, read as untrusted), or `cargo clean` fails: the build
/// does not go on, since it could zip stale code.
pub fn clean_local_packages(
    recipe: &RustBuild,
    build_dir: &Path,
    what: &str,
    log: &mut dyn Write,
) -> Result<()> {
    // Nothing built there yet is the only reason to skip the clean; a directory that
    // cannot be read could hold stale artifacts.
    match std::fs::symlink_metadata(build_dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::new(format!(
                "cannot build {what}: cannot read its build directory {}: {e}",
                build_dir.display()
            )));
        }
        Ok(_) => {}
    }
    let names = recipe.local_packages().map_err(|e| {
        Error::new(format!(
            "cannot build {what}: its local packages are not known: {e}"
        ))
    })?;
    if let Some(bad) = names.iter().find(|n| !is_cargo_name(n)) {
        return Err(Error::with_next(
            format!(
                "cannot build {what}: the package graph names `{}`, which is not a Cargo package name",
                escape_line(bad)
            ),
            "delete the kept graphs (`<target dir>/nephos-lambda/graph-*.json`) and run `nephos synth` again",
        ));
    }
    for chunk in names.chunks(PER_RUN) {
        let cmd = clean_command(recipe, build_dir, chunk);
        super::run_cargo(
            cmd,
            &format!("{what} (cleaning its local crates)"),
            log,
            &mut |_| false,
        )?;
    }
    Ok(())
}

/// `cargo clean` of `names` for the recipe's target and profile in `build_dir`, run in the
/// workspace with the workspace's toolchain (as the build).
fn clean_command(recipe: &RustBuild, build_dir: &Path, names: &[String]) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(["clean", "--locked"]);
    for n in names {
        // `--package=` keeps a name from ever reading as an option.
        cmd.arg(format!("--package={n}"));
    }
    cmd.arg(format!("--target={}", recipe.target))
        .arg(format!("--profile={}", recipe.profile))
        .arg("--target-dir")
        .arg(build_dir)
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(&recipe.workspace);
    cmd
}

/// What Cargo accepts as a package name, and nothing an argument parser could misread.
fn is_cargo_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clean_names_each_package_the_target_profile_and_directory() {
        let mut recipe = RustBuild::new("/w", "/w/h", "h", "h");
        recipe.profile = "dev".into();
        let cmd = clean_command(&recipe, Path::new("/t/b"), &["h".into(), "common".into()]);
        let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
        assert_eq!(
            args,
            [
                "clean",
                "--locked",
                "--package=h",
                "--package=common",
                "--target=x86_64-unknown-linux-gnu",
                "--profile=dev",
                "--target-dir",
                "/t/b"
            ]
        );
        assert_eq!(cmd.get_current_dir(), Some(Path::new("/w")));
        assert!(!is_cargo_name("--manifest-path=/x"));
        assert!(!is_cargo_name("a b"));
        assert!(is_cargo_name("orders_api-2"));
    }
}
