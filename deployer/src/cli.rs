//! The command line: global options and one subcommand per task.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::bootstrap::BootstrapArgs;
use crate::commands::deploy::DeployArgs;
use crate::commands::destroy::DestroyArgs;
use crate::commands::diff::DiffArgs;
use crate::commands::init::InitArgs;
use crate::commands::list::ListArgs;
use crate::commands::logs::LogsArgs;
use crate::commands::ls::LsArgs;
use crate::commands::outputs::OutputsArgs;
use crate::commands::reference::{CompletionsArgs, ManArgs};
use crate::commands::spec::Spec;
use crate::commands::status::StatusArgs;
use crate::commands::synth::SynthArgs;
use crate::commands::watch::WatchArgs;
use crate::deploy::interrupt::WaitLimit;
use crate::output::Format;
use crate::output::terminal::ColorChoice;

pub mod duration;
pub mod values;

/// Synthesize, diff and deploy nephos apps (or any CloudFormation template) through
/// CloudFormation change sets.
///
/// AWS configuration is the standard one: profiles, AWS_REGION, AWS_PROFILE, the credential
/// chain and AWS_ENDPOINT_URL, overridable with --region and --profile.
#[derive(Debug, Parser)]
#[command(name = "nephos", version, propagate_version = true)]
pub struct Cli {
    /// The AWS region (default: AWS_REGION or the profile's region).
    #[arg(long, global = true, value_parser = region_name)]
    pub region: Option<String>,
    /// The AWS profile to use (default: AWS_PROFILE or `default`); its credentials win over
    /// credentials in the environment, as in the AWS CLI.
    #[arg(long, global = true, value_parser = values::non_blank)]
    pub profile: Option<String>,
    /// Stop waiting on CloudFormation after this long in all: whole seconds (`90`) or a
    /// duration (`500ms`, `30s`, `10m`, `2h`, `1d`, `1w`, `1h30m`), at most a year (the
    /// operation goes on in CloudFormation; `nephos status STACK --wait` follows it again).
    /// Without it, each wait on a stack or change set ends after 60 minutes (the AWS CLI
    /// waiters' bound); `none` (or 0) waits without bound. `nephos logs --follow` is bounded
    /// only by it.
    #[arg(long, global = true, value_name = "DURATION|none", value_parser = WaitLimit::parse)]
    pub timeout: Option<WaitLimit>,
    /// Output format: text for people, json for scripts (progress becomes JSON lines).
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub output: Format,
    /// Colour, decided for stdout and stderr each: auto colours a terminal unless NO_COLOR
    /// is set (non-empty) or TERM is dumb.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// More diagnostics on stderr: -v nephos's steps, -vv also the SDK's (NEPHOS_LOG
    /// overrides with tracing directives).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The most diagnostics: every AWS request, attempt and response (like -vvv).
    #[arg(long, global = true)]
    pub debug: bool,
    /// An environment of nephos.json (`"environments": {"prod": {...}}`): its region,
    /// profile and parameters apply unless given as flags, and the app sees NEPHOS_ENV.
    #[arg(
        long = "env",
        global = true,
        env = "NEPHOS_ENV",
        value_name = "NAME",
        value_parser = values::environment_name
    )]
    pub environment: Option<String>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
    /// The command line this was parsed from (set by [`Cli::from_args`]; empty when parsed
    /// otherwise): next steps repeat the run's flags from it.
    #[arg(skip)]
    pub argv: Vec<std::ffi::OsString>,
    /// Whether `environment` came from `NEPHOS_ENV` rather than `--env` (set by
    /// [`Cli::from_args`]): an exported variable is dropped by commands that do not use it,
    /// a flag given to them is refused.
    #[arg(skip)]
    pub environment_from_env: bool,
    /// The global options given on the command line (their ids; set by
    /// [`Cli::from_args`]): `--output` and `--color` have defaults, so whether they were
    /// given is known only from the parse.
    #[arg(skip)]
    pub given_globals: Vec<&'static str>,
    /// Whether `region` came from the selected environment of nephos.json rather than the
    /// command line (set by `--env` handling): a printed `nephos` next step repeats `--env`,
    /// not the region it supplied.
    #[arg(skip)]
    pub region_from_environment: bool,
    /// Whether `profile` came from the selected environment (as `region_from_environment`).
    #[arg(skip)]
    pub profile_from_environment: bool,
}

/// The ids of the global options, as [`unused_globals`] names them.
const GLOBALS: &[&str] = &[
    "region",
    "profile",
    "timeout",
    "environment",
    "output",
    "color",
];

/// The global options `command` (a subcommand's name) has no use for, by id
/// ([`Spec::UNUSED_GLOBALS`]): hidden from its `--help`, man page and completions
/// ([`command`]), and refused when given (`commands::environment::offline_flags`), so its
/// help lists only what it accepts. `-v`/`--debug` apply to every command.
pub fn unused_globals(command: &str) -> &'static [&'static str] {
    COMMANDS
        .iter()
        .find(|(name, _)| *name == command)
        .map_or(&[], |(_, unused)| unused)
}

