//! The review on the terminal the approval is asked on.
//!
//! Progress, the review and the outcome are a command's output (stdout: `nephos deploy >
//! deploy.log` keeps them, `--output json` keeps them as JSON lines). The approval question
//! is asked on stderr and answered on stdin; with stdout redirected, the person answering
//! would approve changes they cannot see. So, when stdout is not a terminal and stderr
//! and stdin are, the review (and the notices a question refers to, such as what a destroy
//! deletes) is also written to stderr, as text, before the question. Stdout is left as it
//! was: plain lines or pure JSON.

use std::io::Write;

use super::text::write_review;
use crate::cfn::model::StackEvent;
use crate::deploy::outcome::Outcome;
use crate::deploy::report::{Reporter, Review};
use crate::output::invocation::CompletingWriter;
use crate::output::style::Style;
use crate::progress::{Mode, reporter};

/// Forwards every report to the command's reporter and writes reviews and notices to the
/// terminal too.
struct Mirrored<'w> {
    inner: Box<dyn Reporter + 'w>,
    terminal: &'w mut dyn Write,
    style: Style,
}

impl Reporter for Mirrored<'_> {
    fn notice(&mut self, stack: &str, text: &str) {
        self.inner.notice(stack, text);
        let _ = writeln!(self.terminal, "{stack}: {text}");
    }

    fn review(&mut self, review: &Review) {
        self.inner.review(review);
        let _ = write_review(self.terminal, review, self.style);
        let _ = self.terminal.flush();
    }

    fn started(&mut self, stack: &str, operation: &str, total: usize) {
        self.inner.started(stack, operation, total);
    }

    fn event(&mut self, stack: &str, event: &StackEvent) {
        self.inner.event(stack, event);
    }

    fn outcome(&mut self, outcome: &Outcome) {
        self.inner.outcome(outcome);
    }
}

/// `reporter`, with reviews and notices also written to `terminal` when one is given
/// (stdout redirected, a person at stderr and stdin: see the module).
///
/// # Example
/// ```
/// use nephos_cli::output::style::Style;
/// use nephos_cli::progress::{Mode, mirror::review_on_terminal, reporter};
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let mut rep = review_on_terminal(
///     reporter(Mode::Json, &mut out, Style::plain()),
///     Some(&mut err),
///     Style::plain(),
/// );
/// rep.notice("api", "will delete 2 resources: A, B");
/// drop(rep);
/// assert!(String::from_utf8(err).unwrap().contains("api: will delete 2 resources"));
/// assert!(serde_json::from_slice::<serde_json::Value>(&out).is_ok());
/// ```
pub fn review_on_terminal<'w>(
    reporter: Box<dyn Reporter + 'w>,
    terminal: Option<&'w mut dyn Write>,
    style: Style,
) -> Box<dyn Reporter + 'w> {
    match terminal {
        Some(terminal) => Box::new(Mirrored {
            inner: reporter,
            terminal,
            style,
        }),
        None => reporter,
    }
}

/// The reporter of a command that changes stacks (`bootstrap`, `deploy`, `destroy`):
/// `mode`'s reporter writing through `completing` (so every `nephos …` next step carries
/// this run's flags), with reviews and notices also on `terminal` when `review_to_err`
/// says stdout is redirected and a person is at stderr and stdin (see the module).
///
/// The caller owns `completing` (`CompletingWriter::new(ctx.out, ctx.invocation.clone())`)
/// so that the reporter borrows only stdout and stderr, and the rest of the context
/// (retry policy, interrupt, prompter) stays usable while it lives.
///
/// # Example
/// ```
/// use nephos_cli::cli::Cli;
/// use nephos_cli::output::invocation::{CompletingWriter, Invocation};
/// use nephos_cli::output::style::Style;
/// use nephos_cli::progress::{Mode, mirror::command_reporter};
/// let cli = Cli::from_args(["nephos", "--region", "eu-west-1", "deploy"]).unwrap();
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let mut completing = CompletingWriter::new(&mut out, Invocation::of(&cli));
/// let mut rep = command_reporter(Mode::Plain, &mut completing, &mut err, true, Style::plain());
/// rep.notice("api", "run `nephos deploy api`");
/// drop(rep);
/// drop(completing);
/// assert!(String::from_utf8(out).unwrap().contains("--region eu-west-1"));
/// assert!(String::from_utf8(err).unwrap().contains("api: run"));
/// ```
pub fn command_reporter<'w, 'c: 'w>(
    mode: Mode,
    completing: &'w mut CompletingWriter<'c>,
    terminal: &'w mut dyn Write,
    review_to_err: bool,
    style: Style,
) -> Box<dyn Reporter + 'w> {
    review_on_terminal(
        reporter(mode, completing, style),
        review_to_err.then_some(terminal),
        style,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::model::ChangeSetType;

    fn review() -> Review {
        Review {
            stack: "api".into(),
            change_set: "nephos-1".into(),
            kind: ChangeSetType::Update,
            capabilities: vec!["CAPABILITY_IAM".into()],
            diff: Default::default(),
            needs_approval: true,
        }
    }

    /// atk15 J: with stdout redirected, the approval question was asked on the terminal
    /// while the review it is about went only into the file. The review now reaches the
    /// terminal too, and `--output json` stdout stays one JSON document a line.
    #[test]
    fn the_review_reaches_the_terminal_and_json_stdout_stays_pure() {
        for mode in [Mode::Json, Mode::Plain] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            {
                let mut rep = review_on_terminal(
                    reporter(mode, &mut out, Style::plain()),
                    Some(&mut err),
                    Style::plain(),
                );
                rep.review(&review());
                rep.notice("api", "will delete 1 resource: Table");
                rep.started("api", "UPDATE", 1);
            }
            let err = String::from_utf8(err).unwrap();
            let out = String::from_utf8(out).unwrap();
            assert!(
                err.contains("api (update, change set nephos-1)")
                    && err.contains("Capabilities: CAPABILITY_IAM")
                    && err.contains("These changes need approval.")
                    && err.contains("api: will delete 1 resource: Table"),
                "{mode:?}: {err}"
            );
            // Progress stays on stdout only.
            assert!(!err.contains("UPDATE"), "{err}");
            if mode == Mode::Json {
                for line in out.lines() {
                    serde_json::from_str::<serde_json::Value>(line)
                        .unwrap_or_else(|e| panic!("{e}: {line}"));
                }
                assert_eq!(out.lines().count(), 3, "{out}");
            } else {
                assert!(out.contains("These changes need approval."), "{out}");
            }
        }
        // Without a terminal to mirror to, nothing changes.
        let (mut out, mut plain) = (Vec::new(), Vec::new());
        review_on_terminal(
            reporter(Mode::Plain, &mut out, Style::plain()),
            None,
            Style::plain(),
        )
        .review(&review());
        crate::progress::text::write_review(&mut plain, &review(), Style::plain()).unwrap();
        assert_eq!(out, plain);
    }
}
