//! [`Value<K>`]: a literal or an intrinsic expression whose result is of kind `K`.

use std::marker::PhantomData;

use crate::value::expr::Expr;
use crate::value::kind::{
    Any, AnyArn, ArnKind, Bool, Int, Json, Kind, List, Map, Num, NumericString, Str, TypedString,
};

/// A CloudFormation value of kind `K`: either a literal, checked at synth, or an
/// intrinsic function whose result CloudFormation computes at deploy (recorded as deferred).
///
/// ```
/// use nephos::{Value, kind::Str};
/// let literal: Value<Str> = "hello".into();
/// assert!(literal.is_literal());
/// assert_eq!(literal.to_json(), serde_json::json!("hello"));
/// ```
pub struct Value<K> {
    pub(crate) expr: Expr,
    kind: PhantomData<fn() -> K>,
}

impl<K> Clone for Value<K> {
    fn clone(&self) -> Self {
        Value::from_expr(self.expr.clone())
    }
}

impl<K> std::fmt::Debug for Value<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Value({})", self.expr.to_json())
    }
}

impl<K> PartialEq for Value<K> {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

/// How deep a value may be built before it is replaced by an invalid one (see
/// [`Value::from_expr`]): far above the template's own limit, far below what overflows a
/// thread's stack when the value is walked or dropped.
const MAX_BUILD_DEPTH: usize = 1_000;

impl<K> Value<K> {
    pub(crate) fn from_expr(expr: Expr) -> Self {
        // Every pass over a value, and dropping it, recurses per level: a value built far
        // deeper than any template may be (synth refuses more than 128 levels) would
        // overflow the thread's stack and abort. Past this bound the value is replaced by
        // an invalid one, reported at synth with the resource and property it reaches.
        let expr = if expr.nests_deeper_than(MAX_BUILD_DEPTH) {
            Expr::Invalid(
                format!(
                    "the value is nested more than {MAX_BUILD_DEPTH} intrinsics and containers deep; a template may nest at most 128"
                ),
                "build the value flatter (a list of parts instead of nested joins or conditions)"
                    .to_string(),
            )
        } else {
            expr
        };
        Value {
            expr,
            kind: PhantomData,
        }
    }

    /// Whether this is a literal (checked at synth) rather than computed at deploy.
    pub fn is_literal(&self) -> bool {
        self.literal_json().is_some()
    }

    /// The literal JSON, when the value has no intrinsic anywhere inside it.
    pub fn literal_json(&self) -> Option<serde_json::Value> {
        let mut computed = false;
        self.expr.walk(&mut |e| {
            computed |= e.intrinsic_name().is_some() || matches!(e, Expr::Invalid(..))
        });
        (!computed).then(|| self.expr.to_json())
    }

