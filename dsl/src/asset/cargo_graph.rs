//! Which packages a Rust binary's build compiles: the binary's own package and every
//! package it depends on, transitively, for normal and build dependencies. The local (path)
//! ones have their sources hashed; every one has its `Cargo.lock` entry hashed
//! (`workspace_files`), since the lock pins registry and git packages.
//!
//! The graph comes from Cargo itself (`cargo metadata --format-version 1 --offline
//! --locked --filter-platform <target>`), so what Cargo resolves (workspace inheritance,
//! `[patch]` to a path, renamed and target-specific dependencies) is what is hashed; a
//! hand-written manifest reader would miss some of it. `cargo metadata` takes a few
//! hundred milliseconds on a workspace with the AWS SDK, so its answer is kept under the
//! target directory with a fingerprint of every file that decides it, and reused while
//! they are unchanged (see [`Fingerprint`]).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::cargo_config::config_files;
use super::child::run_bounded;
use super::workspace_files::LockedId;
use crate::app::assembly::RustBuild;

/// The most `cargo metadata` may print: a workspace with ~300 dependencies prints under
/// 2 MB, so a larger answer is not one this reader should trust or hold.
const MAX_METADATA_BYTES: u64 = 64 << 20;
/// The most of Cargo's error output kept for a message.
const MAX_STDERR_BYTES: u64 = 4 << 10;
/// The most packages an answer may list.
const MAX_PACKAGES: usize = 20_000;
/// The directories at a package's root that hold only tests, benchmarks and examples,
/// which a `--bin` build never compiles unless a build target's source is in them.
pub(crate) const NON_BUILD_DIRS: [&str; 3] = ["tests", "benches", "examples"];

/// A local package the build compiles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LocalPackage {
    /// The package's name (`[package] name`).
    pub name: String,
    /// The package's directory as Cargo reaches it (its `manifest_path`'s parent, symbolic
    /// links not resolved): a kept graph is valid only while this still leads to `dir`.
    pub reached: PathBuf,
    /// The package's directory, canonical.
    pub dir: PathBuf,
    /// Which of [`NON_BUILD_DIRS`] hold a source of a target the build compiles (a `[[bin]]`
    /// with `path = "examples/x.rs"`), so they are hashed after all.
    pub build_dirs: Vec<String>,
}

/// The packages of one binary's build.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Graph {
    /// The local packages, the binary's first.
    pub local: Vec<LocalPackage>,
    /// Every package reached (local ones too), sorted.
    pub reached: Vec<LockedId>,
}

/// The packages of `package`'s build (it first) for `target`, in `workspace`.
///
/// # Errors
/// Cargo could not be run or refused (offline with dependencies not downloaded yet, a
/// `Cargo.lock` that needs an update), or its answer is not one this reader accepts: the
/// message says why and what to do.
pub(crate) fn local_packages(
    workspace: &Path,
    package_dir: &Path,
    package: &str,
    target: &str,
) -> Result<Graph, String> {
    let memo = Memo::path(workspace, package, target);
    if let Some(found) = memo.as_deref().and_then(|m| Memo::read(m, workspace)) {
        return Ok(found);
    }
    let answer = run_cargo_metadata(workspace, target)?;
    let found = walk(&answer, package_dir, package)?;
    if let Some(m) = memo {
        Memo::write(&m, workspace, &found);
    }
    Ok(found)
}

impl RustBuild {
    /// The names of the local packages the build compiles: the binary's package first,
    /// then every path (non-registry, non-git) package it depends on, transitively, over
    /// normal and build dependencies, as Cargo's graph for the recipe's target has them.
    /// These are the crates whose sources the key hashes; the deployer has Cargo rebuild
    /// them on a cache miss, since Cargo judges them fresh by file times, which a copy
    /// with older times (`cp -a`, `tar x`) or a retargeted link does not advance.
    ///
    /// # Errors
    /// The workspace or the package directory cannot be read, or `cargo metadata` failed
    /// or answered something this reader does not accept: the message says why and what
    /// to do.
    ///
    /// ```no_run
    /// let recipe = nephos::assembly::RustBuild::new(
    ///     "/src/orders",
    ///     "/src/orders/handler",
    ///     "orders-handler",
    ///     "bootstrap",
    /// );
    /// let names = recipe.local_packages().expect("Cargo reads the workspace");
    /// assert_eq!(names[0], "orders-handler");
    /// ```
    pub fn local_packages(&self) -> Result<Vec<String>, String> {
        let workspace = std::fs::canonicalize(&self.workspace)
            .map_err(|e| format!("cannot read workspace {}: {e}", self.workspace))?;
        let package_dir = std::fs::canonicalize(&self.package_dir)
            .map_err(|e| format!("cannot read package directory {}: {e}", self.package_dir))?;
        let found = local_packages(&workspace, &package_dir, &self.package, &self.target)?;
        Ok(found.local.into_iter().map(|p| p.name).collect())
    }
}

