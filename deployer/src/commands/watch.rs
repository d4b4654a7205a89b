//! `nephos watch`: deploy at start, then again on every settled change to the project's
//! files, with `deploy`'s rails; optionally through hotswap, and with the functions' logs.

use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use clap::Args;

use super::deploy::{DeployArgs, Method};
use super::{EXIT_CLOSED_PIPE, EXIT_ERROR, EXIT_OK};
use crate::cfn::lambda::Lambda;
use crate::cfn::logs::LogReader;
use crate::cli::{Cli, SourceArgs};
use crate::commands::parameters::EnvironmentParameters;
use crate::commands::spec::{Connected, Next, Run, Spec};
use crate::context::{Backends, Context};
use crate::deploy::approval::ApprovalPolicy;
use crate::error::{Error, Result};
use crate::logs::tail::{FOLLOW_EVERY, Render};
use crate::output::Format;
use crate::output::escape::escape_line;
use crate::watch::config::{SelectedEnvironment, StartedWith, reread};
use crate::watch::driver::{End, RunResult, Runner, watch};
use crate::watch::events::FileEvents;
use crate::watch::filter::Filter;
use crate::watch::logs::LogTail;
use crate::watch::queue::Trigger;

/// Deploy at start, then again each time a file of the project changes (like `cdk watch`).
///
/// Watches the directory of nephos.json (the current one), all files but `target/`, the
/// assembly directory, dot files and editor backups; nephos.json's
/// `"watch": {"include": [...], "exclude": [...]}` narrows it with .gitignore-style
/// patterns. Changes are debounced (200 ms of quiet); each settled change runs the app,
/// shows the review and deploys. One run at a time: changes during a run queue one
/// more. A failed synth or deploy is said and watching goes on.
///
/// The rails are deploy's: a change that would replace or remove a stateful resource is
/// refused unless --allow-replace/--allow-data-loss; a change needing approval
/// (--require-approval) is asked on the terminal, and not deployed where there is none
/// (there is no --yes; `--require-approval never` deploys it unasked). --hotswap updates
/// functions in place when nothing else changed (the stack drifts until a deploy
/// without it).
///
/// Ctrl-C stops watching; during a deploy it stops waiting as `deploy` does (the update
/// goes on in CloudFormation; the message says how to follow it), during a hotswap it
/// says which functions were updated.
///
/// Exit codes: 0 stopped with Ctrl-C (a run in flight had finished), 1 an error before
/// watching (flags, nephos.json, credentials, the watcher) or Ctrl-C cut a run short,
/// 141 stdout was closed.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Stacks to deploy (id or stack name; default all).
    #[arg(value_parser = crate::cli::values::non_blank)]
    pub stacks: Vec<String>,
    /// Where stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Update functions' code and configuration through the Lambda API when nothing else
    /// changed (as `deploy --hotswap`); other changes deploy through CloudFormation.
    #[arg(long)]
    pub hotswap: bool,
    /// Show the stacks' functions' CloudWatch logs between runs, each line prefixed with
    /// the function's logical ID.
    #[arg(long)]
    pub logs: bool,
    /// When to ask before executing a change set. There is no --yes: a change that needs
    /// approval is asked about on the terminal, and without one it is not deployed (pass
    /// `--require-approval never` to deploy it unasked).
    #[arg(long, value_enum, default_value_t = ApprovalPolicy::Broadening)]
    pub require_approval: ApprovalPolicy,
    /// A parameter value, KEY=VALUE (repeatable), as for `deploy`.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = crate::cli::values::key_value)]
    pub parameters: Vec<String>,
    /// Skip `--parameter` keys a stack's template does not declare instead of failing.
    #[arg(long)]
    pub ignore_unknown_params: bool,
    /// Allow replacing or removing this stateful resource, by logical ID (repeatable).
    #[arg(long = "allow-replace", value_name = "LOGICAL_ID", value_parser = crate::cli::values::non_blank)]
    pub allow_replace: Vec<String>,
    /// Allow every replacement and removal of stateful resources.
    #[arg(long)]
    pub allow_data_loss: bool,
    /// How to deploy what is not hotswapped: through a change set, or directly.
    #[arg(long, value_enum, default_value_t = Method::ChangeSet)]
    pub method: Method,
    /// The environment `--env` selected, as applied at start (set by
    /// `commands::environment::select`): `nephos.json` is checked against it before each run.
    #[arg(skip)]
    pub environment: Option<SelectedEnvironment>,
    /// The selected environment's parameters, under the `--parameter`s (as `nephos.json`
    /// has them now: re-read before each run).
    #[arg(skip)]
    pub environment_parameters: Option<EnvironmentParameters>,
}

