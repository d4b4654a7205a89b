//! Which changed paths start a run: `.gitignore`-style patterns over the project directory.
//!
//! The matching is the `ignore` crate's (ripgrep's `.gitignore` engine), so a pattern means
//! what it means in a `.gitignore`: `target/` is a directory anywhere, `/x` is anchored at
//! the project directory, `**` crosses directories.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use crate::source::config::WatchConfig;

/// Always excluded: build output (`target/`), version control and editor state (dot files
/// and directories: `.git/`, `.idea/`, `.foo.swp`), and editor backups. Reacting to them
/// would start runs nobody asked for, and `target/` changes on every build.
pub const BUILT_IN_EXCLUDES: &[&str] = &["target/", ".*", "*~", "\\#*#"];

/// Decides whether a changed path is one of the project's watched files.
#[derive(Clone, Debug)]
pub struct Filter {
    root: PathBuf,
    include: Option<Gitignore>,
    exclude: Gitignore,
    /// The assembly directory, excluded wherever it is (the app writes it on every run).
    outdir: PathBuf,
    /// Files this watch itself writes (its stdout/stderr sent to a file in the project):
    /// watching them would start a run for every line the run prints, without end.
    own_output: Vec<PathBuf>,
}

fn build(root: &Path, patterns: &[&str], what: &str) -> Result<Gitignore> {
    let mut b = GitignoreBuilder::new(root);
    for p in patterns {
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
        exclude.extend(config.exclude.iter().map(String::as_str));
        Ok(Self {
            root: root.to_path_buf(),
            include: if include.is_empty() {
                None
            } else {
                Some(build(root, &include, "include")?)
            },
            exclude: build(root, &exclude, "exclude")?,
            outdir: outdir.to_path_buf(),
            own_output: Vec::new(),
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

    /// The files left out because nephos's own output goes to them.
    pub fn own_output(&self) -> &[PathBuf] {
        &self.own_output
    }

    /// The directory watched.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether the directory `dir` (absolute, inside the root) may hold watched files: not
    /// the assembly directory and not excluded. `target/` is never descended into, so a
    /// large build directory costs no watches.
    pub fn descends_into(&self, dir: &Path) -> bool {
        if dir.starts_with(&self.outdir) {
            return false;
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
        ] {
            assert!(f.is_watched(Path::new(p)), "{p}");
        }
        for p in [
            "/p/target/debug/app",
            "/p/handler/target/x",
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
