//! Which files of a local package a Rust handler's key hashes: those `cargo package --list`
//! names, by the rules of "The Manifest Format: The `exclude` and `include` fields" (Cargo
//! Book): the package's `include` (when set) or `exclude` patterns, and the `.gitignore`
//! files of the tree, all in gitignore syntax. A Python `.venv`, a `node_modules` or a
//! cache listed in `.gitignore` is never walked, so its size, depth or link loops cannot
//! stop a synth; a tracked hidden file is hashed like any other.
//!
//! Differences from Cargo, on purpose: only the `.gitignore` files between the workspace
//! root and the file count (not the user's global excludes nor `.git/info/exclude`, which
//! differ between machines and would give one commit two keys), and they count with or
//! without a Git repository. The manifest and the build script are always hashed: a local
//! build reads them whatever `include` says. Nested packages and the root `target` are
//! left out by the walk (`rust_bin`).

use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// The rules in effect in one directory of the walk.
pub(crate) struct Rules {
    package: PathBuf,
    /// `[package] include` (then `exclude` and `.gitignore` do not select files).
    include: Option<Gitignore>,
    include_patterns: Vec<String>,
    exclude: Gitignore,
    /// Files always hashed, relative to the package: the manifest and the build script.
    always: Vec<String>,
    /// `.gitignore` files from the workspace root down to the current directory.
    ignores: Vec<Gitignore>,
}

impl Rules {
    /// The rules of the package in `dir` (canonical), with the `.gitignore` files of its
    /// ancestors up to `workspace` (none for a package outside the workspace).
    ///
    /// # Errors
    /// The manifest or a `.gitignore` cannot be read, or a pattern is not valid.
    pub(crate) fn for_package(workspace: &Path, dir: &Path) -> Result<Self, String> {
        let manifest_path = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest_path)
            .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
        let manifest: toml::Table = toml::from_str(&text)
            .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
        let package = manifest.get("package").and_then(toml::Value::as_table);
        // `include.workspace = true` takes the workspace's `[workspace.package]` value.
        let root_manifest = workspace.join("Cargo.toml");
        let root: Option<toml::Table> = match std::fs::read_to_string(&root_manifest) {
            Ok(text) => Some(
                toml::from_str(&text)
                    .map_err(|e| format!("cannot read {}: {e}", root_manifest.display()))?,
            ),
            Err(_) => None,
        };
        let inherited = |field: &str| {
            root.as_ref()
                .and_then(|r| r.get("workspace")?.get("package")?.get(field))
        };
        let patterns = |field: &str| -> Result<Option<Vec<String>>, String> {
            let Some(mut value) = package.and_then(|p| p.get(field)) else {
                return Ok(None);
            };
            if value.get("workspace").and_then(toml::Value::as_bool) == Some(true) {
                value = inherited(field).ok_or_else(|| {
                    format!(
                        "{}: package.{field} is inherited but {} has no workspace.package.{field}",
                        manifest_path.display(),
                        root_manifest.display()
                    )
                })?;
            }
            value
                .as_array()
                .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_owned)).collect())
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "{}: package.{field} must be an array of strings (patterns of the files the package is made of)",
                        manifest_path.display()
                    )
                })
        };
        let matcher = |field: &str, lines: &[String]| -> Result<Gitignore, String> {
            let mut b = GitignoreBuilder::new(dir);
            for line in lines {
                b.add_line(None, line)
                    .map_err(|e| format!("{}: package.{field}: {e}", manifest_path.display()))?;
            }
            b.build()
                .map_err(|e| format!("{}: package.{field}: {e}", manifest_path.display()))
        };
        let include_patterns = patterns("include")?.unwrap_or_default();
        let include = if package.is_some_and(|p| p.contains_key("include")) {
            Some(matcher("include", &include_patterns)?)
        } else {
            None
        };
        let exclude = matcher("exclude", &patterns("exclude")?.unwrap_or_default())?;
        let build = match package.and_then(|p| p.get("build")) {
            Some(toml::Value::String(s)) => s.trim_start_matches("./").to_owned(),
            _ => "build.rs".to_owned(),
        };

        let mut rules = Rules {
            package: dir.to_path_buf(),
            include,
            include_patterns,
            exclude,
            always: vec!["Cargo.toml".to_owned(), build],
            ignores: Vec::new(),
        };
        if let Ok(below) = dir.strip_prefix(workspace) {
            let mut at = workspace.to_path_buf();
            rules.enter(&at)?;
            for part in below.parent().into_iter().flat_map(Path::components) {
                at.push(part);
                rules.enter(&at)?;
            }
        }
        Ok(rules)
    }

    /// Takes `dir`'s `.gitignore` into effect; true when there was one (give it back to
    /// [`leave`](Rules::leave)).
    pub(crate) fn enter(&mut self, dir: &Path) -> Result<bool, String> {
        let file = dir.join(".gitignore");
        if !file.is_file() {
            return Ok(false);
        }
        let mut b = GitignoreBuilder::new(dir);
        if let Some(e) = b.add(&file) {
            return Err(format!("cannot read {}: {e}", file.display()));
        }
        let g = b
            .build()
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        self.ignores.push(g);
        Ok(true)
    }

    /// Ends the effect of the directory entered last, if it had a `.gitignore`.
    pub(crate) fn leave(&mut self, entered: bool) {
        if entered {
            self.ignores.pop();
        }
    }

    /// Whether the walk leaves out `path` (below the package's directory).
    pub(crate) fn skips(&self, path: &Path, is_dir: bool) -> bool {
        let rel = path
            .strip_prefix(&self.package)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if !is_dir && self.always.contains(&rel) {
            return false;
        }
        if let Some(include) = &self.include {
            if is_dir {
                // Entered unless ignored and no include pattern names a path below it.
                return self.gitignored(path, true)
                    && !self
                        .include_patterns
                        .iter()
                        .any(|p| p.trim_start_matches('/').starts_with(&rel));
            }
            return !include.matched_path_or_any_parents(path, false).is_ignore();
        }
        self.exclude.matched(path, is_dir).is_ignore() || self.gitignored(path, is_dir)
    }

    /// Git's rule: the deepest `.gitignore` with a matching pattern decides.
    fn gitignored(&self, path: &Path, is_dir: bool) -> bool {
        for g in self.ignores.iter().rev() {
            match g.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}
