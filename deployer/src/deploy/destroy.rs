//! Destroying a stack: confirm, respect termination protection, say what is retained,
//! follow the delete.

use serde_json::Value;

use super::approval::Answer;
use super::engine::{Engine, EngineError};
use super::failure::summarize;
use super::outcome::Outcome;
use super::steps::apply::stack_difference;
use super::steps::readback::ReadBack;
use super::wait::Settled;
use crate::cfn::error::ErrorKind;
use crate::cfn::model::Stack;
use crate::cfn::status::StackStatus;

/// Destroy settings.
#[derive(Clone, Debug, Default)]
pub struct DestroyOptions {
    /// Skip the confirmation.
    pub yes: bool,
    /// `--role-arn`.
    pub role_arn: Option<String>,
    /// Go on when the deployed template cannot be read (`--allow-data-loss`): the plan of
    /// what is deleted and what is retained cannot be said then.
    pub allow_data_loss: bool,
}

/// The resources a template keeps on stack deletion, with their policy.
pub fn retained(template: &Value) -> Vec<String> {
    let Some(res) = template.get("Resources").and_then(Value::as_object) else {
        return Vec::new();
    };
    res.iter()
        .filter_map(|(id, r)| {
            let ty = r.get("Type").and_then(Value::as_str).unwrap_or_default();
            match r.get("DeletionPolicy").and_then(Value::as_str) {
                Some("Retain" | "RetainExceptOnCreate") => Some(id.clone()),
                Some("Snapshot") if nephos::facts::snapshots_on_delete(ty) => {
                    Some(format!("{id} (snapshot only)"))
                }
                _ => None,
            }
        })
        .collect()
}

/// What deleting a stack does to each of its resources, said before asking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DestroyPlan {
    /// Resources deleted with the stack, as `Id (Type)`; stateful ones say their data goes.
    pub deleted: Vec<String>,
    /// Resources kept (or snapshotted) by their `DeletionPolicy`, as `Id (Type, Policy)`.
    pub retained: Vec<String>,
}

/// The plan of deleting a stack deployed from `template`.
pub fn plan(template: &Value) -> DestroyPlan {
    let mut p = DestroyPlan::default();
    let Some(res) = template.get("Resources").and_then(Value::as_object) else {
        return p;
    };
    for (id, r) in res {
        let ty = r.get("Type").and_then(Value::as_str).unwrap_or("?");
        match r.get("DeletionPolicy").and_then(Value::as_str) {
            Some(policy @ ("Retain" | "RetainExceptOnCreate")) => {
                p.retained.push(format!("{id} ({ty}, {policy})"))
            }
            Some("Snapshot") if nephos::facts::snapshots_on_delete(ty) => p.retained.push(
                format!("{id} ({ty}, Snapshot: deleted after a final snapshot)"),
            ),
            Some("Snapshot") if nephos::facts::is_stateful(r) => p.deleted.push(format!(
                "{id} ({ty}, stateful: Snapshot is not supported for this type, so its data is deleted)"
            )),
            _ if nephos::facts::is_stateful(r) => p
                .deleted
                .push(format!("{id} ({ty}, stateful: its data is deleted)")),
            _ if nephos::facts::data_holding(r).may_hold_data() => p.deleted.push(format!(
                "{id} ({ty}, nephos does not know whether it holds data)"
            )),
            _ => p.deleted.push(format!("{id} ({ty})")),
        }
    }
    p
}

/// The refusal of a destroy of a stack in a status nephos does not know: deleting it might
/// interrupt an operation, or act on a state nobody judged.
pub(crate) fn unknown_status(stack: &Stack) -> Option<Outcome> {
    let StackStatus::Unknown(status) = &stack.status else {
        return None;
    };
    let name = &stack.name;
    Some(Outcome::Refused {
        stack: name.clone(),
        reason: format!(
            "nephos does not know status {status:?} of stack {name}, so it cannot tell whether deleting it is safe"
        ),
        next_step: format!(
            "nothing was deleted; check the console (or `nephos status {name}`), and run `nephos destroy {name}` again once it shows a known settled status (or update nephos)"
        ),
        discarded: None,
    })
}

/// `n resource(s)`.
fn count(n: usize) -> String {
    format!("{n} resource{}", if n == 1 { "" } else { "s" })
}

/// How far a destroy got, for what a failed call says about the stack.
#[derive(Clone, Debug, Default)]
pub(crate) struct DestroyProgress {
    /// The status the stack was read in, once read.
    pub(crate) status: Option<StackStatus>,
    /// Whether DeleteStack was called.
    pub(crate) delete_requested: bool,
    /// DeleteStack failed and reading the stack again could not tell whether it started.
    pub(crate) delete_unknown: bool,
}

