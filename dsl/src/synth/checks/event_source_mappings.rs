//! Event source mappings checked against the function and the source they join, on the
//! final template (so a mapping built from the generated type is checked like one a
//! construct wired):
//!
//! - Concurrency across one function's settings. Lambda's SQS pollers scale up to each
//!   mapping's `ScalingConfig.MaximumConcurrency`, blind to the function's reserved
//!   concurrency: past it, invocations are throttled, the messages return to the queue
//!   with their receive count raised and reach the dead-letter queue (or expire)
//!   unprocessed. AWS Lambda Developer Guide, "Configuring scaling behavior for SQS event
//!   source mappings": "Don't configure maximum concurrency to be higher than your
//!   function's reserved concurrency ... ensure that your function's reserved concurrency
//!   is greater than or equal to the total maximum concurrency for all Amazon SQS event
//!   sources on the function. Otherwise, Lambda may throttle your messages." So the sum
//!   over the function's mappings (through its aliases and versions too: the reservation
//!   is the function's) above a literal reserved concurrency is an error. A reserved
//!   concurrency of 0 throttles every invocation ("Configuring reserved concurrency": 0
//!   stops the function from being invoked), so an enabled mapping to it never delivers a
//!   record: an error too, whose fix is disabling the mapping (`Enabled: false`), the way
//!   to pause one.
//! - A DynamoDB stream filter on an image the stream does not carry. With the view
//!   `KEYS_ONLY` a record holds only `Keys`; `NEW_IMAGE` no `OldImage`, `OLD_IMAGE` no
//!   `NewImage` (DynamoDB Developer Guide, "Change data capture for DynamoDB Streams",
//!   `StreamViewType`). A filter needing such a field matches no record, and Lambda
//!   discards the records no filter matches on a stream (AWS Lambda Developer Guide,
//!   "Control which events Lambda sends to your function"): the function is never invoked
//!   while the stack deploys green. Refused when the filter and the table's view are
//!   literals; a field matched only by `{"exists": false}` is satisfied by its absence.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::literal_branches::literal_ints;
use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::note::Note;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

const MAPPING: &str = "AWS::Lambda::EventSourceMapping";
const FUNCTION: &str = "AWS::Lambda::Function";

/// Runs the mapping checks.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    // No mapping (the usual case): nothing to read.
    if !resources.has(MAPPING) {
        return;
    }
    concurrency(resources, diags, deferred);
    stream_images(resources, diags);
}

/// The resource of type `type_name` that `e` names with `Ref` or `Fn::GetAtt`.
fn resource<'r, 'a>(
    by_id: &Resources<'r, 'a>,
    e: Option<&Expr>,
    type_name: &str,
) -> Option<&'r Resolved<'a>> {
    let id = match e? {
        Expr::Ref(t) | Expr::GetAtt(t, _) => &*t.id,
        _ => return None,
    };
    by_id.get(id).filter(|r| r.entry.type_name == type_name)
}

/// The function a mapping's `FunctionName` runs: the function, or the function of the
/// alias or version it names.
fn function_of<'r, 'a>(by_id: &Resources<'r, 'a>, e: Option<&Expr>) -> Option<&'r Resolved<'a>> {
    resource(by_id, e, FUNCTION).or_else(|| {
        let qualified = resource(by_id, e, "AWS::Lambda::Alias")
            .or_else(|| resource(by_id, e, "AWS::Lambda::Version"))?;
        resource(by_id, qualified.field("FunctionName"), FUNCTION)
    })
}

/// The field `key` of the object `e` (a literal object or an object of values).
fn member(e: Option<&Expr>, key: &str) -> Option<Expr> {
    match e? {
        Expr::Object(m) => m.get(key).cloned(),
        Expr::Lit(Json::Object(m)) => m.get(key).cloned().map(Expr::Lit),
        _ => None,
    }
}

/// A mapping surely disabled (`Enabled: false`) delivers nothing, so asks for nothing.
fn disabled(m: &Resolved) -> bool {
    matches!(m.field("Enabled"), Some(Expr::Lit(Json::Bool(false))))
}

/// A mapping's ID and its largest literal maximum concurrency, if set.
type Capped<'a> = (&'a str, Option<i64>);

