//! Typed booleans for the Conditions section, and `Fn::If` on a declared condition.

use crate::stack::condition::Condition;
use crate::value::expr::Expr;
use crate::value::kind::{Any, Kind};
use crate::value::value::{IntoValue, Value};

/// A condition expression: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, or a declared
/// [`Condition`]. It can only be declared as a condition or nested in another one; it is
/// not a property value.
///
/// ```
/// use nephos::{Stack, Parameter, equals, not};
/// let mut stack = Stack::new("App");
/// let env = stack.parameter("Environment", Parameter::string().default("dev"));
/// let is_prod = stack.condition("IsProd", equals(&env, "prod"));
/// let not_prod = not(&is_prod);
/// assert_eq!(not_prod.to_json(), serde_json::json!({"Fn::Not": [{"Condition": "IsProd"}]}));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CondExpr {
    pub(crate) expr: Expr,
}

impl CondExpr {
    /// The CloudFormation JSON of this expression.
    pub fn to_json(&self) -> serde_json::Value {
        self.expr.to_json()
    }
}

impl From<&Condition> for CondExpr {
    fn from(c: &Condition) -> Self {
        CondExpr {
            expr: Expr::Condition(c.target.clone()),
        }
    }
}

/// `Fn::Equals`: whether two values are equal.
///
/// ```
/// let c = nephos::equals(nephos::aws::region(), "us-east-1");
/// assert_eq!(c.to_json(), serde_json::json!({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}));
/// ```
pub fn equals(a: impl IntoValue<Any>, b: impl IntoValue<Any>) -> CondExpr {
    CondExpr {
        expr: Expr::Equals(Box::new(a.into_value().expr), Box::new(b.into_value().expr)),
    }
}

/// `Fn::And`: all of 2 to 10 conditions (the count is checked at synth).
///
/// ```
/// use nephos::{and, equals};
/// let c = and([equals("a", "a"), equals("b", "b")]);
/// assert_eq!(c.to_json()["Fn::And"].as_array().unwrap().len(), 2);
/// ```
pub fn and<C: Into<CondExpr>>(conditions: impl IntoIterator<Item = C>) -> CondExpr {
    CondExpr {
        expr: Expr::And(conditions.into_iter().map(|c| c.into().expr).collect()),
    }
}

/// `Fn::Or`: any of 2 to 10 conditions (the count is checked at synth).
///
/// ```
/// use nephos::{or, equals};
/// let c = or([equals("a", "b"), equals("b", "b")]);
/// assert_eq!(c.to_json()["Fn::Or"].as_array().unwrap().len(), 2);
/// ```
pub fn or<C: Into<CondExpr>>(conditions: impl IntoIterator<Item = C>) -> CondExpr {
    CondExpr {
        expr: Expr::Or(conditions.into_iter().map(|c| c.into().expr).collect()),
    }
}

/// `Fn::Not`: the negation of a condition.
///
/// ```
/// let c = nephos::not(nephos::equals("a", "b"));
/// assert_eq!(c.to_json(), serde_json::json!({"Fn::Not": [{"Fn::Equals": ["a", "b"]}]}));
/// ```
pub fn not(condition: impl Into<CondExpr>) -> CondExpr {
    CondExpr {
        expr: Expr::Not(Box::new(condition.into().expr)),
    }
}

/// `Fn::If`: `when_true` if the declared `condition` holds, else `when_false`. Only a
/// [`Condition`] handle is accepted, so an undeclared condition cannot be named. Use
/// [`Value::no_value`] to leave a property out.
///
/// ```
/// use nephos::{Stack, Parameter, Value, equals, fn_if, kind::Int};
/// let mut stack = Stack::new("App");
/// let env = stack.parameter("Environment", Parameter::string());
/// let is_prod = stack.condition("IsProd", equals(&env, "prod"));
/// let memory: Value<Int> = fn_if(&is_prod, 1024, 256);
/// assert_eq!(memory.to_json(), serde_json::json!({"Fn::If": ["IsProd", 1024, 256]}));
/// ```
pub fn fn_if<K: Kind>(
    condition: &Condition,
    when_true: impl IntoValue<K>,
    when_false: impl IntoValue<K>,
) -> Value<K> {
    Value::from_expr(Expr::If(
        condition.target.clone(),
        Box::new(when_true.into_value().expr),
        Box::new(when_false.into_value().expr),
    ))
}
