//! `--require-approval`: which reviews need a yes before executing.

use clap::ValueEnum;

use crate::diff::TemplateDiff;
use crate::diff::security::Direction;

/// How a question to approve something was answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Approved (or `--yes`).
    Yes,
    /// Declined.
    No,
    /// Nobody can answer: there is no terminal to ask on.
    NoTerminal,
    /// Ctrl-C while the question was asked.
    Interrupted,
}

/// When a human must approve a change set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ApprovalPolicy {
    /// Never ask.
    Never,
    /// Ask when the change broadens IAM or resource-policy access.
    #[default]
    Broadening,
    /// Ask for every change.
    AnyChange,
}

impl ApprovalPolicy {
    /// Whether `diff` needs approval under this policy.
    pub fn requires(self, diff: &TemplateDiff) -> bool {
        match self {
            Self::Never => false,
            Self::AnyChange => !diff.is_empty(),
            Self::Broadening => diff
                .security
                .iter()
                .any(|s| s.direction == Direction::Broadening),
        }
    }
}
