//! Every write whose answer may be lost is followed by a read of what it did: the one
//! read-back mechanism of the deployer.
//!
//! A write that failed on nephos's side (a time-out, a 5xx, a dropped connection, even a
//! refusal after a retry whose first attempt was lost) may have reached CloudFormation
//! first: the stack deleted, the stack policy set, the change set gone, the update started,
//! the rollback continued. Before nephos says "nothing was deleted", "change set deleted"
//! or "the stack is unchanged", it reads the state the write was to change and says only
//! what that read verified. Every write of the seam goes through
//! [`Engine::write_read_back`] with its read here: CreateChangeSet, ExecuteChangeSet,
//! CreateStack and UpdateStack (direct), SetStackPolicy, UpdateTerminationProtection,
//! DeleteChangeSet, DeleteStack, ContinueUpdateRollback and CancelUpdateStack.

use std::future::Future;

use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::model::{Stack, is_no_changes_error};
use crate::cfn::status::{ChangeSetStatus, ExecutionStatus, StackStatus};
use crate::deploy::engine::{Engine, EngineError, Seen};
use crate::deploy::steps::apply::stack_difference;

/// What reading the state again after a failed write showed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadBack {
    /// The write's effect is there: it took effect and only its answer was lost.
    Done,
    /// The write did not take effect: what the read showed.
    NotDone(String),
    /// It cannot be told: why (the read failed, or shows something else).
    Unknown(String),
}

/// A write that failed, with what reading back showed ([`ReadBack::NotDone`] or
/// [`ReadBack::Unknown`]).
#[derive(Clone, Debug)]
pub struct Unwritten {
    /// The write's error, naming the stack and the call.
    pub error: EngineError,
    /// What the read showed.
    pub read: ReadBack,
}

impl Unwritten {
    /// The error, ending with what the read showed when it could not tell.
    pub fn into_error(self) -> EngineError {
        match self.read {
            ReadBack::Unknown(why) => {
                let step = self.error.step;
                self.error.then(format!(
                    "nephos cannot tell whether {step} took effect: {why}"
                ))
            }
            _ => self.error,
        }
    }
}

