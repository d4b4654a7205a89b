//! [`Target`]: what a grant is on, keyed on its ARN, so the same grant works for a
//! construct, a generated handle, and a resource imported by ARN.

use std::marker::PhantomData;

use crate::constructs::grants::EncryptionKey;
use crate::kind::{AnyArn, Kind, Str};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

pub mod on {
    //! The resource types grants are on: the `F` of a [`Target<F>`](super::Target). A grant
    //! family takes the targets of its type only (`grants::queue::send` a
    //! `Target<on::Queue>`), so a topic's ARN given as a queue does not compile.
    //!
    //! Each type names the ARN kind of its resources ([`Resource::Arn`]): a value of that
    //! kind (a handle's `.arn()`, an imported resource's ARN) makes a target of the type.
    //! A value of [`AnyArn`](crate::kind::AnyArn), a computed string explicitly cast to an
    //! ARN, makes a target of any type: the cast is the user's word that it is one (it is
    //! not checked). A literal ARN (text, or a literal `AnyArn`) is checked when granted:
    //! its service and resource prefix must be those of the type's ARN template in the AWS
    //! service spec (`kinds::OWN_ARN_SHAPES`), else the grant is a synth error naming it.

    use crate::kind::TypedString;

    /// A resource type grants are on. Implemented by the marker types of this module.
    pub trait Resource: 'static {
        /// The kind of such a resource's ARN, such as [`SqsQueueArn`](crate::kinds::SqsQueueArn).
        type Arn: TypedString;
        /// How messages name the type ("queue").
        const NOUN: &'static str;
    }

    macro_rules! resources {
        ($($(#[$doc:meta])* $name:ident => $arn:ident $(+ $also:ident)*, $noun:literal;)*) => {$(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub enum $name {}
            impl Resource for $name {
                type Arn = crate::kinds::$arn;
                const NOUN: &'static str = $noun;
            }
            impl super::TargetArn<$name> for crate::value::value::Value<crate::kinds::$arn> {
                fn target_arn(self) -> crate::value::value::Value<crate::kind::Str> {
                    self.cast()
                }
            }
            impl super::TargetArn<$name> for &crate::value::value::Value<crate::kinds::$arn> {
                fn target_arn(self) -> crate::value::value::Value<crate::kind::Str> {
                    self.clone().cast()
                }
            }
            $(
            impl super::TargetArn<$name> for crate::value::value::Value<crate::kinds::$also> {
                fn target_arn(self) -> crate::value::value::Value<crate::kind::Str> {
                    self.cast()
                }
            }
            impl super::TargetArn<$name> for &crate::value::value::Value<crate::kinds::$also> {
                fn target_arn(self) -> crate::value::value::Value<crate::kind::Str> {
                    self.clone().cast()
                }
            }
            )*
        )*};
    }

    resources! {
        /// An SQS queue (`grants::queue`).
        Queue => SqsQueueArn, "queue";
        /// An SNS topic (`grants::topic`).
        Topic => SnsTopicArn, "topic";
        /// An S3 bucket (`grants::bucket`, a distributed map's bucket).
        Bucket => S3BucketArn, "bucket";
        /// A DynamoDB table (`grants::table`).
        Table => DynamoDbTableArn, "table";
        /// A Kinesis data stream (`grants::kinesis`).
        Stream => KinesisStreamArn, "stream";
        /// A Secrets Manager secret (`grants::secret`); a secret a service manages (an RDS
        /// master user secret) is one by its `SecretsManagerSecretArn` attribute.
        Secret => SecretsManagerSecretArn, "secret";
        /// An SSM Parameter Store parameter (`grants::parameter`).
        Parameter => SsmParameterArn, "parameter";
        /// A Lambda function, or a version or alias of one (`grants::function`): a
        /// version's ARN is a `LambdaVersionFunctionArn`.
        Function => LambdaFunctionArn + LambdaVersionFunctionArn, "function";
        /// A Step Functions state machine (`grants::state_machine`).
        StateMachine => StepFunctionsStateMachineArn, "state machine";
        /// An EventBridge event bus (a function's asynchronous-invocation destination).
        EventBus => EventsEventBusArn, "event bus";
        /// A KMS key.
        Key => KmsKeyArn, "key";
    }

    /// A target of some type, as [`Target::untyped`](super::Target::untyped) makes it: for
    /// code that holds targets of several types for what they share (their ARN, their KMS
    /// key: a role's use of a key through a service). No grant family takes it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Any {}
    impl Resource for Any {
        type Arn = crate::kind::AnyArn;
        const NOUN: &'static str = "resource";
    }
}

