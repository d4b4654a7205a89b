//! `nephos synth`: run the app, summarise (or print) what it wrote.

use clap::Args;
use serde_json::json;

use super::{EXIT_OK, write_json};
use crate::cli::{Cli, SourceArgs};
use crate::commands::spec::{Local, Spec};
use crate::context::Context;
use crate::error::Result;
use crate::output::Format;
use crate::source::app::load;

/// Run the app and write its cloud assembly; print a summary (or the templates).
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Where stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print the templates instead of a summary.
    #[arg(long)]
    pub print: bool,
}

/// Runs `synth`.
pub fn run(args: &SynthArgs, format: Format, ctx: &mut Context<'_>) -> Result<i32> {
    let mut stacks = crate::source::assembly::select(load(&args.source, &ctx.cwd, ctx.err)?, &[])?;
    crate::build::ensure_built(&mut stacks, ctx.err)?;
    if args.print {
        for s in &stacks {
            if stacks.len() > 1 && format == Format::Text {
                writeln!(
                    ctx.out,
                    "# {} ({})",
                    s.artifact.stack_name, s.artifact.template_file
                )?;
            }
            writeln!(ctx.out, "{}", s.body.trim_end())?;
        }
        return Ok(EXIT_OK);
    }
    let rows: Vec<_> = stacks
        .iter()
        .map(|s| {
            let resources = s
                .template
                .get("Resources")
                .and_then(|r| r.as_object())
                .map_or(0, |m| m.len());
            json!({
                "id": s.artifact.id,
                "stackName": s.artifact.stack_name,
                "templateFile": s.dir.join(&s.artifact.template_file).display().to_string(),
                "resources": resources,
                "bytes": s.body.len(),
                "assets": s.artifact.assets.len(),
                "dependencies": s.artifact.dependencies,
            })
        })
        .collect();
    if format == Format::Json {
        write_json(ctx.out, &json!({"stacks": rows}))?;
        return Ok(EXIT_OK);
    }
    for (s, r) in stacks.iter().zip(&rows) {
        let deps = if s.artifact.dependencies.is_empty() {
            String::new()
        } else {
            format!(", after {}", s.artifact.dependencies.join(", "))
        };
        writeln!(
            ctx.out,
            "{}: {} resources, {} bytes, {}{deps}",
            s.artifact.stack_name,
            r["resources"],
            r["bytes"],
            r["templateFile"].as_str().unwrap_or_default()
        )?;
    }
    Ok(EXIT_OK)
}

impl Spec for SynthArgs {
    const NAME: &'static str = "synth";
    // Runs the app (which is told NEPHOS_ENV): no AWS call, no wait.
    const UNUSED_GLOBALS: &'static [&'static str] = &["region", "profile", "timeout"];

    fn source_mut(&mut self) -> Option<&mut SourceArgs> {
        Some(&mut self.source)
    }
}

impl Local for SynthArgs {
    async fn run_local(&self, cli: &Cli, ctx: &mut Context<'_>) -> Result<i32> {
        run(self, cli.output, ctx)
    }
}
