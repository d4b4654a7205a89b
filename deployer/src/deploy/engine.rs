//! Deploying one stack: settle its state, create a change set, review, approve, execute,
//! follow it to the end and explain the result.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use nephos::assembly::Asset;
use serde_json::Value;

use super::approval::{Answer, ApprovalPolicy};
use super::interrupt::Interrupt;
use super::outcome::{Discarded, Outcome};
use super::poll::PollPolicy;
use super::report::Reporter;
use super::steps::apply::Operation;
use super::steps::baseline::Baseline;
use super::steps::gate::{Gate, ReviewHead};
use super::steps::plan::{PlanInput, PlanRequest, Planned, change_set_type, failed_in_plan};
use super::steps::scope::{Reached, Scope};
use super::steps::settle::Settle;
use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::model::{ParameterValue, Stack};
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::{CloudFormation, Staging};
use crate::diff::facts::ReplacementFacts;
use crate::diff::managed::PolicyReader;
use crate::output::prompt::Prompter;

/// A stack to deploy.
#[derive(Clone, Debug, Default)]
pub struct StackRequest {
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The template as it will be sent.
    pub template_body: String,
    /// The same, parsed.
    pub template: Value,
    /// Parameter values; the template's other parameters keep their previous values.
    pub parameters: BTreeMap<String, String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Whether termination protection must be on.
    pub termination_protection: bool,
    /// Assets to upload before deploying.
    pub assets: Vec<Asset>,
    /// The assembly directory the asset paths are relative to.
    pub assembly_dir: PathBuf,
}

/// Deploy settings from the command line.
#[derive(Clone, Debug, Default)]
pub struct DeployOptions {
    /// When to ask before executing.
    pub approval: ApprovalPolicy,
    /// Approve everything without asking (`--yes`).
    pub yes: bool,
    /// Execute the change set (false: `--no-execute`).
    pub execute: bool,
    /// `--no-rollback`.
    pub disable_rollback: bool,
    /// `--role-arn`.
    pub role_arn: Option<String>,
    /// `--cancel-on-interrupt`.
    pub cancel_on_interrupt: bool,
    /// The name for a new change set.
    pub change_set_name: String,
    /// Execute this reviewed change set instead of creating one (`--change-set`).
    pub existing_change_set: Option<String>,
    /// Create a change set even when the template is unchanged (`--force`).
    pub force: bool,
    /// Deploy with CreateStack/UpdateStack instead of a change set (`--method direct`): the
    /// review is the offline diff alone.
    pub direct: bool,
    /// Logical IDs whose replacement or removal may lose data (`--allow-replace`, repeatable).
    pub allow_replace: Vec<String>,
    /// Allow every replacement and removal of stateful resources (`--allow-data-loss`).
    pub allow_data_loss: bool,
}

/// A failed call, with the stack and step it happened in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineError {
    /// The stack.
    pub stack: String,
    /// The API call or step.
    pub step: &'static str,
    /// The error.
    pub source: CfnError,
    /// What the failure left behind and the next step, once known (the deploy's scope
    /// adds it).
    pub after: Option<String>,
}

