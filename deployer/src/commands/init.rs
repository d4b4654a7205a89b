//! `nephos init [DIR]`: a new project in an empty directory.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_OK, write_json};
use crate::cli::Cli;
use crate::commands::spec::{Local, Spec};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Format;
use crate::output::escape::escape_line;
use crate::scaffold::source::{
    EXPRESSION, EXPRESSION_WHY, NephosSource, check_git_url, check_version,
};
use crate::scaffold::{Plan, write};

/// Start a project in an empty directory: an app, a Rust handler, a snapshot test,
/// nephos.json and a CI workflow.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project directory: created when missing, refused when not empty.
    #[arg(default_value = ".", value_parser = crate::cli::values::non_blank_path)]
    pub dir: PathBuf,
    /// The package name (default: the directory's name).
    #[arg(long, value_parser = crate::cli::values::non_blank)]
    pub name: Option<String>,
    /// The `nephos` crate from crates.io at this version requirement. Refused (and hidden
    /// from `--help`) until the crates are published: see `CRATES_PUBLISHED`.
    #[arg(long, value_name = "VERSION", value_parser = check_version, group = "nephos_source", hide = !CRATES_PUBLISHED)]
    pub nephos_version: Option<String>,
    /// The `nephos` crate from a local checkout's `dsl/` directory.
    #[arg(long, value_name = "PATH", group = "nephos_source", value_parser = crate::cli::values::non_blank_path)]
    pub nephos_path: Option<PathBuf>,
    /// The `nephos` crate from a git repository.
    #[arg(long, value_name = "URL", value_parser = check_git_url, group = "nephos_source")]
    pub nephos_git: Option<String>,
}

/// Whether the crates `nephos` and `nephos-cli` are published on crates.io. Until they
/// are, a project that names them by version builds whatever a stranger registers under
/// those names, and its CI runs that stranger's `nephos-cli` with the job's AWS role; so
/// `--nephos-version` is refused (attack finding 6).
pub const CRATES_PUBLISHED: bool = false;

/// Why `--nephos-version` is refused while [`CRATES_PUBLISHED`] is false.
pub const VERSION_REFUSED: &str = "--nephos-version: the crates `nephos` and `nephos-cli` are not published on crates.io yet, so anyone may register those names, and a project naming them would build that code and run its `nephos-cli` in CI with your AWS role; pass --nephos-git URL (a git repository of nephos) or --nephos-path DIR instead";

/// Why `init` without a source flag is refused, and what to pass instead (atk15b 3).
pub const UNPUBLISHED: &str = "nephos init needs to know where the `nephos` crate comes from: pass --nephos-path DIR (the `dsl/` directory of a nephos checkout) or --nephos-git URL (a git repository of nephos). There is no default: the crates `nephos` and `nephos-cli` are not published on crates.io yet, and a name nobody owns there can be registered by anyone, whose code would then build in the project and run in its CI.";

/// Checks that `dsl` (canonical) is the `dsl/` directory of a nephos checkout: its
/// manifest is the package `nephos`, and the CI workflow's install step finds the package
/// `nephos-cli` in `deployer/` beside it (attack finding 9: the checkout's root was taken,
/// and the project could not build).
///
/// # Errors
/// A manifest that is missing, unreadable, not TOML, or of another package, naming the
/// directory to pass instead.
fn check_checkout(dsl: &std::path::Path) -> Result<()> {
    let shown = escape_line(&dsl.to_string_lossy()).into_owned();
    let name_of = |manifest: &std::path::Path| -> std::result::Result<Option<String>, String> {
        let text = std::fs::read_to_string(manifest).map_err(|e| e.to_string())?;
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| e.message().to_owned())?;
        Ok(table
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(toml::Value::as_str)
            .map(str::to_owned))
    };
    let fix = |what: String| {
        let hint = if dsl.join("dsl/Cargo.toml").is_file() {
            format!(" (did you mean {}/dsl?)", shown)
        } else {
            String::new()
        };
        Error::new(format!(
            "--nephos-path {shown}: {what}: pass the `dsl/` directory of a nephos checkout{hint}"
        ))
    };
    match name_of(&dsl.join("Cargo.toml")) {
        Ok(Some(n)) if n == "nephos" => {}
        Ok(Some(n)) => {
            return Err(fix(format!(
                "its Cargo.toml is the package `{}`, not `nephos`",
                escape_line(&n)
            )));
        }
        Ok(None) => return Err(fix("its Cargo.toml names no package".to_owned())),
        Err(e) => {
            return Err(fix(format!(
                "its Cargo.toml cannot be read ({})",
                escape_line(&e)
            )));
        }
    }
    let deployer = dsl.parent().unwrap_or(dsl).join("deployer/Cargo.toml");
    match name_of(&deployer) {
        Ok(Some(n)) if n == "nephos-cli" => Ok(()),
        _ => Err(fix(format!(
            "{} is not the package `nephos-cli`, which the CI workflow installs from beside it",
            escape_line(&deployer.to_string_lossy())
        ))),
    }
}

