//! Step 2, plan: stage the assets and the template, create the change set and wait for
//! CloudFormation to compute it. `nephos deploy` goes on to build the review from it;
//! `nephos diff --change-set` reads it and discards it.

use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::model::TemplateSource;
use crate::cfn::model::{
    ChangeSet, ChangeSetRequest, ChangeSetType, ResourceChange, Stack, is_no_changes_error,
};
use crate::cfn::status::ChangeSetStatus;
use crate::deploy::capabilities;
use crate::deploy::engine::{Engine, EngineError, StackRequest, change_set_parameters};
use crate::deploy::staging;

/// What CloudFormation made of the change set.
#[derive(Debug)]
pub enum Planned {
    /// Computed: these are the resource changes.
    Changes(Vec<ResourceChange>),
    /// Nothing to change. `left`: a change set that failed saying so is left to discard
    /// (`false` when CloudFormation refused to create one at all).
    NoChanges {
        /// Whether a change set exists to discard.
        left: bool,
    },
    /// It failed, or ended in a status nephos does not know: the change set as last seen.
    Failed(ChangeSet),
    /// Ctrl-C while it was being computed.
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
        })
    }

    /// Creates the change set and waits until CloudFormation has computed it. The change
    /// set is left in place: the caller reviews it, then executes or discards it.
    pub async fn plan(&mut self, request: &ChangeSetRequest) -> Result<Planned, EngineError> {
        let name = request.stack_name.as_str();
        match self.retry.run(|| self.cfn.create_change_set(request)).await {
            Ok(()) => {}
            Err(e) if is_no_changes_error(&e) => return Ok(Planned::NoChanges { left: false }),
            Err(e) => return Err(Self::fail(name, "CreateChangeSet")(e)),
        }
        let cs = self.wait_change_set(name, &request.change_set_name).await?;
        Ok(match cs {
            None => Planned::Interrupted,
            Some(c) if c.is_empty_failure() => Planned::NoChanges { left: true },
            Some(c) if c.status != ChangeSetStatus::CreateComplete => Planned::Failed(c),
            Some(c) => Planned::Changes(c.changes),
        })
    }

    /// Uploads assets and (if too large to send inline) the template.
    pub async fn stage(&mut self, req: &StackRequest) -> Result<TemplateSource, EngineError> {
        let name = req.stack_name.as_str();
        let large = req.template_body.len() > staging::MAX_INLINE_TEMPLATE;
        if req.assets.is_empty() && !large {
            return Ok(TemplateSource::Body(req.template_body.clone()));
        }
        let Some(st) = self.staging else {
            return Err(EngineError {
                stack: name.to_owned(),
                step: "staging",
                source: CfnError::new(
                    ErrorKind::Config,
                    "assets or a large template need the staging bucket, which is not configured",
                ),
            });
        };
        let bucket = self
            .retry
            .run(|| staging::resolve_bucket(st))
            .await
            .map_err(Self::fail(name, "staging bucket"))?;
        let n = self
            .retry
            .run(|| staging::upload_assets(st, &bucket, &req.assembly_dir, &req.assets))
            .await
            .map_err(Self::fail(name, "asset upload"))?;
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
            .retry
            .run(|| staging::upload_template(st, &bucket, name, &req.template_body))
            .await
            .map_err(Self::fail(name, "template upload"))?;
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
    /// set left behind, so no phantom REVIEW_IN_PROGRESS stack remains. That stack is
    /// deleted only when it holds no other change set: one waiting there is someone's
    /// review, and deleting the stack would delete it (nephos deletes only what it created
    /// in this run). Best effort: the outcome being reported matters more than a failed
    /// cleanup, which is only noticed.
    pub async fn discard(&mut self, stack: &str, cs: &str, kind: ChangeSetType) {
        let only_ours = kind == ChangeSetType::Create
            && self
                .retry
                .run(|| self.cfn.list_change_sets(stack))
                .await
                .is_ok_and(|names| names.iter().all(|n| n == cs));
        let r = match kind {
            ChangeSetType::Create if only_ours => {
                self.retry.run(|| self.cfn.delete_stack(stack, None)).await
            }
            ChangeSetType::Create => {
                self.reporter.notice(
                    stack,
                    "the stack holds other change sets waiting for review: only this run's change set is deleted",
                );
                self.retry
                    .run(|| self.cfn.delete_change_set(stack, cs))
                    .await
            }
            ChangeSetType::Update => {
                self.retry
                    .run(|| self.cfn.delete_change_set(stack, cs))
                    .await
            }
        };
        if let Err(e) = r {
            self.reporter
                .notice(stack, &format!("could not delete change set {cs}: {e}"));
        }
    }
}
