//! Running a hotswap: read the deployed stack, decide ([`super::plan::plan`]), stage the
//! assets, update each function through the Lambda seam and wait until Lambda says each
//! update is applied.
//!
//! It never writes before the decision is made, and never falls back to CloudFormation
//! after a Lambda write: a failed update stops with the function's state and the way back.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::plan::{FunctionChange, Plan, plan};
use super::reconcile::{include_marked, read_markers};
use super::resolve::Scope;
use crate::cfn::lambda::{DRIFT_MARKER, FunctionState, Lambda, UpdateStatus, failed_update};
use crate::cfn::model::Stack;
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::{CloudFormation, Staging};
use crate::cfn::status::StackStatus;
use crate::deploy::deployed::read_deployed;
use crate::deploy::engine::StackRequest;
use crate::deploy::interrupt::Interrupt;
use crate::deploy::staging::{resolve_bucket, upload_assets};
use crate::deploy::steps::settle::{StateAction, decide};
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// How often and how long to read a function's `LastUpdateStatus` after an update.
#[derive(Clone, Copy, Debug)]
pub struct Settle {
    /// The pause between reads.
    pub every: Duration,
    /// How long in all before nephos stops waiting and says so.
    pub limit: Duration,
}

impl Settle {
    /// For AWS: Lambda applies most updates in about a second.
    pub const STANDARD: Self = Self {
        every: Duration::from_millis(250),
        limit: Duration::from_secs(300),
    };
}

/// What a hotswap attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// These functions were updated in place, in this time (reads, uploads and waits
    /// included).
    Hotswapped {
        /// The updates, in logical ID order.
        functions: Vec<FunctionChange>,
        /// Wall time from the first read to the last update applied.
        elapsed: Duration,
    },
    /// Nothing was written; a CloudFormation deploy is needed, for this reason.
    Fallback(String),
}

/// The AWS side of a hotswap.
#[derive(Clone, Copy)]
pub struct HotswapBackends<'a> {
    /// CloudFormation (reads only).
    pub cfn: &'a dyn CloudFormation,
    /// The staging bucket (uploads) and STS (the account).
    pub staging: &'a dyn Staging,
    /// Lambda (the updates).
    pub lambda: &'a dyn Lambda,
}

/// The stack statuses a hotswap starts from: those settle's one table of stack states
/// ([`decide`]) updates as they are, except `UPDATE_FAILED`, where an update made with
/// rollback disabled stopped part-way, so the deployed template is not what runs. Any other
/// status (in progress, failed, rolled back on create) goes to the normal deploy, which
/// knows how to act on it.
fn settled(stack: &Stack) -> bool {
    decide(Some(stack)) == StateAction::Update && stack.status != StackStatus::UpdateFailed
}

#[cfg(test)]
#[test]
fn a_hotswap_starts_only_where_deploy_would_update_and_the_template_runs() {
    for status in StackStatus::KNOWN {
        let stack = Stack {
            status: status.clone(),
            ..Default::default()
        };
        let expected = matches!(
            status,
            StackStatus::CreateComplete
                | StackStatus::UpdateComplete
                | StackStatus::UpdateRollbackComplete
                | StackStatus::ImportComplete
                | StackStatus::ImportRollbackComplete
        );
        assert_eq!(settled(&stack), expected, "{status}");
    }
    let unknown = Stack {
        status: StackStatus::from("SOMETHING_NEW_COMPLETE"),
        ..Default::default()
    };
    assert!(!settled(&unknown), "an unknown status is never hotswapped");
}

