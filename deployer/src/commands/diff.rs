//! `nephos diff`: the offline diff per stack, optionally reconciled with a change set that
//! is deleted afterwards. The stack's state and the parameter values (`--parameter`, as
//! `deploy` takes them) are part of the diff. Exit 0 no changes, 2 changes (or a state
//! deploy would act on), 1 error.

use std::collections::BTreeMap;

use std::io::Write;
use std::path::Path;

use clap::Args;
use serde_json::{Value, json};

use super::deploy::check_parameters;
use super::parameters::{EnvironmentParameters, given};
use super::regions::connect_and_state;
use super::stack_request::stack_request;
use super::{EXIT_CHANGES, EXIT_OK, write_json};
use crate::cfn::model::{ChangeSet, Stack};
use crate::cli::{Cli, SourceArgs};
use crate::commands::spec::{Connected, Next, Run, Spec};
use crate::context::{Backends, Context, EngineSettings};
use crate::deploy::engine::StackRequest;
use crate::deploy::leftovers;
use crate::deploy::steps::plan::{PlanInput, PlanRequest, Planned};
use crate::deploy::steps::scope::Reached;
use crate::deploy::steps::settle::{StateAction, decide_in_review};
use crate::diff::managed::PolicyReader;
use crate::diff::model::StackState;
use crate::diff::parameters::{ParameterValues, redact};
use crate::diff::render::{render, text_diff};
use crate::diff::{TemplateDiff, review};
use crate::error::{Error, Result};
use crate::hotswap::reconcile::{Marked, hotswapped_functions};
use crate::output::Format;
use crate::output::escape::escape_line;
use crate::output::invocation::Invocation;
use crate::progress::text::TextReporter;
use crate::source::app::load;
use crate::source::assembly::{StackSource, select};
use crate::watch::config::SelectedEnvironment;

/// Compare each stack's new template with the deployed one.
///
/// Exit codes: 0 no changes, 2 changes, 1 error (like `terraform plan -detailed-exitcode`).
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Stacks to diff (id or stack name; default all).
    #[arg(value_parser = crate::cli::values::non_blank)]
    pub stacks: Vec<String>,
    /// Where stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Also create a change set to reconcile with (replacement, scope, causes); it is
    /// deleted afterwards.
    #[arg(long)]
    pub change_set: bool,
    /// Also print a line diff of the whole templates.
    #[arg(long)]
    pub template_diff: bool,
    /// A parameter value, KEY=VALUE (repeatable), as `deploy` takes it; others keep their
    /// previous values. A key the template does not declare is an error.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = crate::cli::values::key_value)]
    pub parameters: Vec<String>,
    /// Skip parameter keys (`--parameter`, or the `--env` environment's) a stack's
    /// template does not declare instead of failing.
    #[arg(long)]
    pub ignore_unknown_params: bool,
    /// The selected `nephos.json` environment's parameters (set by
    /// `commands::environment::select`), under the `--parameter`s.
    #[arg(skip)]
    pub environment_parameters: Option<EnvironmentParameters>,
}

/// Everything `diff` checks without AWS, before the first call: the source (loaded, each
/// template validated) and the `--parameter` keys, as `deploy` checks them.
pub fn prepare(args: &DiffArgs, cwd: &Path, log: &mut dyn Write) -> Result<Vec<StackSource>> {
    let mut stacks = select(load(&args.source, cwd, log)?, &args.stacks)?;
    let params = given(&args.parameters, args.environment_parameters.as_ref())?;
    check_parameters(&stacks, &params, args.ignore_unknown_params, log)?;
    // Only a change set needs the assets' bytes (it stages them); a template diff does not.
    if args.change_set {
        crate::build::ensure_built(&mut stacks, log)?;
    }
    Ok(stacks)
}

