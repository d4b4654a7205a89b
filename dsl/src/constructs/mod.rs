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
#[cfg(any(feature = "apigateway", feature = "apigatewayv2"))]
mod api_domain;
#[cfg(all(any(feature = "apigateway", feature = "apigatewayv2"), feature = "iam"))]
mod api_integration;
#[cfg(all(
    any(feature = "apigateway", feature = "apigatewayv2"),
    feature = "logs"
))]
mod api_stage;
#[cfg(feature = "s3")]
mod bucket;
pub mod configure;
#[cfg(any(feature = "apigateway", feature = "apigatewayv2"))]
mod cors;
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
// The matchers of EventBridge rules are those of Lambda event filters too, so they are
// compiled without `events`; the file stays with the rule it was written for.
#[path = "rule/pattern.rs"]
mod event_pattern;
pub mod ids;
pub mod import;
#[cfg(feature = "kinesis")]
mod kinesis_stream;
#[cfg(feature = "kms")]
mod kms_key;
#[cfg(feature = "lambda")]
mod layer;
#[cfg(feature = "cloudwatch")]
pub mod metrics;
pub mod names;
#[cfg(feature = "sqs")]
mod queue;
#[cfg(all(
    feature = "apigateway",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
mod rest_api;
#[cfg(feature = "events")]
mod rule;
#[cfg(all(feature = "scheduler", feature = "iam"))]
mod scheduled_job;
#[cfg(feature = "secretsmanager")]
mod secret;
#[cfg(all(
    feature = "stepfunctions",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
pub mod state_machine;
#[cfg(feature = "ssm")]
mod string_parameter;
#[cfg(feature = "dynamodb")]
mod table;
pub mod timing;
#[cfg(feature = "sns")]
mod topic;
pub mod wiring;
pub mod wrapped;

#[cfg(any(feature = "apigateway", feature = "apigatewayv2"))]
pub use api_domain::{CustomDomain, CustomDomainRef, DomainEndpoint, MutualTls, TlsPolicy};
#[cfg(all(any(feature = "apigateway", feature = "apigatewayv2"), feature = "iam"))]
pub use api_integration::{HttpProxy, PutEvents, RequestValue, StartExecution};
#[cfg(all(
    any(feature = "apigateway", feature = "apigatewayv2"),
    feature = "logs"
))]
pub use api_stage::{AccessLogFormat, AccessLogs, LogField, Throttle};
#[cfg(feature = "s3")]
pub use bucket::{Bucket, BucketEncryption, BucketRef};
pub use configure::Configure;
#[cfg(any(feature = "apigateway", feature = "apigatewayv2"))]
pub use cors::{Cors, CorsMethod};
pub use event_pattern::{Cmp, EventPattern, Match, MatchValue};
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
pub use function::{
    Alias, AliasRef, Architecture, Code, ContainerImage, DeadLetter, Destination,
    EventInvokeConfig, Function, FunctionRef, FunctionUrlOptions, Runtime, Tracing, UrlAuth,
    UrlCors, UrlMethod, VersionRef,
};
pub use grants::Grantee;
#[cfg(all(
    feature = "apigatewayv2",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
pub use http_api::{
    HttpApi, HttpApiRef, HttpAuthorization, HttpAuthorizer, HttpIntegration, HttpRoute,
    IdentitySource, LambdaResponse, SqsSendMessage,
};
#[cfg(feature = "kinesis")]
pub use kinesis_stream::{KinesisStream, KinesisStreamRef};
#[cfg(feature = "kms")]
pub use kms_key::{KmsKey, KmsKeyRef};
#[cfg(feature = "lambda")]
pub use layer::{LayerVersion, LayerVersionRef};
#[cfg(feature = "sqs")]
pub use queue::{Queue, QueueRef};
#[cfg(all(
    feature = "apigateway",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
pub use rest_api::{
    CacheSize, CloudWatchRole, DynamoDbAction, DynamoValue, MockResponse, Quota, QuotaPeriod,
    RestApi, RestApiRef, RestAuthorization, RestAuthorizer, RestIdentitySource, RestIntegration,
    RestMethod, RestStage, UsagePlan, UsagePlanRef,
};
#[cfg(feature = "events")]
pub use rule::{Rule, RuleRef};
#[cfg(all(feature = "scheduler", feature = "iam"))]
pub use scheduled_job::{JobTarget, ScheduledJob, ScheduledJobRef};
#[cfg(feature = "secretsmanager")]
pub use secret::{Secret, SecretGenerator, SecretRef};
#[cfg(all(
    feature = "stepfunctions",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
pub use state_machine::{StateMachine, StateMachineRef};
#[cfg(feature = "ssm")]
pub use string_parameter::{StringParameter, StringParameterRef};
#[cfg(feature = "dynamodb")]
pub use table::{Billing, Key, Projection, StreamView, Table, TableRef};
#[cfg(feature = "sns")]
pub use topic::{Topic, TopicRef};
#[cfg(feature = "events")]
pub use wiring::events::EventTarget;
#[cfg(feature = "s3")]
pub use wiring::s3::{NotificationFilter, S3Event};
#[cfg(feature = "sns")]
pub use wiring::sns::SubscriptionOptions;
#[cfg(feature = "sns")]
pub use wiring::sns_filter::{FilterMatch, FilterPolicy, FilterPolicyScope, NumericOp};
#[cfg(all(feature = "sqs", feature = "lambda"))]
pub use wiring::sqs::SqsTrigger;
#[cfg(feature = "lambda")]
pub use wiring::stream::{StartingPosition, StreamFailureDestination, StreamTrigger};
pub use wrapped::Wrapped;

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
    /// Sets the resource's `DeletionPolicy` and `UpdateReplacePolicy` to this policy: what
    /// a construct does for each stateful resource it adds.
    pub fn apply(self, stack: &mut Stack, handle: &impl Handle) {
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
