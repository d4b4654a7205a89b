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

    /// Whether the project builds only on this machine (a local path source): a CI runner
    /// or a colleague's checkout has no such directory.
    pub fn is_machine_local(&self) -> bool {
        matches!(self, Self::Path(_))
    }

    /// The lines the CI workflow opens with about the source: for a local path, that the
    /// workflow cannot run elsewhere and what to change (a YAML comment, each line ending
    /// in a newline); nothing for a registry or git source.
    pub fn ci_note(&self) -> String {
        match self {
            Self::Path(p) => format!(
                "# NOTE: this project takes `nephos` from a local checkout ({}): this workflow\n\
                 # fails on a CI runner, which has no such directory. Before pushing, switch the\n\
                 # `nephos` dependency in Cargo.toml to a git source, and the install step below\n\
                 # to `cargo install --locked --git URL nephos-cli` (a crates.io version only once\n\
                 # the crates are published: until then anyone may register their names).\n",
                // One comment line whatever the path holds.
                crate::output::escape::escape_line(&p.to_string_lossy())
            ),
            Self::Version(_) | Self::Git(_) => String::new(),
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
            // The commit Cargo.lock pins for the `nephos` library, so the CLI is built from
            // the same commit, not from whatever the remote's HEAD is when CI runs.
            Self::Git(url) => format!(
                "rev=$({LOCKED_REV}) && cargo install --locked --git {} --rev \"$rev\" nephos-cli",
                shell_word(url)
            ),
        };
        // A JSON string is a valid YAML double-quoted scalar.
        serde_json::Value::String(command).to_string()
    }
}

/// A shell pipeline printing the git commit Cargo.lock pins for the package `nephos`
/// (its `source = "git+URL#<40 hex>"` line), failing with a message when there is none.
const LOCKED_REV: &str = r#"awk '/^\[\[package\]\]/{p=0} /^name = "nephos"$/{p=1} p && /^source = "git\+/{print; exit}' Cargo.lock | grep -o '#[0-9a-f]\{40\}"$' | tr -d '#"' | grep . || { echo 'Cargo.lock pins no git commit of nephos: commit Cargo.lock' >&2; exit 1; }"#;

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

/// What opens a GitHub Actions expression: Actions expands it in a `run:` line before the
/// shell sees it (quoting does not help), so a source holding it would run in CI as
/// something else (`${{ github.token }}` would print the token into the log).
pub const EXPRESSION: &str = "${{";

/// Why a source holding [`EXPRESSION`] is refused.
pub const EXPRESSION_WHY: &str = "holds `${{`, which GitHub Actions expands in the CI workflow's run: lines before the shell sees it";

/// The URL schemes Cargo fetches a git dependency over.
const GIT_SCHEMES: &[&str] = &["https", "http", "ssh", "git", "file"];

