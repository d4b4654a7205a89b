//! `nephos destroy`: named stacks, or every stack of the app with dependants first.

use super::{EXIT_ERROR, EXIT_OK};
use crate::cli::DestroyArgs;
use crate::context::{Backends, Context};
use crate::deploy::destroy::DestroyOptions;
use crate::error::Result;
use crate::output::Format;
use crate::progress::{Mode, reporter};
use crate::source::app::load;
use crate::source::assembly::select;

/// Runs `destroy`.
pub async fn run(
    args: &DestroyArgs,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
) -> Result<i32> {
    let names: Vec<String> = if args.stacks.is_empty() {
        let stacks = select(load(&args.source, &ctx.cwd, ctx.err)?, &[])?;
        stacks
            .iter()
            .rev()
            .map(|s| s.artifact.stack_name.clone())
            .collect()
    } else {
        args.stacks.clone()
    };
    let settings = ctx.settings();
    let opts = DestroyOptions {
        yes: args.yes,
        role_arn: args.role_arn.clone(),
        allow_data_loss: args.allow_data_loss,
    };
    let mode = Mode::choose(format, ctx.interactive);
    let mut rep = reporter(mode, ctx.out, ctx.style);
    let mut engine = settings.engine(b, &mut *rep);
    for name in &names {
        if !engine.destroy(name, &opts).await?.is_success() {
            return Ok(EXIT_ERROR);
        }
    }
    Ok(EXIT_OK)
}
