//! [`Condition`]: a Choice state's rule, typed by what it compares (a string, a number,
//! a boolean, a timestamp, or the variable's type), combined with `and`, `or`, `not`.
//! The operators are those of the Amazon States Language ("Choice Rules" in the Step
//! Functions Developer Guide).

use serde_json::{Value as J, json};

/// A Choice rule's test on the state's input. Built from the variable it reads (a
/// reference path beginning with `$`), so a number is compared only with numbers:
///
/// ```
/// use nephos::constructs::state_machine::Condition;
/// let c = Condition::and([
///     Condition::string("$.status").equals("paid"),
///     Condition::number("$.total").greater_than(100.0),
///     Condition::not(Condition::is_present("$.refund")),
/// ]);
/// assert_eq!(c.to_json()["And"][1], serde_json::json!({"Variable": "$.total", "NumericGreaterThan": 100.0}));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Condition(Rule);

#[derive(Clone, Debug, PartialEq)]
enum Rule {
    Compare {
        variable: String,
        operator: &'static str,
        value: Operand,
    },
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Text(String),
    Number(f64),
    Flag(bool),
}

/// A string variable's comparisons ([`Condition::string`]).
#[derive(Clone, Debug)]
pub struct StringVariable(String);
/// A number variable's comparisons ([`Condition::number`]).
#[derive(Clone, Debug)]
pub struct NumberVariable(String);
/// A timestamp variable's comparisons ([`Condition::timestamp`]): RFC 3339 text.
#[derive(Clone, Debug)]
pub struct TimestampVariable(String);

fn compare(variable: &str, operator: &'static str, value: Operand) -> Condition {
    Condition(Rule::Compare {
        variable: variable.to_string(),
        operator,
        value,
    })
}

impl StringVariable {
    /// Equal to `text` (`StringEquals`).
    pub fn equals(&self, text: impl Into<String>) -> Condition {
        compare(&self.0, "StringEquals", Operand::Text(text.into()))
    }
    /// Sorts before `text` (`StringLessThan`).
    pub fn less_than(&self, text: impl Into<String>) -> Condition {
        compare(&self.0, "StringLessThan", Operand::Text(text.into()))
    }
    /// Sorts after `text` (`StringGreaterThan`).
    pub fn greater_than(&self, text: impl Into<String>) -> Condition {
        compare(&self.0, "StringGreaterThan", Operand::Text(text.into()))
    }
    /// Matches `pattern`, where `*` is any text (`StringMatches`; `\*` a literal star).
    pub fn matches(&self, pattern: impl Into<String>) -> Condition {
        compare(&self.0, "StringMatches", Operand::Text(pattern.into()))
    }
}

impl NumberVariable {
    /// Equal to `n` (`NumericEquals`).
    pub fn equals(&self, n: f64) -> Condition {
        compare(&self.0, "NumericEquals", Operand::Number(n))
    }
    /// Less than `n` (`NumericLessThan`).
    pub fn less_than(&self, n: f64) -> Condition {
        compare(&self.0, "NumericLessThan", Operand::Number(n))
    }
    /// At most `n` (`NumericLessThanEquals`).
    pub fn at_most(&self, n: f64) -> Condition {
        compare(&self.0, "NumericLessThanEquals", Operand::Number(n))
    }
    /// Greater than `n` (`NumericGreaterThan`).
    pub fn greater_than(&self, n: f64) -> Condition {
        compare(&self.0, "NumericGreaterThan", Operand::Number(n))
    }
    /// At least `n` (`NumericGreaterThanEquals`).
    pub fn at_least(&self, n: f64) -> Condition {
        compare(&self.0, "NumericGreaterThanEquals", Operand::Number(n))
    }
}

impl TimestampVariable {
    /// The same instant as `rfc3339` (`TimestampEquals`).
    pub fn equals(&self, rfc3339: impl Into<String>) -> Condition {
        compare(&self.0, "TimestampEquals", Operand::Text(rfc3339.into()))
    }
    /// Before `rfc3339` (`TimestampLessThan`).
    pub fn before(&self, rfc3339: impl Into<String>) -> Condition {
        compare(&self.0, "TimestampLessThan", Operand::Text(rfc3339.into()))
    }
    /// After `rfc3339` (`TimestampGreaterThan`).
    pub fn after(&self, rfc3339: impl Into<String>) -> Condition {
        compare(
            &self.0,
            "TimestampGreaterThan",
            Operand::Text(rfc3339.into()),
        )
    }
}

