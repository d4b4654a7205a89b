//! `--env NAME`: applies an environment of `nephos.json` to the parsed command line before
//! anything runs.

use crate::cli::{Cli, Command, SourceArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use crate::source::config;

/// Applies the environment `cli` names (if any): region and profile where the command
/// line has none, parameters of `diff` and `deploy` whose keys the command line does not
/// give, and the name for the app's `NEPHOS_ENV`.
///
/// # Errors
/// No `nephos.json`, no such environment in it, or an invalid region.
pub fn select(cli: &mut Cli, ctx: &mut Context<'_>) -> Result<()> {
    let Some(name) = cli.environment.clone() else {
        return Ok(());
    };
    let file = crate::source::app::CONFIG_FILE;
    let config = config::load(&ctx.cwd)?.ok_or_else(|| {
        let name = escape_line(&name);
        Error::with_next(
            format!("--env {name}: there is no {file} here to define it"),
            format!("run nephos where {file} is, write one with {{\"environments\": {{\"{name}\": {{\"region\": \"...\"}}}}}}, or drop --env (and NEPHOS_ENV)"),
        )
    })?;
    let env = config.environment(&name)?.clone();
    if cli.region.is_none()
        && let Some(r) = &env.region
    {
        crate::cli::region_name(r).map_err(|why| {
            Error::with_next(
                format!("environment {}: region {why}", escape_line(&name)),
                format!("fix its \"region\" in {file}, or pass --region"),
            )
        })?;
        cli.region = Some(r.clone());
    }
    if cli.profile.is_none() {
        cli.profile.clone_from(&env.profile);
    }
    let given_keys = |given: &[String]| -> Vec<String> {
        given
            .iter()
            .filter_map(|kv| kv.split_once('=').map(|(k, _)| k.to_owned()))
            .collect()
    };
    let merge = |given: &mut Vec<String>| {
        let keys = given_keys(given);
        let from_env = env
            .parameters
            .iter()
            .filter(|(k, _)| !keys.contains(k))
            .map(|(k, v)| format!("{k}={v}"));
        let mut merged: Vec<String> = from_env.collect();
        merged.append(given);
        *given = merged;
    };
    match &mut cli.command {
        Command::Deploy(a) => merge(&mut a.parameters),
        Command::Diff(a) => merge(&mut a.parameters),
        Command::Watch(a) => merge(&mut a.parameters),
        _ => {}
    }
    if let Some(source) = source_of(&mut cli.command) {
        source.environment = Some(name.clone());
    }
    tracing::info!(environment = %name, region = ?cli.region, profile = ?cli.profile, "environment selected");
    Ok(())
}

fn source_of(command: &mut Command) -> Option<&mut SourceArgs> {
    match command {
        Command::Synth(a) => Some(&mut a.source),
        Command::Diff(a) => Some(&mut a.source),
        Command::Deploy(a) => Some(&mut a.source),
        Command::Destroy(a) => Some(&mut a.source),
        Command::Ls(a) => Some(&mut a.source),
        Command::Watch(a) => Some(&mut a.source),
        _ => None,
    }
}