fn concurrency(resources: &Resources, diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    let by_id = resources;
    // Per function: the enabled mappings, each with its largest literal maximum
    // concurrency (under `Fn::If` any branch may be deployed), if set.
    let mut per_function: BTreeMap<&str, (&Resolved, Vec<Capped>)> = BTreeMap::new();
    for m in resources.of_type(MAPPING).filter(|r| !disabled(r)) {
        let Some(function) = function_of(by_id, m.field("FunctionName")) else {
            continue;
        };
        let id = &*m.entry.target.id;
        let max = match literal_ints(
            member(m.field("ScalingConfig"), "MaximumConcurrency").as_ref(),
        ) {
            Ok(n) => n.and_then(|n| n.into_iter().max()),
            Err(by) => {
                if function.field("ReservedConcurrentExecutions").is_some() {
                    deferred.push(Note {
                        resource: m.entry.target.id.clone(),
                        path: "ScalingConfig.MaximumConcurrency".into(),
                        computed_by: by,
                        check: format!(
                            "the maximum concurrency of the SQS mappings of function `{}` at most its reserved concurrency",
                            function.entry.target.id
                        )
                        .into(),
                    });
                }
                None
            }
        };
        per_function
            .entry(&function.entry.target.id)
            .or_insert_with(|| (function, Vec::new()))
            .1
            .push((id, max));
    }
    for (fid, (function, mappings)) in per_function {
        let reserved = match literal_ints(function.field("ReservedConcurrentExecutions")) {
            Ok(Some(r)) => r.into_iter().min(),
            Ok(None) => None,
            Err(by) => {
                if mappings.iter().any(|(_, n)| n.is_some()) {
                    deferred.push(Note {
                        resource: function.entry.target.id.clone(),
                        path: "ReservedConcurrentExecutions".into(),
                        computed_by: by,
                        check: format!(
                            "reserved concurrency of function `{fid}` at least the total maximum concurrency of its SQS mappings"
                        )
                        .into(),
                    });
                }
                None
            }
        };
        let Some(reserved) = reserved else { continue };
        let at = Location::property(fid, "ReservedConcurrentExecutions");
        let names = |list: &[(&str, Option<i64>)]| {
            list.iter()
                .map(|(id, _)| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if reserved == 0 {
            diags.push(Diagnostic::error(
                at,
                format!(
                    "function `{fid}` has a reserved concurrency of 0, so Lambda never invokes it, yet event source mapping(s) {} deliver to it: every message or record is throttled (SQS messages reach the dead-letter queue or expire unprocessed)",
                    names(&mappings)
                ),
                "raise the reserved concurrency, or pause the mapping with `Enabled: false` (`configure(|m| m.enabled(false))`)",
            ));
            continue;
        }
        let capped: Vec<(&str, Option<i64>)> =
            mappings.into_iter().filter(|(_, n)| n.is_some()).collect();
        let total: i64 = capped.iter().filter_map(|(_, n)| *n).sum();
        if total > reserved {
            diags.push(Diagnostic::error(
                at,
                format!(
                    "function `{fid}` has a reserved concurrency of {reserved}, below the {total} concurrent invocations its SQS mapping(s) {} may start (their `MaximumConcurrency`); Lambda throttles the rest, and throttled messages reach the dead-letter queue or expire unprocessed (AWS Lambda Developer Guide, \"Configuring scaling behavior for SQS event source mappings\")",
                    names(&capped)
                ),
                format!(
                    "raise the function's `reserved_concurrency` to at least {total}, or lower the triggers' `max_concurrency` so they add up to {reserved} or less"
                ),
            ));
        }
    }
}

/// The stream view a table's `StreamSpecification` names, when literal.
fn stream_view(table: &Resolved) -> Option<String> {
    match member(table.field("StreamSpecification"), "StreamViewType")? {
        Expr::Lit(Json::String(s)) => Some(s),
        _ => None,
    }
}

/// Whether a matcher list (or an object of fields under it) needs its field present: a
/// list of matchers is an OR, satisfied by an absent field when one is
/// `{"exists": false}`; an object's fields are ANDed, its `$or` branches ORed.
fn needs_present(node: &Json) -> bool {
    match node {
        Json::Array(matchers) => !matchers
            .iter()
            .any(|m| m.get("exists").is_some_and(|e| e == &Json::Bool(false))),
        Json::Object(fields) => fields.iter().any(|(k, v)| {
            if k == "$or" {
                v.as_array()
                    .is_some_and(|b| !b.is_empty() && b.iter().all(needs_present))
            } else {
                needs_present(v)
            }
        }),
        _ => false,
    }
}

/// The images of `missing` (a stream lacks them) that `pattern` needs, if it cannot match
/// a record without them (each `$or` branch needing one), else empty.
fn needs_images<'m>(pattern: &Json, missing: &[&'m str]) -> Vec<&'m str> {
    let Json::Object(top) = pattern else {
        return Vec::new();
    };
    let mut out: Vec<&str> = missing
        .iter()
        .copied()
        .filter(|image| {
            top.get("dynamodb")
                .and_then(|d| d.get(*image))
                .is_some_and(needs_present)
        })
        .collect();
    if out.is_empty()
        && let Some(branches) = top.get("$or").and_then(Json::as_array)
    {
        let each: Vec<Vec<&str>> = branches.iter().map(|b| needs_images(b, missing)).collect();
        if !each.is_empty() && each.iter().all(|n| !n.is_empty()) {
            out = missing
                .iter()
                .copied()
                .filter(|i| each.iter().any(|n| n.contains(i)))
                .collect();
        }
    }
    out
}

fn stream_images(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    let by_id = resources;
    for m in resources.of_type(MAPPING) {
        let Some(table) = resource(by_id, m.field("EventSourceArn"), "AWS::DynamoDB::Table") else {
            continue;
        };
        let Some(view) = stream_view(table) else {
            continue;
        };
        let missing: &[&str] = match view.as_str() {
            "NEW_AND_OLD_IMAGES" => &[],
            "NEW_IMAGE" => &["OldImage"],
            "OLD_IMAGE" => &["NewImage"],
            _ => &["NewImage", "OldImage"],
        };
        if missing.is_empty() {
            continue;
        }
        let Some(Expr::Array(filters)) = member(m.field("FilterCriteria"), "Filters") else {
            continue;
        };
        for (i, filter) in filters.iter().enumerate() {
            let Some(Expr::Lit(Json::String(text))) = member(Some(filter), "Pattern") else {
                continue;
            };
            let Ok(pattern) = serde_json::from_str::<Json>(&text) else {
                continue;
            };
            let needed = needs_images(&pattern, missing);
            if needed.is_empty() {
                continue;
            }
            let needed = needed
                .iter()
                .map(|i| format!("`dynamodb.{i}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            diags.push(Diagnostic::error(
                Location::property(&m.entry.target.id, "FilterCriteria"),
                format!(
                    "filter {} needs {needed}, which the stream of table `{}` (view `{view}`) never carries: no record matches, and Lambda discards the records no filter matches, so the function is never invoked",
                    i + 1,
                    table.entry.target.id
                ),
                "give the table a stream view with the image (`StreamView::NewAndOldImages`), or filter on `dynamodb.Keys` or `eventName`",
            ));
        }
    }
}
