//! [`App`]: the stacks of one application, synthesized into a cloud assembly.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::app::assembly::{
    AppCrate, Asset, MANIFEST_FILE, MANIFEST_VERSION, Manifest, StackArtifact, check_region,
    check_stack_name,
};
use crate::app::asset_files::write_assets;
use crate::app::previous::{read_previous, stale_templates};
use crate::app::settings::StackSettings;
use crate::asset::source::object_key;
use crate::diagnostic::{Diagnostic, SynthError};
use crate::stack::stack::Stack;
use crate::synth::graph::Graph;
use crate::synth::template::Template;

/// The environment variable naming the directory to write the assembly to; the
/// `nephos` command sets it when it runs an app.
pub const OUTDIR_ENV: &str = "NEPHOS_OUTDIR";

/// Where an app writes its assembly when [`OUTDIR_ENV`] is not set.
pub const DEFAULT_OUTDIR: &str = "nephos.out";

/// An application: stacks with their deploy settings.
///
/// An app binary makes it with [`app!`](crate::app!), which records the crate it is
/// compiled in; [`App::new`] makes one that records none (for tests and tools).
///
/// ```
/// use nephos::{RawResource, Stack, StackSettings};
/// let mut stack = Stack::new("Queues");
/// stack.add("Jobs", RawResource::new("AWS::SQS::Queue"));
/// let mut app = nephos::app!();
/// app.stack(stack, StackSettings::new("queues-dev"));
/// let assembly = app.synth().unwrap();
/// assert_eq!(assembly.manifest.stacks[0].template_file, "Queues.template.json");
/// ```
#[derive(Default)]
pub struct App {
    stacks: Vec<(Stack, StackSettings)>,
    /// The crate the app was compiled from ([`app!`](crate::app!)), written to the manifest.
    krate: Option<AppCrate>,
}

/// An [`App`] that records the crate it is written in: the package directory and name
/// Cargo gives the compiler (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`), fixed when the app
/// binary is compiled. The `nephos` command refuses the assembly of an app run whose crate
/// is not in the project it runs in: with two checkouts sharing one target directory,
/// `cargo run` in one can run the binary built from the other (its stacks, its code), and
/// only a value compiled into the binary tells them apart. Use it in the app's `main` in
/// place of [`App::new`].
///
/// ```no_run
/// use nephos::{RawResource, Stack, StackSettings};
/// fn main() -> std::process::ExitCode {
///     let mut stack = Stack::new("Queues");
///     stack.add("Jobs", RawResource::new("AWS::SQS::Queue"));
///     let mut app = nephos::app!();
///     app.stack(stack, StackSettings::new("queues-dev"));
///     app.run()
/// }
/// ```
#[macro_export]
macro_rules! app {
    () => {
        $crate::App::from_crate(
            ::core::env!("CARGO_MANIFEST_DIR"),
            ::core::env!("CARGO_PKG_NAME"),
        )
    };
}

/// An assembly in memory: the manifest and each template's text, by file name.
#[derive(Clone, Debug)]
pub struct Assembly {
    /// The manifest.
    pub manifest: Manifest,
    /// Template file name to canonical template text.
    pub templates: BTreeMap<String, String>,
    /// Each stack's synthesized template, by stack id.
    pub stacks: BTreeMap<String, Template>,
    /// Packaged assets: path in the assembly to the archive's bytes.
    pub assets: BTreeMap<String, std::sync::Arc<Vec<u8>>>,
}