/// Where [`local_packages`] keeps the graph of `package` for `target` in `workspace`
/// (canonical), wherever `CARGO_TARGET_DIR` puts it: tests look there rather than guess.
#[cfg(test)]
pub(crate) fn memo_path(workspace: &Path, package: &str, target: &str) -> Option<PathBuf> {
    Memo::path(workspace, package, target)
}

/// The fields of `cargo metadata`'s answer this reader uses (format version 1, "cargo
/// metadata" in the Cargo Book); others are ignored.
#[derive(Deserialize)]
struct Metadata {
    version: u32,
    packages: Vec<Package>,
    resolve: Option<Resolve>,
}

#[derive(Deserialize)]
struct Package {
    id: String,
    name: String,
    version: String,
    /// `None` for a path package; a registry or git URL otherwise.
    source: Option<String>,
    manifest_path: PathBuf,
    targets: Vec<Target>,
}

#[derive(Deserialize)]
struct Target {
    kind: Vec<String>,
    src_path: PathBuf,
}

#[derive(Deserialize)]
struct Resolve {
    nodes: Vec<Node>,
}

#[derive(Deserialize)]
struct Node {
    id: String,
    deps: Vec<NodeDep>,
}

#[derive(Deserialize)]
struct NodeDep {
    pkg: String,
    #[serde(default)]
    dep_kinds: Vec<DepKind>,
}

#[derive(Deserialize)]
struct DepKind {
    /// `None` for a normal dependency, `"build"` or `"dev"`.
    kind: Option<String>,
}

fn cargo() -> std::ffi::OsString {
    // Under `cargo run` (how an app usually runs), Cargo names itself here: the same Cargo
    // (and toolchain) that will build the binary.
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs `cargo metadata` in `workspace` (where the build runs, so Cargo reads the same
/// configuration) and parses its answer, bounded.
fn run_cargo_metadata(workspace: &Path, target: &str) -> Result<Metadata, String> {
    let next = "(the handler's build cache key needs Cargo's dependency graph; fix the cause and synthesize again)";
    let mut cmd = Command::new(cargo());
    cmd.args([
        "metadata",
        "--format-version",
        "1",
        "--offline",
        "--locked",
        "--filter-platform",
        target,
        "--manifest-path",
    ])
    .arg(workspace.join("Cargo.toml"))
    .current_dir(workspace);
    // Starting it is what fails in practice (reading a pipe or waiting hardly does).
    let out = run_bounded(cmd, MAX_METADATA_BYTES, MAX_STDERR_BYTES).map_err(|e| {
        format!(
            "cannot run `cargo metadata`: {}: is cargo on PATH? {next}",
            e.error
        )
    })?;
    let (status, stderr) = (out.status, String::from_utf8_lossy(&out.stderr));
    if out.stdout_cut {
        return Err(format!(
            "`cargo metadata` printed more than {} MiB: is the workspace root right? {next}",
            MAX_METADATA_BYTES >> 20
        ));
    }
    if !status.success() {
        let why = printable(stderr.trim());
        // Cargo's wording is no interface; a message that matches neither still says
        // what Cargo said and how to go on.
        let fix = if why.contains("lock file") {
            "update Cargo.lock with `cargo update -w` (the build is --locked, so the lock file must be current), then synthesize again"
        } else if why.contains("--offline") || why.contains("download") {
            "download the dependencies with `cargo fetch` (the graph is read offline), then synthesize again"
        } else {
            "fix what Cargo says, then synthesize again"
        };
        return Err(format!(
            "`cargo metadata` failed in {} ({status}): {why}; {fix}",
            workspace.display()
        ));
    }
    let meta: Metadata = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("`cargo metadata`'s answer is not the JSON this reader knows: {e}; is this Cargo older than the workspace's rust-version? {next}"))?;
    if meta.version != 1 {
        return Err(format!(
            "`cargo metadata` answered format version {}, and nephos reads version 1 {next}",
            meta.version
        ));
    }
    if meta.packages.len() > MAX_PACKAGES {
        return Err(format!(
            "`cargo metadata` lists {} packages (at most {MAX_PACKAGES} are read) {next}",
            meta.packages.len()
        ));
    }
    Ok(meta)
}

/// Text from a child process fit for a message: control characters escaped, bounded.
fn printable(text: &str) -> String {
    text.chars()
        .take(2_000)
        .flat_map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().collect::<Vec<_>>()
            } else if c == '\n' {
                vec![' ']
            } else {
                vec![c]
            }
        })
        .collect()
}

