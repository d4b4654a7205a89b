//! The intrinsic functions that compute values, typed by what they return.

use crate::value::expr::Expr;
use crate::value::kind::{Any, Int, Kind, List, Str};
use crate::value::value::{IntoValue, Value};

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

/// `Fn::Select`: the item at `index` of a list (of any kind).
///
/// ```
/// let az = nephos::select(0, nephos::get_azs(""));
/// assert_eq!(az.to_json(), serde_json::json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
/// ```
pub fn select<K: Kind>(index: impl IntoValue<Int>, list: impl IntoValue<List<K>>) -> Value<K> {
    Value::from_expr(Expr::Select(boxed(index), boxed(list)))
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
///
/// ```
/// let blocks = nephos::cidr("10.0.0.0/16", 4, 8);
/// assert_eq!(blocks.to_json(), serde_json::json!({"Fn::Cidr": ["10.0.0.0/16", 4, 8]}));
/// ```
pub fn cidr(
    ip_block: impl IntoValue<Str>,
    count: impl IntoValue<Int>,
    cidr_bits: impl IntoValue<Int>,
) -> Value<List<Str>> {
    Value::from_expr(Expr::Cidr(boxed(ip_block), boxed(count), boxed(cidr_bits)))
}

/// `Fn::ImportValue`: a value exported by another stack, of the kind the caller expects.
/// Prefer [`Stack::import`](crate::Stack::import) for outputs of stacks in the same app:
/// it also orders the deploy.
///
/// ```
/// use nephos::{Value, kind::Str};
/// let v: Value<Str> = nephos::import_value("shared-vpc-id");
/// assert_eq!(v.to_json(), serde_json::json!({"Fn::ImportValue": "shared-vpc-id"}));
/// ```
pub fn import_value<K: Kind>(export_name: impl IntoValue<Str>) -> Value<K> {
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
