//! Shared output plumbing: colour, output format and interactive prompts.

pub mod escape;
pub mod invocation;
pub mod logging;
pub mod prompt;
pub mod relay;
pub mod style;
pub mod terminal;

use clap::ValueEnum;

/// `--output`: human text or machine JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    #[default]
    Text,
    /// JSON (one document, or JSON lines for progress events).
    Json,
}