/// The packages reachable from `package` over normal and build edges.
fn walk(meta: &Metadata, package_dir: &Path, package: &str) -> Result<Graph, String> {
    let bad = |what: String| format!("`cargo metadata`'s answer is not usable: {what}");
    let mut by_id: HashMap<&str, &Package> = HashMap::with_capacity(meta.packages.len());
    for p in &meta.packages {
        if by_id.insert(p.id.as_str(), p).is_some() {
            return Err(bad(format!(
                "package id {} is listed twice",
                printable(&p.id)
            )));
        }
    }
    let dir_of = |p: &Package| -> Result<PathBuf, String> {
        let m = &p.manifest_path;
        if !m.is_absolute() || m.file_name() != Some("Cargo.toml".as_ref()) {
            return Err(bad(format!(
                "manifest path {} is not an absolute path to a Cargo.toml",
                printable(&m.to_string_lossy())
            )));
        }
        let dir = m.parent().unwrap_or(m);
        std::fs::canonicalize(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))
    };
    let root: Vec<&Package> = meta
        .packages
        .iter()
        .filter(|p| p.name == package && p.source.is_none())
        .filter(|p| dir_of(p).is_ok_and(|d| d == package_dir))
        .collect();
    let [root] = root.as_slice() else {
        return Err(bad(format!(
            "it lists {} path packages named {package} in {}, not one",
            root.len(),
            package_dir.display()
        )));
    };
    let resolve = meta
        .resolve
        .as_ref()
        .ok_or_else(|| bad("it has no dependency graph (`resolve`)".into()))?;
    let nodes: HashMap<&str, &Node> = resolve.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut seen: BTreeSet<&str> = BTreeSet::from([root.id.as_str()]);
    let mut queue: VecDeque<&str> = VecDeque::from([root.id.as_str()]);
    let mut out = Vec::new();
    let mut reached = Vec::new();
    while let Some(id) = queue.pop_front() {
        let p = by_id.get(id).ok_or_else(|| {
            bad(format!(
                "the graph names {}, which it does not list",
                printable(id)
            ))
        })?;
        reached.push(LockedId {
            name: p.name.clone(),
            version: p.version.clone(),
            source: p.source.clone(),
        });
        if p.source.is_none() {
            out.push(LocalPackage {
                name: p.name.clone(),
                reached: p
                    .manifest_path
                    .parent()
                    .unwrap_or(&p.manifest_path)
                    .to_path_buf(),
                dir: dir_of(p)?,
                build_dirs: build_dirs(p),
            });
        }
        let node = nodes
            .get(id)
            .ok_or_else(|| bad(format!("the graph has no node for {}", printable(id))))?;
        for dep in &node.deps {
            // An edge with no kinds listed is read as a normal one: hashing too much only
            // rebuilds, hashing too little deploys a stale binary.
            let only_dev = !dep.dep_kinds.is_empty()
                && dep
                    .dep_kinds
                    .iter()
                    .all(|k| k.kind.as_deref() == Some("dev"));
            if !only_dev && seen.insert(dep.pkg.as_str()) {
                queue.push_back(dep.pkg.as_str());
            }
        }
    }
    reached.sort();
    reached.dedup();
    Ok(Graph {
        local: out,
        reached,
    })
}

