//! Formatting and writing the generated files, or checking that the tree matches them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Formats Rust source with rustfmt (edition 2024), as `cargo fmt` would: to rustfmt's
/// fixed point, since one pass over deeply nested calls (the round-trip sample) can still
/// change on the next, and `cargo fmt --all` must leave generated files alone.
pub fn rustfmt(source: &str) -> Result<String, String> {
    let mut text = rustfmt_once(source)?;
    for _ in 1..PASSES {
        let again = rustfmt_once(&text)?;
        if again == text {
            return Ok(text);
        }
        text = again;
    }
    Ok(text)
}

/// The most rustfmt passes over one text ([`rustfmt`], [`rustfmt_all`]).
const PASSES: usize = 4;

fn rustfmt_command() -> Command {
    let mut command = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()));
    command.args(["--edition", "2024"]);
    command
}

fn rustfmt_once(source: &str) -> Result<String, String> {
    let mut child = rustfmt_command()
        .args(["--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let text = source.to_string();
    // Written from a thread so a large file cannot deadlock on a full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt writer panicked".to_string())?
        .map_err(|e| format!("cannot write to rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output is not UTF-8: {e}"))
}

/// [`rustfmt`] over every `.rs` file of `files` (paths relative to the workspace root; other
/// files are returned as they are), with the same result per file, in a few rustfmt
/// processes instead of one or more per file (one per file spent most of a generator run
/// starting rustfmt: over 2000 files, each formatted at least twice).
///
/// The files are written, at their relative paths, under a fresh directory of the system's
/// temporary directory, and rustfmt formats them in place from the files no other file
/// declares as a module (`mod x;`): it follows the declarations to the rest. A file
/// declaring a module that is not among `files` (a test's hand-written support module)
/// could not be followed there, so it is formatted on its own, from standard input.
/// Fails if rustfmt's list of the files it formatted (`--verbose`) is not exactly the
/// files written, so a file skipped by a misread declaration cannot go out unformatted.
/// `root`'s `rustfmt.toml` (or `.rustfmt.toml`), if it has one, is rustfmt's configuration
/// for all of them, as for [`rustfmt`] run from `root`.
pub fn rustfmt_all(
    root: &Path,
    files: BTreeMap<PathBuf, String>,
) -> Result<BTreeMap<PathBuf, String>, String> {
    let (mut rust, mut out): (BTreeMap<_, _>, BTreeMap<_, _>) = files
        .into_iter()
        .partition(|(path, _)| path.extension().is_some_and(|x| x == "rs"));
    let alone = alone(&rust);
    let mut single: BTreeMap<PathBuf, String> = BTreeMap::new();
    rust.retain(|path, text| {
        if alone.contains(path) {
            single.insert(path.clone(), std::mem::take(text));
            false
        } else {
            true
        }
    });
    let config = [".rustfmt.toml", "rustfmt.toml"]
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_file());
    let (in_tree, single) = std::thread::scope(|scope| {
        let single = scope.spawn(move || -> Result<_, String> {
            single
                .into_iter()
                .map(|(path, text)| {
                    let text = rustfmt(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                    Ok((path, text))
                })
                .collect::<Result<Vec<_>, String>>()
        });
        let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let in_tree = rustfmt_tree(rust, config.as_deref(), workers);
        let single = single
            .join()
            .map_err(|_| "rustfmt thread panicked".to_string())?;
        Ok::<_, String>((in_tree?, single?))
    })?;
    out.extend(in_tree);
    out.extend(single);
    Ok(out)
}

/// The files of `rust` that declare a module (`mod x;`, with or without attributes and
/// visibility) at a path not in `rust`, and, since rustfmt would reach them from there,
/// the files declaring one of those.
fn alone(rust: &BTreeMap<PathBuf, String>) -> std::collections::BTreeSet<PathBuf> {
    let mut alone: std::collections::BTreeSet<PathBuf> = rust
        .iter()
        .filter(|(path, text)| {
            module_paths(path, text)
                .iter()
                .any(|child| !child.iter().any(|p| rust.contains_key(p)))
        })
        .map(|(path, _)| path.clone())
        .collect();
    loop {
        let more: Vec<PathBuf> = rust
            .iter()
            .filter(|(path, _)| !alone.contains(*path))
            .filter(|(path, text)| {
                module_paths(path, text)
                    .iter()
                    .flatten()
                    .any(|p| alone.contains(p))
            })
            .map(|(path, _)| path.clone())
            .collect();
        if more.is_empty() {
            return alone;
        }
        alone.extend(more);
    }
}

/// For each out-of-line module `file` declares, the paths rustfmt looks for it at: in a
/// `mod.rs`, `lib.rs` or `main.rs`, `dir/x.rs` and `dir/x/mod.rs`; in `dir/f.rs`,
/// `dir/f/x.rs` and `dir/f/x/mod.rs`.
fn module_paths(file: &Path, text: &str) -> Vec<[PathBuf; 2]> {
    let dir = file.parent().unwrap_or(Path::new(""));
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let base = if matches!(stem, "mod" | "lib" | "main") {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    };
    text.lines()
        .filter_map(module_declared)
        .map(|name| {
            let name = name.strip_prefix("r#").unwrap_or(name);
            [
                base.join(format!("{name}.rs")),
                base.join(name).join("mod.rs"),
            ]
        })
        .collect()
}

/// `x` of a line `#[attr] pub(crate) mod x;` (attributes and visibility optional).
fn module_declared(line: &str) -> Option<&str> {
    let mut rest = line.trim();
    while let Some(attr) = rest.strip_prefix("#[") {
        rest = attr.split_once(']')?.1.trim_start();
    }
    if let Some(after) = rest.strip_prefix("pub") {
        rest = after.trim_start();
        if let Some(scope) = rest.strip_prefix('(') {
            rest = scope.split_once(')')?.1.trim_start();
        }
    }
    let name = rest.strip_prefix("mod ")?.trim().strip_suffix(';')?.trim();
    let plain = name.strip_prefix("r#").unwrap_or(name);
    (!plain.is_empty() && plain.chars().all(|c| c.is_alphanumeric() || c == '_')).then_some(name)
}

/// Removes its directory when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Formats `files` (none declaring a module outside them) with rustfmt, one process a pass
/// for each of up to `workers` groups (run at once), until no file
/// changes (at most [`PASSES`] passes, as [`rustfmt`]).
///
/// A group is module trees: a file with the files it declares, and theirs. A tree larger
/// than its share is cut below its root (the root, and each child's tree, go into groups on
/// their own), and a group holding a file whose declared module is in another group gets an
/// empty file in its place, so rustfmt formats each file exactly once.
fn rustfmt_tree(
    files: BTreeMap<PathBuf, String>,
    config: Option<&Path>,
    workers: usize,
) -> Result<BTreeMap<PathBuf, String>, String> {
    if files.is_empty() {
        return Ok(files);
    }
    let children: BTreeMap<&PathBuf, Vec<PathBuf>> = files
        .iter()
        .map(|(path, text)| {
            let found = module_paths(path, text)
                .into_iter()
                .filter_map(|candidates| candidates.into_iter().find(|p| files.contains_key(p)))
                .collect();
            (path, found)
        })
        .collect();
    let all_children: std::collections::BTreeSet<&PathBuf> = children.values().flatten().collect();
    // The text size of a file's tree (a file reached twice counts twice: rustfmt would
    // format it twice, and fail the check that it formatted each file once).
    fn size(
        path: &PathBuf,
        files: &BTreeMap<PathBuf, String>,
        children: &BTreeMap<&PathBuf, Vec<PathBuf>>,
    ) -> usize {
        files[path].len()
            + children[path]
                .iter()
                .map(|c| size(c, files, children))
                .sum::<usize>()
    }
    let workers = workers.max(1);
    let total: usize = files.values().map(String::len).sum();
    let share = total.div_ceil(workers);
    // Units: (size, root, whether its children are cut off), largest first.
    let mut units: Vec<(usize, PathBuf, bool)> = files
        .keys()
        .filter(|p| !all_children.contains(p))
        .map(|p| (size(p, &files, &children), p.clone(), false))
        .collect();
    while let Some(i) = units
        .iter()
        .position(|(n, p, cut)| !cut && *n > share && !children[p].is_empty())
    {
        let (_, root, _) = units.swap_remove(i);
        units.push((files[&root].len(), root.clone(), true));
        for child in &children[&root] {
            units.push((size(child, &files, &children), child.clone(), false));
        }
    }
    units.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    // Largest first into the least loaded group.
    let mut groups: Vec<(usize, Vec<(PathBuf, bool)>)> = vec![(0, Vec::new()); workers];
    for (n, root, cut) in units {
        let least = groups
            .iter_mut()
            .min_by_key(|(load, _)| *load)
            .expect("one group at least");
        least.0 += n;
        least.1.push((root, cut));
    }
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .into_iter()
            .filter(|(_, roots)| !roots.is_empty())
            .map(|(_, roots)| {
                let (files, children) = (&files, &children);
                scope.spawn(move || rustfmt_group(&roots, files, children, config))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| "rustfmt thread panicked".to_string())?
            })
            .collect::<Result<Vec<_>, String>>()
    })?;
    let mut out = BTreeMap::new();
    for group in results {
        out.extend(group);
    }
    if out.len() != files.len() {
        return Err(format!(
            "rustfmt formatted {} of {} generated files",
            out.len(),
            files.len()
        ));
    }
    Ok(out)
}

