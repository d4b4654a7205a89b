//! `--env NAME`: applies an environment of `nephos.json` to the parsed command line before
//! anything runs.

use crate::cli::{Cli, Command, SourceArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use crate::source::config;
use crate::watch::config::{SelectedEnvironment, merge_parameters};

/// Applies the environment `cli` names (if any): region and profile where the command
/// line has none, parameters of `diff` and `deploy` whose keys the command line does not
/// give, and the name for the app's `NEPHOS_ENV`. `watch` also keeps what it started with
/// ([`SelectedEnvironment`]), to check `nephos.json` against before each run.
///
/// Commands that neither call AWS nor read `nephos.json` (`init`, `completions`, `man`)
/// ignore `NEPHOS_ENV` and refuse the AWS flags given to them ([`offline_flags`]). A
/// `NEPHOS_ENV` that is set but empty counts as unset, except for `deploy`, `destroy`,
/// `diff` and `watch`, which refuse it.
///
/// # Errors
/// No `nephos.json`, no such environment in it, an invalid region, AWS flags given to
/// a command that has no use for them, or an empty `NEPHOS_ENV` for a command that
/// changes or reviews infrastructure.
pub fn select(cli: &mut Cli, ctx: &mut Context<'_>) -> Result<()> {
    select_in(cli, &ctx.cwd)
}

/// [`select`] with `nephos.json` read from `cwd`.
///
/// # Errors
/// As [`select`].
pub fn select_in(cli: &mut Cli, cwd: &std::path::Path) -> Result<()> {
    offline_flags(cli)?;
    if cli.environment_from_env && cli.environment.as_deref() == Some("") {
        // A CI job whose environment variable went missing exports it empty: read as
        // "no environment", a deploy would go to the default account and region unsaid.
        if let Some(command) = changes_or_reviews(&cli.command) {
            return Err(Error::with_next(
                format!(
                    "NEPHOS_ENV is set but empty: `nephos {command}` will not guess which environment is meant"
                ),
                "set NEPHOS_ENV to an environment of nephos.json (or pass --env NAME), or unset it to use the default region and profile",
            ));
        }
        cli.environment = None;
    }
    let Some(name) = cli.environment.clone() else {
        return Ok(());
    };
    let file = crate::source::app::CONFIG_FILE;
    let config = config::load(cwd)?.ok_or_else(|| {
        let name = escape_line(&name);
        Error::with_next(
            format!("--env {name}: there is no {file} here to define it"),
            format!("run nephos where {file} is, write one with {{\"environments\": {{\"{name}\": {{\"region\": \"...\"}}}}}}, or drop --env (and NEPHOS_ENV)"),
        )
    })?;
    let env = config.environment(&name)?.clone();
    let region_flag = cli.region.is_some();
    let profile_flag = cli.profile.is_some();
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
        cli.region_from_environment = true;
    }
    if cli.profile.is_none() && env.profile.is_some() {
        cli.profile.clone_from(&env.profile);
        cli.profile_from_environment = true;
    }
    match &mut cli.command {
        Command::Deploy(a) => a.parameters = merge_parameters(&env, &a.parameters),
        Command::Diff(a) => a.parameters = merge_parameters(&env, &a.parameters),
        Command::Watch(a) => {
            a.environment = Some(SelectedEnvironment {
                name: name.clone(),
                settings: env.clone(),
                region_flag,
                profile_flag,
                given_parameters: a.parameters.clone(),
            });
            a.parameters = merge_parameters(&env, &a.parameters);
        }
        _ => {}
    }
    if let Some(source) = source_of(&mut cli.command) {
        source.environment = Some(name.clone());
    }
    tracing::info!(environment = %name, region = ?cli.region, profile = ?cli.profile, "environment selected");
    Ok(())
}

/// `init`, `completions` and `man` call no AWS API and read no `nephos.json`: an exported
/// `NEPHOS_ENV` does not concern them (it is dropped), and `--region`, `--profile`,
/// `--timeout` or `--env` given to them are refused rather than silently dropped.
///
/// # Errors
/// The flags given, and where such settings belong.
pub fn offline_flags(cli: &mut Cli) -> Result<()> {
    let command = match &cli.command {
        Command::Init(_) => "init",
        Command::Completions { .. } => "completions",
        Command::Man { .. } => "man",
        _ => return Ok(()),
    };
    if cli.environment_from_env {
        cli.environment = None;
    }
    let given: Vec<&str> = [
        ("--region", cli.region.is_some()),
        ("--profile", cli.profile.is_some()),
        ("--timeout", cli.timeout.is_some()),
        ("--env", cli.environment.is_some()),
    ]
    .into_iter()
    .filter_map(|(flag, set)| set.then_some(flag))
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(Error::with_next(
        format!(
            "`nephos {command}` does not use {}: it calls no AWS API and reads no nephos.json",
            given.join(", ")
        ),
        "drop them; an environment's region and profile go in nephos.json (\"environments\": {\"dev\": {\"region\": \"...\", \"profile\": \"...\"}}) and are selected with --env on deploy, diff and watch",
    ))
}

