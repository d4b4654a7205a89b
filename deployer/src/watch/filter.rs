//! Which changed paths start a run: `.gitignore`-style patterns over the project directory.
//!
//! The matching is the `ignore` crate's (ripgrep's `.gitignore` engine), so a pattern means
//! what it means in a `.gitignore`: `target/` is a directory anywhere, `/x` is anchored at
//! the project directory, `**` crosses directories.
//!
//! The project's Cargo packages are watched as a handler's key hashes them
//! ([`super::packages`]): also outside the project, hidden files included; and only the
//! real build directories are left out (Cargo's `target_directory`, or a directory holding
//! Cargo's `CACHEDIR.TAG`), not every directory named `target`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use crate::source::config::WatchConfig;

use super::cargo_config;
use super::packages::Packages;

/// Always excluded outside the project's Cargo packages: the build output at the root
/// (`/target/`; a build directory elsewhere is found by [`BUILD_DIR_TAG`]), version control
/// and editor state (dot files and directories: `.git/`, `.idea/`, `.foo.swp`), and editor
/// backups. Reacting to them would start runs nobody asked for, and `target/` changes on
/// every build. Inside a package only version control and editor files are left out
/// ([`is_vcs_or_editor`]): the key hashes its hidden files.
pub const BUILT_IN_EXCLUDES: &[&str] = &["/target/", ".*", "*~", "\\#*#"];

/// The file Cargo writes at the top of every build directory it makes (Cargo Book, "Build
/// cache"; the Cache Directory Tagging Specification): a directory holding it is build
/// output wherever it is and whatever its name, and one named `target` without it is a
/// source directory like any other (`pub mod target;`).
pub const BUILD_DIR_TAG: &str = "CACHEDIR.TAG";

/// Hidden directories that hold version-control or editor state, never sources.
const STATE_DIRS: &[&str] = &[
    ".git", ".hg", ".svn", ".jj", ".idea", ".vscode", ".vs", ".fleet", ".zed", ".direnv",
];

/// Whether `rel` (relative to a package directory) is version-control or editor state: in
/// one of [`STATE_DIRS`], or an editor's backup, autosave or swap file (`x~`, `#x#`,
/// `.x.swp`).
fn is_vcs_or_editor(rel: &Path) -> bool {
    let in_state_dir = rel
        .components()
        .any(|c| STATE_DIRS.iter().any(|d| c.as_os_str() == *d));
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let swap = name.starts_with('.') && [".swp", ".swo", ".swx"].iter().any(|e| name.ends_with(e));
    in_state_dir
        || swap
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name == ".DS_Store"
}

/// What Cargo said of the project's workspace ([`super::packages`]), shared by every clone
/// of a [`Filter`] so that the file watcher's copy sees an update.
#[derive(Debug, Default)]
struct Found {
    /// The path packages' directories, as events name them (under the root as given when
    /// inside the project), deepest last.
    packages: Vec<PathBuf>,
    /// The build directories, as events name them.
    targets: Vec<PathBuf>,
}

/// Decides whether a changed path is one of the project's watched files.
#[derive(Clone, Debug)]
pub struct Filter {
    root: PathBuf,
    include: Option<Gitignore>,
    exclude: Gitignore,
    /// The user's own excludes, which also apply inside packages.
    user_exclude: Gitignore,
    /// The workspace's packages and build directories, once known.
    found: Arc<RwLock<Found>>,
    /// The assembly directory, excluded wherever it is (the app writes it on every run).
    outdir: PathBuf,
    /// Files this watch itself writes (its stdout/stderr sent to a file in the project):
    /// watching them would start a run for every line the run prints, without end.
    own_output: Vec<PathBuf>,
    /// Cargo's home, whose `config.toml` is watched (see [`cargo_config`]).
    cargo_home: Option<PathBuf>,
}