/// Why an app could not be synthesized or written.
#[derive(Debug)]
pub enum AppError {
    /// Stacks that failed to synthesize, and problems of the app itself (stack ids,
    /// imports of stacks not in the app, cycles between stacks).
    Synth {
        /// Each failing stack's errors.
        stacks: Vec<SynthError>,
        /// The app's own problems.
        app: Vec<Diagnostic>,
    },
    /// The assembly could not be written.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Synth { stacks, app } => {
                let mut first = true;
                for d in app {
                    if !first {
                        writeln!(f)?;
                    }
                    first = false;
                    write!(f, "{}", d.to_string().replacen("stack:", "app:", 1))?;
                }
                for s in stacks {
                    if !first {
                        writeln!(f)?;
                    }
                    first = false;
                    write!(f, "{s}")?;
                }
                Ok(())
            }
            AppError::Io { path, error } => {
                write!(
                    f,
                    "cannot write the assembly to {}: {error}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for AppError {}

impl App {
    /// An app with no stacks that records no crate: the `nephos` command then checks where
    /// the app binary was built only through cargo's dep-info beside it, and refuses when
    /// that says nothing. An app binary's `main` uses [`app!`](crate::app!) instead.
    pub fn new() -> Self {
        App::default()
    }

    /// An app with no stacks that records the package it was compiled from: its directory
    /// (absolute) and name. [`app!`](crate::app!) calls it with the values Cargo set when
    /// compiling the calling crate; call it directly only where Cargo does not build the
    /// app (a build system that sets the same values).
    ///
    /// ```
    /// let app = nephos::App::from_crate("/src/orders-api", "orders-api");
    /// let manifest = app.synth().unwrap().manifest;
    /// assert_eq!(manifest.app_crate.unwrap().manifest_dir, "/src/orders-api");
    /// ```
    pub fn from_crate(manifest_dir: &str, package: &str) -> Self {
        App {
            stacks: Vec::new(),
            krate: Some(AppCrate {
                manifest_dir: manifest_dir.to_owned(),
                package: package.to_owned(),
            }),
        }
    }

    /// Adds a stack with its deploy settings.
    pub fn stack(&mut self, stack: Stack, settings: StackSettings) -> &mut Self {
        self.stacks.push((stack, settings));
        self
    }

    /// Synthesizes every stack and orders them for deploy.
    pub fn synth(&self) -> Result<Assembly, AppError> {
        let mut assembly = self.synth_stacks()?;
        for s in &assembly.manifest.stacks {
            if let Some(t) = assembly.stacks.get(&s.id) {
                assembly
                    .templates
                    .insert(s.template_file.clone(), t.to_json_pretty());
            }
        }
        Ok(assembly)
    }

    /// The assembly with `templates` left empty: each template's text stays in its
    /// [`Template`] in `stacks`, which [`write_assembly`] writes from, so `run` and
    /// `write` hold a large template's text once in memory rather than twice.
    fn synth_stacks(&self) -> Result<Assembly, AppError> {
        let mut app_diags = Vec::new();
        let mut failed = Vec::new();
        let mut synthesized = BTreeMap::new();
        let mut ids: BTreeMap<&str, u64> = BTreeMap::new();
        let mut names: BTreeSet<(&str, Option<&str>)> = BTreeSet::new();
        for (stack, settings) in &self.stacks {
            if let Some(uid) = ids.insert(stack.name(), stack.key.uid) {
                let what = if uid == stack.key.uid {
                    "is added twice"
                } else {
                    "is the name of two stacks"
                };
                app_diags.push(app_error(
                    format!("stack `{}` {what}", stack.name()),
                    "give each stack of the app its own name and add it once",
                ));
            }
            if !names.insert((settings.stack_name.as_str(), settings.region.as_deref())) {
                app_diags.push(app_error(
                    format!(
                        "two stacks deploy to the CloudFormation stack `{}`",
                        settings.stack_name
                    ),
                    "give each one its own stack name or region",
                ));
            }
            if let Err(why) = check_stack_name(&settings.stack_name) {
                app_diags.push(app_error(
                    format!(
                        "stack `{}`: StackSettings stack name `{}` {why}",
                        stack.name(),
                        settings.stack_name.escape_debug()
                    ),
                    "start with a letter and use only letters, digits and hyphens, at most 128 characters",
                ));
            }
            if let Some(region) = &settings.region
                && let Err(why) = check_region(region)
            {
                app_diags.push(app_error(
                    format!(
                        "stack `{}`: StackSettings region `{}` {why}",
                        stack.name(),
                        region.escape_debug()
                    ),
                    "pass an AWS region name such as eu-west-1, or leave the region unset",
                ));
            }
            let synthesized_stack = stack.synth();
            // Where the stack must deploy (`stack/home.rs`: the wirings
            // `Stack::require_home` recorded and what synth found, such as a certificate
            // of the stack on a CloudFront distribution), against the Region it deploys to
            // (known here only): refused now rather than by the service at deploy. A stack
            // that failed synth still has its wirings judged.
            if let Some(region) = &settings.region {
                let homes = match &synthesized_stack {
                    Ok(t) => &t.homes,
                    Err(_) => &stack.wired_homes,
                };
                for home in homes.iter().filter(|h| &h.region != region) {
                    app_diags.push(app_error(
                        format!(
                            "stack `{}` deploys to {region}, but {} needs the stack in {}: {}",
                            stack.name(),
                            home.wiring,
                            home.region,
                            home.why
                        ),
                        format!(
                            "deploy the stack to {} (`StackSettings::region`), or {}",
                            home.region, home.instead
                        ),
                    ));
                }
            }
            // What depends on the partition (a literal alias zone of one partition only),
            // against the Region's partition.
            if let (Some(region), Ok(t)) = (&settings.region, &synthesized_stack) {
                for need in &t.partition_needs {
                    if let Some((message, fix)) =
                        crate::synth::checks::check_partition(stack.name(), region, need)
                    {
                        app_diags.push(app_error(message, fix));
                    }
                }
            }
            match synthesized_stack {
                Ok(t) => {
                    synthesized.insert(stack.name().to_string(), t);
                }
                Err(e) => failed.push(e),
            }
        }
        let order = self.deploy_order(&mut app_diags);
        if !failed.is_empty() || !app_diags.is_empty() {
            return Err(AppError::Synth {
                stacks: failed,
                app: app_diags,
            });
        }
        let mut assets = BTreeMap::new();
        let by_name: BTreeMap<&str, &(Stack, StackSettings)> =
            self.stacks.iter().map(|e| (e.0.name(), e)).collect();
        let stacks = order
            .iter()
            .map(|(name, deps)| {
                let (stack, settings) = by_name[name.as_str()];
                StackArtifact {
                    id: stack.name().to_string(),
                    stack_name: settings.stack_name.clone(),
                    template_file: template_file(stack),
                    region: settings.region.clone(),
                    tags: settings.tags.clone(),
                    termination_protection: settings.termination_protection,
                    parameters: settings.parameters.clone(),
                    dependencies: deps.clone(),
                    assets: {
                        let mut listed: Vec<Asset> = stack
                            .assets
                            .iter()
                            .map(|(sha256, bytes)| {
                                let key = object_key(sha256);
                                assets.insert(key.clone(), bytes.clone());
                                Asset {
                                    sha256: sha256.clone(),
                                    path: key.clone(),
                                    object_key: key,
                                    build: None,
                                    zip_sha256: None,
                                }
                            })
                            .collect();
                        // Built by the deployer: no bytes in the assembly yet.
                        listed.extend(stack.builds.iter().map(|(sha256, recipe)| {
                            let key = object_key(sha256);
                            Asset {
                                sha256: sha256.clone(),
                                path: key.clone(),
                                object_key: key,
                                build: Some(recipe.clone()),
                                zip_sha256: None,
                            }
                        }));
                        listed.sort_by(|a, b| a.sha256.cmp(&b.sha256));
                        listed
                    },
                }
            })
            .collect();
        Ok(Assembly {
            manifest: Manifest {
                version: MANIFEST_VERSION,
                stacks,
                app_crate: self.krate.clone(),
                app_exe: None,
            },
            templates: BTreeMap::new(),
            stacks: synthesized,
            assets,
        })
    }

    /// Stack names in deploy order, each with the stacks it depends on.
    fn deploy_order(&self, diags: &mut Vec<Diagnostic>) -> Vec<(String, Vec<String>)> {
        let mut graph = Graph::default();
        let names: BTreeSet<&str> = self.stacks.iter().map(|(s, _)| s.name()).collect();
        for (stack, settings) in &self.stacks {
            graph.node(stack.name());
            for (key, output) in &stack.imports {
                let present = self.stacks.iter().any(|(s, _)| s.key == key.clone());
                if !present {
                    diags.push(app_error(
                        format!(
                            "stack `{}` imports output `{output}` of stack `{}`, which is not in the app",
                            stack.name(),
                            key.name
                        ),
                        format!("add stack `{}` to the app with `app.stack(...)`", key.name),
                    ));
                } else if key.name.as_ref() != stack.name() {
                    graph.edge(
                        stack.name(),
                        &key.name,
                        format!("imports output `{output}`"),
                    );
                }
            }
            for dep in &settings.depends_on {
                if names.contains(dep.as_str()) {
                    graph.edge(stack.name(), dep, "depends_on".to_string());
                } else {
                    diags.push(app_error(
                        format!(
                            "stack `{}` depends on stack `{dep}`, which is not in the app",
                            stack.name()
                        ),
                        "name a stack of the app",
                    ));
                }
            }
        }
        let cycles = graph.cycles();
        for cycle in &cycles {
            diags.push(app_error(
                format!("stacks depend on each other: {}", graph.describe(cycle)),
                "move the shared resources into a stack of their own that the others import",
            ));
        }
        if !cycles.is_empty() {
            return Vec::new();
        }
        // Depth-first post-order over sorted names: deterministic and dependency-first.
        let mut order: Vec<(String, Vec<String>)> = Vec::new();
        fn visit(g: &Graph, n: &str, order: &mut Vec<(String, Vec<String>)>) {
            if order.iter().any(|(o, _)| o == n) {
                return;
            }
            let deps: Vec<String> = g.depends_on(n).map(str::to_string).collect();
            for d in &deps {
                visit(g, d, order);
            }
            order.push((n.to_string(), deps));
        }
        for n in names {
            visit(&graph, n, &mut order);
        }
        order
    }

    /// Synthesizes the app and writes the assembly to `dir`: `manifest.json` and one
    /// template per stack, and the asset archives. The templates an earlier write listed of
    /// stacks no longer in the app are removed, and so are the archives of earlier keys
    /// (regular files nephos named; never a symbolic link or what it points to). A
    /// `manifest.json` there that is not nephos's is an error: nothing is written.
    pub fn write(&self, dir: &Path) -> Result<Manifest, AppError> {
        let assembly = self.synth_stacks()?;
        write_assembly(&assembly, dir)?;
        Ok(assembly.manifest)
    }

    /// The `main` of an app binary: writes the assembly to `$NEPHOS_OUTDIR` (or
    /// `nephos.out`), prints a summary and any warnings to stderr, and exits non-zero
    /// with every error when the app does not synthesize.
    ///
    /// Synth makes many small allocations; nephos leaves the global allocator to the app
    /// binary. A faster one, set in the binary, shortens synth (the `users_api_scaled`
    /// example sets `mimalloc::MiMalloc` with `#[global_allocator]`; ARCHITECTURE.md,
    /// "Speed", has the figures).
    pub fn run(&self) -> ExitCode {
        if self.run_keeping().0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }

    /// [`run`](App::run), then ends the process with its status (0, or 1 when the app
    /// does not synthesize or cannot be written), without freeing the app or the
    /// assembly: the operating system reclaims a process's memory at once, while freeing
    /// a large stack's thousands of maps one by one is work done just before exit (about
    /// 3% of the instructions of a 492-resource app). For an app binary's `main`, as the
    /// last call; use
    /// [`run`](App::run) where the process goes on.
    ///
    /// ```no_run
    /// use nephos::{App, RawResource, Stack, StackSettings};
    /// fn main() {
    ///     let mut stack = Stack::new("Queues");
    ///     stack.add("Jobs", RawResource::new("AWS::SQS::Queue"));
    ///     let mut app = App::new();
    ///     app.stack(stack, StackSettings::new("queues-dev"));
    ///     app.run_and_exit()
    /// }
    /// ```
    pub fn run_and_exit(self) -> ! {
        let (ok, assembly) = self.run_keeping();
        // `exit` runs no destructors: `self` and the assembly are never dropped (standard
        // output is still flushed).
        let _kept = (self, assembly);
        std::process::exit(if ok { 0 } else { 1 })
    }

    /// What [`run`](App::run) does, returning whether it succeeded and the assembly
    /// (when synthesized), so the caller decides whether to free it.
    fn run_keeping(&self) -> (bool, Option<Assembly>) {
        let dir = std::env::var_os(OUTDIR_ENV)
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUTDIR));
        match self.synth_stacks().and_then(|mut a| {
            // Which binary wrote it, read at run time: for an app without `app!`, the
            // deployer checks the sources cargo's dep-info beside it lists.
            a.manifest.app_exe = std::env::current_exe()
                .ok()
                .map(|p| p.to_string_lossy().into_owned());
            write_assembly(&a, &dir).map(|()| a)
        }) {
            Ok(assembly) => {
                // One write for the whole summary: standard error is unbuffered, and
                // `eprintln!` writes each piece of a message separately.
                let mut summary = String::new();
                for s in &assembly.manifest.stacks {
                    if let Some(t) = assembly.stacks.get(&s.id) {
                        for w in t.warnings() {
                            let _ = writeln!(summary, "{}: {w}", s.id);
                        }
                    }
                    let _ = writeln!(
                        summary,
                        "synthesized {} -> {}",
                        s.id,
                        dir.join(&s.template_file).display()
                    );
                }
                eprint!("{summary}");
                (true, Some(assembly))
            }
            Err(e) => {
                eprintln!("{e}");
                (false, None)
            }
        }
    }
}

