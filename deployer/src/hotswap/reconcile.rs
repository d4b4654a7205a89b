//! Undoing a hotswap's drift on the next deploy without `--hotswap`.
//!
//! CloudFormation compares templates, not functions: once a hotswapped edit is undone, the
//! template equals the deployed one and CloudFormation changes nothing, yet the function
//! still runs the hotswapped code. Each hotswap therefore tags the functions it changes
//! ([`DRIFT_MARKER`], listing the properties); after a deploy, every marked function of the
//! stack gets those properties back from the stack's template (now the applied one) through
//! the Lambda API, and loses the marker.

use serde_json::{Map, Value, json};

use super::apply::{Settle, Stop, update};
use super::plan::{FUNCTION_TYPE, FunctionChange, lambda_value, set, show};
use super::resolve::Scope;
use crate::cfn::error::ErrorKind;
use crate::cfn::lambda::{ConfigUpdate, DRIFT_MARKER, Lambda};
use crate::cfn::retry::RetryPolicy;
use crate::cfn::seam::{CloudFormation, Staging};
use crate::deploy::deployed::read_deployed;
use crate::deploy::interrupt::Interrupt;
use crate::error::{Error, Result};
use crate::output::escape::escape_line;

/// The value Lambda gives a configuration property the template leaves out (AWS Lambda API
/// Reference, `CreateFunction`: `Timeout` 3 s, `MemorySize` 128 MB, no description, no
/// environment). `Code`, `Handler` and `Runtime` have none.
fn lambda_default(prop: &str) -> Option<Value> {
    match prop {
        "Timeout" => Some(json!(3)),
        "MemorySize" => Some(json!(128)),
        "Description" => Some(json!("")),
        "Environment" => Some(Value::Object(Map::new())),
        _ => None,
    }
}

/// A function a hotswap marked: its logical and physical IDs and the properties the
/// marker lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marked {
    /// The function's logical ID in the stack.
    pub logical_id: String,
    /// The function's name.
    pub physical_id: String,
    /// The marker's value: the hotswapped properties, space-separated.
    pub marker: String,
}

/// The functions of `stack` a hotswap left marked. `diff` shows them as drift; a deploy
/// without `--hotswap` reads them before it changes the stack: CloudFormation may remove
/// tags it does not manage when it updates a function (its handler sets the function's
/// tags to the template's), so the marker may be gone when [`reconcile`] reads again after
/// the deploy. Empty when the stack does not exist yet.
///
/// Calls: `DescribeStacks`, `ListStackResources`, one `GetFunction` per function.
///
/// # Errors
/// A read failed: nothing was changed, and the message says so.
pub async fn hotswapped_functions(
    cfn: &dyn CloudFormation,
    lambda: &dyn Lambda,
    retry: &RetryPolicy,
    stack: &str,
) -> Result<Vec<Marked>> {
    Ok(marked_before(cfn, lambda, retry, stack).await?.marked)
}

/// What a deploy reads before it changes the stack, to keep the drift markers whatever it
/// ends in ([`super::unsettled::keep_markers`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Before {
    /// The functions a hotswap left marked ([`hotswapped_functions`]).
    pub marked: Vec<Marked>,
    /// The stack's `LastUpdatedTime` then: a stack that later settles with another one was
    /// updated since (by this deploy, or by anyone).
    pub last_updated: Option<String>,
}

/// [`hotswapped_functions`], with the stack's `LastUpdatedTime` at the time of the read.
///
/// # Errors
/// As [`hotswapped_functions`].
pub async fn marked_before(
    cfn: &dyn CloudFormation,
    lambda: &dyn Lambda,
    retry: &RetryPolicy,
    stack: &str,
) -> Result<Before> {
    let fail = |what: String| {
        Error::new(format!(
            "{stack}: cannot read which functions were hotswapped ({what}); nothing was changed"
        ))
    };
    let exists = retry
        .run(|| cfn.describe_stack(stack))
        .await
        .map_err(|e| fail(format!("DescribeStacks: {e}")))?;
    let Some(described) = exists else {
        return Ok(Before::default());
    };
    let resources = retry
        .run(|| cfn.stack_resources(stack))
        .await
        .map_err(|e| fail(format!("ListStackResources: {e}")))?;
    Ok(Before {
        marked: read_markers(lambda, &resources).await.map_err(fail)?,
        last_updated: described.last_updated,
    })
}