/// Tries to hotswap `req`. `approve` sees the updates once decided and before any write;
/// its error ends the attempt with nothing written. Ctrl-C (`interrupt`) during the updates stops waiting at once
/// and ends with an error saying each function's state: updated, in progress (its update
/// was sent, Lambda had not said it was applied), or not started.
///
/// # Errors
/// A call failed after the decision to hotswap (an upload, an update, a read of a
/// function's state), or an update did not settle as `Successful`: the message names the
/// function, its state as Lambda last said, what was updated before it, and the way back.
pub async fn attempt(
    b: HotswapBackends<'_>,
    retry: &RetryPolicy,
    settle: Settle,
    req: &StackRequest,
    interrupt: &Interrupt,
    approve: &(dyn Fn(&[FunctionChange]) -> Result<()> + Sync),
) -> Result<Attempt> {
    let start = Instant::now();
    let name = req.stack_name.as_str();
    let stack = match retry.run(|| b.cfn.describe_stack(name)).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Ok(Attempt::Fallback(format!(
                "the stack {name} does not exist yet"
            )));
        }
        Err(e) => return Ok(Attempt::Fallback(format!("DescribeStacks failed: {e}"))),
    };
    if !settled(&stack) {
        return Ok(Attempt::Fallback(format!(
            "the stack is {}",
            stack.status.as_str()
        )));
    }
    let deployed: BTreeMap<String, String> = stack.parameters.iter().cloned().collect();
    for (k, v) in &req.parameters {
        if deployed.get(k) != Some(v) {
            return Ok(Attempt::Fallback(format!("the parameter {k} changes")));
        }
    }
    let tags: BTreeMap<String, String> = stack.tags.iter().cloned().collect();
    if tags != req.tags {
        return Ok(Attempt::Fallback("the stack's tags change".into()));
    }
    if req.termination_protection && !stack.termination_protection {
        return Ok(Attempt::Fallback("termination protection turns on".into()));
    }
    let template = match read_deployed(b.cfn, retry, name).await {
        Ok((_, t)) => t,
        Err(why) => {
            return Ok(Attempt::Fallback(format!(
                "the deployed template cannot be used: {why}"
            )));
        }
    };
    let resources = match retry.run(|| b.cfn.stack_resources(name)).await {
        Ok(r) => r,
        Err(e) => return Ok(Attempt::Fallback(format!("ListStackResources failed: {e}"))),
    };
    let account = match retry.run(|| b.staging.account_id()).await {
        Ok(a) => a,
        Err(e) => return Ok(Attempt::Fallback(format!("GetCallerIdentity failed: {e}"))),
    };
    let scope = Scope {
        physical_ids: resources
            .iter()
            .filter_map(|r| Some((r.logical_id.clone(), r.physical_id.clone()?)))
            .collect(),
        region: b.staging.region(),
        account,
        stack_name: name.to_owned(),
        ..Scope::default()
    }
    .with_parameters(&stack.parameters);
    let mut functions = match plan(&template, &req.template, &scope) {
        Plan::Hotswap(f) => f,
        Plan::NoChanges => return Ok(Attempt::Fallback("nothing changed".into())),
        Plan::Fallback(why) => return Ok(Attempt::Fallback(why)),
    };
    // What earlier hotswaps changed is not in CloudFormation's template: those properties
    // take the new template's values too, so no reverted edit stays live unsaid.
    let marked = match read_markers(b.lambda, &resources).await {
        Ok(m) => m,
        Err(why) => {
            return Ok(Attempt::Fallback(format!(
                "the functions' drift markers cannot be read: {why}"
            )));
        }
    };
    let mut withheld = scope.clone();
    withheld.withhold_declared(&template);
    withheld.withhold_declared(&req.template);
    if let Err(why) = include_marked(&mut functions, &req.template, &marked, &withheld) {
        return Ok(Attempt::Fallback(why));
    }
    // The same approval as a deploy's review, before anything is written.
    approve(&functions)?;
    // Decided: from here on every failure is an error, never a fallback.
    if functions.iter().any(|f| f.code.is_some()) && !req.assets.is_empty() {
        let bucket = resolve_bucket(b.staging)
            .await
            .map_err(|e| Error::new(format!("hotswap: {e}; nothing was updated")))?;
        upload_assets(b.staging, &bucket, &req.assembly_dir, &req.assets)
            .await
            .map_err(|e| Error::new(format!("hotswap: {e}; nothing was updated")))?;
    }
    for (i, f) in functions.iter().enumerate() {
        let done: Vec<&str> = functions[..i]
            .iter()
            .map(|f| f.logical_id.as_str())
            .collect();
        if interrupt.is_triggered() {
            return Err(interrupted(name, &functions, i, None));
        }
        let step = match mark(b.lambda, f).await {
            Ok(()) => update(b.lambda, settle, f, interrupt).await,
            Err(why) => Err(Stop::Failed(why)),
        };
        match step {
            Ok(()) => {}
            Err(Stop::Failed(why)) => return Err(failure(name, f, &done, &why)),
            Err(Stop::Interrupted(step)) => {
                return Err(interrupted(name, &functions, i, Some(step)));
            }
        }
    }
    Ok(Attempt::Hotswapped {
        functions,
        elapsed: start.elapsed(),
    })
}