/// The clap definition of the command line, with each subcommand's unused global options
/// ([`unused_globals`]) hidden from its help. A hidden copy in the subcommand keeps clap
/// from adding the visible global there; it still parses, so the refusal can name it.
pub fn command() -> clap::Command {
    let root = <Cli as clap::CommandFactory>::command();
    let globals: Vec<clap::Arg> = root
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    root.mut_subcommands(|sub| {
        let unused = unused_globals(sub.get_name());
        globals
            .iter()
            .filter(|g| unused.contains(&g.get_id().as_str()))
            .fold(sub, |sub, g| sub.arg(g.clone().hide(true)))
    })
}

impl Cli {
    /// Parses `args` (the program name first) and keeps them for the next steps.
    ///
    /// # Errors
    /// clap's error for a command line that does not parse.
    pub fn from_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let argv: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        let matches = command().try_get_matches_from(&argv)?;
        let mut cli = <Self as clap::FromArgMatches>::from_arg_matches(&matches)
            .map_err(|e| e.format(&mut command()))?;
        cli.given_globals = GLOBALS
            .iter()
            .copied()
            .filter(|id| matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine))
            .collect();
        cli.environment_from_env =
            matches.value_source("environment") == Some(clap::parser::ValueSource::EnvVariable);
        // An empty exported NEPHOS_ENV has a meaning of its own (see
        // `commands::environment::select`); an empty `--env` typed on the command line names
        // nothing.
        if !cli.environment_from_env && cli.environment.as_deref() == Some("") {
            return Err(command().error(
                clap::error::ErrorKind::InvalidValue,
                "invalid value '' for '--env <NAME>': it is empty and names nothing: give an environment of nephos.json, or leave the option out",
            ));
        }
        cli.argv = argv;
        Ok(cli)
    }
}

/// Declares the subcommands from one list: the enum clap parses and the lookups generated
/// from each command's [`Spec`] (`commands/spec.rs`). A new command is its file under
/// `commands/` (its arguments, their help and its `Spec` impl) and one line here.
macro_rules! commands {
    ($($variant:ident($args:ty),)*) => {
        /// The subcommands; each one's help is its arguments' doc comment.
        #[derive(Debug, Subcommand)]
        pub enum Command {
            $(
                #[allow(missing_docs, reason = "the help is the arguments' doc comment")]
                $variant($args),
            )*
        }

        /// Every command's name and the global options it has no use for.
        const COMMANDS: &[(&str, &[&str])] =
            &[$((<$args as Spec>::NAME, <$args as Spec>::UNUSED_GLOBALS),)*];

        impl Command {
            /// The subcommand's name, as typed.
            pub fn name(&self) -> &'static str {
                match self { $(Self::$variant(_) => <$args as Spec>::NAME,)* }
            }

            /// [`Spec::CHANGES_OR_REVIEWS`] of the command.
            pub fn changes_or_reviews(&self) -> bool {
                match self { $(Self::$variant(_) => <$args as Spec>::CHANGES_OR_REVIEWS,)* }
            }

            /// [`Spec::FOLLOWS_LOGS`] of the command.
            pub fn follows_logs(&self) -> bool {
                match self { $(Self::$variant(_) => <$args as Spec>::FOLLOWS_LOGS,)* }
            }

            /// [`Spec::source_mut`] of the command.
            pub fn source_mut(&mut self) -> Option<&mut SourceArgs> {
                match self { $(Self::$variant(a) => a.source_mut(),)* }
            }

            /// [`Spec::target`] of the command.
            pub fn target(&self) -> Option<(&SourceArgs, &[String])> {
                match self { $(Self::$variant(a) => a.target(),)* }
            }

            /// [`Spec::take_environment`] of the command.
            pub fn take_environment(
                &mut self,
                selected: &crate::watch::config::SelectedEnvironment,
                parameters: &crate::commands::parameters::EnvironmentParameters,
            ) {
                match self { $(Self::$variant(a) => a.take_environment(selected, parameters),)* }
            }

            /// Runs the command: [`Run::start`](crate::commands::spec::Run::start), then,
            /// when it asks, connects and runs the rest (`commands::run_command`).
            pub(crate) async fn dispatch(
                &self,
                cli: &Cli,
                ctx: &mut crate::context::Context<'_>,
            ) -> crate::error::Result<i32> {
                match self {
                    $(Self::$variant(a) => crate::commands::run_command(a, cli, ctx).await,)*
                }
            }
        }
    };
}