impl WatchArgs {
    /// The `deploy` each run makes: the same flags, never `--yes`.
    pub fn deploy_args(&self) -> DeployArgs {
        DeployArgs {
            stacks: self.stacks.clone(),
            source: self.source.clone(),
            require_approval: self.require_approval,
            yes: false,
            parameters: self.parameters.clone(),
            ignore_unknown_params: self.ignore_unknown_params,
            tags: Vec::new(),
            termination_protection: false,
            role_arn: None,
            no_rollback: false,
            no_execute: false,
            change_set: None,
            cancel_on_interrupt: false,
            force: false,
            allow_replace: self.allow_replace.clone(),
            allow_data_loss: self.allow_data_loss,
            method: self.method,
            hotswap: self.hotswap,
            environment_parameters: self.environment_parameters.clone(),
        }
    }
}

/// What `watch` starts with: the files it watches, and the `nephos.json` settings each
/// run checks the file against.
#[derive(Debug)]
pub struct Prepared {
    /// Which changed files start a run.
    pub filter: Filter,
    /// The environment and the `watch` patterns at start.
    pub started: StartedWith,
    /// What the patterns leave out that the watch needs (said at start).
    pub warnings: Vec<String>,
}

/// What `watch` checks before any AWS call: the flags, and the `watch` patterns of
/// `nephos.json`. The app itself is run by the first run (whose failure keeps watching).
///
/// # Errors
/// Contradicting flags, an unreadable `nephos.json`, an invalid pattern.
pub fn prepare(args: &WatchArgs, cwd: &Path) -> Result<Prepared> {
    let deploy = args.deploy_args();
    super::deploy::check_flags(&deploy)?;
    super::deploy::key_values("parameter", &deploy.parameters)?;
    if args.source.assembly.is_some() {
        return Err(Error::new(
            "nephos watch runs the app on each change; --assembly names an assembly nothing rewrites (use deploy --assembly)",
        ));
    }
    let config = crate::source::config::load(cwd)?.unwrap_or_default();
    let filter = Filter::new(cwd, &cwd.join(&args.source.outdir), &config.watch)?
        .without_own_output(crate::watch::filter::own_output_files(cwd));
    let warnings = filter.unwatched_inputs(args.source.template.as_deref(), &config.watch);
    Ok(Prepared {
        warnings,
        filter,
        started: StartedWith {
            environment: args.environment.clone(),
            watch: config.watch,
        },
    })
}

/// Runs `watch` until Ctrl-C.
///
/// # Errors
/// The watcher cannot start; everything after is said and watching goes on.
pub async fn run(
    args: &WatchArgs,
    prepared: Prepared,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
    lambda: Option<&dyn Lambda>,
    logs: Option<&dyn LogReader>,
) -> Result<i32> {
    let Prepared {
        filter,
        started,
        warnings,
    } = prepared;
    let mut events = FileEvents::start(filter.clone())?;
    let since_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let tail = match (args.logs, logs) {
        (true, Some(reader)) => Some(LogTail::new(b.cfn, reader, ctx.retry, since_ms)),
        (true, None) => {
            return Err(Error::new(
                "watch --logs needs a CloudWatch Logs client; this context has only CloudFormation fakes",
            ));
        }
        (false, _) => None,
    };
    let interrupt = ctx.interrupt.clone();
    let mut live = Live {
        args: args.deploy_args(),
        root: filter.root().to_path_buf(),
        format,
        ctx,
        b,
        lambda,
        tail,
        stacks: Vec::new(),
        started,
    };
    live.say(&format!(
        "watching {} (Ctrl-C to stop)",
        escape_line(&filter.root().display().to_string())
    ));
    for w in &warnings {
        live.say(&format!("warning: {w}"));
    }
    for f in filter.own_output() {
        live.say(&format!(
            "not watching {}: this watch's own output is written to it",
            escape_line(&f.display().to_string())
        ));
    }
    let tick = live.tail.is_some().then_some(FOLLOW_EVERY);
    let end = watch(&mut events, &mut live, &filter, &interrupt, tick).await;
    Ok(exit_code(end))
}

/// The exit code of how watching ended: Ctrl-C is the way to stop (0, as the README says),
/// also when it cut a run short (a build it reached fails, a deploy stops before its next
/// change: the run said where it stopped, and it is "stopped", not a failure to fix). A
/// run that ended watching on its own (output closed, project gone) keeps its code.
pub fn exit_code(end: End) -> i32 {
    match end {
        End::Interrupted | End::InterruptedRun(RunResult::Done | RunResult::Failed) => EXIT_OK,
        End::InterruptedRun(RunResult::ProjectGone) | End::WatcherStopped | End::ProjectGone => {
            EXIT_ERROR
        }
        End::OutputClosed | End::InterruptedRun(RunResult::OutputClosed) => EXIT_CLOSED_PIPE,
    }
}

