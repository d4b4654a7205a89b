//! `--method direct`: no change set; the offline review, approval, then CreateStack or
//! UpdateStack under the same guard (stack policy, changed-since-review check).

use std::time::Instant;

use serde_json::Value;

use crate::cfn::model::{ChangeSetRequest, Stack};
use crate::deploy::engine::{DeployOptions, Engine, EngineError, StackRequest};
use crate::deploy::outcome::Outcome;
use crate::deploy::report::Review;
use crate::deploy::steps::apply::Operation;
use crate::deploy::steps::gate::{Guard, allowed_ids, not_approved, refused_risks};
use crate::deploy::steps::scope::Scope;

impl Engine<'_> {
    /// `--method direct`: review the offline diff, approve, then CreateStack/UpdateStack.
    pub async fn deploy_direct(
        &mut self,
        req: &StackRequest,
        opts: &DeployOptions,
        request: &ChangeSetRequest,
        (old_body, old_template): (Option<String>, Value),
        (start, before): (Instant, Option<&Stack>),
        scope: &mut Scope,
    ) -> Result<Outcome, EngineError> {
        let name = req.stack_name.as_str();
        let diff = self.offline_review(req, before, &old_template, true).await;
        let refused = refused_risks(&diff, opts);
        let allowed = allowed_ids(&diff, opts);
        let needs_approval = opts.approval.requires(&diff) && refused.is_empty();
        self.reporter.review(&Review {
            stack: name.to_owned(),
            change_set: "(none: direct)".into(),
            kind: request.kind,
            capabilities: request.capabilities.clone(),
            diff,
            needs_approval,
        });
        if !refused.is_empty() {
            return Ok(Outcome::DataLossRefused {
                stack: name.to_owned(),
                risks: refused,
                deleted_change_set: None,
            });
        }
        if needs_approval {
            let answer = self.approve(opts.yes, &format!("Deploy these changes to {name}?"));
            if let Some(stop) = not_approved(name, answer) {
                return Ok(stop);
            }
        }
        let protection = match self
            .protection(name, &old_template, &allowed, opts, before.is_some())
            .await?
        {
            Ok(p) => p,
            Err(refusal) => return Ok(refusal),
        };
        let guard = Guard {
            reviewed: old_body,
            protection,
            change_set_id: None,
        };
        self.execute(
            req,
            opts,
            Operation::Direct(request),
            start,
            before,
            guard,
            scope,
        )
        .await
    }
}
