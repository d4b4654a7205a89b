//! `nephos deploy`: every selected stack, in dependency order, stopping at the first that
//! does not succeed.

use std::collections::BTreeMap;
use std::io::Write;

use super::{EXIT_ERROR, EXIT_OK};
use crate::cli::DeployArgs;
use crate::context::{Backends, Context};
use crate::deploy::engine::{DeployOptions, StackRequest};
use crate::error::{Error, Result};
use crate::output::Format;
use crate::progress::{Mode, reporter};
use crate::source::app::load;
use crate::source::assembly::select;

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

/// Runs `deploy`.
pub async fn run(
    args: &DeployArgs,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
) -> Result<i32> {
    let stacks = select(load(&args.source, &ctx.cwd, ctx.err)?, &args.stacks)?;
    let params = key_values("parameter", &args.parameters)?;
    let tags = key_values("tag", &args.tags)?;
    if let Some(arn) = &args.role_arn {
        check_role(b, arn, ctx.err).await?;
    }
    if args.change_set.is_some() && stacks.len() != 1 {
        return Err(Error::new(
            "--change-set executes one stack's change set: name the stack",
        ));
    }
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
        direct: args.method == crate::cli::Method::Direct,
        allow_replace: args.allow_replace.clone(),
        allow_data_loss: args.allow_data_loss,
    };
    let mode = Mode::choose(format, ctx.interactive);
    let mut rep = reporter(mode, ctx.out, ctx.style);
    let mut engine = settings.engine(b, &mut *rep);
    for s in &stacks {
        let declared = s.template.get("Parameters").and_then(|p| p.as_object());
        let mut parameters = s.artifact.parameters.clone();
        for (k, v) in &params {
            if declared.is_some_and(|d| d.contains_key(k)) {
                parameters.insert(k.clone(), v.clone());
            }
        }
        let mut stack_tags = s.artifact.tags.clone();
        stack_tags.extend(tags.clone());
        let req = StackRequest {
            stack_name: s.artifact.stack_name.clone(),
            template_body: s.body.clone(),
            template: s.template.clone(),
            parameters,
            tags: stack_tags,
            termination_protection: s.artifact.termination_protection
                || args.termination_protection,
            assets: s.artifact.assets.clone(),
            assembly_dir: s.dir.clone(),
        };
        let outcome = engine.deploy(&req, &opts).await?;
        if !outcome.is_success() {
            return Ok(EXIT_ERROR);
        }
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