/// A resource grants are on: its ARN, the customer-managed KMS key that encrypts it (so
/// grants on it cover the key, used only through the resource's service), and how
/// messages name it. `F` is its resource type ([`on`]): each grant family takes the
/// targets of its type only.
#[derive(Clone, Debug, PartialEq)]
pub struct Target<F: on::Resource> {
    pub(crate) what: String,
    pub(crate) arn: Value<Str>,
    pub(crate) key: Option<EncryptionKey>,
    /// The resource of a stack the target is, whose key is read from its properties at
    /// grant time unless given with [`Target::encrypted_with`].
    pub(crate) resource: Option<ResourceRef>,
    /// The key was given (possibly as none), so it is not read from the stack.
    pub(crate) key_given: bool,
    pub(crate) of: PhantomData<fn() -> F>,
}

impl<F: on::Resource> Target<F> {
    /// A resource known by ARN (of another stack, or of outside any stack); `noun` names
    /// its type in messages ("queue").
    ///
    /// `arn` is a value of the ARN kind of `F` (a handle's `.arn()`, an imported ARN: a
    /// `Value<SqsQueueArn>` for a queue), a `Value<AnyArn>`, or a literal ARN written as
    /// text; a value of another kind does not compile, so a queue's URL, a function's name
    /// or a topic's ARN cannot stand for a queue's ARN (IAM refuses a policy whose
    /// `Resource` is no ARN; a grant on another resource's ARN allows nothing). A computed
    /// plain string is made an ARN explicitly with `.cast::<nephos::kind::AnyArn>()`, and is
    /// then taken for any type unchecked. A literal ARN whose service and resource prefix
    /// are not `F`'s (`arn:aws:sns:...` as a queue) is a synth error naming the grant,
    /// which then grants nothing ([`on`]).
    ///
    /// ```compile_fail
    /// use nephos::constructs::grants::{self, Target};
    /// use nephos::constructs::{Code, Function, Runtime};
    /// let mut stack = nephos::Stack::new("App");
    /// let f = stack.add("F", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
    /// let q = stack.add("Q", nephos::sqs::Queue::new());
    /// grants::queue::send(&mut stack, &f, &Target::by_arn("queue", q.url())); // a URL is no ARN
    /// ```
    ///
    /// ```
    /// use nephos::constructs::grants::{Target, on};
    /// let mut stack = nephos::Stack::new("App");
    /// let q = stack.add("Q", nephos::sqs::Queue::new());
    /// let _: Target<on::Queue> = Target::by_arn("queue", q.arn());
    /// let _: Target<on::Queue> = Target::by_arn("queue", "arn:aws:sqs:eu-west-1:123456789012:jobs");
    /// ```
    pub fn by_arn(noun: &str, arn: impl TargetArn<F>) -> Self {
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
            of: PhantomData,
        }
    }

    /// A resource of this stack: named by its logical ID in messages. Grants on it
    /// cover the customer-managed KMS key its properties name at grant time (read from
    /// the stack), unless the key is given with [`Target::encrypted_with`]. `arn` is
    /// as for [`Target::by_arn`].
    pub fn of(noun: &str, handle: &impl Handle, arn: impl TargetArn<F>) -> Self {
        Target {
            what: [noun, " `", handle.resource_ref().logical_id(), "`"].concat(),
            arn: arn.target_arn(),
            key: None,
            resource: Some(handle.resource_ref().clone()),
            key_given: false,
            of: PhantomData,
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

    /// The same target as an [`on::Any`], for code that holds targets of several types
    /// for their ARN and key ([`grants::key::cover`](super::key::cover) takes one); no
    /// grant family takes it, so it cannot turn one type's target into another's.
    pub fn untyped(&self) -> Target<on::Any> {
        Target {
            what: self.what.clone(),
            arn: self.arn.clone(),
            key: self.key.clone(),
            resource: self.resource.clone(),
            key_given: self.key_given,
            of: PhantomData,
        }
    }

    /// Why the target's literal ARN names no resource of type `F`: its service and
    /// resource prefix are not those of `F`'s ARN template in the AWS service spec
    /// (`kinds::OWN_ARN_SHAPES`). `None` for a computed ARN, a dynamic reference, one that
    /// fits, or a type the data has no shape for (no evidence).
    pub fn mismatch(&self) -> Option<String> {
        let text = self.arn.literal_str()?;
        // An empty ARN is refused where it lands (the policy's resource), as before.
        if text.is_empty() || crate::value::dynamic_reference::contains(text) {
            return None;
        }
        let format = <F::Arn as Kind>::NAME;
        let pattern = own_arn_shape(format)?;
        let fits = fancy_regex::Regex::new(pattern).ok()?.is_match(text).ok()?;
        (!fits).then(|| {
            format!(
                "`{}` is no {}'s ARN: the ARN of an `{}` matches `{pattern}` (its ARN template in the AWS service spec)",
                text.escape_debug(),
                F::NOUN,
                format.split_once('.').map_or(format, |(t, _)| t),
            )
        })
    }

    /// Reports [`Target::mismatch`] as a synth error naming the grant (`purpose`) and the
    /// grantee, and returns whether it did: each grant family calls it first and grants
    /// nothing on a target that names another type's resource.
    pub fn refuse_mismatch(&self, stack: &mut Stack, grantee: &str, purpose: &str) -> bool {
        let Some(why) = self.mismatch() else {
            return false;
        };
        stack.problem(crate::Diagnostic::error(
            crate::diagnostic::Location::stack(),
            format!("{grantee} cannot receive {purpose} on {}: {why}", self.what),
            format!(
                "give the {}'s own ARN (its handle's `.arn()`, or a literal `arn:partition:service:region:account:...` of that type), or use the grants of the resource the ARN names",
                F::NOUN
            ),
        ));
        true
    }
}

/// The own-ARN shape of `format` in `kinds::OWN_ARN_SHAPES`.
fn own_arn_shape(format: &str) -> Option<&'static str> {
    use crate::generated::kinds::{OWN_ARN_SHAPES, OWN_ARN_SHAPES_TEXT};
    OWN_ARN_SHAPES
        .binary_search_by(|row| {
            crate::table_text::bytes(OWN_ARN_SHAPES_TEXT, row[0]).cmp(format.as_bytes())
        })
        .ok()
        .map(|i| crate::table_text::span(OWN_ARN_SHAPES_TEXT, OWN_ARN_SHAPES[i][1]))
}