/// The marked functions among `resources`.
///
/// # Errors
/// A `GetFunction` that failed other than with "not found", naming the function and why.
pub(crate) async fn read_markers(
    lambda: &dyn Lambda,
    resources: &[crate::cfn::model::StackResource],
) -> std::result::Result<Vec<Marked>, String> {
    let mut marked = Vec::new();
    for r in resources
        .iter()
        .filter(|r| r.resource_type == FUNCTION_TYPE)
    {
        let Some(name) = &r.physical_id else { continue };
        let marker = match lambda.drift_marker(name).await {
            Ok(marker) => marker,
            // Deleted out of band (atk s25 7c): a function that is gone runs no hotswapped
            // code, and refusing here would leave only the AWS CLI to get out.
            Err(e) if e.kind == ErrorKind::NotFound => None,
            Err(e) => {
                let hint = if e.kind == ErrorKind::AccessDenied {
                    "; reading it needs lambda:GetFunction on the stack's functions"
                } else {
                    ""
                };
                return Err(format!(
                    "GetFunction {}: {}{hint}",
                    escape_line(name),
                    escape_line(&e.to_string())
                ));
            }
        };
        if let Some(marker) = marker {
            marked.push(Marked {
                logical_id: r.logical_id.clone(),
                physical_id: name.clone(),
                marker,
            });
        }
    }
    Ok(marked)
}

