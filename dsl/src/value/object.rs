//! The [`value!`](crate::value!) macro: JSON-shaped values with typed values inside, for
//! raw properties and policy documents.

use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;
use crate::value::kind::{Any, Json};
use crate::value::value::{IntoValue, Value};

/// Builds an object value; used by [`value!`](crate::value!).
#[doc(hidden)]
pub fn object_value(entries: Vec<(&str, Value<Any>)>) -> Value<Any> {
    let map: ExprMap = entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.expr))
        .collect();
    Value::from_expr(Expr::Object(map))
}

/// Builds a list value; used by [`value!`](crate::value!).
#[doc(hidden)]
pub fn array_value(items: Vec<Value<Any>>) -> Value<Any> {
    Value::from_expr(Expr::Array(items.into_iter().map(|v| v.expr).collect()))
}

impl IntoValue<Json> for Value<Any> {
    fn into_value(self) -> Value<Json> {
        Value::from_expr(self.expr)
    }
}

impl IntoValue<Any> for &Value<Any> {
    fn into_value(self) -> Value<Any> {
        self.clone()
    }
}

impl<T: IntoValue<Any>> IntoValue<Any> for Vec<T> {
    fn into_value(self) -> Value<Any> {
        array_value(self.into_iter().map(IntoValue::into_value).collect())
    }
}

/// A JSON-shaped value whose leaves may be typed values, references and intrinsics.
/// Objects take string-literal keys; any other expression converts through
/// [`IntoValue<Any>`](crate::IntoValue).
///
/// ```
/// use nephos::{RawResource, Stack, Value, kind::Str};
/// let mut stack = Stack::new("App");
/// let queue = stack.add("Jobs", RawResource::new("AWS::SQS::Queue"));
/// let arn: Value<Str> = queue.get_att("Arn");
/// let statement = nephos::value!({
///     "Effect": "Allow",
///     "Principal": { "Service": "sns.amazonaws.com" },
///     "Action": ["sqs:SendMessage"],
///     "Resource": &arn,
/// });
/// assert_eq!(
///     statement.to_json()["Resource"],
///     serde_json::json!({"Fn::GetAtt": ["Jobs", "Arn"]})
/// );
/// ```
#[macro_export]
macro_rules! value {
    ({ $($body:tt)* }) => { $crate::__value_object!([] $($body)*) };
    ([ $($body:tt)* ]) => { $crate::__value_array!([] $($body)*) };
    ($e:expr) => { $crate::IntoValue::<$crate::kind::Any>::into_value($e) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __value_object {
    ([$($done:tt)*]) => { $crate::__object_value(vec![$($done)*]) };
    ([$($done:tt)*] $key:literal : { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $crate::__value_object!([$($done)* ($key, $crate::value!({ $($inner)* })),] $($($rest)*)?)
    };
    ([$($done:tt)*] $key:literal : [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::__value_object!([$($done)* ($key, $crate::value!([ $($inner)* ])),] $($($rest)*)?)
    };
    ([$($done:tt)*] $key:literal : $val:expr $(, $($rest:tt)*)?) => {
        $crate::__value_object!([$($done)* ($key, $crate::value!($val)),] $($($rest)*)?)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __value_array {
    ([$($done:tt)*]) => { $crate::__array_value(vec![$($done)*]) };
    ([$($done:tt)*] { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $crate::__value_array!([$($done)* $crate::value!({ $($inner)* }),] $($($rest)*)?)
    };
    ([$($done:tt)*] [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::__value_array!([$($done)* $crate::value!([ $($inner)* ]),] $($($rest)*)?)
    };
    ([$($done:tt)*] $val:expr $(, $($rest:tt)*)?) => {
        $crate::__value_array!([$($done)* $crate::value!($val),] $($($rest)*)?)
    };
}
