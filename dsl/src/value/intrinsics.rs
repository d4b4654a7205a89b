//! The intrinsic functions that compute values, typed by what they return.

use crate::stack::parameter::Param;
use crate::value::expr::Expr;
use crate::value::kind::{Any, Int, Kind, List, Str, StringKind};
use crate::value::value::{IntoValue, Value};

/// An integer argument that cannot be negative: the index of `Fn::Select`, the count and the
/// bits of `Fn::Cidr`. A literal is a `u32`, so a negative literal does not compile; a
/// computed [`Value<Int>`] or an `Int` parameter is checked at synth where it is a literal
/// (the upper bounds too: an index past a literal list, more than 256 blocks).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is no non-negative integer argument",
    label = "a `u32` literal or a `Value<Int>` is needed here",
    note = "indexes and counts of Fn::Select and Fn::Cidr cannot be negative: write a `u32` literal, or pass a `Value<Int>` or an `Int` parameter"
)]
pub trait NonNegativeInt {
    /// The argument as a value.
    fn into_int(self) -> Value<Int>;
}
impl NonNegativeInt for u32 {
    fn into_int(self) -> Value<Int> {
        self.into_value()
    }
}
impl NonNegativeInt for Value<Int> {
    fn into_int(self) -> Value<Int> {
        self
    }
}
impl NonNegativeInt for &Value<Int> {
    fn into_int(self) -> Value<Int> {
        self.clone()
    }
}
impl NonNegativeInt for &Param<Int> {
    fn into_int(self) -> Value<Int> {
        self.into_value()
    }
}

fn boxed_int(v: impl NonNegativeInt) -> Box<Expr> {
    Box::new(v.into_int().expr)
}

fn boxed<K>(v: impl IntoValue<K>) -> Box<Expr> {
    Box::new(v.into_value().expr)
}

/// `Fn::Join`: joins a list of strings with a delimiter.
///
/// ```
/// let v = nephos::join("-", vec![nephos::aws::stack_name(), "users".into()]);
/// assert_eq!(v.to_json(), serde_json::json!({"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "users"]]}));
/// ```
pub fn join(delimiter: &str, items: impl IntoValue<List<Str>>) -> Value<Str> {
    Value::from_expr(Expr::Join(delimiter.to_string(), boxed(items)))
}

/// `Fn::Select`: the item at `index` (from 0) of a list (of any kind). A negative literal
/// index does not compile; an index past the end of a literal list is a synth error.
///
/// ```
/// let az = nephos::select(0, nephos::get_azs(""));
/// assert_eq!(az.to_json(), serde_json::json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
/// ```
pub fn select<K: Kind>(index: impl NonNegativeInt, list: impl IntoValue<List<K>>) -> Value<K> {
    Value::from_expr(Expr::Select(boxed_int(index), boxed(list)))
}

/// `Fn::Split`: splits a string into a list of strings.
///
/// ```
/// let parts = nephos::split(",", "a,b");
/// assert_eq!(parts.to_json(), serde_json::json!({"Fn::Split": [",", "a,b"]}));
/// ```
pub fn split(delimiter: &str, source: impl IntoValue<Str>) -> Value<List<Str>> {
    Value::from_expr(Expr::Split(delimiter.to_string(), boxed(source)))
}

/// `Fn::Split` into a list of a string kind `K`: how a list exported by another stack (joined,
/// as every export is a string) comes back typed, such as subnet IDs for a `VpcConfig`. Like
/// [`import_value`], the caller states the kind the text holds.
///
/// ```
/// use nephos::{Value, kind::{List, Str}, kinds::Ec2SubnetId};
/// let subnets: Value<List<Ec2SubnetId>> =
///     nephos::split_as(",", nephos::import_value::<Str>("network-private-subnets"));
/// assert_eq!(
///     subnets.to_json(),
///     serde_json::json!({"Fn::Split": [",", {"Fn::ImportValue": "network-private-subnets"}]})
/// );
/// ```
pub fn split_as<K: StringKind>(delimiter: &str, source: impl IntoValue<Str>) -> Value<List<K>> {
    Value::from_expr(Expr::Split(delimiter.to_string(), boxed(source)))
}

/// `Fn::Base64`: the Base64 encoding of a string (for EC2 user data and the like).
///
/// ```
/// assert_eq!(nephos::base64("echo hi").to_json(), serde_json::json!({"Fn::Base64": "echo hi"}));
/// ```
pub fn base64(source: impl IntoValue<Str>) -> Value<Str> {
    Value::from_expr(Expr::Base64(boxed(source)))
}

/// `Fn::GetAZs`: the availability zones of a region (`""` for the stack's region).
///
/// ```
/// assert_eq!(nephos::get_azs("").to_json(), serde_json::json!({"Fn::GetAZs": ""}));
/// ```
pub fn get_azs(region: impl IntoValue<Str>) -> Value<List<Str>> {
    Value::from_expr(Expr::GetAzs(boxed(region)))
}

/// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits each, carved from `ip_block`.
/// Negative literals do not compile; literals outside CloudFormation's ranges (a count of 1
/// to 256; bits of 1 to the host bits `ip_block` leaves) are synth errors.
///
/// ```
/// let blocks = nephos::cidr("10.0.0.0/16", 4, 8);
/// assert_eq!(blocks.to_json(), serde_json::json!({"Fn::Cidr": ["10.0.0.0/16", 4, 8]}));
/// ```
pub fn cidr(
    ip_block: impl IntoValue<Str>,
    count: impl NonNegativeInt,
    cidr_bits: impl NonNegativeInt,
) -> Value<List<Str>> {
    Value::from_expr(Expr::Cidr(
        boxed(ip_block),
        boxed_int(count),
        boxed_int(cidr_bits),
    ))
}

/// `Fn::ImportValue`: a value exported by another stack, of the string kind the caller
/// expects. Exports are strings, so `K` is [`Str`] or a typed string ([`StringKind`]); a list
/// does not compile: import the joined text and [`split_as`] it. Prefer [`Stack::import`](crate::Stack::import) for outputs of stacks in the same app:
/// it also orders the deploy.
///
/// ```
/// use nephos::{Value, kind::Str};
/// let v: Value<Str> = nephos::import_value("shared-vpc-id");
/// assert_eq!(v.to_json(), serde_json::json!({"Fn::ImportValue": "shared-vpc-id"}));
/// ```
pub fn import_value<K: StringKind>(export_name: impl IntoValue<Str>) -> Value<K> {
    Value::from_expr(Expr::ImportValue(boxed(export_name)))
}

/// `Fn::Length`: the number of items in a list. Needs the `AWS::LanguageExtensions`
/// transform on the stack (checked at synth).
///
/// ```
/// let n = nephos::length::<nephos::kind::Str>(vec!["a", "b"]);
/// assert_eq!(n.to_json(), serde_json::json!({"Fn::Length": ["a", "b"]}));
/// ```
pub fn length<K: Kind>(list: impl IntoValue<List<K>>) -> Value<Int> {
    Value::from_expr(Expr::Length(boxed(list)))
}

/// `Fn::ToJsonString`: a JSON document or list as a string. Needs the
/// `AWS::LanguageExtensions` transform on the stack (checked at synth).
///
/// ```
/// let s = nephos::to_json_string(serde_json::json!({"a": 1}));
/// assert_eq!(s.to_json(), serde_json::json!({"Fn::ToJsonString": {"a": 1}}));
/// ```
pub fn to_json_string(value: impl IntoValue<Any>) -> Value<Str> {
    Value::from_expr(Expr::ToJsonString(boxed(value)))
}
