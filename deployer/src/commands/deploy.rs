//! `nephos deploy`: every selected stack, in dependency order, stopping at the first that
//! does not succeed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use clap::Args;

use super::regions::connect_and_state;
use super::stack_request::stack_request;
use super::{EXIT_ERROR, EXIT_OK};
use crate::cfn::lambda::Lambda;
use crate::cli::{Cli, SourceArgs};
use crate::commands::parameters::{EnvironmentParameters, Given, given};
use crate::commands::spec::{Connected, Next, Run, Spec};
use crate::context::{Backends, Context};
use crate::deploy::approval::ApprovalPolicy;
use crate::deploy::engine::DeployOptions;
use crate::deploy::interrupt::Interrupt;
use crate::error::{Error, Result};
use crate::hotswap::apply::{Attempt, HotswapBackends, Settle, attempt};
use crate::hotswap::plan::FunctionChange;
use crate::hotswap::reconcile::{Before, marked_before, reconcile};
use crate::hotswap::unsettled::{SettleWait, keep_markers};
use crate::output::Format;
use crate::output::escape::escape_line;
use crate::output::prompt::Prompter;
use crate::progress::Mode;
use crate::progress::mirror::command_reporter;
use crate::source::app::load;
use crate::source::assembly::{StackSource, select};
use crate::watch::config::SelectedEnvironment;

/// Deploy stacks through change sets, in dependency order.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Stacks to deploy (id or stack name; default all).
    #[arg(value_parser = crate::cli::values::non_blank)]
    pub stacks: Vec<String>,
    /// Where stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// When to ask before executing a change set.
    #[arg(long, value_enum, default_value_t = ApprovalPolicy::Broadening)]
    pub require_approval: ApprovalPolicy,
    /// Approve without asking (CI).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// A parameter value, KEY=VALUE (repeatable); others keep their previous values. A key
    /// the template does not declare is an error.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = crate::cli::values::key_value)]
    pub parameters: Vec<String>,
    /// Skip parameter keys (`--parameter`, or the `--env` environment's) a stack's
    /// template does not declare instead of failing (for one set of parameters shared by
    /// several stacks).
    #[arg(long)]
    pub ignore_unknown_params: bool,
    /// A stack tag, KEY=VALUE (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = crate::cli::values::key_value)]
    pub tags: Vec<String>,
    /// Turn termination protection on (for --template; apps set it per stack).
    #[arg(long)]
    pub termination_protection: bool,
    /// A service role for CloudFormation to assume.
    #[arg(long, value_parser = crate::cli::values::non_blank)]
    pub role_arn: Option<String>,
    /// Keep failed resources instead of rolling back (for debugging).
    #[arg(long)]
    pub no_rollback: bool,
    /// Create the change set and leave it for review.
    #[arg(long, conflicts_with = "change_set")]
    pub no_execute: bool,
    /// Execute this reviewed change set (from --no-execute) instead of creating one.
    #[arg(long, value_name = "NAME", conflicts_with = "force", value_parser = crate::cli::values::non_blank)]
    pub change_set: Option<String>,
    /// On Ctrl-C, cancel the running update (it rolls back) instead of only stopping waiting.
    #[arg(long)]
    pub cancel_on_interrupt: bool,
    /// Create a change set even when nothing changed locally.
    #[arg(long)]
    pub force: bool,
    /// Allow replacing or removing this stateful resource, by logical ID (repeatable);
    /// without it, a change that would lose a table's, bucket's or queue's data is refused.
    #[arg(long = "allow-replace", value_name = "LOGICAL_ID", value_parser = crate::cli::values::non_blank)]
    pub allow_replace: Vec<String>,
    /// Allow every replacement and removal of stateful resources.
    #[arg(long)]
    pub allow_data_loss: bool,
    /// How to deploy: through a change set (reviewed by CloudFormation), or directly with
    /// CreateStack/UpdateStack (reviewed by the offline diff only).
    #[arg(long, value_enum, default_value_t = Method::ChangeSet)]
    pub method: Method,
    /// When the only changes are Lambda functions' code, environment or configuration,
    /// update them in place through the Lambda API instead of CloudFormation (faster; the
    /// stack drifts until the next deploy without --hotswap). Any other change deploys as
    /// usual. For development stacks.
    #[arg(long, conflicts_with_all = ["no_execute", "change_set"])]
    pub hotswap: bool,
    /// The selected `nephos.json` environment's parameters (set by
    /// `commands::environment::select`), under the `--parameter`s.
    #[arg(skip)]
    pub environment_parameters: Option<EnvironmentParameters>,
}

