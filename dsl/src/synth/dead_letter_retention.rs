//! A standard queue's dead-letter queue that deletes the failures it exists to keep.
//! When SQS moves a message from a standard queue to its dead-letter queue it keeps the
//! message's original enqueue timestamp, so the message expires by the dead-letter
//! queue's retention counted from when it was first sent: "For standard queues, the
//! expiration of a message is always based on its original enqueue timestamp. When a
//! message is moved to a dead-letter queue, the enqueue timestamp is unchanged ... it is a
//! best practice to always set the retention period of a dead-letter queue to be longer
//! than the retention period of the original queue" (Amazon SQS Developer Guide,
//! "Learn how message retention works with dead-letter queues"). A message that failed
//! for as long as the dead-letter queue's retention is deleted the moment it arrives, one
//! that failed for less lives only the rest: the failures are lost, silently. FIFO queues
//! reset the timestamp on redrive, so only standard queues are checked.
//!
//! Reported, as an error (data is lost without a trace), when both queues are of this
//! stack, the queue is literally standard, its `RedrivePolicy` names the dead-letter queue
//! with `Fn::GetAtt <Queue>.Arn`, and both retentions are known: a literal
//! `MessageRetentionPeriod`, or none (SQS's default, [`DEFAULT_RETENTION`]), or one the
//! template chooses from literals (`Fn::FindInMap` of this stack's mapping, `Fn::If`
//! branches): then the longest the queue may keep against the shortest its dead-letter
//! queue may keep, since the stack deploys with any of them (a `prod` row of 14 days
//! behind a 14-day dead-letter queue loses data in prod only). Whatever else is computed
//! at deploy is let through. It reads the final template, so a redrive policy set
//! with the `Queue` construct, with `configure` or on the generated `sqs::Queue` is checked
//! alike.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

/// SQS's retention when `MessageRetentionPeriod` is not set: 345,600 seconds, 4 days
/// (Amazon SQS API Reference, `CreateQueue`, `MessageRetentionPeriod`).
pub(crate) const DEFAULT_RETENTION: i64 = 345_600;

/// The longest retention SQS takes: 1,209,600 seconds, 14 days (`CreateQueue`).
pub(crate) const MAX_RETENTION: i64 = 1_209_600;

/// The queue type.
const QUEUE: &str = "AWS::SQS::Queue";

/// Checks every `AWS::SQS::Queue` with a `RedrivePolicy`.
pub(crate) fn check(stack: &Stack, resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_type(QUEUE) {
        if standard(r) != Some(true) {
            continue;
        }
        let Some(Expr::GetAtt(target, attribute)) = r
            .field("RedrivePolicy")
            .and_then(|p| crate::value::expr::field(p, "deadLetterTargetArn"))
        else {
            continue;
        };
        if &**attribute != "Arn" {
            continue;
        }
        // The first queue of the target, in stack order.
        let Some(dlq) = resources
            .of_type(QUEUE)
            .find(|o| o.entry.target.stack == target.stack && o.entry.target.id == target.id)
        else {
            continue;
        };
        // A dead-letter queue of the other kind is refused where it is wired.
        if standard(dlq) != Some(true) {
            continue;
        }
        let (Some(owns), Some(theirs_all)) = (retentions(stack, r), retentions(stack, dlq)) else {
            continue;
        };
        let (Some(&own), Some(&theirs)) = (owns.iter().max(), theirs_all.iter().min()) else {
            continue;
        };
        if theirs > own {
            continue;
        }
        let id = &*r.entry.target.id;
        let dlq_id = &*dlq.entry.target.id;
        let shown = |seconds: i64, set: bool, many: bool| {
            format!(
                "{}{seconds} s ({}{})",
                if many {
                    "(in one of the values the template chooses from) "
                } else {
                    ""
                },
                days(seconds),
                if set { "" } else { ", SQS's default" }
            )
        };
        diags.push(Diagnostic::error(
            Location::property(id, "RedrivePolicy"),
            format!(
                "queue `{id}` keeps messages {} and its dead-letter queue `{dlq_id}` keeps them {}: SQS keeps a standard queue's original enqueue timestamp when it moves a message to the dead-letter queue, so a message that failed for {} is deleted as it arrives there, and every other failure lives only what is left (Amazon SQS Developer Guide, \"Learn how message retention works with dead-letter queues\")",
                shown(own, r.field("MessageRetentionPeriod").is_some(), owns.len() > 1),
                shown(
                    theirs,
                    dlq.field("MessageRetentionPeriod").is_some(),
                    theirs_all.len() > 1
                ),
                days(theirs),
            ),
            if own < MAX_RETENTION {
                format!(
                    "give the dead-letter queue `{dlq_id}` the longest retention, `.retention_seconds({})` (14 days), or at least longer than `{id}`'s",
                    "1_209_600"
                )
            } else {
                format!(
                    "`{id}` keeps messages for SQS's maximum: shorten its retention (`.retention_seconds(...)`), and give `{dlq_id}` `.retention_seconds(1_209_600)` (14 days)"
                )
            },
        ));
    }
}

/// Whether the queue is standard: `FifoQueue` absent or literally false; `None` when
/// computed.
fn standard(r: &Resolved) -> Option<bool> {
    match r.field("FifoQueue") {
        None | Some(Expr::NoValue) => Some(true),
        // CloudFormation takes a Boolean property as `true` or `"true"`.
        Some(Expr::Lit(v)) => Some(!(v == true || v == "true")),
        Some(_) => None,
    }
}

/// Every retention in seconds the queue may deploy with: its literal
/// `MessageRetentionPeriod` (a number or a numeric string), SQS's default when absent,
/// or each literal the template may choose (`Fn::If` branches, the rows of this stack's
/// mapping under a literal second key, and the lookup's default); `None` when any of
/// them is computed.
fn retentions(stack: &Stack, r: &Resolved) -> Option<Vec<i64>> {
    let mut out = Vec::new();
    match r.field("MessageRetentionPeriod") {
        None => out.push(DEFAULT_RETENTION),
        Some(e) => possible(stack, e, &mut out)?,
    }
    Some(out)
}

/// Pushes every value `e` may take, or `None` when one is not a literal number.
fn possible(stack: &Stack, e: &Expr, out: &mut Vec<i64>) -> Option<()> {
    match e {
        Expr::NoValue => out.push(DEFAULT_RETENTION),
        Expr::Lit(v) => out.push(seconds(v)?),
        Expr::If(_, yes, no) => {
            possible(stack, yes, out)?;
            possible(stack, no, out)?;
        }
        Expr::FindInMap {
            mapping,
            top,
            second,
            default,
        } => {
            let Expr::Lit(serde_json::Value::String(second)) = &**second else {
                return None;
            };
            let (_, table) = stack.mappings.iter().find(|(t, _)| t == mapping)?;
            let rows: Vec<_> = match &**top {
                Expr::Lit(serde_json::Value::String(top)) => {
                    table.entries.get(top).into_iter().collect()
                }
                _ => table.entries.values().collect(),
            };
            for row in rows {
                // A row without the key fails the lookup (or takes the default, below).
                if let Some(v) = row.get(second) {
                    out.push(seconds(v)?);
                }
            }
            if let Some(d) = default {
                possible(stack, d, out)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// A literal retention: a number or a numeric string.
fn seconds(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `seconds` in days, for the message (`4 days`, `0.5 days`).
fn days(seconds: i64) -> String {
    let d = seconds as f64 / 86_400.0;
    if d == 1.0 {
        "1 day".to_string()
    } else if d == d.trunc() {
        format!("{d} days")
    } else {
        format!("{d:.2} days")
    }
}
