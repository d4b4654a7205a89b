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
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::escape::escape_text;

/// The longest line of a child's output (stdout or stderr) nephos reads, in bytes: the
/// output is streamed line by line, so this bounds the memory one line can take. A longer
/// line stops the child rather than being held whole.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// How many lines (of both streams together) may wait between the readers of a child's
/// pipes and the log. A reader facing a full queue stops reading, so a child that writes
/// faster than the log takes its lines blocks on its pipe (backpressure) instead of
/// nephos holding its output: what is read and not yet shown is at most
/// `(CHANNEL_LINES + 2) * MAX_LINE_BYTES` bytes (one line in hand per reader), whatever
/// the child writes in all.
pub const CHANNEL_LINES: usize = 64;

/// How often the child is asked whether it has exited while its output still flows.
const POLL: Duration = Duration::from_millis(50);

/// When the child writes nothing more: once it has exited, its pipes may still be held
/// open by something it left running (a grandchild); after this long with no line, the
/// rest is not waited for. Everything the child itself wrote has reached the readers by
/// then (they read as fast as the queue lets them, and the queue is empty when this runs).
const IDLE_GRACE: Duration = Duration::from_millis(300);

/// How long, after the child exited, its output keeps being shown while lines still come
/// (counting only the wait for lines, not the time the log took to take them: a paused
/// terminal or a slow pager does not cut the child's own last lines). Its own output
/// left in the pipes takes milliseconds; lines past this come from a grandchild that
/// writes on, and are cut, with a line saying so.
const DRAIN_LIMIT: Duration = Duration::from_secs(5);

/// The two limits above, apart so tests can shorten them.
struct Limits {
    idle: Duration,
    drain: Duration,
}

const LIMITS: Limits = Limits {
    idle: IDLE_GRACE,
    drain: DRAIN_LIMIT,
};

/// How a relayed child ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited with this status.
    Exited(ExitStatus),
    /// It wrote a line longer than [`MAX_LINE_BYTES`]: it was killed.
    LineTooLong,
}

/// Passes the piped stdout and stderr of `child` to `log`, escaped, until both pipes
/// close, and returns how the child ended.
///
/// The child's output is read through a queue of [`CHANNEL_LINES`] lines, so memory stays
/// bounded however much it writes. Once it has exited, its output is passed on to the
/// end; only if something it left running still holds the pipes is the rest left: after
/// a short idle grace period (nothing is cut then), or, if lines keep coming, a few
/// seconds, and then a line `nephos: N lines of this output not shown, ...` says so.
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
    relay_within(child, log, stdout, &LIMITS)
}