/// Checks a `--nephos-git` URL as Cargo reads one (`url::Url`): one of [`GIT_SCHEMES`],
/// with a host unless `file:`. Whitespace and control characters are refused first: the
/// URL parser would silently drop a newline or a tab, so what is written would not be
/// what was given.
///
/// # Errors
/// Why it is not a git URL Cargo can fetch, with an example.
///
/// # Example
/// ```
/// use nephos_cli::scaffold::source::check_git_url;
/// assert!(check_git_url("https://github.com/o/nephos").is_ok());
/// assert!(check_git_url("https://x/\ny").is_err());
/// assert!(check_git_url("git@github.com:o/nephos.git").is_err());
/// ```
pub fn check_git_url(url: &str) -> Result<String, String> {
    let shown = crate::output::escape::escape_line(url);
    let hint = "a git URL Cargo can fetch, e.g. https://github.com/OWNER/nephos or ssh://git@github.com/OWNER/nephos.git";
    if url.contains(EXPRESSION) {
        return Err(format!("`{shown}` {EXPRESSION_WHY}: pass {hint}"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{shown}` has whitespace or a control character: pass {hint}"
        ));
    }
    let parsed =
        url::Url::parse(url).map_err(|e| format!("`{shown}` is not a URL ({e}): pass {hint}"))?;
    if !GIT_SCHEMES.contains(&parsed.scheme()) {
        return Err(format!("`{shown}` is not {hint}"));
    }
    if parsed.scheme() != "file" && parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{shown}` has no host: pass {hint}"));
    }
    Ok(url.to_owned())
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
        assert!(
            back.ends_with(
                "cargo install --locked --git 'https://x.invalid/r; rm -rf ~' --rev \"$rev\" nephos-cli"
            ),
            "{back}"
        );
        assert!(back.starts_with("rev=$(awk "), "{back}");
    }

    /// atk 4: CI installed the CLI from the remote's HEAD while Cargo.lock pinned the
    /// library; the install now takes the commit Cargo.lock pins, and fails without one.
    #[test]
    fn the_git_install_takes_the_commit_cargo_lock_pins() {
        let dir = std::env::temp_dir().join(format!("nephos-locked-rev-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let rev = |lock: &str| {
            std::fs::write(dir.join("Cargo.lock"), lock).unwrap();
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("rev=$({LOCKED_REV}) && printf %s \"$rev\""))
                .current_dir(&dir)
                .output()
                .unwrap();
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            )
        };
        let pinned = "0123456789abcdef0123456789abcdef01234567";
        let other = "a".repeat(40);
        let lock = format!(
            "[[package]]\nname = \"nephos-x\"\nsource = \"git+https://x/y#{other}\"\n\n[[package]]\nname = \"nephos\"\nversion = \"0.1.0\"\nsource = \"git+https://x.invalid/nephos?branch=main#{pinned}\"\n"
        );
        assert_eq!(rev(&lock), (true, pinned.to_owned()));
        // A path or registry nephos (no git commit) fails the step rather than float.
        let (ok, out) = rev("[[package]]\nname = \"nephos\"\nversion = \"0.1.0\"\n");
        assert!(!ok && out.is_empty(), "{out}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// atk15 C: a newline in `--nephos-git` was written into Cargo.toml and ci.yml.
    #[test]
    fn git_urls_are_checked_as_cargo_reads_them() {
        assert!(check_git_url("https://github.com/o/nephos").is_ok());
        assert!(check_git_url("ssh://git@github.com/o/nephos.git").is_ok());
        assert!(check_git_url("file:///srv/git/nephos").is_ok());
        for bad in [
            "https://x/\ny",
            "https://x/ y",
            "https://x/\ty",
            "git@github.com:o/n.git",
            "javascript:alert(1)",
            "https://",
            "",
            "https://x/${{github.token}}",
        ] {
            assert!(check_git_url(bad).is_err(), "{bad:?} was accepted");
        }
    }

    /// atk15 C: a path source made a CI workflow that only ran on this machine, silently.
    #[test]
    fn only_a_path_source_opens_the_workflow_with_a_note() {
        let path = NephosSource::Path(PathBuf::from("/home/me/nephos/dsl\nx"));
        assert!(path.is_machine_local());
        let note = path.ci_note();
        assert!(note.contains("/home/me/nephos/dsl") && note.contains("fails on a CI runner"));
        assert!(note.lines().all(|l| l.starts_with("# ")), "{note}");
        for other in [
            NephosSource::Version("0.1.0".into()),
            NephosSource::Git("https://x.invalid/r".into()),
        ] {
            assert!(!other.is_machine_local());
            assert_eq!(other.ci_note(), "");
        }
    }

    #[test]
    fn versions_are_checked() {
        assert!(check_version("0.1.0").is_ok());
        assert!(check_version("^0.1, <0.3").is_ok());
        assert!(check_version("1\"\n[x]").is_err());
        assert!(check_version("").is_err());
    }
}
