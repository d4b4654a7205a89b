//! Inputs a Rust handler's build reads that are not its packages' sources, declared on the
//! handler ([`RustBin::input_file`](super::RustBin::input_file), `input_dir`, `input_env`):
//! a file `include_str!`s from beside the package, a `sqlx::migrate!` directory, a
//! variable `option_env!` reads. Declared inputs go into the cache key, and
//! [`KeyCoverage`] tells the deployer which of what the compiler says it read the key
//! covers (the deployer refuses a build that read anything else).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The most inputs of each kind a handler may declare.
pub(crate) const MAX_DECLARED: usize = 64;
/// The longest declared path or variable name, in bytes.
const MAX_DECLARED_LEN: usize = 1024;
/// The most files one declared directory may hold (each is hashed).
const MAX_DIR_FILES: usize = 10_000;
/// How deep a declared directory is walked.
const MAX_DIR_DEPTH: usize = 12;

/// Checks a declared path (relative to the package, as the builder takes it) and returns
/// it canonical, of the kind asked for.
pub(crate) fn resolve(package_dir: &Path, path: &str, dir: bool) -> Result<PathBuf, String> {
    let what = if dir { "input_dir" } else { "input_file" };
    if path.is_empty() || path.len() > MAX_DECLARED_LEN || path.chars().any(char::is_control) {
        return Err(format!(
            "{what} `{}` is not a path (empty, longer than {MAX_DECLARED_LEN} bytes, or with control characters)",
            path.escape_debug()
        ));
    }
    if Path::new(path).is_absolute() {
        return Err(format!(
            "{what} `{}` is absolute: give it relative to the package directory, so the key is the same on every machine",
            path.escape_debug()
        ));
    }
    let joined = package_dir.join(path);
    let canonical = std::fs::canonicalize(&joined).map_err(|e| {
        format!(
            "{what} `{}` ({}) cannot be read: {e}",
            path.escape_debug(),
            joined.display()
        )
    })?;
    let is_dir = canonical.is_dir();
    if is_dir != dir || (!dir && !canonical.is_file()) {
        let is = if is_dir {
            "a directory"
        } else {
            "not a directory"
        };
        let fix = if is_dir { "input_dir" } else { "input_file" };
        return Err(format!(
            "{what} `{}` is {is}: declare it with `.{fix}(..)`",
            path.escape_debug()
        ));
    }
    Ok(canonical)
}

/// Checks a declared environment variable name: what a shell and `env!` accept.
pub(crate) fn check_env_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= MAX_DECLARED_LEN
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "input_env `{}` is not an environment variable name (letters, digits, `_`, not starting with a digit)",
            name.escape_debug()
        ))
    }
}