impl DestroyProgress {
    /// What a failure leaves behind and the next step.
    pub(crate) fn after_failure(&self, name: &str) -> String {
        if self.delete_unknown {
            return format!(
                "the stack may be being deleted: check it with `nephos status {name} --wait` before running `nephos destroy {name}` again"
            );
        }
        match (&self.status, self.delete_requested) {
            (_, true) => format!(
                "the delete was requested and CloudFormation goes on without nephos: follow it with `nephos status {name} --wait`"
            ),
            (Some(status), false) => format!(
                "nothing was deleted and the stack is as it was ({status}); fix the cause above and run `nephos destroy {name}` again"
            ),
            (None, false) => format!(
                "nothing was deleted; fix the cause above and run `nephos destroy {name}` again (see `nephos status {name}`)"
            ),
        }
    }
}

impl Engine<'_> {
    /// Destroys one stack. A failed call ends its error with what it left behind and the
    /// next step.
    pub async fn destroy(
        &mut self,
        name: &str,
        opts: &DestroyOptions,
    ) -> Result<Outcome, EngineError> {
        let mut reached = DestroyProgress::default();
        match self.destroy_steps(name, opts, &mut reached).await {
            // A write the seam refused after Ctrl-C (`cfn::halt`): nothing was sent.
            Err(e) if e.source.kind == ErrorKind::Interrupted => {
                let status = reached
                    .status
                    .as_ref()
                    .map_or_else(|| "not read".to_owned(), ToString::to_string);
                let step = e.step;
                self.finish_destroy(Outcome::Interrupted {
                    stack: name.to_owned(),
                    status,
                    cancelled: false,
                    resume: format!(
                        "interrupted before any change; nothing was deleted ({step} was not sent): run `nephos destroy {name}` again"
                    ),
                    discarded: None,
                })
            }
            result => result.map_err(|e| e.then(reached.after_failure(name))),
        }
    }

    async fn destroy_steps(
        &mut self,
        name: &str,
        opts: &DestroyOptions,
        reached: &mut DestroyProgress,
    ) -> Result<Outcome, EngineError> {
        let Some(mut stack) = self.describe(name).await? else {
            self.reporter
                .notice(name, "stack does not exist: nothing to destroy");
            return self.finish_destroy(Outcome::Destroyed {
                stack: name.to_owned(),
                retained: Vec::new(),
            });
        };
        reached.status = Some(stack.status.clone());
        if let Some(refusal) = unknown_status(&stack) {
            return self.finish_destroy(refusal);
        }
        if stack.status.is_in_progress() {
            self.reporter.notice(
                name,
                &format!(
                    "stack is {}: waiting for the running operation to finish",
                    stack.status
                ),
            );
            let mut seen = self.event_ids(name).await?;
            match self.wait_settled(name, &mut seen, None).await?.0 {
                Settled::Done(s) => stack = s,
                Settled::Gone => {
                    return self.finish_destroy(Outcome::Destroyed {
                        stack: name.to_owned(),
                        retained: Vec::new(),
                    });
                }
                Settled::Interrupted(_) => {
                    return self.finish_destroy(Outcome::Interrupted {
                        stack: name.to_owned(),
                        status: stack.status.to_string(),
                        cancelled: false,
                        resume: format!("run `nephos destroy {name}` again once it settles"),
                        discarded: None,
                    });
                }
            }
        }
        reached.status = Some(stack.status.clone());
        // Waiting may end on a status nephos does not know: refused too.
        if let Some(refusal) = unknown_status(&stack) {
            return self.finish_destroy(refusal);
        }
        if stack.termination_protection {
            return self.finish_destroy(Outcome::Refused {
                stack: name.to_owned(),
                reason: "termination protection is on".into(),
                next_step: format!(
                    "turn it off first: set termination protection off in the app and deploy, or `aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {name}`"
                ),
                discarded: None,
            });
        }
        // Failing closed: without the template nobody can be told which resources keep
        // their data, so the delete is not asked for blind.
        // A stack in review was never executed: it holds no resources, whatever its pending
        // change set's template says (or whether it can be read).
        let read = if stack.status == StackStatus::ReviewInProgress {
            self.reporter.notice(
                name,
                "stack is REVIEW_IN_PROGRESS: it was never executed and holds no resources; deleting it deletes its change sets",
            );
            Ok((String::new(), Value::Null))
        } else {
            self.read_deployed(name).await
        };
        let mut planned_text = None;
        let template = match read {
            Ok((text, t)) => {
                if stack.status != StackStatus::ReviewInProgress {
                    planned_text = Some(text);
                }
                t
            }
            Err(e) if opts.allow_data_loss => {
                self.reporter.notice(
                    name,
                    &format!(
                        "cannot read the deployed template ({e}): deleting without a plan of what is retained, as --allow-data-loss allows"
                    ),
                );
                Value::Null
            }
            Err(e) => {
                return self.finish_destroy(Outcome::Refused {
                    stack: name.to_owned(),
                    reason: format!(
                        "cannot read the deployed template of {name}: {e}; nephos cannot say which resources and data the delete would destroy"
                    ),
                    next_step: format!(
                        "make the deployed template readable, or rerun `nephos destroy {name} --allow-data-loss` to delete without that plan"
                    ),
                    discarded: None,
                });
            }
        };
        let kept = retained(&template);
        let total = template
            .get("Resources")
            .and_then(Value::as_object)
            .map_or(0, |m| m.len());
        // Said before asking, so the answer is given knowing what goes and what stays.
        let plan = plan(&template);
        if !plan.deleted.is_empty() {
            self.reporter.notice(
                name,
                &format!(
                    "will delete {}: {}",
                    count(plan.deleted.len()),
                    plan.deleted.join(", ")
                ),
            );
        }
        if !plan.retained.is_empty() {
            self.reporter.notice(
                name,
                &format!(
                    "will retain {} (DeletionPolicy): {}",
                    count(plan.retained.len()),
                    plan.retained.join(", ")
                ),
            );
        }
        let mut question = format!("Destroy stack {name} and its {total} resources?");
        if !kept.is_empty() {
            question.push_str(&format!(" (retained: {})", kept.join(", ")));
        }
        let answer = self.approve(opts.yes, &question);
        if answer == Answer::Interrupted {
            return self.finish_destroy(Outcome::Interrupted {
                stack: name.to_owned(),
                status: stack.status.to_string(),
                cancelled: false,
                resume: format!("nothing was deleted; run `nephos destroy {name}` again"),
                discarded: None,
            });
        }
        if answer != Answer::Yes {
            return self.finish_destroy(Outcome::Refused {
                stack: name.to_owned(),
                reason: if answer == Answer::NoTerminal {
                    "destroying needs confirmation and there is no terminal to ask on".into()
                } else {
                    "not confirmed".into()
                },
                next_step: format!("rerun `nephos destroy {name} --yes` to confirm"),
                discarded: None,
            });
        }
        if let Some(changed) = self
            .changed_since_plan(name, &stack, planned_text.as_deref())
            .await?
        {
            return self.finish_destroy(changed);
        }
        let mut seen = self.event_ids(name).await?;
        // A failed DeleteStack is read back before anything is said: its answer may be
        // lost after CloudFormation started (or finished) the delete.
        let written = self
            .write_read_back(
                name,
                "DeleteStack",
                || self.cfn.delete_stack(name, opts.role_arn.as_deref()),
                |_| self.read_back_delete_stack(name, &stack.status),
            )
            .await;
        match written {
            Ok(None) => {}
            Ok(Some(e)) => self.reporter.notice(
                name,
                &format!(
                    "DeleteStack reported an error ({e}), but CloudFormation is deleting the stack: following it"
                ),
            ),
            Err(u) => {
                reached.delete_unknown = matches!(u.read, ReadBack::Unknown(_));
                return Err(u.into_error());
            }
        }
        reached.delete_requested = true;
        self.reporter.started(name, "destroy", total);
        let (settled, events) = self
            .wait_settled(name, &mut seen, Some(stack.status.clone()))
            .await?;
        let outcome = match settled {
            Settled::Gone => Outcome::Destroyed {
                stack: name.to_owned(),
                retained: kept,
            },
            Settled::Done(s) if s.status == StackStatus::DeleteComplete => Outcome::Destroyed {
                stack: name.to_owned(),
                retained: kept,
            },
            Settled::Done(s) => Outcome::Failed(summarize(&s, &events)),
            Settled::Interrupted(s) => {
                let status = s.map(|s| s.status).unwrap_or_default();
                let resume = match self.interrupt.timed_out_at() {
                    Some(bound) => super::wait::timed_out_resume(name, &status, &bound),
                    None => {
                        format!("the delete goes on; follow it with `nephos status {name} --wait`")
                    }
                };
                Outcome::Interrupted {
                    stack: name.to_owned(),
                    status: status.to_string(),
                    cancelled: false,
                    resume,
                    discarded: None,
                }
            }
        };
        self.finish_destroy(outcome)
    }

    /// Just before DeleteStack: the stack must still be the one the plan was said about
    /// and the answer given for. A change set executed or a deploy run while the user was
    /// asked (a stack in review that now holds resources, a table added) would make the
    /// plan a promise about a stack that is gone. `planned_text`: the deployed template
    /// the plan was made from, when one was read.
    async fn changed_since_plan(
        &self,
        name: &str,
        planned: &Stack,
        planned_text: Option<&str>,
    ) -> Result<Option<Outcome>, EngineError> {
        let changed = |what: String| Outcome::Refused {
            stack: name.to_owned(),
            reason: format!("{name} changed while you were asked: {what}"),
            next_step: format!(
                "nothing was deleted; run `nephos destroy {name}` again to see the plan for the stack as it is now"
            ),
            discarded: None,
        };
        let Some(now) = self.describe(name).await? else {
            return Ok(Some(changed("it no longer exists".into())));
        };
        if let Some(what) = stack_difference(Some(planned), Some(&now)) {
            return Ok(Some(changed(what)));
        }
        let Some(planned_text) = planned_text else {
            return Ok(None);
        };
        let text = self
            .call(name, "GetTemplate", || self.cfn.get_template(name))
            .await?;
        Ok((text != planned_text).then(|| {
            changed("its deployed template is no longer the one the plan was made from".into())
        }))
    }

    fn finish_destroy(&mut self, outcome: Outcome) -> Result<Outcome, EngineError> {
        self.reporter.outcome(&outcome);
        Ok(outcome)
    }
}
