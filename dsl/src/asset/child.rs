//! Running a program whose output nephos reads (`rustc -vV`, `zig version`, `cargo
//! metadata`): each stream is read only up to a bound, so a program that prints without end
//! can neither exhaust memory nor block on a full pipe. Shared by synth and the deployer.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};

/// What a program printed and how it ended, each stream bounded (see [`run_bounded`]).
#[derive(Debug)]
#[non_exhaustive]
pub struct ChildOutput {
    /// How it ended (killed when it printed past the bound on standard output).
    pub status: ExitStatus,
    /// Its standard output, at most the bound given.
    pub stdout: Vec<u8>,
    /// It printed more than the bound on standard output: the rest was not read and the
    /// program was killed.
    pub stdout_cut: bool,
    /// The start of its error output, at most the bound given (the rest was read and
    /// dropped). Raw bytes: escape them before they reach a terminal.
    pub stderr: Vec<u8>,
}

/// A program that could not be started, followed or waited for.
#[derive(Debug)]
pub struct RunError {
    /// The program, as the command names it.
    pub program: String,
    /// What failed.
    pub error: std::io::Error,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot run `{}`: {}",
            self.program.escape_debug(),
            self.error
        )
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Runs `cmd` with no input and waits for it, keeping at most `max_stdout` bytes of its
/// standard output and `max_stderr` of its error output. A program that prints more than
/// `max_stdout` is killed (its answer is not one to trust); error output past the bound is
/// read and dropped, so the program never blocks on it. There is no time limit: the
/// programs run this way answer at once or fail.
///
/// # Errors
/// [`RunError`], naming the program, when it cannot be started (not found, not
/// executable), its output cannot be read, or it cannot be waited for.
///
/// ```
/// # #[cfg(unix)] {
/// use nephos::assembly::run_bounded;
/// let mut cmd = std::process::Command::new("sh");
/// cmd.args(["-c", "echo 0.15.2; echo warning >&2"]);
/// let out = run_bounded(cmd, 4096, 16).unwrap();
/// assert!(out.status.success() && !out.stdout_cut);
/// assert_eq!(out.stdout, b"0.15.2\n");
/// assert_eq!(out.stderr, b"warning\n");
/// let e = run_bounded(std::process::Command::new("/no/such/tool"), 1, 1).unwrap_err();
/// assert!(e.to_string().starts_with("cannot run `/no/such/tool`"));
/// # }
/// ```
pub fn run_bounded(
    mut cmd: Command,
    max_stdout: u64,
    max_stderr: u64,
) -> Result<ChildOutput, RunError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let fail = |error| RunError {
        program: program.clone(),
        error,
    };
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(fail)?;
    let stderr = child.stderr.take().map(|s| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let mut s = s.take(max_stderr);
            let _ = s.read_to_end(&mut text);
            // Drained, so the program never blocks on a full pipe.
            let _ = std::io::copy(&mut s.into_inner(), &mut std::io::sink());
            text
        })
    });
    let mut stdout = Vec::new();
    let read = child.stdout.take().map(|s| {
        s.take(max_stdout.saturating_add(1))
            .read_to_end(&mut stdout)
    });
    let stdout_cut = stdout.len() as u64 > max_stdout;
    if stdout_cut {
        let _ = child.kill();
        stdout.truncate(usize::try_from(max_stdout).unwrap_or(usize::MAX));
    }
    let status = child.wait().map_err(fail)?;
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    if let Some(Err(e)) = read {
        return Err(fail(e));
    }
    Ok(ChildOutput {
        status,
        stdout,
        stdout_cut,
        stderr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn both_streams_are_bounded_and_a_program_printing_without_end_is_killed() {
        let mut cmd = Command::new("sh");
        // Error output far past a pipe's buffer first: undrained, the program would block
        // before it printed its answer.
        cmd.args(["-c", "head -c 1000000 /dev/zero >&2; yes answer"]);
        let out = run_bounded(cmd, 100, 10).unwrap();
        assert!(out.stdout_cut);
        assert!(!out.status.success(), "killed");
        assert_eq!(out.stdout.len(), 100);
        assert!(out.stdout.starts_with(b"answer\nanswer\n"));
        assert_eq!(out.stderr, [0u8; 10]);
    }

    #[test]
    fn a_program_that_cannot_start_is_named() {
        let e = run_bounded(Command::new("/nonexistent/nephos-tool"), 1, 1).unwrap_err();
        assert_eq!(e.program, "/nonexistent/nephos-tool");
        assert!(e.to_string().contains("`/nonexistent/nephos-tool`"), "{e}");
        assert_eq!(e.error.kind(), std::io::ErrorKind::NotFound);
    }
}
