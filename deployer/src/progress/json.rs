//! JSON lines: one object per report, with a `type` field.

use std::io::Write;

use serde::Serialize;
use serde_json::{Value, json};

use crate::cfn::model::StackEvent;
use crate::deploy::outcome::Outcome;
use crate::deploy::report::{Reporter, Review};

/// Writes each report as one JSON line.
pub struct JsonReporter<'w> {
    out: &'w mut dyn Write,
}

impl<'w> JsonReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
        Self { out }
    }

    fn line(&mut self, kind: &str, body: impl Serialize) {
        let mut v = serde_json::to_value(body).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("type".into(), Value::String(kind.into()));
        }
        let _ = writeln!(self.out, "{v}");
    }
}

impl Reporter for JsonReporter<'_> {
    fn notice(&mut self, stack: &str, text: &str) {
        self.line("notice", json!({"stack": stack, "message": text}));
    }

    fn review(&mut self, review: &Review) {
        self.line("review", review);
    }

    fn started(&mut self, stack: &str, operation: &str, total: usize) {
        self.line(
            "started",
            json!({"stack": stack, "operation": operation, "resources": total}),
        );
    }

    fn event(&mut self, stack: &str, event: &StackEvent) {
        let mut v = serde_json::to_value(event).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("stack".into(), Value::String(stack.into()));
        }
        self.line("event", v);
    }

    fn outcome(&mut self, outcome: &Outcome) {
        self.line("outcome", outcome);
    }
}
