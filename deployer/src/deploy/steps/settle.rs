//! Step 1, settle: read the stack's state and act on it until it can take a change set.
//!
//! [`decide`] is the one table of stack states: a status CloudFormation adds goes there.
//! [`Engine::settle`] carries out its actions (wait, delete an empty stack, continue a
//! rollback) and reads the state again, a few rounds at most.

use crate::cfn::model::Stack;
use crate::cfn::status::{ChangeSetStatus, ExecutionStatus, StackStatus};
use crate::deploy::approval::Answer;
use crate::deploy::delete_check;
use crate::deploy::engine::{DeployOptions, Engine, EngineError, StackRequest};
use crate::deploy::outcome::Outcome;
use crate::deploy::steps::readback::ReadBack;
use crate::deploy::wait::Settled;

/// How many times a deploy re-examines the stack's state (wait, delete, continue rollback)
/// before giving up on it settling.
const MAX_STATE_ROUNDS: usize = 4;

/// What settling ends with.
#[derive(Debug)]
pub enum Settle {
    /// The stack can take a change set: the deployed stack (`None`: create one).
    Ready(Option<Stack>),
    /// Deploying stops here, with this outcome (refused or interrupted).
    Stop(Outcome),
}

impl Engine<'_> {
    /// Reads the stack's state and acts on it until an update or a create can start. Every
    /// check that can refuse the run without the state's write (the change set named with
    /// `--change-set`, the staging bucket, termination protection, data loss) comes before
    /// that write, so a refused run has written nothing.
    pub async fn settle(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
    ) -> Result<Settle, EngineError> {
        let name = req.stack_name.as_str();
        self.staging_for(req)?;
        let mut stack = self.describe(name).await?;
        let mut ready = false;
        // A create change set waiting for review (`--no-execute`) leaves the stack in
        // REVIEW_IN_PROGRESS: executing it with `--change-set` is a create.
        let mut review_pending = false;
        for _ in 0..MAX_STATE_ROUNDS {
            let status = stack
                .as_ref()
                .map(|s| s.status.to_string())
                .unwrap_or_default();
            match decide(stack.as_ref()) {
                StateAction::Create | StateAction::Update => {
                    ready = true;
                    break;
                }
                StateAction::Wait => {
                    self.reporter.notice(
                        name,
                        &format!("stack is {status}: waiting for the running operation to finish"),
                    );
                    let mut seen = self.event_ids(name).await?;
                    match self.wait_settled(name, &mut seen, None).await?.0 {
                        Settled::Interrupted(s) => {
                            return Ok(Settle::Stop(Outcome::Interrupted {
                                stack: name.to_owned(),
                                status: s.map(|s| s.status.to_string()).unwrap_or(status),
                                cancelled: false,
                                resume: format!(
                                    "run `nephos deploy` again once `nephos status {name}` shows it settled"
                                ),
                                discarded: None,
                            }));
                        }
                        Settled::Done(s) => stack = Some(s),
                        Settled::Gone => stack = None,
                    }
                }
                StateAction::DeleteAndRecreate => {
                    if stack
                        .as_ref()
                        .is_some_and(|s| s.status == StackStatus::ReviewInProgress)
                    {
                        if opts.existing_change_set.is_some() {
                            review_pending = true;
                            ready = true;
                            break;
                        }
                        let pending = self
                            .call(name, "ListChangeSets", || self.cfn.list_change_sets(name))
                            .await?;
                        // The decision is the table's (`nephos diff` reads the same); the
                        // refusal names which change sets can be executed.
                        if matches!(
                            decide_in_review(stack.as_ref(), &pending),
                            StateAction::Refuse { .. }
                        ) {
                            return Ok(Settle::Stop(self.review_refusal(name, &pending).await));
                        }
                    }
                    // Nothing destructive before every check that can refuse: deleting the
                    // stack deletes every change set on it, so the one named with
                    // `--change-set` could not be executed afterwards whatever it holds.
                    if let Some(cs) = &opts.existing_change_set {
                        return Ok(Settle::Stop(Outcome::Refused {
                            stack: name.to_owned(),
                            reason: format!(
                                "stack {name} is {status} from an earlier failed create: it can be deployed again only by deleting it, which deletes change set {cs} with it"
                            ),
                            next_step: format!(
                                "nothing was changed; run `nephos deploy {name}` without --change-set to delete the stack and create it again (`nephos deploy {name} --no-execute` to review first)"
                            ),
                            discarded: None,
                        }));
                    }
                    // DeleteStack fails on a protected stack: say how to turn it off first.
                    if stack.as_ref().is_some_and(|s| s.termination_protection) {
                        return Ok(Settle::Stop(Outcome::Refused {
                            stack: name.to_owned(),
                            reason: format!(
                                "stack {name} is {status} from an earlier failed create and can be deployed again only by deleting it, but its termination protection is on"
                            ),
                            next_step: format!(
                                "nothing was changed; turn it off with `aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {name}`, then deploy again"
                            ),
                            discarded: None,
                        }));
                    }
                    let in_review = stack
                        .as_ref()
                        .is_some_and(|s| s.status == StackStatus::ReviewInProgress);
                    // A stack in review was never executed and holds no resources; any other
                    // failed create may, and deleting it deletes them.
                    let may_lose = if in_review {
                        false
                    } else {
                        match self.delete_would_lose_data(name, &status, opts).await {
                            Ok(may_lose) => may_lose,
                            Err(stop) => return Ok(Settle::Stop(stop)),
                        }
                    };
                    // When --allow-data-loss let a possible loss pass, the check above said
                    // so: this says nothing it did not verify.
                    let verdict = if may_lose {
                        "as --allow-data-loss allows"
                    } else {
                        "and none of its resources holds data that would be lost"
                    };
                    self.reporter.notice(
                        name,
                        &format!("stack is {status} from an earlier failed create {verdict}: deleting it and creating it again"),
                    );
                    let failed_status =
                        stack.as_ref().map(|s| s.status.clone()).unwrap_or_default();
                    let written = self
                        .write_read_back(
                            name,
                            "DeleteStack",
                            || self.cfn.delete_stack(name, opts.role_arn.as_deref()),
                            |_| self.read_back_delete_stack(name, &failed_status),
                        )
                        .await
                        .map_err(|u| u.into_error())?;
                    if let Some(e) = written {
                        self.reporter.notice(
                            name,
                            &format!("DeleteStack reported an error ({e}), but CloudFormation is deleting the stack: following it"),
                        );
                    }
                    let mut seen = self.event_ids(name).await?;
                    stack = match self.wait_settled(name, &mut seen, None).await?.0 {
                        Settled::Done(s) if s.status != StackStatus::DeleteComplete => Some(s),
                        Settled::Interrupted(_) => {
                            return Ok(Settle::Stop(Outcome::Interrupted {
                                stack: name.to_owned(),
                                status: StackStatus::DeleteInProgress.to_string(),
                                cancelled: false,
                                resume: "run `nephos deploy` again once the delete is done".into(),
                                discarded: None,
                            }));
                        }
                        _ => None,
                    };
                }
                StateAction::ContinueRollback => {
                    // A named change set that cannot be executed is refused before the
                    // rollback is continued (or even asked about).
                    if let Some(cs) = &opts.existing_change_set
                        && let Err(refusal) = self.executable_change_set(name, cs).await?
                    {
                        return Ok(Settle::Stop(refusal));
                    }
                    let q = format!(
                        "Stack {name} is UPDATE_ROLLBACK_FAILED. Continue the rollback (ContinueUpdateRollback)?"
                    );
                    let answer = self.approve(opts.yes, &q);
                    if answer == Answer::Interrupted {
                        return Ok(Settle::Stop(Outcome::Interrupted {
                            stack: name.to_owned(),
                            status: status.clone(),
                            cancelled: false,
                            resume: "nothing was changed; run `nephos deploy` again to continue the rollback".into(),
                            discarded: None,
                        }));
                    }
                    if answer != Answer::Yes {
                        return Ok(Settle::Stop(Outcome::Refused {
                            stack: name.to_owned(),
                            reason: "the stack is UPDATE_ROLLBACK_FAILED and its rollback must be continued before an update".into(),
                            next_step: format!(
                                "rerun with --yes to continue the rollback, or skip the stuck resources with `aws cloudformation continue-update-rollback --stack-name {name} --resources-to-skip ...`"
                            ),
                            discarded: None,
                        }));
                    }
                    self.reporter.notice(name, "continuing the update rollback");
                    let mut seen = self.event_ids(name).await?;
                    let written = self
                        .write_read_back(
                            name,
                            "ContinueUpdateRollback",
                            || {
                                self.cfn
                                    .continue_update_rollback(name, opts.role_arn.as_deref())
                            },
                            |_| self.read_back_continue_rollback(name, &seen),
                        )
                        .await;
                    match written {
                        Ok(None) => {}
                        Ok(Some(e)) => self.reporter.notice(
                            name,
                            &format!("ContinueUpdateRollback reported an error ({e}), but reading the stack back shows the rollback went on: following it"),
                        ),
                        Err(u) => {
                            let next = match &u.read {
                                ReadBack::NotDone(what) => format!(
                                    "the rollback was not continued ({what})"
                                ),
                                _ => format!(
                                    "check the stack with `nephos status {name} --wait` before deploying again"
                                ),
                            };
                            return Err(u.into_error().then(next));
                        }
                    }
                    let stale = stack.as_ref().map(|s| s.status.clone());
                    match self.wait_settled(name, &mut seen, stale).await?.0 {
                        Settled::Done(s) => stack = Some(s),
                        Settled::Gone => stack = None,
                        Settled::Interrupted(_) => {
                            return Ok(Settle::Stop(Outcome::Interrupted {
                                stack: name.to_owned(),
                                status: StackStatus::UpdateRollbackInProgress.to_string(),
                                cancelled: false,
                                resume: "run `nephos deploy` again once the rollback is done"
                                    .into(),
                                discarded: None,
                            }));
                        }
                    }
                }
                StateAction::Refuse { reason, next_step } => {
                    return Ok(Settle::Stop(Outcome::Refused {
                        stack: name.to_owned(),
                        reason,
                        next_step,
                        discarded: None,
                    }));
                }
            }
        }
        if !ready {
            return Ok(Settle::Stop(Outcome::Refused {
                stack: name.to_owned(),
                reason: "the stack did not reach a state that can be deployed to".into(),
                next_step: format!("inspect it with `nephos status {name}`"),
                discarded: None,
            }));
        }
        // A create change set under review leaves a stack that holds nothing: executing it
        // is a create.
        Ok(Settle::Ready(if review_pending { None } else { stack }))
    }
}

