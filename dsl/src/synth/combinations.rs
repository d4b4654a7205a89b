//! The required combinations of the registry schemas ([`facts::combinations`]) applied to
//! every resource of a type in the bundle, raw ones included: a Route 53 record with
//! neither `HostedZoneId` nor `HostedZoneName`, a security group ingress rule with no
//! source, are refused at synth rather than by CloudFormation.
//!
//! "Set" is [`Presence`]'s, shared with the other checks: a property absent, `AWS::NoValue`
//! or `null` is missing, and so is one whose `Fn::If` yields `AWS::NoValue` under a way its
//! conditions may go (the resource's own condition taken as true). A requirement broken
//! only under a way that rests on two or more conditions (which synth takes as independent,
//! though the template may tie them) is a warning. An object computed by an intrinsic
//! cannot be read and is not checked.
//!
//! Exclusive alternatives (a `oneOf` or `requiredXor` of two or more sets, and cfn-lint's
//! `dependentExcluded`) are refused when both sides are surely set: an `Fn::If` that may
//! yield `AWS::NoValue` on one side is the usual way to set one alternative or the other
//! by condition, and is not refused.

use crate::diagnostic::{Diagnostic, Location};
use crate::facts::{self, Rule};
use crate::synth::by_type::Resources;
use crate::synth::presence::{Breach, Broken, Presence, breach};
use crate::synth::template::Resolved;
use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;

/// Runs the check on every resource.
pub(crate) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    // Each type's combinations, looked up once per type; a type without any (most of
    // them) costs nothing per resource.
    for (type_name, of) in resources.by_type() {
        let combinations: Vec<facts::Combination> = facts::combinations(type_name).collect();
        if combinations.is_empty() {
            continue;
        }
        for r in of {
            one(r, type_name, &combinations, diags);
        }
    }
}

/// Checks the combinations of `r`'s type on `r`.
fn one(
    r: &Resolved,
    type_name: &str,
    combinations: &[facts::Combination],
    diags: &mut Vec<Diagnostic>,
) {
    let own = r.entry.condition.as_ref().map(|c| &*c.id);
    for &(path, rule, sets) in combinations.iter() {
        let Some((first, rest)) = path.split_first() else {
            let found = Found {
                get: &|name| r.props.get(name),
                own,
            };
            if let Some(v) = violation(rule, sets, &found) {
                diags.push(refusal(&r.entry.target.id, type_name, "", &v));
            }
            continue;
        };
        let Some(v) = r.props.get(*first) else {
            continue;
        };
        objects(v, rest, first.to_string(), &mut |at, map| {
            let found = Found {
                get: &|name| map.get(name),
                own,
            };
            if let Some(v) = violation(rule, sets, &found) {
                diags.push(refusal(&r.entry.target.id, type_name, at, &v));
            }
        });
    }
}

/// How one object's properties are looked up, and the resource's own condition (true
/// wherever the resource exists).
struct Found<'a> {
    get: &'a dyn Fn(&str) -> Option<&'a Expr>,
    own: Option<&'a str>,
}

impl Found<'_> {
    /// How surely `name` is set, the resource's own condition taken as true.
    fn presence(&self, name: &str) -> Presence {
        let own = self.own;
        (self.get)(name).map_or(Presence::Never, |e| {
            Presence::when(e, &|c| (Some(c) == own).then_some(true))
        })
    }

    /// Set whichever way its conditions go.
    fn surely(&self, name: &str) -> bool {
        self.presence(name).surely()
    }

    /// A way the conditions may go where `broken` holds of the properties `names`
    /// (`broken` is told how the property at each index of `names` is set then).
    fn breach(&self, names: &[&str], broken: Broken) -> Option<Breach> {
        let values: Vec<Option<&Expr>> = names.iter().map(|n| (self.get)(n)).collect();
        breach(&values, self.own, broken)
    }
}

/// A broken rule: what is wrong, the fix, and whether synth is sure it happens (see
/// [`Breach::certain`]).
struct Violation {
    message: String,
    fix: String,
    certain: bool,
}

impl Violation {
    fn sure(message: String, fix: String) -> Self {
        Violation {
            message,
            fix,
            certain: true,
        }
    }

    /// Something missing, always or when the conditions go as `b` says.
    fn missing(message: String, b: &Breach) -> Self {
        let when = if b.conditions.is_empty() {
            String::new()
        } else {
            format!(" (not met when {})", b.describe())
        };
        Violation {
            message: format!("{message}{when}"),
            fix: message,
            certain: b.certain,
        }
    }
}

/// Calls `f` with every literal object `path` reaches from `e` (`*`: each list item;
/// both branches of an `Fn::If`), and the dotted path to it.
fn objects(e: &Expr, path: &[&str], at: String, f: &mut dyn FnMut(&str, &ExprMap)) {
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

/// The message and fix when the rule is broken: something missing (always, or under a
/// way the conditions may go), or exclusive alternatives surely set together.
fn violation(rule: Rule, sets: &[&[&str]], found: &Found) -> Option<Violation> {
    let listed = |sets: &[&[&str]]| {
        sets.iter()
            .map(|s| s.join(" + "))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut names: Vec<&str> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    names.sort_unstable();
    names.dedup();
    let index = |p: &str| names.binary_search(&p).unwrap_or(0);
    match rule {
        Rule::OneOf | Rule::AnyOf | Rule::Xor => {
            let none = found.breach(&names, &|at| {
                !sets
                    .iter()
                    .any(|set| set.iter().all(|p| at(index(p)).may()))
            });
            if let Some(b) = none {
                return Some(Violation::missing(
                    format!("set one of {}", listed(sets)),
                    &b,
                ));
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
                Violation::sure(
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
            let b = found.breach(&names, &|at| {
                trigger.iter().all(|p| at(index(p)).may())
                    && needs.iter().any(|p| !at(index(p)).may())
            })?;
            let missing: Vec<&str> = needs.iter().copied().filter(|p| !found.surely(p)).collect();
            Some(Violation::missing(
                format!(
                    "`{}` is set, so set {} too",
                    trigger.join(", "),
                    missing.join(", ")
                ),
                &b,
            ))
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
                Violation::sure(
                    format!("`{t}` is set, so `{c}` must not be: they exclude each other"),
                    format!("remove `{t}` or `{c}`"),
                )
            })
        }
    }
}

fn refusal(id: &str, type_name: &str, at: &str, v: &Violation) -> Diagnostic {
    let (location, object) = if at.is_empty() {
        (Location::resource(id), String::new())
    } else {
        (Location::property(id, at), format!(" `{at}`"))
    };
    let message = format!(
        "{type_name}{object}: {} (its registry schema requires it)",
        v.message
    );
    if v.certain {
        Diagnostic::error(location, message, v.fix.clone())
    } else {
        // Two conditions taken as independent: the way found may be one the template's
        // conditions never make.
        Diagnostic::warning(location, message, v.fix.clone())
    }
}
