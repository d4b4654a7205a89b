//! [`EventPattern`]: which events a rule matches, built from typed matchers (Amazon
//! EventBridge User Guide, "Event patterns" and "Content filtering in event patterns").
//!
//! A matcher compares with a literal or with a string computed at deploy
//! ([`MatchValue`]: `bucket.name()`, `nephos::aws::account_id()`, a parameter), so a rule
//! can match this stack's own resources. A rule's `EventPattern` is a JSON property, in
//! which CloudFormation resolves intrinsics; a Lambda event filter's pattern is a string,
//! so it takes literals only (refused otherwise, naming the field).

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use crate::kind::{Any, Str};
use crate::value::value::{IntoValue, Value};

/// What a matcher compares a field with: a literal (a string, number, Boolean or null,
/// anything `Into<serde_json::Value>`) or a string value computed at deploy (a
/// `Value<K>` taken as a string: a resource's name or ARN, `AWS::AccountId`, a
/// parameter).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Bucket, EventPattern, Match};
/// let mut stack = Stack::new("App");
/// let b = stack.add("Uploads", Bucket::new().event_bridge());
/// let p = EventPattern::new()
///     .source("aws.s3")
///     .account(nephos::aws::account_id())
///     .detail("bucket.name", Match::exact(b.name()));
/// let v = p.to_value().unwrap();
/// assert_eq!(v.to_json()["detail"]["bucket"]["name"], serde_json::json!([b.name().to_json()]));
/// assert_eq!(v.to_json()["account"], serde_json::json!([{"Ref": "AWS::AccountId"}]));
/// // A Lambda event filter's pattern is a string: literals only.
/// assert!(p.to_json().is_err());
/// ```
pub trait MatchValue {
    /// The value as the pattern holds it.
    fn match_value(self) -> Value<Any>;
}

impl<T: Into<Json>> MatchValue for T {
    fn match_value(self) -> Value<Any> {
        IntoValue::<Any>::into_value(self.into())
    }
}

impl<K> MatchValue for Value<K>
where
    Value<K>: IntoValue<Str>,
{
    fn match_value(self) -> Value<Any> {
        self.into_value().into_any()
    }
}

/// The range numeric matching works in (Amazon EventBridge User Guide, "Content
/// filtering", numeric matching: "-5.0e9 and +5.0e9 inclusive").
const NUMERIC_LIMIT: f64 = 5.0e9;

/// A numeric comparison of [`Match::numeric`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `=`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Cmp {
    /// The operator as EventBridge patterns and SNS filter policies write it.
    ///
    /// ```
    /// use nephos::constructs::Cmp;
    /// assert_eq!(Cmp::Ge.as_str(), ">=");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    /// Whether no number satisfies every comparison of `ops` (an inverted or empty range).
    /// Shared by EventBridge patterns, Lambda event filters and SNS filter policies.
    ///
    /// ```
    /// use nephos::constructs::Cmp;
    /// assert!(Cmp::matches_no_number(&[(Cmp::Gt, 10.0), (Cmp::Lt, 1.0)]));
    /// assert!(!Cmp::matches_no_number(&[(Cmp::Ge, 1.0), (Cmp::Le, 5.0)]));
    /// ```
    pub fn matches_no_number(ops: &[(Cmp, f64)]) -> bool {
        // The tightest bounds, each with whether it is included.
        let mut low = (f64::NEG_INFINITY, false);
        let mut high = (f64::INFINITY, false);
        for (op, n) in ops {
            let n = *n;
            let (raise, lower) = match op {
                Cmp::Eq => (Some((n, true)), Some((n, true))),
                Cmp::Gt => (Some((n, false)), None),
                Cmp::Ge => (Some((n, true)), None),
                Cmp::Lt => (None, Some((n, false))),
                Cmp::Le => (None, Some((n, true))),
            };
            if let Some(b) = raise
                && (b.0 > low.0 || (b.0 == low.0 && !b.1))
            {
                low = b;
            }
            if let Some(b) = lower
                && (b.0 < high.0 || (b.0 == high.0 && !b.1))
            {
                high = b;
            }
        }
        low.0 > high.0 || (low.0 == high.0 && !(low.1 && high.1))
    }
}

/// One way a field of an event may match. Several matchers given for one field match
/// when any of them does.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// The value EventBridge receives, or why it would refuse it.
    json: Result<Value<Any>, String>,
}

/// `{key: value}` as a pattern value.
fn keyed(key: &str, value: Value<Any>) -> Value<Any> {
    Value::object([(key, value)])
}

/// A literal JSON as a pattern value.
fn literal(json: Json) -> Value<Any> {
    IntoValue::<Any>::into_value(json)
}