    /// The literal string, when the value is one (not computed at deploy): what a
    /// construct checks a name or an ID against the service's rules with.
    ///
    /// ```
    /// use nephos::{Value, kind::Str};
    /// let name: Value<Str> = "jobs".into();
    /// assert_eq!(name.literal_str(), Some("jobs"));
    /// assert_eq!(nephos::aws::stack_name().literal_str(), None);
    /// ```
    pub fn literal_str(&self) -> Option<&str> {
        match &self.expr {
            Expr::Lit(serde_json::Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The CloudFormation JSON of this value.
    pub fn to_json(&self) -> serde_json::Value {
        self.expr.to_json()
    }

    /// `Ref: AWS::NoValue`: removes the property it is given to (use inside `Fn::If`).
    pub fn no_value() -> Self {
        Value::from_expr(Expr::NoValue)
    }

    /// Forgets the kind: for raw properties and `Fn::Sub` variables.
    pub fn into_any(self) -> Value<Any> {
        Value::from_expr(self.expr)
    }

    /// The same value, given the kind `K2`: the explicit way to say what the type system
    /// cannot know, such as that an SQS queue ARN is what a property typed as a plain
    /// string wants, that a computed `Fn::Sub` is a function name, or that a JSON document
    /// built whole has the shape of a generated property type.
    ///
    /// It is sound when the value CloudFormation computes really is a `K2`; nothing is
    /// converted and nothing is checked here: a cast does not test a literal against
    /// `K2`'s shape (that is what [`Value::literal`] does for a typed string kind), and
    /// a computed value cannot be tested before deploy. What synth still checks is a
    /// literal against the schema of the property it is finally given to (its pattern,
    /// length, enum); the rest is left to cfn-lint and CloudFormation.
    ///
    /// ```
    /// use nephos::{Value, kind::Str};
    /// nephos::typed_string_kind!(QueueArn, "AWS::SQS::Queue.Arn");
    /// let arn: Value<QueueArn> = Value::literal("arn:aws:sqs:eu-west-1:123456789012:jobs");
    /// let source: Value<Str> = arn.clone().cast();
    /// assert_eq!(source.to_json(), arn.to_json());
    /// ```
    pub fn cast<K2>(self) -> Value<K2> {
        Value::from_expr(self.expr)
    }
}

impl Value<Any> {
    /// A JSON object from entries known only when the program runs (the [`value!`]
    /// macro takes keys written in the source): such as response headers a user lists.
    /// Keys are sorted, as in every object nephos writes.
    ///
    /// ```
    /// use nephos::{IntoValue, Value, kind::Any};
    /// let headers: [(&str, Value<Any>); 1] = [("X-A", "1".into_value())];
    /// let v = Value::object(headers.iter().map(|(k, v)| (*k, v.clone())));
    /// assert_eq!(v.to_json(), serde_json::json!({"X-A": "1"}));
    /// ```
    ///
    /// [`value!`]: crate::value!
    pub fn object<'a>(entries: impl IntoIterator<Item = (&'a str, Value<Any>)>) -> Value<Any> {
        crate::value::object::object_value(entries.into_iter().collect())
    }
}

impl<K: TypedString> Value<K> {
    /// A literal of a typed string kind, such as an ARN of a role that lives outside this
    /// app. Writing it out is the explicit mark that no handle stands behind it.
    ///
    /// The text is checked against the kind's shape: the `pattern` its attribute has in the
    /// registry schema; else for a resource's own ARN the service and resource prefix of its
    /// ARN template in the AWS service spec (a role's ARN is `arn:partition:iam::account:role/...`,
    /// so a user's or a policy's ARN is refused); else the prefix (`subnet-`) or, for an ARN kind, the ARN service
    /// (`arn:partition:kms:...`) that the patterns of the properties taking the kind agree
    /// on; else for an ARN kind the ARN syntax
    /// (`arn:partition:service:region:account-id:resource`); for a union, any member's.
    /// Where cfn-lint checks the format with a pattern of its own (rules E1150-E1164: VPC,
    /// subnet, security group and AMI IDs, KMS key IDs and ARNs...), the text must fit it too.
    /// Text that fits none is refused at synth, naming the resource, the property, the
    /// kind and the shape it expected. A kind with no shape in the data takes any text.
    ///
    /// ```
    /// use nephos::Value;
    /// nephos::typed_string_kind!(RoleArn, "AWS::IAM::Role.Arn");
    /// let role: Value<RoleArn> = Value::literal("arn:aws:iam::123456789012:role/ops");
    /// assert!(role.is_literal());
    /// ```
    pub fn literal(text: impl Into<String>) -> Self {
        let text = text.into();
        if <K as AnyText>::TAKES_ANY_TEXT {
            return Value::from_expr(Expr::Lit(serde_json::Value::String(text)));
        }
        // The kind's own name, for a message only: found when one is written.
        let rust_name = || std::any::type_name::<K>().rsplit("::").next().unwrap_or("");
        match crate::value::shape::check(K::NAME, rust_name, &text) {
            Ok(()) => Value::from_expr(Expr::Lit(serde_json::Value::String(text))),
            Err((message, fix)) => Value::from_expr(Expr::Invalid(message, fix)),
        }
    }
}

/// Whether the shape check takes any text for a kind (see `shape::takes_any_text`),
/// worked out once per kind when the crate is compiled.
trait AnyText {
    const TAKES_ANY_TEXT: bool;
}

impl<K: Kind> AnyText for K {
    const TAKES_ANY_TEXT: bool = crate::value::shape::takes_any_text(K::NAME);
}

/// Conversion into a [`Value`] of kind `K`. Property setters take `impl IntoValue<K>`, so
/// a literal of the right Rust type, a value of the right kind, or a parameter can be given.
///
/// ```
/// use nephos::{IntoValue, Value, kind::{Int, List, Str}};
/// let n: Value<Int> = 30.into_value();
/// let names: Value<List<Str>> = vec!["a", "b"].into_value();
/// assert_eq!(names.to_json(), serde_json::json!(["a", "b"]));
/// assert_eq!(n.to_json(), serde_json::json!(30));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value of kind `{K}`",
    label = "a value of kind `{K}` is needed here",
    note = "each getter of a handle gives one kind (`.reference()` for `Ref`, `.id()`, `.arn()`, `.name()`...): use the one of kind `{K}`",
    note = "for a resource outside this app, write its value as `nephos::Value::<{K}>::literal(\"...\")`; a value of another kind that really is a `{K}` converts with `.cast::<{K}>()`"
)]
pub trait IntoValue<K> {
    /// Performs the conversion.
    fn into_value(self) -> Value<K>;
}

impl<K: Kind> IntoValue<K> for Value<K> {
    fn into_value(self) -> Value<K> {
        self
    }
}

impl<K: Kind> IntoValue<K> for &Value<K> {
    fn into_value(self) -> Value<K> {
        self.clone()
    }
}

impl<K: TypedString> IntoValue<Str> for Value<K> {
    fn into_value(self) -> Value<Str> {
        Value::from_expr(self.expr)
    }
}

impl<K: TypedString> IntoValue<Str> for &Value<K> {
    fn into_value(self) -> Value<Str> {
        Value::from_expr(self.expr.clone())
    }
}

impl<K: ArnKind> IntoValue<AnyArn> for Value<K> {
    fn into_value(self) -> Value<AnyArn> {
        Value::from_expr(self.expr)
    }
}

