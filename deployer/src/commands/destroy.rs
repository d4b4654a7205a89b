//! `nephos destroy`: named stacks, or every stack of the app with dependants first.

use clap::Args;

use super::EXIT_OK;
use super::regions::connect_and_state;
use crate::cli::stack_name;
use crate::cli::{Cli, SourceArgs};
use crate::commands::spec::{Connected, Next, Run, Spec};
use crate::context::{Backends, Context};
use crate::deploy::destroy::DestroyOptions;
use crate::error::Result;
use crate::output::Format;
use crate::progress::Mode;
use crate::progress::mirror::command_reporter;
use crate::source::assembly::StackSource;

/// Delete stacks (the app's, in reverse dependency order, or the ones named).
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
    #[arg(long, value_parser = crate::cli::values::non_blank)]
    pub role_arn: Option<String>,
    /// Delete even when the deployed template cannot be read (no plan of what is retained).
    #[arg(long)]
    pub allow_data_loss: bool,
}

/// Runs `destroy`; `stacks` are the app's (loaded before any call), used when no stack is
/// named.
pub async fn run(
    args: &DestroyArgs,
    stacks: Vec<StackSource>,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
) -> Result<i32> {
    // (region, name): a named stack is in the command's region; an app's stack in its own.
    let names: Vec<(Option<String>, String)> = if args.stacks.is_empty() {
        stacks
            .iter()
            .rev()
            .map(|s| (s.artifact.region.clone(), s.artifact.stack_name.clone()))
            .collect()
    } else {
        args.stacks.iter().map(|n| (None, n.clone())).collect()
    };
    let regional =
        connect_and_state(ctx, format, b, names.iter().map(|(r, _)| r.as_deref())).await?;
    let settings = ctx.settings();
    let opts = DestroyOptions {
        yes: args.yes,
        role_arn: args.role_arn.clone(),
        allow_data_loss: args.allow_data_loss,
    };
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
    for (region, name) in &names {
        let mut engine = settings.engine(regional.backends(b, region.as_deref()), &mut *rep);
        let outcome = engine.destroy(name, &opts).await?;
        if !outcome.is_success() {
            return Ok(outcome.exit_code(&settings.interrupt));
        }
    }
    Ok(EXIT_OK)
}

impl Spec for DestroyArgs {
    const NAME: &'static str = "destroy";
    const TARGET_HEADER: bool = true;
    const CHANGES_OR_REVIEWS: bool = true;

    fn source_mut(&mut self) -> Option<&mut SourceArgs> {
        Some(&mut self.source)
    }

    fn target(&self) -> Option<(&SourceArgs, &[String])> {
        Some((&self.source, &self.stacks))
    }
}

impl Run for DestroyArgs {
    type Prepared = Vec<StackSource>;

    async fn start(&self, _cli: &Cli, ctx: &mut Context<'_>) -> Result<Next<Self::Prepared>> {
        // The app's stacks are read before any call; named stacks need no source.
        let stacks = if self.stacks.is_empty() {
            crate::source::assembly::select(
                crate::source::app::load(&self.source, &ctx.cwd, ctx.err)?,
                &[],
            )?
        } else {
            Vec::new()
        };
        Ok(Next::Connect(stacks))
    }

    async fn run(
        &self,
        prepared: Self::Prepared,
        cli: &Cli,
        ctx: &mut Context<'_>,
        aws: Connected<'_>,
    ) -> Result<i32> {
        run(self, prepared, cli.output, ctx, aws.backends).await
    }
}
