//! The required combinations of the registry schemas ([`facts::combinations`]) applied to
//! every resource of a type in the bundle, raw ones included: a Route 53 record with
//! neither `HostedZoneId` nor `HostedZoneName`, a security group ingress rule with no
//! source, are refused at synth rather than by CloudFormation.
//!
//! Only literal absence counts as missing: a property set to an intrinsic is present, and
//! so is one under `Fn::If` (whichever branch is taken). An object computed by an
//! intrinsic cannot be read and is not checked.
//!
//! Exclusive alternatives (a `oneOf` or `requiredXor` of two or more sets, and cfn-lint's
//! `dependentExcluded`) are refused when both sides are surely set: an `Fn::If` that may
//! yield `AWS::NoValue` on one side is the usual way to set one alternative or the other
//! by condition, and is not refused.

use crate::diagnostic::{Diagnostic, Location};
use crate::facts::{self, Rule};
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

/// Runs the check on every resource.
pub(crate) fn check(resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    for r in resolved {
        let type_name = r.entry.type_name.as_str();
        for (path, rule, sets) in facts::combinations(type_name) {
            let Some((first, rest)) = path.split_first() else {
                let found = Presence(&|name| r.props.get(name));
                if let Some((message, fix)) = violation(rule, sets, &found) {
                    diags.push(refusal(&r.entry.target.id, type_name, "", &message, &fix));
                }
                continue;
            };
            let Some(v) = r.props.get(*first) else {
                continue;
            };
            objects(v, rest, first.to_string(), &mut |at, map| {
                let found = Presence(&|name| map.get(name));
                if let Some((message, fix)) = violation(rule, sets, &found) {
                    diags.push(refusal(&r.entry.target.id, type_name, at, &message, &fix));
                }
            });
        }
    }
}

/// How one object's properties are looked up.
struct Presence<'a>(&'a dyn Fn(&str) -> Option<&'a Expr>);

impl Presence<'_> {
    /// May be set: anything but `AWS::NoValue` (an `Fn::If` counts whatever its branches).
    fn may(&self, name: &str) -> bool {
        (self.0)(name).is_some_and(|e| !matches!(e, Expr::NoValue))
    }

    /// Set whichever way its conditions go: no `Fn::If` branch yields `AWS::NoValue`.
    fn surely(&self, name: &str) -> bool {
        fn surely(e: &Expr) -> bool {
            match e {
                Expr::NoValue => false,
                Expr::If(_, a, b) => surely(a) && surely(b),
                _ => true,
            }
        }
        (self.0)(name).is_some_and(surely)
    }
}

/// Calls `f` with every literal object `path` reaches from `e` (`*`: each list item;
/// both branches of an `Fn::If`), and the dotted path to it.
fn objects(
    e: &Expr,
    path: &[&str],
    at: String,
    f: &mut dyn FnMut(&str, &std::collections::BTreeMap<String, Expr>),
) {
    match e {
        Expr::If(_, a, b) => {
            objects(a, path, at.clone(), f);
            objects(b, path, at, f);
        }
        Expr::Object(map) => match path.split_first() {
            None => f(&at, map),
            Some((name, rest)) => {
                if let Some(v) = map.get(*name) {
                    objects(v, rest, format!("{at}.{name}"), f);
                }
            }
        },
        Expr::Array(items) if path.first() == Some(&"*") => {
            for (i, item) in items.iter().enumerate() {
                objects(item, &path[1..], format!("{at}[{i}]"), f);
            }
        }
        // A raw resource's JSON object or list: opened up as the typed values are.
        Expr::Lit(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            objects(&Expr::from_json(v.clone()), path, at, f);
        }
        _ => {}
    }
}

/// The message and fix when the rule is broken: something missing, or exclusive
/// alternatives set together.
fn violation(rule: Rule, sets: &[&[&str]], found: &Presence) -> Option<(String, String)> {
    let listed = |sets: &[&[&str]]| {
        sets.iter()
            .map(|s| s.join(" + "))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match rule {
        Rule::OneOf | Rule::AnyOf | Rule::Xor => {
            if !sets.iter().any(|set| set.iter().all(|p| found.may(p))) {
                let m = format!("set one of {}", listed(sets));
                return Some((m.clone(), m));
            }
            if rule == Rule::AnyOf {
                return None;
            }
            let both: Vec<&[&str]> = sets
                .iter()
                .copied()
                .filter(|set| set.iter().all(|p| found.surely(p)))
                .collect();
            (both.len() > 1).then(|| {
                let named: Vec<String> = both
                    .iter()
                    .map(|s| format!("`{}`", s.join(" + ")))
                    .collect();
                let all = if named.len() == 2 { "both" } else { "all" };
                (
                    format!(
                        "{} are {all} set, but these alternatives exclude each other",
                        named.join(" and ")
                    ),
                    format!("set only one of {} (remove the others)", listed(sets)),
                )
            })
        }
        Rule::Dependent => {
            let (trigger, needs) = (sets.first()?, sets.get(1)?);
            let missing: Vec<&str> = needs.iter().copied().filter(|p| !found.may(p)).collect();
            (trigger.iter().all(|p| found.may(p)) && !missing.is_empty()).then(|| {
                let m = format!(
                    "`{}` is set, so set {} too",
                    trigger.join(", "),
                    missing.join(", ")
                );
                (m.clone(), m)
            })
        }
        Rule::Excluded => {
            let (trigger, excluded) = (sets.first()?, sets.get(1)?);
            let clash: Vec<&str> = excluded
                .iter()
                .copied()
                .filter(|p| found.surely(p))
                .collect();
            (trigger.iter().all(|p| found.surely(p)) && !clash.is_empty()).then(|| {
                let (t, c) = (trigger.join(", "), clash.join("`, `"));
                (
                    format!("`{t}` is set, so `{c}` must not be: they exclude each other"),
                    format!("remove `{t}` or `{c}`"),
                )
            })
        }
    }
}

fn refusal(id: &str, type_name: &str, at: &str, message: &str, fix: &str) -> Diagnostic {
    let (location, object) = if at.is_empty() {
        (Location::resource(id), String::new())
    } else {
        (Location::property(id, at), format!(" `{at}`"))
    };
    Diagnostic::error(
        location,
        format!("{type_name}{object}: {message} (its registry schema requires it)"),
        fix.to_string(),
    )
}
