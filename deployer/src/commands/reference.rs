//! `nephos completions SHELL` and `nephos man`: generated from the clap definition, so
//! they list exactly the commands and flags that parse.

use clap::CommandFactory;

use super::EXIT_OK;
use crate::cli::Cli;
use crate::context::Context;
use crate::error::{Error, Result};

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, ctx: &mut Context<'_>) -> Result<i32> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "nephos", &mut script);
    ctx.out.write_all(&script)?;
    Ok(EXIT_OK)
}

/// Writes the man page of `nephos` (roff): options, and the subcommands with their summaries.
pub fn man(ctx: &mut Context<'_>) -> Result<i32> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Error::new(format!("cannot render the man page: {e}")))?;
    ctx.out.write_all(&page)?;
    Ok(EXIT_OK)
}
