//! Event wiring: connecting a source (a bucket, a topic, a queue, a table's stream, an
//! API route) to a target (a function, a queue, a topic), public so a construct written
//! outside nephos wires exactly as the built-in ones do. One file per source ([`s3`],
//! [`sns`], [`sqs`], [`dynamodb`], [`api_route`]); the pieces they share are public too:
//! [`place`] (a wiring resource under an ID derived from both ends), [`invoke_permission`]
//! (a service allowed to invoke a function, scoped to the source), [`event_source`] (an
//! event source mapping that waits for the function's role), [`resource_policy`] (one
//! policy resource per queue, topic or bucket, statements added), [`queue_send`] (a
//! service allowed to send to a queue for one source, on its key too), and the ends' traits in
//! [`ends`], which any construct can implement.
//!
//! These files use only the public API (a test scans them for the crate's internals), so
//! a new wiring of the same kind can be written outside nephos: it adds to a resource
//! already in the stack with `Stack::edit_list` (a list inside a property: a rule's
//! `Targets`, a bucket's notifications) and `Stack::edit_statements` (a policy
//! document's `Statement`), reads what is there with `Stack::property`,
//! `Stack::properties`, `Value::entries` and `Value::items`, and finds what holds an ID
//! or what a value names with `Stack::resource_with_id`, `Stack::owners_of` and
//! `Stack::resource_named_by`.
//!
//! Placing the resources a wiring creates (permissions, event source mappings,
//! subscriptions): their logical IDs are derived from both ends, never numbered, so
//! reordering wiring calls renames nothing (a renamed resource is replaced).
//!
//! - The same pair wired again with the same settings reuses the resource already there
//!   (one permission, not a duplicate CloudFormation would try to create twice).
//! - The same pair with other settings, or an ID already taken by something else, is a
//!   synth error naming both.
//! - The resource takes its `Condition` from the two ends (resolved at synth).

#[cfg(all(feature = "cloudwatch", feature = "sns"))]
pub mod alarm_action;
#[cfg(any(feature = "apigateway", feature = "apigatewayv2"))]
pub mod api_domain;
// Route keys and `$default` are used by `HttpApi` only.
// Each file is compiled when the services it wires are (see `constructs/mod.rs`).
#[cfg_attr(not(feature = "apigatewayv2"), allow(dead_code))]
pub mod api_route;
#[cfg(all(any(feature = "apigateway", feature = "apigatewayv2"), feature = "iam"))]
pub mod api_service_role;
#[cfg(all(feature = "dynamodb", feature = "lambda"))]
pub mod dynamodb;
pub mod ends;
#[cfg(feature = "lambda")]
mod event_source;
#[cfg(feature = "events")]
pub mod events;
#[cfg(all(feature = "events", feature = "stepfunctions", feature = "iam"))]
pub mod events_state_machine;
// Queues are in the default features; what asks depends on the others.
#[cfg_attr(
    not(all(
        feature = "s3",
        feature = "sns",
        feature = "sqs",
        feature = "lambda",
        feature = "events",
        feature = "scheduler",
        feature = "stepfunctions"
    )),
    allow(dead_code)
)]
pub mod fifo;
#[cfg(feature = "lambda")]
pub mod image_pull;
pub mod key_policy;
#[cfg(all(feature = "kinesis", feature = "lambda"))]
pub mod kinesis;
pub mod list_property;
#[cfg(feature = "lambda")]
mod permission;
pub mod queue_send;
#[cfg(feature = "lambda")]
pub mod record_filter;
pub mod resource_policy;
#[cfg(feature = "s3")]
pub mod s3;
#[cfg(feature = "sns")]
pub mod sns;
#[cfg(feature = "sns")]
pub mod sns_filter;
#[cfg(feature = "lambda")]
pub mod sqs;
#[cfg(feature = "lambda")]
pub mod stream;

