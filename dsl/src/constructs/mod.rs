//! Constructs: the resources users write day to day (a function, a table, a bucket, a
//! topic, a queue, an API), each several generated resources wired together with
//! least-privilege grants, safe defaults, and event wiring that cannot form a cycle.
//!
//! ```
//! use nephos::Stack;
//! use nephos::constructs::{Code, Function, Key, Runtime, Table};
//! let mut stack = Stack::new("App");
//! let table = stack.add("Users", Table::new(Key::string("user_id")));
//! let f = stack.add("Api", Function::new(Runtime::Python312, "index.handler", Code::inline("...")).env("TABLE", table.name()));
//! table.grant_read_write(&mut stack, &f);
//! nephos::assertions::Assertions::from_stack(&stack).assert_no_cycles();
//! ```

// Each construct is compiled when the features of the services it creates are on
// (`Function`: lambda, iam, logs), and each of its wiring methods when the other end's
// are; docs.rs shows the features next to each item.
// Route keys and `$default` are used by `HttpApi` only.
#[cfg_attr(not(feature = "apigatewayv2"), allow(dead_code))]
mod api_route;
#[cfg(feature = "s3")]
mod bucket;
mod configure;
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
mod function;
pub mod grants;
#[cfg(all(
    feature = "apigatewayv2",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
mod http_api;
mod key_policy;
mod names;
#[cfg(feature = "sqs")]
mod queue;
mod resource_policy;
#[cfg(all(
    feature = "apigateway",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
mod rest_api;
#[cfg(feature = "dynamodb")]
mod table;
#[cfg(feature = "sns")]
mod topic;
pub(crate) mod wiring;

#[cfg(any(feature = "apigateway", feature = "apigatewayv2"))]
pub use api_route::Cors;
#[cfg(feature = "s3")]
pub use bucket::{Bucket, BucketEncryption, BucketRef, NotificationFilter, S3Event};
pub use configure::Configure;
#[cfg(all(
    feature = "lambda",
    feature = "iam",
    feature = "logs",
    any(feature = "sqs", feature = "sns")
))]
pub use function::DeadLetter;
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
pub use function::{Architecture, Code, Function, FunctionRef, Runtime};
pub use grants::Grantee;
#[cfg(all(
    feature = "apigatewayv2",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
pub use http_api::{HttpApi, HttpApiRef};
#[cfg(feature = "sqs")]
pub use queue::{Queue, QueueRef};
#[cfg(all(
    feature = "apigateway",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
pub use rest_api::{RestApi, RestApiRef};
#[cfg(feature = "dynamodb")]
pub use table::{Billing, Key, Projection, StreamTrigger, StreamView, Table, TableRef};
#[cfg(feature = "sns")]
pub use topic::{Topic, TopicRef};

use crate::stack::handle::Handle;
use crate::stack::resource::{DeletionPolicy, UpdateReplacePolicy};
use crate::stack::stack::Stack;

/// What happens to a stateful resource (table, bucket, queue, log group) when it leaves
/// the stack or is replaced. Constructs default to [`RemovalPolicy::Retain`]: data is
/// never deleted unless the stack says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RemovalPolicy {
    /// Keep it (DeletionPolicy and UpdateReplacePolicy `Retain`).
    #[default]
    Retain,
    /// Take a snapshot, then delete it (for types that support snapshots).
    Snapshot,
    /// Delete it with the stack: an explicit opt-out of retention.
    Destroy,
}

impl RemovalPolicy {
    pub(crate) fn apply(self, stack: &mut Stack, handle: &impl Handle) {
        let (d, u) = match self {
            RemovalPolicy::Retain => (DeletionPolicy::Retain, UpdateReplacePolicy::Retain),
            RemovalPolicy::Snapshot => (DeletionPolicy::Snapshot, UpdateReplacePolicy::Snapshot),
            RemovalPolicy::Destroy => (DeletionPolicy::Delete, UpdateReplacePolicy::Delete),
        };
        stack
            .resource(handle)
            .deletion_policy(d)
            .update_replace_policy(u);
    }
}

/// `/users/{id}` -> `UsersId`: a path as a logical-ID fragment.
pub(crate) fn pascal(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Gives a JSON-shaped value the kind of a generated property type. Constructs use it
/// for nested documents they build whole; the result is still checked by the schema
/// constraints at synth and by cfn-lint in the tests.
pub(crate) fn cast<K>(v: crate::Value<crate::kind::Any>) -> crate::Value<K> {
    crate::Value::from_expr(v.expr)
}
