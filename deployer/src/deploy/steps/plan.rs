//! Step 2, plan: stage the assets and the template, create the change set, wait for
//! CloudFormation to compute it, and build the review from what it computed. `nephos
//! deploy` goes on to the gate with the review; `nephos diff --change-set` shows it and
//! discards the change set.

use serde_json::Value;

use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::model::TemplateSource;
use crate::cfn::model::{ChangeSet, ChangeSetRequest, ChangeSetType, Stack, is_no_changes_error};
use crate::cfn::seam::Staging;
use crate::cfn::status::{ChangeSetStatus, ExecutionStatus, StackStatus};
use crate::deploy::capabilities;
use crate::deploy::engine::{Engine, EngineError, StackRequest, change_set_parameters};
use crate::deploy::failure::FailureReport;
use crate::deploy::outcome::Outcome;
use crate::deploy::staging;
use crate::deploy::steps::readback::{ReadBack, Unwritten};
use crate::deploy::steps::scope::Reached;
use crate::diff::TemplateDiff;
use crate::diff::parameters::ParameterValues;
use crate::diff::review;

/// What the plan step needs: the stack to deploy, where it stands, and the change set to
/// make.
pub struct PlanInput<'r> {
    /// The stack to deploy.
    pub req: &'r StackRequest,
    /// The settled stack (`None`: it does not exist, so the change set creates it).
    pub stack: Option<&'r Stack>,
    /// The deployed template the review compares with (`Null`: none).
    pub deployed: &'r Value,
    /// The change set's name, role and description.
    pub change_set: PlanRequest<'r>,
    /// Whether a review of no changes is shown (`diff --change-set`): then it reads what
    /// managed policies grant, as every review shown does. `deploy` shows none, and reads
    /// nothing for it.
    pub show_no_changes: bool,
}

/// What the plan step did: the change set it made, how far it got (the caller's scope
/// marker: whether this run's change set exists to execute or discard), and what
/// CloudFormation made of it.
#[derive(Debug)]
pub struct Plan {
    /// This run's change set's name.
    pub change_set: String,
    /// Create or update.
    pub kind: ChangeSetType,
    /// The capabilities it was created with.
    pub capabilities: Vec<String>,
    /// [`Reached::ChangeSet`] when this run's change set exists or may exist (its
    /// `CreateChangeSet` answer was lost and reading back could not rule it out): the
    /// caller executes, keeps or discards it. [`Reached::Nothing`] otherwise.
    pub reached: Reached,
    /// What CloudFormation made of the change set, or the call that failed.
    pub result: Result<Planned, EngineError>,
}

/// A computed change set and its review.
#[derive(Debug)]
pub struct Reviewed {
    /// The change set's id: what was reviewed is this creation of it, and it is executed
    /// by this id.
    pub change_set_id: String,
    /// The review: the templates' diff reconciled with the change set's resource changes,
    /// the data-loss risks judged on them, managed policies expanded.
    pub review: TemplateDiff,
}

/// What CloudFormation made of the change set.
#[derive(Debug)]
pub enum Planned {
    /// Computed: its id and the review.
    Changes(Reviewed),
    /// Nothing to change: the review of the templates reconciled with no resource change
    /// (what `nephos diff --change-set` shows when only outputs or metadata differ; its
    /// managed policies are read only when [`PlanInput::show_no_changes`] asks).
    NoChanges(Box<TemplateDiff>),
    /// It failed, or ended in a status nephos does not know: the change set as last seen.
    Failed(ChangeSet),
    /// Computed, but CloudFormation does not offer it for execution (its `ExecutionStatus`
    /// is not `AVAILABLE`): why, and what to do.
    NotExecutable(Refusal),
    /// Ctrl-C while it was being computed.
    Interrupted,
}

/// What waiting for the change set ended with, before the review.
#[derive(Debug)]
pub enum Computed {
    /// Computed: the change set, with its resource changes and its id.
    Changes(ChangeSet),
    /// CloudFormation found nothing to change (the change set exists, failed saying so).
    Empty,
    /// See [`Planned::Failed`].
    Failed(ChangeSet),
    /// See [`Planned::NotExecutable`].
    NotExecutable(Refusal),
    /// See [`Planned::Interrupted`].
    Interrupted,
}

