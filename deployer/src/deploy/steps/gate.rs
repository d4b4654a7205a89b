//! Step 3, gate: show the review, then refuse data loss nobody allowed, ask for approval,
//! and build the stack policy that guards the update. Nothing here writes to the stack.

use serde_json::Value;

use crate::cfn::model::ChangeSetType;
use crate::deploy::approval::Answer;
use crate::deploy::engine::{DeployOptions, Engine, EngineError};
use crate::deploy::outcome::Outcome;
use crate::deploy::policy;
use crate::deploy::report::Review;
use crate::diff::TemplateDiff;
use crate::diff::data_loss::DataLoss;
use crate::diff::unjudged::unjudged;

/// The data-loss risks of `diff` that `opts` does not allow.
pub fn refused_risks(diff: &TemplateDiff, opts: &DeployOptions) -> Vec<DataLoss> {
    diff.data_loss
        .iter()
        .filter(|r| !r.allowed(&opts.allow_replace, opts.allow_data_loss))
        .cloned()
        .collect()
}

/// The logical IDs whose data-loss risks `opts` allows: the `--allow-replace` IDs, and the
/// deployed ID of a rename allowed by its new ID.
pub fn allowed_ids(diff: &TemplateDiff, opts: &DeployOptions) -> Vec<String> {
    let mut ids = opts.allow_replace.clone();
    ids.extend(
        diff.data_loss
            .iter()
            .filter(|r| r.allowed(&opts.allow_replace, opts.allow_data_loss))
            .map(|r| r.logical_id.clone()),
    );
    ids
}

/// The outcome of asking for approval when it was not given (`None`: approved). Ctrl-C at
/// the prompt stops the deploy as interrupted (exit non-zero). What became of this run's
/// change set is said by the scope that deletes it ([`crate::deploy::outcome::Discarded`]).
pub fn not_approved(stack: &str, answer: Answer) -> Option<Outcome> {
    let next_step =
        "review the changes, then rerun with --yes or --require-approval never (under nephos watch, which takes no --yes, answer on a terminal or pass --require-approval never)".to_owned();
    let reason = match answer {
        Answer::Yes => return None,
        Answer::Interrupted => {
            return Some(Outcome::Interrupted {
                stack: stack.to_owned(),
                status: "waiting for approval".into(),
                cancelled: false,
                resume: "nothing was changed; run `nephos deploy` again to review and approve"
                    .into(),
                discarded: None,
            });
        }
        Answer::NoTerminal => "these changes need approval and there is no terminal to ask on",
        Answer::No => "the changes were not approved",
    };
    Some(Outcome::Refused {
        stack: stack.to_owned(),
        reason: format!("{reason}; nothing was changed"),
        next_step,
        discarded: None,
    })
}

/// What an update was reviewed against and how CloudFormation guards it.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    /// The deployed template's body as read for the review (`None`: a create, or an
    /// unreadable template that `--allow-data-loss` let pass).
    pub reviewed: Option<String>,
    /// The stack policy during the update, and the one to put back after it.
    pub protection: Option<Protection>,
    /// The reviewed change set's id (`None`: a direct update); executed by this id, and
    /// compared just before, so a change set made again under the reviewed name is not
    /// executed in its place.
    pub change_set_id: Option<String>,
}

/// nephos's stack policy for one update (see [`crate::deploy::policy`]).
#[derive(Clone, Debug)]
pub struct Protection {
    /// The user's statements and nephos's denials.
    pub during: String,
    /// The user's own policy again (allow-all when they had none).
    pub restore: String,
}

/// The change set a review is about.
pub struct ReviewHead<'a> {
    /// The stack.
    pub stack: &'a str,
    /// The change set's name.
    pub change_set: &'a str,
    /// Create or update.
    pub kind: ChangeSetType,
    /// The capabilities it was created with.
    pub capabilities: Vec<String>,
}

/// What the gate decided.
// One value per deploy, moved once: boxing the outcome would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Gate {
    /// Go on, guarded so.
    Go(Guard),
    /// Stop with this outcome; `discard`: delete the change set (it is left for review
    /// only with `--no-execute`).
    Stop {
        /// Refused, not approved, or left for review.
        outcome: Outcome,
        /// Whether the change set is to be deleted.
        discard: bool,
    },
}