/// The files of a declared directory, canonical and sorted: version-control directories,
/// editor files and directories tagged as caches (`CACHEDIR.TAG`, a target directory) are
/// left out, as in the package walk; symbolic links are followed once.
pub(crate) fn dir_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut visited = BTreeSet::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((at, depth)) = stack.pop() {
        let canonical =
            std::fs::canonicalize(&at).map_err(|e| format!("cannot read {}: {e}", at.display()))?;
        if !visited.insert(canonical) {
            continue;
        }
        if depth > MAX_DIR_DEPTH {
            return Err(format!(
                "input_dir {} is nested deeper than {MAX_DIR_DEPTH} levels",
                dir.display()
            ));
        }
        let entries = std::fs::read_dir(&at)
            .map_err(|e| format!("cannot read {}: {e}", at.display()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("cannot read {}: {e}", at.display()))?;
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if super::rust_bin::skipped_name(&name) {
                continue;
            }
            let path = entry.path();
            let meta = std::fs::metadata(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if meta.is_dir() {
                if !path.join("CACHEDIR.TAG").is_file() {
                    stack.push((path, depth + 1));
                }
            } else if meta.is_file() {
                found.push(
                    std::fs::canonicalize(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
                );
                if found.len() > MAX_DIR_FILES {
                    return Err(format!(
                        "input_dir {} holds more than {MAX_DIR_FILES} files: declare the files the build reads",
                        dir.display()
                    ));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// What a Rust handler's cache key covers, for checking what the compiler says the build
/// read: the files hashed (canonical), the directories whose every file is hashed (the
/// declared ones, and the packages' own, for paths that do not exist yet), and the
/// environment variables declared.
///
/// From [`RustBuild::source_key`](crate::assembly::RustBuild::source_key).
///
/// ```no_run
/// use std::path::Path;
/// let mut recipe = nephos::assembly::RustBuild::new(
///     "/src/orders",
///     "/src/orders/handler",
///     "orders-handler",
///     "bootstrap",
/// );
/// recipe.input_files = vec!["../shared.txt".into()];
/// let (_key, coverage) = recipe.source_key().expect("the sources are readable");
/// assert!(coverage.covers_file(Path::new("/src/orders/handler/src/main.rs")));
/// assert!(coverage.covers_file(Path::new("/src/orders/shared.txt")));
/// assert!(!coverage.covers_file(Path::new("/etc/hostname")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyCoverage {
    pub(crate) files: BTreeSet<PathBuf>,
    pub(crate) dirs: Vec<PathBuf>,
    pub(crate) package_dirs: Vec<PathBuf>,
    pub(crate) env: BTreeSet<String>,
}

impl KeyCoverage {
    /// Whether the key covers the file at `path` (absolute): it was hashed, or it lies in a
    /// declared directory. A path that does not exist is covered when it lies in one of
    /// the hashed packages or declared directories (creating it would change the key).
    pub fn covers_file(&self, path: &Path) -> bool {
        match std::fs::canonicalize(path) {
            Ok(canonical) if canonical.is_dir() => self.in_dirs(&canonical, true),
            Ok(canonical) => self.files.contains(&canonical) || self.in_dirs(&canonical, false),
            Err(_) => self.in_dirs(&lexical(path), true),
        }
    }

    /// Whether the key covers the environment variable `name` (declared with
    /// `input_env`).
    pub fn covers_env(&self, name: &str) -> bool {
        self.env.contains(name)
    }

    /// The declared directories, the hashed files and (when `packages`) the hashed
    /// packages' directories.
    fn in_dirs(&self, path: &Path, packages: bool) -> bool {
        self.dirs.iter().any(|d| path.starts_with(d))
            || (packages && self.package_dirs.iter().any(|d| path.starts_with(d)))
    }
}

/// `path` with `.` and `..` resolved without reading the filesystem (for a path that
/// does not exist).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nephos-declared-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("pkg/src")).unwrap();
        std::fs::canonicalize(d).unwrap()
    }

    #[test]
    fn declared_paths_are_relative_existing_and_of_the_kind_declared() {
        let d = tmp("resolve");
        std::fs::write(d.join("shared.txt"), "x").unwrap();
        let pkg = d.join("pkg");
        assert_eq!(
            resolve(&pkg, "../shared.txt", false).unwrap(),
            d.join("shared.txt")
        );
        assert!(
            resolve(&pkg, "../shared.txt", true)
                .unwrap_err()
                .contains("input_file")
        );
        assert!(
            resolve(&pkg, "src", false)
                .unwrap_err()
                .contains("input_dir")
        );
        assert!(
            resolve(&pkg, "/etc/passwd", false)
                .unwrap_err()
                .contains("absolute")
        );
        assert!(
            resolve(&pkg, "../nope", false)
                .unwrap_err()
                .contains("cannot be read")
        );
        assert!(
            resolve(&pkg, "a\u{1b}[2J", false)
                .unwrap_err()
                .contains("control")
        );
        assert!(check_env_name("GIT_SHA").is_ok());
        assert!(check_env_name("1X").is_err());
        assert!(check_env_name("A=B").is_err());
    }

    #[test]
    fn coverage_answers_for_hashed_files_declared_dirs_and_paths_not_there_yet() {
        let d = tmp("coverage");
        std::fs::create_dir_all(d.join("migrations/.git")).unwrap();
        std::fs::write(d.join("migrations/1.sql"), "create").unwrap();
        std::fs::write(d.join("migrations/.git/HEAD"), "ref").unwrap();
        std::fs::write(d.join("pkg/src/main.rs"), "").unwrap();
        std::fs::write(d.join("other.txt"), "").unwrap();
        assert_eq!(
            dir_files(&d.join("migrations")).unwrap(),
            vec![d.join("migrations/1.sql")]
        );
        let c = KeyCoverage {
            files: [d.join("pkg/src/main.rs")].into(),
            dirs: vec![d.join("migrations")],
            package_dirs: vec![d.join("pkg")],
            env: ["GIT_SHA".to_string()].into(),
        };
        assert!(c.covers_file(&d.join("pkg/src/../src/main.rs")));
        assert!(c.covers_file(&d.join("migrations/1.sql")));
        assert!(c.covers_file(&d.join("migrations")));
        assert!(c.covers_file(&d.join("pkg/not-yet.txt")));
        assert!(!c.covers_file(&d.join("other.txt")));
        assert!(!c.covers_file(&d.join("pkg/../other-missing.txt")));
        assert!(!c.covers_file(&d));
        assert!(c.covers_env("GIT_SHA"));
        assert!(!c.covers_env("ATK_MARK"));
    }
}