/// Runs `init`.
pub fn run(args: &InitArgs, format: Format, ctx: &mut Context<'_>) -> Result<i32> {
    let dir = ctx.cwd.join(&args.dir);
    let name = match &args.name {
        Some(n) => n.clone(),
        None => project_name(&dir)?,
    };
    let nephos = if let Some(p) = &args.nephos_path {
        let given = ctx.cwd.join(p);
        // Canonical: `../x/dsl` is written as the directory it names, not as typed.
        let path = std::fs::canonicalize(&given).map_err(|e| {
            Error::new(format!(
                "--nephos-path {}: {e}: pass the `dsl/` directory of a nephos checkout",
                escape_line(&given.to_string_lossy())
            ))
        })?;
        if path.to_string_lossy().contains(EXPRESSION) {
            return Err(Error::new(format!(
                "--nephos-path {} {EXPRESSION_WHY}: pass a path without it",
                escape_line(&path.to_string_lossy())
            )));
        }
        check_checkout(&path)?;
        NephosSource::Path(path)
    } else if let Some(url) = &args.nephos_git {
        NephosSource::Git(url.clone())
    } else if let Some(version) = &args.nephos_version {
        if !CRATES_PUBLISHED {
            return Err(Error::new(VERSION_REFUSED));
        }
        NephosSource::Version(version.clone())
    } else {
        // Fail closed: a default of crates.io names nobody owns yet would build whatever
        // code their first registrant publishes, in every default project and its CI.
        return Err(Error::new(UNPUBLISHED));
    };
    // Pinned so CI and laptops compute one asset key (the key includes `rustc -vV`).
    let rust_version = crate::scaffold::toolchain::detect()?;
    let plan = Plan {
        dir,
        name,
        nephos,
        rust_version,
    };
    let written = write(&plan)?;
    if plan.nephos.is_machine_local() {
        writeln!(
            ctx.err,
            "warning: --nephos-path: the project (and its CI workflow) builds only where that checkout is; before sharing it, use --nephos-git (see the note atop .github/workflows/ci.yml)"
        )?;
    }
    let shown = escape_line(&plan.dir.to_string_lossy()).into_owned();
    if format == Format::Json {
        write_json(
            ctx.out,
            &serde_json::json!({"dir": shown, "name": plan.name, "files": written}),
        )?;
        return Ok(EXIT_OK);
    }
    writeln!(ctx.out, "Created {} in {shown}:", plan.name)?;
    for f in &written {
        writeln!(ctx.out, "  {f}")?;
    }
    let cd = shlex::try_quote(&args.dir.to_string_lossy())
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| shown.clone());
    writeln!(
        ctx.out,
        "Next: cd {cd} && cargo fetch && cargo test --workspace && nephos synth (`cargo fetch` downloads every crate the lockfile names: synth reads the handler's dependency graph offline); to deploy: `nephos bootstrap` (once per account and region: the staging bucket for the handler's zip), then `nephos deploy`"
    )?;
    Ok(EXIT_OK)
}

/// The default name: the directory's last component, checked as a package name.
fn project_name(dir: &std::path::Path) -> Result<String> {
    let absolute = std::path::absolute(dir).map_err(|e| Error::new(e.to_string()))?;
    absolute
        .components()
        .next_back()
        .and_then(|c| c.as_os_str().to_str())
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::new(format!(
                "cannot take a project name from {}: pass --name",
                escape_line(&dir.to_string_lossy())
            ))
        })
}

impl Spec for InitArgs {
    const NAME: &'static str = "init";
    // No AWS call, no nephos.json.
    const UNUSED_GLOBALS: &'static [&'static str] =
        &["region", "profile", "timeout", "environment"];
}

impl Local for InitArgs {
    async fn run_local(&self, cli: &Cli, ctx: &mut Context<'_>) -> Result<i32> {
        run(self, cli.output, ctx)
    }
}
