//! Deciding whether a change can be hotswapped: a pure function of the deployed template,
//! the new one and what the deployed stack says ([`Scope`]).
//!
//! Only an update of existing `AWS::Lambda::Function` resources whose changed properties
//! all map onto `UpdateFunctionCode` or `UpdateFunctionConfiguration` (AWS Lambda API
//! Reference: `Code` → S3Bucket/S3Key/S3ObjectVersion or ImageUri; `Environment`,
//! `MemorySize`, `Timeout`, `Description`, `Handler`, `Runtime` → the request fields of the
//! same name) is hotswapped. Any other difference anywhere in the template, a property
//! removed (Lambda's default would need CloudFormation's knowledge of it) or an intrinsic
//! the deployed stack cannot resolve is a [`Plan::Fallback`] with its reason.

use serde_json::{Map, Value};

use super::dynamic::dynamic_reference;
use super::resolve::{Scope, resolve, scalar};
use crate::cfn::lambda::{CodeLocation, ConfigUpdate};

/// The resource type hotswap updates.
pub const FUNCTION_TYPE: &str = "AWS::Lambda::Function";

/// The properties a hotswap can change: `Code` through `UpdateFunctionCode`, the others
/// through `UpdateFunctionConfiguration` (same names and shapes in the Lambda API).
pub const HOTSWAPPABLE: &[&str] = &[
    "Code",
    "Description",
    "Environment",
    "Handler",
    "MemorySize",
    "Runtime",
    "Timeout",
];

/// One function's update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionChange {
    /// The function's logical ID.
    pub logical_id: String,
    /// The function's name (its physical ID).
    pub physical_id: String,
    /// The new code, when `Code` changed.
    pub code: Option<CodeLocation>,
    /// The new configuration fields.
    pub config: ConfigUpdate,
    /// The properties that changed, sorted.
    pub changed: Vec<String>,
    /// For the review: each changed property as `Name: old -> new`, the template's values
    /// (parameters stay `Ref`s, so a NoEcho value is never shown), escaped and cut.
    pub shown: Vec<String>,
}

/// The longest value the review shows of one property, in characters.
const SHOWN_MAX: usize = 300;

/// One template value for the review, escaped and cut to [`SHOWN_MAX`].
pub(crate) fn show(v: Option<&Value>) -> String {
    let text = v.map_or_else(|| "(none)".to_owned(), Value::to_string);
    let escaped = crate::output::escape::escape_line(&text).into_owned();
    match escaped.char_indices().nth(SHOWN_MAX) {
        Some((at, _)) => format!("{}… [cut]", &escaped[..at]),
        None => escaped,
    }
}

/// The decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Nothing differs between the templates.
    NoChanges,
    /// Only these functions change, and every value is resolved.
    Hotswap(Vec<FunctionChange>),
    /// A CloudFormation deploy is needed; the reason, as one line.
    Fallback(String),
}

/// Decides from the deployed and the new template.
///
/// # Example
/// ```
/// use nephos_cli::hotswap::{plan::{Plan, plan}, resolve::Scope};
/// let old = serde_json::json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
/// let new = serde_json::json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue",
///     "Properties": {"DelaySeconds": 5}}}});
/// assert!(matches!(plan(&old, &new, &Scope::default()), Plan::Fallback(_)));
/// ```
pub fn plan(deployed: &Value, new: &Value, scope: &Scope) -> Plan {
    // Both declarations count: a parameter NoEcho in either has a value nephos must not use.
    let mut scope = scope.clone();
    scope.withhold_declared(deployed);
    scope.withhold_declared(new);
    match changes(deployed, new, &scope) {
        Ok(list) if list.is_empty() => Plan::NoChanges,
        Ok(list) => Plan::Hotswap(list),
        Err(why) => Plan::Fallback(why),
    }
}

