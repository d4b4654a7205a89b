//! Rules: checks on parameter values that CloudFormation runs before it creates or
//! updates anything.

use crate::value::condition::CondExpr;
use crate::value::expr::Expr;
use crate::value::kind::{Any, List, Str};
use crate::value::value::IntoValue;

/// A rule: when its condition holds (always, without one), every assertion must hold.
///
/// ```
/// use nephos::{Parameter, Rule, Stack, equals, rules};
/// let mut stack = Stack::new("App");
/// let env = stack.parameter("Environment", Parameter::string());
/// let size = stack.parameter("Size", Parameter::string());
/// stack.rule(
///     "ProdIsLarge",
///     Rule::new()
///         .when(equals(&env, "prod"))
///         .assert(rules::contains(vec!["large", "xlarge"], &size), "prod needs a large size"),
/// );
/// let t = stack.synth().unwrap();
/// assert!(t.json()["Rules"]["ProdIsLarge"]["Assertions"].is_array());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rule {
    pub(crate) condition: Option<Expr>,
    pub(crate) assertions: Vec<(Expr, Option<String>)>,
}

impl Rule {
    /// A rule with no condition and no assertion yet.
    pub fn new() -> Self {
        Rule::default()
    }

    /// Applies the rule only when `condition` holds.
    pub fn when(mut self, condition: impl Into<CondExpr>) -> Self {
        self.condition = Some(condition.into().expr);
        self
    }

    /// Adds an assertion with the message users see when it fails.
    pub fn assert(
        mut self,
        assertion: impl Into<CondExpr>,
        description: impl Into<String>,
    ) -> Self {
        self.assertions
            .push((assertion.into().expr, Some(description.into())));
        self
    }
}

/// Functions that only rules may use.
pub mod rules {
    use super::*;

    fn rule_fn(name: &'static str, args: Vec<Expr>) -> CondExpr {
        CondExpr {
            expr: Expr::RuleFn(name, args),
        }
    }

    /// `Fn::Contains`: whether `list` contains `value`.
    ///
    /// ```
    /// let c = nephos::rules::contains(vec!["a", "b"], "a");
    /// assert_eq!(c.to_json(), serde_json::json!({"Fn::Contains": [["a", "b"], "a"]}));
    /// ```
    pub fn contains(list: impl IntoValue<List<Str>>, value: impl IntoValue<Any>) -> CondExpr {
        rule_fn(
            "Fn::Contains",
            vec![list.into_value().expr, value.into_value().expr],
        )
    }

    /// `Fn::EachMemberEquals`: whether every item of `list` equals `value`.
    ///
    /// ```
    /// let c = nephos::rules::each_member_equals(vec!["a"], "a");
    /// assert_eq!(c.to_json(), serde_json::json!({"Fn::EachMemberEquals": [["a"], "a"]}));
    /// ```
    pub fn each_member_equals(
        list: impl IntoValue<List<Str>>,
        value: impl IntoValue<Any>,
    ) -> CondExpr {
        rule_fn(
            "Fn::EachMemberEquals",
            vec![list.into_value().expr, value.into_value().expr],
        )
    }

    /// `Fn::EachMemberIn`: whether every item of `list` is in `allowed`.
    ///
    /// ```
    /// let c = nephos::rules::each_member_in(vec!["a"], vec!["a", "b"]);
    /// assert_eq!(c.to_json(), serde_json::json!({"Fn::EachMemberIn": [["a"], ["a", "b"]]}));
    /// ```
    pub fn each_member_in(
        list: impl IntoValue<List<Str>>,
        allowed: impl IntoValue<List<Str>>,
    ) -> CondExpr {
        rule_fn(
            "Fn::EachMemberIn",
            vec![list.into_value().expr, allowed.into_value().expr],
        )
    }
}
