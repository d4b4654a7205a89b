//! `nephos list`: the stacks of the account and region.

use super::{EXIT_OK, write_json};
use crate::cli::Cli;
use crate::commands::spec::{Connected, Next, Run, Spec};
use crate::context::{Backends, Context};
use crate::error::Result;
use crate::output::Format;

/// List the stacks deployed in the account and region (`ls` lists the app's).
#[derive(Debug, clap::Args)]
pub struct ListArgs {}

/// Runs `list`.
pub async fn run(format: Format, ctx: &mut Context<'_>, b: Backends<'_>) -> Result<i32> {
    let stacks = ctx
        .retry
        .call(None, "ListStacks", || b.cfn.list_stacks())
        .await?;
    if format == Format::Json {
        write_json(ctx.out, &stacks)?;
        return Ok(EXIT_OK);
    }
    if stacks.is_empty() {
        writeln!(ctx.out, "no stacks")?;
    }
    let width = stacks.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for s in &stacks {
        writeln!(
            ctx.out,
            "{:width$}  {:28}  {}",
            s.name,
            s.status.as_str(),
            s.updated
        )?;
    }
    Ok(EXIT_OK)
}

impl Spec for ListArgs {
    const NAME: &'static str = "list";
    // AWS reads that never wait on an operation.
    const UNUSED_GLOBALS: &'static [&'static str] = &["timeout"];
}

impl Run for ListArgs {
    type Prepared = ();

    async fn start(&self, _cli: &Cli, _ctx: &mut Context<'_>) -> Result<Next<Self::Prepared>> {
        Ok(Next::Connect(()))
    }

    async fn run(
        &self,
        (): (),
        cli: &Cli,
        ctx: &mut Context<'_>,
        aws: Connected<'_>,
    ) -> Result<i32> {
        run(cli.output, ctx, aws.backends).await
    }
}
