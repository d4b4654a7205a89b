//! `--change-set NAME`: executing a change set made earlier (by `nephos deploy
//! --no-execute` or elsewhere). Only reads: it must exist and be executable, and it is
//! judged for data loss by the template it deploys, against the deployed one; a refused
//! change set is left in place (it is the user's).

use std::time::Instant;

use serde_json::Value;

use crate::cfn::model::Stack;
use crate::cfn::status::ChangeSetStatus;
use crate::deploy::engine::{DeployOptions, Engine, EngineError, StackRequest};
use crate::deploy::outcome::Outcome;
use crate::deploy::report::Review;
use crate::deploy::steps::apply::Operation;
use crate::deploy::steps::gate::{Guard, allowed_ids, refused_risks};
use crate::deploy::steps::plan::{change_set_type, not_executable};
use crate::deploy::steps::scope::{Reached, Scope};
use crate::diff::parameters::ParameterValues;
use crate::diff::review;
use crate::source::template::parse_template;

impl Engine<'_> {
    /// `deploy --change-set NAME`: the user's reviewed change set, checked and judged
    /// ([`Engine::check_existing`]), then executed; left in place whatever happens.
    pub(crate) async fn deploy_existing(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        cs: &str,
        (start, stack): (Instant, Option<&Stack>),
        scope: &mut Scope,
    ) -> Result<Outcome, EngineError> {
        // The user's change set: left in place whatever happens.
        scope.change_set = cs.to_owned();
        scope.reached = Reached::Kept;
        let (guard, executed) = match self.check_existing(req, opts, cs, stack).await? {
            Ok(g) => g,
            Err(refusal) => return Ok(refusal),
        };
        // What runs is the change set's template, not the app's: the counts followed
        // come from it (issue 12, F6b).
        let req = &StackRequest {
            template: executed,
            ..req.clone()
        };
        self.execute(
            req,
            opts,
            Operation::ChangeSet(cs),
            start,
            stack,
            guard,
            scope,
        )
        .await
    }

    /// Reads and parses the template change set `cs` of `name` was created from (what
    /// executing it deploys), or says why it cannot.
    async fn change_set_template(&self, name: &str, cs: &str) -> Result<Value, String> {
        let body = self
            .retry
            .run(|| self.cfn.change_set_template(name, cs))
            .await
            .map_err(|e| format!("GetTemplate failed: {e}"))?;
        let parsed = parse_template(&body)?;
        understood(&parsed)?;
        Ok(parsed)
    }

    /// The change set named with `--change-set`, when it can be executed: it exists, is
    /// computed (`CREATE_COMPLETE`) and offered for execution (`AVAILABLE`, every change
    /// read); otherwise the refusal. Only reads: it runs before anything nephos writes, so a
    /// run refused for its change set has changed nothing.
    pub(crate) async fn executable_change_set(
        &self,
        name: &str,
        cs: &str,
    ) -> Result<Result<crate::cfn::model::ChangeSet, Outcome>, EngineError> {
        let found = self
            .call_found(name, "DescribeChangeSet", || {
                self.cfn.describe_change_set(name, cs)
            })
            .await?;
        let described = match found {
            Some(c) => c,
            None => {
                return Ok(Err(Outcome::Refused {
                    stack: name.to_owned(),
                    reason: format!("change set {cs} does not exist on stack {name}"),
                    next_step: format!(
                        "list the stack's change sets with `aws cloudformation list-change-sets --stack-name {name}`, or create one for review with `nephos deploy --no-execute`"
                    ),
                    discarded: None,
                }));
            }
        };
        if described.status != ChangeSetStatus::CreateComplete {
            let reason = match described.status_reason.as_deref() {
                Some(r) if !r.is_empty() => format!(": {r}"),
                _ => String::new(),
            };
            return Ok(Err(Outcome::Refused {
                stack: name.to_owned(),
                reason: format!(
                    "change set {cs} is {} and only a computed (CREATE_COMPLETE) change set can be executed{reason}",
                    described.status
                ),
                next_step: "nothing was changed; run `nephos deploy` to create a new change set (`nephos deploy --no-execute` to review it first)".into(),
                discarded: None,
            }));
        }
        if let Some(r) = not_executable(name, cs, &described) {
            return Ok(Err(Outcome::Refused {
                stack: name.to_owned(),
                reason: r.reason,
                next_step: r.next_step,
                discarded: None,
            }));
        }
        Ok(Ok(described))
    }

    /// The checks for `--change-set NAME` (a change set reviewed earlier): it must exist
    /// and be executable (`ExecutionStatus` `AVAILABLE`); it was made elsewhere, so it is
    /// checked here for data loss against the deployed template and the app's, and left in
    /// place when refused (it is the user's).
    pub async fn check_existing(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        cs: &str,
        stack: Option<&Stack>,
    ) -> Result<Result<(Guard, Value), Outcome>, EngineError> {
        let name = req.stack_name.as_str();
        let described = match self.executable_change_set(name, cs).await? {
            Ok(c) => c,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let id = Some(described.id.clone());
        let (body, old) = if stack.is_none() {
            // A create change set: there is nothing deployed to lose.
            (None, Value::Null)
        } else {
            match self.deployed(name, opts).await? {
                Ok(read) => read,
                Err(refusal) => return Ok(Err(refusal)),
            }
        };
        // Judged is what executing deploys: the change set's own template and parameters,
        // which may differ from the app's (it was made elsewhere, or from another version).
        let template = match self.change_set_template(name, cs).await {
            Ok(t) => t,
            // A create loses nothing: its resources are read from the change set's own
            // changes instead (moto answers a create change set's template without them).
            Err(why) if stack.is_none() => {
                self.reporter.notice(
                    name,
                    &format!(
                        "cannot read the template of change set {cs} ({why}): its resources are taken from the change set's changes"
                    ),
                );
                let resources: serde_json::Map<String, Value> = described
                    .changes
                    .iter()
                    .map(|c| {
                        (
                            c.logical_id.clone(),
                            serde_json::json!({"Type": c.resource_type}),
                        )
                    })
                    .collect();
                serde_json::json!({ "Resources": resources })
            }
            Err(why) => {
                return Ok(Err(Outcome::Refused {
                    stack: name.to_owned(),
                    reason: format!(
                        "cannot read the template of change set {cs}: {why}; nephos judges a change set by the template it deploys and cannot check this one for data loss"
                    ),
                    next_step: format!(
                        "nothing was changed; inspect it with `aws cloudformation get-template --stack-name {name} --change-set-name {cs}`, or run `nephos deploy` to create and review a new change set"
                    ),
                    discarded: None,
                }));
            }
        };
        let values = ParameterValues::of(stack, &described.requested_parameters());
        let diff = review(
            &old,
            &template,
            &values,
            self.facts,
            Some(described.changes),
            self.policies(),
        )
        .await;
        let risks = refused_risks(&diff, opts);
        let allowed = allowed_ids(&diff, opts);
        // The review of what is executed: the change set's own template and changes.
        self.reporter.review(&Review {
            stack: name.to_owned(),
            change_set: cs.to_owned(),
            kind: change_set_type(stack),
            capabilities: Vec::new(),
            diff,
            needs_approval: false,
        });
        if stack.is_none() {
            return Ok(Ok((
                Guard {
                    change_set_id: id,
                    ..Guard::default()
                },
                template,
            )));
        }
        if !risks.is_empty() {
            return Ok(Err(Outcome::DataLossRefused {
                stack: name.to_owned(),
                risks,
                deleted_change_set: None,
            }));
        }
        Ok(
            match self.protection(name, &old, &allowed, opts, true).await? {
                Ok(protection) => Ok((
                    Guard {
                        reviewed: body,
                        protection,
                        change_set_id: id,
                    },
                    template,
                )),
                Err(refusal) => Err(refusal),
            },
        )
    }
}

/// Whether a parsed template (the change set's) can be judged for data loss: its
/// `Resources` is a mapping of resources that each name their `Type`. A template that
/// parses but says nothing nephos can judge is as unread as one that does not parse.
fn understood(t: &Value) -> Result<(), String> {
    let Some(resources) = t.get("Resources").and_then(Value::as_object) else {
        return Err("it has no Resources mapping".into());
    };
    match resources
        .iter()
        .find(|(_, r)| r.get("Type").and_then(Value::as_str).is_none())
    {
        Some((id, _)) => Err(format!("its resource {id} has no Type")),
        None => Ok(()),
    }
}
