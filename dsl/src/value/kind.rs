//! Kinds: what a value *is*, beyond its Rust type.
//!
//! A [`Value<K>`](crate::Value) carries a phantom kind `K`. Plain kinds ([`Str`], [`Int`],
//! [`Num`], [`Bool`], [`Json`], [`List`], [`Map`]) accept literals directly; *typed string*
//! kinds (the ARN of a role, the name of a bucket, the URL of a queue, ...) are string-shaped
//! but distinct, so one cannot be wired where another belongs. Any typed string still goes
//! where a plain [`Str`] is expected.

use std::marker::PhantomData;

/// A kind of CloudFormation value. Implemented by marker types only.
pub trait Kind: 'static {
    /// How error messages name this kind, such as `string` or `AWS::IAM::Role.Arn`.
    const NAME: &'static str;
}

/// A string-shaped kind with a meaning of its own (an ARN, a name, an id, a URL...).
///
/// Values of a typed string kind come from the getters of resource handles, from
/// parameters and imports, or from [`Value::literal`](crate::Value::literal); a bare `&str`
/// is not accepted, so a literal is always a deliberate choice.
pub trait TypedString: Kind {}

/// A typed string kind whose values are ARNs (`IamRoleArn`, `SqsQueueArn`, a union of ARN
/// kinds such as `CertificateManagerCertificateArnOrIamServerCertificateArn`). The generator implements it
/// for every kind whose attribute name ends in `Arn` (`dsl/codegen/src/any_arn.rs`), so a
/// value of any of them converts into [`AnyArn`]; IDs, names and URLs do not, nor does a log
/// group's `Arn`, which ends with `:*` (`SUFFIXED_ARNS` there).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is no ARN kind, so it does not go where any resource's ARN (`AnyArn`) is needed",
    label = "an ARN is needed here",
    note = "use the handle's ARN getter (`.arn()`, or the attribute ending in `_arn`); an ARN no getter gives is written as `nephos::Value::<nephos::kind::AnyArn>::literal(\"arn:...\")`",
    note = "a log group's `arn()` (`LogsLogGroupArn`) ends with `:*` and is no plain ARN; build its plain ARN as `nephos::sub(\"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:${{name}}\", [(\"name\", group.name().into_any())]).cast::<nephos::kind::AnyArn>()`"
)]
pub trait ArnKind: TypedString {}

/// A typed string kind whose values are port numbers written as text: the registry
/// schemas type some port attributes `string` (`AWS::RDS::DBInstance` `Endpoint.Port`,
/// Neptune's and DocumentDB instances' `Port`, ElastiCache's endpoint ports) where the
/// service returns a number. CloudFormation converts a numeric string where an integer is
/// needed (AWS's sample templates write `FromPort: !GetAtt MyDB.Endpoint.Port`), so a value
/// of such a kind goes where an [`Int`] is needed: a security group rule's `FromPort`. The
/// generator marks every string attribute named `...Port` (`dsl/codegen/src/numeric_strings.rs`);
/// no other string kind converts into [`Int`]: `ingress.from_port(db.endpoint_port())`.
///
/// As for [`Str`], [`Num`] and [`AnyArn`], a value whose kind is left to inference
/// (`Value::no_value()` in an `Fn::If` of integers) then needs its kind written:
/// `Value::<Int>::no_value()`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is no port number, so it does not go where an integer is needed",
    label = "an integer is needed here",
    note = "only a port attribute the schema types as a string (`endpoint_port()`) converts into an integer; a value that really is a number converts with `.cast::<nephos::kind::Int>()`"
)]
pub trait NumericString: TypedString {}

/// Any resource's ARN, of any service: what a property takes when the service accepts the
/// ARN of many kinds of resource (an EventBridge rule target, a Lambda permission's source,
/// an IAM policy statement's resource). Every [`ArnKind`] converts into it; an ID or a name
/// does not compile there. An ARN no getter gives (a partition-wide ARN, a wildcard) is
/// written as `Value::<AnyArn>::literal(...)`.
///
/// ```
/// use nephos::{IntoValue, Value, kind::AnyArn, kinds::SqsQueueArn};
/// let queue: Value<SqsQueueArn> = Value::literal("arn:aws:sqs:eu-west-1:111122223333:orders");
/// let target: Value<AnyArn> = queue.into_value();
/// assert_eq!(target.to_json(), "arn:aws:sqs:eu-west-1:111122223333:orders");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyArn {}
impl Kind for AnyArn {
    const NAME: &'static str = "any ARN";
}
impl TypedString for AnyArn {}

/// A string-shaped kind: [`Str`] or any [`TypedString`]. What `Fn::ImportValue` may return,
/// since CloudFormation exports are strings (a list is exported joined, and split back with
/// [`split_as`](crate::split_as)).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is no string kind, and CloudFormation exports are strings",
    label = "a string kind is needed here",
    note = "import the string and convert it: `nephos::split_as::<K>(\",\", nephos::import_value::<nephos::kind::Str>(name))` for a list of `K`"
)]
pub trait StringKind: Kind {}
impl StringKind for Str {}
impl<K: TypedString> StringKind for K {}

/// A plain string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Str {}
impl Kind for Str {
    const NAME: &'static str = "string";
}

/// An integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Int {}
impl Kind for Int {
    const NAME: &'static str = "integer";
}

/// A number (integer or floating point).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {}
impl Kind for Num {
    const NAME: &'static str = "number";
}

/// A boolean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bool {}
impl Kind for Bool {
    const NAME: &'static str = "boolean";
}

/// Any JSON document (a property of schema type `object` without a fixed shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Json {}
impl Kind for Json {
    const NAME: &'static str = "JSON";
}

/// A list whose items are of kind `K`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct List<K>(PhantomData<K>);
impl<K: Kind> Kind for List<K> {
    const NAME: &'static str = "list";
}

/// A map from string keys to values of kind `K`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Map<K>(PhantomData<K>);
impl<K: Kind> Kind for Map<K> {
    const NAME: &'static str = "map";
}

/// Anything at all: the kind of raw properties in the escape hatch. Every value converts
/// into it; it converts into nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Any {}

/// Declares a typed string kind.
///
/// ```
/// nephos::typed_string_kind!(
///     /// The id of an order-processing pipeline, as an example of a kind of your own.
///     PipelineId, "example::Pipeline.Id"
/// );
/// use nephos::{Value, kind::Str};
/// let id: Value<PipelineId> = Value::literal("p-123");
/// let as_text: Value<Str> = nephos::IntoValue::into_value(id);
/// assert_eq!(as_text.to_json(), "p-123");
/// ```
#[macro_export]
macro_rules! typed_string_kind {
    ($(#[$meta:meta])* $name:ident, $format:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {}
        impl $crate::kind::Kind for $name {
            const NAME: &'static str = $format;
        }
        impl $crate::kind::TypedString for $name {}
    };
}