/// Who asks for the change set, and under which name.
pub struct PlanRequest<'r> {
    /// The change set's name.
    pub change_set_name: &'r str,
    /// The service role CloudFormation assumes, if any.
    pub role_arn: Option<String>,
    /// Shown in the console: which command created it.
    pub description: &'r str,
}

/// Why a change set cannot be executed, and what the user can do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Why, naming the status.
    pub reason: String,
    /// The next step.
    pub next_step: String,
}

/// Why the computed change set `cs` of `stack` cannot be executed, from its
/// `ExecutionStatus` (`None`: it is `AVAILABLE`, the only status CloudFormation executes,
/// and nephos read all of its changes).
/// The match is exhaustive: a status AWS adds is refused, never executed on a guess.
pub fn not_executable(stack: &str, cs_name: &str, cs: &ChangeSet) -> Option<Refusal> {
    use ExecutionStatus::*;
    let status = &cs.execution_status;
    let recreate = "nothing was changed; run `nephos deploy` to create a new change set (`nephos deploy --no-execute` to review it first)".to_owned();
    let (why, next_step) = match status {
        Available if cs.unread.is_empty() => return None,
        Available => (
            format!(
                "it holds {} change(s) nephos cannot read ({}), so nephos cannot judge it",
                cs.unread.len(),
                cs.unread.join(", ")
            ),
            format!(
                "nothing was changed; inspect it with `aws cloudformation describe-change-set --stack-name {stack} --change-set-name {cs_name}` (or update nephos)"
            ),
        ),
        Unavailable => (
            "CloudFormation has not made it executable".to_owned(),
            format!(
                "nothing was changed; check it with `aws cloudformation describe-change-set --stack-name {stack} --change-set-name {cs_name}`, or run `nephos deploy` to create a new one"
            ),
        ),
        ExecuteInProgress => (
            "it is being executed already".to_owned(),
            format!("follow the running update with `nephos status {stack} --wait`"),
        ),
        ExecuteComplete => ("it was executed already".to_owned(), recreate),
        ExecuteFailed => (
            "its execution failed".to_owned(),
            format!(
                "see why with `nephos status {stack}`, then run `nephos deploy` to create a new change set"
            ),
        ),
        Obsolete => (
            "it is obsolete: the stack was updated after it was created".to_owned(),
            recreate,
        ),
        Unknown(_) => (
            "nephos does not know this execution status, so it cannot tell whether executing is safe".to_owned(),
            format!(
                "nothing was changed; inspect it with `aws cloudformation describe-change-set --stack-name {stack} --change-set-name {cs_name}` (or update nephos)"
            ),
        ),
    };
    let status = match status.as_str() {
        "" => "(none)",
        s => s,
    };
    let reason = match &cs.status_reason {
        Some(r) if !r.is_empty() => format!(
            "change set {cs_name} cannot be executed: its ExecutionStatus is {status} ({why}); CloudFormation says: {r}"
        ),
        _ => format!(
            "change set {cs_name} cannot be executed: its ExecutionStatus is {status} ({why})"
        ),
    };
    Some(Refusal { reason, next_step })
}

/// How to inspect a change set like this run's, which is discarded rather than kept: a
/// next step never points at a change set nephos deletes.
pub fn inspect_another(stack: &str) -> String {
    format!(
        "nothing was changed and this run's change set is not kept: to inspect one, create it for review with `nephos deploy --no-execute` (which leaves it in place) and read it with `aws cloudformation describe-change-set --stack-name {stack} --change-set-name NAME`"
    )
}

/// `r` for this run's change set, which is discarded: a next step that would have the user
/// inspect it says how to get one to inspect instead.
fn discarded(stack: &str, r: Refusal) -> Refusal {
    if !r.next_step.contains("describe-change-set") {
        return r;
    }
    Refusal {
        reason: r.reason,
        next_step: format!("{} (or update nephos)", inspect_another(stack)),
    }
}

