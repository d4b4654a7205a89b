//! Renderers of the engine's reports: plain lines (CI, pipes), a live view (terminals) and
//! JSON lines (`--output json`).

pub mod board;
pub mod json;
pub mod live;
pub mod mirror;
pub mod text;

use std::io::Write;

use crate::deploy::report::Reporter;
use crate::output::Format;
use crate::output::style::Style;

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One line per event.
    Plain,
    /// A live, redrawn view on the terminal (stderr), with lines for notable events.
    Live,
    /// One JSON object per line.
    Json,
}

impl Mode {
    /// The mode for an output format and whether stdout is a terminal outside CI.
    pub fn choose(format: Format, interactive: bool) -> Self {
        match (format, interactive) {
            (Format::Json, _) => Self::Json,
            (Format::Text, true) => Self::Live,
            (Format::Text, false) => Self::Plain,
        }
    }
}

/// Builds the reporter for `mode`, writing to `out`.
pub fn reporter<'w>(mode: Mode, out: &'w mut dyn Write, style: Style) -> Box<dyn Reporter + 'w> {
    match mode {
        Mode::Plain => Box::new(text::TextReporter::new(out, style)),
        Mode::Json => Box::new(json::JsonReporter::new(out)),
        Mode::Live => Box::new(live::LiveReporter::new(out, style)),
    }
}
