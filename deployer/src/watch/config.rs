//! `nephos.json` during a watch: read again before every run, so a saved edit either
//! applies or is refused with the reason; never ignored while the run says "unchanged".
//!
//! What applies: the selected environment's parameters (and the app command, which every
//! run reads anyway). What is refused: a change of the environment's region or profile,
//! since the clients, the account header and the staging bucket were set up for the target
//! watch started with; deploying elsewhere mid-watch would be a surprise (restart watch to
//! switch). What is said: a change of the `watch` patterns, which apply on restart.

use std::path::Path;

use crate::commands::parameters::EnvironmentParameters;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;
use crate::source::app::CONFIG_FILE;
use crate::source::config::{self, Environment, WatchConfig};

/// The environment `--env`/`NEPHOS_ENV` selected, as applied when the command started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SelectedEnvironment {
    /// Its name.
    pub name: String,
    /// Its settings as `nephos.json` had them.
    pub settings: Environment,
    /// Whether `--region` was given (then the environment's region does not apply).
    pub region_flag: bool,
    /// Whether `--profile` was given (then the environment's profile does not apply).
    pub profile_flag: bool,
}

/// What watch started with.
#[derive(Clone, Debug, Default)]
pub struct StartedWith {
    /// The selected environment, if any.
    pub environment: Option<SelectedEnvironment>,
    /// The `watch` patterns the file filter was built from.
    pub watch: WatchConfig,
}

/// What the next run uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reread {
    /// The environment's parameters for the run, as the file has them now (the command
    /// line's `--parameter`s still win over them).
    pub parameters: Option<EnvironmentParameters>,
    /// Lines to say before the run (a change that applies on restart).
    pub notes: Vec<String>,
}

/// Reads `nephos.json` in `cwd` again and checks it against what watch started with.
///
/// # Errors
/// An invalid file (as every command refuses it), the selected environment gone, or its
/// region or profile changed (restart watch to deploy there).
pub fn reread(cwd: &Path, started: &StartedWith) -> Result<Reread> {
    let config = config::load(cwd)?.unwrap_or_default();
    let mut out = Reread::default();
    if config.watch != started.watch {
        out.notes.push(format!(
            "{CONFIG_FILE}'s \"watch\" patterns changed: they apply when watch is restarted (it still watches the files it started with)"
        ));
    }
    let Some(selected) = &started.environment else {
        return Ok(out);
    };
    let now = config.environment(&selected.name)?;
    let name = escape_line(&selected.name);
    let moved = |what: &str, was: &Option<String>, is: &Option<String>| {
        let show = |v: &Option<String>| {
            v.as_deref()
                .map_or_else(|| "(none)".to_owned(), |s| escape_line(s).into_owned())
        };
        Error::with_next(
            format!(
                "{CONFIG_FILE}: environment `{name}` now has {what} {} (it had {} when watch started); watch keeps deploying to the target it started with, so this run is not deployed",
                show(is),
                show(was)
            ),
            format!("restart `nephos watch --env {name}` to deploy there, or put the {what} back"),
        )
    };
    if !selected.region_flag && now.region != selected.settings.region {
        return Err(moved("region", &selected.settings.region, &now.region));
    }
    if !selected.profile_flag && now.profile != selected.settings.profile {
        return Err(moved("profile", &selected.settings.profile, &now.profile));
    }
    out.parameters = Some(EnvironmentParameters {
        environment: selected.name.clone(),
        values: now.parameters.clone(),
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(name: &str, config: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("nephos-watch-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(CONFIG_FILE), config).unwrap();
        dir
    }

    fn started(region: &str, region_flag: bool) -> StartedWith {
        let mut settings = Environment {
            region: Some(region.into()),
            ..Environment::default()
        };
        settings.parameters.insert("Mode".into(), "one".into());
        StartedWith {
            environment: Some(SelectedEnvironment {
                name: "dev".into(),
                settings,
                region_flag,
                profile_flag: false,
            }),
            watch: WatchConfig::default(),
        }
    }

    const TWO: &str =
        r#"{"environments": {"dev": {"region": "us-east-1", "parameters": {"Mode": "two"}}}}"#;

    /// atk15 E: a saved parameter value was ignored and the run said "parameters unchanged".
    #[test]
    fn an_edited_parameter_applies_to_the_next_run() {
        let dir = project("params", TWO);
        let r = reread(&dir, &started("us-east-1", false)).unwrap();
        let p = r.parameters.unwrap();
        assert_eq!(p.environment, "dev");
        assert_eq!(p.values["Mode"], "two");
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// atk15 E: an edited region was ignored (watch went on deploying to the old one).
    #[test]
    fn an_edited_region_is_refused_unless_the_flag_chose_the_region() {
        let dir = project("region", TWO);
        let e = reread(&dir, &started("eu-west-1", false))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("now has region us-east-1 (it had eu-west-1") && e.contains("restart"),
            "{e}"
        );
        // `--region` decided the target; the file's region never applied.
        assert!(reread(&dir, &started("eu-west-1", true)).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// atk15 E: an unknown key was accepted silently during watch.
    #[test]
    fn an_invalid_file_or_a_removed_environment_is_refused() {
        let dir = project("invalid", r#"{"bogus": 1}"#);
        let e = reread(&dir, &StartedWith::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("bogus"), "{e}");
        std::fs::write(dir.join(CONFIG_FILE), r#"{"environments": {"prod": {}}}"#).unwrap();
        let e = reread(&dir, &started("us-east-1", false))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no environment `dev`"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn edited_watch_patterns_are_said_to_apply_on_restart() {
        let dir = project("patterns", r#"{"watch": {"include": ["src/**"]}}"#);
        let r = reread(&dir, &StartedWith::default()).unwrap();
        assert_eq!(r.parameters, None);
        assert!(
            r.notes[0].contains("\"watch\" patterns changed"),
            "{:?}",
            r.notes
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