/// The deploy's outcome when CloudFormation could not compute the change set `cs`: its
/// status and reason, and the next step.
pub fn failed_in_plan(stack: &str, cs: &ChangeSet) -> Outcome {
    Outcome::Failed(FailureReport {
        stack: stack.to_owned(),
        status: format!("change set {}", cs.status),
        stack_reason: cs.status_reason.clone(),
        root_cause: None,
        other_failures: Vec::new(),
        cancelled: 0,
        next_step: if cs.status.is_unknown() {
            format!(
                "CloudFormation reported a change set status nephos does not know (update nephos); {}",
                inspect_another(stack)
            )
        } else {
            "nothing was changed; fix the template or parameters named above and deploy again"
                .into()
        },
    })
}

/// Create or update, from whether the stack exists.
pub fn change_set_type(stack: Option<&Stack>) -> ChangeSetType {
    if stack.is_some() {
        ChangeSetType::Update
    } else {
        ChangeSetType::Create
    }
}

impl Engine<'_> {
    /// Stages the assets and the template, and builds the `CreateChangeSet` request.
    pub async fn change_set_request(
        &mut self,
        req: &StackRequest,
        stack: Option<&Stack>,
        plan: PlanRequest<'_>,
    ) -> Result<ChangeSetRequest, EngineError> {
        let template = self.stage(req).await?;
        Ok(ChangeSetRequest {
            stack_name: req.stack_name.clone(),
            change_set_name: plan.change_set_name.to_owned(),
            kind: change_set_type(stack),
            template,
            parameters: change_set_parameters(req, stack),
            capabilities: capabilities::required(&req.template),
            tags: req
                .tags
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            role_arn: plan.role_arn,
            description: Some(plan.description.to_owned()),
            client_token: crate::cfn::token::request_token(),
        })
    }

    /// Step 2: stages the assets and the template, creates the change set, waits until
    /// CloudFormation has computed it and builds the review from it. The change set is left
    /// in place, whatever happens: [`Plan::reached`] says whether it exists, and the caller
    /// executes, keeps or discards it. A failed `CreateChangeSet` is read back by name, and
    /// "maybe created" counts as created.
    pub async fn plan(&mut self, input: PlanInput<'_>) -> Plan {
        let PlanInput {
            req,
            stack,
            deployed,
            change_set,
            show_no_changes,
        } = input;
        let name = change_set.change_set_name.to_owned();
        let (reached, computed) = match self.change_set_request(req, stack, change_set).await {
            Err(e) => (Reached::Nothing, Err(e)),
            Ok(request) => match self.create_change_set(&request).await {
                Ok(true) => (Reached::ChangeSet, self.computed(&request).await),
                // CloudFormation refused to make one at all: nothing to discard.
                Ok(false) => (Reached::Nothing, Ok(Computed::Empty)),
                // "Maybe created" is created: the caller discards it.
                Err(u) if matches!(u.read, ReadBack::NotDone(_)) => {
                    (Reached::Nothing, Err(u.error))
                }
                Err(u) => (Reached::ChangeSet, Err(u.error)),
            },
        };
        let values = ParameterValues::of(stack, &req.parameters);
        let policies = self.policies();
        let review_of = |changes, policies| {
            review(
                deployed,
                &req.template,
                &values,
                self.facts,
                Some(changes),
                policies,
            )
        };
        let result = match computed {
            Err(e) => Err(e),
            Ok(Computed::Changes(cs)) => Ok(Planned::Changes(Reviewed {
                review: review_of(cs.changes, policies).await,
                change_set_id: cs.id,
            })),
            Ok(Computed::Empty) => {
                let policies = policies.filter(|_| show_no_changes);
                let review = review_of(Vec::new(), policies).await;
                Ok(Planned::NoChanges(Box::new(review)))
            }
            Ok(Computed::Failed(cs)) => Ok(Planned::Failed(cs)),
            Ok(Computed::NotExecutable(r)) => Ok(Planned::NotExecutable(r)),
            Ok(Computed::Interrupted) => Ok(Planned::Interrupted),
        };
        Plan {
            change_set: name,
            kind: change_set_type(stack),
            capabilities: capabilities::required(&req.template),
            reached,
            result,
        }
    }

    /// `CreateChangeSet`; `false` when CloudFormation refused it only because there is
    /// nothing to change (then no change set exists). Its answer may be lost after
    /// CloudFormation made the change set (a time-out, a 5xx, an unknown failure): such a
    /// failure is read back by name, and only `NotFound` says it does not exist ("maybe
    /// created" is created: every caller discards it). A definite refusal (invalid
    /// template, access denied) made nothing.
    pub async fn create_change_set(
        &mut self,
        request: &ChangeSetRequest,
    ) -> Result<bool, Unwritten> {
        let (stack, cs) = (
            request.stack_name.as_str(),
            request.change_set_name.as_str(),
        );
        let written = self
            .write_read_back(
                stack,
                "CreateChangeSet",
                || self.cfn.create_change_set(request),
                |answered| self.read_back_create_change_set(stack, cs, answered),
            )
            .await;
        match written {
            Ok(None) => Ok(true),
            Ok(Some(e)) => {
                self.reporter.notice(
                    stack,
                    &format!("CreateChangeSet reported an error ({e}), but change set {cs} exists: it is discarded"),
                );
                Err(Unwritten {
                    error: Self::fail(stack, "CreateChangeSet")(e),
                    read: ReadBack::Done,
                })
            }
            Err(u) if is_no_changes_error(&u.error.source) => Ok(false),
            Err(u) => Err(u),
        }
    }

    /// Waits until CloudFormation has computed the change set `request` created, and says
    /// what it made of it.
    pub async fn computed(&mut self, request: &ChangeSetRequest) -> Result<Computed, EngineError> {
        let name = request.stack_name.as_str();
        let cs = self.wait_change_set(name, &request.change_set_name).await?;
        Ok(match cs {
            None => Computed::Interrupted,
            Some(c) if c.is_empty_failure() => Computed::Empty,
            Some(c) if c.status != ChangeSetStatus::CreateComplete => Computed::Failed(c),
            Some(c) => match not_executable(name, &request.change_set_name, &c) {
                Some(r) => Computed::NotExecutable(discarded(name, r)),
                None => Computed::Changes(c),
            },
        })
    }

    /// Uploads assets and (if too large to send inline) the template.
    pub async fn stage(&mut self, req: &StackRequest) -> Result<TemplateSource, EngineError> {
        let name = req.stack_name.as_str();
        let large = req.template_body.len() > staging::MAX_INLINE_TEMPLATE;
        let Some(st) = self.staging_for(req)? else {
            return Ok(TemplateSource::Body(req.template_body.clone()));
        };
        let bucket = self
            .call(name, "staging bucket", || staging::resolve_bucket(st))
            .await?;
        let n = self
            .call(name, "asset upload", || {
                staging::upload_assets(st, &bucket, &req.assembly_dir, &req.assets)
            })
            .await?;
        if !req.assets.is_empty() {
            self.reporter.notice(
                name,
                &format!(
                    "assets: {n} uploaded, {} already in {bucket}",
                    req.assets.len() - n
                ),
            );
        }
        if !large {
            return Ok(TemplateSource::Body(req.template_body.clone()));
        }
        let url = self
            .call(name, "template upload", || {
                staging::upload_template(st, &bucket, name, &req.template_body)
            })
            .await?;
        self.reporter.notice(
            name,
            &format!(
                "template is {} bytes: uploaded to {url}",
                req.template_body.len()
            ),
        );
        Ok(TemplateSource::Url(url))
    }

    /// Deletes a change set that will not be executed, and the empty stack a create change
    /// set left behind, so no phantom REVIEW_IN_PROGRESS stack remains (this run's create
    /// change set was not executed, so that stack holds no resources). That stack is deleted
    /// only when it holds no other change set: one waiting there is someone's review, and deleting the
    /// stack would delete it (nephos deletes only what it created in this run). Best effort:
    /// the outcome being reported matters more than a failed cleanup, which is noticed;
    /// returns whether the change set is gone.
    pub async fn discard(&mut self, stack: &str, cs: &str, kind: ChangeSetType) -> bool {
        // Undoing this run's own change: sent even after Ctrl-C (`cfn::halt`).
        let _cleanup = self.interrupt.cleaning_up();
        // The stack is deleted only while it is provably the empty one this run made: still
        // in review (a change set executed meanwhile, by anyone, would have given it
        // resources, and CloudFormation drops every change set of a stack it executes one
        // of, ours included) and holding exactly this run's change set.
        let only_ours = kind == ChangeSetType::Create
            && self
                .retry
                .run(|| self.cfn.list_change_sets(stack))
                .await
                .is_ok_and(|names| names.len() == 1 && names[0] == cs)
            && self
                .retry
                .run(|| self.cfn.describe_stack(stack))
                .await
                .is_ok_and(|s| s.is_some_and(|s| s.status == StackStatus::ReviewInProgress));
        let delete_stack = kind == ChangeSetType::Create && only_ours;
        if kind == ChangeSetType::Create && !only_ours {
            self.reporter.notice(
                stack,
                "the stack is no longer only this run's empty stack in review (other change sets, or it changed meanwhile): only this run's change set is deleted",
            );
        }
        // Each delete is read back when it fails: its answer may be lost after it took
        // effect, and "could not delete" with a command for a change set already gone
        // would be as wrong as "deleted" for one still there.
        let written = if delete_stack {
            self.write_read_back(
                stack,
                "DeleteStack",
                || self.cfn.delete_stack(stack, None),
                |_| self.read_back_delete_stack(stack, &StackStatus::ReviewInProgress),
            )
            .await
        } else {
            self.write_read_back(
                stack,
                "DeleteChangeSet",
                || self.cfn.delete_change_set(stack, cs),
                |_| self.read_back_delete_change_set(stack, cs),
            )
            .await
        };
        let what = if delete_stack {
            format!("the empty stack {stack} in review (with change set {cs})")
        } else {
            format!("change set {cs}")
        };
        let command = if delete_stack {
            format!("aws cloudformation delete-stack --stack-name {stack}")
        } else {
            format!(
                "aws cloudformation delete-change-set --stack-name {stack} --change-set-name {cs}"
            )
        };
        match written {
            Ok(_) => true,
            Err(u) => {
                let note = match u.read {
                    ReadBack::Unknown(why) => format!(
                        "could not delete {what}: {}; nephos cannot tell whether it is gone ({why}): check, and if it is still there delete it with `{command}`",
                        u.error.source
                    ),
                    _ => format!(
                        "could not delete {what}: {}; delete it with `{command}`",
                        u.error.source
                    ),
                };
                self.reporter.notice(stack, &note);
                false
            }
        }
    }
}