/// Whether `v` is a string: a literal one, or a value computed at deploy (only strings
/// are: [`MatchValue`] takes computed values as strings).
fn is_string(v: &Value<Any>) -> bool {
    v.literal_json().is_none_or(|j| j.is_string())
}

impl Match {
    /// The field equals `value`: a string, a number, a Boolean or null, or a string
    /// computed at deploy (see [`MatchValue`]).
    pub fn exact(value: impl MatchValue) -> Self {
        let value = value.match_value();
        let json = match value.literal_json() {
            Some(j @ (Json::Array(_) | Json::Object(_))) => Err(format!(
                "an exact match takes a string, number, Boolean or null, not {j}"
            )),
            _ => Ok(value),
        };
        Match { json }
    }

    /// The field, a string, starts with `prefix` (a string, or one computed at deploy).
    pub fn prefix(prefix: impl MatchValue) -> Self {
        Match::string_op("prefix", prefix.match_value())
    }

    /// The field, a string, ends with `suffix` (a string, or one computed at deploy).
    pub fn suffix(suffix: impl MatchValue) -> Self {
        Match::string_op("suffix", suffix.match_value())
    }

    fn string_op(op: &str, value: Value<Any>) -> Self {
        let json = if is_string(&value) {
            Ok(keyed(op, value))
        } else {
            Err(format!(
                "a `{op}` match takes a string, not {}",
                value.to_json()
            ))
        };
        Match { json }
    }

    /// The field is none of `values` (strings or numbers; strings may be computed at
    /// deploy).
    pub fn anything_but<V: MatchValue>(values: impl IntoIterator<Item = V>) -> Self {
        let values: Vec<Value<Any>> = values.into_iter().map(MatchValue::match_value).collect();
        let number = |v: &Value<Any>| v.literal_json().is_some_and(|j| j.is_number());
        let shown = || Json::Array(values.iter().map(Value::to_json).collect());
        let json = if values.is_empty() {
            Err("`anything_but` was given no values (it would match everything)".to_string())
        } else if values.iter().any(|v| !(is_string(v) || number(v))) {
            Err("`anything_but` takes strings or numbers".to_string())
        } else if values.iter().any(is_string) && values.iter().any(number) {
            // EventBridge's parser (aws/event-ruler) refuses a list of both: "mixed type
            // is not supported".
            Err(format!(
                "`anything_but` was given strings and numbers ({}), which EventBridge refuses in one list: give only strings or only numbers",
                shown()
            ))
        } else {
            Ok(keyed("anything-but", IntoValue::<Any>::into_value(values)))
        };
        Match { json }
    }

    /// The field, a number, satisfies every comparison (`&[(Cmp::Ge, 0.0), (Cmp::Lt,
    /// 100.0)]`: from 0 up to, not including, 100). EventBridge compares numbers from
    /// -5e9 to 5e9, and takes one comparison or a lower bound (`Gt`/`Ge`) then an upper
    /// bound (`Lt`/`Le`) above it; anything else is an error at synth.
    pub fn numeric(comparisons: &[(Cmp, f64)]) -> Self {
        let json = if comparisons.is_empty() || comparisons.len() > 2 {
            Err(format!(
                "a numeric match takes one or two comparisons (a bound, or a lower and an upper one), not {}",
                comparisons.len()
            ))
        } else if let Some((_, n)) = comparisons
            .iter()
            .find(|(_, n)| !n.is_finite() || n.abs() > NUMERIC_LIMIT)
        {
            Err(format!(
                "a numeric match compares with {n}; EventBridge compares numbers from -5e9 to 5e9"
            ))
        } else if let Some(problem) = range_problem(comparisons) {
            Err(problem)
        } else {
            let mut items = Vec::new();
            for (cmp, n) in comparisons {
                items.push(json!(cmp.as_str()));
                items.push(json!(n));
            }
            Ok(literal(json!({ "numeric": items })))
        };
        Match { json }
    }

    /// The field is present (`true`) or absent (`false`).
    pub fn exists(present: bool) -> Self {
        Match {
            json: Ok(literal(json!({ "exists": present }))),
        }
    }
}