fn object(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn keys<'a>(a: &'a Map<String, Value>, b: &'a Map<String, Value>) -> Vec<&'a String> {
    let mut k: Vec<&String> = a.keys().chain(b.keys()).collect();
    k.sort();
    k.dedup();
    k
}

fn changes(deployed: &Value, new: &Value, scope: &Scope) -> Result<Vec<FunctionChange>, String> {
    let (old_t, new_t) = (object(deployed), object(new));
    for k in keys(&old_t, &new_t) {
        if k != "Resources" && old_t.get(k) != new_t.get(k) {
            return Err(format!("the template's {k} changed"));
        }
    }
    let old_r = object(old_t.get("Resources").unwrap_or(&Value::Null));
    let new_r = object(new_t.get("Resources").unwrap_or(&Value::Null));
    let mut out = Vec::new();
    for id in keys(&old_r, &new_r) {
        let (Some(before), Some(after)) = (old_r.get(id), new_r.get(id)) else {
            let what = if old_r.contains_key(id) {
                "removed"
            } else {
                "added"
            };
            return Err(format!("resource {id} is {what}"));
        };
        if before != after {
            out.push(function_change(id, before, after, scope)?);
        }
    }
    Ok(out)
}

fn function_change(
    id: &str,
    before: &Value,
    after: &Value,
    scope: &Scope,
) -> Result<FunctionChange, String> {
    let (before, after) = (object(before), object(after));
    let ty = after
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if before.get("Type") != after.get("Type") || ty != FUNCTION_TYPE {
        return Err(format!(
            "resource {id} ({ty}) changed: only Lambda functions' code, environment and configuration are hotswapped"
        ));
    }
    for k in keys(&before, &after) {
        if k != "Properties" && before.get(k) != after.get(k) {
            return Err(format!("function {id}'s {k} changed"));
        }
    }
    let (old_p, new_p) = (
        object(before.get("Properties").unwrap_or(&Value::Null)),
        object(after.get("Properties").unwrap_or(&Value::Null)),
    );
    let physical_id = scope
        .physical_ids
        .get(id)
        .cloned()
        .ok_or_else(|| format!("function {id} has no physical ID in the deployed stack"))?;
    let mut change = FunctionChange {
        logical_id: id.to_owned(),
        physical_id,
        code: None,
        config: ConfigUpdate::default(),
        changed: Vec::new(),
        shown: Vec::new(),
    };
    for k in keys(&old_p, &new_p) {
        if old_p.get(k) == new_p.get(k) {
            continue;
        }
        if !HOTSWAPPABLE.contains(&k.as_str()) {
            return Err(format!("function {id}'s property {k} changed"));
        }
        let value = match new_p.get(k) {
            Some(v) => {
                lambda_value(v, scope).map_err(|why| format!("function {id}'s {k}: {why}"))?
            }
            // No environment is an empty one; any other property removed goes back to a
            // default only CloudFormation applies.
            None if k == "Environment" => Value::Object(Map::new()),
            None => return Err(format!("function {id}'s property {k} is removed")),
        };
        set(&mut change, k, &value).map_err(|why| format!("function {id}'s {k}: {why}"))?;
        change.changed.push(k.clone());
        change.shown.push(format!(
            "{}: {} -> {}",
            k,
            show(old_p.get(k)),
            show(new_p.get(k))
        ));
    }
    Ok(change)
}

/// A template value as the Lambda API would receive it: intrinsics resolved from `scope`,
/// and refused when it holds a dynamic reference (checked after resolving, so that one an
/// `Fn::Sub` or `Fn::Join` assembles is seen), which only CloudFormation resolves.
pub(crate) fn lambda_value(v: &Value, scope: &Scope) -> Result<Value, String> {
    let value = resolve(v, scope)?;
    match dynamic_reference(&value) {
        Some(service) => Err(format!(
            "holds a dynamic reference ({{{{resolve:{service}:...}}}}), which only CloudFormation resolves; the Lambda API would store it as written"
        )),
        None => Ok(value),
    }
}

pub(crate) fn set(change: &mut FunctionChange, key: &str, v: &Value) -> Result<(), String> {
    let text = || scalar(v).ok_or_else(|| "is not a string".to_owned());
    let int = || {
        scalar(v)
            .and_then(|s| s.parse::<i32>().ok())
            .ok_or_else(|| "is not an integer".to_owned())
    };
    let c = &mut change.config;
    match key {
        "Code" => change.code = Some(code(v)?),
        "Environment" => {
            let vars = v.get("Variables").map(object).unwrap_or_default();
            c.environment = Some(
                vars.iter()
                    .map(|(k, v)| Ok((k.clone(), scalar(v).ok_or("a variable is not a string")?)))
                    .collect::<Result<_, String>>()?,
            );
        }
        "MemorySize" => c.memory_size = Some(int()?),
        "Timeout" => c.timeout = Some(int()?),
        "Description" => c.description = Some(text()?),
        "Handler" => c.handler = Some(text()?),
        "Runtime" => c.runtime = Some(text()?),
        _ => return Err("is not hotswappable".into()),
    }
    Ok(())
}

fn code(v: &Value) -> Result<CodeLocation, String> {
    let get = |k: &str| v.get(k).and_then(scalar);
    if let Some(uri) = get("ImageUri") {
        return Ok(CodeLocation::Image { uri });
    }
    match (get("S3Bucket"), get("S3Key")) {
        (Some(bucket), Some(key)) => Ok(CodeLocation::S3 {
            bucket,
            key,
            version: get("S3ObjectVersion"),
        }),
        _ => Err(
            "names no S3 object or image (inline ZipFile code goes through CloudFormation)".into(),
        ),
    }
}