impl Condition {
    /// The string at `variable` (`$.status`).
    pub fn string(variable: impl Into<String>) -> StringVariable {
        StringVariable(variable.into())
    }
    /// The number at `variable`.
    pub fn number(variable: impl Into<String>) -> NumberVariable {
        NumberVariable(variable.into())
    }
    /// The timestamp at `variable`.
    pub fn timestamp(variable: impl Into<String>) -> TimestampVariable {
        TimestampVariable(variable.into())
    }
    /// The boolean at `variable` is `value` (`BooleanEquals`).
    pub fn boolean(variable: impl Into<String>, value: bool) -> Condition {
        compare(&variable.into(), "BooleanEquals", Operand::Flag(value))
    }
    /// `variable` is in the input (`IsPresent`).
    pub fn is_present(variable: impl Into<String>) -> Condition {
        compare(&variable.into(), "IsPresent", Operand::Flag(true))
    }
    /// `variable` is JSON `null` (`IsNull`).
    pub fn is_null(variable: impl Into<String>) -> Condition {
        compare(&variable.into(), "IsNull", Operand::Flag(true))
    }
    /// `variable` is a number (`IsNumeric`).
    pub fn is_numeric(variable: impl Into<String>) -> Condition {
        compare(&variable.into(), "IsNumeric", Operand::Flag(true))
    }
    /// `variable` is a string (`IsString`).
    pub fn is_string(variable: impl Into<String>) -> Condition {
        compare(&variable.into(), "IsString", Operand::Flag(true))
    }
    /// Every condition holds (`And`; at least one).
    pub fn and(all: impl IntoIterator<Item = Condition>) -> Condition {
        Condition(Rule::And(all.into_iter().collect()))
    }
    /// Any condition holds (`Or`; at least one).
    pub fn or(any: impl IntoIterator<Item = Condition>) -> Condition {
        Condition(Rule::Or(any.into_iter().collect()))
    }
    /// The condition does not hold (`Not`).
    #[allow(clippy::should_implement_trait)]
    pub fn not(condition: Condition) -> Condition {
        Condition(Rule::Not(Box::new(condition)))
    }

    /// The rule as ASL JSON (without the `Next` a top-level rule gets).
    pub fn to_json(&self) -> J {
        match &self.0 {
            Rule::Compare {
                variable,
                operator,
                value,
            } => {
                let value = match value {
                    Operand::Text(s) => json!(s),
                    // A non-finite number is reported by `problems` (JSON has none).
                    Operand::Number(n) => json!(n),
                    Operand::Flag(b) => json!(b),
                };
                let mut rule = serde_json::Map::new();
                rule.insert("Variable".into(), json!(variable));
                rule.insert((*operator).into(), value);
                J::Object(rule)
            }
            Rule::And(all) => {
                json!({"And": all.iter().map(Condition::to_json).collect::<Vec<_>>()})
            }
            Rule::Or(any) => json!({"Or": any.iter().map(Condition::to_json).collect::<Vec<_>>()}),
            Rule::Not(c) => json!({"Not": c.to_json()}),
        }
    }

    /// What Step Functions would refuse in the rule: a variable that is not a reference
    /// path, a number JSON cannot hold, an empty `And`/`Or`.
    pub fn problems(&self, out: &mut Vec<String>) {
        match &self.0 {
            Rule::Compare {
                variable,
                operator,
                value,
            } => {
                if !variable.starts_with('$') {
                    out.push(format!(
                        "the variable `{}` of its `{operator}` rule is not a reference path beginning with `$` (such as `$.status`)",
                        variable.escape_debug()
                    ));
                }
                if let Operand::Number(n) = value
                    && !n.is_finite()
                {
                    out.push(format!(
                        "its `{operator}` rule on `{}` compares with {n}, which JSON cannot hold",
                        variable.escape_debug()
                    ));
                }
                if operator.starts_with("Timestamp")
                    && let Operand::Text(t) = value
                    && !super::flow::is_timestamp(t)
                {
                    out.push(format!(
                        "its `{operator}` rule on `{}` compares with `{}`, not an RFC 3339 timestamp (`2030-01-31T09:00:00Z`)",
                        variable.escape_debug(),
                        t.escape_debug()
                    ));
                }
            }
            Rule::And(v) | Rule::Or(v) => {
                if v.is_empty() {
                    out.push("it has an `And` or `Or` rule of no conditions".to_string());
                }
                for c in v {
                    c.problems(out);
                }
            }
            Rule::Not(c) => c.problems(out),
        }
    }
}
