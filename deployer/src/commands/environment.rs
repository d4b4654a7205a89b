//! `--env NAME`: applies an environment of `nephos.json` to the parsed command line before
//! anything runs.

use crate::cli::Cli;
use crate::commands::parameters::EnvironmentParameters;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use crate::source::config;
use crate::watch::config::SelectedEnvironment;

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
        if cli.command.changes_or_reviews() {
            return Err(Error::with_next(
                format!(
                    "NEPHOS_ENV is set but empty: `nephos {}` will not guess which environment is meant",
                    cli.command.name()
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
    if cli.profile.is_none()
        && let Some(p) = &env.profile
    {
        crate::cli::values::non_blank(p).map_err(|why| {
            Error::with_next(
                format!("environment {}: \"profile\": {why}", escape_line(&name)),
                format!("fix its \"profile\" in {file} (or remove it for the default), or pass --profile"),
            )
        })?;
        cli.profile = Some(p.clone());
        cli.profile_from_environment = true;
    }
    // Kept apart from `--parameter`, so an error names where a value came from.
    let parameters = EnvironmentParameters {
        environment: name.clone(),
        values: env.parameters.clone(),
    };
    let selected = SelectedEnvironment {
        name: name.clone(),
        settings: env.clone(),
        region_flag,
        profile_flag,
    };
    cli.command.take_environment(&selected, &parameters);
    if let Some(source) = cli.command.source_mut() {
        source.environment = Some(name.clone());
    }
    tracing::info!(environment = %name, region = ?cli.region, profile = ?cli.profile, "environment selected");
    Ok(())
}

/// Global options a command has no use for ([`crate::cli::unused_globals`]: the same
/// table hides them from its help): refused when given, rather than silently dropped. An
/// exported `NEPHOS_ENV` does not concern a command that reads no `nephos.json` (it is
/// dropped).
///
/// # Errors
/// The options given, why the command does not use them, and where such settings belong.
pub fn offline_flags(cli: &mut Cli) -> Result<()> {
    let command = cli.command.name();
    let unused = crate::cli::unused_globals(command);
    if cli.environment_from_env && unused.contains(&"environment") {
        cli.environment = None;
    }
    let given = |id: &str| match id {
        "region" => cli.region.is_some(),
        "profile" => cli.profile.is_some(),
        "timeout" => cli.timeout.is_some(),
        "environment" => cli.environment.is_some(),
        other => cli.given_globals.contains(&other),
    };
    let refused: Vec<&str> = unused.iter().copied().filter(|id| given(id)).collect();
    if refused.is_empty() {
        return Ok(());
    }
    let mut reasons: Vec<&str> = Vec::new();
    for id in &refused {
        let why = match *id {
            "region" | "profile" => "it calls no AWS API",
            "timeout" => "it waits on no CloudFormation operation",
            "environment" => "it reads no nephos.json",
            _ => "it prints a script or a page, neither text nor JSON",
        };
        if !reasons.contains(&why) {
            reasons.push(why);
        }
    }
    let flags: Vec<String> = refused.iter().map(|id| flag(id)).collect();
    let next = if refused
        .iter()
        .any(|id| ["region", "profile", "environment"].contains(id))
    {
        "drop them; an environment's region and profile go in nephos.json (\"environments\": {\"dev\": {\"region\": \"...\", \"profile\": \"...\"}}) and are selected with --env on deploy, diff and watch"
    } else {
        "drop them"
    };
    Err(Error::with_next(
        format!(
            "`nephos {command}` does not use {}: {}",
            flags.join(", "),
            reasons.join(", and ")
        ),
        next,
    ))
}

/// The flag of a global option's id.
fn flag(id: &str) -> String {
    match id {
        "environment" => "--env".to_owned(),
        other => format!("--{other}"),
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

    /// Issue 15: `nephos init --help` listed global flags init refuses. Each command's help
    /// lists exactly the global flags it accepts; each one it does not list is refused by
    /// name when given.
    #[test]
    fn every_command_lists_the_global_flags_it_accepts_and_refuses_the_others() {
        let root = crate::cli::command();
        let value = |id: &str| match id {
            "region" => "eu-west-1",
            "profile" => "p",
            "timeout" => "5",
            "environment" => "prod",
            "output" => "json",
            _ => "never",
        };
        let mut refusals = 0;
        for sub in root.get_subcommands() {
            let name = sub.get_name();
            let positionals: Vec<&str> = sub
                .get_positionals()
                .filter(|p| p.is_required_set())
                .map(|p| if p.get_id() == "shell" { "bash" } else { "api" })
                .collect();
            let mut line = vec!["nephos", name];
            line.extend(&positionals);
            let help = Cli::from_args(line.iter().copied().chain(["--help"]))
                .unwrap_err()
                .render()
                .to_string();
            let unused = crate::cli::unused_globals(name);
            for g in root.get_arguments().filter(|a| a.is_global_set()) {
                let id = g.get_id().as_str();
                let long = format!("--{}", g.get_long().unwrap());
                // An option's own line: `--long <VALUE>`, or `-s, --long`.
                let listed = help.lines().map(str::trim_start).any(|l| {
                    let l = l
                        .split_once(", ")
                        .map_or(l, |(short, rest)| if short.len() == 2 { rest } else { l });
                    l.strip_prefix(&long)
                        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '.']))
                });
                assert_eq!(
                    listed,
                    !unused.contains(&id),
                    "{name} --help and {long}:\n{help}"
                );
                if !unused.contains(&id) {
                    continue;
                }
                let flag = format!("--{}", g.get_long().unwrap());
                let mut given = line.clone();
                given.extend([flag.as_str(), value(id)]);
                let mut cli = parsed(&given[1..]);
                let e = select_in(&mut cli, std::path::Path::new("/nonexistent"))
                    .expect_err(&format!("{given:?} was accepted"))
                    .to_string();
                assert!(
                    e.contains("does not use") && e.contains(&flag),
                    "{given:?}: {e}"
                );
                refusals += 1;
            }
        }
        assert!(refusals >= 20, "{refusals}");
        // What `init --help` showed before: the four AWS and environment flags.
        let help = Cli::from_args(["nephos", "init", "--help"])
            .unwrap_err()
            .render()
            .to_string();
        for hidden in ["--region", "--profile", "--timeout", "--env"] {
            assert!(!help.contains(hidden), "{help}");
        }
        assert!(help.contains("--output"), "{help}");
    }

    /// Issue 15: a blank profile is refused wherever it comes from, naming the source.
    #[test]
    fn a_blank_profile_in_nephos_json_is_refused_naming_the_environment() {
        let dir = std::env::temp_dir().join(format!("nephos-env-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("nephos.json"),
            r#"{"environments": {"dev": {"profile": " "}}}"#,
        )
        .unwrap();
        let e = select_in(&mut parsed(&["--env", "dev", "list"]), &dir)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("environment dev: \"profile\": it is only whitespace"),
            "{e}"
        );
        // --profile wins, and the file's value is not used.
        select_in(
            &mut parsed(&["--env", "dev", "list", "--profile", "p"]),
            &dir,
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
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
        let crate::cli::Command::Watch(a) = &cli.command else {
            panic!()
        };
        assert_eq!(a.parameters, ["Size=3"]);
        let env = a.environment_parameters.as_ref().unwrap();
        assert_eq!(env.environment, "dev");
        assert_eq!(env.values.len(), 2);
        let selected = a.environment.as_ref().unwrap();
        assert_eq!(selected.settings.region.as_deref(), Some("us-east-1"));
        assert!(!selected.region_flag);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
