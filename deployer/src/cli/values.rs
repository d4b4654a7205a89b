//! Value parsers for options that name something (a command, a file, a flag's key): an
//! empty or blank value names nothing, so clap refuses it, naming the flag, before any
//! command runs (issue 15: `--app ''` ran `sh -c ''` and then reported a missing
//! manifest).
//!
//! clap quotes the flag itself (`invalid value '' for '--app <APP>'`); these say why.

use std::path::PathBuf;

/// Why an empty or blank value is refused (clap names the flag before it).
fn blank(s: &str) -> Option<String> {
    if s.is_empty() {
        Some("it is empty and names nothing: give a value, or leave the option out".into())
    } else if s.trim().is_empty() {
        Some(
            "it is only whitespace and names nothing: give a value, or leave the option out".into(),
        )
    } else {
        None
    }
}

/// A value that names something: refused when empty or only whitespace.
///
/// # Errors
/// Why, in words (clap names the flag).
///
/// # Example
/// ```
/// use nephos_cli::cli::values::non_blank;
/// assert_eq!(non_blank("prod").unwrap(), "prod");
/// assert!(non_blank("").is_err() && non_blank(" \t").is_err());
/// ```
pub fn non_blank(s: &str) -> Result<String, String> {
    blank(s).map_or_else(|| Ok(s.to_owned()), Err)
}

/// A path that names a file or directory: refused when empty or only whitespace.
///
/// # Errors
/// As [`non_blank`].
pub fn non_blank_path(s: &str) -> Result<PathBuf, String> {
    non_blank(s).map(PathBuf::from)
}

/// The app command (`--app`, or `NEPHOS_APP`, which clap reads as the flag): an empty one
/// would run an empty shell command.
///
/// # Errors
/// Empty or blank, with where else the command may come from.
pub fn app_command(s: &str) -> Result<String, String> {
    non_blank(s).map_err(|why| {
        format!(
            "{why}; an exported NEPHOS_APP counts as --app: unset it to take the app from ./nephos.json"
        )
    })
}

/// The assembly directory (`--outdir`, or `NEPHOS_OUTDIR`).
///
/// # Errors
/// Empty or blank, with the default.
pub fn outdir(s: &str) -> Result<PathBuf, String> {
    non_blank_path(s).map_err(|why| {
        format!(
            "{why}; an exported NEPHOS_OUTDIR counts as --outdir: unset it for the default nephos.out"
        )
    })
}

/// A `KEY=VALUE` item (`--parameter`, `--tag`): a key before `=`; the value may be empty.
///
/// # Errors
/// No `=`, or nothing before it.
///
/// # Example
/// ```
/// use nephos_cli::cli::values::key_value;
/// assert!(key_value("Stage=").is_ok());
/// assert!(key_value("=prod").is_err() && key_value("Stage").is_err() && key_value("").is_err());
/// ```
pub fn key_value(s: &str) -> Result<String, String> {
    non_blank(s)?;
    match s.split_once('=') {
        Some((k, _)) if !k.trim().is_empty() => Ok(s.to_owned()),
        Some(_) => Err("the KEY before `=` is empty: expected KEY=VALUE".into()),
        None => Err("there is no `=`: expected KEY=VALUE (the value may be empty: KEY=)".into()),
    }
}

/// `--env NAME` as clap reads it: a blank name is refused; an empty one passes here so
/// that an exported empty `NEPHOS_ENV` keeps its meaning (unset for commands that only
/// read, refused by those that change or review infrastructure), and
/// [`super::Cli::from_args`] refuses an empty `--env` given on the command line.
///
/// # Errors
/// Only whitespace.
pub fn environment_name(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Ok(String::new());
    }
    non_blank(s)
}

#[cfg(test)]
mod tests;
