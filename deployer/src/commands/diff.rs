//! `nephos diff`: the offline diff per stack, optionally reconciled with a change set that
//! is deleted afterwards. Exit 0 no changes, 2 changes, 1 error.

use std::io::Write;

use serde_json::{Value, json};

use super::{EXIT_CHANGES, EXIT_OK, write_json};
use crate::cfn::model::{ChangeSetRequest, ChangeSetType, Stack, is_no_changes_error};
use crate::cli::DiffArgs;
use crate::context::{Backends, Context, EngineSettings};
use crate::deploy::engine::{StackRequest, change_set_parameters};
use crate::diff::render::{render, text_diff};
use crate::diff::{TemplateDiff, diff_templates, reconcile_and_assess};
use crate::error::{Error, Result};
use crate::output::Format;
use crate::progress::text::TextReporter;
use crate::source::app::load;
use crate::source::assembly::{StackSource, select};
use crate::source::template::parse_template;

/// Runs `diff`.
pub async fn run(
    args: &DiffArgs,
    format: Format,
    ctx: &mut Context<'_>,
    b: Backends<'_>,
) -> Result<i32> {
    let stacks = select(load(&args.source, &ctx.cwd, ctx.err)?, &args.stacks)?;
    let settings = ctx.settings();
    let mut results = Vec::new();
    for s in &stacks {
        let name = s.artifact.stack_name.as_str();
        let existing = settings.retry.run(|| b.cfn.describe_stack(name)).await?;
        let deployed = existing
            .as_ref()
            .filter(|st| st.status.as_str() != "REVIEW_IN_PROGRESS");
        let old = match deployed {
            Some(_) => {
                let body = settings.retry.run(|| b.cfn.get_template(name)).await?;
                parse_template(&body)
                    .map_err(|e| Error::new(format!("{name}: deployed template: {e}")))?
            }
            None => Value::Null,
        };
        let mut diff = diff_templates(&old, &s.template, ctx.facts);
        if args.change_set {
            let name = ctx.new_change_set_name();
            with_change_set(&settings, b, s, deployed, &name, (&old, &mut diff), ctx.err).await?;
        }
        if diff.security.iter().any(|c| c.policy == "managed") {
            let account = b.staging.account_id().await.ok();
            crate::diff::managed::expand(&mut diff.security, b.iam, account.as_deref()).await;
        }
        results.push((s, deployed.is_some(), old, diff));
    }
    let changed = results.iter().any(|(_, _, _, d)| !d.is_empty());
    if format == Format::Json {
        let stacks: Vec<_> = results
            .iter()
            .map(|(s, exists, _, d)| json!({"stack": s.artifact.stack_name, "exists": exists, "diff": d}))
            .collect();
        write_json(ctx.out, &json!({"changes": changed, "stacks": stacks}))?;
    } else {
        for (s, exists, old, d) in &results {
            let title = if *exists {
                s.artifact.stack_name.clone()
            } else {
                format!("{} (new stack)", s.artifact.stack_name)
            };
            render(ctx.out, &title, d, ctx.style)?;
            if args.template_diff && !d.is_empty() {
                writeln!(ctx.out, "Template")?;
                let a = if old.is_null() {
                    String::new()
                } else {
                    pretty(old)
                };
                text_diff(ctx.out, "  ", &a, &pretty(&s.template), ctx.style)?;
            }
        }
    }
    Ok(if changed { EXIT_CHANGES } else { EXIT_OK })
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Creates a change set, reconciles `diff` with it, and deletes it (with the empty stack a
/// create change set makes), leaving no trace.
async fn with_change_set(
    settings: &EngineSettings<'_>,
    b: Backends<'_>,
    s: &StackSource,
    deployed: Option<&Stack>,
    cs_name: &str,
    (old, diff): (&Value, &mut TemplateDiff),
    log: &mut dyn Write,
) -> Result<()> {
    let name = s.artifact.stack_name.as_str();
    let mut sink = Vec::new();
    let mut reporter = TextReporter::new(&mut sink, crate::output::style::Style::plain());
    let mut engine = settings.engine(b, &mut reporter);
    let kind = if deployed.is_some() {
        ChangeSetType::Update
    } else {
        ChangeSetType::Create
    };
    let req = StackRequest {
        stack_name: name.to_owned(),
        template_body: s.body.clone(),
        template: s.template.clone(),
        parameters: s.artifact.parameters.clone(),
        tags: s.artifact.tags.clone(),
        termination_protection: s.artifact.termination_protection,
        assets: s.artifact.assets.clone(),
        assembly_dir: s.dir.clone(),
    };
    let template = engine.stage(&req).await?;
    let request = ChangeSetRequest {
        stack_name: name.to_owned(),
        change_set_name: cs_name.to_owned(),
        kind,
        template,
        parameters: change_set_parameters(&req, deployed),
        capabilities: crate::deploy::capabilities::required(&s.template),
        tags: req
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        role_arn: None,
        description: Some("created by nephos diff; deleted after reading".into()),
    };
    match settings
        .retry
        .run(|| b.cfn.create_change_set(&request))
        .await
    {
        Ok(()) => {}
        Err(e) if is_no_changes_error(&e) => {
            reconcile_and_assess(diff, Vec::new(), old, &s.template);
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    }
    let cs = engine.wait_change_set(name, cs_name).await;
    engine.discard(name, cs_name, kind).await;
    drop(engine);
    log.write_all(&sink)?;
    match cs? {
        None => Err(Error::new(
            "interrupted while the change set was being computed",
        )),
        Some(c) if c.is_empty_failure() => {
            reconcile_and_assess(diff, Vec::new(), old, &s.template);
            Ok(())
        }
        Some(c) if c.status != "CREATE_COMPLETE" => Err(Error::new(format!(
            "{name}: the change set failed: {}",
            c.status_reason.unwrap_or_default()
        ))),
        Some(c) => {
            reconcile_and_assess(diff, c.changes, old, &s.template);
            Ok(())
        }
    }
}
