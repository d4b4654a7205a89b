//! What a subcommand declares about itself ([`Spec`]), and how it runs ([`Run`], or
//! [`Local`] when it needs no AWS connection).
//!
//! `cli.rs` names each command once, in its `commands!` list (`Deploy(DeployArgs),`); the
//! enum clap parses, `Command::name`, the dispatch, the target header, the global options
//! hidden from its help and `--env`'s handling are all generated from that list and read
//! from each command's `Spec` impl, which lives beside its arguments in
//! `commands/<name>.rs`. So a new command is its file and one line in `cli.rs`, and no
//! table elsewhere can forget it.

use std::convert::Infallible;

use crate::cfn::lambda::Lambda;
use crate::cfn::logs::LogReader;
use crate::cli::{Cli, SourceArgs};
use crate::commands::parameters::EnvironmentParameters;
use crate::context::{Backends, Context};
use crate::error::Result;
use crate::watch::config::SelectedEnvironment;

/// What [`Run::start`] leaves to do.
#[derive(Debug)]
pub enum Next<P> {
    /// The command ran to its end without the shared AWS connection, with this exit code.
    Done(i32),
    /// Everything that needs no AWS is checked: connect (and state the target, when
    /// [`Spec::TARGET_HEADER`]), then [`Run::run`] with this.
    Connect(P),
}

/// The AWS clients a command runs with: every write to CloudFormation, S3 and Lambda
/// passes the Ctrl-C check of `cfn::halt` (stop before the next change).
#[derive(Clone, Copy)]
pub struct Connected<'a> {
    /// CloudFormation, staging (S3 and STS) and IAM.
    pub backends: Backends<'a>,
    /// Lambda, for hotswap; `None` when the context was given fakes without one.
    pub lambda: Option<&'a dyn Lambda>,
    /// CloudWatch Logs, for `watch --logs`; `None` as `lambda`.
    pub logs: Option<&'a dyn LogReader>,
}

/// What a subcommand declares about itself: its name as typed and what it needs.
/// Implemented by its arguments (`DeployArgs`) in its own file, with how it runs: [`Run`],
/// or [`Local`] for a command that needs no shared AWS connection.
///
/// # Example
/// ```
/// use nephos_cli::commands::deploy::DeployArgs;
/// use nephos_cli::commands::spec::Spec;
/// assert_eq!(<DeployArgs as Spec>::NAME, "deploy");
/// assert!(<DeployArgs as Spec>::TARGET_HEADER);
/// ```
pub trait Spec {
    /// The name as typed (`deploy`); it must be clap's name of the variant, which a test
    /// checks for every command.
    const NAME: &'static str;
    /// The ids of the global options the command has no use for (`region`, `profile`,
    /// `timeout`, `environment`, `output`, `color`): hidden from its help and refused when
    /// given, by `commands::environment::offline_flags`.
    const UNUSED_GLOBALS: &'static [&'static str] = &[];
    /// Whether the account (from STS) and region are stated before it runs: every command
    /// that reviews or changes a stack says where it acts.
    const TARGET_HEADER: bool = false;
    /// Whether it changes infrastructure or reviews a change against what is deployed:
    /// then an exported but empty `NEPHOS_ENV` is refused rather than read as "none".
    const CHANGES_OR_REVIEWS: bool = false;
    /// Whether it follows logs: its waiting is bounded only by `--timeout`, not by the
    /// default bound of a wait on a stack.
    const FOLLOWS_LOGS: bool = false;

    /// Where its stacks come from, for `--env` to pass the environment's name to the app.
    fn source_mut(&mut self) -> Option<&mut SourceArgs> {
        None
    }

    /// The source and the stacks a printed next step repeats (`nephos deploy --app ...
    /// api`), for the commands whose messages print one.
    fn target(&self) -> Option<(&SourceArgs, &[String])> {
        None
    }

    /// Takes what `--env` selected: the environment's parameters (for the commands that
    /// pass parameters) and its settings (for `watch`, which checks them before each run).
    fn take_environment(
        &mut self,
        _selected: &SelectedEnvironment,
        _parameters: &EnvironmentParameters,
    ) {
    }
}

/// How a command runs, in two steps, so that input problems are reported as themselves
/// even when AWS cannot be reached: [`start`](Run::start) checks everything that needs no
/// AWS (flags, the source and its templates) and either finishes the command or asks to
/// connect; then [`run`](Run::run) does the AWS work with the [`Connected`] clients.
#[allow(
    async_fn_in_trait,
    reason = "commands run on the thread that parsed them (`block_on`); no caller needs the futures to be Send"
)]
pub trait Run: Spec {
    /// What [`start`](Run::start) hands to [`run`](Run::run).
    type Prepared;

    /// Runs everything that needs no AWS connection.
    ///
    /// # Errors
    /// The command's own: a bad flag, source or template.
    async fn start(&self, cli: &Cli, ctx: &mut Context<'_>) -> Result<Next<Self::Prepared>>;

    /// Runs the AWS part.
    ///
    /// # Errors
    /// The command's own: a failed call, a refused or failed change.
    async fn run(
        &self,
        prepared: Self::Prepared,
        cli: &Cli,
        ctx: &mut Context<'_>,
        aws: Connected<'_>,
    ) -> Result<i32>;
}

/// A command that needs no shared AWS connection (`synth`, `init`; `logs` makes its own):
/// it runs whole in [`Run::start`].
#[allow(
    async_fn_in_trait,
    reason = "commands run on the thread that parsed them (`block_on`); no caller needs the futures to be Send"
)]
pub trait Local: Spec {
    /// Runs the command; the exit code.
    ///
    /// # Errors
    /// The command's own.
    async fn run_local(&self, cli: &Cli, ctx: &mut Context<'_>) -> Result<i32>;
}

impl<C: Local> Run for C {
    type Prepared = Infallible;

    async fn start(&self, cli: &Cli, ctx: &mut Context<'_>) -> Result<Next<Infallible>> {
        self.run_local(cli, ctx).await.map(Next::Done)
    }

    async fn run(
        &self,
        prepared: Infallible,
        _: &Cli,
        _: &mut Context<'_>,
        _: Connected<'_>,
    ) -> Result<i32> {
        match prepared {}
    }
}
