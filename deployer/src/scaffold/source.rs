//! Where the scaffolded project takes the `nephos` crate (and the CI its `nephos` command)
//! from: a registry version, a local path or a git repository.

use std::path::{Path, PathBuf};

/// The `nephos` crate's source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NephosSource {
    /// A version requirement on crates.io, e.g. `0.1.0`.
    Version(String),
    /// A local checkout's `dsl/` directory (absolute).
    Path(PathBuf),
    /// A git repository URL.
    Git(String),
}

impl NephosSource {
    /// The dependency line of the project's Cargo.toml.
    ///
    /// # Example
    /// ```
    /// use nephos_cli::scaffold::source::NephosSource;
    /// let s = NephosSource::Git("https://example.invalid/a\"b".into());
    /// assert_eq!(s.dependency(), r#"nephos = { git = "https://example.invalid/a\"b" }"#);
    /// ```
    pub fn dependency(&self) -> String {
        match self {
            Self::Version(v) => format!("nephos = {}", toml_string(v)),
            Self::Path(p) => format!(
                "nephos = {{ path = {} }}",
                toml_string(&p.to_string_lossy())
            ),
            Self::Git(url) => format!("nephos = {{ git = {} }}", toml_string(url)),
        }
    }

    /// The CI step that installs the `nephos` command from the same source, as a YAML
    /// scalar (a double-quoted string).
    pub fn install_step(&self) -> String {
        let command = match self {
            Self::Version(v) => format!(
                "cargo install --locked nephos-cli --version {}",
                shell_word(v)
            ),
            // A local checkout: CI needs the same checkout at the same path.
            Self::Path(p) => format!(
                "cargo install --locked --path {}",
                shell_word(&deployer_of(p).to_string_lossy())
            ),
            Self::Git(url) => format!(
                "cargo install --locked --git {} nephos-cli",
                shell_word(url)
            ),
        };
        // A JSON string is a valid YAML double-quoted scalar.
        serde_json::Value::String(command).to_string()
    }
}

/// The deployer's directory beside a checkout's `dsl/`.
fn deployer_of(dsl: &Path) -> PathBuf {
    dsl.parent()
        .map_or_else(|| dsl.join(".."), Path::to_path_buf)
        .join("deployer")
}

/// A TOML basic string: JSON's string escapes are all valid TOML escapes.
fn toml_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// `s` quoted for a POSIX shell.
fn shell_word(s: &str) -> String {
    shlex::try_quote(s).map_or_else(|_| "''".to_owned(), |q| q.into_owned())
}

/// Checks a `--nephos-version` requirement: the characters of Cargo's version
/// requirements only (digits, letters, `.`, `-`, `+`, comparison operators, `*`, `,`,
/// spaces).
///
/// # Errors
/// When the requirement is empty or has another character.
pub fn check_version(req: &str) -> Result<String, String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || ".-+^~=<>*, ".contains(c);
    if req.trim().is_empty() || !req.chars().all(ok) || req.len() > 64 {
        return Err(format!(
            "`{}` is not a version requirement (e.g. 0.1.0 or ^0.1)",
            crate::output::escape::escape_line(req)
        ));
    }
    Ok(req.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_with_quotes_stays_one_toml_string() {
        let dep = NephosSource::Path(PathBuf::from("/tmp/a\"b\\c\nd")).dependency();
        assert_eq!(dep, r#"nephos = { path = "/tmp/a\"b\\c\nd" }"#);
    }

    #[test]
    fn the_install_step_is_one_quoted_yaml_scalar() {
        let step = NephosSource::Git("https://x.invalid/r; rm -rf ~".into()).install_step();
        let back: String = serde_json::from_str(&step).unwrap();
        assert_eq!(
            back,
            "cargo install --locked --git 'https://x.invalid/r; rm -rf ~' nephos-cli"
        );
    }

    #[test]
    fn versions_are_checked() {
        assert!(check_version("0.1.0").is_ok());
        assert!(check_version("^0.1, <0.3").is_ok());
        assert!(check_version("1\"\n[x]").is_err());
        assert!(check_version("").is_err());
    }
}
