//! Step 4, apply: check that the stack is still what was reviewed, execute the change set
//! under nephos's stack policy, follow the stack until it settles, and say how it ended.

use std::time::Instant;

use serde_json::Value;

use crate::cfn::model::{ChangeSetType, Stack};
use crate::cfn::status::StackStatus;
use crate::deploy::engine::{DeployOptions, Engine, EngineError, Seen, StackRequest};
use crate::deploy::failure::summarize;
use crate::deploy::outcome::Outcome;
use crate::deploy::steps::gate::Guard;
use crate::deploy::wait::Settled;

impl Engine<'_> {
    /// Just before the update: the stack must still be what was reviewed. Another deploy
    /// that ran meanwhile would make the review a promise about a stack that is gone.
    pub async fn changed_since_review(
        &self,
        name: &str,
        guard: &Guard,
    ) -> Result<Option<Outcome>, EngineError> {
        let Some(reviewed) = &guard.reviewed else {
            return Ok(None);
        };
        let now = self
            .call(name, "GetTemplate", || self.cfn.get_template(name))
            .await?;
        Ok((now != *reviewed).then(|| Outcome::Refused {
            stack: name.to_owned(),
            reason: format!(
                "{name} changed while you were reviewing: its deployed template is no longer the one the review was made against (another deploy ran meanwhile)"
            ),
            next_step: "nothing was changed by this run; run `nephos deploy` again to review the stack as it is now".into(),
        }))
    }

    /// Executes a reviewed change set and follows the stack to the end. ExecuteChangeSet
    /// takes no stack policy for the update, so nephos's is set before it and the stack's
    /// own put back once the stack settles; if nephos is stopped in between, its denials
    /// stay (failing safe) and the next deploy replaces them.
    #[allow(clippy::too_many_arguments)]
    pub async fn execute(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        kind: ChangeSetType,
        cs_name: &str,
        start: Instant,
        before: Option<&Stack>,
        guard: Guard,
    ) -> Result<Outcome, EngineError> {
        let name = req.stack_name.as_str();
        let mut seen = self.event_ids(name).await?;
        if let Some(p) = &guard.protection {
            self.call(name, "SetStackPolicy", || {
                self.cfn.set_stack_policy(name, &p.during)
            })
            .await?;
        }
        let executed = self
            .call(name, "ExecuteChangeSet", || {
                self.cfn
                    .execute_change_set(name, cs_name, opts.disable_rollback)
            })
            .await;
        let outcome = match executed {
            Ok(()) => self.follow(req, opts, kind, start, before, &mut seen).await,
            Err(e) => Err(e),
        };
        if let Some(p) = &guard.protection
            && let Err(e) = self
                .retry
                .run(|| self.cfn.set_stack_policy(name, &p.restore))
                .await
        {
            self.reporter.notice(
                name,
                &format!(
                    "could not put the stack's own stack policy back ({e}); nephos's data-loss denials stay until the next `nephos deploy`"
                ),
            );
        }
        outcome
    }

    /// Follows the stack after its operation began, to the outcome.
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
        let (settled, events) = self
            .wait_settled(name, seen, stale, opts.cancel_on_interrupt)
            .await?;
        match settled {
            Settled::Done(s) if s.status.is_success() => {
                if kind == ChangeSetType::Create && req.termination_protection {
                    self.call(name, "UpdateTerminationProtection", || {
                        self.cfn.set_termination_protection(name, true)
                    })
                    .await?;
                }
                self.finish(Outcome::Deployed {
                    stack: name.to_owned(),
                    status: s.status.to_string(),
                    outputs: s.outputs,
                    elapsed: start.elapsed(),
                })
            }
            Settled::Done(s) => self.finish(Outcome::Failed(summarize(&s, &events))),
            Settled::Gone => {
                let gone = Stack {
                    name: name.to_owned(),
                    status: StackStatus::DeleteComplete,
                    ..Default::default()
                };
                self.finish(Outcome::Failed(summarize(&gone, &events)))
            }
            Settled::Interrupted(s) => {
                let status = s.map(|s| s.status).unwrap_or_default();
                let cancelled = opts.cancel_on_interrupt && status == StackStatus::UpdateInProgress;
                let status = status.to_string();
                let resume = if cancelled {
                    format!(
                        "the update is being cancelled and rolled back; follow it with `nephos status {name} --wait`"
                    )
                } else {
                    format!(
                        "CloudFormation goes on without nephos; follow it with `nephos status {name} --wait` (or stop it with `--cancel-on-interrupt`)"
                    )
                };
                self.finish(Outcome::Interrupted {
                    stack: name.to_owned(),
                    status,
                    cancelled,
                    resume,
                })
            }
        }
    }
}