fn build(root: &Path, patterns: &[&str], what: &str) -> Result<Gitignore> {
    let mut b = GitignoreBuilder::new(root);
    // Git reads an unclosed `[` literally; in nephos.json it is far more likely a typo,
    // and a pattern that silently means something else makes a watch that never fires.
    b.allow_unclosed_class(false);
    for p in patterns {
        // A blank line or a comment is a no-op in a .gitignore: as a whole pattern here
        // it would add nothing while looking like a rule.
        let bare = p.trim();
        if bare.is_empty() || bare.starts_with('#') || bare == "!" || bare == "/" {
            return Err(Error::new(format!(
                "nephos.json: watch.{what} pattern `{}` matches nothing (a blank, a comment or a bare `!`/`/`): remove it or write the files it means, e.g. \"src/**\"",
                escape_line(p)
            )));
        }
        b.add_line(None, p).map_err(|e| {
            Error::new(format!(
                "nephos.json: watch.{what} pattern `{}` is not a valid pattern: {}",
                escape_line(p),
                escape_line(&e.to_string())
            ))
        })?;
    }
    b.build()
        .map_err(|e| Error::new(format!("nephos.json: watch.{what}: {e}")))
}

impl Filter {
    /// A filter for the project at `root` (absolute), the assembly written to `outdir`
    /// (absolute), and the user's `watch` settings.
    ///
    /// # Errors
    /// A pattern that is not a valid `.gitignore` pattern, naming it.
    ///
    /// # Example
    /// ```
    /// use nephos_cli::source::config::WatchConfig;
    /// use nephos_cli::watch::filter::Filter;
    /// let root = std::path::Path::new("/p");
    /// let f = Filter::new(root, &root.join("nephos.out"), &WatchConfig::default()).unwrap();
    /// assert!(f.is_watched(&root.join("src/main.rs")));
    /// assert!(!f.is_watched(&root.join("target/debug/app")));
    /// ```
    pub fn new(root: &Path, outdir: &Path, config: &WatchConfig) -> Result<Self> {
        let include: Vec<&str> = config.include.iter().map(String::as_str).collect();
        let mut exclude: Vec<&str> = BUILT_IN_EXCLUDES.to_vec();
        let user_exclude: Vec<&str> = config.exclude.iter().map(String::as_str).collect();
        exclude.extend(user_exclude.iter().copied());
        Ok(Self {
            root: root.to_path_buf(),
            include: if include.is_empty() {
                None
            } else {
                Some(build(root, &include, "include")?)
            },
            exclude: build(root, &exclude, "exclude")?,
            user_exclude: build(root, &user_exclude, "exclude")?,
            found: Arc::default(),
            outdir: outdir.to_path_buf(),
            own_output: Vec::new(),
            cargo_home: cargo_config::cargo_home(),
        })
    }

    /// This filter, also leaving out `files` (absolute): the files nephos's own output is
    /// written to. Those outside the project are dropped (they are never watched anyway).
    #[must_use]
    pub fn without_own_output(mut self, files: Vec<PathBuf>) -> Self {
        self.own_output = files
            .into_iter()
            .filter(|f| f.starts_with(&self.root) && !f.starts_with(&self.outdir))
            .collect();
        self.own_output.sort();
        self.own_output.dedup();
        self
    }

    /// This filter with `home` as Cargo's home instead of `$CARGO_HOME` (`~/.cargo`).
    #[must_use]
    pub fn with_cargo_home(mut self, home: Option<PathBuf>) -> Self {
        self.cargo_home = home;
        self
    }

    /// The directories outside the project's watches that hold Cargo configuration files
    /// a Rust handler's key reads (`.cargo` of the root and its ancestors, Cargo's home):
    /// watched on their own, not recursively.
    pub fn cargo_config_dirs(&self) -> Vec<PathBuf> {
        cargo_config::dirs(&self.root, self.cargo_home.as_deref())
    }

    /// Takes what Cargo said of the workspace: its path packages are watched (those outside
    /// the project too, their hidden files included), its build directory is not. Every
    /// clone of this filter sees it.
    pub fn set_packages(&self, found: &Packages) {
        let real_root = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        // Cargo names canonical paths; the watcher names paths under the root as given.
        let as_events_name = |dir: &Path| -> PathBuf {
            let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            match real.strip_prefix(&real_root) {
                Ok(rel) => self.root.join(rel),
                Err(_) => real,
            }
        };
        let mut packages: Vec<PathBuf> = found.dirs.iter().map(|d| as_events_name(d)).collect();
        packages.sort_by_key(|d| d.components().count());
        packages.dedup();
        let targets = found.target_dir.iter().map(|t| as_events_name(t)).collect();
        *self.found.write().unwrap_or_else(PoisonError::into_inner) = Found { packages, targets };
    }

