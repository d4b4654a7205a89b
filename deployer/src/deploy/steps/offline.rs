//! Refusals certain from the local template alone, made before the run writes anything
//! (issue 12, F4): a removal or replacement of a resource that may hold data, predicted
//! with certainty by the offline review, needs no change set to be refused, and with
//! several stacks it must stop the run before the first stack is deployed.

use serde_json::Value;

use crate::cfn::model::Stack;
use crate::deploy::engine::{DeployOptions, Engine, EngineError, StackRequest};
use crate::deploy::outcome::Outcome;
use crate::deploy::report::Review;
use crate::deploy::steps::gate::refused_risks;
use crate::deploy::steps::plan::change_set_type;
use crate::deploy::steps::settle::{StateAction, decide};
use crate::diff::data_loss::DataLoss;
use crate::diff::model::{Evidence, Hazard};
use crate::diff::parameters::ParameterValues;
use crate::diff::{TemplateDiff, review};

/// Whether a risk is certain offline: the template comparison alone says the resource is
/// removed, renamed or replaced (a create-only property changes), which no change set can
/// turn into an update in place (the worse of the two verdicts is kept). A possible
/// replacement or removal waits for the change set, which may clear it.
pub fn certain_offline(risk: &DataLoss) -> bool {
    risk.evidence == Evidence::Template
        && matches!(
            risk.hazard,
            Hazard::Removed | Hazard::Renamed | Hazard::Replaced
        )
}

impl Engine<'_> {
    /// The review of `req` over the deployed `old` template without a change set (the
    /// offline passes of [`review`]), with the managed policies read when `read_policies`.
    pub(crate) async fn offline_review(
        &self,
        req: &StackRequest,
        stack: Option<&Stack>,
        old: &Value,
        read_policies: bool,
    ) -> TemplateDiff {
        let values = ParameterValues::of(stack, &req.parameters);
        let policies = self.policies().filter(|_| read_policies);
        review(old, &req.template, &values, self.facts, None, policies).await
    }

    /// The refusal the offline review of `req` against the deployed `old` template makes
    /// certain, shown with its review; `None` when nothing refused is certain offline. Only
    /// reads (the managed policies the review expands).
    pub(crate) async fn offline_refusal(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        stack: Option<&Stack>,
        old: &Value,
    ) -> Option<Outcome> {
        let name = req.stack_name.as_str();
        // Judged without calls; only a refusal's review, which is shown, reads what the
        // managed policies it attaches grant (the pure passes run again: milliseconds).
        let offline = self.offline_review(req, stack, old, false).await;
        let refused = refused_risks(&offline, opts);
        if !refused.iter().any(certain_offline) {
            return None;
        }
        let diff = self.offline_review(req, stack, old, true).await;
        self.reporter.review(&Review {
            stack: name.to_owned(),
            change_set: if opts.direct {
                "(none: direct)".into()
            } else {
                "(none yet: refused from the template)".into()
            },
            kind: change_set_type(stack),
            capabilities: Vec::new(),
            diff,
            needs_approval: false,
        });
        Some(Outcome::DataLossRefused {
            stack: name.to_owned(),
            risks: refused,
            deleted_change_set: None,
        })
    }

    /// Reports a [`Engine::preflight`] refusal of `stack`, which stops the whole run before
    /// any stack of it was changed.
    pub fn stop_run(&mut self, stack: &str, refusal: Outcome) {
        self.reporter.notice(
            stack,
            "refused before the first write of this run: no stack of it was deployed or changed",
        );
        self.reporter.outcome(&refusal);
    }

    /// The refusal of `req` that is certain before the run writes anything, from reads
    /// only: a stack state that refuses ([`decide`]), an unreadable deployed template
    /// (unless `--allow-data-loss`), or a data-loss risk certain offline. Run for every
    /// stack of a run before the first one is deployed; a stack whose state the deploy
    /// would first act on (wait, delete, continue a rollback) is judged when it is reached.
    pub async fn preflight(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
    ) -> Result<Option<Outcome>, EngineError> {
        let name = req.stack_name.as_str();
        let stack = self.describe(name).await?;
        let stack = match decide(stack.as_ref()) {
            StateAction::Refuse { reason, next_step } => {
                return Ok(Some(Outcome::Refused {
                    stack: name.to_owned(),
                    reason,
                    next_step,
                    discarded: None,
                }));
            }
            StateAction::Update => stack,
            _ => return Ok(None),
        };
        let old = match self.read_deployed(name).await {
            Ok((_, t)) => t,
            Err(_) if opts.allow_data_loss => return Ok(None),
            Err(e) => return Ok(Some(crate::deploy::steps::baseline::unreadable(name, &e))),
        };
        if old == req.template {
            return Ok(None);
        }
        Ok(self.offline_refusal(req, opts, stack.as_ref(), &old).await)
    }
}
