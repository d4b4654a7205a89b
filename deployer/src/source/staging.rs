//! Where an app run writes before its output is trusted.
//!
//! The app writes to `<outdir>/.nephos-staging`; nephos reads and checks what it wrote
//! there (the manifest and templates, and that the app comes from the project nephos runs
//! in), and only then installs it over the assembly in `<outdir>`
//! ([`nephos::assembly::install`]). A refused output, or any error, removes the staging
//! directory and leaves `<outdir>` as it was: another checkout's templates never sit where
//! `--assembly nephos.out` would deploy them (issue 15, atk finding 3).
//!
//! The staging directory is inside the output directory, not beside it: `watch` already
//! ignores everything there, and the final move is a rename on one file system. Its name
//! is fixed, so what the app prints is the same on every run; the output directory is
//! locked (`flock`) while a run uses it, so two nephos commands never share one.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// The staging directory's name inside the output directory.
pub const STAGING_DIR: &str = ".nephos-staging";

/// A fresh staging directory, removed when dropped; holds the output directory's lock.
pub struct Staging {
    dir: PathBuf,
    _lock: File,
}

impl Staging {
    /// Locks `outdir` (created when missing) and makes its staging directory afresh (one
    /// left by a run that was killed is removed).
    ///
    /// # Errors
    /// The output directory cannot be made or opened, another nephos command holds it, or
    /// the staging directory cannot be made.
    pub fn begin(outdir: &Path) -> Result<Self> {
        std::fs::create_dir_all(outdir).map_err(|e| {
            Error::new(format!(
                "cannot create {}: {e}",
                escape_line(&outdir.to_string_lossy())
            ))
        })?;
        let lock = lock(outdir)?;
        let dir = outdir.join(STAGING_DIR);
        // `remove_dir_all` removes a link itself, never what it leads to.
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::new(format!(
                    "cannot remove the staging directory {} an earlier run left: {e}",
                    escape_line(&dir.to_string_lossy())
                )));
            }
        }
        std::fs::create_dir(&dir).map_err(|e| {
            Error::new(format!(
                "cannot create {}: {e}",
                escape_line(&dir.to_string_lossy())
            ))
        })?;
        Ok(Staging { dir, _lock: lock })
    }

    /// The directory the app writes to (its `NEPHOS_OUTDIR`).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Moves the checked output into `outdir`, replacing the assembly there; the staging
    /// directory is removed in any case.
    ///
    /// # Errors
    /// What [`nephos::assembly::install`] refuses, with the step that frees the way.
    pub fn install(self, outdir: &Path) -> Result<()> {
        nephos::assembly::install(&self.dir, outdir).map_err(|e| {
            let next = match &e {
                nephos::AppError::Io { path, .. } => unblock(outdir, path),
                nephos::AppError::Synth { .. } => "run the command again".into(),
            };
            Error::with_next(escape_line(&e.to_string()).into_owned(), next)
        })?;
        Ok(())
    }
}

/// Locks the assembly directory `dir` (`flock` on the directory itself) for as long as
/// the returned file is open: an app run's install and the deployer's record of the zips it
/// built never interleave with another nephos command's.
///
/// # Errors
/// `dir` cannot be opened, or another nephos command holds it (with the step to take).
pub fn lock(dir: &Path) -> Result<File> {
    let shown = || escape_line(&dir.to_string_lossy()).into_owned();
    let file = File::open(dir).map_err(|e| Error::new(format!("cannot open {}: {e}", shown())))?;
    match try_lock(&file) {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::with_next(
            format!(
                "another nephos command is writing the assembly in {}",
                shown()
            ),
            "wait until it ends (or give this command an output directory of its own with --outdir), then run the command again",
        )),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Error::new(format!("cannot lock {}: {e}", shown())))
        }
    }
}