    /// The package directories outside the project, which need watches of their own.
    pub fn packages_outside(&self) -> Vec<PathBuf> {
        let found = self.found.read().unwrap_or_else(PoisonError::into_inner);
        found
            .packages
            .iter()
            .filter(|d| !d.starts_with(&self.root) && !d.starts_with(&self.outdir))
            .cloned()
            .collect()
    }

    /// Whether `path` is build output: in a build directory Cargo named, or under a
    /// directory (in the project or a package) holding [`BUILD_DIR_TAG`].
    pub fn is_build_output(&self, path: &Path) -> bool {
        let found = self.found.read().unwrap_or_else(PoisonError::into_inner);
        if found.targets.iter().any(|t| path.starts_with(t)) {
            return true;
        }
        let bounds: Vec<&Path> = std::iter::once(self.root.as_path())
            .chain(found.packages.iter().map(PathBuf::as_path))
            .filter(|b| path.starts_with(b))
            .collect();
        path.ancestors()
            .take_while(|a| bounds.iter().any(|b| a.starts_with(b) && a != b))
            .any(|a| a.join(BUILD_DIR_TAG).is_file())
    }

    /// The package directory `path` is in (the deepest), if any.
    fn package_of(&self, path: &Path) -> Option<PathBuf> {
        let found = self.found.read().unwrap_or_else(PoisonError::into_inner);
        found
            .packages
            .iter()
            .rev()
            .find(|d| path.starts_with(d))
            .cloned()
    }

    /// The files left out because nephos's own output goes to them.
    pub fn own_output(&self) -> &[PathBuf] {
        &self.own_output
    }

    /// The directory watched.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether the directory `dir` (absolute, inside the root or a package) may hold
    /// watched files: not the assembly directory, not build output, not excluded. A build
    /// directory is never descended into, so it costs no watches.
    pub fn descends_into(&self, dir: &Path) -> bool {
        if dir.starts_with(&self.outdir) || self.is_build_output(dir) {
            return false;
        }
        if let Some(package) = self.package_of(dir)
            && !dir.starts_with(&self.root)
        {
            return !dir.strip_prefix(&package).is_ok_and(is_vcs_or_editor);
        }
        let Ok(rel) = dir.strip_prefix(&self.root) else {
            return false;
        };
        rel.as_os_str().is_empty()
            || !self
                .exclude
                .matched_path_or_any_parents(rel, true)
                .is_ignore()
    }

    /// Whether a change to `path` (absolute) starts a run.
    pub fn is_watched(&self, path: &Path) -> bool {
        if path.starts_with(&self.outdir) || self.own_output.iter().any(|f| f == path) {
            return false;
        }
        // Hidden, and often outside the project, but an edit changes a Rust handler's key.
        if cargo_config::is_config(&self.root, self.cargo_home.as_deref(), path, |d| {
            self.descends_into(d)
        }) {
            return true;
        }
        if self.is_build_output(path) {
            return false;
        }
        // What a handler's key hashes: a package's files, hidden ones too, wherever it is.
        if let Some(package) = self.package_of(path) {
            if path.strip_prefix(&package).is_ok_and(is_vcs_or_editor) {
                return false;
            }
            let Ok(rel) = path.strip_prefix(&self.root) else {
                return true;
            };
            // In the project, the user's own patterns still choose.
            if rel.as_os_str().is_empty()
                || self
                    .user_exclude
                    .matched_path_or_any_parents(rel, false)
                    .is_ignore()
            {
                return false;
            }
            return match &self.include {
                None => true,
                Some(inc) => inc.matched_path_or_any_parents(rel, false).is_ignore(),
            };
        }
        // A path outside the project (a symlink's target, an event for the root itself)
        // is not one of its files.
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        if rel.as_os_str().is_empty() {
            return false;
        }
        // Whether the path is a directory cannot be known for a deleted one; a directory's
        // own event says nothing a file event inside it would not.
        if self
            .exclude
            .matched_path_or_any_parents(rel, false)
            .is_ignore()
        {
            return false;
        }
        match &self.include {
            None => true,
            Some(inc) => inc.matched_path_or_any_parents(rel, false).is_ignore(),
        }
    }
}