impl Engine<'_> {
    /// Performs `write` (retried); when it fails, performs `check`, a read of the state the
    /// write was to change, given the error's kind (a read may skip itself on an answer
    /// that proves nothing was done). `Ok(None)`: written; `Ok(Some(e))`: the write
    /// reported `e` but the read shows its effect (the caller says so); `Err`: not written,
    /// or not known.
    pub async fn write_read_back<W, WF, C, CF>(
        &self,
        stack: &str,
        step: &'static str,
        write: W,
        check: C,
    ) -> Result<Option<CfnError>, Unwritten>
    where
        W: FnMut() -> WF,
        WF: Future<Output = Result<(), CfnError>>,
        C: FnOnce(Answered) -> CF,
        CF: Future<Output = ReadBack>,
    {
        let e = match self.retry.run(write).await {
            Ok(()) => return Ok(None),
            Err(e) => e,
        };
        // Refused by the seam's Ctrl-C guard (`cfn::halt`): never sent, so nothing to read.
        if e.kind == ErrorKind::Interrupted {
            let read = ReadBack::NotDone(format!("{step} was not sent"));
            return Err(Unwritten {
                error: Self::fail(stack, step)(e),
                read,
            });
        }
        match check(Answered::of(&e)).await {
            ReadBack::Done => Ok(Some(e)),
            read => Err(Unwritten {
                error: Self::fail(stack, step)(e),
                read,
            }),
        }
    }

    /// UpdateTerminationProtection, read back when it fails (its answer may be lost after
    /// it took effect).
    pub(crate) async fn write_protection(
        &mut self,
        name: &str,
        on: bool,
    ) -> Result<(), EngineError> {
        let written = self
            .write_read_back(
                name,
                "UpdateTerminationProtection",
                || self.cfn.set_termination_protection(name, on),
                |_| self.read_back_termination_protection(name, on),
            )
            .await
            .map_err(|u| u.into_error())?;
        if let Some(e) = written {
            self.reporter.notice(
                name,
                &format!(
                    "UpdateTerminationProtection reported an error ({e}), but reading the stack back shows termination protection is {}",
                    if on { "on" } else { "off" }
                ),
            );
        }
        Ok(())
    }

    /// After a failed DeleteStack of `name`, which was `before`: whether the delete started.
    pub async fn read_back_delete_stack(&self, name: &str, before: &StackStatus) -> ReadBack {
        match self.retry.run(|| self.cfn.describe_stack(name)).await {
            Ok(None) => ReadBack::Done,
            Ok(Some(s))
                if s.status == StackStatus::DeleteInProgress
                    || s.status == StackStatus::DeleteComplete =>
            {
                ReadBack::Done
            }
            Ok(Some(s)) if s.status == *before => {
                ReadBack::NotDone(format!("the stack is still {}", s.status))
            }
            Ok(Some(s)) => {
                ReadBack::Unknown(format!("the stack was {before} and is now {}", s.status))
            }
            Err(e) => ReadBack::Unknown(format!("the stack cannot be read ({e})")),
        }
    }

    /// After a failed DeleteChangeSet: whether the change set `cs` of `stack` is gone.
    pub async fn read_back_delete_change_set(&self, stack: &str, cs: &str) -> ReadBack {
        match self
            .retry
            .run(|| self.cfn.describe_change_set(stack, cs))
            .await
        {
            Err(e) if e.kind == ErrorKind::NotFound => ReadBack::Done,
            Ok(c) if is_deleting(&c.status) => ReadBack::Done,
            Ok(c) => ReadBack::NotDone(format!("change set {cs} is still there ({})", c.status)),
            Err(e) => ReadBack::Unknown(format!("change set {cs} cannot be read ({e})")),
        }
    }

    /// After a failed SetStackPolicy of `body`: whether the stack's policy is `body` (as
    /// JSON, whatever the spacing CloudFormation gives back).
    pub async fn read_back_stack_policy(&self, stack: &str, body: &str) -> ReadBack {
        let now = match self.retry.run(|| self.cfn.get_stack_policy(stack)).await {
            Ok(p) => p,
            Err(e) => {
                return ReadBack::Unknown(format!("the stack policy cannot be read ({e})"));
            }
        };
        let parse = |t: &str| crate::source::unique_json::from_str_unique(t).ok();
        match now.as_deref() {
            // A policy read back with duplicate keys (or not JSON) cannot be compared: what
            // CloudFormation applies is not known.
            Some(now) if parse(now).is_none() => ReadBack::Unknown(
                "the stack policy read back is not JSON nephos can read (malformed, or a repeated key)"
                    .into(),
            ),
            Some(now) if parse(now).is_some() && parse(now) == parse(body) => ReadBack::Done,
            Some(_) if crate::deploy::policy::has_leftovers(now.as_deref()) => ReadBack::Unknown(
                "the stack policy holds nephos's data-loss denials, but not the ones this run set"
                    .into(),
            ),
            Some(_) => ReadBack::NotDone("the stack policy holds none of nephos's denials".into()),
            None => ReadBack::NotDone("the stack has no stack policy".into()),
        }
    }

    /// After a failed UpdateTerminationProtection: whether it is `on` now.
    pub async fn read_back_termination_protection(&self, stack: &str, on: bool) -> ReadBack {
        match self.retry.run(|| self.cfn.describe_stack(stack)).await {
            Ok(Some(s)) if s.termination_protection == on => ReadBack::Done,
            Ok(Some(_)) => ReadBack::NotDone(format!(
                "termination protection is still {}",
                if on { "off" } else { "on" }
            )),
            Ok(None) => ReadBack::Unknown("the stack no longer exists".into()),
            Err(e) => ReadBack::Unknown(format!("the stack cannot be read ({e})")),
        }
    }

    /// After a failed CreateChangeSet of `cs` on `stack`: whether the change set exists.
    /// Only an answer that may be lost is read back (a time-out, a 5xx, an unknown
    /// failure): a definite refusal (an invalid template, access denied, nothing to
    /// change) made nothing, and "maybe created" is created (every caller discards it).
    pub async fn read_back_create_change_set(
        &self,
        stack: &str,
        cs: &str,
        answered: Answered,
    ) -> ReadBack {
        if answered.nothing_to_change {
            return ReadBack::NotDone("CloudFormation found nothing to change".into());
        }
        // Every attempt of this request carries one `ClientToken`, which CloudFormation
        // answers as the same request: a change set of this name that exists already is
        // another request's, which this run must not take for its own (and delete).
        if answered.already_exists {
            return ReadBack::NotDone(format!(
                "a change set named {cs} exists already, made by another request"
            ));
        }
        if !matches!(answered.kind, ErrorKind::Transient | ErrorKind::Other) {
            return ReadBack::NotDone("CloudFormation refused the request".into());
        }
        match self
            .retry
            .run(|| self.cfn.describe_change_set(stack, cs))
            .await
        {
            Ok(_) => ReadBack::Done,
            Err(r) if r.kind == ErrorKind::NotFound => {
                ReadBack::NotDone(format!("change set {cs} does not exist"))
            }
            Err(r) => ReadBack::Unknown(format!("change set {cs} cannot be read ({r})")),
        }
    }

    /// After a failed ExecuteChangeSet of `change_set`, or a failed CreateStack/UpdateStack
    /// (`change_set` `None`): whether the update started. The stack is read and compared
    /// with `before` (`None`: it did not exist, or for a create change set it was
    /// REVIEW_IN_PROGRESS) by the same comparison as the check before the update
    /// (identity, status, last update, parameters); then the change set's execution status.
    pub async fn read_back_started(
        &self,
        name: &str,
        change_set: Option<&str>,
        before: Option<&Stack>,
    ) -> ReadBack {
        let now = match self.retry.run(|| self.cfn.describe_stack(name)).await {
            Ok(s) => s,
            Err(e) => return ReadBack::Unknown(format!("the stack cannot be read ({e})")),
        };
        // A create change set's stack is only known to be in review.
        let moved = match (before, change_set) {
            (Some(_), _) => stack_difference(before, now.as_ref()).is_some(),
            (None, Some(_)) => now
                .as_ref()
                .is_none_or(|n| n.status != StackStatus::ReviewInProgress),
            (None, None) => now.is_some(),
        };
        if moved {
            return ReadBack::Done;
        }
        let Some(cs) = change_set else {
            return ReadBack::NotDone("the stack is as it was before the call".into());
        };
        match self
            .retry
            .run(|| self.cfn.describe_change_set(name, cs))
            .await
        {
            Ok(c) if c.execution_status == ExecutionStatus::Available => ReadBack::NotDone(
                format!("the stack is as it was and change set {cs} still waits to be executed"),
            ),
            Ok(c) => match c.execution_status {
                ExecutionStatus::ExecuteInProgress
                | ExecutionStatus::ExecuteComplete
                | ExecutionStatus::ExecuteFailed => ReadBack::Done,
                other => ReadBack::Unknown(format!("change set {cs} is {other}")),
            },
            Err(e) => ReadBack::Unknown(format!("change set {cs} cannot be read ({e})")),
        }
    }

    /// The stack `name` as it is after a write whose answer was lost; a stack that is gone
    /// or cannot be read leaves the write's effect unknown (never assumed done or not done).
    async fn stack_after_write(&self, name: &str) -> Result<Stack, ReadBack> {
        match self.retry.run(|| self.cfn.describe_stack(name)).await {
            Ok(Some(s)) => Ok(s),
            Ok(None) => Err(ReadBack::Unknown("the stack no longer exists".into())),
            Err(e) => Err(ReadBack::Unknown(format!("the stack cannot be read ({e})"))),
        }
    }

    /// After a failed ContinueUpdateRollback of `name`: whether the rollback went on. It
    /// did when the stack left UPDATE_ROLLBACK_FAILED, or when it is back in it with events
    /// that were not in `seen` (the events before the call): a rollback that failed again
    /// at once still changed the stack.
    pub async fn read_back_continue_rollback(&self, name: &str, seen: &Seen) -> ReadBack {
        let stack = match self.stack_after_write(name).await {
            Ok(s) => s,
            Err(unknown) => return unknown,
        };
        match stack.status {
            StackStatus::UpdateRollbackInProgress
            | StackStatus::UpdateRollbackCompleteCleanupInProgress
            | StackStatus::UpdateRollbackComplete => ReadBack::Done,
            StackStatus::UpdateRollbackFailed => match self.event_ids(name).await {
                Ok(ids) if ids.iter().any(|id| !seen.contains(id)) => ReadBack::Done,
                Ok(_) => ReadBack::NotDone(
                    "the stack is still UPDATE_ROLLBACK_FAILED, with no event since the call"
                        .into(),
                ),
                Err(e) => ReadBack::Unknown(format!(
                    "the stack is UPDATE_ROLLBACK_FAILED and its events cannot be read ({})",
                    e.source
                )),
            },
            other => ReadBack::Unknown(format!(
                "the stack was UPDATE_ROLLBACK_FAILED and is now {other}"
            )),
        }
    }

    /// After a failed CancelUpdateStack of `name`: whether the update is being cancelled
    /// (CloudFormation rolls a cancelled update back).
    pub async fn read_back_cancel_update(&self, name: &str) -> ReadBack {
        let stack = match self.stack_after_write(name).await {
            Ok(s) => s,
            Err(unknown) => return unknown,
        };
        match stack.status {
            StackStatus::UpdateRollbackInProgress
            | StackStatus::UpdateRollbackCompleteCleanupInProgress
            | StackStatus::UpdateRollbackComplete
            | StackStatus::UpdateRollbackFailed => ReadBack::Done,
            StackStatus::UpdateInProgress => {
                ReadBack::NotDone("the update is still running".into())
            }
            StackStatus::UpdateCompleteCleanupInProgress | StackStatus::UpdateComplete => {
                ReadBack::NotDone(format!("the update ended first ({})", stack.status))
            }
            other => ReadBack::Unknown(format!("the stack is {other}")),
        }
    }
}

/// What the failed write's answer said, for its read-back: a few answers prove nothing was
/// done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answered {
    /// The error's kind.
    pub kind: ErrorKind,
    /// CloudFormation refused because there is nothing to change (CreateChangeSet,
    /// UpdateStack).
    pub nothing_to_change: bool,
    /// CloudFormation refused because what it was asked to create exists
    /// (`AlreadyExistsException`).
    pub already_exists: bool,
}

impl Answered {
    /// What `e` says.
    pub fn of(e: &CfnError) -> Self {
        Self {
            kind: e.kind,
            nothing_to_change: is_no_changes_error(e),
            already_exists: e.code.as_deref() == Some("AlreadyExistsException"),
        }
    }
}

/// A change set on its way out (CloudFormation deletes some asynchronously).
fn is_deleting(status: &ChangeSetStatus) -> bool {
    matches!(
        status,
        ChangeSetStatus::DeletePending
            | ChangeSetStatus::DeleteInProgress
            | ChangeSetStatus::DeleteComplete
    )
}
