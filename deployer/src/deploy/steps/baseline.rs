//! Between settle and plan: what the change is judged against. The deployed template is
//! read (failing closed: an unread template is not an empty one), an unchanged app ends the
//! deploy without a change set, and a data-loss refusal certain from the local template
//! alone ends it before anything is written.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::cfn::model::Stack;
use crate::deploy::engine::{DeployOptions, Engine, EngineError, StackRequest};
use crate::deploy::outcome::Outcome;

/// What the deploy goes on with.
#[derive(Debug)]
pub enum Baseline {
    /// Compare with the deployed template: its body as read (`None`: a create, or an
    /// unreadable template `--allow-data-loss` let pass) and parsed (`Null`: none).
    Compare {
        /// The body, for the check that it did not change before the execution.
        body: Option<String>,
        /// The parsed template.
        template: Value,
    },
    /// The deploy ends here: nothing to change, or refused.
    Stop(Box<Outcome>),
}

impl Engine<'_> {
    /// Reads what `req` is judged against in the settled `stack` (`None`: it does not
    /// exist). Only reads, except turning termination protection on or off when that is
    /// all that changes.
    pub async fn baseline(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        stack: Option<&Stack>,
    ) -> Result<Baseline, EngineError> {
        let name = req.stack_name.as_str();
        let (body, template) = match stack {
            Some(_) => match self.deployed(name, opts).await? {
                Ok(read) => read,
                Err(refusal) => return Ok(Baseline::Stop(Box::new(refusal))),
            },
            None => (None, Value::Null),
        };
        if let Some(s) = stack
            && !opts.force
            && template == req.template
            && unchanged_settings(req, s)
        {
            self.sync_protection(req, stack).await?;
            return Ok(Baseline::Stop(Box::new(Outcome::NoChanges {
                stack: name.to_owned(),
                skipped_locally: true,
                discarded: None,
            })));
        }
        // A refusal certain from the local template comes before any write: staging,
        // CreateChangeSet or UpdateStack (issue 12, F4).
        if let Some(refusal) = self.offline_refusal(req, opts, stack, &template).await {
            return Ok(Baseline::Stop(Box::new(refusal)));
        }
        Ok(Baseline::Compare { body, template })
    }

    /// The deployed template a change is judged against. When it cannot be read, the
    /// change is refused (failing closed: an unread template is not an empty one) unless
    /// `--allow-data-loss` allows going on without the check.
    pub(crate) async fn deployed(
        &mut self,
        name: &str,
        opts: &DeployOptions,
    ) -> Result<Result<(Option<String>, Value), Outcome>, EngineError> {
        match self.read_deployed(name).await {
            Ok((body, t)) => Ok(Ok((Some(body), t))),
            Err(e) if opts.allow_data_loss => {
                self.reporter.notice(
                    name,
                    &format!(
                        "cannot read the deployed template ({e}): going on without the data-loss check, as --allow-data-loss allows"
                    ),
                );
                Ok(Ok((None, Value::Null)))
            }
            Err(e) => Ok(Err(unreadable(name, &e))),
        }
    }
}

/// The refusal of a change to a stack whose deployed template cannot be read.
pub(crate) fn unreadable(name: &str, why: &str) -> Outcome {
    Outcome::Refused {
        stack: name.to_owned(),
        reason: format!(
            "cannot read the deployed template of {name}: {why}; nephos cannot check this change for data loss"
        ),
        next_step: "make the deployed template readable (`nephos diff` shows the same error), or rerun with --allow-data-loss to go on without the data-loss check".into(),
        discarded: None,
    }
}

/// Whether the stack's parameters and tags already match the request.
fn unchanged_settings(req: &StackRequest, stack: &Stack) -> bool {
    let params_same = req
        .parameters
        .iter()
        .all(|(k, v)| stack.parameters.iter().any(|(pk, pv)| pk == k && pv == v));
    let tags: BTreeMap<String, String> = stack.tags.iter().cloned().collect();
    params_same && tags == req.tags
}
