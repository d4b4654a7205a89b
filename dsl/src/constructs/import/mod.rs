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
//! topic.subscribe_queue(&mut stack, &jobs, true);
//! ```

mod arn;
#[cfg(feature = "s3")]
mod bucket;
#[cfg(all(feature = "lambda", feature = "iam", feature = "logs"))]
mod function;
#[cfg(feature = "kms")]
mod key;
#[cfg(feature = "sqs")]
mod queue;
#[cfg(feature = "secretsmanager")]
mod secret;
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
#[cfg(feature = "kms")]
pub use key::ImportedKey;
#[cfg(feature = "sqs")]
pub use queue::ImportedQueue;
#[cfg(feature = "secretsmanager")]
pub use secret::ImportedSecret;
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
    ($(#[$doc:meta])* $name:ident, $kind:ty, $noun:literal $(, $keyed:ident)?) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            arn: crate::Value<$kind>,
            key: Option<crate::Value<crate::kinds::KmsKeyArn>>,
        }

        impl $name {
            pub(crate) fn from_value(arn: crate::Value<$kind>) -> Self {
                $name { arn, key: None }
            }

            /// Its ARN.
            pub fn arn(&self) -> crate::Value<$kind> {
                self.arn.clone()
            }

            /// What grants on it are on: its ARN (and key).
            pub fn grant_target(&self) -> crate::constructs::grants::Target {
                crate::constructs::grants::Target::by_arn($noun, self.arn.clone())
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
