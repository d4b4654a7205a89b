//! [`Target`]: what a grant is on, keyed on its ARN, so the same grant works for a
//! construct, a generated handle, and a resource imported by ARN.

use crate::constructs::grants::EncryptionKey;
use crate::kind::{AnyArn, Str};
use crate::stack::handle::{Handle, ResourceRef};
use crate::value::value::{IntoValue, Value};

/// A resource grants are on: its ARN, the customer-managed KMS key that encrypts it (so
/// grants on it cover the key, used only through the resource's service), and how
/// messages name it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub(crate) what: String,
    pub(crate) arn: Value<Str>,
    pub(crate) key: Option<EncryptionKey>,
    /// The resource of a stack the target is, whose key is read from its properties at
    /// grant time unless given with [`Target::encrypted_with`].
    pub(crate) resource: Option<ResourceRef>,
    /// The key was given (possibly as none), so it is not read from the stack.
    pub(crate) key_given: bool,
}

impl Target {
    /// A resource known by ARN (of another stack, or of outside any stack); `noun` names
    /// its type in messages ("queue").
    ///
    /// `arn` is a value of an ARN kind (a handle's `.arn()`, an imported ARN, a
    /// `Value<AnyArn>`) or a literal ARN written as text; a value of another kind does
    /// not compile, so a queue's URL or a function's name cannot stand for its ARN (IAM
    /// refuses a policy whose `Resource` is no ARN). A computed plain string is made an
    /// ARN explicitly with `.cast::<nephos::kind::AnyArn>()`.
    ///
    /// ```compile_fail
    /// use nephos::constructs::grants::Target;
    /// let mut stack = nephos::Stack::new("App");
    /// let q = stack.add("Q", nephos::sqs::Queue::new());
    /// let _ = Target::by_arn("queue", q.url()); // a URL is no ARN
    /// ```
    ///
    /// ```
    /// use nephos::constructs::grants::Target;
    /// let mut stack = nephos::Stack::new("App");
    /// let q = stack.add("Q", nephos::sqs::Queue::new());
    /// let _ = Target::by_arn("queue", q.arn());
    /// let _ = Target::by_arn("queue", "arn:aws:sqs:eu-west-1:123456789012:jobs");
    /// ```
    pub fn by_arn(noun: &str, arn: impl TargetArn) -> Self {
        let arn = arn.target_arn();
        let what = match arn.literal_json() {
            Some(serde_json::Value::String(s)) => format!("{noun} `{}`", s.escape_debug()),
            _ => format!("the {noun} given by ARN"),
        };
        Target {
            what,
            arn,
            key: None,
            resource: None,
            key_given: false,
        }
    }

    /// A resource of this stack: named by its logical ID in messages. Grants on it
    /// cover the customer-managed KMS key its properties name at grant time (read from
    /// the stack), unless the key is given with [`Target::encrypted_with`].
    pub fn of(noun: &str, handle: &impl Handle, arn: impl IntoValue<Str>) -> Self {
        Target {
            what: [noun, " `", handle.resource_ref().logical_id(), "`"].concat(),
            arn: arn.into_value(),
            key: None,
            resource: Some(handle.resource_ref().clone()),
            key_given: false,
        }
    }

    /// Encrypted with `key`, a KMS key in any form the resource takes (`Some(key.arn().into())`;
    /// `None`: no such key): grants on the target cover it by its ARN (what each form
    /// grants: [`grants::key`](super::key)), and the target's properties are not read for one.
    pub fn encrypted_with(mut self, key: Option<EncryptionKey>) -> Self {
        self.key = key;
        self.key_given = true;
        self
    }

    /// The resource of a stack the target is, if it is one (not given by ARN).
    pub fn resource(&self) -> Option<&ResourceRef> {
        self.resource.as_ref()
    }

    /// The target's ARN.
    pub fn arn(&self) -> &Value<Str> {
        &self.arn
    }

    /// The customer-managed KMS key the target was given with
    /// [`Target::encrypted_with`], if any (a target of a stack's resource without one has
    /// its key read from the stack at grant time).
    pub fn key(&self) -> Option<&EncryptionKey> {
        self.key.as_ref()
    }

    /// How messages name the target, such as "queue `Jobs`".
    pub fn what(&self) -> &str {
        &self.what
    }
}

/// What [`Target::by_arn`] takes: a value of an ARN kind (every [`ArnKind`](crate::kind::ArnKind)
/// and [`AnyArn`]), or a literal ARN as text (`&str`, `String`). IDs, names and URLs do
/// not implement it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is no ARN, so it does not name a grant's target",
    label = "an ARN is needed here",
    note = "use the handle's ARN getter (`.arn()`, or the attribute ending in `_arn`), a literal ARN as text, or `.cast::<nephos::kind::AnyArn>()` for a computed string known to be an ARN"
)]
pub trait TargetArn {
    /// The ARN as the target keeps it.
    fn target_arn(self) -> Value<Str>;
}

impl<T: IntoValue<AnyArn>> TargetArn for T {
    fn target_arn(self) -> Value<Str> {
        self.into_value().cast()
    }
}

impl TargetArn for &str {
    fn target_arn(self) -> Value<Str> {
        IntoValue::<Str>::into_value(self)
    }
}

impl TargetArn for String {
    fn target_arn(self) -> Value<Str> {
        IntoValue::<Str>::into_value(self)
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
    "kinesis" crate::kinesis::StreamHandle => "stream",
}

/// A secret's `Ref` is its ARN.
#[cfg(feature = "secretsmanager")]
impl From<&crate::secretsmanager::SecretHandle> for Target {
    fn from(handle: &crate::secretsmanager::SecretHandle) -> Self {
        Target::of("secret", handle, handle.id())
    }
}