/// Why an update stopped.
pub(super) enum Stop {
    /// It failed, for this reason.
    Failed(String),
    /// Ctrl-C while waiting for Lambda to apply this call (its name).
    Interrupted(&'static str),
}

/// Ctrl-C during the updates: each function's state, and the way back. `at`: the index of
/// the function whose update was under way (`step`: the call sent; `None`: not started).
pub(super) fn interrupted(
    stack: &str,
    functions: &[FunctionChange],
    at: usize,
    step: Option<&'static str>,
) -> Error {
    let ids = |fs: &[FunctionChange]| {
        fs.iter()
            .map(|f| escape_line(&f.logical_id).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if at > 0 {
        parts.push(format!("updated: {}", ids(&functions[..at])));
    }
    let (current, rest) = match step {
        Some(_) => (Some(&functions[at]), &functions[at + 1..]),
        None => (None, &functions[at..]),
    };
    if let (Some(f), Some(call)) = (current, step) {
        parts.push(format!(
            "in progress: {} ({call} sent, Lambda had not said it was applied; see `aws lambda get-function-configuration --function-name {}`)",
            escape_line(&f.logical_id),
            escape_line(&f.physical_id)
        ));
    }
    if !rest.is_empty() {
        parts.push(format!("not started: {}", ids(rest)));
    }
    let next = if at == 0 && step.is_none() {
        "Nothing was changed".to_owned()
    } else {
        format!(
            "The stack itself was not changed: run `nephos deploy {stack}` (without --hotswap) to bring every function in line with the template"
        )
    };
    Error::new(format!(
        "hotswap of {stack} interrupted: {}. {next}",
        parts.join("; ")
    ))
}

/// A failed update, said with the function's state and the next step.
pub(super) fn failure(stack: &str, f: &FunctionChange, done: &[&str], why: &str) -> Error {
    let before = if done.is_empty() {
        String::new()
    } else {
        format!(" {} updated in place before it;", done.join(", "))
    };
    Error::new(format!(
        "hotswap of function {} ({}) in {stack} failed: {};{before} the stack itself was not changed: run `nephos deploy {stack}` (without --hotswap) to deploy the new template through CloudFormation",
        escape_line(&f.logical_id),
        escape_line(&f.physical_id),
        escape_line(why)
    ))
}

/// Updates one function: code, then configuration (Lambda refuses a second update while
/// the first is in progress), each waited on.
pub(super) async fn update(
    lambda: &dyn Lambda,
    settle: Settle,
    f: &FunctionChange,
    interrupt: &Interrupt,
) -> std::result::Result<(), Stop> {
    let name = f.physical_id.as_str();
    if let Some(code) = &f.code {
        if let Err(e) = lambda.update_function_code(name, code).await {
            return Err(Stop::Failed(format!(
                "UpdateFunctionCode: {e}{}",
                state_now(lambda, name).await
            )));
        }
        wait(lambda, settle, name, interrupt, "UpdateFunctionCode").await?;
    }
    if !f.config.is_empty() {
        if let Err(e) = lambda.update_function_configuration(name, &f.config).await {
            let code = if f.code.is_some() {
                " (its new code is in place)"
            } else {
                ""
            };
            return Err(Stop::Failed(format!(
                "UpdateFunctionConfiguration: {e}{code}{}",
                state_now(lambda, name).await
            )));
        }
        wait(
            lambda,
            settle,
            name,
            interrupt,
            "UpdateFunctionConfiguration",
        )
        .await?;
    }
    Ok(())
}

/// Records, before any update, that `f` is about to drift from its template: the marker
/// lists every property hotswapped since the template was last applied (the earlier ones
/// kept), so that the next deploy without --hotswap restores them all. Not recorded means
/// not updated: a drift nobody would know of is worse than no hotswap.
async fn mark(lambda: &dyn Lambda, f: &FunctionChange) -> std::result::Result<(), String> {
    let name = f.physical_id.as_str();
    let unrecorded = |e| {
        format!(
            "its drift marker (tag {DRIFT_MARKER}) could not be written, so it was not updated: {e}"
        )
    };
    let before = lambda.drift_marker(name).await.map_err(unrecorded)?;
    let mut props: Vec<String> = before
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .chain(f.changed.iter().cloned())
        .collect();
    props.sort();
    props.dedup();
    lambda
        .set_drift_marker(name, Some(&props.join(" ")))
        .await
        .map_err(unrecorded)
}

/// Waits for `LastUpdateStatus` to leave `InProgress` after `call`; only `Successful` is
/// success. Ctrl-C ends the wait at once (a read in flight included).
async fn wait(
    lambda: &dyn Lambda,
    settle: Settle,
    name: &str,
    interrupt: &Interrupt,
    call: &'static str,
) -> std::result::Result<FunctionState, Stop> {
    let start = Instant::now();
    let after = |why: String| Stop::Failed(format!("after {call}: {why}"));
    loop {
        let state = tokio::select! {
            biased;
            () = interrupt.triggered() => return Err(Stop::Interrupted(call)),
            state = lambda.function_state(name) => state,
        };
        let state = state
            .map_err(|e| {
                after(format!(
                    "GetFunctionConfiguration failed: {e}; its state is unknown"
                ))
            })?
            .ok_or_else(|| after("the function no longer exists".into()))?;
        match &state.last_update {
            UpdateStatus::Successful => return Ok(state),
            UpdateStatus::InProgress if start.elapsed() < settle.limit => {
                tokio::select! {
                    biased;
                    () = interrupt.triggered() => return Err(Stop::Interrupted(call)),
                    () = tokio::time::sleep(settle.every) => {}
                }
            }
            UpdateStatus::InProgress => {
                return Err(after(format!(
                    "still InProgress after {} s; nephos stopped waiting (check it with `aws lambda get-function-configuration --function-name {name}`)",
                    settle.limit.as_secs()
                )));
            }
            _ => return Err(after(failed_update(name, &state).to_string())),
        }
    }
}

/// The function's state as Lambda says it now, for an error message.
async fn state_now(lambda: &dyn Lambda, name: &str) -> String {
    match lambda.function_state(name).await {
        Ok(Some(s)) => format!(
            "; the function now: LastUpdateStatus {}, CodeSha256 {}",
            if s.last_update.as_str().is_empty() {
                "not said"
            } else {
                s.last_update.as_str()
            },
            s.code_sha256.as_deref().unwrap_or("not said")
        ),
        Ok(None) => "; the function does not exist".into(),
        Err(e) => format!("; its state cannot be read ({e})"),
    }
}
