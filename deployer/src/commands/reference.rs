//! `nephos completions SHELL` and `nephos man`: generated from the clap definition, so
//! they list exactly the commands and flags that parse.

use super::EXIT_OK;
use crate::cli::Cli;
use crate::cli::command as cli_command;
use crate::commands::spec::{Local, Spec};
use crate::context::Context;
use crate::error::{Error, Result};

/// Print a shell completion script, e.g. `nephos completions bash > ~/.local/share/bash-completion/completions/nephos`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// Print a man page (roff): nephos(1), or a command's, e.g. `nephos man watch >
/// nephos-watch.1 && man ./nephos-watch.1`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The command whose page to print (`watch` prints nephos-watch(1)); none: nephos(1).
    #[arg(value_parser = crate::cli::values::non_blank)]
    pub command: Option<String>,
}

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, ctx: &mut Context<'_>) -> Result<i32> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli_command(), "nephos", &mut script);
    ctx.out.write_all(&script)?;
    Ok(EXIT_OK)
}

/// Writes the man page of `nephos` (roff), or of one subcommand (`nephos man watch` is
/// `nephos-watch(1)`, the page `nephos(1)`'s SEE ALSO names).
///
/// # Errors
/// An unknown subcommand (naming the known ones), or a failed write.
pub fn man(command: Option<&str>, ctx: &mut Context<'_>) -> Result<i32> {
    ctx.out.write_all(&man_page(command)?)?;
    Ok(EXIT_OK)
}

/// The roff of [`man`]'s page.
///
/// # Errors
/// An unknown subcommand, naming the known ones.
///
/// # Example
/// ```
/// use nephos_cli::commands::reference::man_page;
/// let page = String::from_utf8(man_page(Some("watch")).unwrap()).unwrap();
/// assert!(page.contains("nephos\\-watch"));
/// ```
pub fn man_page(command: Option<&str>) -> Result<Vec<u8>> {
    let mut cli = cli_command().disable_help_subcommand(true);
    // Built, each subcommand carries its page name (`nephos-watch`), as in the SEE ALSO
    // list of the main page.
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => cli.find_subcommand(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = cli.get_subcommands().map(clap::Command::get_name).collect();
            Error::new(format!(
                "`nephos man {}`: there is no such command; the pages are nephos and: {}",
                crate::output::escape::escape_line(name),
                known.join(", ")
            ))
        })?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| Error::new(format!("cannot render the man page: {e}")))?;
    Ok(out)
}

impl Spec for CompletionsArgs {
    const NAME: &'static str = "completions";
    // A script or a page: neither text nor JSON (`--color` is kept: a page is never coloured, whatever it says, so every value of it holds).
    const UNUSED_GLOBALS: &'static [&'static str] =
        &["region", "profile", "timeout", "environment", "output"];
}

impl Local for CompletionsArgs {
    async fn run_local(&self, _: &Cli, ctx: &mut Context<'_>) -> Result<i32> {
        completions(self.shell, ctx)
    }
}

impl Spec for ManArgs {
    const NAME: &'static str = "man";
    // A script or a page: neither text nor JSON (`--color` is kept: a page is never coloured, whatever it says, so every value of it holds).
    const UNUSED_GLOBALS: &'static [&'static str] =
        &["region", "profile", "timeout", "environment", "output"];
}

impl Local for ManArgs {
    async fn run_local(&self, _: &Cli, ctx: &mut Context<'_>) -> Result<i32> {
        man(self.command.as_deref(), ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(command: Option<&str>) -> String {
        String::from_utf8(man_page(command).unwrap()).unwrap()
    }

    /// atk15 M: `nephos(1)` named `nephos-watch(1)` and others in SEE ALSO, and nothing
    /// could print them; no subcommand's options were in any page.
    #[test]
    fn every_page_the_main_page_names_can_be_printed_with_its_options() {
        let main = page(None);
        let cli = cli_command();
        for sub in cli.get_subcommands().map(clap::Command::get_name) {
            if sub == "help" {
                continue;
            }
            let named = format!("nephos\\-{}(1)", sub.replace('-', "\\-"));
            assert!(main.contains(&named), "{named} not in SEE ALSO");
            let text = page(Some(sub));
            assert!(
                text.contains(&format!("nephos\\-{}", sub.replace('-', "\\-"))),
                "{sub}: {text}"
            );
        }
        let watch = page(Some("watch"));
        assert!(
            watch.contains("hotswap") && watch.contains("allow\\-replace"),
            "{watch}"
        );
        assert!(page(Some("logs")).contains("follow"));
        let e = man_page(Some("bogus\u{1b}")).unwrap_err().to_string();
        assert!(
            e.contains("no such command") && e.contains("watch") && !e.contains('\u{1b}'),
            "{e}"
        );
    }
}