/// How many change sets of a stack in review are read one by one; past it the rest count
/// as unread.
const MAX_REVIEWED_CHANGE_SETS: usize = 20;

impl Engine<'_> {
    /// The refusal for a stack in REVIEW_IN_PROGRESS that holds change sets: each is read, so
    /// only a computed, executable one is called "waiting for review" and offered; a failed,
    /// executed or unreadable one is named as such, and when none can be executed the way on
    /// is deleting the stack.
    async fn review_refusal(&self, name: &str, listed: &[String]) -> Outcome {
        let mut executable = Vec::new();
        let mut other = Vec::new();
        for (i, cs) in listed.iter().enumerate() {
            if i >= MAX_REVIEWED_CHANGE_SETS {
                other.push(format!("{cs} (not read)"));
                continue;
            }
            match self
                .retry
                .run(|| self.cfn.describe_change_set(name, cs))
                .await
            {
                Ok(c)
                    if c.status == ChangeSetStatus::CreateComplete
                        && c.execution_status == ExecutionStatus::Available =>
                {
                    executable.push(cs.clone());
                }
                Ok(c) => other.push(format!("{cs} ({}, {})", c.status, c.execution_status)),
                Err(e) => other.push(format!("{cs} (cannot be read: {e})")),
            }
        }
        let others = if other.is_empty() {
            String::new()
        } else {
            format!("; not executable: {}", other.join(", "))
        };
        match executable.first() {
            Some(first) => Outcome::Refused {
                stack: name.to_owned(),
                reason: format!(
                    "stack is REVIEW_IN_PROGRESS with change set {} waiting for review{others}; nephos deletes only change sets it created in this run",
                    executable.join(", ")
                ),
                next_step: format!(
                    "review it with `aws cloudformation describe-change-set --stack-name {name} --change-set-name {first}` and execute it with `nephos deploy {name} --change-set {first}`, or delete the stack and its change sets with `nephos destroy {name}`"
                ),
                discarded: None,
            },
            None => Outcome::Refused {
                stack: name.to_owned(),
                reason: format!(
                    "stack is REVIEW_IN_PROGRESS and none of its change sets can be executed{others}; nephos deletes only change sets it created in this run"
                ),
                next_step: format!(
                    "delete the stack and its change sets with `nephos destroy {name}`, then deploy again"
                ),
                discarded: None,
            },
        }
    }

    /// The data-loss judgement before nephos deletes a failed create on its own (see
    /// [`crate::deploy::delete_check`]): a refusal when a stateful resource would be
    /// deleted or the stack's resources cannot be judged, unless `--allow-data-loss`;
    /// otherwise whether data may be lost (allowed, and noticed).
    async fn delete_would_lose_data(
        &mut self,
        name: &str,
        status: &str,
        opts: &DeployOptions,
    ) -> Result<bool, Outcome> {
        let listed = self
            .call(name, "ListStackResources", || {
                self.cfn.stack_resources(name)
            })
            .await;
        // The template is read even when every listed resource is gone: it is what tells
        // whether the listing lacks one.
        let lost = match &listed {
            Ok(rs) => {
                let template = self.read_deployed(name).await.map(|(_, t)| t);
                delete_check::lost_on_delete(rs, template.as_ref().map_err(String::as_str))
            }
            Err(e) => vec![format!(
                "its resources cannot be listed ({e}), so nephos cannot tell whether any holds data"
            )],
        };
        if lost.is_empty() {
            return Ok(false);
        }
        if opts.allow_data_loss {
            self.reporter.notice(
                name,
                &format!(
                    "going on as --allow-data-loss allows: deleting the stack may delete {}",
                    lost.join(", ")
                ),
            );
            return Ok(true);
        }
        Err(Outcome::Refused {
            stack: name.to_owned(),
            reason: format!(
                "stack {name} is {status} from an earlier failed create, and it can be deployed again only by deleting it; that would delete: {}",
                lost.join(", ")
            ),
            next_step: format!(
                "nothing was changed; save or retain that data first (`nephos status {name}` lists the resources), then rerun with --allow-data-loss to delete the stack and create it again"
            ),
            discarded: None,
        })
    }
}

