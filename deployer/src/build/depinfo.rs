//! Reading the dep-info files rustc and cargo write (`<crate>-<hash>.d`, `<exe>.d`): the
//! Makefile-style rules listing every file a compilation read, and rustc's
//! `# env-dep:NAME=VALUE` lines naming every environment variable `env!`/`option_env!`
//! read. No crate on crates.io reads this format, so this is a small reader of what rustc
//! writes (`rustc_interface::passes::write_out_deps`): paths with a space escaped as `\ `,
//! env-dep values with `\n`, `\r` and `\\` escaped. The files come from a build of user
//! code, so they are untrusted: bounded in size, lines and path length.

use std::path::{Path, PathBuf};

/// The largest dep-info file read: a crate of thousands of files writes well under 1 MiB.
pub const MAX_DEPINFO_BYTES: u64 = 8 << 20;
/// The most lines read.
const MAX_LINES: usize = 200_000;
/// The longest path or variable name read, in bytes.
const MAX_TOKEN: usize = 4096;

/// What one dep-info file says a compilation read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DepInfo {
    /// Every prerequisite of every rule, in order of first appearance, without duplicates,
    /// as written (rustc writes paths relative to its working directory, the workspace root,
    /// or absolute).
    pub files: Vec<PathBuf>,
    /// Every `# env-dep:` line: the variable's name and its value (`None`: it was unset).
    pub env: Vec<(String, Option<String>)>,
}

/// Reads the dep-info file at `path`.
///
/// # Errors
/// It cannot be read, is larger than [`MAX_DEPINFO_BYTES`], or is not dep-info: the
/// message names the file.
pub fn read(path: &Path) -> Result<DepInfo, String> {
    let text = crate::source::bounded::read_bounded(path, MAX_DEPINFO_BYTES)
        .map_err(|e| format!("cannot read the dep-info file {}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("the dep-info file {} {e}", path.display()))
}

/// Parses dep-info text. Errors are fit to follow "the dep-info file X ".
pub fn parse(text: &str) -> Result<DepInfo, String> {
    let mut out = DepInfo::default();
    for (n, line) in text.lines().enumerate() {
        if n >= MAX_LINES {
            return Err(format!("has more than {MAX_LINES} lines"));
        }
        let at = || format!("line {}", n + 1);
        if let Some(env) = line.strip_prefix("# env-dep:") {
            let (name, value) = match env.split_once('=') {
                Some((name, value)) => (name, Some(unescape_env(value))),
                None => (env, None),
            };
            if name.is_empty() || name.len() > MAX_TOKEN || name.chars().any(char::is_control) {
                return Err(format!("{}: `{}` is not a variable name", at(), esc(name)));
            }
            out.env.push((name.to_owned(), value));
            continue;
        }
        // Other comments (`# checksum:` of newer compilers) and blank lines say nothing
        // about what was read.
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let tokens = tokens(line).map_err(|e| format!("{}: {e}", at()))?;
        let mut tokens = tokens.into_iter();
        let target = tokens.next().unwrap_or_default();
        if !target.ends_with(':') {
            return Err(format!(
                "{}: `{}` is not a rule (`target: prerequisites`)",
                at(),
                esc(line)
            ));
        }
        for file in tokens {
            let file = PathBuf::from(file);
            if !out.files.contains(&file) {
                out.files.push(file);
            }
        }
    }
    Ok(out)
}

/// The space-separated words of a rule line, with `\ ` read as a space and `\\` as a
/// backslash (any other backslash stands for itself).
fn tokens(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(' ' | '\\')) => {
                word.extend(chars.next());
            }
            ' ' | '\t' => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c if c.is_control() => return Err("has a control character".into()),
            c => word.push(c),
        }
        if word.len() > MAX_TOKEN {
            return Err(format!("has a path longer than {MAX_TOKEN} bytes"));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    Ok(out)
}

/// An env-dep value as rustc escapes it (`\n`, `\r`, `\\`).
fn unescape_env(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn esc(s: &str) -> String {
    let cut: String = s.chars().take(200).collect();
    crate::output::escape::escape_line(&cut).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_escapes_and_env_dep_lines_are_read_as_rustc_writes_them() {
        // What rustc wrote for a bin that include_str!s a file with a space in its name
        // and reads two variables, one unset.
        let text = "/t/deps/h-1.d: h/src/main.rs h/src/../../my\\ notes.txt /abs/back\\\\slash.rs\n\
                    \n\
                    /t/deps/h-1: h/src/main.rs h/src/../../my\\ notes.txt /abs/back\\\\slash.rs\n\
                    \n\
                    h/src/main.rs:\n\
                    h/src/../../my\\ notes.txt:\n\
                    \n\
                    # env-dep:CARGO_PKG_NAME=h\n\
                    # env-dep:ATK_MARK\n\
                    # env-dep:MULTI=a\\nb\\\\c\n\
                    # checksum:sha256=00\n";
        let d = parse(text).unwrap();
        assert_eq!(
            d.files,
            vec![
                PathBuf::from("h/src/main.rs"),
                PathBuf::from("h/src/../../my notes.txt"),
                PathBuf::from("/abs/back\\slash.rs"),
            ]
        );
        assert_eq!(
            d.env,
            vec![
                ("CARGO_PKG_NAME".into(), Some("h".into())),
                ("ATK_MARK".into(), None),
                ("MULTI".into(), Some("a\nb\\c".into())),
            ]
        );
    }

    #[test]
    fn hostile_and_oversized_dep_info_is_refused_not_trusted() {
        assert!(
            parse("not a rule at all\n")
                .unwrap_err()
                .contains("not a rule")
        );
        assert!(parse("x: a\u{1b}[2Jb\n").unwrap_err().contains("control"));
        assert!(
            parse("# env-dep:=v\n")
                .unwrap_err()
                .contains("variable name")
        );
        let long = format!("x: {}\n", "a".repeat(MAX_TOKEN + 1));
        assert!(parse(&long).unwrap_err().contains("longer than"));
        let many = "x: a\n".repeat(MAX_LINES + 1);
        assert!(parse(&many).unwrap_err().contains("lines"));
        // Larger than the bound: not read at all.
        let dir = std::env::temp_dir().join(format!("nephos-depinfo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.d");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_DEPINFO_BYTES + 1).unwrap();
        let e = read(&big).unwrap_err();
        assert!(e.contains("big.d"), "{e}");
        assert!(
            read(&dir.join("missing.d"))
                .unwrap_err()
                .contains("missing.d")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