/// `--method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// CreateChangeSet, review, ExecuteChangeSet.
    ChangeSet,
    /// CreateStack or UpdateStack.
    Direct,
}

/// The review of a hotswap: `--require-approval` as for a deploy. A hotswap changes only
/// functions' code and configuration, never IAM or resource policies (a `Role` change goes
/// through CloudFormation), so `broadening` never asks and `any-change` always does.
fn hotswap_approval<'a>(
    stack: &'a str,
    policy: ApprovalPolicy,
    yes: bool,
    prompter: &'a dyn Prompter,
    interrupt: &'a Interrupt,
) -> impl Fn(&[FunctionChange]) -> Result<()> + Sync + 'a {
    move |functions: &[FunctionChange]| {
        if yes || policy != ApprovalPolicy::AnyChange {
            return Ok(());
        }
        let question = format!(
            "{stack}: hotswap these changes (Lambda API, no CloudFormation)?\n{}",
            review(functions)
        );
        let refused = |why: &str| {
            Err(Error::new(format!(
                "{stack}: {why}; nothing was changed. Review the changes, then answer on a terminal or pass --require-approval never (`nephos deploy` also takes --yes)\n{}",
                review(functions)
            )))
        };
        match prompter.confirm(&question) {
            _ if interrupt.is_triggered() => refused("interrupted while asking for approval"),
            Some(true) => Ok(()),
            Some(false) => refused("the hotswap was not approved"),
            None => refused("this hotswap needs approval and there is no terminal to ask on"),
        }
    }
}

