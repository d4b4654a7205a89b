//! A binary of a crate in the user's Cargo workspace, shipped as a Lambda `bootstrap`.
//!
//! Synth never compiles: it records a build recipe and names the asset by a hash of the
//! crate's sources and the recipe, so a template's bytes do not depend on a compiler and
//! synth stays fast and offline. `nephos synth`/`deploy` build the recipe (cross-linked
//! for Lambda's glibc), zip it and cache the zip under that hash.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::build_inputs;
use super::build_tools::{BuildTools, ToolVersions};
use super::cargo_config;
use super::cargo_graph::{self, LocalPackage};
use super::declared::{self, KeyCoverage};
use super::package_files::Rules;
use super::workspace_files;
use crate::app::assembly::RustBuild;

/// The glibc that Lambda's `provided.al2023` runtime ships (Amazon Linux 2023: glibc
/// 2.34, "Lambda runtimes", AWS Lambda Developer Guide); binaries are linked against it.
pub const LAMBDA_GLIBC: &str = "2.34";

/// Bounds on the source walk, so a misplaced workspace root (a home directory) fails
/// fast instead of hashing everything below it.
const MAX_FILES: usize = 20_000;
const MAX_DEPTH: usize = 6;

/// A binary target of a package in the app's Cargo workspace, built for Lambda's
/// `provided.al2023` runtime and zipped as `bootstrap`.
///
/// Options: [`arm64`](RustBin::arm64) (x86_64 unless set), [`profile`](RustBin::profile)
/// (`release` unless set), [`workspace`](RustBin::workspace) (found from the current
/// directory unless set). The function's architecture follows the build's.
///
/// What the build reads beyond its packages' sources must be declared, so that the cache
/// key covers it: [`input_file`](RustBin::input_file), [`input_dir`](RustBin::input_dir)
/// and [`input_env`](RustBin::input_env). After each build the deployer reads what the
/// compiler says it read (rustc's dep-info, build scripts' `rerun-if-*` lines) and refuses
/// a build that read anything else.
///
/// ```
/// use nephos::constructs::{Code, Function, Runtime};
/// let code = Code::rust_bin("users-api-handlers", "create-user").profile("dev");
/// let function = Function::new(Runtime::ProvidedAl2023, "bootstrap", code);
/// # let _ = function;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RustBin {
    pub(crate) package: String,
    pub(crate) bin: String,
    pub(crate) arm64: bool,
    pub(crate) profile: String,
    pub(crate) workspace: Option<PathBuf>,
    pub(crate) input_files: Vec<String>,
    pub(crate) input_dirs: Vec<String>,
    pub(crate) input_env: Vec<String>,
}

impl RustBin {
    /// The binary `bin` of the package `package` (names as in its `Cargo.toml`).
    pub fn new(package: impl Into<String>, bin: impl Into<String>) -> Self {
        RustBin {
            package: package.into(),
            bin: bin.into(),
            arm64: false,
            profile: "release".into(),
            workspace: None,
            input_files: Vec::new(),
            input_dirs: Vec::new(),
            input_env: Vec::new(),
        }
    }

    /// Declares a file the build reads that is not a source of the binary's packages
    /// (`include_str!("../../shared.txt")`, a build script's `rerun-if-changed` of
    /// `../proto/api.proto`), relative to the package directory. Its bytes go into the
    /// cache key. At most 64; synth fails naming the path when it is absolute, missing, a
    /// directory, or escapes as control characters.
    ///
    /// ```
    /// use nephos::constructs::Code;
    /// let code = Code::rust_bin("handlers", "create-user").input_file("../shared/schema.json");
    /// # let _ = code;
    /// ```
    pub fn input_file(mut self, path: impl Into<String>) -> Self {
        self.input_files.push(path.into());
        self
    }

    /// Declares a directory the build reads (`sqlx::migrate!("../migrations")`), relative
    /// to the package directory: every file below it goes into the cache key (version
    /// control and editor files left out; at most 10,000 files, 12 levels).
    ///
    /// ```
    /// use nephos::constructs::Code;
    /// let code = Code::rust_bin("handlers", "create-user").input_dir("../migrations");
    /// # let _ = code;
    /// ```
    pub fn input_dir(mut self, path: impl Into<String>) -> Self {
        self.input_dirs.push(path.into());
        self
    }

    /// Declares an environment variable the build reads (`option_env!("GIT_SHA")`, a build
    /// script's `rerun-if-env-changed`): its value at synth (or that it is unset) goes into
    /// the cache key, so a new value builds and deploys anew.
    ///
    /// ```
    /// use nephos::constructs::Code;
    /// let code = Code::rust_bin("handlers", "create-user").input_env("GIT_SHA");
    /// # let _ = code;
    /// ```
    pub fn input_env(mut self, name: impl Into<String>) -> Self {
        self.input_env.push(name.into());
        self
    }