/// The most directory entries [`Filter::unwatched_inputs`] looks at.
const MAX_SCAN_ENTRIES: usize = 20_000;

impl Filter {
    /// What the patterns leave out that a watch needs, in words (empty: nothing): the
    /// template `watch` deploys (`--template`), or every file of the project; and each of
    /// the user's `patterns` that matches no file or directory of the project (a typo such
    /// as `scr/**` would otherwise be accepted without a word). A watch that leaves out
    /// what it deploys never runs again after the first deploy, so this is said at start.
    ///
    /// The project is looked at to a bound ([`MAX_SCAN_ENTRIES`] entries); past it nothing
    /// is said about patterns or files, since what was not looked at may match.
    pub fn unwatched_inputs(&self, template: Option<&Path>, patterns: &WatchConfig) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(t) = template {
            let t = self.root.join(t);
            if !self.is_watched(&t) {
                out.push(format!(
                    "the template {} is not watched (nephos.json's \"watch\" patterns leave it out): editing it starts no run",
                    escape_line(&t.strip_prefix(&self.root).unwrap_or(&t).display().to_string())
                ));
            }
        }
        let Some(entries) = self.scan() else {
            return out;
        };
        if !entries
            .iter()
            .any(|(rel, dir)| !dir && self.is_watched(&self.root.join(rel)))
        {
            out.push(
                "no file of the project is watched (nephos.json's \"watch\" patterns leave every one out): no change will start a run".into(),
            );
        }
        for (what, list) in [
            ("include", &patterns.include),
            ("exclude", &patterns.exclude),
        ] {
            for p in list {
                if !self.pattern_matches_any(p, &entries) {
                    out.push(format!(
                        "nephos.json: watch.{what} pattern `{}` matches no file or directory of the project (a typo? patterns are .gitignore patterns relative to {})",
                        escape_line(p),
                        escape_line(&self.root.display().to_string())
                    ));
                }
            }
        }
        out
    }

    /// Whether the single pattern `p` matches one of `entries` (a negated `!x` counts when
    /// `x` does).
    fn pattern_matches_any(&self, p: &str, entries: &[(PathBuf, bool)]) -> bool {
        let Ok(one) = build(&self.root, &[p], "pattern") else {
            // Refused by `new` already; nothing more to say here.
            return true;
        };
        entries.iter().any(|(rel, dir)| {
            let m = one.matched_path_or_any_parents(rel, *dir);
            m.is_ignore() || m.is_whitelist()
        })
    }

    /// The project's files and directories (relative, with whether each is a directory),
    /// outside the assembly and the built-in excludes (`target/`, dot files); `None` past
    /// [`MAX_SCAN_ENTRIES`].
    fn scan(&self) -> Option<Vec<(PathBuf, bool)>> {
        let built_in = build(&self.root, BUILT_IN_EXCLUDES, "exclude").ok()?;
        let mut out = Vec::new();
        let mut dirs = vec![self.root.clone()];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                if out.len() >= MAX_SCAN_ENTRIES {
                    return None;
                }
                let path = entry.path();
                let Ok(rel) = path.strip_prefix(&self.root) else {
                    continue;
                };
                // A symlink is not followed: it may lead out of the project or round.
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if path.starts_with(&self.outdir) || built_in.matched(rel, is_dir).is_ignore() {
                    continue;
                }
                out.push((rel.to_path_buf(), is_dir));
                if is_dir {
                    dirs.push(path);
                }
            }
        }
        Some(out)
    }
}