impl<K: ArnKind> IntoValue<AnyArn> for &Value<K> {
    fn into_value(self) -> Value<AnyArn> {
        Value::from_expr(self.expr.clone())
    }
}

impl<K: Kind> IntoValue<Any> for Value<K> {
    fn into_value(self) -> Value<Any> {
        Value::from_expr(self.expr)
    }
}

impl<K: Kind> IntoValue<Any> for &Value<K> {
    fn into_value(self) -> Value<Any> {
        Value::from_expr(self.expr.clone())
    }
}

impl IntoValue<Any> for Value<Any> {
    fn into_value(self) -> Value<Any> {
        self
    }
}

impl<K: Kind> From<Value<K>> for Value<Any> {
    fn from(v: Value<K>) -> Self {
        Value::from_expr(v.expr)
    }
}

fn lit<K>(v: serde_json::Value) -> Value<K> {
    Value::from_expr(Expr::Lit(v))
}

macro_rules! literal_into {
    ($kind:ty: $($t:ty),*) => {$(
        impl IntoValue<$kind> for $t {
            fn into_value(self) -> Value<$kind> {
                lit(serde_json::Value::from(self))
            }
        }
        impl From<$t> for Value<$kind> {
            fn from(v: $t) -> Self {
                lit(serde_json::Value::from(v))
            }
        }
        impl IntoValue<Any> for $t {
            fn into_value(self) -> Value<Any> {
                lit(serde_json::Value::from(self))
            }
        }
    )*};
}
literal_into!(Str: &str, String);
literal_into!(Int: i32, i64, u32, u16, u8);
literal_into!(Bool: bool);

/// A number as a literal; NaN and the infinities, which JSON cannot carry (serde_json
/// would write `null`), become a value reported at synth with the resource and property.
fn number(n: f64) -> Expr {
    if n.is_finite() {
        Expr::Lit(serde_json::Value::from(n))
    } else {
        Expr::Invalid(
            format!(
                "the number is {n}; CloudFormation numbers must be finite (JSON has no NaN or infinity)"
            ),
            "compute a finite value (check for a zero divisor or an overflow before passing it)"
                .into(),
        )
    }
}

impl IntoValue<Num> for f64 {
    fn into_value(self) -> Value<Num> {
        Value::from_expr(number(self))
    }
}
impl From<f64> for Value<Num> {
    fn from(v: f64) -> Self {
        Value::from_expr(number(v))
    }
}
impl IntoValue<Any> for f64 {
    fn into_value(self) -> Value<Any> {
        Value::from_expr(number(self))
    }
}

impl IntoValue<Str> for &String {
    fn into_value(self) -> Value<Str> {
        lit(serde_json::Value::String(self.clone()))
    }
}

macro_rules! num_from_int {
    ($($t:ty),*) => {$(
        impl IntoValue<Num> for $t {
            fn into_value(self) -> Value<Num> {
                lit(serde_json::Value::from(self))
            }
        }
    )*};
}
num_from_int!(i32, i64, u32);

impl IntoValue<Num> for Value<Int> {
    fn into_value(self) -> Value<Num> {
        Value::from_expr(self.expr)
    }
}

impl<K: NumericString> IntoValue<Int> for Value<K> {
    fn into_value(self) -> Value<Int> {
        Value::from_expr(self.expr)
    }
}

impl<K: NumericString> IntoValue<Int> for &Value<K> {
    fn into_value(self) -> Value<Int> {
        Value::from_expr(self.expr.clone())
    }
}

impl IntoValue<Json> for serde_json::Value {
    fn into_value(self) -> Value<Json> {
        lit(self)
    }
}

impl IntoValue<Any> for serde_json::Value {
    fn into_value(self) -> Value<Any> {
        lit(self)
    }
}

impl<K: Kind, T: IntoValue<K>> IntoValue<List<K>> for Vec<T> {
    fn into_value(self) -> Value<List<K>> {
        Value::from_expr(Expr::Array(
            self.into_iter().map(|v| v.into_value().expr).collect(),
        ))
    }
}

impl<K: Kind, T: IntoValue<K>, const N: usize> IntoValue<List<K>> for [T; N] {
    fn into_value(self) -> Value<List<K>> {
        Value::from_expr(Expr::Array(
            self.into_iter().map(|v| v.into_value().expr).collect(),
        ))
    }
}

impl<K: Kind, T: IntoValue<K>> IntoValue<Map<K>> for std::collections::BTreeMap<String, T> {
    fn into_value(self) -> Value<Map<K>> {
        Value::from_expr(Expr::Object(
            self.into_iter()
                .map(|(k, v)| (k, v.into_value().expr))
                .collect(),
        ))
    }
}

impl<K: Kind, T: IntoValue<K>, const N: usize> IntoValue<Map<K>> for [(&str, T); N] {
    fn into_value(self) -> Value<Map<K>> {
        Value::from_expr(Expr::Object(
            self.into_iter()
                .map(|(k, v)| (k.to_string(), v.into_value().expr))
                .collect(),
        ))
    }
}