    /// Builds for Graviton (`aarch64-unknown-linux-gnu`); needs that target's standard
    /// library (`rustup target add aarch64-unknown-linux-gnu`).
    pub fn arm64(mut self) -> Self {
        self.arm64 = true;
        self
    }

    /// Whether the build is for arm64.
    pub fn is_arm64(&self) -> bool {
        self.arm64
    }

    /// The Cargo profile to build with (`release`, `dev` or one of the workspace's own).
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = profile.into();
        self
    }

    /// The workspace root (the directory of the `Cargo.toml` holding `[workspace]`, or of
    /// the package when it is alone). Unset: the nearest such directory above the
    /// current one.
    pub fn workspace(mut self, dir: impl AsRef<Path>) -> Self {
        self.workspace = Some(dir.as_ref().to_path_buf());
        self
    }

    /// What the message of a problem names.
    pub(crate) fn describe(&self) -> String {
        format!("Rust binary {} of package {}", self.bin, self.package)
    }

    /// Resolves the workspace and the package and hashes the sources: the recipe the
    /// assembly records, and its hash.
    pub(crate) fn recipe(&self) -> Result<(RustBuild, String), String> {
        check_name("package", &self.package)?;
        check_name("bin", &self.bin)?;
        check_name("profile", &self.profile)?;
        let workspace = match &self.workspace {
            Some(dir) => dir.clone(),
            None => {
                let cwd = std::env::current_dir()
                    .map_err(|e| format!("cannot read the current directory: {e}"))?;
                find_workspace(&cwd)?
            }
        };
        let workspace = std::fs::canonicalize(&workspace)
            .map_err(|e| format!("cannot read workspace {}: {e}", workspace.display()))?;
        let package_dir = find_package(&workspace, &self.package)?;
        let arch = if self.arm64 { "aarch64" } else { "x86_64" };
        let recipe = RustBuild {
            workspace: workspace.to_string_lossy().into_owned(),
            package_dir: package_dir.to_string_lossy().into_owned(),
            package: self.package.clone(),
            bin: self.bin.clone(),
            target: format!("{arch}-unknown-linux-gnu"),
            glibc: LAMBDA_GLIBC.into(),
            profile: self.profile.clone(),
            input_files: self.input_files.clone(),
            input_dirs: self.input_dirs.clone(),
            input_env: self.input_env.clone(),
        };
        let hash = source_hash(&recipe)?;
        Ok((recipe, hash))
    }
}

/// Package, binary and profile names: what Cargo accepts, and nothing a shell or a path
/// could misread.
fn check_name(what: &str, name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !name.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} name `{}` is not a Cargo name (letters, digits, `-`, `_`; at most 64)",
            name.escape_debug()
        ))
    }
}

/// The nearest directory at or above `start` whose `Cargo.toml` declares `[workspace]`.
fn find_workspace(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest)
            && text.lines().any(|l| l.trim() == "[workspace]")
        {
            return Ok(dir.to_path_buf());
        }
    }
    Err(format!(
        "no Cargo workspace at or above {} (set it with `.workspace(dir)`)",
        start.display()
    ))
}

/// The directory of the package named `package` below `workspace`.
fn find_package(workspace: &Path, package: &str) -> Result<PathBuf, String> {
    let mut found = Vec::new();
    let mut stack = vec![(workspace.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        if let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml"))
            && package_name(&text).as_deref() == Some(package)
        {
            found.push(dir.clone());
        }
        if depth >= MAX_DEPTH {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((entry.path(), depth + 1));
            }
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "no package named {package} in the workspace {}",
            workspace.display()
        )),
        _ => {
            found.sort();
            Err(format!(
                "more than one package named {package} in {}: {}",
                workspace.display(),
                found
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }
}

/// The `name` of a manifest's `[package]` section (a line scan: the DSL carries no TOML
/// parser, and Cargo writes this key as a plain string).
fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some(rest) = line.strip_prefix("name")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let value = value.trim();
            let value = value.split('#').next().unwrap_or(value).trim();
            return value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string);
        }
    }
    None
}

