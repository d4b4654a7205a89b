//! [`Target`]: what a grant is on, keyed on its ARN, so the same grant works for a
//! construct, a generated handle, and a resource imported by ARN.

use crate::kind::Str;
use crate::kinds::KmsKeyArn;
use crate::stack::handle::Handle;
use crate::value::value::{IntoValue, Value};

/// A resource grants are on: its ARN, the customer-managed KMS key that encrypts it (so
/// grants on it cover the key, used only through the resource's service), and how
/// messages name it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub(crate) what: String,
    pub(crate) arn: Value<Str>,
    pub(crate) key: Option<Value<KmsKeyArn>>,
}

impl Target {
    /// A resource known by ARN (of another stack, or of outside any stack); `noun` names
    /// its type in messages ("queue").
    pub fn by_arn(noun: &str, arn: impl IntoValue<Str>) -> Self {
        let arn = arn.into_value();
        let what = match arn.literal_json() {
            Some(serde_json::Value::String(s)) => format!("{noun} `{}`", s.escape_debug()),
            _ => format!("the {noun} given by ARN"),
        };
        Target {
            what,
            arn,
            key: None,
        }
    }

    /// A resource of this stack: named by its logical ID in messages.
    pub fn of(noun: &str, handle: &impl Handle, arn: impl IntoValue<Str>) -> Self {
        Target {
            what: format!("{noun} `{}`", handle.resource_ref().logical_id()),
            arn: arn.into_value(),
            key: None,
        }
    }

    /// Encrypted with `key`, a customer-managed KMS key: grants on the target cover it.
    pub fn encrypted_with(mut self, key: Option<Value<KmsKeyArn>>) -> Self {
        self.key = key;
        self
    }

    /// The target's ARN.
    pub fn arn(&self) -> &Value<Str> {
        &self.arn
    }

    /// The customer-managed KMS key the target is encrypted with, if any.
    pub fn key(&self) -> Option<&Value<KmsKeyArn>> {
        self.key.as_ref()
    }

    /// How messages name the target, such as "queue `Jobs`".
    pub fn what(&self) -> &str {
        &self.what
    }
}

/// `Target::from(&handle)` for the generated handle of each resource type grants are
/// on: the noun messages name it by, and its `Arn` attribute.
macro_rules! target_from_handle {
    ($($feature:literal $handle:ty => $noun:literal),* $(,)?) => {$(
        #[cfg(feature = $feature)]
        impl From<&$handle> for Target {
            fn from(handle: &$handle) -> Self {
                Target::of($noun, handle, handle.arn())
            }
        }
    )*};
}

target_from_handle! {
    "s3" crate::s3::BucketHandle => "bucket",
    "lambda" crate::lambda::FunctionHandle => "function",
    "sqs" crate::sqs::QueueHandle => "queue",
    "sns" crate::sns::TopicHandle => "topic",
    "dynamodb" crate::dynamodb::TableHandle => "table",
}