commands! {
    Synth(SynthArgs),
    Diff(DiffArgs),
    Deploy(DeployArgs),
    Watch(WatchArgs),
    Destroy(DestroyArgs),
    List(ListArgs),
    Ls(LsArgs),
    Status(StatusArgs),
    Outputs(OutputsArgs),
    Bootstrap(BootstrapArgs),
    Init(InitArgs),
    Logs(LogsArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

impl Cli {
    /// The verbosity: 0 none, 1 `-v`, 2 `-vv`, 3 `--debug` (or `-vvv`).
    pub fn verbosity(&self) -> u8 {
        if self.debug { 3 } else { self.verbose.min(3) }
    }
}

/// Where the stacks come from.
#[derive(Clone, Debug, Default, Args)]
pub struct SourceArgs {
    /// The command that runs the app, e.g. "cargo run -q --example users_api" (also
    /// NEPHOS_APP, or `{"app": "..."}` in ./nephos.json). It is run with NEPHOS_OUTDIR set.
    #[arg(long, env = "NEPHOS_APP", value_parser = values::app_command)]
    pub app: Option<String>,
    /// Where the app writes the assembly.
    #[arg(long, env = "NEPHOS_OUTDIR", default_value = "nephos.out", value_parser = values::outdir)]
    pub outdir: PathBuf,
    /// Use an assembly that is already written instead of running the app.
    #[arg(long, conflicts_with_all = ["app", "template"], value_parser = values::non_blank_path)]
    pub assembly: Option<PathBuf>,
    /// A CloudFormation template file (JSON or YAML) instead of an app; needs --stack-name.
    #[arg(long, requires = "stack_name", conflicts_with = "app", value_parser = values::non_blank_path)]
    pub template: Option<PathBuf>,
    /// The stack name for --template.
    #[arg(long, requires = "template", value_parser = stack_name)]
    pub stack_name: Option<String>,
    /// The selected environment (`--env`), passed to the app as NEPHOS_ENV.
    #[arg(skip)]
    pub environment: Option<String>,
}

/// clap's own message for a command line that does not parse, made safe for a terminal:
/// the argument values it quotes (the user's text: an invalid value, an unknown argument)
/// are shown on one line with every control, bidirectional and line-break character
/// escaped, and the rest of the message passes the same escaping as all other output.
/// Plain text: clap's colour sequences are not nephos's own.
pub fn clap_error_text(e: &clap::Error) -> String {
    use clap::error::ContextValue;
    let mut text = e.render().to_string();
    for (_, value) in e.context() {
        let quoted: Vec<&str> = match value {
            ContextValue::String(s) => vec![s.as_str()],
            ContextValue::Strings(v) => v.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        for q in quoted {
            let shown = crate::output::escape::escape_line(q);
            if !q.is_empty() && shown != q {
                text = text.replace(q, &shown);
            }
        }
    }
    crate::output::escape::escape_text(&text, false).into_owned()
}

/// A CloudFormation stack name, checked before any call (the rule is
/// `nephos::assembly::check_stack_name`).
pub(crate) fn stack_name(s: &str) -> Result<String, String> {
    nephos::assembly::check_stack_name(s)
        .map(|()| s.to_owned())
        .map_err(|why| {
            format!(
                "`{}` {why}: a stack name starts with a letter and has only letters, digits and hyphens (at most 128)",
                crate::output::escape::escape_line(s)
            )
        })
}

/// An AWS region name, checked before any call.
pub(crate) fn region_name(s: &str) -> Result<String, String> {
    nephos::assembly::check_region(s)
        .map(|()| s.to_owned())
        .map_err(|why| format!("`{}` {why}", crate::output::escape::escape_line(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each command's `Spec::NAME` is the name clap parses it by, one entry per
    /// subcommand: the lookups by name (`unused_globals`, the man pages) read the same
    /// table the parser was built from.
    #[test]
    fn every_subcommand_is_named_by_its_spec() {
        let mut parsed: Vec<String> = command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .filter(|n| n != "help")
            .collect();
        let mut declared: Vec<String> = COMMANDS.iter().map(|(n, _)| (*n).to_owned()).collect();
        parsed.sort();
        declared.sort();
        assert_eq!(parsed, declared);
        for (name, args) in [
            ("synth", &["synth"][..]),
            ("list", &["list"]),
            ("man", &["man", "watch"]),
            ("completions", &["completions", "bash"]),
            ("deploy", &["deploy"]),
            ("logs", &["logs", "api", "Handler"]),
        ] {
            let cli = Cli::from_args(std::iter::once("nephos").chain(args.iter().copied()))
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert_eq!(cli.command.name(), name);
        }
        assert_eq!(unused_globals("list"), &["timeout"]);
        assert!(unused_globals("deploy").is_empty());
        assert!(unused_globals("no-such-command").is_empty());
    }

    #[test]
    fn clap_errors_show_the_arguments_they_quote_escaped() {
        // atk12b finding 4: clap quoted an invalid stack name with its U+202E raw.
        for args in [
            vec!["nephos", "status", "s1\u{202e}gnp"],
            vec!["nephos", "status", "s1\nerror: forged"],
            vec!["nephos", "status", "s1", "--bogus\u{2028}x"],
            vec!["nephos", "deploy", "--parameter\u{202e}", "x"],
        ] {
            let Err(e) = Cli::from_args(&args) else {
                panic!("{args:?} parsed")
            };
            let text = clap_error_text(&e);
            assert!(
                !text.chars().any(|c| c == '\u{202e}' || c == '\u{2028}'),
                "{args:?}: {text:?}"
            );
            assert!(
                !text.lines().any(|l| l.starts_with("error: forged")),
                "{args:?}: {text}"
            );
            assert!(text.starts_with("error:"), "{args:?}: {text}");
        }
    }
}
