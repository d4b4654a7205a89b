//! What a deploy or destroy of one stack ended in; renderers turn these into text or JSON.

use std::time::Duration;

use serde::Serialize;

use super::failure::FailureReport;
use crate::cfn::model::Output;
use crate::diff::data_loss::DataLoss;

/// The end of one stack's deploy or destroy.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum Outcome {
    /// Nothing to do.
    #[serde(rename_all = "camelCase")]
    NoChanges {
        /// The stack.
        stack: String,
        /// Detected locally (template, parameters and tags equal) without a change set.
        skipped_locally: bool,
        /// The empty change set this run made, and whether it was deleted (`None`: none was
        /// made).
        #[serde(skip_serializing_if = "Option::is_none")]
        discarded: Option<Discarded>,
    },
    /// The change set was executed and the stack settled successfully.
    #[serde(rename_all = "camelCase")]
    Deployed {
        /// The stack.
        stack: String,
        /// Its final status.
        status: String,
        /// Its outputs.
        outputs: Vec<Output>,
        /// Wall time of the whole deploy, in seconds.
        #[serde(serialize_with = "secs")]
        elapsed: Duration,
    },
    /// The stack was deleted.
    #[serde(rename_all = "camelCase")]
    Destroyed {
        /// The stack.
        stack: String,
        /// Resources kept by a `Retain` deletion policy.
        retained: Vec<String>,
    },
    /// `--no-execute`: the change set waits for review.
    #[serde(rename_all = "camelCase")]
    ChangeSetLeft {
        /// The stack.
        stack: String,
        /// The change set's name.
        change_set: String,
    },
    /// The deployer would not go on (approval refused, blocked state, protection).
    #[serde(rename_all = "camelCase")]
    Refused {
        /// The stack.
        stack: String,
        /// Why.
        reason: String,
        /// What the user can do.
        next_step: String,
        /// This run's change set, discarded when the run stopped (`None`: none was made, or
        /// it is kept).
        #[serde(skip_serializing_if = "Option::is_none")]
        discarded: Option<Discarded>,
    },
    /// Refused because the changes would replace or remove stateful resources (see
    /// [`crate::diff::data_loss`]) that `--allow-replace`/`--allow-data-loss` did not allow.
    #[serde(rename_all = "camelCase")]
    DataLossRefused {
        /// The stack.
        stack: String,
        /// The risks not allowed, each naming the resource and what forces it.
        risks: Vec<DataLoss>,
        /// The change set that was deleted, if one had been created.
        #[serde(skip_serializing_if = "Option::is_none")]
        deleted_change_set: Option<String>,
    },
    /// Ctrl-C stopped the waiting; CloudFormation may still be working.
    #[serde(rename_all = "camelCase")]
    Interrupted {
        /// The stack.
        stack: String,
        /// The status when waiting stopped.
        status: String,
        /// Whether the update was cancelled (`--cancel-on-interrupt`).
        cancelled: bool,
        /// How to pick up again.
        resume: String,
        /// This run's change set, discarded when the run stopped (`None`: none was made, or
        /// it is kept).
        #[serde(skip_serializing_if = "Option::is_none")]
        discarded: Option<Discarded>,
    },
    /// The operation failed.
    Failed(FailureReport),
}

/// What became of the change set a deploy created and did not execute: its cleanup
/// ([`crate::deploy::steps::scope`]) deleted it, or could not verify that it is gone. The
/// renderers word it; no message text says it on its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Discarded {
    /// The change set's name.
    pub change_set: String,
    /// Whether it is verified gone (deleted, or read back as gone).
    pub deleted: bool,
}

impl Discarded {
    /// The words for it: `change set cs1 deleted`, or that it may not be.
    pub fn words(&self) -> String {
        let cs = &self.change_set;
        if self.deleted {
            format!("change set {cs} deleted")
        } else {
            format!("change set {cs} may not be deleted: see the notice above")
        }
    }
}

impl Outcome {
    /// The same outcome, saying what became of this run's change set (`discarded`); the
    /// outcomes that name it in their own field (a data-loss refusal) name it only when its
    /// deletion was verified, and outcomes past execution have no change set to discard.
    pub fn with_discarded(self, d: Discarded) -> Self {
        match self {
            Self::NoChanges {
                stack,
                skipped_locally,
                ..
            } => Self::NoChanges {
                stack,
                skipped_locally,
                discarded: Some(d),
            },
            Self::Refused {
                stack,
                reason,
                next_step,
                ..
            } => Self::Refused {
                stack,
                reason,
                next_step,
                discarded: Some(d),
            },
            Self::Interrupted {
                stack,
                status,
                cancelled,
                resume,
                ..
            } => Self::Interrupted {
                stack,
                status,
                cancelled,
                resume,
                discarded: Some(d),
            },
            Self::DataLossRefused { stack, risks, .. } => Self::DataLossRefused {
                stack,
                risks,
                deleted_change_set: d.deleted.then_some(d.change_set),
            },
            other => other,
        }
    }

    /// The exit code of a command that ends with this outcome: 0 on success, 130 when
    /// Ctrl-C stopped it ([`crate::commands::EXIT_INTERRUPTED`]; not `--timeout`, which is
    /// a bound the user set, not an interrupt), else 1.
    pub fn exit_code(&self, interrupt: &crate::deploy::interrupt::Interrupt) -> i32 {
        use crate::commands::{EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK};
        match self {
            _ if self.is_success() => EXIT_OK,
            Self::Interrupted { .. } if interrupt.is_triggered() => EXIT_INTERRUPTED,
            _ => EXIT_ERROR,
        }
    }

    /// Whether the command should exit 0 for this outcome.
    pub fn is_success(&self) -> bool {
        matches!(
            self,
            Self::NoChanges { .. }
                | Self::Deployed { .. }
                | Self::Destroyed { .. }
                | Self::ChangeSetLeft { .. }
        )
    }
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 10.0).round() / 10.0)
}