/// [`relay_with`] under the given limits.
fn relay_within(
    child: &mut Child,
    log: &mut dyn Write,
    stdout: &mut dyn FnMut(&[u8]) -> bool,
    limits: &Limits,
) -> std::io::Result<Ended> {
    // Registered while it runs, so Ctrl-C reaches its process group (see `children`).
    let _tracked = crate::children::CHILDREN.track(child.id());
    let (tx, rx) = mpsc::sync_channel::<Piece>(CHANNEL_LINES);
    if let Some(out) = child.stdout.take() {
        forward(out, true, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        forward(err, false, tx.clone());
    }
    drop(tx);
    let mut status: Option<ExitStatus> = None;
    let mut too_long = false;
    let mut next_poll = Instant::now() + POLL;
    // After the child exited: the time spent other than passing lines on (in all), and
    // waiting for a line (since the last one).
    let mut waited = Duration::ZERO;
    let mut idle = Duration::ZERO;
    loop {
        let exited = status.is_some();
        let timeout = if exited {
            limits.idle.saturating_sub(idle).min(POLL)
        } else {
            POLL
        };
        let asked = Instant::now();
        let piece = rx.recv_timeout(timeout);
        idle += asked.elapsed();
        let mut passing = Duration::ZERO;
        match piece {
            Ok(Piece::Line(from_stdout, line)) => {
                idle = Duration::ZERO;
                let started = Instant::now();
                if !(from_stdout && stdout(&line)) {
                    write_line(log, &line)?;
                }
                passing = started.elapsed();
            }
            Ok(Piece::TooLong) => {
                // Stopped; what the other stream still holds is shown as after an exit.
                too_long = true;
                if status.is_none() {
                    let _ = child.kill();
                    status = Some(child.wait()?);
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if exited {
            // The loop's own work counts; the time the log took does not.
            waited += asked.elapsed().saturating_sub(passing);
        } else {
            idle = Duration::ZERO;
        }
        if status.is_none() && Instant::now() >= next_poll {
            status = child.try_wait()?;
            next_poll = Instant::now() + POLL;
        }
        if status.is_some() {
            if idle >= limits.idle {
                // Nothing waits in the queue: nothing is cut (a grandchild holds the
                // pipes and is silent).
                break;
            }
            if waited >= limits.drain {
                let left = count_waiting(&rx);
                writeln!(
                    log,
                    "nephos: {left} lines of this output not shown, nor any after them: something the process left running still writes to it {:.1} s after the process exited",
                    limits.drain.as_secs_f64()
                )?;
                break;
            }
        }
    }
    // Dropping the queue ends the readers; a grandchild still writing gets EPIPE.
    drop(rx);
    let status = match status {
        Some(status) => status,
        None => child.wait()?,
    };
    log.flush()?;
    Ok(if too_long {
        Ended::LineTooLong
    } else {
        Ended::Exited(status)
    })
}

/// How many lines wait in the queue, taking them out; at most [`CHANNEL_LINES`] plus the
/// two a blocked reader may add meanwhile, so a reader that keeps filling it cannot keep
/// this counting.
fn count_waiting(rx: &Receiver<Piece>) -> usize {
    (0..CHANNEL_LINES + 2)
        .take_while(|_| matches!(rx.try_recv(), Ok(Piece::Line(..))))
        .count()
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
/// tags the lines. Sending waits while the queue is full, and so does the child.
fn forward(from: impl Read + Send + 'static, is_stdout: bool, to: mpsc::SyncSender<Piece>) {
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
        let mut log = Vec::new();
        let ended = run_into(script, &mut log, &LIMITS);
        (ended, String::from_utf8(log).unwrap_or_default())
    }

    fn run_into(script: &str, log: &mut dyn Write, limits: &Limits) -> std::io::Result<Ended> {
        let mut child = Command::new("sh")
            .args(["-c", script])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sh runs");
        relay_within(&mut child, log, &mut |_| false, limits)
    }

    /// A log that takes its time (a terminal, a pager): 2 ms every 100 lines.
    #[derive(Default)]
    struct SlowLog {
        text: Vec<u8>,
        writes: usize,
    }

    impl Write for SlowLog {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.writes += 1;
            if self.writes.is_multiple_of(100) {
                std::thread::sleep(Duration::from_millis(2));
            }
            self.text.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_last_line_after_much_output_is_shown_with_the_exit_status() {
        // A panic's message after 100,000 lines, on a log slower than the app.
        let mut log = SlowLog::default();
        let ended = run_into(
            "seq 1 100000 >&2; echo LAST-LINE >&2; exit 101",
            &mut log,
            &LIMITS,
        );
        assert!(
            matches!(ended, Ok(Ended::Exited(s)) if s.code() == Some(101)),
            "{ended:?}"
        );
        let text = String::from_utf8(log.text).unwrap_or_default();
        assert_eq!(text.lines().count(), 100_001, "every line shown");
        assert!(
            text.ends_with("99999\n100000\nLAST-LINE\n"),
            "{:?}",
            &text[text.len().saturating_sub(40)..]
        );
        assert!(!text.contains("not shown"), "nothing was cut");
    }

    /// A log that holds its first line for a second, noting what the child did meanwhile.
    struct HeldLog {
        text: Vec<u8>,
        progress: std::path::PathBuf,
        /// Bytes the child had got out by the end of the hold.
        out_while_held: Option<u64>,
    }

    impl Write for HeldLog {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.out_while_held.is_none() {
                std::thread::sleep(Duration::from_secs(1));
                let len = std::fs::metadata(&self.progress).map_or(0, |m| m.len());
                self.out_while_held = Some(len);
            }
            self.text.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_child_writing_faster_than_the_log_waits_for_it() {
        let dir = std::env::temp_dir().join(format!("nephos-relay-bound-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let progress = dir.join("progress");
        // `tee` copies to the file what it got into the pipe: 588,895 bytes in all.
        let script = format!("seq 1 100000 | tee '{}'", progress.display());
        let mut log = HeldLog {
            text: Vec::new(),
            progress: progress.clone(),
            out_while_held: None,
        };
        let ended = run_into(&script, &mut log, &LIMITS);
        assert!(
            matches!(ended, Ok(Ended::Exited(s)) if s.success()),
            "{ended:?}"
        );
        // While the log held, the child got out at most what the pipe, the readers'
        // buffers and the queue hold (lines of at most 7 bytes here), plus tee's own
        // buffer: not everything, as an unbounded queue would let it.
        let held = log.out_while_held.expect("the log was written");
        let bound = (64 + 2 * 8 + 8) * 1024 + (CHANNEL_LINES as u64 + 2) * 7;
        assert!(
            held <= bound,
            "{held} bytes got out while the log held (bound {bound})"
        );
        let text = String::from_utf8(log.text).unwrap_or_default();
        assert_eq!(text.lines().count(), 100_000, "then every line was shown");
        assert_eq!(std::fs::metadata(&progress).map_or(0, |m| m.len()), 588_895);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_grandchild_writing_on_after_the_exit_is_cut_and_said() {
        let limits = Limits {
            idle: Duration::from_millis(300),
            drain: Duration::from_millis(300),
        };
        let started = Instant::now();
        let mut log = Vec::new();
        let ended = run_into("yes grandchild & echo parent; exit 3", &mut log, &limits);
        assert!(
            matches!(ended, Ok(Ended::Exited(s)) if s.code() == Some(3)),
            "{ended:?}"
        );
        let text = String::from_utf8(log).unwrap_or_default();
        assert!(text.contains("parent\n"), "the child's own line");
        let last = text.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("nephos: ") && last.contains(" lines of this output not shown"),
            "{last:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(20), "it stopped");
    }

    #[test]
    fn a_silent_grandchild_holding_the_pipes_is_not_waited_for() {
        let started = Instant::now();
        let (ended, text) = run("sleep 30 & echo parent; exit 0");
        assert!(
            matches!(ended, Ok(Ended::Exited(s)) if s.success()),
            "{ended:?}"
        );
        assert_eq!(text, "parent\n", "nothing cut, nothing said");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "not waited for"
        );
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