/// The commands that change infrastructure or review a change against what is deployed:
/// for them an empty `NEPHOS_ENV` is an error, not "none".
fn changes_or_reviews(command: &Command) -> Option<&'static str> {
    match command {
        Command::Deploy(_) => Some("deploy"),
        Command::Destroy(_) => Some("destroy"),
        Command::Diff(_) => Some("diff"),
        Command::Watch(_) => Some("watch"),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Cli {
        Cli::from_args(std::iter::once("nephos").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// atk15 K: `init --region/--profile` were accepted and written nowhere.
    #[test]
    fn aws_flags_on_offline_commands_are_refused_by_name() {
        for args in [
            &["init", "x", "--region", "eu-west-1", "--profile", "p"][..],
            &["completions", "bash", "--timeout", "5"],
            &["man", "--env", "prod"],
        ] {
            let mut cli = parsed(args);
            let e = select_in(&mut cli, std::path::Path::new("/nonexistent"))
                .unwrap_err()
                .to_string();
            assert!(e.contains("does not use --"), "{args:?}: {e}");
        }
        let e = select_in(
            &mut parsed(&["init", "x", "--region", "eu-west-1", "--profile", "p"]),
            std::path::Path::new("/nonexistent"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("--region, --profile"), "{e}");
    }

    /// atk15 K: an exported NEPHOS_ENV broke `completions`, `man` and `init`; set but
    /// empty, it was an error for every command.
    #[test]
    fn an_exported_environment_is_dropped_where_unused_and_empty_means_unset() {
        let nowhere = std::path::Path::new("/nonexistent");
        for args in [&["completions", "bash"][..], &["man"], &["init", "x"]] {
            let mut cli = parsed(args);
            cli.environment = Some("prod".into());
            cli.environment_from_env = true;
            select_in(&mut cli, nowhere).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert_eq!(cli.environment, None);
        }
        let mut cli = parsed(&["synth"]);
        cli.environment = Some(String::new());
        cli.environment_from_env = true;
        select_in(&mut cli, nowhere).unwrap();
        assert_eq!(cli.environment, None);
        // Empty, for a command that changes or reviews a stack: refused, never the default.
        for args in [&["deploy"][..], &["destroy", "s"], &["diff"], &["watch"]] {
            let mut cli = parsed(args);
            cli.environment = Some(String::new());
            cli.environment_from_env = true;
            let e = select_in(&mut cli, nowhere).unwrap_err().to_string();
            assert!(e.contains("NEPHOS_ENV is set but empty"), "{args:?}: {e}");
        }
        // Still an error when it names an environment for a command that uses it.
        let mut cli = parsed(&["synth"]);
        cli.environment = Some("prod".into());
        cli.environment_from_env = true;
        assert!(select_in(&mut cli, nowhere).is_err());
    }

    /// atk15 E: watch keeps the command line's parameters apart from the environment's,
    /// so an edited nephos.json can be merged again before a run.
    #[test]
    fn watch_keeps_what_the_environment_gave_at_start() {
        let dir = std::env::temp_dir().join(format!("nephos-env-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("nephos.json"),
            r#"{"environments": {"dev": {"region": "us-east-1", "parameters": {"Mode": "one", "Size": "1"}}}}"#,
        )
        .unwrap();
        let mut cli = parsed(&["--env", "dev", "watch", "--parameter", "Size=3"]);
        select_in(&mut cli, &dir).unwrap();
        let Command::Watch(a) = &cli.command else {
            panic!()
        };
        assert_eq!(a.parameters, ["Mode=one", "Size=3"]);
        let selected = a.environment.as_ref().unwrap();
        assert_eq!(selected.given_parameters, ["Size=3"]);
        assert_eq!(selected.settings.region.as_deref(), Some("us-east-1"));
        assert!(!selected.region_flag);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
