//! `nephos ls`: the stacks the app defines (from its assembly, without AWS), like `cdk ls`.
//! `nephos list` keeps its meaning: the stacks deployed in the account and region.

use clap::Args;
use serde_json::json;

use super::{EXIT_OK, write_json};
use crate::cli::{Cli, SourceArgs};
use crate::commands::spec::{Local, Spec};
use crate::context::Context;
use crate::error::Result;
use crate::output::Format;
use crate::source::app::load;
use crate::source::assembly::StackSource;

/// List the stacks the app defines, with their stack names and regions, without AWS
/// (like `cdk ls`; `list` lists the deployed ones).
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Where stacks come from.
    #[command(flatten)]
    pub source: SourceArgs,
}

/// One row: the stack's id in the app, its CloudFormation name, and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The id in the app.
    pub id: String,
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The stack's own region, else the one `--region`/`--env` gives; `None`: the AWS
    /// configuration's default, decided only when a command connects.
    pub region: Option<String>,
    /// The stacks it deploys after.
    pub after: Vec<String>,
}

/// The rows of `stacks`, in the assembly's (dependency) order.
pub fn rows(stacks: &[StackSource], region: Option<&str>) -> Vec<Row> {
    stacks
        .iter()
        .map(|s| Row {
            id: s.artifact.id.clone(),
            stack_name: s.artifact.stack_name.clone(),
            region: s
                .artifact
                .region
                .clone()
                .or_else(|| region.map(str::to_owned)),
            after: s.artifact.dependencies.clone(),
        })
        .collect()
}

/// Writes the rows as an aligned table (id, stack name, region, dependencies).
pub fn write_rows(out: &mut dyn std::io::Write, rows: &[Row], env: Option<&str>) -> Result<()> {
    let region = |r: &Row| {
        r.region
            .clone()
            .unwrap_or_else(|| "(default region)".into())
    };
    let w_id = rows
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(2);
    let w_name = rows
        .iter()
        .map(|r| r.stack_name.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let w_region = rows
        .iter()
        .map(|r| region(r).chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    writeln!(
        out,
        "{:w_id$}  {:w_name$}  {:w_region$}  AFTER",
        "ID", "STACK", "REGION"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:w_id$}  {:w_name$}  {:w_region$}  {}",
            r.id,
            r.stack_name,
            region(r),
            if r.after.is_empty() {
                "-".to_owned()
            } else {
                r.after.join(", ")
            }
        )?;
    }
    if let Some(env) = env {
        writeln!(out, "environment: {env}")?;
    }
    Ok(())
}

/// Runs `ls`: loads the source (running the app when it is one), never calls AWS.
pub fn run(args: &LsArgs, env: Option<&str>, format: Format, ctx: &mut Context<'_>) -> Result<i32> {
    let stacks = crate::source::assembly::select(load(&args.source, &ctx.cwd, ctx.err)?, &[])?;
    let rows = rows(&stacks, ctx.aws.region.as_deref());
    if format == Format::Json {
        let list: Vec<_> = rows
            .iter()
            .map(|r| json!({"id": r.id, "stackName": r.stack_name, "region": r.region, "dependencies": r.after}))
            .collect();
        write_json(ctx.out, &json!({"environment": env, "stacks": list}))?;
        return Ok(EXIT_OK);
    }
    write_rows(ctx.out, &rows, env)?;
    Ok(EXIT_OK)
}

impl Spec for LsArgs {
    const NAME: &'static str = "ls";
    // No AWS call: a stack without a region of its own shows `--region`'s.
    const UNUSED_GLOBALS: &'static [&'static str] = &["profile", "timeout"];

    fn source_mut(&mut self) -> Option<&mut SourceArgs> {
        Some(&mut self.source)
    }
}

impl Local for LsArgs {
    async fn run_local(&self, cli: &Cli, ctx: &mut Context<'_>) -> Result<i32> {
        run(self, cli.environment.as_deref(), cli.output, ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(id: &str, name: &str, region: Option<&str>, deps: &[&str]) -> StackSource {
        let artifact = serde_json::from_value(json!({
            "id": id, "stackName": name, "templateFile": format!("{id}.template.json"),
            "region": region, "dependencies": deps}))
        .unwrap_or_else(|e| panic!("{e}"));
        StackSource {
            artifact,
            body: String::new(),
            template: serde_json::Value::Null,
            dir: std::path::PathBuf::new(),
        }
    }

    #[test]
    fn each_stack_shows_its_name_region_and_order() {
        let stacks = [
            stack("Events", "orders-events", Some("eu-west-1"), &[]),
            stack("Api", "orders-api-dev", None, &["Events"]),
        ];
        let mut out = Vec::new();
        write_rows(&mut out, &rows(&stacks, None), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            String::from_utf8_lossy(&out),
            "ID      STACK           REGION            AFTER\n\
             Events  orders-events   eu-west-1         -\n\
             Api     orders-api-dev  (default region)  Events\n"
        );
        // --region / --env fill in a stack without its own region, never override one.
        let r = rows(&stacks, Some("us-east-2"));
        assert_eq!(r[0].region.as_deref(), Some("eu-west-1"));
        assert_eq!(r[1].region.as_deref(), Some("us-east-2"));
    }
}
