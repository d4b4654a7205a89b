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
/// The question is written to stderr, and so is the review it is about when stdout is
/// redirected ([`crate::progress::mirror`]); when stderr is not a terminal
/// (`nephos deploy 2> err.log`), the person at the keyboard would answer a question they
/// cannot see, so nothing is asked: it says why (in that file) and answers nobody
/// ([`Prompter::confirm`] `None`), and the change is not made.
#[derive(Clone, Debug, Default)]
pub struct TerminalPrompter {
    /// Ctrl-C.
    pub interrupt: Interrupt,
    /// Whether stderr, where the question and the review are shown, is a terminal
    /// (default: no, so nothing is asked that nobody sees).
    pub question_visible: bool,
}

/// Why nothing is asked when stderr goes to a file or a pipe.
pub const QUESTION_NOT_SHOWN: &str = "not asking: stderr, where the question and the review are shown, is not a terminal (redirected), so nothing can be approved on sight; run again with stderr on the terminal, or read the review and pass --require-approval never (or --yes)";

/// How often a prompt waiting for its answer looks at the interrupt.
const INTERRUPT_CHECK: Duration = Duration::from_millis(50);

impl Prompter for TerminalPrompter {
    fn confirm(&self, question: &str) -> Option<bool> {
        let mut err = std::io::stderr();
        if let Err(why) = may_ask(std::io::stdin().is_terminal(), self.question_visible) {
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
/// question and review on a terminal (stderr). `Err` holds the line that says why not, if
/// one is due (none without a terminal to answer on: that is the usual CI run, whose
/// outcome already says approval was needed).
fn may_ask(stdin_terminal: bool, question_visible: bool) -> Result<(), Option<&'static str>> {
    match (stdin_terminal, question_visible) {
        (false, _) => Err(None),
        (true, false) => Err(Some(QUESTION_NOT_SHOWN)),
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

    /// atk15 J (the other half of `progress::mirror`'s test): a question on a redirected
    /// stderr was still waited for, unseen.
    #[test]
    fn nothing_is_asked_on_a_stderr_that_is_not_a_terminal() {
        assert_eq!(may_ask(true, false), Err(Some(QUESTION_NOT_SHOWN)));
        assert_eq!(may_ask(true, true), Ok(()));
        assert_eq!(may_ask(false, true), Err(None));
        assert_eq!(may_ask(false, false), Err(None));
        // Fails closed when not told: the default sees no terminal.
        assert!(!TerminalPrompter::default().question_visible);
    }
}
