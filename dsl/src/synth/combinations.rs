//! The required combinations of the registry schemas ([`facts::combinations`]) applied to
//! every resource of a type in the bundle, raw ones included: a Route 53 record with
//! neither `HostedZoneId` nor `HostedZoneName`, a security group ingress rule with no
//! source, are refused at synth rather than by CloudFormation.
//!
//! Only literal absence counts: a property set to an intrinsic is present, and so is
//! one under `Fn::If` (whichever branch is taken). An object computed by an intrinsic
//! cannot be read and is not checked. Whether *more than one* alternative of a `oneOf`
//! or `requiredXor` is set is not checked here.

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
                let present = |name: &str| r.props.get(name).is_some_and(set);
                if let Some(message) = violation(rule, sets, &present) {
                    diags.push(refusal(&r.entry.target.id, type_name, "", &message));
                }
                continue;
            };
            let Some(v) = r.props.get(*first) else {
                continue;
            };
            objects(v, rest, first.to_string(), &mut |at, map| {
                let present = |name: &str| map.get(name).is_some_and(set);
                if let Some(message) = violation(rule, sets, &present) {
                    diags.push(refusal(&r.entry.target.id, type_name, at, &message));
                }
            });
        }
    }
}

/// Whether a property's value counts as set: anything but `AWS::NoValue`.
fn set(e: &Expr) -> bool {
    !matches!(e, Expr::NoValue)
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

/// What is missing, if the rule is broken.
fn violation(rule: Rule, sets: &[&[&str]], present: &dyn Fn(&str) -> bool) -> Option<String> {
    let full = |set: &&[&str]| set.iter().all(|p| present(p));
    let listed = |sets: &[&[&str]]| {
        sets.iter()
            .map(|s| s.join(" + "))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match rule {
        Rule::OneOf | Rule::AnyOf | Rule::Xor => {
            (!sets.iter().any(full)).then(|| format!("set one of {}", listed(sets)))
        }
        Rule::Dependent => {
            let (trigger, needs) = (sets.first()?, sets.get(1)?);
            let missing: Vec<&str> = needs.iter().copied().filter(|p| !present(p)).collect();
            (trigger.iter().all(|p| present(p)) && !missing.is_empty()).then(|| {
                format!(
                    "`{}` is set, so set {} too",
                    trigger.join(", "),
                    missing.join(", ")
                )
            })
        }
    }
}

fn refusal(id: &str, type_name: &str, at: &str, message: &str) -> Diagnostic {
    let (location, object) = if at.is_empty() {
        (Location::resource(id), String::new())
    } else {
        (Location::property(id, at), format!(" `{at}`"))
    };
    Diagnostic::error(
        location,
        format!("{type_name}{object}: {message} (its registry schema requires it)"),
        message.to_string(),
    )
}
