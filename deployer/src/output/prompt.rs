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
///
/// The review a question is about is written to stdout; when stdout is not a terminal
/// (`nephos deploy > deploy.log`), the person at the terminal would approve changes they
/// cannot see, so nothing is asked: it says why and answers nobody ([`Prompter::confirm`]
/// `None`), and the change is not made.
#[derive(Clone, Debug, Default)]
pub struct TerminalPrompter {
    /// Ctrl-C.
    pub interrupt: Interrupt,
    /// Whether stdout, where the review goes, is a terminal (default: no, so nothing is
    /// asked about a review nobody sees).
    pub review_visible: bool,
}

/// Why nothing is asked when the review went to a file or a pipe.
pub const REVIEW_NOT_SHOWN: &str = "not asking: the review was written to stdout, which is not a terminal (redirected), so it cannot be approved on sight; run again with stdout on the terminal, or read the review where it went and pass --require-approval never (or --yes)";

/// How often a prompt waiting for its answer looks at the interrupt.
const INTERRUPT_CHECK: Duration = Duration::from_millis(50);

impl Prompter for TerminalPrompter {
    fn confirm(&self, question: &str) -> Option<bool> {
        let mut err = std::io::stderr();
        if let Err(why) = may_ask(std::io::stdin().is_terminal(), self.review_visible) {
            if let Some(line) = why {
                let _ = writeln!(err, "{line}");
            }
            return None;
        }
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

/// Whether a question may be asked: only with a terminal to answer on (stdin) and the
/// review on a terminal (stdout). `Err` holds the line that says why not, if one is due
/// (none without a terminal: nobody would read it there).
fn may_ask(stdin_terminal: bool, review_visible: bool) -> Result<(), Option<&'static str>> {
    match (stdin_terminal, review_visible) {
        (false, _) => Err(None),
        (true, false) => Err(Some(REVIEW_NOT_SHOWN)),
        (true, true) => Ok(()),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// atk15 J: with stdout redirected, the approval question was asked on the terminal
    /// while the review it is about went into the file.
    #[test]
    fn nothing_is_asked_about_a_review_that_is_not_on_the_terminal() {
        assert_eq!(may_ask(true, false), Err(Some(REVIEW_NOT_SHOWN)));
        assert_eq!(may_ask(true, true), Ok(()));
        assert_eq!(may_ask(false, true), Err(None));
        assert_eq!(may_ask(false, false), Err(None));
        // Fails closed when not told: the default sees no review.
        assert!(!TerminalPrompter::default().review_visible);
    }
}