/// Which of [`NON_BUILD_DIRS`] hold the source of a target other than a test, benchmark or
/// example of `p`.
fn build_dirs(p: &Package) -> Vec<String> {
    let root = p.manifest_path.parent().unwrap_or(&p.manifest_path);
    let mut dirs: Vec<String> = p
        .targets
        .iter()
        .filter(|t| {
            !t.kind
                .iter()
                .all(|k| matches!(k.as_str(), "test" | "bench" | "example"))
        })
        .filter_map(
            |t| match t.src_path.strip_prefix(root).ok()?.components().next()? {
                Component::Normal(first) => {
                    let first = first.to_str()?;
                    NON_BUILD_DIRS.contains(&first).then(|| first.to_owned())
                }
                _ => None,
            },
        )
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The graph kept on disk, with the fingerprint of the files that decided it.
///
/// What decides which path packages a build reaches: `Cargo.lock` (pins every version),
/// the workspace's `Cargo.toml` (`[patch]`, `[workspace.dependencies]`), Cargo's
/// configuration files (`[patch]`, `paths`), and the manifest of each path package reached
/// (its dependencies and features). Registry packages' manifests are fixed by the lock's
/// checksums. Another workspace member's manifest can only add packages that `-p` does not
/// build. So the answer is reused while these files have the same bytes and each package's
/// directory, as Cargo reaches it, still resolves to the one kept: a symbolic link to a
/// path dependency retargeted to a copy with the same manifest changes no byte above but
/// the sources built (atk finding 2).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fingerprint {
    fingerprint: String,
    graph: Graph,
}

struct Memo;

impl Memo {
    /// `<target dir>/nephos-lambda/graph-<hash of workspace, package, target>.json`, or
    /// `None` when the key cannot be made.
    ///
    /// The target dir here is `$CARGO_TARGET_DIR` or `<workspace>/target`, not `cargo
    /// metadata`'s `target_directory` as for the deployer's zip cache: the memo is looked up
    /// to avoid running `cargo metadata`, so that answer is not at hand yet. This is safe
    /// where the guess is wrong (a `build.target-dir` in a config): the memo holds no binary,
    /// only cargo's answer, and is used only while the fingerprint of every file that decides
    /// that answer matches (`read`); a wrong guess costs a stray file or one more `cargo
    /// metadata` run, never a wrong key.
    fn path(workspace: &Path, package: &str, target: &str) -> Option<PathBuf> {
        let mut h = Sha256::new();
        for part in [
            workspace.as_os_str().as_encoded_bytes(),
            package.as_bytes(),
            target.as_bytes(),
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        let key: String = h.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => workspace.join(dir),
            None => workspace.join("target"),
        };
        Some(
            target_dir
                .join("nephos-lambda")
                .join(format!("graph-{key}.json")),
        )
    }

    /// The kept answer, when it parses and its fingerprint is that of the files now.
    fn read(path: &Path, workspace: &Path) -> Option<Graph> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.len() > 1 << 20 {
            return None;
        }
        let kept: Fingerprint = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        let packages = &kept.graph.local;
        if packages.is_empty() || packages.iter().any(|p| !p.dir.is_absolute()) {
            return None;
        }
        // A link on the way to a package (the package's own, or a parent directory's) may
        // point elsewhere now: Cargo would build what it points at.
        let moved = |p: &LocalPackage| {
            !p.reached.is_absolute()
                || std::fs::canonicalize(&p.reached).ok().as_ref() != Some(&p.dir)
        };
        if packages.iter().any(moved) {
            return None;
        }
        (fingerprint(workspace, packages)? == kept.fingerprint).then_some(kept.graph)
    }

    /// Keeps `packages` for the next synth. A failure only costs the next one time.
    fn write(path: &Path, workspace: &Path, graph: &Graph) {
        let Some(fingerprint) = fingerprint(workspace, &graph.local) else {
            return;
        };
        let kept = Fingerprint {
            fingerprint,
            graph: graph.clone(),
        };
        let Ok(bytes) = serde_json::to_vec(&kept) else {
            return;
        };
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// SHA-256 over the files that decide the graph (see [`Fingerprint`]); `None` when the
/// lock file or a package's manifest cannot be read (then Cargo is asked again).
fn fingerprint(workspace: &Path, packages: &[LocalPackage]) -> Option<String> {
    let mut h = Sha256::new();
    h.update(b"nephos cargo-graph v3\n");
    let mut add = |name: &[u8], bytes: &[u8]| {
        h.update((name.len() as u64).to_le_bytes());
        h.update(name);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    add(
        b"Cargo.lock",
        &std::fs::read(workspace.join("Cargo.lock")).ok()?,
    );
    add(
        b"Cargo.toml",
        &std::fs::read(workspace.join("Cargo.toml")).ok()?,
    );
    // A local cache: the files by path (the graph depends on, for example, `[patch]`).
    for path in config_files(workspace) {
        add(
            path.as_os_str().as_encoded_bytes(),
            &std::fs::read(&path).ok()?,
        );
    }
    for p in packages {
        let manifest = std::fs::read(p.dir.join("Cargo.toml")).ok()?;
        add(p.dir.as_os_str().as_encoded_bytes(), &manifest);
    }
    Some(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
