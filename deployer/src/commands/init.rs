//! `nephos init [DIR]`: a new project in an empty directory.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_OK, write_json};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Format;
use crate::output::escape::escape_line;
use crate::scaffold::source::{NephosSource, check_version};
use crate::scaffold::{Plan, write};

/// `nephos init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project directory: created when missing, refused when not empty.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The package name (default: the directory's name).
    #[arg(long)]
    pub name: Option<String>,
    /// The `nephos` crate from crates.io at this version requirement (the default: this
    /// command's own version).
    #[arg(long, value_name = "VERSION", value_parser = check_version, group = "nephos_source")]
    pub nephos_version: Option<String>,
    /// The `nephos` crate from a local checkout's `dsl/` directory.
    #[arg(long, value_name = "PATH", group = "nephos_source")]
    pub nephos_path: Option<PathBuf>,
    /// The `nephos` crate from a git repository.
    #[arg(long, value_name = "URL", group = "nephos_source", value_parser = git_url)]
    pub nephos_git: Option<String>,
}

/// Runs `init`.
pub fn run(args: &InitArgs, format: Format, ctx: &mut Context<'_>) -> Result<i32> {
    let dir = ctx.cwd.join(&args.dir);
    let name = match &args.name {
        Some(n) => n.clone(),
        None => project_name(&dir)?,
    };
    let nephos = if let Some(p) = &args.nephos_path {
        // Canonical: the manifest and the CI workflow name the checkout once, without `..`.
        let path = std::fs::canonicalize(ctx.cwd.join(p)).map_err(|e| {
            Error::new(format!(
                "--nephos-path {}: {e}",
                escape_line(&p.to_string_lossy())
            ))
        })?;
        if !path.join("Cargo.toml").is_file() {
            return Err(Error::new(format!(
                "--nephos-path {} has no Cargo.toml: pass the `dsl/` directory of a nephos checkout",
                escape_line(&path.to_string_lossy())
            )));
        }
        NephosSource::Path(path)
    } else if let Some(url) = &args.nephos_git {
        NephosSource::Git(url.clone())
    } else {
        let version = args
            .nephos_version
            .clone()
            .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_owned());
        NephosSource::Version(version)
    };
    let plan = Plan { dir, name, nephos };
    let written = write(&plan)?;
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
        "Next: cd {cd} && cargo test --workspace && nephos synth; before the first deploy to an account and region, `nephos bootstrap` (the staging bucket for the handler's zip)"
    )?;
    if let NephosSource::Path(p) = &plan.nephos {
        writeln!(
            ctx.err,
            "note: the project depends on the checkout {} (--nephos-path): its CI workflow (.github/workflows/ci.yml) installs nephos from that path, so it runs only where the checkout is at the same path; for a project you push, use --nephos-git URL or --nephos-version",
            escape_line(&p.to_string_lossy())
        )?;
    }
    Ok(EXIT_OK)
}

/// A git URL as Cargo reads one in a dependency (a URL; https, http, ssh, git or file),
/// with no whitespace or control character to carry into the manifest and the workflow.
fn git_url(s: &str) -> std::result::Result<String, String> {
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a git URL has no spaces or control characters".into());
    }
    let url = url::Url::parse(s).map_err(|e| {
        format!("not a URL ({e}); Cargo takes e.g. https://host/owner/repo.git or ssh://git@host/owner/repo.git")
    })?;
    match url.scheme() {
        "https" | "http" | "ssh" | "git" | "file" => Ok(s.to_owned()),
        other => Err(format!(
            "scheme `{other}`: Cargo fetches git over https, http, ssh, git or file"
        )),
    }
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
