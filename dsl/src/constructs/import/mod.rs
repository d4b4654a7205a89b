//! Resources that already exist, outside this stack or app: handles made from an ARN
//! or a name (`Queue::from_arn`, `Table::from_name`, `KmsKey::from_arn`...), usable in
//! grants like the constructs' own handles, and as a construct's `kms_key` for a key.
//!
//! Text is parsed and checked when the handle is made ([`Arn`]: partition, service,
//! region and account shapes; the service's naming rules for a name), returning an
//! [`ImportError`] rather than a handle that would deploy a grant on nothing. A typed
//! value (`from_arn_value(other_stack_queue.arn())`, a parameter) is taken as it is:
//! its kind already says which service it is, so a topic's ARN given for a queue does
//! not compile.
//!
//! The wirings, decided one by one (each end trait of `wiring::ends` against each
//! import). Allowed where only this stack's resources change (a role, a Lambda
//! permission, an event source mapping, a target of this stack's rule):
//!
//! | wiring | imported end | how |
//! |---|---|---|
//! | `ImportedQueue::trigger_with` (Lambda polls the queue) | queue | the function's role and a mapping here |
//! | `JobTarget::function`/`queue`/`topic`/`state_machine`, `ScheduledJob::dead_letter_queue` | function, queue, topic, state machine | the schedule's role is granted the call |
//! | `RuleRef::target_state_machine` | state machine | a role EventBridge assumes, granted `states:StartExecution` |
//! | `RuleRef::target_function`, `TopicRef::subscribe_function`, `BucketRef::notify_function` (`PushedFunction`) | function (this account's) | a `Lambda::Permission` for the rule, topic or bucket, in this stack (the bucket waits for it) |
//! | Step Functions `ItemReader`, `DistributedMap::results_to` (`MapBucket`) | bucket (`Bucket::from_name`, this account's) | the state machine's role is granted the reads and writes on its ARN (and key) |
//! | Step Functions `Task::invoke` (`InvokedFunction`) | function | the state machine's role |
//! | `kms_key` of a construct | key | the construct names the key |
//!
//! Refused (does not compile, `compile_fail` cases below and in the tests): each needs a
//! statement in the imported resource's own policy. The owner of the resource adds it
//! where the resource is defined, then wires it there or with the generated resources:
//!
//! | wiring | trait it lacks | the statement the owner adds |
//! |---|---|---|
//! | topic subscription to an imported queue | `QueueEnd` | queue policy: `sns.amazonaws.com` `sqs:SendMessage`, `aws:SourceArn` the topic |
//! | rule target or dead-letter queue to an imported queue | `QueueEnd` | queue policy: `events.amazonaws.com` `sqs:SendMessage`, `aws:SourceArn` the rule |
//! | rule target to an imported topic | `TopicEnd` | topic policy: `events.amazonaws.com` `sns:Publish`, `aws:SourceArn` the rule |
//! | alarm action to an imported topic | `TopicEnd` | topic policy: `cloudwatch.amazonaws.com` `sns:Publish`, `aws:SourceArn` the alarm |
//! | notifications of an imported bucket | `BucketEnd` | the bucket's `NotificationConfiguration`, in its own stack |
//! | an imported table's stream as an event source | `TableEnd` has no stream | the stream ARN (`Value<DynamoDbTableStreamArn>`) with the generated `lambda::EventSourceMapping` |
//!
//! The limits. Nothing of an imported resource can be changed here: not its
//! properties, and not its resource policy. So an imported handle is never a wiring
//! end that needs one ([`QueueEnd`](crate::constructs::wiring::QueueEnd),
//! [`TopicEnd`](crate::constructs::wiring::TopicEnd),
//! [`BucketEnd`](crate::constructs::wiring::BucketEnd),
//! [`PolicyTarget`](crate::constructs::wiring::resource_policy::PolicyTarget)): a
//! topic subscription delivering into an imported queue, or a notification of an
//! imported bucket, does not compile. The alternative: add the statement (and, for an
//! encrypted target, the key policy statement) to the resource's policy where it is
//! defined, then subscribe there or with the generated `nephos::sns::Subscription`.
//! A construct encrypted with an imported key that a service delivers into (SNS to an
//! encrypted queue) is a synth error naming the key, since its key policy cannot be
//! changed here. Grants are identity-policy statements on this stack's roles, which
//! needs no change to the imported resource, but they take effect only where its own
//! policy lets this account in (the same account by default; a key or secret of
//! another account must name this account in its policy).
//!
//! ```compile_fail
//! use nephos::Stack;
//! use nephos::constructs::{Queue, Topic};
//! let mut stack = Stack::new("App");
//! let topic = stack.add("Orders", Topic::new());
//! let jobs = Queue::from_arn("arn:aws:sqs:eu-west-1:123456789012:jobs").unwrap();
//! // The queue's policy would have to let the topic send: not changeable here.
//! topic.subscribe_queue_with(&mut stack, &jobs, nephos::constructs::SubscriptionOptions::new().raw_message_delivery());
//! ```

