//! The live view for terminals: a redrawn status line (pending, in progress, done, failed,
//! elapsed) on stderr, with failures, notices, the review and the outcome printed above it.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::text::{event_line, write_outcome, write_review};
use crate::cfn::model::StackEvent;
use crate::cfn::status::ResourceStatus;
use crate::deploy::outcome::Outcome;
use crate::deploy::report::{Reporter, Review};
use crate::output::style::Style;

/// The live reporter.
pub struct LiveReporter<'w> {
    out: &'w mut dyn Write,
    style: Style,
    bar: Option<ProgressBar>,
    stack: String,
    operation: String,
    total: usize,
    states: BTreeMap<String, ResourceStatus>,
}

impl<'w> LiveReporter<'w> {
    /// A live view; text goes to `out`, the status line to stderr.
    pub fn new(out: &'w mut dyn Write, style: Style) -> Self {
        Self {
            out,
            style,
            bar: None,
            stack: String::new(),
            operation: String::new(),
            total: 0,
            states: BTreeMap::new(),
        }
    }

    fn counts(&self) -> String {
        let mut in_progress = 0;
        let mut done = 0;
        let mut failed = 0;
        for s in self.states.values() {
            if s.is_failed() {
                failed += 1;
            } else if s.is_running() {
                in_progress += 1;
            } else {
                done += 1;
            }
        }
        let pending = self.total.saturating_sub(self.states.len());
        format!(
            "{}: {pending} pending, {in_progress} in progress, {done} done, {failed} failed",
            self.stack
        )
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

    fn started(&mut self, stack: &str, operation: &str, total: usize) {
        self.stack = stack.to_owned();
        self.operation = operation.to_owned();
        self.total = total;
        self.states.clear();
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let template = if self.style.color {
            "{spinner:.cyan} {msg} [{elapsed}]"
        } else {
            "{spinner} {msg} [{elapsed}]"
        };
        if let Ok(s) = ProgressStyle::with_template(template) {
            bar.set_style(s);
        }
        bar.set_message(self.counts());
        bar.enable_steady_tick(Duration::from_millis(120));
        self.bar = Some(bar);
    }

    fn event(&mut self, stack: &str, event: &StackEvent) {
        if !event.is_stack_event() {
            self.states
                .insert(event.logical_id.clone(), event.status.clone());
        }
        let msg = self.counts();
        if let Some(bar) = &self.bar {
            bar.set_message(msg);
        }
        if event.status.is_failed() || event.is_stack_event() {
            let line = event_line(stack, event, self.style);
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
