//! Asking the user to approve something, injectable so tests can answer.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::mpsc;
use std::time::Duration;

use crate::deploy::interrupt::Interrupt;

/// Answers yes/no questions.
pub trait Prompter: Send + Sync {
    /// Asks `question`; `None` when nobody can answer (no terminal).
    fn confirm(&self, question: &str) -> Option<bool>;
}

/// Asks on the terminal (stderr for the question, stdin for the answer). Ctrl-C while it
/// waits for the answer ends the question at once (the engine then stops as interrupted):
/// the line is read on its own thread, and the wait watches the interrupt.
#[derive(Clone, Debug, Default)]
pub struct TerminalPrompter {
    /// Ctrl-C.
    pub interrupt: Interrupt,
}

/// How often a prompt waiting for its answer looks at the interrupt.
const INTERRUPT_CHECK: Duration = Duration::from_millis(50);

impl Prompter for TerminalPrompter {
    fn confirm(&self, question: &str) -> Option<bool> {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return None;
        }
        let mut err = std::io::stderr();
        // The question can quote names from a template; escaped like all output.
        let _ = write!(err, "{} [y/N] ", super::escape::escape_text(question, true));
        let _ = err.flush();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = std::io::stdin().lock().read_line(&mut line);
            let _ = tx.send(read.map(|_| line));
        });
        loop {
            if self.interrupt.is_triggered() {
                let _ = writeln!(err);
                return None;
            }
            match rx.recv_timeout(INTERRUPT_CHECK) {
                Ok(Ok(line)) => return Some(matches!(line.trim(), "y" | "Y" | "yes" | "Yes")),
                Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
        }
    }
}

/// A prompt at which the user presses Ctrl-C: it fires the interrupt and gets no answer
/// (tests of the interrupted prompt).
#[derive(Clone, Debug)]
pub struct InterruptedPrompt(pub Interrupt);

impl Prompter for InterruptedPrompt {
    fn confirm(&self, _question: &str) -> Option<bool> {
        self.0.trigger();
        None
    }
}

/// A fixed answer (tests, `--yes`).
#[derive(Clone, Copy, Debug)]
pub struct FixedAnswer(pub Option<bool>);

impl Prompter for FixedAnswer {
    fn confirm(&self, _question: &str) -> Option<bool> {
        self.0
    }
}
