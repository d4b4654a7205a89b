//! Whether a property (or a list item, or a map entry) is set: the one answer every synth
//! check that asks it shares (required properties, required combinations, property counts,
//! list lengths, a handle's typestate).
//!
//! Set means present with a value. `AWS::NoValue` removes the key and JSON `null` is no
//! value (cfn-lint counts neither), so neither is set; any other literal or intrinsic is
//! (CloudFormation resolves it to a value under the same key). An `Fn::If` is set as its
//! branches are: always when both are, never when neither is, maybe otherwise, unless the
//! caller knows how its condition goes (a resource that has the condition itself exists
//! only when it is true).

use std::collections::BTreeSet;

use crate::value::expr::Expr;

/// How surely a value is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Set whichever way the conditions go.
    Always,
    /// Set under some conditions, not under others.
    Maybe,
    /// Never set: absent, `AWS::NoValue`, `null`, or an `Fn::If` of only those.
    Never,
}

impl Presence {
    /// The presence of an optional value (`None`: the key is absent).
    pub(crate) fn of(e: Option<&Expr>) -> Self {
        e.map_or(Presence::Never, |e| Presence::when(e, &|_| None))
    }

    /// The presence of `e` when `known` tells how some conditions go (`None`: either way).
    pub(crate) fn when(e: &Expr, known: &dyn Fn(&str) -> Option<bool>) -> Self {
        match e {
            Expr::NoValue | Expr::Lit(serde_json::Value::Null) => Presence::Never,
            Expr::If(c, a, b) => match known(&c.id) {
                Some(true) => Presence::when(a, known),
                Some(false) => Presence::when(b, known),
                None => match (Presence::when(a, known), Presence::when(b, known)) {
                    (Presence::Always, Presence::Always) => Presence::Always,
                    (Presence::Never, Presence::Never) => Presence::Never,
                    _ => Presence::Maybe,
                },
            },
            _ => Presence::Always,
        }
    }

    /// Set for sure.
    pub(crate) fn surely(self) -> bool {
        self == Presence::Always
    }

    /// Possibly set.
    pub(crate) fn may(self) -> bool {
        self != Presence::Never
    }
}

/// The conditions whose value decides whether `e` is set (those of the `Fn::If`s on the way
/// to a value), added to `out`.
pub(crate) fn deciding(e: &Expr, out: &mut BTreeSet<String>) {
    if let Expr::If(c, a, b) = e {
        out.insert(c.id.to_string());
        deciding(a, out);
        deciding(b, out);
    }
}

/// At most this many conditions are tried in every combination (2^8 cases); a value decided
/// by more is judged only by what holds whichever way they go.
const MOST_CONDITIONS: usize = 8;

/// A way the conditions deciding some values may go, where a rule on those values breaks.
#[derive(Debug, PartialEq)]
pub(crate) struct Breach {
    /// The conditions and how they go, in name order; empty when the rule breaks whichever
    /// way they go.
    pub(crate) conditions: Vec<(String, bool)>,
    /// Whether the conditions are independent of each other as far as synth knows: at most
    /// one of them, other than the resource's own (taken as true). With more, the
    /// combination found may be one the template's conditions never make.
    pub(crate) certain: bool,
}

impl Breach {
    /// How the breach reads after "when": `condition `C` is false`, or empty when it breaks
    /// whichever way the conditions go.
    pub(crate) fn describe(&self) -> String {
        let parts: Vec<String> = self
            .conditions
            .iter()
            .map(|(c, v)| format!("condition `{c}` is {v}"))
            .collect();
        parts.join(" and ")
    }
}

/// A rule on some values, told how the value at each index is set in one way the
/// conditions go; `true` when the rule is broken then.
pub(crate) type Broken<'a> = &'a dyn Fn(&dyn Fn(usize) -> Presence) -> bool;