/// The hash that names a build's zip: SHA-256 over the recipe (without its absolute
/// paths, so it is the same on every machine) and everything the build reads, each named
/// by where it sits relative to the workspace.
///
/// What the build reads:
/// - of the workspace's `Cargo.lock` (required: the build runs `--locked`, and the lock pins
///   every registry and git package), the entries of the packages the binary's build
///   compiles; of its root `Cargo.toml`, what reaches every member (`[workspace]`,
///   `[patch]`, `[profile]`, ...; see `workspace_files`), not the root package's own
///   dependencies;
/// - the sources of the binary's package and of every path package it depends on,
///   transitively, for normal and build dependencies (from Cargo's own graph, see
///   `cargo_graph`), each as `cargo package` would list it, less what a binary's build
///   never reads: the target directory, version-control and editor files, nested packages
///   (hashed on their own when the build reaches them), `tests/`, `benches/`, `examples/`
///   (unless a build target's source is there) and the root's `*.md` and `LICENSE*`.
///   Hidden files are sources (`#[path = ".gen.rs"]`); symbolic links are followed;
/// - the settings of Cargo's configuration that reach the compiler, merged as Cargo
///   merges its files (`cargo_config`), the rustup toolchain file, the compiler's
///   identity (`rustc -vV`, host included), the versions of the linker tools (zig and
///   cargo-zigbuild, as `build_tools` finds them for the deployer too) and the
///   environment variables that change its output (`build_inputs`). The build remaps machine paths (`remap`), so one commit built
///   with one toolchain gives one key and the same bytes on any machine.
///
/// Another workspace member that the binary does not depend on is not hashed, so an edit
/// there does not rebuild or redeploy the function.
///
/// Inputs declared on the handler (`input_file`, `input_dir`, `input_env`) are hashed too:
/// a file's bytes, every file of a directory, a variable's value or that it is unset.
pub(crate) fn source_hash(recipe: &RustBuild) -> Result<String, String> {
    source_key(recipe).map(|(hash, _)| hash)
}

/// [`source_hash`] and what it covers.
pub(crate) fn source_key(recipe: &RustBuild) -> Result<(String, KeyCoverage), String> {
    let identity = Identity::of(Path::new(&recipe.workspace))?;
    source_key_with(recipe, &identity, &|name| std::env::var_os(name))
}

/// The tools a build uses, as the key names them: the compiler's `rustc -vV` answer and
/// the linker tools' versions.
#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub(crate) rustc: Vec<u8>,
    pub(crate) tools: ToolVersions,
}

impl Identity {
    /// The tools a build in `workspace` uses, as found now.
    pub(crate) fn of(workspace: &Path) -> Result<Self, String> {
        Ok(Identity {
            rustc: build_inputs::toolchain(workspace)?,
            tools: BuildTools::find(workspace)?.versions()?,
        })
    }
}

/// Looks up an environment variable declared with `input_env`.
pub(crate) type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<std::ffi::OsString>;

/// [`source_hash`] for the tools `identity`.
#[cfg(test)]
pub(crate) fn source_hash_with(recipe: &RustBuild, identity: &Identity) -> Result<String, String> {
    source_key_with(recipe, identity, &|name| std::env::var_os(name)).map(|(hash, _)| hash)
}

