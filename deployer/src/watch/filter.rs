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
        })
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
        if path.starts_with(&self.outdir) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
