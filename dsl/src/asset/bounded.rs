//! Running a tool for its short answer (`rustc -vV`, `zig version`): the output read is
//! bounded, and text from it is escaped before it reaches a message.

use std::io::Read;
use std::process::{Command, Stdio};

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
/// that prints more is killed.
pub(crate) fn run(mut cmd: Command) -> std::io::Result<Answer> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().map(|s| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let mut s = s.take(MAX_STDERR_BYTES);
            let _ = s.read_to_end(&mut text);
            // Drained, so the tool never blocks on a full pipe.
            let _ = std::io::copy(&mut s.into_inner(), &mut std::io::sink());
            text
        })
    });
    let mut stdout = Vec::new();
    let read = child
        .stdout
        .take()
        .map(|s| s.take(MAX_ANSWER_BYTES + 1).read_to_end(&mut stdout));
    let too_long = stdout.len() as u64 > MAX_ANSWER_BYTES;
    if too_long {
        let _ = child.kill();
        stdout.truncate(MAX_ANSWER_BYTES as usize);
    }
    let status = child.wait()?;
    if let Some(Err(e)) = read {
        return Err(e);
    }
    let stderr = stderr
        .and_then(|t| t.join().ok())
        .map(|t| printable(&String::from_utf8_lossy(&t)))
        .unwrap_or_default();
    Ok(Answer {
        success: status.success(),
        status: status.to_string(),
        stdout,
        too_long,
        stderr,
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