mod arn;
#[cfg(feature = "s3")]
mod bucket;
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
mod function;
mod home;
#[cfg(feature = "kms")]
mod key;
#[cfg(feature = "sqs")]
mod queue;
#[cfg(feature = "secretsmanager")]
mod secret;
#[cfg(all(
    feature = "stepfunctions",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
mod state_machine;
#[cfg(feature = "ssm")]
mod string_parameter;
#[cfg(feature = "dynamodb")]
mod table;
#[cfg(feature = "sns")]
mod topic;

pub use arn::{Arn, ImportError};
#[cfg(feature = "s3")]
pub use bucket::ImportedBucket;
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
pub use function::ImportedFunction;
#[allow(deprecated)]
pub use home::{Reach, literal_home, require_home};
#[cfg(feature = "kms")]
pub use key::ImportedKey;
#[cfg(feature = "sqs")]
pub use queue::ImportedQueue;
#[cfg(feature = "secretsmanager")]
pub use secret::ImportedSecret;
#[cfg(all(
    feature = "stepfunctions",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]
pub use state_machine::ImportedStateMachine;
#[cfg(feature = "ssm")]
pub use string_parameter::ImportedParameter;
#[cfg(feature = "dynamodb")]
pub use table::ImportedTable;
#[cfg(feature = "sns")]
pub use topic::ImportedTopic;

/// An imported handle's common parts: its ARN, how messages name it, and (`keyed`)
/// the customer-managed key grants on it cover (`encrypted_with`).
// Only the import modules of enabled services use it: with none, it is unused.
#[allow(unused_macros)]
macro_rules! imported {
    ($(#[$doc:meta])* $name:ident, $kind:ty, $of:ident $noun:literal $(, $keyed:ident)?) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            arn: crate::Value<$kind>,
            key: Option<crate::Value<crate::kinds::KmsKeyArn>>,
            /// Its name, when it was imported by name and its ARN does not hold the
            /// name as a value of its own (a bucket's `arn:...:s3:::<name>`).
            #[allow(dead_code)] // set by the imports made from a name only
            name: Option<crate::Value<crate::kind::Str>>,
        }

        impl $name {
            pub(crate) fn from_value(arn: crate::Value<$kind>) -> Self {
                $name { arn, key: None, name: None }
            }

            /// Its ARN.
            pub fn arn(&self) -> crate::Value<$kind> {
                self.arn.clone()
            }

            /// What grants on it are on: its ARN (and key).
            pub fn grant_target(&self) -> crate::constructs::grants::Target<crate::constructs::grants::on::$of> {
                crate::constructs::grants::Target::by_arn($noun, self.arn.clone().cast::<crate::kind::AnyArn>())
                    .encrypted_with(self.key.clone().map(crate::constructs::grants::EncryptionKey::from))
            }
        }

        $(crate::constructs::import::imported!(@$keyed $name);)?
    };
    (@keyed $name:ident) => {
        impl $name {
            /// It is encrypted with `key`, a customer-managed KMS key (its ARN or an
            /// [`ImportedKey`](crate::constructs::import::ImportedKey)): grants on it
            /// cover the key, used only through its service. Without it grants assume
            /// no customer-managed key (KMS would refuse the reads at run time).
            pub fn encrypted_with(
                mut self,
                key: impl crate::IntoValue<crate::kinds::KmsKeyArn>,
            ) -> Self {
                self.key = Some(key.into_value());
                self
            }
        }
    };
}
pub(crate) use imported;
