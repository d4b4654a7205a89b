//! `nephos.json`, typed: every key is known (a misspelt key is an error, not ignored), and
//! `environments` name the account settings one app deploys with.
//!
//! ```json
//! {
//!   "app": "cargo run -q",
//!   "environments": {
//!     "prod": {"profile": "prod-admin", "region": "eu-west-1", "parameters": {"Stage": "prod"}}
//!   }
//! }
//! ```
//!
//! `--env prod` (or `NEPHOS_ENV=prod`) selects one: its region and profile apply unless
//! `--region`/`--profile` are given, its parameters apply to `diff` and `deploy` unless the
//! same `--parameter` is given, and the app runs with `NEPHOS_ENV=prod`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::app::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// The file's contents.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The command that runs the app.
    pub app: Option<String>,
    /// Named environments.
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
    /// What `nephos watch` watches.
    #[serde(default)]
    pub watch: WatchConfig,
}

/// `"watch": {"include": [...], "exclude": [...]}`: which files of the project directory
/// `nephos watch` reacts to, as `.gitignore`-style patterns relative to the directory
/// holding `nephos.json` (as `cdk.json`'s `watch.include` / `watch.exclude`).
///
/// A file counts when it matches an `include` pattern (none given: every file) and no
/// `exclude` pattern; `target/`, the assembly directory, dot files and editor backups are
/// always excluded (see [`crate::watch::filter`]).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WatchConfig {
    /// Patterns of the files to watch (default: all).
    #[serde(default)]
    pub include: Vec<String>,
    /// Patterns of files never to react to, beside the built-in ones.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// One environment.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The AWS profile.
    pub profile: Option<String>,
    /// The AWS region (checked when selected).
    pub region: Option<String>,
    /// Stack parameter values, by parameter name.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
}

/// Reads `nephos.json` from `cwd`; `None` when there is none.
///
/// # Errors
/// An unreadable or oversized file, invalid JSON, a duplicate key, an unknown key or a
/// value of the wrong type, each naming the file.
pub fn load(cwd: &Path) -> Result<Option<Config>> {
    let path = cwd.join(CONFIG_FILE);
    let text = match super::bounded::read_bounded(&path, super::bounded::MAX_CONFIG_BYTES) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::with_next(
                format!("cannot read {}: {e}", path.display()),
                "make it a readable JSON file, or remove it and pass --app \"COMMAND\"",
            ));
        }
    };
    parse(&text).map(Some).map_err(|e| {
        Error::with_next(
            format!("invalid {}: {}", path.display(), escape_line(&e)),
            SHAPE,
        )
    })
}

/// The next step for an invalid `nephos.json`: its whole shape, since the error names the
/// one key or value that is wrong.
const SHAPE: &str = "fix the key or value named; the file holds {\"app\": \"COMMAND\", \"environments\": {\"NAME\": {\"profile\": \"...\", \"region\": \"...\", \"parameters\": {\"Key\": \"value\"}}}}, every key optional";

/// Parses the text of `nephos.json` (duplicate keys are refused, as everywhere nephos
/// reads JSON).
///
/// # Errors
/// Why it is not a valid config.
///
/// # Example
/// ```
/// use nephos_cli::source::config::parse;
/// assert!(parse(r#"{"app": "x", "enviroments": {}}"#).unwrap_err().contains("enviroments"));
/// ```
pub fn parse(text: &str) -> std::result::Result<Config, String> {
    let value = super::unique_json::from_str_unique(text).map_err(|e| e.to_string())?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

impl Config {
    /// The environment named `name`.
    ///
    /// # Errors
    /// No such environment (naming the ones there are).
    pub fn environment(&self, name: &str) -> Result<&Environment> {
        self.environments.get(name).ok_or_else(|| {
            let known: Vec<String> = self
                .environments
                .keys()
                .map(|k| escape_line(k).into_owned())
                .collect();
            let name = escape_line(name);
            let add = format!("add \"{name}\" under \"environments\" in {CONFIG_FILE}");
            if known.is_empty() {
                Error::with_next(
                    format!(
                        "{CONFIG_FILE} has no environment `{name}` (it has no \"environments\")"
                    ),
                    add,
                )
            } else {
                Error::with_next(
                    format!(
                        "{CONFIG_FILE} has no environment `{name}`; it has: {}",
                        known.join(", ")
                    ),
                    format!("pass one of those to --env (or NEPHOS_ENV), or {add}"),
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_are_typed_and_unknown_keys_refused() {
        let c = parse(r#"{"app": "a", "environments": {"prod": {"region": "eu-west-1", "parameters": {"Stage": "prod"}}}}"#).unwrap();
        let prod = c.environment("prod").unwrap();
        assert_eq!(prod.region.as_deref(), Some("eu-west-1"));
        assert_eq!(prod.parameters["Stage"], "prod");
        assert!(c.environment("dev").unwrap_err().0.contains("it has: prod"));
        assert!(
            parse(r#"{"environments": {"prod": {"regoin": "x"}}}"#)
                .unwrap_err()
                .contains("regoin")
        );
        assert!(parse(r#"{"app": 1}"#).is_err());
        let w = parse(r#"{"watch": {"include": ["src/**"], "exclude": ["*.md"]}}"#).unwrap();
        assert_eq!(w.watch.include, ["src/**"]);
        assert_eq!(w.watch.exclude, ["*.md"]);
        assert!(
            parse(r#"{"watch": {"exclued": []}}"#)
                .unwrap_err()
                .contains("exclued")
        );
        assert!(parse(r#"{"app": "a", "app": "b"}"#).is_err());
    }
}