/// After a deploy that failed, writes back the markers [`hotswapped_functions`] read and
/// CloudFormation's update or rollback removed, so the next deploy still undoes the
/// drift. Returns one line per function it could not mark again (best effort: the
/// deploy's own failure is the error).
pub async fn mark_again(lambda: &dyn Lambda, stack: &str, before: &[Marked]) -> Vec<String> {
    let mut lines = Vec::new();
    for m in before {
        let kept = match lambda.drift_marker(&m.physical_id).await {
            Ok(Some(_)) => continue,
            Ok(None) => lambda
                .set_drift_marker(&m.physical_id, Some(&m.marker))
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(why) = kept {
            lines.push(format!(
                "{} ({}) was hotswapped and its marker {DRIFT_MARKER} could not be written again ({}): it may still run hotswapped code; after the next successful `nephos deploy {stack}`, check it with `aws lambda get-function --function-name {}`",
                escape_line(&m.logical_id),
                escape_line(&m.physical_id),
                escape_line(&why),
                escape_line(&m.physical_id)
            ));
        }
    }
    lines
}

/// Brings every function of `stack` that a hotswap left marked back to the stack's
/// deployed template, and removes its marker. `before` are the functions marked before the
/// deploy ([`hotswapped_functions`]): they are reconciled even when the deploy's update
/// took their marker away, unless CloudFormation replaced them (a new function is its
/// own). Returns one line per function reconciled (empty when none was marked). Call it
/// after a successful deploy without `--hotswap`.
///
/// Calls: `ListStackResources`, one `GetFunction` per function; only when one is marked,
/// `DescribeStacks`, `GetTemplate`, STS and the updates.
///
/// # Errors
/// A read failed, a marked property cannot be restored (its template value does not
/// resolve, or the template leaves out a property Lambda has no default for), or an update
/// failed: the message names the function and the way out.
#[allow(clippy::too_many_arguments)]
pub async fn reconcile(
    cfn: &dyn CloudFormation,
    staging: &dyn Staging,
    lambda: &dyn Lambda,
    retry: &RetryPolicy,
    settle: Settle,
    stack: &str,
    before: &[Marked],
    interrupt: &Interrupt,
) -> Result<Vec<String>> {
    let fail = |what: String| {
        Error::new(format!(
            "{stack}: the hotswap drift check failed: {what}; the stack is deployed, but functions hotswapped earlier may still run their hotswapped code"
        ))
    };
    let resources = retry
        .run(|| cfn.stack_resources(stack))
        .await
        .map_err(|e| fail(format!("ListStackResources: {e}")))?;
    let mut marked = read_markers(lambda, &resources).await.map_err(fail)?;
    for b in before {
        let same_function = resources.iter().any(|r| {
            r.logical_id == b.logical_id && r.physical_id.as_deref() == Some(&b.physical_id)
        });
        if !same_function {
            continue;
        }
        match marked.iter_mut().find(|m| m.physical_id == b.physical_id) {
            Some(m) => m.marker = format!("{} {}", m.marker, b.marker),
            None => marked.push(b.clone()),
        }
    }
    if marked.is_empty() {
        return Ok(Vec::new());
    }
    let described = retry
        .run(|| cfn.describe_stack(stack))
        .await
        .map_err(|e| fail(format!("DescribeStacks: {e}")))?
        .ok_or_else(|| fail("the stack no longer exists".into()))?;
    let (_, template) = read_deployed(cfn, retry, stack)
        .await
        .map_err(|why| fail(format!("the deployed template: {why}")))?;
    let account = retry
        .run(|| staging.account_id())
        .await
        .map_err(|e| fail(format!("GetCallerIdentity: {e}")))?;
    let mut scope = Scope {
        physical_ids: resources
            .iter()
            .filter_map(|r| Some((r.logical_id.clone(), r.physical_id.clone()?)))
            .collect(),
        region: staging.region(),
        account,
        stack_name: stack.to_owned(),
        ..Scope::default()
    }
    .with_parameters(&described.parameters);
    scope.withhold_declared(&template);
    let mut lines = Vec::new();
    for Marked {
        logical_id: logical,
        physical_id: name,
        marker,
    } in marked
    {
        let change = restore(&template, &logical, &name, &marker, &scope).map_err(|why| {
            Error::new(format!(
                "{stack}: function {} ({}) was hotswapped and cannot be brought back to its template: {why}; restore it with `aws lambda update-function-configuration --function-name {}`, then remove its tag {DRIFT_MARKER}",
                escape_line(&logical),
                escape_line(&name),
                escape_line(&name)
            ))
        })?;
        match update(lambda, settle, &change, interrupt).await {
            Ok(()) => {}
            Err(Stop::Failed(why)) => {
                return Err(Error::new(format!(
                    "{stack}: bringing the hotswapped function {} ({}) back to its template failed: {}; it keeps its marker, so the next `nephos deploy {stack}` tries again",
                    escape_line(&logical),
                    escape_line(&name),
                    escape_line(&why)
                )));
            }
            Err(Stop::Interrupted(call)) => {
                return Err(Error::new(format!(
                    "{stack}: interrupted while bringing {} back to its template ({call} sent); it keeps its marker, so the next `nephos deploy {stack}` tries again",
                    escape_line(&logical)
                )));
            }
        }
        lambda.set_drift_marker(&name, None).await.map_err(|e| {
            Error::new(format!(
                "{stack}: {} is back in line with its template, but its tag {DRIFT_MARKER} could not be removed ({}); the next deploy will restore it again (harmless)",
                escape_line(&logical),
                escape_line(&e.to_string())
            ))
        })?;
        lines.push(format!(
            "{} was hotswapped earlier: {} restored from the template through the Lambda API",
            escape_line(&logical),
            change.changed.join(", ")
        ));
    }
    Ok(lines)
}

/// The update that gives function `logical` back the template's value of each property in
/// `marker` (Lambda's default when the template leaves it out).
fn restore(
    template: &Value,
    logical: &str,
    name: &str,
    marker: &str,
    scope: &Scope,
) -> std::result::Result<FunctionChange, String> {
    let props = function_properties(template, logical);
    let mut change = FunctionChange {
        logical_id: logical.to_owned(),
        physical_id: name.to_owned(),
        code: None,
        config: ConfigUpdate::default(),
        changed: Vec::new(),
        shown: Vec::new(),
    };
    for prop in marked_properties(marker) {
        let value = template_value(&props, prop, scope)?;
        set(&mut change, prop, &value).map_err(|why| format!("its {prop} {why}"))?;
        change.changed.push(prop.to_owned());
    }
    Ok(change)
}

/// The properties a marker lists, sorted, each once.
fn marked_properties(marker: &str) -> Vec<&str> {
    let mut wanted: Vec<&str> = marker.split_whitespace().collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

/// A function's properties in `template` (empty when it has none).
fn function_properties(template: &Value, logical: &str) -> Map<String, Value> {
    template
        .pointer(&format!(
            "/Resources/{}/Properties",
            logical.replace('~', "~0").replace('/', "~1")
        ))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The value `prop` gets back: the template's, resolved, or Lambda's default when the
/// template leaves it out.
fn template_value(
    props: &Map<String, Value>,
    prop: &str,
    scope: &Scope,
) -> std::result::Result<Value, String> {
    match props.get(prop) {
        Some(v) => lambda_value(v, scope).map_err(|why| format!("its {prop}: {why}")),
        None => lambda_default(prop).ok_or_else(|| {
            format!(
                "the template has no {}, and Lambda has no default for it",
                escape_line(prop)
            )
        }),
    }
}

/// Adds to a hotswap's `functions` every property an earlier hotswap left marked, with
/// the value of the `new` template (atk15b 7): CloudFormation's template does not know
/// what the function runs, so a property edited by a hotswap and then reverted in the
/// source equals the deployed template, and the plan alone would leave the hotswapped
/// value live while reporting only the other change. With this, each function ends on
/// exactly what the new template says, and the review names the restored properties.
/// A property already in a change has the new template's value; a marked function that
/// is not in the plan gets a change of its own.
///
/// # Errors
/// A marked property the new template cannot give (a value that does not resolve, or a
/// property without a Lambda default left out), or a marker naming a property hotswap
/// does not update: the reason, as one line (the caller deploys through CloudFormation).
pub(super) fn include_marked(
    functions: &mut Vec<FunctionChange>,
    new: &Value,
    marked: &[Marked],
    scope: &Scope,
) -> std::result::Result<(), String> {
    for m in marked {
        // A marker is read from a tag: the function it is on must be this stack's.
        if scope.physical_ids.get(&m.logical_id) != Some(&m.physical_id) {
            continue;
        }
        let props = function_properties(new, &m.logical_id);
        let at = match functions.iter().position(|f| f.logical_id == m.logical_id) {
            Some(at) => at,
            None => {
                functions.push(FunctionChange {
                    logical_id: m.logical_id.clone(),
                    physical_id: m.physical_id.clone(),
                    code: None,
                    config: ConfigUpdate::default(),
                    changed: Vec::new(),
                    shown: Vec::new(),
                });
                functions.len() - 1
            }
        };
        let change = &mut functions[at];
        let why = |w: String| {
            format!(
                "function {} was hotswapped earlier and {w}",
                escape_line(&m.logical_id)
            )
        };
        for prop in marked_properties(&m.marker) {
            if change.changed.iter().any(|c| c == prop) {
                continue;
            }
            let value = template_value(&props, prop, scope).map_err(why)?;
            set(change, prop, &value).map_err(|w| why(format!("its {prop} {w}")))?;
            change.changed.push(prop.to_owned());
            change.shown.push(format!(
                "{prop}: (hotswapped earlier) -> {}",
                show(props.get(prop))
            ));
        }
        change.changed.sort();
        change.shown.sort();
    }
    // A marker listing only properties already changed adds no function.
    functions.retain(|f| !f.changed.is_empty());
    functions.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
    Ok(())
}
