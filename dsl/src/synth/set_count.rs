//! How many of an object's fixed properties are set, for [`Check::MinSet`] and
//! [`Check::MaxSet`] (a schema's `minProperties`/`maxProperties` on an object with
//! `properties`, such as "each transformer processor sets exactly one of its 23
//! processors").
//!
//! A property counts when it is present with a value: a literal or an intrinsic, which
//! CloudFormation resolves to a value under the same key. `AWS::NoValue` removes the key
//! and JSON `null` is no value (cfn-lint counts neither), so neither counts; an `Fn::If`
//! member may resolve either way, so the object has a range of counts and is refused only
//! when every count in it breaks the bound.

use std::sync::Arc;

use crate::check::{Check, Constraint};
use crate::diagnostic::{Diagnostic, Location};
use crate::synth::path::Path;
use crate::synth::presence::Presence;
use crate::value::expr_map::ExprMap;

/// The counted properties of one object: how many are set for sure and at most, and the
/// names of those that may be set (in key order).
#[derive(Debug, PartialEq)]
pub(super) struct SetCount<'a> {
    least: usize,
    most: usize,
    names: Vec<&'a str>,
}

impl<'a> SetCount<'a> {
    /// The count of a literal object; `None` for any other JSON (a value of the wrong
    /// shape is not this check's to report).
    pub(super) fn of_json(value: &'a serde_json::Value, check: &Check) -> Option<Self> {
        let names: Vec<&str> = value
            .as_object()?
            .iter()
            .filter(|(k, v)| check.counts_key(k) && !v.is_null())
            .map(|(k, _)| k.as_str())
            .collect();
        Some(SetCount {
            least: names.len(),
            most: names.len(),
            names,
        })
    }

    /// The count of an object built member by member.
    pub(super) fn of_members(map: &'a ExprMap, check: &Check) -> Self {
        let mut count = SetCount {
            least: 0,
            most: 0,
            names: Vec::new(),
        };
        for (key, member) in map.iter().filter(|(k, _)| check.counts_key(k)) {
            let set = Presence::of(Some(member));
            count.least += usize::from(set.surely());
            count.most += usize::from(set.may());
            if set.may() {
                count.names.push(key);
            }
        }
        count
    }

    /// Reports the object at `path` when the count breaks the check's bound.
    pub(super) fn apply(
        &self,
        c: &Constraint,
        described: &Arc<str>,
        resource: &Arc<str>,
        path: Path,
        errors: &mut Vec<Diagnostic>,
    ) {
        if c.check.set_passes(self.least, self.most) != Some(false) {
            return;
        }
        let count = if self.least == self.most {
            self.least.to_string()
        } else {
            format!("{} to {}", self.least, self.most)
        };
        let which = if self.names.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.names.join(", "))
        };
        errors.push(Diagnostic::error(
            Location::property(resource, &path.render()),
            format!("sets {count} of its properties{which}, not {described}"),
            fix(&c.check),
        ));
    }
}

/// What to do about a broken bound.
fn fix(check: &Check) -> String {
    match check {
        Check::MinSet { n, of } => format!("set at least {n} of {}", of.join(", ")),
        Check::MaxSet { n, of } => format!(
            "set at most {n} of {} (remove the others, or make them conditional with Fn::If)",
            of.join(", ")
        ),
        other => format!("give it {}", other.describe()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::value::expr::{Expr, StackKey, Target, TargetKind};
    use crate::value::pseudo::Pseudo;

    const AT_MOST_ONE: Check = Check::MaxSet {
        n: 1,
        of: &["A", "B", "C"],
    };

    fn members(entries: Vec<(&str, Expr)>) -> ExprMap {
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }

    /// Only the listed properties with a value count: not `null`, not `AWS::NoValue`, not
    /// a key the object does not define; an intrinsic does.
    #[test]
    fn listed_properties_with_a_value_count() {
        let literal = json!({"A": 1, "B": null, "Other": 2});
        assert_eq!(
            SetCount::of_json(&literal, &AT_MOST_ONE),
            Some(SetCount {
                least: 1,
                most: 1,
                names: vec!["A"]
            })
        );
        let built = members(vec![
            ("A", Expr::Lit(json!("x"))),
            ("B", Expr::Pseudo(Pseudo::Region)),
            ("C", Expr::NoValue),
            ("Other", Expr::Lit(json!(1))),
        ]);
        assert_eq!(
            SetCount::of_members(&built, &AT_MOST_ONE),
            SetCount {
                least: 2,
                most: 2,
                names: vec!["A", "B"]
            }
        );
        assert_eq!(SetCount::of_json(&json!([1]), &AT_MOST_ONE), None);
    }

    /// An `Fn::If` member that may be `AWS::NoValue` makes a range; the bound is broken
    /// only when the whole range breaks it.
    #[test]
    fn a_conditional_member_is_refused_only_when_every_outcome_is() {
        let cond = Target {
            stack: StackKey::new(1, "S"),
            kind: TargetKind::Condition,
            id: Arc::from("IsProd"),
        };
        let maybe = |v: Expr| Expr::If(cond.clone(), Box::new(v), Box::new(Expr::NoValue));
        let built = members(vec![
            ("A", Expr::Lit(json!("x"))),
            ("B", maybe(Expr::Lit(json!("y")))),
        ]);
        let count = SetCount::of_members(&built, &AT_MOST_ONE);
        assert_eq!((count.least, count.most), (1, 2));
        assert_eq!(AT_MOST_ONE.set_passes(count.least, count.most), Some(true));
        let at_least_three = Check::MinSet {
            n: 3,
            of: &["A", "B", "C"],
        };
        assert_eq!(
            at_least_three.set_passes(count.least, count.most),
            Some(false)
        );
    }
}
