//! Asking the user to approve something, injectable so tests can answer.

use std::io::{BufRead, IsTerminal, Write};

/// Answers yes/no questions.
pub trait Prompter: Send + Sync {
    /// Asks `question`; `None` when nobody can answer (no terminal).
    fn confirm(&self, question: &str) -> Option<bool>;
}

/// Asks on the terminal (stderr for the question, stdin for the answer).
#[derive(Clone, Copy, Debug, Default)]
pub struct TerminalPrompter;

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
        let mut line = String::new();
        stdin.lock().read_line(&mut line).ok()?;
        Some(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
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
