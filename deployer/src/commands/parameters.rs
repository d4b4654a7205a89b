//! Parameter values and where each came from: `--parameter KEY=VALUE` on the command line,
//! or the `parameters` of the `nephos.json` environment `--env` selected. They are kept
//! apart until they are used, so an error about a value names where to fix it (issue 15:
//! an environment's misspelt key was reported as a `--parameter`).

use std::collections::BTreeMap;

use crate::error::Result;
use crate::output::escape::escape_line;

/// The `parameters` of the selected `nephos.json` environment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvironmentParameters {
    /// The environment's name (as `--env` gave it).
    pub environment: String,
    /// Its parameters, by key.
    pub values: BTreeMap<String, String>,
}

/// Where a parameter value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--parameter` on the command line.
    Flag,
    /// The named environment of `nephos.json`.
    Environment(String),
}

impl Origin {
    /// The origin as errors name it: `--parameter`, or
    /// `nephos.json environment `prod` ("parameters")`.
    pub fn label(&self) -> String {
        match self {
            Self::Flag => "--parameter".to_owned(),
            Self::Environment(name) => format!(
                "{} environment `{}` (\"parameters\")",
                crate::source::app::CONFIG_FILE,
                escape_line(name)
            ),
        }
    }
}

/// The parameter values of a run and the origin of each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Given {
    /// The values, by key.
    pub values: BTreeMap<String, String>,
    /// Where each key's value came from.
    pub origins: BTreeMap<String, Origin>,
}

impl Given {
    /// The origin of `key` as errors name it (`--parameter` for a key not given).
    pub fn label(&self, key: &str) -> String {
        self.origins.get(key).unwrap_or(&Origin::Flag).label()
    }
}

/// The command line's `--parameter`s, and the environment's for the keys they do not give
/// (the command line wins).
///
/// # Errors
/// A `--parameter` that is not `KEY=VALUE`, or a key given twice with different values.
///
/// # Example
/// ```
/// use nephos_cli::commands::parameters::{EnvironmentParameters, Origin, given};
/// let mut env = EnvironmentParameters { environment: "prod".into(), ..Default::default() };
/// env.values.insert("Stage".into(), "prod".into());
/// env.values.insert("Size".into(), "2".into());
/// let g = given(&["Size=3".to_owned()], Some(&env)).unwrap();
/// assert_eq!(g.values["Size"], "3");
/// assert_eq!(g.origins["Size"], Origin::Flag);
/// assert_eq!(g.origins["Stage"], Origin::Environment("prod".into()));
/// ```
pub fn given(flags: &[String], env: Option<&EnvironmentParameters>) -> Result<Given> {
    let values = super::deploy::key_values("parameter", flags)?;
    let mut out = Given {
        origins: values.keys().map(|k| (k.clone(), Origin::Flag)).collect(),
        values,
    };
    for (k, v) in env.map(|e| &e.values).into_iter().flatten() {
        if !out.values.contains_key(k) {
            out.values.insert(k.clone(), v.clone());
            out.origins.insert(
                k.clone(),
                Origin::Environment(env.map(|e| e.environment.clone()).unwrap_or_default()),
            );
        }
    }
    Ok(out)
}