/// Runs `diff` on the stacks [`prepare`] loaded.
pub async fn run(
    args: &DiffArgs,
    stacks: Vec<StackSource>,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
    lambda: Option<&dyn crate::cfn::lambda::Lambda>,
) -> Result<i32> {
    // The next steps diff prints carry the run's flags: never a NoEcho value.
    ctx.invocation
        .withhold_parameters(&super::deploy::no_echo_names(
            stacks.iter().map(|s| &s.template),
        ));
    let params = given(&args.parameters, args.environment_parameters.as_ref())?.values;
    let settings = ctx.settings();
    let regional = connect_and_state(
        ctx,
        format,
        b,
        stacks.iter().map(|s| s.artifact.region.as_deref()),
    )
    .await?;
    let mut results = Vec::new();
    let mut drifts: Vec<Vec<Marked>> = Vec::new();
    for s in &stacks {
        // Each stack is read in its own region.
        let b = regional.backends(b, s.artifact.region.as_deref());
        let name = s.artifact.stack_name.as_str();
        // The request deploy would send, parameters included: one builder for both.
        let req = stack_request(s, &params, &BTreeMap::new(), false);
        let existing = settings
            .retry
            .call(Some(name), "DescribeStacks", || b.cfn.describe_stack(name))
            .await?;
        // A stack in review is judged with the change sets it holds, as deploy judges it.
        let pending = match &existing {
            Some(e) if e.status == crate::cfn::status::StackStatus::ReviewInProgress => {
                settings
                    .retry
                    .call(Some(name), "ListChangeSets", || {
                        b.cfn.list_change_sets(name)
                    })
                    .await?
            }
            _ => Vec::new(),
        };
        let (deployed, state) = stack_state(existing.as_ref(), &pending, &ctx.invocation);
        let old = match deployed {
            Some(_) => {
                // The same read and checks as deploy's, so a refusal's "`nephos diff` shows
                // the same error" holds.
                crate::deploy::deployed::read_deployed(b.cfn, &settings.retry, name)
                    .await
                    .map_err(|e| {
                        Error::new(format!(
                            "{name}: cannot read the deployed template of {name}: {e}"
                        ))
                    })?
                    .1
            }
            None => Value::Null,
        };
        if deployed.is_some() {
            // Names that pass the pattern are digits after a prefix: safe to print as is.
            match settings.retry.run(|| b.cfn.list_change_sets(name)).await {
                Ok(names) => {
                    if let Some(n) = leftovers::notice(name, &leftovers::leftovers(&names, "")) {
                        writeln!(ctx.err, "{name}: {}", ctx.invocation.complete(&n))?;
                    }
                }
                Err(e) => writeln!(
                    ctx.err,
                    "{}",
                    crate::output::escape::escape_line(&format!(
                        "{name}: could not list the stack's change sets to find ones earlier nephos runs left ({e})"
                    ))
                )?,
            }
        }
        // A change set is made only where deploy would make one at once: settle's table says
        // create or update (`state` is `None`). In any other state deploy first waits, acts
        // or refuses, so a change set made now would be judged against a stack deploy will
        // not see, CloudFormation may refuse it (an operation running), and discarding it
        // could delete a stack in review this run did not make: the offline diff is shown.
        let blocked = state.as_ref();
        if let (true, Some(st)) = (args.change_set, blocked) {
            writeln!(
                ctx.err,
                "{name}: no change set while the stack is {}; the offline diff is shown",
                st.status
            )?;
        }
        let policies = Some(PolicyReader {
            iam: b.iam,
            account: Some(b.staging),
            retry: settings.retry,
        });
        let mut diff = if args.change_set && blocked.is_none() {
            let cs_name = ctx.new_change_set_name();
            with_change_set(&settings, b, (&req, deployed, &old), &cs_name, ctx.err).await?
        } else {
            let values = ParameterValues::of(deployed, &req.parameters);
            review(&old, &s.template, &values, ctx.facts, None, policies).await
        };
        diff.state = state;
        // A hotswap changed functions without CloudFormation: the template alone cannot
        // show it, the functions' markers do (atk15 B).
        let hotswapped = match (
            deployed,
            regional.lambda(lambda, s.artifact.region.as_deref()),
        ) {
            (Some(_), Some(l)) => hotswapped_functions(b.cfn, l, &settings.retry, name).await?,
            _ => Vec::new(),
        };
        results.push((s, deployed.is_some(), old, diff));
        drifts.push(hotswapped);
    }
    let changed =
        results.iter().any(|(_, _, _, d)| !d.is_empty()) || drifts.iter().any(|h| !h.is_empty());
    if format == Format::Json {
        let stacks: Vec<_> = results
            .iter()
            .zip(&drifts)
            .map(|((s, exists, _, d), h)| {
                let hotswapped: Vec<_> = h
                    .iter()
                    .map(|m| json!({"logicalId": m.logical_id, "function": m.physical_id, "properties": m.marker.split_whitespace().collect::<Vec<_>>()}))
                    .collect();
                json!({"stack": s.artifact.stack_name, "region": s.artifact.region, "exists": exists, "changes": !d.is_empty() || !h.is_empty(), "summary": d.counts(), "diff": d, "hotswapped": hotswapped})
            })
            .collect();
        write_json(ctx.out, &json!({"changes": changed, "stacks": stacks}))?;
    } else {
        for ((s, exists, old, d), h) in results.iter().zip(&drifts) {
            let title = match (exists, &d.state) {
                (true, _) => s.artifact.stack_name.clone(),
                (false, Some(_)) => format!("{} (to be re-created)", s.artifact.stack_name),
                (false, None) => format!("{} (new stack)", s.artifact.stack_name),
            };
            render(ctx.out, &title, d, ctx.style)?;
            if !h.is_empty() {
                let text = ctx
                    .invocation
                    .complete(&hotswap_drift(&s.artifact.stack_name, h));
                writeln!(ctx.out, "{text}")?;
            }
            if args.template_diff && !d.is_empty() {
                writeln!(ctx.out, "Template")?;
                // NoEcho defaults are never shown, here neither.
                let a = if old.is_null() {
                    String::new()
                } else {
                    pretty(&redact(old))
                };
                text_diff(ctx.out, "  ", &a, &pretty(&redact(&s.template)), ctx.style)?;
            }
        }
    }
    Ok(if changed { EXIT_CHANGES } else { EXIT_OK })
}