/// Writes a synthesized assembly to `dir`: templates, assets (removing those of earlier
/// keys), then the manifest (last, so a reader never sees a manifest naming files not yet
/// written). Each template is
/// written from its stack's [`Template`], so `templates` may be left empty.
fn write_assembly(assembly: &Assembly, dir: &Path) -> Result<(), AppError> {
    let templates: BTreeMap<&str, &str> = assembly
        .manifest
        .stacks
        .iter()
        .filter_map(|s| {
            let t = assembly.stacks.get(&s.id)?;
            Some((s.template_file.as_str(), t.text()))
        })
        .collect();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| AppError::Io { path, error }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    // Only what an earlier nephos write listed is removed: the directory may hold the
    // user's files (atk s25 4).
    let as_app_error = |(path, error)| AppError::Io { path, error };
    let previous = read_previous(dir).map_err(as_app_error)?;
    if let Some((previous, _)) = &previous {
        for stale in stale_templates(dir, previous, &|f| templates.contains_key(f)) {
            std::fs::remove_file(&stale).map_err(io(&stale))?;
        }
    }
    for (file, text) in templates {
        let path = dir.join(file);
        write_if_changed(&path, text.as_bytes()).map_err(io(&path))?;
    }
    // Every asset the manifest lists, the deployer's builds included: the others are
    // earlier keys' archives.
    let named: BTreeSet<&str> = assembly
        .manifest
        .stacks
        .iter()
        .flat_map(|s| s.assets.iter().map(|a| a.path.as_str()))
        .collect();
    write_assets(dir, &assembly.assets, &named, previous.is_some()).map_err(as_app_error)?;
    let path = dir.join(MANIFEST_FILE);
    let mut manifest = serde_json::to_string_pretty(&assembly.manifest)
        .map_err(|e| std::io::Error::other(e.to_string()))
        .map_err(io(&path))?;
    manifest.push('\n');
    // Always renewed, even unchanged: the deployer tells the assembly of this run from
    // one left by an earlier run by the manifest's modification time. An unchanged
    // manifest (re-synthesizing an unchanged app) only has its modification time set:
    // replacing it costs the filesystem a flush of the new file and the release of the
    // old one's blocks (N=1 users API: about a tenth of the whole process, the bench's
    // runs all rewriting the same assembly).
    if previous
        .as_ref()
        .is_some_and(|(_, bytes)| *bytes == manifest.as_bytes())
        && renew(&path)
    {
        return Ok(());
    }
    // Otherwise written aside and renamed, so a run killed mid-write leaves the old
    // manifest, never a truncated one (which the next write would refuse as not nephos's).
    let aside = dir.join(format!("{MANIFEST_FILE}.{}.tmp", std::process::id()));
    write_new(&aside, manifest.as_bytes()).map_err(io(&aside))?;
    std::fs::rename(&aside, &path).map_err(io(&path))?;
    Ok(())
}