/// The real runner: `deploy` through the command's context.
struct Live<'r, 'a> {
    args: DeployArgs,
    root: std::path::PathBuf,
    format: Format,
    ctx: &'r mut Context<'a>,
    b: Backends<'r>,
    lambda: Option<&'r dyn Lambda>,
    tail: Option<LogTail<'r>>,
    /// The stacks of the last run that synthesized, in the default region (for `--logs`).
    stacks: Vec<String>,
    /// What `nephos.json` said at start, checked again before each run.
    started: StartedWith,
}

impl Live<'_, '_> {
    fn describe(&self, t: &Trigger) -> String {
        if t.initial {
            return "first deploy".into();
        }
        let shown: Vec<String> = t
            .paths
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(&self.root).unwrap_or(p);
                escape_line(&rel.display().to_string()).into_owned()
            })
            .collect();
        let more = if t.more > 0 {
            format!(" and {} more", t.more)
        } else {
            String::new()
        };
        format!("changed: {}{more}", shown.join(", "))
    }

    fn render(&self) -> Render {
        if self.format == Format::Json {
            Render::JsonLines
        } else {
            Render::Text
        }
    }
}

#[async_trait(?Send)]
impl Runner for Live<'_, '_> {
    async fn run(&mut self, trigger: &Trigger) -> RunResult {
        // `--timeout` bounds each run's waits.
        self.ctx.interrupt.new_run();
        let start = Instant::now();
        // The run's first line: stdout closed since the last run (`watch | head -1`) ends
        // watching here, before anything is synthesized or deployed.
        if !self.say(&self.describe(trigger)) {
            return RunResult::OutputClosed;
        }
        // Removed or moved away: every later message (no nephos.json, no app) would be
        // about its missing files rather than the directory.
        if !self.root.is_dir() {
            let _ = writeln!(
                self.ctx.err,
                "error: the project directory {} no longer exists (removed or moved); watching stops",
                escape_line(&self.root.display().to_string())
            );
            return RunResult::ProjectGone;
        }
        let cwd = self.ctx.cwd.clone();
        // The file may have been saved since the last run (it is watched): its edits apply
        // now, or the run is refused with why; never deployed with the old values.
        match reread(&cwd, &self.started) {
            Ok(now) => {
                for note in &now.notes {
                    if !self.say(note) {
                        return RunResult::OutputClosed;
                    }
                }
                if let Some(parameters) = now.parameters {
                    self.args.environment_parameters = Some(parameters);
                }
            }
            Err(e) => return self.failed(&e, "nephos.json refused"),
        }
        let stacks = match super::deploy::prepare(&self.args, &cwd, self.ctx.err) {
            Ok(s) => s,
            Err(e) => return self.failed(&e, "synth failed"),
        };
        // What watch says after a run carries its flags: never a NoEcho value.
        self.ctx
            .invocation
            .withhold_parameters(&super::deploy::no_echo_names(
                stacks.iter().map(|s| &s.template),
            ));
        let default_region = self.b.staging.region();
        self.stacks = stacks
            .iter()
            .filter(|s| {
                s.artifact
                    .region
                    .as_deref()
                    .is_none_or(|r| r == default_region)
            })
            .map(|s| s.artifact.stack_name.clone())
            .collect();
        match super::deploy::run(
            &self.args,
            stacks,
            self.format,
            self.ctx,
            self.b,
            self.lambda,
        )
        .await
        {
            Ok(EXIT_OK) => {
                self.say(&format!("done in {:.1} s", start.elapsed().as_secs_f64()));
                if let Some(tail) = &mut self.tail
                    && tail.locate(&self.stacks, self.ctx.err).await.is_err()
                {
                    return RunResult::OutputClosed;
                }
                RunResult::Done
            }
            // Interrupted: the deploy said where it stopped and how to follow it.
            Ok(_) if self.ctx.interrupt.is_triggered() => RunResult::Failed,
            Ok(_) => {
                self.say("not deployed (see above); fix and save to try again");
                RunResult::Failed
            }
            Err(e) if e.is_closed_output() => RunResult::OutputClosed,
            Err(e) => self.failed(&e, "deploy failed"),
        }
    }

    async fn idle(&mut self) -> bool {
        let render = self.render();
        match &mut self.tail {
            Some(tail) => tail.show(self.ctx.out, self.ctx.err, render).await.is_ok(),
            None => true,
        }
    }