/// One group of [`rustfmt_tree`]: the trees of `roots` (of a root marked cut, the root
/// alone; a tree may hold another root), written under a fresh temporary directory, formatted in place by one rustfmt
/// process a pass until none changes; the files they declare outside the group are there
/// as empty files. Fails if rustfmt's list of the files it formatted (`--verbose`) is not
/// exactly the files written, so no file goes out unformatted (or formatted twice).
fn rustfmt_group(
    roots: &[(PathBuf, bool)],
    files: &BTreeMap<PathBuf, String>,
    children: &BTreeMap<&PathBuf, Vec<PathBuf>>,
    config: Option<&Path>,
) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut mine: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (root, cut) in roots {
        let mut stack = vec![root.clone()];
        while let Some(path) = stack.pop() {
            if !(*cut && path == *root) {
                stack.extend(children[&path].iter().cloned());
            }
            mine.insert(path.clone(), files[&path].clone());
        }
    }
    // rustfmt starts from the files no file of the group declares, and finds the modules
    // declared outside the group empty.
    let declared: std::collections::BTreeSet<&PathBuf> =
        mine.keys().flat_map(|path| &children[path]).collect();
    let starts: Vec<&PathBuf> = mine.keys().filter(|p| !declared.contains(p)).collect();
    let stubs: Vec<PathBuf> = declared
        .into_iter()
        .filter(|p| !mine.contains_key(*p))
        .cloned()
        .collect();
    static GROUP: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = TempDir(std::env::temp_dir().join(format!(
        "nephos-codegen-fmt-{}-{nanos}-{}",
        std::process::id(),
        GROUP.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )));
    std::fs::create_dir(&dir.0).map_err(|e| format!("{}: {e}", dir.0.display()))?;
    // rustfmt names the files it formats by absolute path.
    let base = std::fs::canonicalize(&dir.0).map_err(|e| format!("{}: {e}", dir.0.display()))?;
    let write = |path: &Path, text: &str| {
        let at = base.join(path);
        if let Some(parent) = at.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&at, text).map_err(|e| format!("{}: {e}", at.display()))
    };
    for (path, text) in &mine {
        write(path, text)?;
    }
    for stub in &stubs {
        write(stub, "")?;
    }
    let expected: std::collections::BTreeSet<PathBuf> = mine
        .keys()
        .chain(&stubs)
        .map(|path| base.join(path))
        .collect();
    let mut command = rustfmt_command();
    command.arg("--verbose");
    if let Some(config) = config {
        command.arg("--config-path").arg(config);
    }
    command
        .current_dir(&base)
        .args(starts.iter().map(|p| p.as_path()));
    for _ in 0..PASSES {
        let output = command
            .output()
            .map_err(|e| format!("cannot run rustfmt: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "rustfmt rejected generated code: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let listed = String::from_utf8_lossy(&output.stdout);
        let formatted: Vec<PathBuf> = listed
            .lines()
            .filter_map(|line| line.strip_prefix("Formatting "))
            .map(PathBuf::from)
            .collect();
        let once: std::collections::BTreeSet<PathBuf> = formatted.iter().cloned().collect();
        if once != expected || formatted.len() != expected.len() {
            let missed: Vec<_> = expected.difference(&once).take(5).collect();
            let other: Vec<_> = once.difference(&expected).take(5).collect();
            return Err(format!(
                "rustfmt did not format each generated file once: not formatted {missed:?}, \
                 others {other:?}, {} listed for {} files",
                formatted.len(),
                expected.len()
            ));
        }
        let mut changed = false;
        for (path, text) in &mut mine {
            let at = base.join(path);
            let now = std::fs::read_to_string(&at).map_err(|e| format!("{}: {e}", at.display()))?;
            if now != *text {
                changed = true;
                *text = now;
            }
        }
        if !changed {
            break;
        }
    }
    Ok(mine)
}

/// What a run changed (or, with `check`, would change).
#[derive(Debug, Default)]
pub struct Report {
    /// Files written or differing.
    pub changed: Vec<PathBuf>,
    /// Stale generated files removed (or that would be).
    pub removed: Vec<PathBuf>,
}

/// Writes `files` under `root` and removes generated files under `owned_dir` that are no
/// longer produced. With `check`, only reports.
pub fn write_all(
    root: &Path,
    owned_dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    check: bool,
) -> Result<Report, String> {
    let mut report = Report::default();
    for (rel, text) in files {
        let path = root.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        report.changed.push(rel.clone());
        if !check {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let mut stack = vec![root.join(owned_dir)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if !files.contains_key(&rel) {
                report.removed.push(rel);
                if !check {
                    std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                }
            }
        }
    }
    report.removed.sort();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_declarations_are_read_with_attributes_and_visibility() {
        assert_eq!(module_declared("pub mod bucket;"), Some("bucket"));
        assert_eq!(
            module_declared("  pub(crate) mod networks ;"),
            Some("networks")
        );
        assert_eq!(
            module_declared("#[cfg(feature = \"s3\")] pub mod s3;"),
            Some("s3")
        );
        assert_eq!(module_declared("mod r#type;"), Some("r#type"));
        assert_eq!(module_declared("mod inline {"), None);
        assert_eq!(module_declared("// mod commented;"), None);
        assert_eq!(module_declared("pub use bucket::Bucket;"), None);
        assert_eq!(
            module_paths(Path::new("a/mod.rs"), "pub mod b;"),
            vec![[PathBuf::from("a/b.rs"), PathBuf::from("a/b/mod.rs")]]
        );
        assert_eq!(
            module_paths(Path::new("a/f.rs"), "mod r#b;"),
            vec![[PathBuf::from("a/f/b.rs"), PathBuf::from("a/f/b/mod.rs")]]
        );
    }

    /// A tree (a root declaring a child, in a directory) and a file declaring a module
    /// that is not generated come out as rustfmt formats each alone; other files as given.
    #[test]
    fn formatting_together_is_formatting_each_file() {
        let files = BTreeMap::from([
            (
                PathBuf::from("gen/mod.rs"),
                "#[cfg(feature=\"x\")]\npub   mod x;\npub(crate) mod y;\nfn  f( ){ }\n".to_string(),
            ),
            (
                PathBuf::from("gen/x/mod.rs"),
                "pub mod z;\nconst A:u8=1;\n".to_string(),
            ),
            (
                PathBuf::from("gen/x/z.rs"),
                "struct  S{a:u8,}\n".to_string(),
            ),
            (PathBuf::from("gen/y.rs"), "fn g()->u8{ 1 }\n".to_string()),
            (
                PathBuf::from("top.rs"),
                "static  T:&str=\"t\";\n".to_string(),
            ),
            (
                PathBuf::from("tests/t.rs"),
                "mod support;\nfn  t(){}\n".to_string(),
            ),
            (PathBuf::from("FEATURES.md"), "#  not  rust\n".to_string()),
        ]);
        let together = rustfmt_all(Path::new("/nonexistent"), files.clone()).expect("formats");
        assert_eq!(together.len(), files.len());
        for (path, text) in &files {
            let alone = if path.extension().is_some_and(|x| x == "rs") {
                rustfmt(text).expect("formats")
            } else {
                text.clone()
            };
            assert_eq!(together[path], alone, "{}", path.display());
        }
        assert_eq!(
            together[Path::new("gen/x/z.rs")],
            "struct S {\n    a: u8,\n}\n"
        );
        // Cut into groups every way: the same texts.
        let tree: BTreeMap<PathBuf, String> = files
            .iter()
            .filter(|(p, _)| p.starts_with("gen") || p.starts_with("top.rs"))
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect();
        for workers in 1..=6 {
            let grouped = rustfmt_tree(tree.clone(), None, workers).expect("formats");
            for (path, text) in &grouped {
                assert_eq!(
                    *text,
                    together[path],
                    "{workers} groups: {}",
                    path.display()
                );
            }
            assert_eq!(grouped.len(), tree.len());
        }
    }

    #[test]
    fn a_file_rustfmt_cannot_parse_is_an_error() {
        let files = BTreeMap::from([(PathBuf::from("gen/mod.rs"), "fn (\n".to_string())]);
        let err = rustfmt_all(Path::new("/nonexistent"), files).expect_err("rejected");
        assert!(err.contains("rustfmt rejected"), "{err}");
    }
}