pub use ends::{
    BucketEnd, FunctionEnd, InvokedFunction, LayerEnd, MapBucket, PublishedTopic, PushedFunction,
    QueueEnd, RoutedTable, SentQueue, StartedStateMachine, StateMachineEnd, TableEnd, TopicEnd,
};
#[cfg(feature = "lambda")]
pub use event_source::{event_source, from_source};
#[cfg(feature = "lambda")]
pub use permission::{PERMISSION_HOME, invoke_permission, require_pushed_home};

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::handle::{FromRef, Handle, ResourceRef};
use crate::stack::resource::Resource;
use crate::stack::stack::Stack;

/// Adds `resource` under `id` as the wiring of `ends` (`what` names it in messages, such as
/// "an invoke permission"), or returns the one already there for the same ends and
/// settings. The resource takes its condition from the ends. An ID already taken, or the
/// same ends wired twice with other settings, is a synth error naming both.
pub fn place<R: Resource + Clone>(
    stack: &mut Stack,
    id: &str,
    resource: R,
    ends: &[&ResourceRef],
    what: &str,
) -> R::Handle {
    let names = |targets: &mut dyn Iterator<Item = &str>| {
        targets
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let wanted = names(&mut ends.iter().map(|e| e.logical_id()));
    if let Some(existing) = stack.resource_with_id(id) {
        if stack.is_owned_by(&existing, ends) && existing.type_name() == resource.type_name() {
            let props = resource.clone().into_props();
            let before = stack.properties(&existing).unwrap_or_default();
            if before == props {
                return R::Handle::from_ref(existing);
            }
            let differences = differences(&before, &props);
            stack.problem(Diagnostic::error(
                Location::resource(id),
                format!(
                    "{wanted} are wired twice as {what} with different settings ({differences}); both would be `{id}`. Either the same pair is wired twice, or two outside values (imported ARNs, addresses) differ only in punctuation: a wiring's ID keeps their letters and digits only, so `orders-v2` and `orders_v2` give one ID"
                ),
                "wire the pair once, with the settings you want; for two values that differ only in punctuation, wire one of them yourself (the generated L1 type) under an ID of your own. nephos does not rename the first: its ID may be deployed, and a renamed subscription or event source mapping is replaced",
            ));
        } else {
            let holder = match stack.owners_of(&existing) {
                Some(o) => format!(
                    "{} `{id}`, the wiring of {}",
                    existing.type_name(),
                    names(&mut o.iter().map(String::as_str))
                ),
                _ => format!("{} `{id}`", existing.type_name()),
            };
            stack.problem(Diagnostic::error(
                Location::resource(id),
                format!(
                    "{what} between {wanted} would get the logical ID `{id}`, already taken by {holder}"
                ),
                "rename one of the resources involved (its ID is part of the wiring's ID) so the two IDs differ",
            ));
        }
        // The conflict is reported once: adding the resource as well would report the
        // same ID again as "used twice". Synth fails on the problem above.
        return R::Handle::from_ref(existing);
    }
    let handle = stack.add(id, resource);
    stack.own(handle.resource_ref(), ends);
    handle
}

/// The properties two wirings of one pair set differently, as "`BatchSize` 5 before, 7
/// now", each value shown at most 80 characters long, escaped.
fn differences(before: &crate::Props, now: &crate::Props) -> String {
    let shown = |v: Option<&serde_json::Value>| {
        let json = v.map_or("unset".to_string(), |e| e.to_string());
        let mut out: String = json.escape_debug().take(80).collect();
        if json.escape_debug().nth(80).is_some() {
            out.push_str("...");
        }
        out
    };
    let (before, now) = (before.to_json(), now.to_json());
    let empty = serde_json::Map::new();
    let (before, now) = (
        before.as_object().unwrap_or(&empty),
        now.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = before.keys().chain(now.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != now.get(*k))
        .map(|k| {
            format!(
                "`{k}` {} before, {} now",
                shown(before.get(k)),
                shown(now.get(k))
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