impl EngineError {
    /// The same error, ending with what it leaves behind and the next step.
    /// What is already said (a write read back) stays, first.
    pub fn then(mut self, after: String) -> Self {
        self.after = Some(match self.after.take() {
            Some(first) => format!("{first}; {after}"),
            None => after,
        });
        self
    }
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} failed: {}", self.stack, self.step, self.source)?;
        match &self.after {
            Some(after) => write!(f, "; {after}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for EngineError {}

/// The deployer's decision-making, over the seam.
pub struct Engine<'a> {
    /// CloudFormation.
    pub cfn: &'a dyn CloudFormation,
    /// S3 and STS, for assets and large templates (`None`: fail if they are needed).
    pub staging: Option<&'a dyn Staging>,
    /// IAM, to show what attached managed policies grant (`None`: attachments only).
    pub iam: Option<&'a dyn crate::cfn::seam::Iam>,
    /// Who approves.
    pub prompter: &'a dyn Prompter,
    /// Who hears about it.
    pub reporter: &'a mut dyn Reporter,
    /// Replacement facts for the review.
    pub facts: &'a dyn ReplacementFacts,
    /// Retries of throttled and transient calls.
    pub retry: RetryPolicy,
    /// The polling schedule.
    pub poll: PollPolicy,
    /// Ctrl-C.
    pub interrupt: Interrupt,
}

impl Engine<'_> {
    /// Where the review reads what attached managed policies grant (`None` without IAM:
    /// the review shows attachments only).
    pub(crate) fn policies(&self) -> Option<PolicyReader<'_>> {
        self.iam.map(|iam| PolicyReader {
            iam,
            account: self.staging,
            retry: self.retry,
        })
    }

    pub(super) fn fail(stack: &str, step: &'static str) -> impl FnOnce(CfnError) -> EngineError {
        let stack = stack.to_owned();
        move |source| EngineError {
            stack,
            step,
            source,
            after: None,
        }
    }

    /// Performs one call through the seam: retried as the retry policy says, and on failure
    /// an error naming the stack and the step (the API call) it happened in.
    pub async fn call<T, F, Fut>(
        &self,
        stack: &str,
        step: &'static str,
        op: F,
    ) -> Result<T, EngineError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CfnError>>,
    {
        self.retry.run(op).await.map_err(Self::fail(stack, step))
    }

    /// [`Engine::call`] for a read whose `NotFound` is an answer: `None` when the thing
    /// read does not exist.
    pub async fn call_found<T, F, Fut>(
        &self,
        stack: &str,
        step: &'static str,
        op: F,
    ) -> Result<Option<T>, EngineError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CfnError>>,
    {
        match self.retry.run(op).await {
            Ok(found) => Ok(Some(found)),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Self::fail(stack, step)(e)),
        }
    }

    /// `DescribeStacks`, retried.
    pub async fn describe(&self, name: &str) -> Result<Option<Stack>, EngineError> {
        self.call(name, "DescribeStacks", || self.cfn.describe_stack(name))
            .await
    }

    /// Reports the outcome and returns it.
    pub(super) fn finish(&mut self, outcome: Outcome) -> Result<Outcome, EngineError> {
        self.reporter.outcome(&outcome);
        Ok(outcome)
    }

    /// `--yes`, or the prompter's answer; Ctrl-C while asking is [`Answer::Interrupted`]
    /// whatever the prompter returned.
    pub(super) fn approve(&self, yes: bool, question: &str) -> Answer {
        if yes {
            return Answer::Yes;
        }
        let answer = self.prompter.confirm(question);
        match answer {
            _ if self.interrupt.is_triggered() => Answer::Interrupted,
            Some(true) => Answer::Yes,
            Some(false) => Answer::No,
            None => Answer::NoTerminal,
        }
    }

    /// Deploys one stack: the steps run inside a [`Scope`], and every way out of them (an
    /// outcome, or an error from any call) passes through its cleanup, which deletes the
    /// change set this run created and did not execute; a failure then ends with the
    /// stack's state and the next step.
    pub async fn deploy(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
    ) -> Result<Outcome, EngineError> {
        let name = req.stack_name.as_str();
        let mut scope = Scope::default();
        let result = self.deploy_steps(req, opts, &mut scope).await;
        let deleted = match (scope.reached, scope.kind) {
            (Reached::ChangeSet, Some(kind)) => {
                Some(self.discard(name, &scope.change_set, kind).await)
            }
            _ => None,
        };
        // A write the seam refused after Ctrl-C (`cfn::halt`) ends the deploy as
        // interrupted, saying what was and was not changed, not as a failure.
        let result = match result {
            Err(e) if e.source.kind == ErrorKind::Interrupted => {
                Ok(scope.interrupted(name, e.step))
            }
            other => other,
        };
        match (result, deleted) {
            (Ok(outcome), Some(deleted)) => self.finish(outcome.with_discarded(Discarded {
                change_set: scope.change_set.clone(),
                deleted,
            })),
            (Ok(outcome), None) => self.finish(outcome),
            (Err(e), deleted) => Err(e.then(scope.after_failure(name, deleted))),
        }
    }

    /// The steps of [`Engine::deploy`]; they record in `scope` how far they got and
    /// return the outcome unreported.
    async fn deploy_steps(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        scope: &mut Scope,
    ) -> Result<Outcome, EngineError> {
        let start = Instant::now();
        let name = req.stack_name.as_str();
        let stack = match self.settle(req, opts).await? {
            Settle::Ready(stack) => stack,
            Settle::Stop(outcome) => return Ok(outcome),
        };
        scope.status_before = Some(stack.as_ref().map(|s| s.status.clone()));
        // Termination protection is changed only once the change is approved and started
        // (or when there is nothing else to change): a refusal, `--no-execute` or a "no"
        // leaves the stack as it was, as their messages say.
        let kind = change_set_type(stack.as_ref());
        scope.kind = Some(kind);
        if stack.is_some() {
            let current = opts
                .existing_change_set
                .as_deref()
                .unwrap_or(&opts.change_set_name);
            self.note_leftovers(name, current).await;
        }
        if let Some(cs) = &opts.existing_change_set {
            return self
                .deploy_existing(req, opts, cs, (start, stack.as_ref()), scope)
                .await;
        }
        let (old_body, old_template) = match self.baseline(req, opts, stack.as_ref()).await? {
            Baseline::Compare { body, template } => (body, template),
            Baseline::Stop(outcome) => return Ok(*outcome),
        };
        let change_set = PlanRequest {
            change_set_name: &opts.change_set_name,
            role_arn: opts.role_arn.clone(),
            description: "created by nephos deploy",
        };
        if opts.direct {
            let request = self
                .change_set_request(req, stack.as_ref(), change_set)
                .await?;
            return self
                .deploy_direct(
                    req,
                    opts,
                    &request,
                    (old_body, old_template),
                    (start, stack.as_ref()),
                    scope,
                )
                .await;
        }
        let plan = self
            .plan(PlanInput {
                req,
                stack: stack.as_ref(),
                deployed: &old_template,
                change_set,
                show_no_changes: false,
            })
            .await;
        // From here on this run's change set may exist: the scope deletes it on every exit
        // until it is executed or deliberately left for review.
        scope.change_set.clone_from(&plan.change_set);
        scope.reached = plan.reached;
        let reviewed = match plan.result? {
            Planned::Changes(reviewed) => reviewed,
            Planned::NoChanges(_) => {
                self.sync_protection(req, stack.as_ref()).await?;
                return Ok(Outcome::NoChanges {
                    stack: name.to_owned(),
                    skipped_locally: false,
                    discarded: None,
                });
            }
            Planned::Interrupted => return Ok(self.interrupted_in_plan(name)),
            Planned::NotExecutable(r) => {
                return Ok(Outcome::Refused {
                    stack: name.to_owned(),
                    reason: r.reason,
                    next_step: r.next_step,
                    discarded: None,
                });
            }
            Planned::Failed(cs) => return Ok(failed_in_plan(name, &cs)),
        };
        let cs_name = opts.change_set_name.as_str();
        let review = ReviewHead {
            stack: name,
            change_set: cs_name,
            kind,
            capabilities: plan.capabilities,
        };
        let mut guard = match self
            .gate(opts, review, reviewed.review, &old_template, old_body)
            .await?
        {
            Gate::Go(guard) => guard,
            Gate::Stop { outcome, discard } => {
                if !discard {
                    scope.reached = Reached::Kept;
                }
                return Ok(outcome);
            }
        };
        // What was reviewed is this creation of the change set: one deleted and made again
        // under the same name meanwhile is another change set.
        guard.change_set_id = Some(reviewed.change_set_id);
        self.execute(
            req,
            opts,
            Operation::ChangeSet(cs_name),
            start,
            stack.as_ref(),
            guard,
            scope,
        )
        .await
    }

    /// Reads, parses and checks the deployed template (see [`super::deployed`]), or says
    /// why it cannot be trusted.
    pub(super) async fn read_deployed(&self, name: &str) -> Result<(String, Value), String> {
        super::deployed::read_deployed(self.cfn, &self.retry, name).await
    }

    /// Turns termination protection on or off to match the request: called only after the
    /// update started, or when the deploy changes nothing else.
    pub(super) async fn sync_protection(
        &mut self,
        req: &StackRequest,
        stack: Option<&Stack>,
    ) -> Result<(), EngineError> {
        let name = req.stack_name.as_str();
        if let Some(s) = stack
            && s.termination_protection != req.termination_protection
        {
            let on = req.termination_protection;
            self.write_protection(name, on).await?;
            self.reporter.notice(
                name,
                &format!(
                    "termination protection turned {}",
                    if on { "on" } else { "off" }
                ),
            );
        }
        Ok(())
    }
}

/// The change set's parameters: the requested values, and `UsePreviousValue` for the other
/// parameters the stack already has and the new template still declares.
pub fn change_set_parameters(
    req: &StackRequest,
    stack: Option<&Stack>,
) -> Vec<(String, ParameterValue)> {
    let declared = req.template.get("Parameters").and_then(Value::as_object);
    let mut out: Vec<(String, ParameterValue)> = req
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), ParameterValue::Value(v.clone())))
        .collect();
    if let (Some(stack), Some(declared)) = (stack, declared) {
        for (k, _) in &stack.parameters {
            if declared.contains_key(k) && !req.parameters.contains_key(k) {
                out.push((k.clone(), ParameterValue::Previous));
            }
        }
    }
    out
}

/// Helper for the wait module: a set of event ids.
pub(super) type Seen = HashSet<String>;