/// What EventBridge refuses in a numeric match of one or two finite comparisons
/// (Amazon EventBridge User Guide, "Content filtering in event patterns", numeric
/// matching; its parser, aws/event-ruler: "Bad numeric range operator", "Bottom must
/// be less than top"): two comparisons are a lower bound (`>`, `>=`) then an upper one
/// (`<`, `<=`) above it, and `=` stands alone.
fn range_problem(comparisons: &[(Cmp, f64)]) -> Option<String> {
    let [(low_op, low), (high_op, high)] = comparisons else {
        return None;
    };
    let written = |c: &[(Cmp, f64)]| {
        c.iter()
            .map(|(op, n)| format!("{} {n}", op.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !matches!(low_op, Cmp::Gt | Cmp::Ge) || !matches!(high_op, Cmp::Lt | Cmp::Le) {
        return Some(format!(
            "the numeric match `{}` is not a lower bound (`Cmp::Gt`/`Cmp::Ge`) followed by an upper bound (`Cmp::Lt`/`Cmp::Le`), the only pair EventBridge takes (`Cmp::Eq` stands alone)",
            written(comparisons)
        ));
    }
    // An empty range (the check SNS filter policies make too), or a closed one of one
    // number (`>= 1, <= 1`), which EventBridge also refuses: bottom below top.
    if Cmp::matches_no_number(comparisons) || low == high {
        return Some(format!(
            "the numeric match `{}` has a lower bound not below its upper bound, which EventBridge refuses (it would match at most one number: write `Cmp::Eq` for that)",
            written(comparisons)
        ));
    }
    None
}

/// Which events a rule matches: each field given must match (`source`, `detail-type`,
/// fields of `detail`), any of the values given for one field.
///
/// ```
/// use nephos::constructs::{Cmp, EventPattern, Match};
/// let p = EventPattern::new()
///     .source("aws.ec2")
///     .detail_type("EC2 Instance State-change Notification")
///     .detail("state", Match::anything_but(["pending"]))
///     .detail("size.cpus", Match::numeric(&[(Cmp::Ge, 4.0)]));
/// let json = p.to_json().unwrap();
/// assert_eq!(json["detail"]["size"]["cpus"], serde_json::json!([{ "numeric": [">=", 4.0] }]));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventPattern {
    /// Top-level fields (`source`, `detail-type`, `account`...) and `detail`, as a tree
    /// whose leaves are lists of matchers.
    fields: BTreeMap<String, Node>,
    problems: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Leaf(Vec<Value<Any>>),
    Object(BTreeMap<String, Node>),
}

impl EventPattern {
    /// A pattern matching nothing yet: give it at least one field.
    pub fn new() -> Self {
        EventPattern::default()
    }

    /// Events from `source` (`aws.s3`, or a custom application's `com.example.orders`);
    /// called again, from any of them.
    pub fn source(self, source: impl MatchValue) -> Self {
        self.field(&["source"], Match::exact(source))
    }

    /// Events of `detail_type`; called again, of any of them.
    pub fn detail_type(self, detail_type: impl MatchValue) -> Self {
        self.field(&["detail-type"], Match::exact(detail_type))
    }

    /// Events from the AWS account `account`: a literal ID, or this stack's account
    /// (`nephos::aws::account_id()`).
    pub fn account(self, account: impl MatchValue) -> Self {
        self.field(&["account"], Match::exact(account))
    }

    /// Events whose `detail` field at `path` (dotted for nested fields: `"bucket.name"`)
    /// matches `m`; called again for one path, matching any of the matchers.
    pub fn detail(self, path: &str, m: Match) -> Self {
        let mut full = vec!["detail"];
        full.extend(path.split('.'));
        self.field(&full, m)
    }

    /// Events whose field at the dotted `path` from the top of the event (`"region"`,
    /// `"detail.bucket.name"`) matches `m`; called again for one path, matching any of
    /// the matchers. Lambda event filters use it over a record rather than an event.
    ///
    /// ```
    /// use nephos::constructs::{EventPattern, Match};
    /// let p = EventPattern::new().field_at("region", Match::exact("eu-west-1"));
    /// assert_eq!(p.to_json().unwrap(), serde_json::json!({"region": ["eu-west-1"]}));
    /// ```
    pub fn field_at(self, path: &str, m: Match) -> Self {
        let parts: Vec<&str> = path.split('.').collect();
        self.field(&parts, m)
    }

    fn field(mut self, path: &[&str], m: Match) -> Self {
        if path.iter().any(|p| p.is_empty()) {
            self.problems.push(format!(
                "the field path `{}` has an empty segment",
                path.join(".").escape_debug()
            ));
            return self;
        }
        let json = match m.json {
            Ok(j) => j,
            Err(e) => {
                self.problems
                    .push(format!("at `{}`: {e}", path.join(".").escape_debug()));
                return self;
            }
        };
        let mut map = &mut self.fields;
        let Some((last, parents)) = path.split_last() else {
            return self;
        };
        for p in parents {
            let node = map
                .entry((*p).to_string())
                .or_insert_with(|| Node::Object(BTreeMap::new()));
            match node {
                Node::Object(m) => map = m,
                Node::Leaf(_) => {
                    self.problems.push(format!(
                        "`{}` is matched both as a value and as an object with fields",
                        p.escape_debug()
                    ));
                    return self;
                }
            }
        }
        match map
            .entry((*last).to_string())
            .or_insert_with(|| Node::Leaf(Vec::new()))
        {
            Node::Leaf(items) => {
                if !items.contains(&json) {
                    items.push(json);
                }
            }
            Node::Object(_) => self.problems.push(format!(
                "`{}` is matched both as an object with fields and as a value",
                last.escape_debug()
            )),
        }
        self
    }

    /// The pattern's JSON, or every reason EventBridge would refuse it; a value computed
    /// at deploy is refused here (a Lambda event filter's pattern is a string of literal
    /// JSON): a rule takes [`to_value`](EventPattern::to_value).
    pub fn to_json(&self) -> Result<Json, Vec<String>> {
        let value = self.to_value()?;
        value.literal_json().ok_or_else(|| {
            let mut fields = Vec::new();
            computed_fields(&self.fields, &mut Vec::new(), &mut fields);
            vec![format!(
                "the event pattern holds values computed at deploy ({}); only an EventBridge rule's pattern takes them: give literal values",
                fields.join(", ")
            )]
        })
    }

    /// The pattern as a value (a JSON object whose matchers may hold values computed at
    /// deploy, as a rule's `EventPattern` takes), or every reason EventBridge would
    /// refuse it.
    pub fn to_value(&self) -> Result<Value<Any>, Vec<String>> {
        let mut problems = self.problems.clone();
        if self.fields.is_empty() && problems.is_empty() {
            problems.push("the event pattern has no field (it must match on at least one)".into());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        fn write(map: &BTreeMap<String, Node>) -> Value<Any> {
            Value::object(map.iter().map(|(k, n)| {
                let v = match n {
                    Node::Leaf(items) => IntoValue::<Any>::into_value(items.clone()),
                    Node::Object(m) => write(m),
                };
                (k.as_str(), v)
            }))
        }
        Ok(write(&self.fields))
    }
}

/// The dotted paths of the fields whose matchers hold a value computed at deploy.
fn computed_fields(map: &BTreeMap<String, Node>, path: &mut Vec<String>, out: &mut Vec<String>) {
    for (k, n) in map {
        path.push(k.clone());
        match n {
            Node::Leaf(items) => {
                if items.iter().any(|i| !i.is_literal()) {
                    out.push(format!("`{}`", path.join(".")));
                }
            }
            Node::Object(m) => computed_fields(m, path, out),
        }
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matchers_are_written_as_eventbridge_reads_them() {
        let p = EventPattern::new()
            .source("aws.s3")
            .source("aws.s3")
            .source("com.example")
            .detail("bucket.name", Match::prefix("logs-"))
            .detail("object.key", Match::suffix(".png"))
            .detail(
                "object.size",
                Match::numeric(&[(Cmp::Gt, 0.0), (Cmp::Le, 1024.0)]),
            )
            .detail("reason", Match::exists(false))
            .detail("reason", Match::exact(json!(null)))
            .detail("status", Match::anything_but(["ok", "skipped"]));
        assert_eq!(
            p.to_json().unwrap(),
            json!({
                "source": ["aws.s3", "com.example"],
                "detail": {
                    "bucket": { "name": [{ "prefix": "logs-" }] },
                    "object": {
                        "key": [{ "suffix": ".png" }],
                        "size": [{ "numeric": [">", 0.0, "<=", 1024.0] }],
                    },
                    "reason": [{ "exists": false }, null],
                    "status": [{ "anything-but": ["ok", "skipped"] }],
                }
            })
        );
    }

    #[test]
    fn what_eventbridge_refuses_is_named() {
        let errs = |p: EventPattern| p.to_json().unwrap_err().join("\n");
        assert!(errs(EventPattern::new()).contains("no field"));
        assert!(
            errs(EventPattern::new().detail("n", Match::numeric(&[(Cmp::Gt, 6e9)])))
                .contains("5e9")
        );
        assert!(
            errs(EventPattern::new().detail("n", Match::numeric(&[(Cmp::Gt, f64::NAN)])))
                .contains("5e9")
        );
        assert!(errs(EventPattern::new().detail("n", Match::numeric(&[]))).contains("one or two"));
        assert!(
            errs(EventPattern::new().detail("n", Match::anything_but(Vec::<String>::new())))
                .contains("no values")
        );
        assert!(
            errs(EventPattern::new().detail("a..b", Match::exists(true))).contains("empty segment")
        );
        let both = EventPattern::new()
            .detail("a", Match::exists(true))
            .detail("a.b", Match::exists(true));
        assert!(errs(both).contains("both as a value"));
        assert!(
            errs(EventPattern::new().detail("x", Match::exact(json!([1])))).contains("exact match")
        );
    }
}
