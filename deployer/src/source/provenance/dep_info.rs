//! The check of an app that records no crate: the sources cargo's dep-info beside the app
//! binary (`<exe>.d`) lists must all be in the project.
//!
//! Weaker than the crate `nephos::app!()` records: cargo rewrites `<exe>.d` on every
//! build, fresh or not, resolving the package's sources against the workspace it runs in,
//! so when `cargo run` in checkout B runs the binary built from checkout A, the `.d` lists
//! B's sources. It still catches a binary run from outside cargo, and one whose last
//! build was in another checkout. Whatever leaves the question open is refused, naming
//! `nephos::app!()` as the fix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::project::{belongs, workspace_of};
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// What to do when the `.d` says nothing or is wrong: the record that does not depend on it.
const USE_THE_MACRO: &str = "make the app with `nephos::app!()` in place of `App::new()` (it records the crate the binary is compiled from, which the `nephos` command checks instead), rebuild, and run the command again";

/// Refuses the app binary `exe` (absolute, from the manifest's `appExe`) unless cargo's
/// dep-info beside it lists sources, every one of them absolute and in the project in
/// `here` (canonical). Files under the binary's target directory (a build script's
/// `OUT_DIR`) are the build's own output and not judged.
///
/// # Errors
/// No `<exe>.d` (a binary cargo did not put there), one that cannot be read or parsed,
/// relative paths (cargo's `build.dep-info-basedir`: nothing says which checkout they are
/// in), no source to judge, or a source outside the project. Each message names the file.
pub(super) fn check(exe: &Path, here: &Path) -> Result<()> {
    let shown_exe = escape_line(&exe.to_string_lossy()).into_owned();
    let depinfo = exe.with_extension("d");
    let shown = escape_line(&depinfo.to_string_lossy()).into_owned();
    match std::fs::symlink_metadata(&depinfo) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::with_next(
                format!(
                    "cannot tell which checkout the app binary {shown_exe} was built from: there is no cargo dep-info beside it ({shown}; a binary cargo did not build there)"
                ),
                USE_THE_MACRO,
            ));
        }
        Err(e) => {
            return Err(Error::new(format!(
                "cannot tell which sources built the app: cannot read {shown}: {e}"
            )));
        }
    }
    let sources = crate::build::depinfo::read(&depinfo)
        .map_err(|e| {
            Error::with_next(
                format!("cannot tell which sources built the app: {}", escape_line(&e)),
                format!("rebuild the app (`cargo build`) so cargo writes {shown} anew, then run the command again"),
            )
        })?
        .files;
    if let Some(relative) = sources.iter().find(|s| !s.is_absolute()) {
        return Err(Error::with_next(
            format!(
                "cannot tell which checkout the app binary {shown_exe} was built from: cargo's {shown} names source {} by a relative path (`build.dep-info-basedir` is set), which is the same in every checkout",
                escape_line(&relative.to_string_lossy())
            ),
            USE_THE_MACRO,
        ));
    }
    let generated = build_output_of(exe);
    let mut judged = 0usize;
    // Sources share directories: each directory's workspace is looked up once.
    let mut verdicts: BTreeMap<PathBuf, (PathBuf, bool)> = BTreeMap::new();
    for source in &sources {
        if generated.iter().any(|t| source.starts_with(t)) {
            continue;
        }
        judged += 1;
        let dir = source.parent().unwrap_or(source).to_path_buf();
        let (workspace, inside) = verdicts
            .entry(dir)
            .or_insert_with_key(|dir| {
                let workspace = workspace_of(dir);
                let inside = belongs(&workspace, here);
                (workspace, inside)
            })
            .clone();
        if !inside {
            return Err(Error::with_next(
                format!(
                    "the app's output may be from another checkout: its binary {shown_exe} was built from {} (cargo's {shown}), which is not in the project nephos runs in, {} (Cargo judges a binary fresh by file times, so two checkouts sharing a target directory run each other's; every source of an app without `nephos::app!()` must be in the project)",
                    escape_line(&source.to_string_lossy()),
                    escape_line(&here.to_string_lossy()),
                ),
                format!(
                    "rebuild the app from this checkout (`cargo clean -p <app package>`, or give each checkout its own CARGO_TARGET_DIR); if {} is a path dependency outside the project on purpose, {USE_THE_MACRO}",
                    escape_line(&workspace.to_string_lossy()),
                ),
            ));
        }
    }
    if judged == 0 {
        return Err(Error::with_next(
            format!(
                "cannot tell which checkout the app binary {shown_exe} was built from: cargo's {shown} lists no source outside the build's own output"
            ),
            USE_THE_MACRO,
        ));
    }
    Ok(())
}