    fn say(&mut self, line: &str) -> bool {
        let line = format!("watch: {line}");
        // In JSON mode stdout holds only JSON: the line goes to stderr, and a closed stdout
        // is found by the run's own JSON lines.
        if self.format == Format::Json {
            let _ = writeln!(self.ctx.err, "{line}");
            return true;
        }
        // Stdout carries the reviews: when they cannot be shown, nothing more is deployed.
        writeln!(self.ctx.out, "{}", self.ctx.style.bold(&line))
            .and_then(|()| self.ctx.out.flush())
            .is_ok()
    }
}

impl Live<'_, '_> {
    fn failed(&mut self, e: &Error, what: &str) -> RunResult {
        if e.is_closed_output() {
            return RunResult::OutputClosed;
        }
        let _ = writeln!(
            self.ctx.err,
            "error: {}",
            escape_line(&self.ctx.invocation.complete(&e.0))
        );
        // Ctrl-C reached the app or the build (`children`), which then failed: the user
        // stopped the run; there is nothing to fix (atk finding 8).
        if self.ctx.interrupt.is_triggered() {
            self.say(&format!("stopped by Ctrl-C ({what} as it was cut short)"));
        } else {
            self.say(&format!("{what}; fix and save to try again"));
        }
        RunResult::Failed
    }
}

impl Spec for WatchArgs {
    const NAME: &'static str = "watch";
    const TARGET_HEADER: bool = true;
    const CHANGES_OR_REVIEWS: bool = true;

    fn source_mut(&mut self) -> Option<&mut SourceArgs> {
        Some(&mut self.source)
    }

    fn target(&self) -> Option<(&SourceArgs, &[String])> {
        Some((&self.source, &self.stacks))
    }

    fn take_environment(
        &mut self,
        selected: &SelectedEnvironment,
        parameters: &EnvironmentParameters,
    ) {
        self.environment = Some(selected.clone());
        self.environment_parameters = Some(parameters.clone());
    }
}

impl Run for WatchArgs {
    type Prepared = Prepared;

    async fn start(&self, _cli: &Cli, ctx: &mut Context<'_>) -> Result<Next<Self::Prepared>> {
        prepare(self, &ctx.cwd).map(Next::Connect)
    }

    async fn run(
        &self,
        prepared: Self::Prepared,
        cli: &Cli,
        ctx: &mut Context<'_>,
        aws: Connected<'_>,
    ) -> Result<i32> {
        run(
            self,
            prepared,
            cli.output,
            ctx,
            aws.backends,
            aws.lambda,
            aws.logs,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};

    fn watch_args(args: &[&str]) -> WatchArgs {
        let cli = Cli::from_args(["nephos", "watch"].iter().chain(args))
            .unwrap_or_else(|e| panic!("{e}"));
        match cli.command {
            Command::Watch(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_run_is_a_deploy_with_the_same_rails_and_never_yes() {
        let d = watch_args(&[
            "api",
            "--hotswap",
            "--allow-replace",
            "Table",
            "--parameter",
            "Stage=dev",
        ])
        .deploy_args();
        assert!(!d.yes, "watch never approves by itself");
        assert_eq!(d.require_approval, ApprovalPolicy::Broadening);
        assert!(d.hotswap);
        assert_eq!(d.stacks, ["api"]);
        assert_eq!(d.allow_replace, ["Table"]);
        assert!(!d.allow_data_loss);
        assert_eq!(d.parameters, ["Stage=dev"]);
        let never = watch_args(&["--require-approval", "never"]).deploy_args();
        assert_eq!(never.require_approval, ApprovalPolicy::Never);
        // There is no --yes to give.
        assert!(Cli::from_args(["nephos", "watch", "--yes"]).is_err());
    }

    #[test]
    fn an_assembly_is_refused_before_anything_runs() {
        let a = watch_args(&["--assembly", "out"]);
        let e = prepare(&a, Path::new("/nonexistent"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("--assembly"), "{e}");
    }

    #[test]
    fn exit_codes() {
        assert_eq!(exit_code(End::Interrupted), EXIT_OK);
        assert_eq!(exit_code(End::InterruptedRun(RunResult::Done)), EXIT_OK);
        // atk finding 8: Ctrl-C during a handler build makes the build fail; that run was
        // stopped, and watch stops with 0 as the README says.
        assert_eq!(exit_code(End::InterruptedRun(RunResult::Failed)), EXIT_OK);
        assert_eq!(
            exit_code(End::InterruptedRun(RunResult::ProjectGone)),
            EXIT_ERROR
        );
        assert_eq!(exit_code(End::WatcherStopped), EXIT_ERROR);
        assert_eq!(exit_code(End::ProjectGone), EXIT_ERROR);
        assert_eq!(exit_code(End::OutputClosed), EXIT_CLOSED_PIPE);
    }
}