/// Each function's changed properties, old -> new, one per line.
fn review(functions: &[FunctionChange]) -> String {
    functions
        .iter()
        .flat_map(|f| {
            f.shown
                .iter()
                .map(move |line| format!("  {}.{line}", escape_line(&f.logical_id)))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a hotswap did, and that the stack has drifted from its template.
pub(crate) fn hotswapped(
    stack: &str,
    functions: &[FunctionChange],
    elapsed: std::time::Duration,
) -> String {
    let list: Vec<String> = functions
        .iter()
        .map(|f| format!("{} ({})", escape_line(&f.logical_id), f.changed.join(", ")))
        .collect();
    format!(
        "hotswapped {} in {:.1} s without CloudFormation: {}. The stack has drifted: CloudFormation's template for {stack} is older than these functions; run `nephos deploy {stack}` (without --hotswap) to put the template back on them",
        if functions.len() == 1 {
            "1 function".to_owned()
        } else {
            format!("{} functions", functions.len())
        },
        elapsed.as_secs_f64(),
        list.join(", ")
    ) + "\n"
        + &review(functions)
}

/// The parameters any of `templates` declares `NoEcho`, whose values are never shown.
pub(crate) fn no_echo_names<'a>(
    templates: impl IntoIterator<Item = &'a serde_json::Value>,
) -> Vec<String> {
    templates
        .into_iter()
        .filter_map(|t| t.get("Parameters").and_then(|p| p.as_object()))
        .flat_map(|p| p.iter())
        .filter(|(_, decl)| crate::diff::parameters::is_no_echo(decl))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Parses repeated `KEY=VALUE` flags; a key given twice with different values is an
/// error (which one was meant cannot be known).
pub fn key_values(flag: &str, items: &[String]) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for kv in items {
        let Some((k, v)) = kv.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(Error::new(format!("--{flag} {kv}: expected KEY=VALUE")));
        };
        match out.insert(k.to_owned(), v.to_owned()) {
            Some(before) if before != v => {
                return Err(Error::new(format!(
                    "--{flag} {k} is given twice with different values; give it once"
                )));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Flags that contradict each other (clap checks the pairs it can see; these depend on a
/// value): a direct deploy has no change set to leave for review or to execute.
pub(crate) fn check_flags(args: &DeployArgs) -> Result<()> {
    if args.method == Method::Direct {
        if args.no_execute {
            return Err(Error::new(
                "--no-execute cannot be used with --method direct: a direct deploy has no change set to leave for review (use the default --method change-set)",
            ));
        }
        if args.change_set.is_some() {
            return Err(Error::new(
                "--change-set cannot be used with --method direct: it executes a change set (drop --method direct)",
            ));
        }
    }
    // A reviewed change set already holds its parameters, tags, role and template: options
    // that shape a new change set would be silently dropped, so they are refused.
    if args.change_set.is_some() {
        let shaping = [
            ("--parameter", !args.parameters.is_empty()),
            ("--tag", !args.tags.is_empty()),
            ("--role-arn", args.role_arn.is_some()),
            ("--force", args.force),
        ];
        let given: Vec<&str> = shaping
            .iter()
            .filter(|(_, on)| *on)
            .map(|(f, _)| *f)
            .collect();
        if !given.is_empty() {
            return Err(Error::new(format!(
                "--change-set executes a change set that was already created: {} cannot change it; pass {} when creating it (deploy --no-execute), or drop --change-set",
                given.join(", "),
                if given.len() == 1 { "it" } else { "them" }
            )));
        }
    }
    Ok(())
}

/// The `--parameter` keys no template among `declared` declares: an error naming each
/// (with the declared key differing only in case, when there is one), unless `ignore`.
pub fn unknown_parameters(
    params: &BTreeMap<String, String>,
    declared: &[Vec<String>],
    ignore: bool,
) -> Result<Vec<String>> {
    unknown_from(params, &|_| "--parameter".to_owned(), declared, ignore)
}

/// [`unknown_parameters`], each key's error naming where it came from (`origin`).
fn unknown_from(
    params: &BTreeMap<String, String>,
    origin: &dyn Fn(&str) -> String,
    declared: &[Vec<String>],
    ignore: bool,
) -> Result<Vec<String>> {
    let unknown: Vec<&String> = params
        .keys()
        .filter(|k| !declared.iter().any(|d| d.contains(k)))
        .collect();
    if unknown.is_empty() || ignore {
        return Ok(unknown.into_iter().cloned().collect());
    }
    let all: Vec<&String> = declared.iter().flatten().collect();
    // One clause per origin, in a stable order: `--parameter` before `nephos.json`.
    let mut by_origin: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for k in &unknown {
        let line = match all.iter().find(|d| d.eq_ignore_ascii_case(k)) {
            Some(d) => format!("{k} (did you mean {d}?)"),
            None => (*k).clone(),
        };
        by_origin.entry(origin(k)).or_default().push(line);
    }
    let clauses: Vec<String> = by_origin
        .iter()
        .map(|(from, lines)| format!("{from}: no template declares {}", lines.join(", ")))
        .collect();
    let mut names: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    Err(Error::new(format!(
        "{}; declared: {}; fix the name or pass --ignore-unknown-params",
        clauses.join("; "),
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    )))
}

/// The role name of an IAM role ARN (`arn:aws:iam::123:role/path/Name` → `Name`).
fn role_name(arn: &str) -> Option<&str> {
    arn.split_once(":role/")
        .map(|(_, rest)| rest.rsplit('/').next().unwrap_or(rest))
}

/// Warns when the service role does not exist or does not trust CloudFormation, which
/// CloudFormation would otherwise report only after creating the change set.
async fn check_role(b: Backends<'_>, arn: &str, log: &mut dyn Write) -> Result<()> {
    let Some(name) = role_name(arn) else {
        return Err(Error::new(format!(
            "--role-arn {arn} is not an IAM role ARN"
        )));
    };
    match b.iam.role_trust_policy(name).await {
        Ok(None) => Err(Error::new(format!(
            "--role-arn: the role {name} does not exist"
        ))),
        Ok(Some(doc)) if !doc.contains("cloudformation.amazonaws.com") => {
            writeln!(
                log,
                "warning: the role {name} does not trust cloudformation.amazonaws.com; CloudFormation cannot assume it"
            )?;
            Ok(())
        }
        Ok(Some(_)) => Ok(()),
        // Not being allowed to read IAM must not block a deploy that may well work.
        Err(e) => {
            writeln!(log, "warning: could not check the role {name}: {e}")?;
            Ok(())
        }
    }
}

/// Everything `deploy` checks without AWS, before the first call (the STS call of the
/// header included): the flags, the source (loaded, each template validated) and the
/// `--parameter` keys against the templates' declarations.
pub fn prepare(args: &DeployArgs, cwd: &Path, log: &mut dyn Write) -> Result<Vec<StackSource>> {
    check_flags(args)?;
    let mut stacks = select(load(&args.source, cwd, log)?, &args.stacks)?;
    let params = parameters(args)?;
    if args.change_set.is_some()
        && let Some(env) = args
            .environment_parameters
            .as_ref()
            .filter(|e| !e.values.is_empty())
    {
        writeln!(
            log,
            "note: {}: not applied; --change-set executes a change set that holds the parameters it was created with",
            crate::commands::parameters::Origin::Environment(env.environment.clone()).label()
        )?;
    }
    check_parameters(&stacks, &params, args.ignore_unknown_params, log)?;
    key_values("tag", &args.tags)?;
    // Before the first AWS call: a handler that does not build changes nothing.
    crate::build::ensure_built(&mut stacks, log)?;
    if args.change_set.is_some() && stacks.len() != 1 {
        return Err(Error::new(
            "--change-set executes one stack's change set: name the stack",
        ));
    }
    Ok(stacks)
}

/// The parameter values of a deploy: `--parameter`, over the selected environment's. With
/// `--change-set` there are none: the change set holds its own.
///
/// # Errors
/// As [`given`].
pub fn parameters(args: &DeployArgs) -> Result<Given> {
    if args.change_set.is_some() {
        return given(&args.parameters, None);
    }
    given(&args.parameters, args.environment_parameters.as_ref())
}

/// Refuses parameter keys no selected template declares, naming where each came from
/// (unless `ignore`, then notes each on `log`); shared by `deploy` and `diff`.
pub fn check_parameters(
    stacks: &[StackSource],
    params: &Given,
    ignore: bool,
    log: &mut dyn Write,
) -> Result<()> {
    let declared: Vec<Vec<String>> = stacks
        .iter()
        .map(|s| {
            s.template
                .get("Parameters")
                .and_then(|p| p.as_object())
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        })
        .collect();
    for k in unknown_from(&params.values, &|k| params.label(k), &declared, ignore)? {
        writeln!(
            log,
            "note: {} {k} ignored: no template declares it (--ignore-unknown-params)",
            params.label(&k)
        )?;
    }
    // A manifest's `parameters` (the app's `StackSettings`) are checked against the
    // stack's own template the same way: CloudFormation would refuse an undeclared key only
    // after the change set was created (issue 12, F4).
    for (s, declared) in stacks.iter().zip(&declared) {
        let stack = &s.artifact.stack_name;
        match unknown_parameters(
            &s.artifact.parameters,
            std::slice::from_ref(declared),
            ignore,
        ) {
            Ok(keys) => {
                for k in keys {
                    writeln!(
                        log,
                        "note: the manifest's parameter {k} for stack {stack} ignored: its template does not declare it (--ignore-unknown-params)"
                    )?;
                }
            }
            Err(e) => {
                let why = e.to_string().trim_start_matches("--parameter: ").replacen(
                    "no template declares",
                    "its template does not declare",
                    1,
                );
                return Err(Error::new(format!(
                    "stack {stack}: a key of the manifest's `parameters` (the app's StackSettings): {why}"
                )));
            }
        }
    }
    Ok(())
}

/// Runs `deploy` on the stacks [`prepare`] loaded.
pub async fn run(
    args: &DeployArgs,
    stacks: Vec<StackSource>,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
    lambda: Option<&dyn Lambda>,
) -> Result<i32> {
    // From the first step on (next steps, and the error completed after the run, also of
    // a role check or a connection that fails), a NoEcho value given on the command line
    // is never repeated.
    ctx.invocation
        .withhold_parameters(&no_echo_names(stacks.iter().map(|s| &s.template)));
    let tags = key_values("tag", &args.tags)?;
    if let Some(arn) = &args.role_arn {
        check_role(b, arn, ctx.err).await?;
    }
    let params = parameters(args)?.values;
    let settings = ctx.settings();
    let opts = DeployOptions {
        approval: args.require_approval,
        yes: args.yes,
        execute: !args.no_execute,
        disable_rollback: args.no_rollback,
        role_arn: args.role_arn.clone(),
        cancel_on_interrupt: args.cancel_on_interrupt,
        change_set_name: ctx.new_change_set_name(),
        existing_change_set: args.change_set.clone(),
        force: args.force,
        direct: args.method == Method::Direct,
        allow_replace: args.allow_replace.clone(),
        allow_data_loss: args.allow_data_loss,
    };
    let regional = connect_and_state(
        ctx,
        format,
        b,
        stacks.iter().map(|s| s.artifact.region.as_deref()),
    )
    .await?;
    let mode = Mode::choose(format, ctx.interactive);
    let mut completing =
        crate::output::invocation::CompletingWriter::new(ctx.out, ctx.invocation.clone());
    let mut rep = command_reporter(
        mode,
        &mut completing,
        &mut *ctx.err,
        ctx.review_to_err,
        ctx.style,
    );
    let mut requests = Vec::with_capacity(stacks.len());
    for s in &stacks {
        let req = stack_request(s, &params, &tags, args.termination_protection);
        requests.push((s.artifact.region.as_deref(), req));
    }
    // Every refusal certain before a write, for every stack, before the first stack is
    // deployed: a later stack refused for what its template alone shows must not find an
    // earlier one already changed (issue 12, F4). One stack checks the same in its deploy.
    if requests.len() > 1 {
        for (region, req) in &requests {
            let mut engine = settings.engine(regional.backends(b, *region), &mut *rep);
            if let Some(refusal) = engine.preflight(req, &opts).await? {
                engine.stop_run(&req.stack_name, refusal);
                return Ok(EXIT_ERROR);
            }
        }
    }
    for (region, req) in &requests {
        if args.hotswap {
            let hb = regional.backends(b, *region);
            let lambda = regional.lambda(lambda, *region).ok_or_else(|| {
                Error::new("deploy --hotswap needs a Lambda client; this context has only CloudFormation fakes (call hotswap::apply::attempt)")
            })?;
            let backends = HotswapBackends {
                cfn: hb.cfn,
                staging: hb.staging,
                lambda,
            };
            let approve = hotswap_approval(
                &req.stack_name,
                args.require_approval,
                args.yes,
                ctx.prompter,
                &ctx.interrupt,
            );
            match attempt(
                backends,
                &ctx.retry,
                Settle::STANDARD,
                req,
                &ctx.interrupt,
                &approve,
            )
            .await?
            {
                Attempt::Hotswapped { functions, elapsed } => {
                    rep.notice(
                        &req.stack_name,
                        &hotswapped(&req.stack_name, &functions, elapsed),
                    );
                    continue;
                }
                Attempt::Fallback(why) => rep.notice(
                    &req.stack_name,
                    &format!(
                        "hotswap not possible ({}): deploying through CloudFormation",
                        escape_line(&why)
                    ),
                ),
            }
        }
        // CloudFormation's update of a function may drop the marker a hotswap left on it,
        // so the marked functions are read before the stack changes.
        let before = match regional.lambda(lambda, *region) {
            Some(lambda) => {
                let hb = regional.backends(b, *region);
                marked_before(hb.cfn, lambda, &ctx.retry, &req.stack_name).await?
            }
            None => Before::default(),
        };
        // Each stack in its own region: its clients, its staging bucket.
        let mut engine = settings.engine(regional.backends(b, *region), &mut *rep);
        let result = engine.deploy(req, &opts).await;
        drop(engine);
        // A deploy that ended in an error (after CloudFormation's update may have started)
        // is a failed deploy too. So is one stopped by Ctrl-C or --timeout, whose update
        // CloudFormation may still be running: nephos waits for the stack to settle and
        // keeps the markers as its final state needs (rev 3b, unsettled.rs).
        if !result.as_ref().is_ok_and(|o| o.is_success())
            && let Some(lambda) = regional.lambda(lambda, *region)
        {
            let hb = regional.backends(b, *region);
            let backends = HotswapBackends {
                cfn: hb.cfn,
                staging: hb.staging,
                lambda,
            };
            let stack = req.stack_name.as_str();
            let lines = keep_markers(
                backends,
                &ctx.retry,
                Settle::STANDARD,
                SettleWait::STANDARD,
                stack,
                &before,
                &ctx.interrupt,
                // Said before the wait, so a user who stops nephos knows why it waits.
                &mut |line| rep.notice(stack, &line),
            )
            .await;
            for line in lines {
                rep.notice(stack, &line);
            }
        }
        match result {
            Ok(outcome) if outcome.is_success() => {}
            Ok(outcome) => return Ok(outcome.exit_code(&ctx.interrupt)),
            Err(e) => return Err(e.into()),
        }
        // CloudFormation sees no change when a hotswapped edit was undone: the functions a
        // hotswap marked get the template back through Lambda.
        if let Some(lambda) = regional.lambda(lambda, *region) {
            let hb = regional.backends(b, *region);
            for line in reconcile(
                hb.cfn,
                hb.staging,
                lambda,
                &ctx.retry,
                Settle::STANDARD,
                &req.stack_name,
                &before.marked,
                &ctx.interrupt,
            )
            .await?
            {
                rep.notice(&req.stack_name, &line);
            }
        }
    }
    Ok(EXIT_OK)
}

impl Spec for DeployArgs {
    const NAME: &'static str = "deploy";
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

impl Run for DeployArgs {
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

    /// A prompter that remembers the question it was asked.
    struct Asked(std::sync::Mutex<Vec<String>>, Option<bool>);

    impl Prompter for Asked {
        fn confirm(&self, question: &str) -> Option<bool> {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(question.to_owned());
            self.1
        }
    }

    fn timeout_change() -> Vec<FunctionChange> {
        vec![FunctionChange {
            logical_id: "Fn".into(),
            physical_id: "api-Fn-1".into(),
            code: None,
            config: Default::default(),
            changed: vec!["Timeout".into()],
            shown: vec!["Timeout: (none) -> 900".into()],
        }]
    }

    #[test]
    fn the_no_echo_parameters_of_every_stack_are_named() {
        let a = serde_json::json!({"Parameters": {
            "Pw": {"Type": "String", "NoEcho": true},
            "Env": {"Type": "String", "NoEcho": false}}});
        let b = serde_json::json!({"Parameters": {"Key": {"Type": "String", "NoEcho": "true"}}});
        let c = serde_json::json!({"Resources": {}});
        assert_eq!(no_echo_names([&a, &b, &c]), ["Pw", "Key"]);
    }

    #[test]
    fn a_hotswap_respects_require_approval_and_shows_old_and_new() {
        let interrupt = Interrupt::new();
        let fs = timeout_change();
        // any-change without a terminal: refused, with the change and the way on.
        let none = Asked(Default::default(), None);
        let e = hotswap_approval("api", ApprovalPolicy::AnyChange, false, &none, &interrupt)(&fs)
            .map(|()| "approved".to_owned())
            .unwrap_or_else(|e| e.to_string());
        assert!(
            e.contains("no terminal to ask on; nothing was changed"),
            "{e}"
        );
        assert!(e.contains("Fn.Timeout: (none) -> 900"), "{e}");
        assert!(e.contains("--require-approval never"), "{e}");
        // On a terminal the question shows the change; yes goes on, no refuses.
        let yes = Asked(Default::default(), Some(true));
        assert!(
            hotswap_approval("api", ApprovalPolicy::AnyChange, false, &yes, &interrupt)(&fs)
                .is_ok()
        );
        let asked = yes.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        assert!(asked[0].contains("Fn.Timeout: (none) -> 900"), "{asked:?}");
        let no = Asked(Default::default(), Some(false));
        assert!(
            hotswap_approval("api", ApprovalPolicy::AnyChange, false, &no, &interrupt)(&fs)
                .is_err()
        );
        // --yes, never, and broadening (a hotswap never broadens access) do not ask.
        for (policy, yes_flag) in [
            (ApprovalPolicy::AnyChange, true),
            (ApprovalPolicy::Never, false),
            (ApprovalPolicy::Broadening, false),
        ] {
            let p = Asked(Default::default(), None);
            assert!(hotswap_approval("api", policy, yes_flag, &p, &interrupt)(&fs).is_ok());
            assert!(p.0.lock().unwrap_or_else(|e| e.into_inner()).is_empty());
        }
    }

    #[test]
    fn key_values_and_role_names() {
        let kv = key_values("tag", &["a=b=c".into()]).unwrap_or_default();
        assert_eq!(kv.get("a").map(String::as_str), Some("b=c"));
        assert!(key_values("tag", &["novalue".into()]).is_err());
        // The same key twice: the same value is harmless, different values are an error.
        let twice = |b: &str| key_values("parameter", &["Env=dev".into(), format!("Env={b}")]);
        assert!(twice("dev").is_ok());
        assert!(twice("prod").is_err());
        assert_eq!(
            role_name("arn:aws:iam::1:role/path/Deployer"),
            Some("Deployer")
        );
        assert_eq!(role_name("arn:aws:s3:::b"), None);
    }

    #[test]
    fn an_undeclared_parameter_is_an_error_naming_it_unless_ignored() {
        let params = key_values("parameter", &["envirnoment=prod".into(), "stage=x".into()])
            .unwrap_or_default();
        let declared = vec![vec!["Environment".to_owned()], vec!["Stage".to_owned()]];
        let e = unknown_parameters(&params, &declared, false)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("envirnoment"), "{e}");
        assert!(e.contains("stage (did you mean Stage?)"), "{e}");
        assert!(e.contains("--ignore-unknown-params"), "{e}");
        assert!(e.contains("declared: Environment, Stage"), "{e}");
        let ignored = unknown_parameters(&params, &declared, true).unwrap_or_default();
        assert_eq!(ignored, ["envirnoment", "stage"]);
        let ok = key_values("parameter", &["Stage=x".into()]).unwrap_or_default();
        assert!(
            unknown_parameters(&ok, &declared, false)
                .unwrap_or_default()
                .is_empty()
        );
    }

    fn one_stack(declares: &[&str]) -> Vec<StackSource> {
        let artifact = serde_json::from_value(serde_json::json!({
            "id": "Jobs", "stackName": "jobs-dev", "templateFile": "Jobs.template.json"}))
        .unwrap_or_else(|e| panic!("{e}"));
        let params: serde_json::Map<String, serde_json::Value> = declares
            .iter()
            .map(|k| ((*k).to_owned(), serde_json::json!({"Type": "String"})))
            .collect();
        let template = serde_json::json!({"Parameters": params,
            "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
        vec![StackSource {
            artifact,
            body: template.to_string(),
            template,
            dir: std::path::PathBuf::new(),
        }]
    }

    /// Issue 15: an environment's misspelt parameter was reported as a `--parameter`. Each
    /// unknown key is named with where it came from; the command line wins over the
    /// environment for a key both give.
    #[test]
    fn an_unknown_parameter_names_where_it_came_from() {
        let stacks = one_stack(&["Stage", "Size"]);
        let mut env = EnvironmentParameters {
            environment: "prod".into(),
            ..Default::default()
        };
        env.values.insert("Stagee".into(), "prod".into());
        env.values.insert("Size".into(), "2".into());
        let check = |flags: &[&str], ignore: bool, log: &mut Vec<u8>| {
            let flags: Vec<String> = flags.iter().map(|f| (*f).to_owned()).collect();
            let g = given(&flags, Some(&env)).unwrap();
            check_parameters(&stacks, &g, ignore, log).map_err(|e| e.to_string())
        };
        let mut log = Vec::new();
        let e = check(&[], false, &mut log).unwrap_err();
        assert_eq!(
            e,
            "nephos.json environment `prod` (\"parameters\"): no template declares Stagee; declared: Size, Stage; fix the name or pass --ignore-unknown-params"
        );
        let e = check(&["Sise=3"], false, &mut log).unwrap_err();
        assert!(
            e.starts_with("--parameter: no template declares Sise; nephos.json environment `prod` (\"parameters\"): no template declares Stagee;"),
            "{e}"
        );
        // Given on the command line, a key is the flag's even when the environment has it.
        let g = given(&["Stagee=x".to_owned()], Some(&env)).unwrap();
        assert_eq!(g.label("Stagee"), "--parameter");
        assert_eq!(g.values["Size"], "2");
        check(&[], true, &mut log).unwrap();
        let notes = String::from_utf8_lossy(&log);
        assert!(
            notes.contains("note: nephos.json environment `prod` (\"parameters\") Stagee ignored"),
            "{notes}"
        );
        // `--change-set` executes what was reviewed: the environment's values are not
        // applied (and so not refused as if they were `--parameter`s).
        let args = |extra: &[&str]| {
            let cli =
                Cli::from_args(["nephos", "deploy"].iter().chain(extra.iter()).copied()).unwrap();
            let crate::cli::Command::Deploy(mut a) = cli.command else {
                panic!()
            };
            a.environment_parameters = Some(env.clone());
            a
        };
        let a = args(&["--change-set", "cs1"]);
        check_flags(&a).unwrap();
        assert!(parameters(&a).unwrap().values.is_empty());
        assert_eq!(parameters(&args(&[])).unwrap().values.len(), 2);
    }

    /// Issue 12 (F4): a manifest's `parameters` key its template does not declare is
    /// refused up front (by deploy and diff alike), as CloudFormation would refuse it only
    /// after CreateChangeSet; ignored (and not sent) with --ignore-unknown-params.
    #[test]
    fn an_undeclared_manifest_parameter_is_refused_before_any_call() {
        let artifact = serde_json::from_value(serde_json::json!({
            "id": "Jobs", "stackName": "jobs-dev", "templateFile": "Jobs.template.json",
            "parameters": {"Enviroment": "prod"}}))
        .unwrap_or_else(|e| panic!("{e}"));
        let template = serde_json::json!({"Parameters": {"Environment": {"Type": "String"}},
            "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
        let stacks = [StackSource {
            artifact,
            body: template.to_string(),
            template,
            dir: std::path::PathBuf::new(),
        }];
        let mut log = Vec::new();
        let e = check_parameters(&stacks, &Given::default(), false, &mut log)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            e,
            "stack jobs-dev: a key of the manifest's `parameters` (the app's StackSettings): its template does not declare Enviroment; declared: Environment; fix the name or pass --ignore-unknown-params"
        );
        assert!(check_parameters(&stacks, &Given::default(), true, &mut log).is_ok());
        assert!(
            String::from_utf8_lossy(&log)
                .contains("parameter Enviroment for stack jobs-dev ignored")
        );
    }
}
