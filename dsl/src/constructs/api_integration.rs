//! What an API Gateway route sends requests to besides a function, shared by
//! [`HttpApi`](super::HttpApi) and [`RestApi`](super::RestApi): AWS service actions
//! ([`StartExecution`], [`PutEvents`]), each through a role API Gateway assumes that may
//! do exactly that action on that target, an HTTP endpoint ([`HttpProxy`]), and the
//! [`RequestValue`]s their parameters take from the request. Each API renders them its
//! own way: an HTTP API as a first-class integration subtype with parameter mappings, a
//! REST API as an `AWS` integration whose request template escapes every value taken
//! from the request into JSON.

mod http_proxy;
mod put_events;
mod request_value;
mod start_execution;

pub use http_proxy::HttpProxy;
pub use put_events::PutEvents;
pub use request_value::RequestValue;
pub use start_execution::StartExecution;

use crate::constructs::ids::value_fragment;
use crate::value::value::Value;

/// How logical IDs name an integration's target: the one resource the value refers to,
/// else a fragment of the value (a literal ARN's letters and digits).
fn target_name<K>(value: &Value<K>) -> String {
    match value.resources_referenced().as_slice() {
        [one] => one.clone(),
        _ => value_fragment(value),
    }
}
