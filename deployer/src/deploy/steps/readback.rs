//! Every write whose answer may be lost is followed by a read of what it did.
//!
//! A write that failed on nephos's side (a time-out, a 5xx, a dropped connection, even a
//! refusal) may have reached CloudFormation first: the stack deleted, the stack policy set,
//! the change set gone. Before nephos says "nothing was deleted" or "change set deleted",
//! it reads the state the write was to change and says only what that read verified.
//! (ExecuteChangeSet and CreateStack/UpdateStack are read back by [`super::effect`],
//! CreateChangeSet by [`Engine::create_change_set`].)

use std::future::Future;

use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::status::{ChangeSetStatus, StackStatus};
use crate::deploy::engine::{Engine, EngineError};

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
    /// write was to change. `Ok(None)`: written; `Ok(Some(e))`: the write reported `e` but
    /// the read shows its effect (the caller says so); `Err`: not written, or not known.
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
        C: FnOnce() -> CF,
        CF: Future<Output = ReadBack>,
    {
        let e = match self.retry.run(write).await {
            Ok(()) => return Ok(None),
            Err(e) => e,
        };
        match check().await {
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
                || self.read_back_termination_protection(name, on),
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
        let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
        match now.as_deref() {
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