/// Sets the modification time of the regular file at `path` to now; `false` when it
/// cannot, or when `path` is not the regular file that was opened (a link, or replaced
/// meanwhile): the caller then writes the file anew. Nothing is written to the file.
fn renew(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let Ok(file) = std::fs::File::open(path) else {
            return false;
        };
        // The file opened (a link is followed) is the one at the path, itself no link.
        let same = match (file.metadata(), std::fs::symlink_metadata(path)) {
            (Ok(opened), Ok(at)) => {
                at.is_file() && opened.dev() == at.dev() && opened.ino() == at.ino()
            }
            _ => false,
        };
        same && file.set_modified(std::time::SystemTime::now()).is_ok()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Writes `bytes` to a new file at `path`, replacing whatever entry is there (a link is
/// removed, not written through; a directory is an error).
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(std::io::Error::other(
                "a directory is where the file goes: remove it",
            ));
        }
        Ok(_) => std::fs::remove_file(path)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    // `create_new` fails on anything at the path, a link planted since included.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

/// Writes `bytes` to `path` unless the file already holds exactly them. Re-synthesizing
/// an unchanged app is the common case, and truncating and rewriting a large template
/// costs the filesystem more than reading it back (N=70 users API: about a tenth of the
/// whole process). Anything unreadable is replaced, and so is a symbolic link: it may lead
/// out of the assembly, and nothing is written through one.
fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let same = std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && super::same_bytes::file_holds(path, bytes).unwrap_or(false);
    if same {
        return Ok(());
    }
    write_new(path, bytes)
}

fn app_error(message: String, fix: impl Into<String>) -> Diagnostic {
    Diagnostic::error(crate::diagnostic::Location::stack(), message, fix)
}

fn template_file(stack: &Stack) -> String {
    format!("{}.template.json", stack.name())
}