/// Finds a way the conditions deciding `values` may go where `broken` holds, given how
/// each value is set then. The resource's own condition (`own`) is taken as true: the
/// resource does not exist otherwise. `None` when no way breaks the rule, or when too many
/// conditions decide the values to try each way and the rule holds when none is known.
pub(crate) fn breach(
    values: &[Option<&Expr>],
    own: Option<&str>,
    broken: Broken,
) -> Option<Breach> {
    let mut names = BTreeSet::new();
    for e in values.iter().flatten() {
        deciding(e, &mut names);
    }
    if let Some(own) = own {
        names.remove(own);
    }
    let names: Vec<String> = names.into_iter().collect();
    let fixed = |name: &str| (Some(name) == own).then_some(true);
    // Broken whichever way the conditions go: certain, whatever they are.
    let surely = |i: usize| match values[i] {
        Some(e) => Presence::when(e, &fixed),
        None => Presence::Never,
    };
    let never_set_breaks = broken(&|i| match surely(i) {
        Presence::Maybe => Presence::Never,
        p => p,
    });
    let always_set_breaks = broken(&|i| match surely(i) {
        Presence::Maybe => Presence::Always,
        p => p,
    });
    if names.len() > MOST_CONDITIONS {
        return (never_set_breaks && always_set_breaks).then(|| Breach {
            conditions: Vec::new(),
            certain: true,
        });
    }
    let mut found: Option<Vec<(String, bool)>> = None;
    let mut every = true;
    for bits in 0u32..(1u32 << names.len()) {
        let value = |name: &str| {
            fixed(name).or_else(|| {
                names
                    .iter()
                    .position(|n| n == name)
                    .map(|i| bits & (1 << i) != 0)
            })
        };
        let at = |i: usize| values[i].map_or(Presence::Never, |e| Presence::when(e, &value));
        if broken(&at) {
            if found.is_none() {
                // The first way in counting order (every condition false first), so
                // the message is the same on every run.
                let way = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.clone(), bits & (1 << i) != 0))
                    .collect();
                found = Some(way);
            }
        } else {
            every = false;
        }
    }
    let conditions = found?;
    Some(if every {
        Breach {
            conditions: Vec::new(),
            certain: true,
        }
    } else {
        Breach {
            certain: names.len() <= 1,
            conditions,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::value::expr::{StackKey, Target, TargetKind};

    fn cond(id: &str) -> Target {
        Target {
            stack: StackKey::new(1, "S"),
            kind: TargetKind::Condition,
            id: Arc::from(id),
        }
    }

    fn maybe(id: &str, then: Expr, otherwise: Expr) -> Expr {
        Expr::If(cond(id), Box::new(then), Box::new(otherwise))
    }

    fn lit() -> Expr {
        Expr::Lit(serde_json::json!("x"))
    }

    #[test]
    fn no_value_null_and_if_branches_decide_presence() {
        assert_eq!(Presence::of(None), Presence::Never);
        assert_eq!(Presence::of(Some(&Expr::NoValue)), Presence::Never);
        assert_eq!(
            Presence::of(Some(&Expr::Lit(serde_json::Value::Null))),
            Presence::Never
        );
        assert_eq!(Presence::of(Some(&lit())), Presence::Always);
        let either = maybe("C", lit(), Expr::NoValue);
        assert_eq!(Presence::of(Some(&either)), Presence::Maybe);
        let neither = maybe("C", Expr::NoValue, Expr::NoValue);
        assert_eq!(Presence::of(Some(&neither)), Presence::Never);
        assert_eq!(
            Presence::when(&either, &|c| (c == "C").then_some(true)),
            Presence::Always
        );
    }

    /// "At least one of the values is set".
    fn one_set(n: usize) -> impl Fn(&dyn Fn(usize) -> Presence) -> bool {
        move |at| !(0..n).any(|i| at(i).may())
    }

    #[test]
    fn a_breach_names_the_way_the_condition_goes() {
        let either = maybe("C", lit(), Expr::NoValue);
        let b = breach(&[Some(&either)], None, &one_set(1)).expect("breaks when C is false");
        assert_eq!(b.describe(), "condition `C` is false");
        assert!(b.certain);
        // The resource exists only when C is true: then the value is set.
        assert_eq!(breach(&[Some(&either)], Some("C"), &one_set(1)), None);
        // Set by the condition one way or the other: never broken.
        let other = maybe("C", Expr::NoValue, lit());
        assert_eq!(
            breach(&[Some(&either), Some(&other)], None, &one_set(2)),
            None
        );
        // Never set: broken whichever way.
        let b = breach(&[Some(&Expr::NoValue), None], None, &one_set(2)).expect("never set");
        assert!(b.certain && b.conditions.is_empty());
    }

    #[test]
    fn two_conditions_make_a_breach_uncertain() {
        let a = maybe("A", lit(), Expr::NoValue);
        let b = maybe("B", Expr::NoValue, lit());
        let found = breach(&[Some(&a), Some(&b)], None, &one_set(2)).expect("A false, B true");
        assert!(!found.certain);
        assert_eq!(
            found.describe(),
            "condition `A` is false and condition `B` is true"
        );
    }
}
