//! An EventBridge rule matching S3 events (`source` `aws.s3`) of a bucket of this stack
//! that does not send its events to EventBridge: the rule deploys and never fires. S3
//! sends a bucket's events to EventBridge only when the bucket's
//! `NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled` is true (Amazon
//! S3 User Guide, "Using EventBridge": "you must enable EventBridge notifications for the
//! bucket"; `Bucket::event_bridge` sets it). The bucket is the one the pattern's
//! `detail.bucket.name` names, by `Ref` or by the value of its `BucketName` (a literal,
//! or the generated name's expression).

use serde_json::Value as Json;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

const RULE: &str = "AWS::Events::Rule";
const BUCKET: &str = "AWS::S3::Bucket";

/// Runs the check.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    if !resources.has(RULE) || !resources.has(BUCKET) {
        return;
    }
    let buckets: Vec<&Resolved> = resources.of_type(BUCKET).collect();
    for rule in resources.of_type(RULE) {
        let Some(pattern) = rule.field("EventPattern") else {
            continue;
        };
        let sources = items(member(pattern, &["source"]));
        if !sources
            .iter()
            .any(|s| matches!(s, Expr::Lit(Json::String(s)) if s == "aws.s3"))
        {
            continue;
        }
        for name in items(member(pattern, &["detail", "bucket", "name"])) {
            // By `Ref` (the name), or by the value of its `BucketName` (a literal, or
            // the generated name's expression that `name()` returns).
            let bucket = buckets
                .iter()
                .find(|b| match &name {
                    Expr::Ref(t) => *b.entry.target.id == *t.id,
                    other => b.field("BucketName") == Some(other),
                })
                .copied();
            let Some(bucket) = bucket else { continue };
            if sends_to_event_bridge(bucket) {
                continue;
            }
            diags.push(Diagnostic::error(
                Location::property(&rule.entry.target.id, "EventPattern"),
                format!(
                    "rule `{}` matches S3 events of bucket `{}`, which does not send its events to EventBridge: the rule never fires",
                    rule.entry.target.id, bucket.entry.target.id
                ),
                "turn EventBridge notifications on for the bucket (`Bucket::new().event_bridge()`)",
            ));
        }
    }
}

/// The value at `path` under `e` (objects of values or literal objects).
fn member(e: &Expr, path: &[&str]) -> Option<Expr> {
    let mut here = e.clone();
    for key in path {
        here = match here {
            Expr::Object(mut m) => m.remove(*key)?,
            Expr::Lit(Json::Object(mut m)) => Expr::Lit(m.remove(*key)?),
            _ => return None,
        };
    }
    Some(here)
}

/// The items of a matcher list.
fn items(e: Option<Expr>) -> Vec<Expr> {
    match e {
        Some(Expr::Array(items)) => items,
        Some(Expr::Lit(Json::Array(items))) => items.into_iter().map(Expr::Lit).collect(),
        _ => Vec::new(),
    }
}

/// Whether the bucket surely or possibly sends to EventBridge: only a literal `false` or
/// an absent setting says it does not.
fn sends_to_event_bridge(bucket: &Resolved) -> bool {
    let Some(config) = bucket.field("NotificationConfiguration") else {
        return false;
    };
    let is_object = |e: &Expr| matches!(e, Expr::Object(_) | Expr::Lit(Json::Object(_)));
    match member(config, &["EventBridgeConfiguration"]) {
        None => !is_object(config),
        Some(ebc) => match member(&ebc, &["EventBridgeEnabled"]) {
            Some(Expr::Lit(Json::Bool(b))) => b,
            None => !is_object(&ebc),
            Some(_) => true,
        },
    }
}