impl<'a> Engine<'a> {
    /// The deploy's outcome when Ctrl-C (or `--timeout`) stopped it while CloudFormation
    /// computed the change set: no update was started, so none was cancelled.
    pub fn interrupted_in_plan(&self, stack: &str) -> Outcome {
        let resume = match self.interrupt.timed_out_at() {
            Some(bound) => format!(
                "CloudFormation had not computed the change set when nephos stopped waiting at {bound}; nothing was executed or changed: see the stack with `nephos status {stack}` and run `nephos deploy` again"
            ),
            None => "nothing was changed; run `nephos deploy` again".into(),
        };
        Outcome::Interrupted {
            stack: stack.to_owned(),
            status: "change set pending".into(),
            cancelled: false,
            resume,
            discarded: None,
        }
    }

    /// The staging bucket's seam when `req` needs it (assets, or a template too large to
    /// send inline; `None`: it does not), or the error when it needs one and none is
    /// configured. [`Engine::deploy`] checks it first, before anything is written (a stuck
    /// rollback continued, a failed create deleted).
    pub fn staging_for(&self, req: &StackRequest) -> Result<Option<&'a dyn Staging>, EngineError> {
        let large = req.template_body.len() > staging::MAX_INLINE_TEMPLATE;
        if req.assets.is_empty() && !large {
            return Ok(None);
        }
        if let Some(st) = self.staging {
            return Ok(Some(st));
        }
        Err(EngineError {
            stack: req.stack_name.clone(),
            step: "staging",
            source: CfnError::new(
                ErrorKind::Config,
                "assets or a large template need the staging bucket, which is not configured",
            ),
            after: None,
        })
    }
}