impl Engine<'_> {
    /// Shows the review of `diff` and decides whether the change set may be executed.
    /// `deployed` is the deployed template and `reviewed` its body as read for the review.
    pub async fn gate(
        &mut self,
        opts: &DeployOptions,
        head: ReviewHead<'_>,
        diff: TemplateDiff,
        deployed: &Value,
        reviewed: Option<String>,
    ) -> Result<Gate, EngineError> {
        let (name, cs_name) = (head.stack, head.change_set);
        let refused = refused_risks(&diff, opts);
        let allowed = allowed_ids(&diff, opts);
        let needs_approval = opts.approval.requires(&diff) && refused.is_empty();
        let unjudged = unjudged(&diff);
        self.reporter.review(&Review {
            stack: name.to_owned(),
            change_set: cs_name.to_owned(),
            kind: head.kind,
            capabilities: head.capabilities,
            diff,
            needs_approval,
        });
        if !refused.is_empty() {
            // Deleted, not left for review: executing it later would lose the data anyway
            // (the scope names it once its deletion is verified).
            return Ok(Gate::Stop {
                outcome: Outcome::DataLossRefused {
                    stack: name.to_owned(),
                    risks: refused,
                    deleted_change_set: None,
                },
                discard: true,
            });
        }
        if !opts.execute {
            return Ok(Gate::Stop {
                outcome: Outcome::ChangeSetLeft {
                    stack: name.to_owned(),
                    change_set: cs_name.to_owned(),
                },
                discard: false,
            });
        }
        // Fail closed, whatever was allowed: an action nephos does not know may do anything.
        // Left for review (above) it changes nothing; executed it would act unjudged.
        if let Some(reason) = unjudged {
            return Ok(Gate::Stop {
                outcome: Outcome::Refused {
                    stack: name.to_owned(),
                    reason: format!("{reason}; nothing was changed"),
                    next_step: format!(
                        "update nephos (a newer one may know it); or leave the change set for review with `nephos deploy {name} --no-execute`, inspect it with `aws cloudformation describe-change-set`, and execute it yourself if it is what you want"
                    ),
                    discarded: None,
                },
                discard: true,
            });
        }
        if needs_approval {
            let answer = self.approve(opts.yes, &format!("Deploy these changes to {name}?"));
            if let Some(outcome) = not_approved(name, answer) {
                return Ok(Gate::Stop {
                    outcome,
                    discard: true,
                });
            }
        }
        let exists = head.kind == ChangeSetType::Update;
        let protection = match self
            .protection(name, deployed, &allowed, opts, exists)
            .await?
        {
            Ok(p) => p,
            Err(refusal) => {
                return Ok(Gate::Stop {
                    outcome: refusal,
                    discard: true,
                });
            }
        };
        Ok(Gate::Go(Guard {
            reviewed,
            protection,
            change_set_id: None,
        }))
    }

    /// The stack policy CloudFormation enforces during the update (see [`policy`]), merged
    /// with the stack's own; `None` when nothing stateful needs protecting and the stack's
    /// policy holds no statement of nephos's, a refusal when the stack's own policy cannot
    /// be read. `exists`: the stack exists (a create has no policy yet).
    ///
    /// Statements of nephos's left by an interrupted run are replaced on every update, also
    /// when this one needs no denials (`--allow-data-loss`, or nothing stateful): left in
    /// place they would deny what this run allows, and stay forever.
    pub async fn protection(
        &self,
        name: &str,
        deployed: &Value,
        allowed: &[String],
        opts: &DeployOptions,
        exists: bool,
    ) -> Result<Result<Option<Protection>, Outcome>, EngineError> {
        if !exists {
            return Ok(Ok(None));
        }
        let denials = policy::denials(deployed, allowed, opts.allow_data_loss);
        let own = self
            .call(name, "GetStackPolicy", || self.cfn.get_stack_policy(name))
            .await?;
        if denials.is_empty() && !policy::has_leftovers(own.as_deref()) {
            return Ok(Ok(None));
        }
        let user = match policy::user_statements(own.as_deref()) {
            Ok(u) => u,
            Err(e) => {
                return Ok(Err(Outcome::Refused {
                    stack: name.to_owned(),
                    reason: format!(
                        "{e}: nephos adds its data-loss denials to the stack's policy and cannot read it"
                    ),
                    next_step: format!(
                        "fix the policy (`aws cloudformation get-stack-policy --stack-name {name}`), or rerun with --allow-data-loss"
                    ),
                    discarded: None,
                }));
            }
        };
        Ok(Ok(Some(Protection {
            during: policy::merged(&user, &denials),
            restore: policy::restored(&user),
        })))
    }
}
