//! Step 4, apply: check that the stack is still what was reviewed, execute the change set
//! under nephos's stack policy, follow the stack until it settles, and say how it ended.

use std::time::Instant;

use serde_json::Value;

use crate::cfn::model::{ChangeSetRequest, ChangeSetType, Stack, is_no_changes_error};
use crate::cfn::status::{ChangeSetStatus, ExecutionStatus, StackStatus};
use crate::deploy::engine::{DeployOptions, Engine, EngineError, Seen, StackRequest};
use crate::deploy::failure::summarize;
use crate::deploy::outcome::Outcome;
use crate::deploy::steps::gate::Guard;
use crate::deploy::steps::plan::change_set_type;
use crate::deploy::steps::readback::ReadBack;
use crate::deploy::steps::scope::{Reached, Scope};
use crate::deploy::wait::Settled;

/// The write that applies a reviewed update.
#[derive(Clone, Copy, Debug)]
pub enum Operation<'r> {
    /// ExecuteChangeSet of this change set (its name; executed by the reviewed id).
    ChangeSet(&'r str),
    /// CreateStack or UpdateStack of this request (`--method direct`).
    Direct(&'r ChangeSetRequest),
}

impl Engine<'_> {
    /// Just before the update: the stack must still be what was reviewed, and the change set
    /// still the computed one. Anyone's change meanwhile (another deploy, an
    /// `update-stack --use-previous-template` that changes only a parameter, an execution of
    /// the change set) would make the review a promise about a stack that is gone, and
    /// executing would silently revert it. `before`: the stack as read before the review
    /// (`None`: it did not exist); `change_set`: the change set to execute (`None`: a direct
    /// update). Compared: status, `LastUpdatedTime`, parameters, the deployed template, and
    /// the change set's `Status` and `ExecutionStatus`; any difference refuses.
    pub async fn changed_since_review(
        &self,
        name: &str,
        guard: &Guard,
        before: Option<&Stack>,
        change_set: Option<&str>,
    ) -> Result<Option<Outcome>, EngineError> {
        let refuse = |what: String| {
            Some(Outcome::Refused {
                stack: name.to_owned(),
                reason: format!(
                    "{name} changed while you were reviewing: {what} (someone else changed it meanwhile)"
                ),
                next_step: "nothing was changed by this run; run `nephos deploy` again to review the stack as it is now".into(),
                discarded: None,
            })
        };
        // A create change set's stack sits in REVIEW_IN_PROGRESS; its change set is checked.
        if before.is_some() || change_set.is_none() {
            let now = self.describe(name).await?;
            if let Some(what) = stack_difference(before, now.as_ref()) {
                return Ok(refuse(what));
            }
        }
        if let Some(reviewed) = &guard.reviewed {
            let now = self
                .call(name, "GetTemplate", || self.cfn.get_template(name))
                .await?;
            if now != *reviewed {
                return Ok(refuse(
                    "its deployed template is no longer the one the review was made against".into(),
                ));
            }
        }
        if let Some(cs) = change_set {
            let now = self
                .call(name, "DescribeChangeSet", || {
                    self.cfn.describe_change_set(name, cs)
                })
                .await?;
            if let Some(id) = guard.change_set_id.as_deref()
                && now.id != id
            {
                return Ok(refuse(format!(
                    "change set {cs} is no longer the one that was reviewed (it was deleted and created again)"
                )));
            }
            if now.status != ChangeSetStatus::CreateComplete
                || now.execution_status != ExecutionStatus::Available
            {
                return Ok(refuse(format!(
                    "change set {cs} is now {} with execution status {}, no longer the computed, executable one that was reviewed",
                    now.status, now.execution_status
                )));
            }
        }
        Ok(None)
    }

    /// Applies a reviewed update, [`Operation::ChangeSet`] or [`Operation::Direct`], and
    /// follows the stack to the end. It first refuses, writing nothing, when the stack or
    /// the change set changed since the review ([`Engine::changed_since_review`]). Both go through the same stack-policy step: neither
    /// ExecuteChangeSet nor a policy sent with UpdateStack replaces the stack's own policy,
    /// so nephos's is set before the write and the stack's own put back only once the stack
    /// has settled (which also clears denials an interrupted run left on the stack):
    /// restoring it while the update still runs would drop the data-loss denials in the
    /// middle of it. When the stack has not settled (Ctrl-C, a status nephos does not know,
    /// a failed read), the denials stay (failing safe) and the outcome says how to restore
    /// the policy.
    #[allow(clippy::too_many_arguments)]
    pub async fn execute(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        op: Operation<'_>,
        start: Instant,
        before: Option<&Stack>,
        guard: Guard,
        scope: &mut Scope,
    ) -> Result<Outcome, EngineError> {
        let name = req.stack_name.as_str();
        // Every way in (this run's change set, `--change-set NAME`, `--method direct`)
        // re-checks here, just before the write, that the stack is what was reviewed.
        let reviewed_change_set = match op {
            Operation::ChangeSet(cs) => Some(cs),
            Operation::Direct(_) => None,
        };
        if let Some(changed) = self
            .changed_since_review(name, &guard, before, reviewed_change_set)
            .await?
        {
            return Ok(changed);
        }
        let kind = change_set_type(before);
        let mut seen = self.event_ids(name).await?;
        if let Some(p) = &guard.protection {
            // Read back when it fails: the answer may be lost after the denials were set
            // (then the update goes on under them), and otherwise the error says exactly
            // what policy the stack holds and how to put the user's own back.
            let written = self
                .write_read_back(
                    name,
                    "SetStackPolicy",
                    || self.cfn.set_stack_policy(name, &p.during),
                    |_| self.read_back_stack_policy(name, &p.during),
                )
                .await;
            match written {
                Ok(None) => {}
                Ok(Some(e)) => self.reporter.notice(
                    name,
                    &format!(
                        "SetStackPolicy reported an error ({e}), but reading the policy back shows nephos's data-loss denials are set: going on"
                    ),
                ),
                Err(u) => {
                    let restore = restore_command(name, &p.restore);
                    let on_stack = match &u.read {
                        ReadBack::NotDone(what) => format!(
                            "reading the policy back shows nephos's denials were not set ({what})"
                        ),
                        ReadBack::Unknown(why) => format!(
                            "nephos cannot tell which stack policy the stack holds now ({why}): it may hold nephos's data-loss denials; check it with `aws cloudformation get-stack-policy --stack-name {name}` and put your own back with `{restore}`"
                        ),
                        ReadBack::Done => String::new(),
                    };
                    return Err(u.error.then(on_stack));
                }
            }
        }
        let (step, change_set) = match op {
            Operation::ChangeSet(cs) => ("ExecuteChangeSet", Some(cs)),
            Operation::Direct(r) if r.kind == ChangeSetType::Create => ("CreateStack", None),
            Operation::Direct(_) => ("UpdateStack", None),
        };
        // A change set is executed by the id that was reviewed, not by its name, which a
        // change set made again meanwhile could have taken.
        let target = guard
            .change_set_id
            .as_deref()
            .filter(|id| !id.is_empty())
            .or(change_set)
            .unwrap_or_default();
        // The answer may be lost while the update runs: the stack is read back before
        // the policy is restored or the stack called unchanged.
        let (cfn, disable_rollback) = (self.cfn, opts.disable_rollback);
        let written = self
            .write_read_back(
                name,
                step,
                move || async move {
                    match op {
                        Operation::ChangeSet(_) => {
                            cfn.execute_change_set(name, target, disable_rollback).await
                        }
                        Operation::Direct(r) => cfn.deploy_direct(r, disable_rollback).await,
                    }
                },
                |_| self.read_back_started(name, change_set, before),
            )
            .await;
        // The write was read back as not done: the stack is as it was, so it has settled and
        // the policy is put back (the outcome then says "unchanged", and nothing may say
        // "not settled" beside it).
        let mut verified_unchanged = false;
        let outcome = match written {
            Ok(None) => {
                scope.reached = Reached::Executed;
                self.started(req, opts, (kind, start, before), &mut seen)
                    .await
            }
            Ok(Some(e)) => {
                self.reporter.notice(
                    name,
                    &format!(
                        "{step} reported an error ({e}), but reading the stack again shows it changed since the call (CloudFormation may have started the update): following it"
                    ),
                );
                scope.reached = Reached::Executed;
                self.started(req, opts, (kind, start, before), &mut seen)
                    .await
            }
            Err(u)
                if change_set.is_none()
                    && is_no_changes_error(&u.error.source)
                    && matches!(u.read, ReadBack::NotDone(_)) =>
            {
                self.sync_protection(req, before)
                    .await
                    .map(|()| Outcome::NoChanges {
                        stack: name.to_owned(),
                        skipped_locally: false,
                        discarded: None,
                    })
            }
            Err(u) => match u.read {
                ReadBack::Unknown(why) => {
                    self.reporter.notice(
                        name,
                        &format!(
                            "cannot tell whether {} started: {why}",
                            change_set.map_or(step, |_| "the update")
                        ),
                    );
                    scope.reached = Reached::MaybeExecuted;
                    Err(u.error)
                }
                ReadBack::NotDone(_) => {
                    verified_unchanged = true;
                    Err(u.error)
                }
                ReadBack::Done => Err(u.error),
            },
        };
        let Some(p) = &guard.protection else {
            return outcome;
        };
        // Settled: the change set was never executed, or the stack reached a known status.
        let settled = match &outcome {
            Err(_) => {
                verified_unchanged
                    || scope.reached == Reached::ChangeSet
                    || scope.reached == Reached::Kept
            }
            Ok(Outcome::Interrupted { .. }) => false,
            Ok(Outcome::Failed(f)) => !StackStatus::from(f.status.as_str()).is_unknown(),
            Ok(_) => true,
        };
        let restore_cmd = restore_command(name, &p.restore);
        let not_restored = if !settled {
            Some(format!(
                "nephos's data-loss stack policy was left on the stack because it has not settled; once it has, put your own back with `{restore_cmd}` (the next `nephos deploy` replaces it too)"
            ))
        } else {
            // Read back when it fails: the answer may be lost after the policy was put back.
            // Putting the stack's own policy back undoes this run's change: sent even after
            // Ctrl-C (`cfn::halt`).
            let _cleanup = self.interrupt.cleaning_up();
            match self
                .write_read_back(
                    name,
                    "SetStackPolicy",
                    || self.cfn.set_stack_policy(name, &p.restore),
                    |_| self.read_back_stack_policy(name, &p.restore),
                )
                .await
            {
                Ok(_) => None,
                Err(u) => Some(match u.read {
                    ReadBack::Unknown(why) => format!(
                        "could not put the stack's own stack policy back ({}) and cannot tell which policy it holds ({why}); nephos's data-loss denials may stay: restore it with `{restore_cmd}` (the next `nephos deploy` replaces them too)",
                        u.error.source
                    ),
                    _ => format!(
                        "could not put the stack's own stack policy back ({}); nephos's data-loss denials stay: restore it with `{restore_cmd}` (the next `nephos deploy` replaces them too)",
                        u.error.source
                    ),
                }),
            }
        };
        let Some(note) = not_restored else {
            return outcome;
        };
        self.reporter.notice(name, &note);
        Ok(match outcome? {
            Outcome::Interrupted {
                stack,
                status,
                cancelled,
                resume,
                discarded,
            } => Outcome::Interrupted {
                stack,
                status,
                cancelled,
                resume: format!("{resume}; {note}"),
                discarded,
            },
            Outcome::Failed(mut f) => {
                f.next_step = format!("{}; {note}", f.next_step);
                Outcome::Failed(f)
            }
            other => other,
        })
    }

    /// Once the update started: termination protection is made to match the request (the
    /// first write that is not the reviewed change itself), then the stack is followed.
    async fn started(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        (kind, start, before): (ChangeSetType, Instant, Option<&Stack>),
        seen: &mut Seen,
    ) -> Result<Outcome, EngineError> {
        self.sync_protection(req, before).await?;
        self.follow(req, opts, kind, start, before, seen).await
    }

    /// Follows the stack after its operation began, to the outcome (returned, not yet
    /// reported).
    pub async fn follow(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        kind: ChangeSetType,
        start: Instant,
        before: Option<&Stack>,
        seen: &mut Seen,
    ) -> Result<Outcome, EngineError> {
        let name = req.stack_name.as_str();
        let total = req
            .template
            .get("Resources")
            .and_then(Value::as_object)
            .map_or(0, |m| m.len());
        let op = if kind == ChangeSetType::Create {
            "create"
        } else {
            "update"
        };
        self.reporter.started(name, op, total);
        // Right after ExecuteChangeSet the stack may still show its old status.
        let stale = match (before, opts.direct) {
            (Some(s), _) => Some(s.status.clone()),
            (None, false) => Some(StackStatus::ReviewInProgress),
            (None, true) => None,
        };
        let (settled, events) = self.wait_settled(name, seen, stale).await?;
        match settled {
            Settled::Done(s) if s.status.is_success() => {
                if kind == ChangeSetType::Create && req.termination_protection {
                    self.write_protection(name, true).await?;
                }
                Ok(Outcome::Deployed {
                    stack: name.to_owned(),
                    status: s.status.to_string(),
                    outputs: s.outputs,
                    elapsed: start.elapsed(),
                })
            }
            Settled::Done(s) if s.status.is_unknown() => {
                let mut f = summarize(&s, &events);
                f.next_step = format!(
                    "nephos does not know status {}; check the console (or `nephos status {name}`) for how the update ended",
                    s.status
                );
                Ok(Outcome::Failed(f))
            }
            Settled::Done(s) => Ok(Outcome::Failed(summarize(&s, &events))),
            Settled::Gone => {
                let gone = Stack {
                    name: name.to_owned(),
                    status: StackStatus::DeleteComplete,
                    ..Default::default()
                };
                Ok(Outcome::Failed(summarize(&gone, &events)))
            }
            Settled::Interrupted(s) => {
                let status = s.map(|s| s.status).unwrap_or_default();
                // Only Ctrl-C cancels: `--timeout` bounds waiting and never cancels.
                let cancel = opts.cancel_on_interrupt
                    && self.interrupt.is_triggered()
                    && status == StackStatus::UpdateInProgress;
                let cancelled = cancel && self.cancel_update(name).await?;
                let resume = if cancelled {
                    format!(
                        "the update is being cancelled and rolled back; follow it with `nephos status {name} --wait`"
                    )
                } else if let Some(bound) = self.interrupt.timed_out_at() {
                    super::super::wait::timed_out_resume(name, &status, &bound)
                } else {
                    format!(
                        "CloudFormation goes on without nephos; follow it with `nephos status {name} --wait` (or stop it with `--cancel-on-interrupt`)"
                    )
                };
                Ok(Outcome::Interrupted {
                    stack: name.to_owned(),
                    status: status.to_string(),
                    cancelled,
                    resume,
                    discarded: None,
                })
            }
        }
    }

    /// CancelUpdateStack after Ctrl-C (`--cancel-on-interrupt`); whether the update is
    /// being cancelled, as the call's answer or reading the stack back says. When neither
    /// shows it, the error says what the read showed: the update may go on.
    async fn cancel_update(&mut self, name: &str) -> Result<bool, EngineError> {
        let written = self
            .write_read_back(
                name,
                "CancelUpdateStack",
                || self.cfn.cancel_update_stack(name),
                |_| self.read_back_cancel_update(name),
            )
            .await;
        match written {
            Ok(None) => Ok(true),
            Ok(Some(e)) => {
                self.reporter.notice(
                    name,
                    &format!(
                        "CancelUpdateStack reported an error ({e}), but reading the stack back shows the update is being rolled back"
                    ),
                );
                Ok(true)
            }
            Err(u) => {
                let read = match &u.read {
                    ReadBack::NotDone(what) => {
                        format!("the update was not cancelled ({what})")
                    }
                    ReadBack::Unknown(why) => {
                        format!("nephos cannot tell whether the update was cancelled ({why})")
                    }
                    ReadBack::Done => String::new(),
                };
                Err(u.error.then(read))
            }
        }
    }
}