/// [`source_key`] for the tools `identity`, reading declared variables with `env`.
pub(crate) fn source_key_with(
    recipe: &RustBuild,
    identity: &Identity,
    env: EnvLookup<'_>,
) -> Result<(String, KeyCoverage), String> {
    let workspace = Path::new(&recipe.workspace);
    let lock = workspace.join("Cargo.lock");
    if !lock.is_file() {
        return Err(format!(
            "{} is missing: run `cargo generate-lockfile` (the build is --locked so that it is the one the hash names)",
            lock.display()
        ));
    }
    let workspace = std::fs::canonicalize(workspace)
        .map_err(|e| format!("cannot read workspace {}: {e}", workspace.display()))?;
    let package_dir = std::fs::canonicalize(&recipe.package_dir)
        .map_err(|e| format!("cannot read package directory {}: {e}", recipe.package_dir))?;
    let graph =
        cargo_graph::local_packages(&workspace, &package_dir, &recipe.package, &recipe.target)?;
    let packages = &graph.local;
    let read = |file: &str| {
        let path = workspace.join(file);
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    // Named apart from the files themselves: the root package's walk hashes its whole
    // `Cargo.toml` when the build compiles it.
    let mut inputs: Vec<(String, Input)> = vec![
        (
            "@lock-entries".into(),
            Input::Bytes(workspace_files::lock_entries(
                &read("Cargo.lock")?,
                &graph.reached,
            )),
        ),
        (
            "@workspace-manifest".into(),
            Input::Bytes(workspace_files::workspace_manifest(&read("Cargo.toml")?)),
        ),
    ];
    let mut walk = Walk::default();
    for p in packages {
        walk.package(&workspace, p)?;
    }
    inputs.extend(walk.found);
    inputs.extend(
        build_inputs::toolchain_files(&workspace)
            .into_iter()
            .map(|(name, path)| (name, Input::File(path))),
    );
    // Merged settings, not files: where a file sits and what else it sets do not count.
    let config = cargo_config::effective(&workspace, &recipe.target)?;
    inputs.push((
        "@cargo-config".into(),
        Input::Bytes(cargo_config::canonical(&config).into_bytes()),
    ));
    inputs.push(("@rustc-vV".into(), Input::Bytes(identity.rustc.clone())));
    inputs.push((
        "@tools/zig".into(),
        Input::Bytes(identity.tools.zig.clone().into_bytes()),
    ));
    inputs.push((
        "@tools/cargo-zigbuild".into(),
        Input::Bytes(identity.tools.cargo_zigbuild.clone().into_bytes()),
    ));
    inputs.extend(
        build_inputs::env_inputs(&recipe.profile, &recipe.target)
            .into_iter()
            .map(|(name, value)| (name, Input::Bytes(value))),
    );
    let mut coverage = KeyCoverage {
        package_dirs: packages.iter().map(|p| p.dir.clone()).collect(),
        ..KeyCoverage::default()
    };
    declare(
        recipe,
        &workspace,
        &package_dir,
        env,
        &mut inputs,
        &mut coverage,
    )?;
    inputs.sort_by(|a, b| a.0.cmp(&b.0));
    inputs.dedup_by(|a, b| a.0 == b.0);
    for (_, input) in &inputs {
        if let Input::File(path) = input {
            let canonical = std::fs::canonicalize(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            coverage.files.insert(canonical);
        }
    }

    let mut h = Sha256::new();
    // v5: the linker tools' versions are hashed, and of Cargo.lock and the root manifest
    // only what reaches the handler's build (v4 hashed neither the tools nor less than
    // both files whole).
    h.update(b"nephos rust-bin v5\n");
    for field in [
        &recipe.package,
        &recipe.bin,
        &recipe.target,
        &recipe.glibc,
        &recipe.profile,
    ] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    for (name, input) in &inputs {
        let bytes = match input {
            Input::File(path) => {
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
            }
            Input::Bytes(b) => b.clone(),
        };
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    Ok((hex::encode(h.finalize()), coverage))
}

/// Adds the inputs declared on the handler to the hash's `inputs` and to `coverage`.
/// Files are named `@input/<path relative to the workspace>` (machine-independent),
/// variables `@env/<name>`.
fn declare(
    recipe: &RustBuild,
    workspace: &Path,
    package_dir: &Path,
    env: EnvLookup<'_>,
    inputs: &mut Vec<(String, Input)>,
    coverage: &mut KeyCoverage,
) -> Result<(), String> {
    if [&recipe.input_files, &recipe.input_dirs, &recipe.input_env]
        .iter()
        .any(|v| v.len() > declared::MAX_DECLARED)
    {
        return Err(format!(
            "more than {} inputs of one kind are declared",
            declared::MAX_DECLARED
        ));
    }
    let push_file = |path: PathBuf, inputs: &mut Vec<(String, Input)>| {
        inputs.push((
            format!("@input/{}", relative(workspace, &path)),
            Input::File(path),
        ));
    };
    for file in &recipe.input_files {
        push_file(declared::resolve(package_dir, file, false)?, inputs);
    }
    for dir in &recipe.input_dirs {
        let dir = declared::resolve(package_dir, dir, true)?;
        for file in declared::dir_files(&dir)? {
            push_file(file, inputs);
        }
        coverage.dirs.push(dir);
    }
    for name in &recipe.input_env {
        declared::check_env_name(name)?;
        // What the build sees: `cargo run` gave the app `[env]`'s values, the deployer's
        // process has none of them, so both ask Cargo's configuration.
        let value = match super::cargo_config::env_value(workspace, name, env(name))? {
            Some(v) => [b"set=".as_slice(), v.as_encoded_bytes()].concat(),
            None => b"unset".to_vec(),
        };
        inputs.push((format!("@env/{name}"), Input::Bytes(value)));
        coverage.env.insert(name.clone());
    }
    Ok(())
}

/// One input of the hash: a file's bytes, or bytes known already (an environment
/// variable's value, a dangling link's target).
enum Input {
    File(PathBuf),
    Bytes(Vec<u8>),
}

/// Directories of version control systems: their files are history, not sources.
const VCS_DIRS: [&str; 6] = [".git", ".hg", ".svn", ".jj", ".bzr", ".pijul"];

/// Files editors write beside the one being edited (Vim's swap files, Emacs's lock and
/// auto-save files, backups, Finder's metadata): hashing them would change the key while a
/// file is open, and no build reads them.
fn editor_file(name: &str) -> bool {
    name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || [".swp", ".swo", ".swx"].iter().any(|s| name.ends_with(s))
        || name == ".DS_Store"
}

/// Whether a directory entry's name is one no build reads (version control, editor files).
pub(crate) fn skipped_name(name: &str) -> bool {
    editor_file(name) || VCS_DIRS.contains(&name)
}

/// The walk over the local packages' sources: bounded in files and depth, following
/// symbolic links once per directory.
#[derive(Default)]
struct Walk {
    found: Vec<(String, Input)>,
    /// Canonical directories walked, so a link cycle is walked once.
    visited: std::collections::HashSet<PathBuf>,
}

impl Walk {
    fn package(&mut self, workspace: &Path, p: &LocalPackage) -> Result<(), String> {
        self.visited.insert(p.dir.clone());
        let mut rules = Rules::for_package(workspace, &p.dir)?;
        self.dir(workspace, p, &mut rules, &p.dir, 0)
    }

    fn dir(
        &mut self,
        workspace: &Path,
        p: &LocalPackage,
        rules: &mut Rules,
        dir: &Path,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH * 2 {
            return Err(format!(
                "{} is nested too deeply: if the build does not read it, list it in a .gitignore or in the package's `exclude`",
                dir.display()
            ));
        }
        let entered = rules.enter(dir)?;
        let walked = self.entries(workspace, p, rules, dir, depth);
        rules.leave(entered);
        walked
    }

    fn entries(
        &mut self,
        workspace: &Path,
        p: &LocalPackage,
        rules: &mut Rules,
        dir: &Path,
        depth: usize,
    ) -> Result<(), String> {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        let at_root = depth == 0;
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = dir.join(entry.file_name());
            if editor_file(&name) || VCS_DIRS.contains(&name.as_str()) {
                continue;
            }
            let kind = entry
                .file_type()
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            // The link itself is matched (its name is what .gitignore lists), before it is
            // followed.
            let names_dir = kind.is_dir() || (kind.is_symlink() && path.is_dir());
            if rules.skips(&path, names_dir) {
                continue;
            }
            let (is_dir, is_file) = if kind.is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(m) => (m.is_dir(), m.is_file()),
                    Err(_) => {
                        // A dangling link: its target is what the build would see.
                        let target = std::fs::read_link(&path)
                            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                        let name = relative(workspace, &path);
                        let text = format!("-> {}", target.display()).into_bytes();
                        self.push(name, Input::Bytes(text), &p.dir)?;
                        continue;
                    }
                }
            } else {
                (kind.is_dir(), kind.is_file())
            };
            if is_dir {
                let skipped = at_root
                    && (name == "target"
                        || (cargo_graph::NON_BUILD_DIRS.contains(&name.as_str())
                            && !p.build_dirs.contains(&name)));
                // A nested package is its own crate (hashed on its own when the build
                // reaches it); a directory tagged as a cache is a target directory.
                if skipped
                    || path.join("Cargo.toml").is_file()
                    || path.join("CACHEDIR.TAG").is_file()
                {
                    continue;
                }
                let canonical = std::fs::canonicalize(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                if self.visited.insert(canonical) {
                    self.dir(workspace, p, rules, &path, depth + 1)?;
                }
            } else if is_file {
                let docs = at_root && (name.ends_with(".md") || name.starts_with("LICENSE"));
                if !docs {
                    self.push(relative(workspace, &path), Input::File(path), &p.dir)?;
                }
            }
        }
        Ok(())
    }

    fn push(&mut self, name: String, input: Input, root: &Path) -> Result<(), String> {
        self.found.push((name, input));
        if self.found.len() > MAX_FILES {
            return Err(format!(
                "{} has more than {MAX_FILES} files: is the workspace root right?",
                root.display()
            ));
        }
        Ok(())
    }
}

/// `path` relative to `base` with `/` separators, going up with `..` where it is outside
/// (a path dependency beside the workspace), so the name does not depend on where the
/// workspace is.
pub(crate) fn relative(base: &Path, path: &Path) -> String {
    let base: Vec<_> = base.components().collect();
    let path: Vec<_> = path.components().collect();
    let common = base.iter().zip(&path).take_while(|(a, b)| a == b).count();
    std::iter::repeat_n("..".to_owned(), base.len() - common)
        .chain(
            path[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace with one handler package, in a fresh directory.
    fn workspace(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("nephos-rust-bin-{name}"));
        let _ = std::fs::remove_dir_all(&root);
        let pkg = root.join("handler");
        std::fs::create_dir_all(pkg.join("src")).unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"handler\"]\n",
        )
        .unwrap();
        std::fs::write(
            pkg.join("Cargo.toml"),
            "[package]\nname = \"my-handler\" # the handler\nversion = \"0.1.0\"\n",
        )
        .unwrap();
        std::fs::write(pkg.join("src/main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(pkg.join("README.md"), "docs\n").unwrap();
        super::super::tests_cache_key::lock(&root);
        super::super::build_tools::tests::fake_tools(&root, "0.15.2");
        root
    }

    fn hash(root: &Path) -> String {
        RustBin::new("my-handler", "my-handler")
            .workspace(root)
            .recipe()
            .unwrap()
            .1
    }

    #[test]
    fn the_hash_follows_sources_and_the_lock_file_only() {
        let root = workspace("hash");
        let first = hash(&root);
        assert_eq!(first, hash(&root), "the same sources hash alike");

        // What the build never reads leaves the hash alone.
        std::fs::write(root.join("handler/README.md"), "other docs\n").unwrap();
        std::fs::create_dir_all(root.join("target/debug")).unwrap();
        std::fs::write(root.join("target/debug/x"), "build output").unwrap();
        std::fs::create_dir_all(root.join("handler/target")).unwrap();
        std::fs::write(root.join("handler/target/y"), "build output").unwrap();
        std::fs::create_dir_all(root.join("handler/tests")).unwrap();
        std::fs::write(root.join("handler/tests/t.rs"), "#[test] fn t() {}").unwrap();
        assert_eq!(
            first,
            hash(&root),
            "docs, target/ and tests/ are not sources"
        );

        std::fs::write(root.join("handler/src/main.rs"), "fn main() { }\n").unwrap();
        let edited = hash(&root);
        assert_ne!(first, edited, "a source edit changes the hash");

        // A new member changes `[workspace]`, which reaches every member's build.
        std::fs::create_dir_all(root.join("other/src")).unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"handler\", \"other\"]\n",
        )
        .unwrap();
        std::fs::write(
            root.join("other/Cargo.toml"),
            "[package]\nname = \"other\"\nversion = \"0.1.0\"\n",
        )
        .unwrap();
        std::fs::write(root.join("other/src/lib.rs"), "").unwrap();
        super::super::tests_cache_key::lock(&root);
        let relocked = hash(&root);
        assert_ne!(edited, relocked, "a new workspace member changes the hash");

        let dev = RustBin::new("my-handler", "my-handler")
            .workspace(&root)
            .profile("dev")
            .recipe()
            .unwrap()
            .1;
        assert_ne!(relocked, dev, "the recipe is part of the hash");
    }

    #[cfg(unix)]
    #[test]
    fn the_hash_follows_the_compilers_identity() {
        let root = workspace("toolchain");
        let (recipe, real) = RustBin::new("my-handler", "my-handler")
            .workspace(&root)
            .recipe()
            .unwrap();
        let identity = Identity::of(&root).unwrap();
        assert_eq!(source_hash_with(&recipe, &identity).unwrap(), real);
        // A fake `rustc` (as `RUSTC` names one): its `-vV` answer is what the key reads.
        let fake = root.join("fake-rustc");
        let rustc = |body: &str| {
            super::super::build_tools::tests::script(&fake, body);
            build_inputs::toolchain_of(fake.as_os_str(), &root)
        };
        let report = |host: &str| {
            format!(
                "echo 'rustc 9.9.9 (0000000 2030-01-01)'; echo 'host: {host}'; echo 'release: 9.9.9'"
            )
        };
        let linux = rustc(&report("x86_64-unknown-linux-gnu")).unwrap();
        assert!(linux.starts_with(b"rustc 9.9.9"), "{linux:?}");
        let with = |rustc: Vec<u8>| {
            let id = Identity {
                rustc,
                ..identity.clone()
            };
            source_hash_with(&recipe, &id).unwrap()
        };
        let fake_key = with(linux);
        assert_ne!(fake_key, real, "another compiler, another key");
        // The host stays in the key: build scripts and proc macros run there (see
        // ARCHITECTURE.md, "Rust handlers as assets").
        let mac = rustc(&report("aarch64-apple-darwin")).unwrap();
        assert_ne!(with(mac), fake_key, "the same release on another host");

        let e = rustc("exit 1").unwrap_err();
        assert!(e.contains("-vV") && e.contains("failed"), "{e}");
        let e = rustc("printf 'not rustc\\033[2J\\n'").unwrap_err();
        assert!(e.contains("not rustc's version report"), "{e}");
        assert!(!e.contains('\u{1b}'), "escaped: {e}");
        let e = rustc("echo 'rustc 9.9.9'; echo 'release: 9.9.9'").unwrap_err();
        assert!(e.contains("`host:`"), "no host line: {e}");
    }

    #[cfg(unix)]
    #[test]
    fn the_hash_follows_the_linker_tools_versions_and_missing_tools_stop_synth() {
        let root = workspace("linker");
        let key = || {
            RustBin::new("my-handler", "my-handler")
                .workspace(&root)
                .recipe()
                .map(|(_, hash)| hash)
        };
        let (recipe, first) = RustBin::new("my-handler", "my-handler")
            .workspace(&root)
            .recipe()
            .unwrap();
        let identity = Identity::of(&root).unwrap();
        let with = |zig: &str, cargo_zigbuild: &str| {
            let tools = ToolVersions {
                zig: zig.into(),
                cargo_zigbuild: cargo_zigbuild.into(),
            };
            let id = Identity {
                tools,
                ..identity.clone()
            };
            source_hash_with(&recipe, &id).unwrap()
        };
        // atk finding 2b: zig 0.14.1 and 0.15.2 gave other bytes under one key.
        assert_ne!(with("0.15.2", "0.24.1"), with("0.14.1", "0.24.1"));
        assert_ne!(with("0.15.2", "0.24.1"), with("0.15.2", "0.22.0"));

        // Through the finder, when it finds the stand-ins of the workspace's .venv (a
        // machine with the tools on PATH finds those first).
        let venv = root.join(".venv/bin/cargo-zigbuild");
        if BuildTools::find(&root).unwrap().cargo_zigbuild != venv {
            return;
        }
        super::super::build_tools::tests::fake_tools(&root, "0.14.1");
        let older_zig = key().unwrap();
        assert_ne!(first, older_zig, "another zig, another key");
        super::super::build_tools::tests::script(&venv, "echo 'cargo-zigbuild 0.22.0'");
        assert_ne!(
            older_zig,
            key().unwrap(),
            "another cargo-zigbuild, another key"
        );
        std::fs::remove_file(&venv).unwrap();
        let e = key().unwrap_err();
        assert!(e.contains("cargo-zigbuild is not installed"), "{e}");
        assert!(e.contains("pip install ziglang=="), "{e}");
    }

    #[test]
    fn declared_inputs_are_in_the_key_and_in_its_coverage() {
        let root = workspace("declared");
        std::fs::write(root.join("shared.txt"), "one").unwrap();
        std::fs::create_dir_all(root.join("migrations")).unwrap();
        std::fs::write(root.join("migrations/1.sql"), "create").unwrap();
        // A name no other test or process sets.
        let var = format!("NEPHOS_TEST_DECLARED_{}", std::process::id());
        let bin = || {
            RustBin::new("my-handler", "my-handler")
                .workspace(&root)
                .input_file("../shared.txt")
                .input_dir("../migrations")
                .input_env(var.clone())
        };
        let plain = hash(&root);
        let (recipe, declared) = bin().recipe().unwrap();
        assert_ne!(plain, declared, "declaring an input changes the key");
        let (again, coverage) = recipe.source_key().unwrap();
        assert_eq!(again, declared);
        assert!(coverage.covers_file(&root.join("shared.txt")));
        assert!(coverage.covers_file(&root.join("migrations/1.sql")));
        assert!(coverage.covers_file(&root.join("handler/src/main.rs")));
        assert!(!coverage.covers_file(&root.join("Cargo.toml.orig")));
        assert!(coverage.covers_env(&var));

        std::fs::write(root.join("shared.txt"), "two").unwrap();
        let edited = bin().recipe().unwrap().1;
        assert_ne!(edited, declared, "editing a declared file changes the key");
        std::fs::write(root.join("migrations/2.sql"), "alter").unwrap();
        let grown = bin().recipe().unwrap().1;
        assert_ne!(
            grown, edited,
            "a new file in a declared directory changes the key"
        );
        // The process's environment is shared by the tests' threads: values come from a lookup.
        let with = |value: Option<&str>| {
            let (recipe, _) = bin().recipe().unwrap();
            let identity = Identity::of(&root).unwrap();
            let lookup = |name: &str| (name == var).then(|| value.map(Into::into)).flatten();
            source_key_with(&recipe, &identity, &lookup).unwrap().0
        };
        assert_eq!(with(None), grown, "unset as in this process");
        assert_ne!(
            with(Some("abc")),
            grown,
            "a declared variable's value is in the key"
        );
        assert_ne!(with(Some("")), grown, "set to nothing is not unset");
        assert_ne!(with(Some("abc")), with(Some("abd")));

        // A variable Cargo's `[env]` sets: the app under `cargo run` sees it, the deployer's
        // process does not; both must compute the key of what the build will see.
        std::fs::create_dir_all(root.join(".cargo")).unwrap();
        std::fs::write(
            root.join(".cargo/config.toml"),
            format!("[env]\n{var} = \"hi-one\"\n"),
        )
        .unwrap();
        assert_eq!(
            with(Some("hi-one")),
            with(None),
            "the app (given `[env]`'s value by `cargo run`) and the deployer agree"
        );
        assert_ne!(
            with(Some("shell")),
            with(None),
            "the environment wins over `[env]`"
        );
        std::fs::remove_file(root.join(".cargo/config.toml")).unwrap();

        let absolute = RustBin::new("my-handler", "my-handler")
            .workspace(&root)
            .input_file(root.join("shared.txt").display().to_string())
            .recipe()
            .unwrap_err();
        assert!(absolute.contains("absolute"), "{absolute}");
        let missing = RustBin::new("my-handler", "my-handler")
            .workspace(&root)
            .input_dir("../nope")
            .recipe()
            .unwrap_err();
        assert!(missing.contains("input_dir `../nope`"), "{missing}");
        let mut many = RustBin::new("my-handler", "my-handler").workspace(&root);
        for i in 0..=declared::MAX_DECLARED {
            many = many.input_env(format!("V{i}"));
        }
        assert!(many.recipe().unwrap_err().contains("more than 64"));
    }

    #[test]
    fn the_hash_does_not_depend_on_where_the_workspace_is() {
        let a = workspace("here");
        let b = workspace("there");
        assert_eq!(hash(&a), hash(&b));
    }

    #[test]
    fn the_package_is_found_by_name_and_the_recipe_names_the_lambda_target() {
        let root = workspace("recipe");
        let (recipe, _) = RustBin::new("my-handler", "my-handler")
            .workspace(&root)
            .arm64()
            .recipe()
            .unwrap();
        assert!(recipe.package_dir.ends_with("handler"));
        assert_eq!(recipe.target, "aarch64-unknown-linux-gnu");
        assert_eq!(recipe.glibc, "2.34");
        let missing = RustBin::new("nope", "nope")
            .workspace(&root)
            .recipe()
            .unwrap_err();
        assert!(missing.contains("no package named nope"), "{missing}");
    }

    #[cfg(feature = "lambda")]
    #[test]
    fn a_function_names_the_zip_by_the_hash_and_follows_the_build_architecture() {
        use crate::constructs::{Architecture, Code, Function, Runtime};
        let root = workspace("function");
        let bin = || Code::rust_bin("my-handler", "my-handler").workspace(&root);
        let mut stack = crate::Stack::new("App");
        stack.add(
            "Fn",
            Function::new(Runtime::ProvidedAl2023, "bootstrap", bin().arm64()),
        );
        let mut app = crate::App::new();
        app.stack(stack, crate::StackSettings::new("app"));
        let assembly = app.synth().unwrap();
        let asset = &assembly.manifest.stacks[0].assets[0];
        let recipe = asset.build.as_ref().expect("a recipe, not bytes");
        assert_eq!(recipe.target, "aarch64-unknown-linux-gnu");
        assert_eq!(asset.sha256, recipe.source_hash().unwrap());
        assert!(
            assembly.assets.is_empty(),
            "synth compiles and packages nothing"
        );
        let t = assembly.stacks["App"].json();
        let props = &t["Resources"]["Fn"]["Properties"];
        assert_eq!(props["Architectures"], serde_json::json!(["arm64"]));
        assert_eq!(
            props["Code"]["S3Key"],
            serde_json::json!(format!("assets/{}.zip", asset.sha256))
        );

        let mut stack = crate::Stack::new("Mixed");
        stack.add(
            "Fn",
            Function::new(Runtime::ProvidedAl2023, "bootstrap", bin())
                .architecture(Architecture::Arm64),
        );
        let e = stack.synth().unwrap_err().to_string();
        assert!(e.contains("differs from the Rust binary"), "{e}");
    }

    #[test]
    fn hostile_names_and_a_missing_lock_file_are_refused() {
        let root = workspace("refused");
        let bad = RustBin::new("my-handler", "x; rm -rf /")
            .workspace(&root)
            .recipe()
            .unwrap_err();
        assert!(bad.contains("bin name"), "{bad}");
        std::fs::remove_file(root.join("Cargo.lock")).unwrap();
        let unlocked = RustBin::new("my-handler", "my-handler")
            .workspace(&root)
            .recipe()
            .unwrap_err();
        assert!(unlocked.contains("Cargo.lock is missing"), "{unlocked}");
    }
}
