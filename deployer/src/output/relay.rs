//! Passing on what a child process writes (the app, `cargo zigbuild`): both of its streams,
//! line by line as they come, each line escaped for a terminal and bounded in memory.
//!
//! Both children run user code (an app, build scripts, proc macros) that can print anything:
//! control sequences that move the cursor or erase the review, or one endless line. So a
//! child never writes to the terminal itself; its lines go to the log writer, escaped here
//! (as [`escape_text`] does: layout kept, everything else shown as `\x1b`) whatever that
//! writer is, and a line is read at most [`MAX_LINE_BYTES`] at a time. The log writer of a
//! command also cuts long lines for the terminal (`escape::MAX_LINE_CHARS`).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ExitStatus};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::escape::escape_text;

/// The longest line of a child's output (stdout or stderr) nephos reads, in bytes: the
/// output is streamed line by line, so this bounds the memory one line can take. A longer
/// line stops the child rather than being held whole.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// How long the rest of a child's output is waited for once it has exited: whatever it
/// left running may hold its pipes open.
const GRACE: Duration = Duration::from_millis(300);

/// How a relayed child ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited with this status.
    Exited(ExitStatus),
    /// It wrote a line longer than [`MAX_LINE_BYTES`]: it was killed.
    LineTooLong,
}

/// Passes the piped stdout and stderr of `child` to `log`, escaped, until the child exits
/// (then, for a short grace period, what is left), and returns how it ended.
///
/// # Errors
/// Writing to `log` failed, or the child could not be waited for.
///
/// # Example
/// ```
/// use std::process::{Command, Stdio};
/// use nephos_cli::output::relay::{Ended, relay};
/// let mut child = Command::new("sh")
///     .args(["-c", "printf 'a\\033[2Jb\\n'"])
///     .stdout(Stdio::piped())
///     .stderr(Stdio::piped())
///     .spawn()
///     .unwrap();
/// let mut log = Vec::new();
/// assert!(matches!(relay(&mut child, &mut log), Ok(Ended::Exited(s)) if s.success()));
/// assert_eq!(String::from_utf8(log).unwrap(), "a\\x1b[2Jb\n");
/// ```
pub fn relay(child: &mut Child, log: &mut dyn Write) -> std::io::Result<Ended> {
    relay_with(child, log, &mut |_| false)
}

/// [`relay`], first offering each stdout line (raw bytes, newline included) to `stdout`:
/// a line it takes (returns `true`) is not logged. This is how a machine-readable stream
/// (`cargo --message-format=json`) is read while stderr still reaches the log; the line
/// is bounded by [`MAX_LINE_BYTES`] like any other.
///
/// # Errors
/// As [`relay`].
pub fn relay_with(
    child: &mut Child,
    log: &mut dyn Write,
    stdout: &mut dyn FnMut(&[u8]) -> bool,
) -> std::io::Result<Ended> {
    // Registered while it runs, so Ctrl-C reaches its process group (see `children`).
    let _tracked = crate::children::CHILDREN.track(child.id());
    let (tx, rx) = mpsc::channel::<Piece>();
    if let Some(out) = child.stdout.take() {
        forward(out, true, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        forward(err, false, tx.clone());
    }
    drop(tx);
    let stop = |child: &mut Child| -> std::io::Result<Ended> {
        let _ = child.kill();
        let _ = child.wait();
        Ok(Ended::LineTooLong)
    };
    let status = loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Piece::Line(from_stdout, line)) => {
                if !(from_stdout && stdout(&line)) {
                    write_line(log, &line)?;
                }
            }
            Ok(Piece::TooLong) => return stop(child),
            Err(RecvTimeoutError::Disconnected) => break child.wait()?,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
    };
    let grace = Instant::now() + GRACE;
    while let Some(left) = grace.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(Piece::Line(from_stdout, line)) => {
                if !(from_stdout && stdout(&line)) {
                    write_line(log, &line)?;
                }
            }
            Ok(Piece::TooLong) => return stop(child),
            Err(_) => break,
        }
    }
    log.flush()?;
    Ok(Ended::Exited(status))
}

/// One line, escaped (invalid UTF-8 shown as U+FFFD).
fn write_line(log: &mut dyn Write, line: &[u8]) -> std::io::Result<()> {
    log.write_all(escape_text(&String::from_utf8_lossy(line), false).as_bytes())
}

/// What the reader of one of the child's streams sends.
enum Piece {
    /// One line (the last may lack its newline), and whether it came from stdout.
    Line(bool, Vec<u8>),
    /// A line longer than [`MAX_LINE_BYTES`]: reading stopped.
    TooLong,
}

/// Sends what `from` writes, a line at a time, until it closes, nobody listens, or a line
/// is longer than [`MAX_LINE_BYTES`] (then [`Piece::TooLong`], and no more). `is_stdout`
/// tags the lines.
fn forward(from: impl Read + Send + 'static, is_stdout: bool, to: mpsc::Sender<Piece>) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(from);
        loop {
            let mut line = Vec::new();
            let limit = MAX_LINE_BYTES as u64 + 1;
            match (&mut reader).take(limit).read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(n) if n > MAX_LINE_BYTES => {
                    let _ = to.send(Piece::TooLong);
                    return;
                }
                Ok(_) => {
                    if to.send(Piece::Line(is_stdout, line)).is_err() {
                        return;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    fn run(script: &str) -> (std::io::Result<Ended>, String) {
        let mut child = Command::new("sh")
            .args(["-c", script])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sh runs");
        let mut log = Vec::new();
        let ended = relay(&mut child, &mut log);
        (ended, String::from_utf8(log).unwrap_or_default())
    }

    #[test]
    fn both_streams_are_escaped_and_layout_is_kept() {
        let (ended, text) = run(
            r"printf 'warning: \033]0;PWNED\007\tx\n'; printf '\342\200\256evil\033[1A\033[2K\n' >&2; printf '\377\n'",
        );
        assert!(matches!(ended, Ok(Ended::Exited(s)) if s.success()));
        assert!(
            text.contains("warning: \\x1b]0;PWNED\\x07\tx\n"),
            "{text:?}"
        );
        assert!(text.contains("\\u202eevil\\x1b[1A\\x1b[2K\n"), "{text:?}");
        assert!(text.contains('\u{fffd}'), "invalid UTF-8 shown: {text:?}");
        assert!(
            !text
                .chars()
                .any(|c| crate::output::escape::is_unsafe(c) && c != '\n' && c != '\t'),
            "{text:?}"
        );
    }

    #[test]
    fn an_endless_line_stops_the_child_and_is_not_held() {
        let script = format!(
            "head -c {} /dev/zero | tr '\\0' x; sleep 30",
            2 * MAX_LINE_BYTES
        );
        let started = Instant::now();
        let (ended, text) = run(&script);
        assert!(matches!(ended, Ok(Ended::LineTooLong)), "{ended:?}");
        assert!(text.len() <= MAX_LINE_BYTES, "{} bytes logged", text.len());
        assert!(started.elapsed() < Duration::from_secs(20), "stopped");
    }
}