/// The command that puts the stack's own policy `restore` back on `name`, quoted for a
/// POSIX shell.
pub(crate) fn restore_command(name: &str, restore: &str) -> String {
    format!(
        "aws cloudformation set-stack-policy --stack-name {name} --stack-policy-body '{}'",
        restore.replace('\'', "'\\''")
    )
}

/// What differs between the stack as reviewed and as it is now (`None`: nothing nephos
/// compares). Parameters are compared as CloudFormation reports them (NoEcho ones masked
/// the same way both times).
pub(crate) fn stack_difference(before: Option<&Stack>, now: Option<&Stack>) -> Option<String> {
    match (before, now) {
        (None, None) => None,
        (None, Some(n)) => Some(format!("it was created meanwhile ({})", n.status)),
        (Some(_), None) => Some("it was deleted meanwhile".into()),
        (Some(b), Some(n)) if b.id != n.id => Some(format!(
            "another stack of that name replaced it ({})",
            n.status
        )),
        (Some(b), Some(n)) if b.status != n.status => {
            Some(format!("it was {} and is now {}", b.status, n.status))
        }
        (Some(b), Some(n)) if b.last_updated != n.last_updated => Some(format!(
            "it was updated at {}",
            n.last_updated.as_deref().unwrap_or("an unknown time")
        )),
        (Some(b), Some(n)) => {
            let mut was = b.parameters.clone();
            let mut is = n.parameters.clone();
            was.sort();
            is.sort();
            (was != is).then(|| {
                let changed: std::collections::BTreeSet<&str> = is
                    .iter()
                    .filter(|p| !was.contains(p))
                    .chain(was.iter().filter(|p| !is.contains(p)))
                    .map(|(k, _)| k.as_str())
                    .collect();
                let changed: Vec<&str> = changed.into_iter().collect();
                format!("its parameters changed ({})", changed.join(", "))
            })
        }
    }
}