/// The functions of `stack` a hotswap changed, and the deploy that puts the template back
/// (said by `diff` and `status`).
pub(crate) fn hotswap_drift(stack: &str, marked: &[Marked]) -> String {
    let list: Vec<String> = marked
        .iter()
        .map(|m| {
            format!(
                "  ~ {} ({}): {} hotswapped",
                escape_line(&m.logical_id),
                escape_line(&m.physical_id),
                escape_line(&m.marker.split_whitespace().collect::<Vec<_>>().join(", "))
            )
        })
        .collect();
    format!(
        "{stack}: drifted from its deployed template by a hotswap (the Lambda API, not CloudFormation):\n{}\n  `nephos deploy {stack}` (without --hotswap) puts the template's values back",
        list.join("\n")
    )
}

/// The deployed stack to diff against (`None`: diff as a new stack) and the state note:
/// what `nephos deploy` will do with a stack in this state (`deploy::steps::settle::decide`).
/// A next step in the note is completed with this run's source and global flags
/// (`invocation`), so it works when pasted (a bare `nephos deploy STACK --change-set NAME`
/// fails for want of a source).
fn stack_state<'a>(
    existing: Option<&'a Stack>,
    pending: &[String],
    invocation: &Invocation,
) -> (Option<&'a Stack>, Option<StackState>) {
    let Some(stack) = existing else {
        return (None, None);
    };
    let state = |action: &str, note: String, acts: bool| StackState {
        status: stack.status.clone(),
        action: action.to_owned(),
        note,
        acts,
    };
    match decide_in_review(existing, pending) {
        StateAction::Create => (None, None),
        StateAction::Update => (existing, None),
        StateAction::Wait => (
            existing,
            Some(state(
                "wait",
                "an operation is in progress; deploy will wait for it to end, then compare again".into(),
                false,
            )),
        ),
        StateAction::DeleteAndRecreate => (
            None,
            Some(state(
                "deleteAndRecreate",
                "the stack holds no deployed resources; deploy will delete it and create it again, so everything is added".into(),
                true,
            )),
        ),
        StateAction::ContinueRollback => (
            existing,
            Some(state(
                "continueRollback",
                "the last update failed to roll back; deploy will continue the rollback, then update".into(),
                true,
            )),
        ),
        // A stack in review never got a template of its own: nothing to compare with.
        StateAction::Refuse { reason, next_step } => (
            existing.filter(|s| s.status != crate::cfn::status::StackStatus::ReviewInProgress),
            Some(state(
                "refuse",
                format!(
                    "deploy will refuse: {reason}; {}",
                    invocation.complete(&next_step)
                ),
                true,
            )),
        ),
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// `diff --change-set`: the plan step (create the change set, wait, review), then its
/// change set discarded (with the empty stack a create change set makes), leaving no
/// trace. Returns the plan's review.
async fn with_change_set(
    settings: &EngineSettings<'_>,
    b: Backends<'_>,
    (req, deployed, old): (&StackRequest, Option<&Stack>, &Value),
    cs_name: &str,
    log: &mut dyn Write,
) -> Result<TemplateDiff> {
    let name = req.stack_name.as_str();
    let mut sink = Vec::new();
    let mut reporter = TextReporter::new(&mut sink, crate::output::style::Style::plain());
    let mut engine = settings.engine(b, &mut reporter);
    let plan = engine
        .plan(PlanInput {
            req,
            stack: deployed,
            deployed: old,
            change_set: PlanRequest {
                change_set_name: cs_name,
                role_arn: None,
                description: "created by nephos diff; deleted after reading",
            },
            show_no_changes: true,
        })
        .await;
    let created = plan.reached == Reached::ChangeSet;
    let deleted = if created {
        engine.discard(name, cs_name, plan.kind).await
    } else {
        true
    };
    drop(engine);
    log.write_all(&sink)?;
    let left = |what: &str| -> String {
        if !created {
            return format!("no change set was made; {what}");
        }
        // Whether the empty stack in review a create change set made went with it, the
        // cleanup's notice says.
        let cs = format!("change set {cs_name}");
        if deleted {
            format!("{cs} was deleted; {what}")
        } else {
            format!("{cs} may not be deleted (see the notice above); {what}")
        }
    };
    let planned = plan.result.map_err(|e| {
        let state = match deployed {
            Some(s) => format!("the stack is unchanged ({})", s.status),
            None => "nothing was deployed".to_owned(),
        };
        let next = format!(
            "{state}; fix the cause above and rerun `nephos diff --change-set` (`nephos diff` alone shows the offline review)"
        );
        Error::from(e.then(left(&next)))
    })?;
    match planned {
        Planned::Changes(reviewed) => Ok(reviewed.review),
        Planned::NoChanges(review) => Ok(*review),
        Planned::Interrupted => Err(Error::new(format!(
            "{name}: interrupted while the change set was being computed; {}",
            left("nothing was changed")
        ))),
        Planned::Failed(c) => Err(Error::new(failed_change_set(
            name,
            &c,
            &left("nothing was changed"),
        ))),
        Planned::NotExecutable(r) => Err(Error::new(format!(
            "{name}: {}; {}. {}",
            r.reason,
            left("nothing was changed"),
            r.next_step
        ))),
    }
}

/// What `nephos diff --change-set` says when CloudFormation could not compute the change
/// set: its status, CloudFormation's reason, and the next step.
fn failed_change_set(name: &str, c: &ChangeSet, left: &str) -> String {
    let reason = match c.status_reason.as_deref() {
        Some(r) if !r.is_empty() => r,
        _ => "CloudFormation gave no reason",
    };
    let next_step = if c.status.is_unknown() {
        "nephos does not know this change set status; rerun `nephos diff --change-set` (or update nephos), or use `nephos diff` for the offline review".to_owned()
    } else {
        "fix the template or parameters named in the reason and rerun `nephos diff --change-set`; `nephos diff` alone shows the offline review".to_owned()
    };
    format!(
        "{name}: the change set is {}: {reason}. {left}; {next_step}",
        c.status
    )
}

impl Spec for DiffArgs {
    const NAME: &'static str = "diff";
    const TARGET_HEADER: bool = true;
    const CHANGES_OR_REVIEWS: bool = true;

    fn source_mut(&mut self) -> Option<&mut SourceArgs> {
        Some(&mut self.source)
    }

    fn target(&self) -> Option<(&SourceArgs, &[String])> {
        Some((&self.source, &self.stacks))
    }

    fn take_environment(&mut self, _: &SelectedEnvironment, parameters: &EnvironmentParameters) {
        self.environment_parameters = Some(parameters.clone());
    }
}

impl Run for DiffArgs {
    type Prepared = Vec<StackSource>;

    async fn start(&self, _cli: &Cli, ctx: &mut Context<'_>) -> Result<Next<Self::Prepared>> {
        prepare(self, &ctx.cwd, ctx.err).map(Next::Connect)
    }

    async fn run(
        &self,
        prepared: Self::Prepared,
        cli: &Cli,
        ctx: &mut Context<'_>,
        aws: Connected<'_>,
    ) -> Result<i32> {
        run(self, prepared, cli.output, ctx, aws.backends, aws.lambda).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::status::{ChangeSetStatus, StackStatus};

    #[test]
    fn a_failed_change_set_names_its_status_reason_and_next_step() {
        for (status, reason) in [
            (ChangeSetStatus::Failed, Some("Template error: bad ref")),
            (ChangeSetStatus::from("CREATE_PAUSED"), None),
        ] {
            let c = ChangeSet {
                status: status.clone(),
                status_reason: reason.map(str::to_owned),
                ..Default::default()
            };
            let m = failed_change_set("api", &c, "change set cs1 was deleted; nothing was changed");
            assert!(m.contains(&format!("the change set is {status}")), "{m}");
            assert!(
                m.contains(reason.unwrap_or("CloudFormation gave no reason")),
                "{m}"
            );
            assert!(m.contains("rerun `nephos diff --change-set`"), "{m}");
            assert_eq!(status.is_unknown(), m.contains("does not know"), "{m}");
        }
    }
    use crate::diff::diff_templates;
    use crate::diff::facts::TableFacts;
    use crate::diff::render::render;
    use crate::output::style::Style;
    use serde_json::json;

    fn at(status: StackStatus) -> Stack {
        Stack {
            name: "s".into(),
            status,
            ..Default::default()
        }
    }

    /// What `nephos diff` says for a stack in `status` whose template equals the app's.
    fn review(status: StackStatus) -> (bool, bool, String) {
        let stack = at(status);
        let t = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
        let (deployed, state) = stack_state(Some(&stack), &[], &Invocation::default());
        let old = if deployed.is_some() {
            t.clone()
        } else {
            Value::Null
        };
        let mut diff = diff_templates(&old, &t, &TableFacts::default());
        diff.state = state;
        let mut out = Vec::new();
        render(&mut out, "s", &diff, Style::plain()).unwrap_or_default();
        (
            deployed.is_some(),
            !diff.is_empty(),
            String::from_utf8_lossy(&out).into_owned(),
        )
    }

    #[test]
    fn a_stack_deploy_would_act_on_is_a_change_and_says_what_deploy_will_do() {
        for s in [
            StackStatus::RollbackComplete,
            StackStatus::RollbackFailed,
            StackStatus::CreateFailed,
            StackStatus::ReviewInProgress,
        ] {
            let (compared, changed, text) = review(s.clone());
            assert!(!compared && changed, "{s}: {text}");
            assert!(text.contains(&format!("[!] {s}: the stack holds no deployed resources; deploy will delete it and create it again")), "{text}");
            assert!(
                text.contains("[+] AWS::SQS::Queue Q"),
                "everything is added: {text}"
            );
        }
        let (compared, changed, text) = review(StackStatus::UpdateRollbackFailed);
        assert!(compared && changed, "{text}");
        assert!(
            text.contains("deploy will continue the rollback, then update"),
            "{text}"
        );
        for s in [StackStatus::DeleteFailed, StackStatus::ImportRollbackFailed] {
            let (compared, changed, text) = review(s.clone());
            assert!(compared && changed, "{s}: {text}");
            assert!(
                text.contains(&format!("[!] {s}: deploy will refuse: stack s is")),
                "{text}"
            );
        }
    }

    #[test]
    fn settled_and_busy_stacks_are_compared_and_only_differences_count() {
        for s in [
            StackStatus::CreateComplete,
            StackStatus::UpdateComplete,
            StackStatus::UpdateRollbackComplete,
        ] {
            let (compared, changed, text) = review(s.clone());
            assert!(compared && !changed, "{s}: {text}");
            assert!(text.contains("no changes"), "{text}");
        }
        let (compared, changed, text) = review(StackStatus::UpdateInProgress);
        assert!(compared && !changed, "{text}");
        assert!(text.contains("deploy will wait for it to end"), "{text}");
        assert_eq!(
            stack_state(None, &[], &Invocation::default())
                .0
                .map(|s| s.name.clone()),
            None
        );
        let deleted = at(StackStatus::DeleteComplete);
        let (deployed, state) = stack_state(Some(&deleted), &[], &Invocation::default());
        assert!(
            deployed.is_none() && state.is_none(),
            "a deleted stack is a new one"
        );
    }

    /// Issue 12 (F6a): `diff` says what deploy does with a stack in review that holds
    /// someone's change set: it refuses (it does not delete and create it again).
    #[test]
    fn a_stack_in_review_with_someones_change_set_is_a_refusal_in_the_diff_too() {
        let stack = at(StackStatus::ReviewInProgress);
        let cli = Cli::from_args([
            "nephos",
            "diff",
            "--template",
            "t1.yaml",
            "--stack-name",
            "s",
        ])
        .unwrap();
        let (deployed, state) =
            stack_state(Some(&stack), &["theirs".into()], &Invocation::of(&cli));
        let state = state.unwrap_or_else(|| panic!("no state"));
        assert!(deployed.is_none());
        assert_eq!(state.action, "refuse");
        assert!(state.note.contains("deploy will refuse"), "{}", state.note);
        assert!(state.note.contains("--change-set theirs"), "{}", state.note);
        // atk12b finding 6: the step is completed with the run's source, so pasted it parses.
        assert!(
            state.note.contains("--template t1.yaml --stack-name s"),
            "{}",
            state.note
        );
        let (_, state) = stack_state(Some(&stack), &[], &Invocation::default());
        assert_eq!(
            state.map(|s| s.action).as_deref(),
            Some("deleteAndRecreate")
        );
    }
}
