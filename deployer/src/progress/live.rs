//! The live view for terminals: redrawn status lines on stderr (counts, the resources in
//! progress, the failed ones with their reasons, local labelled times: `progress/board.rs`)
//! with failures, notices, the review and the outcome printed above them.

use std::io::Write;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::board::Board;
use super::text::{event_line, write_outcome, write_review};
use crate::cfn::model::StackEvent;
use crate::deploy::outcome::Outcome;
use crate::deploy::report::{Reporter, Review};
use crate::output::style::Style;

/// The live reporter.
pub struct LiveReporter<'w> {
    out: &'w mut dyn Write,
    style: Style,
    bar: Option<ProgressBar>,
    board: Board,
    /// The terminal user's time zone, for event times (read once).
    tz: jiff::tz::TimeZone,
}

impl<'w> LiveReporter<'w> {
    /// A live view; text goes to `out`, the status lines to stderr.
    pub fn new(out: &'w mut dyn Write, style: Style) -> Self {
        Self {
            out,
            style,
            bar: None,
            board: Board::default(),
            tz: jiff::tz::TimeZone::system(),
        }
    }

    fn message(&self) -> String {
        self.board.render(&self.tz).join("\n")
    }

    /// Prints text above the bar (or plainly when there is none).
    fn print(&mut self, f: impl FnOnce(&mut dyn Write)) {
        match &self.bar {
            Some(bar) => {
                let out = &mut *self.out;
                bar.suspend(|| {
                    f(out);
                    let _ = out.flush();
                })
            }
            None => f(self.out),
        }
    }
}

impl Reporter for LiveReporter<'_> {
    fn notice(&mut self, stack: &str, text: &str) {
        self.print(|o| {
            let _ = writeln!(o, "{stack}: {text}");
        });
    }

    fn review(&mut self, review: &Review) {
        let style = self.style;
        self.print(|o| {
            let _ = write_review(o, review, style);
        });
    }

    fn started(&mut self, stack: &str, _operation: &str, total: usize) {
        self.board = Board::new(stack, total);
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let template = if self.style.color {
            "{spinner:.cyan} {msg} [{elapsed}]"
        } else {
            "{spinner} {msg} [{elapsed}]"
        };
        if let Ok(s) = ProgressStyle::with_template(template) {
            bar.set_style(s);
        }
        bar.set_message(self.message());
        bar.enable_steady_tick(Duration::from_millis(120));
        self.bar = Some(bar);
    }

    fn event(&mut self, stack: &str, event: &StackEvent) {
        self.board.apply(event);
        let msg = self.message();
        if let Some(bar) = &self.bar {
            bar.set_message(msg);
        }
        if event.status.is_failed() || event.is_stack_event() {
            let line = event_line(stack, event, self.style, &self.tz);
            self.print(|o| {
                let _ = writeln!(o, "{line}");
            });
        }
    }

    fn outcome(&mut self, outcome: &Outcome) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let _ = write_outcome(self.out, outcome, self.style);
    }
}
