//! Running a tool for its short answer (`rustc -vV`, `zig version`): the output read is
//! bounded ([`super::child::run_bounded`]), and text from it is escaped before it reaches a
//! message.

use std::process::Command;

use super::child::{RunError, run_bounded};

/// The most of a tool's standard output kept: a version answer is a few hundred bytes.
pub(crate) const MAX_ANSWER_BYTES: u64 = 4 << 10;
/// The most of its error output kept for a message.
const MAX_STDERR_BYTES: u64 = 2 << 10;

/// A tool's exit and output, each bounded.
pub(crate) struct Answer {
    pub(crate) success: bool,
    pub(crate) status: String,
    pub(crate) stdout: Vec<u8>,
    /// More than [`MAX_ANSWER_BYTES`] were printed (the rest was not read).
    pub(crate) too_long: bool,
    pub(crate) stderr: String,
}

/// Runs `cmd` with no input and reads at most [`MAX_ANSWER_BYTES`] of its output; a tool
/// that prints more is killed. The error's own text is the cause alone (callers name the
/// tool and its argument).
pub(crate) fn run(cmd: Command) -> std::io::Result<Answer> {
    let out = run_bounded(cmd, MAX_ANSWER_BYTES, MAX_STDERR_BYTES)
        .map_err(|RunError { error, .. }| error)?;
    Ok(Answer {
        success: out.status.success(),
        status: out.status.to_string(),
        stdout: out.stdout,
        too_long: out.stdout_cut,
        stderr: printable(&String::from_utf8_lossy(&out.stderr)),
    })
}

/// `text` fit for one line of a message: trimmed, control characters escaped, at most 300
/// characters.
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.trim().chars().enumerate() {
        if i == 300 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_tool_that_prints_without_end_is_cut_off_and_its_text_escaped() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "printf '\\033[2J'; yes 0.15.2"]);
        let answer = run(cmd).unwrap();
        assert!(answer.too_long);
        assert_eq!(answer.stdout.len() as u64, MAX_ANSWER_BYTES);
        let shown = printable(&String::from_utf8_lossy(&answer.stdout));
        assert!(shown.starts_with("\\u{1b}[2J0.15.2\\n"), "{shown}");
        assert!(
            shown.ends_with('…') && shown.chars().count() < 400,
            "{shown}"
        );
    }
}