/// Locks `file`, retrying for a few seconds: a process another thread of nephos forks
/// holds a copy of the descriptor (and so the lock) until it runs its program.
fn try_lock(file: &File) -> std::result::Result<(), std::fs::TryLockError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        match file.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What frees the way to write `path` inside the assembly `dir`: removing the first
/// symbolic link (or file where a directory belongs) on the way, else making `path`
/// writable.
pub fn unblock(dir: &Path, path: &Path) -> String {
    let mut at = dir.to_path_buf();
    let rest = path.strip_prefix(dir).unwrap_or(path);
    let parts: Vec<_> = rest.components().collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            break;
        };
        let last = i + 1 == parts.len();
        if meta.file_type().is_symlink() || (!last && !meta.is_dir()) {
            return format!(
                "remove {} (nephos writes the assembly only into directories inside {}, never through a symbolic link), then run the command again",
                escape_line(&at.to_string_lossy()),
                escape_line(&dir.to_string_lossy())
            );
        }
    }
    format!(
        "make {} writable for nephos (or remove what is there), then run the command again",
        escape_line(&path.to_string_lossy())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::SourceArgs;

    const TEMPLATE: &str = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nephos-staging-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap_or_default();
        std::fs::canonicalize(&d).unwrap_or(d)
    }

    /// A shell app writing stack `id` (stack name `name`) to `$NEPHOS_OUTDIR`, its manifest
    /// naming `exe` as the binary that ran.
    fn app(id: &str, name: &str, exe: &Path) -> String {
        let manifest = serde_json::json!({"version": 1, "stacks": [{
            "id": id, "stackName": name, "templateFile": format!("{id}.template.json")}],
            "appExe": exe});
        format!(
            "printf '%s' '{TEMPLATE}' > \"$NEPHOS_OUTDIR/{id}.template.json\"; printf '%s' '{manifest}' > \"$NEPHOS_OUTDIR/manifest.json\""
        )
    }

    fn load(cwd: &Path, app: String) -> Result<Vec<crate::source::StackSource>> {
        let args = SourceArgs {
            app: Some(app),
            outdir: PathBuf::from("nephos.out"),
            ..SourceArgs::default()
        };
        crate::source::app::load(&args, cwd, &mut Vec::new())
    }

    /// atk finding 3: an app run refused after it wrote (here: its binary was built from
    /// another checkout, by cargo's dep-info) leaves the project's earlier assembly.
    #[test]
    fn a_refused_app_run_leaves_the_earlier_assembly_and_no_staging() {
        let root = scratch("refused");
        let (here, other) = (root.join("here"), root.join("other"));
        for p in [&here, &other] {
            std::fs::create_dir_all(p.join("src")).unwrap_or_default();
            std::fs::write(p.join("Cargo.lock"), "").unwrap_or_default();
        }
        let target = root.join("shared-target");
        std::fs::create_dir_all(&target).unwrap_or_default();
        let exe = target.join("app");
        let write_depinfo = |checkout: &Path| {
            std::fs::write(
                target.join("app.d"),
                format!(
                    "{}: {}\n",
                    exe.display(),
                    checkout.join("src/main.rs").display()
                ),
            )
            .unwrap_or_default();
        };
        write_depinfo(&here);
        let stacks = load(&here, app("Mine", "mine-dev", &exe)).expect("this checkout's app");
        assert_eq!(stacks[0].dir, here.join("nephos.out"));
        let out = here.join("nephos.out");
        let ours = std::fs::read_to_string(out.join("manifest.json")).unwrap_or_default();
        assert!(ours.contains("mine-dev"), "{ours}");
        assert!(!out.join(STAGING_DIR).exists());

        write_depinfo(&other);
        let e = load(&here, app("Theirs", "theirs-dev", &exe)).expect_err("another checkout");
        assert!(e.0.contains("another checkout"), "{}", e.0);
        assert_eq!(
            std::fs::read_to_string(out.join("manifest.json")).unwrap_or_default(),
            ours,
            "the refused output replaced the assembly"
        );
        assert!(!out.join("Theirs.template.json").exists());
        assert!(out.join("Mine.template.json").is_file());
        assert!(
            !out.join(STAGING_DIR).exists(),
            "the staging output is removed"
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_failing_app_leaves_the_earlier_assembly_and_a_busy_outdir_is_refused() {
        let root = scratch("failing");
        let exe = root.join("no-such-app");
        // The binary's dep-info names this project's sources, so the provenance check
        // passes and the first run installs.
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(
            root.join("no-such-app.d"),
            format!(
                "{}: {}\n",
                exe.display(),
                root.join("src/main.rs").display()
            ),
        )
        .unwrap();
        load(&root, app("Mine", "mine-dev", &exe)).expect("first run");
        let out = root.join("nephos.out");
        let ours = std::fs::read_to_string(out.join("manifest.json")).unwrap_or_default();
        let half = format!("{}; exit 3", app("Half", "half-dev", &exe));
        assert!(load(&root, half).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("manifest.json")).unwrap_or_default(),
            ours
        );
        assert!(!out.join("Half.template.json").exists());
        assert!(!out.join(STAGING_DIR).exists());
        // Another run holding the directory.
        let held = Staging::begin(&out).expect("the lock");
        let e = load(&root, app("Mine", "mine-dev", &exe)).expect_err("busy");
        assert!(e.0.contains("another nephos command"), "{}", e.0);
        drop(held);
        assert!(load(&root, app("Mine", "mine-dev", &exe)).is_ok());
        let _ = std::fs::remove_dir_all(&root);
    }

    /// atk finding 1: a symbolic link in the assembly names the link to remove, not the
    /// command that just failed.
    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_assembly_is_refused_naming_the_link() {
        let root = scratch("link");
        let (out, elsewhere) = (root.join("out"), root.join("elsewhere"));
        std::fs::create_dir_all(&out).unwrap_or_default();
        std::fs::create_dir_all(&elsewhere).unwrap_or_default();
        std::os::unix::fs::symlink(&elsewhere, out.join("assets")).unwrap_or_default();
        std::fs::write(out.join("A.template.json"), TEMPLATE).unwrap_or_default();
        // A recipe's zip is not there yet: the deployer would write it through the link.
        let zeros = "0".repeat(64);
        let manifest = serde_json::json!({"version": 1, "stacks": [{
            "id": "A", "stackName": "a", "templateFile": "A.template.json",
            "assets": [{"sha256": zeros, "path": format!("assets/{zeros}.zip"),
                "objectKey": format!("assets/{zeros}.zip"),
                "build": {"workspace": "/w", "packageDir": "/w/h", "package": "h", "bin": "h",
                    "target": "x86_64-unknown-linux-gnu", "glibc": "2.34", "profile": "release"}}]}]});
        std::fs::write(out.join("manifest.json"), manifest.to_string()).unwrap_or_default();
        let e = crate::source::assembly::load_assembly(&out).expect_err("through a link");
        assert!(e.0.contains("symbolic link"), "{}", e.0);
        let next = e.next_step().unwrap_or_default();
        assert!(
            next.contains(&format!("remove {}", out.join("assets").display())),
            "{next}"
        );
        assert!(!next.contains("nephos synth"), "{next}");

        // The build refuses too, before any build, and writes nothing through the link.
        let stack = crate::source::StackSource {
            artifact: serde_json::from_value(manifest["stacks"][0].clone())
                .unwrap_or_else(|e| panic!("{e}")),
            body: String::new(),
            template: serde_json::Value::Null,
            dir: out.clone(),
        };
        let e =
            crate::build::ensure_built(&mut [stack], &mut Vec::new()).expect_err("through a link");
        assert!(e.0.contains("symbolic link"), "{}", e.0);
        assert!(
            e.next_step()
                .is_some_and(|n| n.contains(&format!("remove {}", out.join("assets").display()))),
            "{}",
            e.0
        );
        assert_eq!(
            std::fs::read_dir(&elsewhere)
                .map(Iterator::count)
                .unwrap_or(1),
            0
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