/// The regular files this process's stdout and stderr are written to, as seen under
/// `root` (Linux: `/proc/self/fd/1` and `/2`; elsewhere none). A terminal or a pipe is no
/// file and is left out.
pub fn own_output_files(root: &Path) -> Vec<PathBuf> {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    ["/proc/self/fd/1", "/proc/self/fd/2"]
        .iter()
        .filter_map(|fd| {
            let target = std::fs::read_link(fd).ok()?;
            if !std::fs::metadata(&target).ok()?.is_file() {
                return None;
            }
            // The watcher reports paths under `root` as given, not canonical ones.
            let rel = target.strip_prefix(&real_root).ok()?;
            Some(root.join(rel))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_its_own_output_goes_to_never_start_a_run() {
        let root = Path::new("/p");
        let f = Filter::new(root, &root.join("nephos.out"), &WatchConfig::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .without_own_output(vec![
                root.join("watch.log"),
                PathBuf::from("/tmp/elsewhere.log"),
            ]);
        assert!(!f.is_watched(&root.join("watch.log")));
        assert!(f.is_watched(&root.join("other.log")));
        assert_eq!(f.own_output(), [root.join("watch.log")]);
    }

    #[test]
    fn its_own_stdout_redirected_to_a_project_file_is_found() {
        // Send this test process's stdout to a file in a temporary project, as
        // `nephos watch > watch.out` does, and look it up the way watch does.
        let dir = std::env::temp_dir().join(format!("nephos-own-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let log = dir.join("watch.out");
        let file = std::fs::File::create(&log).unwrap_or_else(|e| panic!("{e}"));
        let found = {
            use std::os::fd::AsRawFd;
            // SAFETY: dup/dup2 on valid descriptors; stdout is put back before going on.
            unsafe {
                let saved = libc::dup(1);
                libc::dup2(file.as_raw_fd(), 1);
                let found = own_output_files(&dir);
                libc::dup2(saved, 1);
                libc::close(saved);
                found
            }
        };
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(found, [log]);
    }

    fn filter(include: &[&str], exclude: &[&str]) -> Filter {
        let config = WatchConfig {
            include: include.iter().map(|s| (*s).to_owned()).collect(),
            exclude: exclude.iter().map(|s| (*s).to_owned()).collect(),
        };
        Filter::new(Path::new("/p"), Path::new("/p/nephos.out"), &config)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn build_output_the_assembly_and_dot_files_never_start_a_run() {
        let f = filter(&[], &[]);
        for p in [
            "/p/src/main.rs",
            "/p/handler/src/main.rs",
            "/p/Cargo.toml",
            "/p/nephos.json",
            // A source directory named target (`pub mod target;`): no Cargo tag in it.
            "/p/handler/src/target/mod.rs",
        ] {
            assert!(f.is_watched(Path::new(p)), "{p}");
        }
        for p in [
            "/p/target/debug/app",
            "/p/nephos.out/manifest.json",
            "/p/.git/index",
            "/p/src/.main.rs.swp",
            "/p/src/main.rs~",
            "/p/src/#main.rs#",
            "/elsewhere/src/main.rs",
            "/p",
        ] {
            assert!(!f.is_watched(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn cargo_config_files_start_a_run_though_hidden_or_above_the_project() {
        let f = filter(&[], &["docs/"]).with_cargo_home(Some(PathBuf::from("/home/u/.cargo")));
        for p in [
            "/p/.cargo/config.toml",
            "/p/.cargo/config",
            "/.cargo/config.toml",
            "/p/handler/.cargo/config.toml",
            "/home/u/.cargo/config.toml",
        ] {
            assert!(f.is_watched(Path::new(p)), "{p}");
        }
        for p in [
            "/p/.cargo/credentials.toml",
            "/p/target/release/.cargo/config.toml",
            "/p/docs/.cargo/config.toml",
            "/elsewhere/.cargo/config.toml",
            "/home/u/.cargo/registry/config.toml",
            "/p/nephos.out/.cargo/config.toml",
        ] {
            assert!(!f.is_watched(Path::new(p)), "{p}");
        }
        // Outside the project's recursive watches: the `.cargo` directories that exist.
        let root = std::env::temp_dir().join(format!("nephos-watch-cargo-{}", std::process::id()));
        let project = root.join("a/p");
        std::fs::create_dir_all(project.join(".cargo")).unwrap();
        std::fs::create_dir_all(root.join(".cargo")).unwrap();
        std::fs::create_dir_all(root.join("home")).unwrap();
        let f = Filter::new(
            &project,
            &project.join("nephos.out"),
            &WatchConfig::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .with_cargo_home(Some(root.join("home")));
        let dirs = f.cargo_config_dirs();
        for d in [
            project.join(".cargo"),
            root.join(".cargo"),
            root.join("home"),
        ] {
            assert!(dirs.contains(&d), "{d:?} in {dirs:?}");
        }
        assert!(!dirs.contains(&root.join("a/.cargo")), "{dirs:?}");
        let _ = std::fs::remove_dir_all(&root);
    }

    /// atk finding 5: a path package outside the project, a hidden source (`#[path =
    /// ".gen.rs"]`) and `src/target/mod.rs` changed the key and started no run.
    #[test]
    fn what_a_handlers_key_hashes_starts_a_run_and_real_build_output_does_not() {
        let base = std::env::temp_dir().join(format!("nephos-watch-pk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let project = base.join("p");
        let outside = base.join("outside-lib");
        let nested_build = project.join("tools/target");
        for d in [
            project.join("handler/src/target"),
            outside.join("src"),
            outside.join("target/debug"),
            nested_build.join("debug"),
            project.join("target/release"),
        ] {
            std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
        }
        for tagged in [&outside.join("target"), &nested_build] {
            std::fs::write(
                tagged.join(BUILD_DIR_TAG),
                "Signature: 8a477f597d28d172789f06886806bc55",
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let f = Filter::new(
            &project,
            &project.join("nephos.out"),
            &WatchConfig::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let watched = |f: &Filter, p: &Path| f.is_watched(p);
        // Before Cargo is heard: an outside package is not known, a hidden file is not a source.
        assert!(!watched(&f, &outside.join("src/lib.rs")));
        assert!(!watched(&f, &project.join("handler/src/.gen.rs")));
        let copy = f.clone();
        f.set_packages(&Packages {
            dirs: vec![project.clone(), project.join("handler"), outside.clone()],
            target_dir: Some(project.join("target")),
        });
        for p in [
            outside.join("src/lib.rs"),
            outside.join("Cargo.toml"),
            outside.join(".gen.rs"),
            project.join("handler/src/.gen.rs"),
            project.join("handler/src/target/mod.rs"),
            project.join("src/main.rs"),
        ] {
            assert!(watched(&copy, &p), "{p:?} (seen by a clone made before)");
        }
        for p in [
            outside.join("target/debug/x.d"),
            nested_build.join("debug/app"),
            project.join("target/release/bootstrap"),
            project.join("nephos.out/manifest.json"),
            project.join(".git/index"),
            project.join("handler/src/.lib.rs.swp"),
            project.join("handler/src/lib.rs~"),
            outside.join(".git/HEAD"),
            base.join("elsewhere.rs"),
        ] {
            assert!(!watched(&copy, &p), "{p:?}");
        }
        assert_eq!(copy.packages_outside(), std::slice::from_ref(&outside));
        assert!(copy.descends_into(&outside.join("src")));
        assert!(!copy.descends_into(&outside.join("target")));
        assert!(!copy.descends_into(&outside.join(".git")));
        assert!(!copy.descends_into(&nested_build));
        // The user's excludes still apply to the project's packages.
        let config = WatchConfig {
            include: vec![],
            exclude: vec!["handler/src/*.md".into()],
        };
        let g = Filter::new(&project, &project.join("nephos.out"), &config)
            .unwrap_or_else(|e| panic!("{e}"));
        g.set_packages(&Packages {
            dirs: vec![project.join("handler")],
            target_dir: None,
        });
        assert!(!g.is_watched(&project.join("handler/src/notes.md")));
        assert!(g.is_watched(&project.join("handler/src/.gen.rs")));
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn excluded_directories_are_not_descended_into() {
        let f = filter(&[], &["docs/"]);
        assert!(f.descends_into(Path::new("/p")));
        assert!(f.descends_into(Path::new("/p/src")));
        for d in ["/p/target", "/p/.git", "/p/nephos.out", "/p/docs", "/q"] {
            assert!(!f.descends_into(Path::new(d)), "{d}");
        }
    }

    #[test]
    fn include_and_exclude_are_gitignore_patterns_of_the_project() {
        let f = filter(&["src/**", "handler/"], &["*.md", "/src/generated/"]);
        assert!(f.is_watched(Path::new("/p/src/lib.rs")));
        assert!(f.is_watched(Path::new("/p/handler/src/main.rs")));
        assert!(!f.is_watched(Path::new("/p/Cargo.toml")), "not included");
        assert!(!f.is_watched(Path::new("/p/src/README.md")), "excluded");
        assert!(
            !f.is_watched(Path::new("/p/src/generated/a.rs")),
            "excluded dir"
        );
    }

    #[test]
    fn an_assembly_directory_outside_the_project_is_not_an_issue() {
        let f = Filter::new(
            Path::new("/p"),
            Path::new("/tmp/out"),
            &WatchConfig::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(f.is_watched(Path::new("/p/src/lib.rs")));
    }

    /// atk15 F: `"include": ["["]` was accepted (read as a literal `[`), and a watch that
    /// leaves out the template or every file was started without a word.
    #[test]
    fn typos_are_refused_and_a_watch_that_cannot_fire_is_said() {
        for bad in ["[", "src/[ab", "", "  ", "# note", "!"] {
            let config = WatchConfig {
                include: vec![bad.into()],
                exclude: vec![],
            };
            let e = Filter::new(Path::new("/p"), Path::new("/p/o"), &config)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains("watch.include pattern"), "{bad:?}: {e}");
        }
        let dir = std::env::temp_dir().join(format!("nephos-unwatched-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("stack.yaml"), "x").unwrap();
        std::fs::write(dir.join("src/lib.rs"), "x").unwrap();
        let filter = |include: &[&str], exclude: &[&str]| {
            let config = WatchConfig {
                include: include.iter().map(|s| (*s).to_owned()).collect(),
                exclude: exclude.iter().map(|s| (*s).to_owned()).collect(),
            };
            Filter::new(&dir, &dir.join("nephos.out"), &config).unwrap()
        };
        let config = |include: &[&str], exclude: &[&str]| WatchConfig {
            include: include.iter().map(|s| (*s).to_owned()).collect(),
            exclude: exclude.iter().map(|s| (*s).to_owned()).collect(),
        };
        let said = |include: &[&str], exclude: &[&str], template: Option<&Path>| {
            filter(include, exclude).unwatched_inputs(template, &config(include, exclude))
        };
        let template = Some(Path::new("stack.yaml"));
        assert!(said(&[], &[], template).is_empty());
        let src_only = said(&["src/**"], &[], template);
        assert_eq!(src_only.len(), 1, "{src_only:?}");
        assert!(src_only[0].contains("the template stack.yaml is not watched"));
        let nothing = said(&[], &["*"], None);
        assert!(
            nothing[0].contains("no file of the project is watched"),
            "{nothing:?}"
        );
        // A pattern that matches nothing in the project (a typo) is named; one that does,
        // a directory pattern, and a negation of a matching one are not.
        let typo = said(
            &["scr/**", "stack.yaml"],
            &["docs/", "src/", "!src/lib.rs"],
            None,
        );
        assert_eq!(typo.len(), 2, "{typo:?}");
        assert!(
            typo[0].contains("watch.include pattern `scr/**` matches no file"),
            "{typo:?}"
        );
        assert!(
            typo[1].contains("watch.exclude pattern `docs/` matches no file"),
            "{typo:?}"
        );
        // target/ is never looked at: a pattern only it matches matches nothing watched.
        std::fs::create_dir_all(dir.join("target/debug")).unwrap();
        std::fs::write(dir.join("target/debug/app.bin"), "x").unwrap();
        let built = said(&["*.bin"], &[], None);
        assert!(built.iter().any(|w| w.contains("`*.bin`")), "{built:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_invalid_pattern_is_an_error_naming_it() {
        let config = WatchConfig {
            include: vec![],
            exclude: vec!["src/[z-a]".into()],
        };
        let e = Filter::new(Path::new("/p"), Path::new("/p/o"), &config)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("watch.exclude pattern `src/[z-a]`"), "{e}");
    }
}
