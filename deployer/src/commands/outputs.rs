//! `nephos outputs STACK`: text lines or a JSON object.

use clap::Args;
use serde_json::{Map, Value};

use super::{EXIT_OK, write_json};
use crate::cli::Cli;
use crate::cli::stack_name;
use crate::commands::spec::{Connected, Next, Run, Spec};
use crate::context::{Backends, Context};
use crate::error::{Error, Result};
use crate::output::Format;
use crate::output::escape::escape_line;

/// Show a stack's outputs.
#[derive(Debug, Args)]
pub struct OutputsArgs {
    /// The stack name.
    #[arg(value_parser = stack_name)]
    pub stack: String,
}

/// Runs `outputs`.
pub async fn run(
    args: &OutputsArgs,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
) -> Result<i32> {
    let name = args.stack.as_str();
    let Some(stack) = ctx
        .retry
        .call(Some(name), "DescribeStacks", || b.cfn.describe_stack(name))
        .await?
    else {
        return Err(Error::new(format!("stack {name} does not exist")));
    };
    if format == Format::Json {
        let m: Map<String, Value> = stack
            .outputs
            .iter()
            .map(|o| (o.key.clone(), Value::String(o.value.clone())))
            .collect();
        write_json(ctx.out, &m)?;
        return Ok(EXIT_OK);
    }
    if stack.outputs.is_empty() {
        writeln!(ctx.out, "{name}: no outputs")?;
    }
    for o in &stack.outputs {
        let export = o
            .export_name
            .as_deref()
            .map(|e| format!("  (export {})", escape_line(e)))
            .unwrap_or_default();
        writeln!(
            ctx.out,
            "{} = {}{export}",
            escape_line(&o.key),
            escape_line(&o.value)
        )?;
    }
    Ok(EXIT_OK)
}

impl Spec for OutputsArgs {
    const NAME: &'static str = "outputs";
    // An AWS read that never waits on an operation.
    const UNUSED_GLOBALS: &'static [&'static str] = &["timeout"];
}

impl Run for OutputsArgs {
    type Prepared = ();

    async fn start(&self, _cli: &Cli, _ctx: &mut Context<'_>) -> Result<Next<Self::Prepared>> {
        Ok(Next::Connect(()))
    }

    async fn run(
        &self,
        (): (),
        cli: &Cli,
        ctx: &mut Context<'_>,
        aws: Connected<'_>,
    ) -> Result<i32> {
        run(self, cli.output, ctx, aws.backends).await
    }
}