/// The action a deploy takes before creating its change set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateAction {
    /// No stack: create it.
    Create,
    /// A settled stack: update it.
    Update,
    /// An operation is running: wait for it, then decide again.
    Wait,
    /// A stack that never got created (ROLLBACK_COMPLETE, REVIEW_IN_PROGRESS, ...): it can
    /// only be deleted, so delete it and create it again, once the data-loss judgement of
    /// [`crate::deploy::delete_check`] says none of its remaining resources holds data.
    DeleteAndRecreate,
    /// UPDATE_ROLLBACK_FAILED: the rollback must be continued before any update.
    ContinueRollback,
    /// Nothing the deployer can safely do; the message says what the user can.
    Refuse {
        /// Why.
        reason: String,
        /// What to do next.
        next_step: String,
    },
}

/// Decides from the stack's status and, for a stack in `REVIEW_IN_PROGRESS`, the change sets
/// it holds (`pending`, listed by the caller): one waiting for review is someone's, and
/// nephos deletes only what it created in the run, so deploy refuses rather than delete
/// the stack (issue 12, F6a). `deploy` and `diff` both read this, so they never disagree.
pub fn decide_in_review(stack: Option<&Stack>, pending: &[String]) -> StateAction {
    match stack {
        Some(s) if s.status == StackStatus::ReviewInProgress && !pending.is_empty() => {
            let name = &s.name;
            let first = &pending[0];
            StateAction::Refuse {
                reason: format!(
                    "stack {name} is REVIEW_IN_PROGRESS with change set {} waiting for review; nephos deletes only change sets it created in this run",
                    pending.join(", ")
                ),
                next_step: format!(
                    "execute it with `nephos deploy {name} --change-set {first}`, or delete the stack and its change sets with `nephos destroy {name}`"
                ),
            }
        }
        _ => decide(stack),
    }
}

