//! The command line: global options and one subcommand per task.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::deploy::approval::ApprovalPolicy;
use crate::output::Format;

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
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Stop waiting for a stack to settle after this many seconds (the operation goes on in
    /// CloudFormation; `nephos status STACK --wait` follows it again).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// Output format: text for people, json for scripts (progress becomes JSON lines).
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub output: Format,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the app and write its cloud assembly; print a summary (or the templates).
    Synth(SynthArgs),
    /// Compare each stack's new template with the deployed one.
    ///
    /// Exit codes: 0 no changes, 2 changes, 1 error (like `terraform plan -detailed-exitcode`).
    Diff(DiffArgs),
    /// Deploy stacks through change sets, in dependency order.
    Deploy(DeployArgs),
    /// Delete stacks (the app's, in reverse dependency order, or the ones named).
    Destroy(DestroyArgs),
    /// List the stacks in the account and region.
    List,
    /// Show a stack's state, its last events and a summary of its resources.
    Status(StatusArgs),
    /// Show a stack's outputs.
    Outputs(OutputsArgs),
    /// Create the staging bucket (and optionally a CloudFormation service role) as a stack.
    Bootstrap(BootstrapArgs),
}

/// Where the stacks come from.
#[derive(Clone, Debug, Default, Args)]
pub struct SourceArgs {
    /// The command that runs the app, e.g. "cargo run -q --example users_api" (also
    /// NEPHOS_APP, or `{"app": "..."}` in ./nephos.json). It is run with NEPHOS_OUTDIR set.
    #[arg(long, env = "NEPHOS_APP")]
    pub app: Option<String>,
    /// Where the app writes the assembly.
    #[arg(long, env = "NEPHOS_OUTDIR", default_value = "nephos.out")]
    pub outdir: PathBuf,
    /// Use an assembly that is already written instead of running the app.
    #[arg(long, conflicts_with_all = ["app", "template"])]
    pub assembly: Option<PathBuf>,
    /// A CloudFormation template file (JSON or YAML) instead of an app; needs --stack-name.
    #[arg(long, requires = "stack_name", conflicts_with = "app")]
    pub template: Option<PathBuf>,
    /// The stack name for --template.
    #[arg(long, requires = "template", value_parser = stack_name)]
    pub stack_name: Option<String>,
}

/// `nephos synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Where stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print the templates instead of a summary.
    #[arg(long)]
    pub print: bool,
}

/// `nephos diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Stacks to diff (id or stack name; default all).
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
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    pub parameters: Vec<String>,
    /// Skip `--parameter` keys a stack's template does not declare instead of failing.
    #[arg(long)]
    pub ignore_unknown_params: bool,
}

/// `nephos deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Stacks to deploy (id or stack name; default all).
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
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    pub parameters: Vec<String>,
    /// Skip `--parameter` keys a stack's template does not declare instead of failing
    /// (for one set of parameters shared by several stacks).
    #[arg(long)]
    pub ignore_unknown_params: bool,
    /// A stack tag, KEY=VALUE (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Turn termination protection on (for --template; apps set it per stack).
    #[arg(long)]
    pub termination_protection: bool,
    /// A service role for CloudFormation to assume.
    #[arg(long)]
    pub role_arn: Option<String>,
    /// Keep failed resources instead of rolling back (for debugging).
    #[arg(long)]
    pub no_rollback: bool,
    /// Create the change set and leave it for review.
    #[arg(long, conflicts_with = "change_set")]
    pub no_execute: bool,
    /// Execute this reviewed change set (from --no-execute) instead of creating one.
    #[arg(long, value_name = "NAME", conflicts_with = "force")]
    pub change_set: Option<String>,
    /// On Ctrl-C, cancel the running update (it rolls back) instead of only stopping waiting.
    #[arg(long)]
    pub cancel_on_interrupt: bool,
    /// Create a change set even when nothing changed locally.
    #[arg(long)]
    pub force: bool,
    /// Allow replacing or removing this stateful resource, by logical ID (repeatable);
    /// without it, a change that would lose a table's, bucket's or queue's data is refused.
    #[arg(long = "allow-replace", value_name = "LOGICAL_ID")]
    pub allow_replace: Vec<String>,
    /// Allow every replacement and removal of stateful resources.
    #[arg(long)]
    pub allow_data_loss: bool,
    /// How to deploy: through a change set (reviewed by CloudFormation), or directly with
    /// CreateStack/UpdateStack (reviewed by the offline diff only).
    #[arg(long, value_enum, default_value_t = Method::ChangeSet)]
    pub method: Method,
}

/// `--method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// CreateChangeSet, review, ExecuteChangeSet.
    ChangeSet,
    /// CreateStack or UpdateStack.
    Direct,
}

/// `nephos destroy`.
#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// Stacks to delete (stack names); default: all of the app's, dependants first.
    #[arg(value_parser = stack_name)]
    pub stacks: Vec<String>,
    /// Where stacks come from (only when no stack is named).
    #[command(flatten)]
    pub source: SourceArgs,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// A service role for CloudFormation to assume.
    #[arg(long)]
    pub role_arn: Option<String>,
    /// Delete even when the deployed template cannot be read (no plan of what is retained).
    #[arg(long)]
    pub allow_data_loss: bool,
}

/// `nephos status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The stack name.
    #[arg(value_parser = stack_name)]
    pub stack: String,
    /// How many recent events to show.
    #[arg(long, default_value_t = 10)]
    pub events: usize,
    /// Wait until the stack settles, streaming its events.
    #[arg(long)]
    pub wait: bool,
}

/// `nephos outputs`.
#[derive(Debug, Args)]
pub struct OutputsArgs {
    /// The stack name.
    #[arg(value_parser = stack_name)]
    pub stack: String,
}

/// `nephos bootstrap`.
#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// The bootstrap stack's name.
    #[arg(long, default_value = "nephos-bootstrap", value_parser = stack_name)]
    pub stack_name: String,
    /// Also create a service role for CloudFormation (pass it to deploy with --role-arn).
    #[arg(long)]
    pub role: bool,
    /// Managed policies for the service role (repeatable).
    #[arg(
        long = "role-policy",
        value_name = "ARN",
        default_value = "arn:aws:iam::aws:policy/AdministratorAccess"
    )]
    pub role_policies: Vec<String>,
    /// Approve without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// A CloudFormation stack name, checked before any call (the rule is
/// `nephos::assembly::check_stack_name`).
fn stack_name(s: &str) -> Result<String, String> {
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
fn region_name(s: &str) -> Result<String, String> {
    nephos::assembly::check_region(s)
        .map(|()| s.to_owned())
        .map_err(|why| format!("`{}` {why}", crate::output::escape::escape_line(s)))
}