/// Where the build wrote files the binary's sources may include (a build script's
/// `OUT_DIR`), wherever the target directory is: the target directory (the nearest
/// directory above the binary holding cargo's `CACHEDIR.TAG`, which cargo writes only when
/// it creates the directory) and the profile's `build/` directory beside the binary
/// (`<profile>/<bin>`, `<profile>/examples/<bin>`, `<profile>/deps/<bin>`).
fn build_output_of(exe: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = exe
        .ancestors()
        .skip(1)
        .find(|d| d.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf)
        .into_iter()
        .collect();
    if let Some(mut profile) = exe.parent() {
        if matches!(
            profile.file_name().and_then(|n| n.to_str()),
            Some("examples" | "deps")
        ) {
            profile = profile.parent().unwrap_or(profile);
        }
        dirs.push(profile.join("build"));
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::super::tests::{dir, write};
    use super::*;

    /// Two checkouts `a` and `b` with sources, and a shared target directory holding `app`.
    fn checkouts(name: &str) -> (PathBuf, PathBuf, PathBuf) {
        let (a, b) = (dir(&format!("{name}/a")), dir(&format!("{name}/b")));
        for p in [&a, &b] {
            write(&p.join("Cargo.lock"), "");
            write(&p.join("src/main.rs"), "fn main() {}\n");
        }
        let target = dir(&format!("{name}/shared-target"));
        write(
            &target.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n",
        );
        let exe = target.join("debug/app");
        write(&exe, "");
        (a, b, exe)
    }

    fn depinfo(exe: &Path, sources: &[&Path]) {
        let listed: Vec<String> = sources.iter().map(|s| s.display().to_string()).collect();
        write(
            &exe.with_extension("d"),
            &format!("{}: {}\n", exe.display(), listed.join(" ")),
        );
    }

    #[test]
    fn a_binary_built_from_another_checkout_is_refused() {
        let (a, b, exe) = checkouts("d-other");
        depinfo(&exe, &[&a.join("src/main.rs")]);
        let e = check(&exe, &b).expect_err("a's binary run from b");
        assert!(e.0.contains("another checkout"), "{}", e.0);
        assert!(
            e.0.contains(&a.join("src/main.rs").display().to_string()),
            "{}",
            e.0
        );
        assert!(e.0.contains(&b.display().to_string()), "{}", e.0);
        assert!(
            e.next_step()
                .is_some_and(|n| n.contains("CARGO_TARGET_DIR"))
        );
        assert!(check(&exe, &a).is_ok(), "from a itself");
        assert!(check(&exe, &a.join("src")).is_ok(), "from below a");
    }

    /// The old check passed when any one source was in the project: a's binary with a
    /// path dependency inside b passed in b.
    #[test]
    fn every_source_must_be_in_the_project_not_one() {
        let (a, b, exe) = checkouts("d-every");
        let shared = b.join("shared/src/lib.rs");
        write(&shared, "");
        depinfo(&exe, &[&shared, &a.join("src/main.rs")]);
        let e = check(&exe, &b).expect_err("a's main is not b's");
        assert!(
            e.0.contains(&a.join("src/main.rs").display().to_string()),
            "{}",
            e.0
        );
        // A path dependency outside the project is refused too, naming the macro.
        depinfo(
            &exe,
            &[
                &b.join("src/main.rs"),
                Path::new("/elsewhere/dsl/src/lib.rs"),
            ],
        );
        let e = check(&exe, &b).expect_err("a source outside the project");
        assert!(e.0.contains("/elsewhere/dsl/src/lib.rs"), "{}", e.0);
        assert!(e.next_step().is_some_and(|n| n.contains("nephos::app!()")));
        depinfo(
            &exe,
            &[&b.join("src/main.rs"), &b.join("shared/src/lib.rs")],
        );
        assert!(check(&exe, &b).is_ok());
    }

    /// The old check passed a `.d` of relative paths (`build.dep-info-basedir`): they are
    /// the same in every checkout, so they are refused.
    #[test]
    fn relative_sources_are_refused_naming_the_macro() {
        let (_, b, exe) = checkouts("d-relative");
        depinfo(&exe, &[Path::new("src/main.rs")]);
        let e = check(&exe, &b).expect_err("relative paths say nothing");
        assert!(e.0.contains("relative path"), "{}", e.0);
        assert!(e.next_step().is_some_and(|n| n.contains("nephos::app!()")));
        // Mixed with absolute ones in the project: still refused.
        depinfo(&exe, &[&b.join("src/main.rs"), Path::new("src/lib.rs")]);
        assert!(check(&exe, &b).is_err());
    }

    #[test]
    fn build_output_is_not_judged_but_alone_says_nothing() {
        let (_, b, exe) = checkouts("d-generated");
        let target = exe.parent().and_then(Path::parent).expect("the target dir");
        let generated = target.join("debug/build/app-0123/out/gen.rs");
        depinfo(&exe, &[&b.join("src/main.rs"), &generated]);
        assert!(check(&exe, &b).is_ok(), "OUT_DIR files are the build's own");
        depinfo(&exe, &[&generated]);
        let e = check(&exe, &b).expect_err("nothing to judge");
        assert!(e.0.contains("no source"), "{}", e.0);
        // A target directory cargo did not create has no `CACHEDIR.TAG`: the profile's
        // `build/` beside the binary is still the build's own, for an example too.
        let bare = dir("d-generated/bare-target/debug");
        let example = bare.join("examples/app");
        write(&example, "");
        let out_dir = bare.join("build/app-0123/out/gen.rs");
        depinfo(&example, &[&b.join("src/main.rs"), &out_dir]);
        assert!(check(&example, &b).is_ok());
        depinfo(
            &example,
            &[&b.join("src/main.rs"), &bare.join("other/gen.rs")],
        );
        assert!(
            check(&example, &b).is_err(),
            "only build/ is the build's own"
        );
    }

    #[test]
    fn a_binary_without_dep_info_or_with_garbage_is_refused() {
        let (_, b, exe) = checkouts("d-none");
        let e = check(&exe, &b).expect_err("no .d: not verifiable");
        assert!(e.0.contains("no cargo dep-info"), "{}", e.0);
        assert!(e.next_step().is_some_and(|n| n.contains("nephos::app!()")));
        write(&exe.with_extension("d"), "garbage without a rule\n");
        let e = check(&exe, &b).expect_err("unreadable dep-info");
        assert!(e.0.contains("app.d"), "{}", e.0);
    }
}