/// What [`Target::by_arn`] and [`Target::of`] take for a target of type `F`: a value of
/// `F`'s ARN kind ([`on::Resource::Arn`]), a [`Value<AnyArn>`] (an explicit cast, taken
/// for any type), or a literal ARN as text (`&str`, `String`; checked when granted). IDs,
/// names, URLs and other resources' ARNs do not implement it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is no ARN of this grant's resource type, so it does not name its target",
    label = "the ARN of the grant's resource type is needed here",
    note = "use the ARN getter of a handle of the resource type the grant is on (`.arn()`, or the attribute ending in `_arn`), a literal ARN as text, or `.cast::<nephos::kind::AnyArn>()` for a computed string known to be such an ARN"
)]
pub trait TargetArn<F: on::Resource> {
    /// The ARN as the target keeps it.
    fn target_arn(self) -> Value<Str>;
}

impl<F: on::Resource> TargetArn<F> for Value<AnyArn> {
    fn target_arn(self) -> Value<Str> {
        self.cast()
    }
}

impl<F: on::Resource> TargetArn<F> for &Value<AnyArn> {
    fn target_arn(self) -> Value<Str> {
        self.clone().cast()
    }
}

impl<F: on::Resource> TargetArn<F> for &str {
    fn target_arn(self) -> Value<Str> {
        IntoValue::<Str>::into_value(self)
    }
}

impl<F: on::Resource> TargetArn<F> for String {
    fn target_arn(self) -> Value<Str> {
        IntoValue::<Str>::into_value(self)
    }
}

/// `Target::from(&handle)` for the generated handle of each resource type grants are
/// on: the noun messages name it by, and its `Arn` attribute.
macro_rules! target_from_handle {
    ($($feature:literal $handle:ty => $of:ident $noun:literal),* $(,)?) => {$(
        #[cfg(feature = $feature)]
        impl From<&$handle> for Target<on::$of> {
            fn from(handle: &$handle) -> Self {
                Target::of($noun, handle, handle.arn())
            }
        }
    )*};
}

target_from_handle! {
    "s3" crate::s3::BucketHandle => Bucket "bucket",
    "lambda" crate::lambda::FunctionHandle => Function "function",
    "sqs" crate::sqs::QueueHandle => Queue "queue",
    "sns" crate::sns::TopicHandle => Topic "topic",
    "dynamodb" crate::dynamodb::TableHandle => Table "table",
    "kinesis" crate::kinesis::StreamHandle => Stream "stream",
}

/// A secret's `Ref` is its ARN.
#[cfg(feature = "secretsmanager")]
impl From<&crate::secretsmanager::SecretHandle> for Target<on::Secret> {
    fn from(handle: &crate::secretsmanager::SecretHandle) -> Self {
        Target::of("secret", handle, handle.id())
    }
}