/// Decides from the stack's current status (`None`: it does not exist).
///
/// This is the one table of stack states: a status CloudFormation adds goes here (the match
/// is exhaustive over the known ones, so the compiler asks for it). A status nephos does not
/// know is refused, never guessed at.
pub fn decide(stack: Option<&Stack>) -> StateAction {
    use StackStatus::*;
    let Some(stack) = stack else {
        return StateAction::Create;
    };
    let name = &stack.name;
    match &stack.status {
        DeleteComplete => StateAction::Create,
        RollbackComplete | RollbackFailed | ReviewInProgress | CreateFailed => {
            StateAction::DeleteAndRecreate
        }
        UpdateRollbackFailed => StateAction::ContinueRollback,
        DeleteFailed => StateAction::Refuse {
            reason: format!(
                "stack {name} is DELETE_FAILED: an earlier delete left resources behind"
            ),
            next_step: format!(
                "finish the delete with `nephos destroy {name}` (see `nephos status {name}` for the resources that failed)"
            ),
        },
        CreateInProgress
        | RollbackInProgress
        | DeleteInProgress
        | UpdateInProgress
        | UpdateCompleteCleanupInProgress
        | UpdateRollbackInProgress
        | UpdateRollbackCompleteCleanupInProgress
        | ImportInProgress
        | ImportRollbackInProgress => StateAction::Wait,
        // UPDATE_FAILED: an update with rollback disabled failed; it can be updated again
        // (the fix deployed) or rolled back, as the failure's next step says.
        CreateComplete
        | UpdateComplete
        | UpdateRollbackComplete
        | UpdateFailed
        | ImportComplete
        | ImportRollbackComplete => StateAction::Update,
        other @ ImportRollbackFailed => StateAction::Refuse {
            reason: format!("stack {name} is in {other}, which nephos does not know how to update"),
            next_step: format!("inspect it with `nephos status {name}`"),
        },
        Unknown(other) => StateAction::Refuse {
            reason: format!(
                "stack {name} is in {other:?}, a status nephos does not know, so it cannot tell whether an update is safe"
            ),
            next_step: format!(
                "inspect it with `nephos status {name}` and deploy again once it shows a known settled status (or update nephos)"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(status: StackStatus) -> StateAction {
        decide(Some(&Stack {
            name: "s".into(),
            status,
            ..Default::default()
        }))
    }

    #[test]
    fn every_documented_state_has_an_action() {
        assert_eq!(decide(None), StateAction::Create);
        for s in [
            StackStatus::CreateComplete,
            StackStatus::UpdateComplete,
            StackStatus::UpdateRollbackComplete,
            StackStatus::UpdateFailed,
            StackStatus::ImportComplete,
        ] {
            assert_eq!(at(s.clone()), StateAction::Update, "{s}");
        }
        for s in [
            StackStatus::CreateInProgress,
            StackStatus::UpdateInProgress,
            StackStatus::UpdateCompleteCleanupInProgress,
            StackStatus::UpdateRollbackInProgress,
            StackStatus::RollbackInProgress,
            StackStatus::DeleteInProgress,
        ] {
            assert_eq!(at(s.clone()), StateAction::Wait, "{s}");
        }
        for s in [
            StackStatus::RollbackComplete,
            StackStatus::ReviewInProgress,
            StackStatus::RollbackFailed,
        ] {
            assert_eq!(at(s.clone()), StateAction::DeleteAndRecreate, "{s}");
        }
        assert_eq!(
            at(StackStatus::UpdateRollbackFailed),
            StateAction::ContinueRollback
        );
        assert!(matches!(
            at(StackStatus::DeleteFailed),
            StateAction::Refuse { .. }
        ));
        assert!(matches!(
            at(StackStatus::ImportRollbackFailed),
            StateAction::Refuse { .. }
        ));
    }

    #[test]
    fn the_table_agrees_with_the_status_classes() {
        // `wait` stops on `is_in_progress` and an update needs `is_updatable`: the table
        // must say the same for every known status.
        for st in StackStatus::KNOWN {
            assert_eq!(
                at(st.clone()) == StateAction::Wait,
                st.is_in_progress(),
                "{st}"
            );
            assert_eq!(
                at(st.clone()) == StateAction::Update,
                st.is_updatable(),
                "{st}"
            );
        }
    }

    /// Issue 12 (F6a): a stack in review holding someone's change set is refused, for
    /// deploy and diff alike; an empty one is deleted and created again.
    #[test]
    fn a_stack_in_review_with_a_pending_change_set_is_refused() {
        let s = Stack {
            name: "s".into(),
            status: StackStatus::ReviewInProgress,
            ..Default::default()
        };
        let StateAction::Refuse { reason, next_step } =
            decide_in_review(Some(&s), &["theirs".into()])
        else {
            panic!("not refused");
        };
        assert!(
            reason.contains("change set theirs waiting for review"),
            "{reason}"
        );
        assert!(
            next_step.contains("nephos deploy s --change-set theirs"),
            "{next_step}"
        );
        assert_eq!(
            decide_in_review(Some(&s), &[]),
            StateAction::DeleteAndRecreate
        );
        let done = Stack {
            status: StackStatus::UpdateComplete,
            ..s
        };
        assert_eq!(
            decide_in_review(Some(&done), &["x".into()]),
            StateAction::Update
        );
    }

    #[test]
    fn an_unknown_status_is_refused_naming_it_and_the_way_on() {
        for s in ["UPDATE_PAUSED_IN_PROGRESS", "FOO_COMPLETE", ""] {
            let StateAction::Refuse { reason, next_step } = at(StackStatus::from(s)) else {
                panic!("{s:?} not refused");
            };
            assert!(reason.contains(&format!("{s:?}")), "{reason}");
            assert!(reason.contains("does not know"), "{reason}");
            assert!(next_step.contains("nephos status s"), "{next_step}");
        }
    }
}
