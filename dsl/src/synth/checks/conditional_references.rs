//! References from a resource (or output) to a resource that may not exist: one created
//! under a condition that does not hold whenever the referrer's does (what cfn-lint
//! reports as W1001; the deploy fails when the condition is false).
//!
//! Only synth sees both ends of a reference with their conditions, so it is checked here.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, Target, TargetKind};
use crate::value::sub::SubPart;

/// A reference found in a value, with the conditions known to hold where it sits (it
/// is inside the true branch of an `Fn::If` on them).
struct Found<'a> {
    target: &'a Target,
    how: String,
    guards: Vec<&'a str>,
}

fn references<'a>(e: &'a Expr, guards: &mut Vec<&'a str>, out: &mut Vec<Found<'a>>) {
    let mut found = |target: &'a Target, how: String, guards: &Vec<&'a str>| {
        if target.kind == TargetKind::Resource {
            out.push(Found {
                target,
                how,
                guards: guards.clone(),
            });
        }
    };
    match e {
        Expr::Ref(t) => found(t, "Ref".into(), guards),
        Expr::GetAtt(t, a) => found(t, format!("Fn::GetAtt {a}"), guards),
        Expr::If(c, yes, no) => {
            guards.push(&c.id);
            references(yes, guards, out);
            guards.pop();
            references(no, guards, out);
        }
        Expr::Sub(parts) => {
            for p in parts {
                if let SubPart::Var(_, v) = p {
                    references(v, guards, out);
                }
            }
        }
        Expr::Array(items) | Expr::And(items) | Expr::Or(items) | Expr::RuleFn(_, items) => {
            items.iter().for_each(|i| references(i, guards, out))
        }
        Expr::Object(m) => m.values().for_each(|i| references(i, guards, out)),
        Expr::Join(_, a)
        | Expr::Split(_, a)
        | Expr::ImportValue(a)
        | Expr::GetAzs(a)
        | Expr::Base64(a)
        | Expr::Length(a)
        | Expr::ToJsonString(a)
        | Expr::Not(a) => references(a, guards, out),
        Expr::Select(a, b) | Expr::Equals(a, b) => {
            references(a, guards, out);
            references(b, guards, out);
        }
        Expr::Cidr(a, b, c) => {
            for x in [a, b, c] {
                references(x, guards, out);
            }
        }
        Expr::FindInMap {
            top,
            second,
            default,
            ..
        } => {
            references(top, guards, out);
            references(second, guards, out);
            if let Some(d) = default {
                references(d, guards, out);
            }
        }
        Expr::Lit(_) | Expr::Pseudo(_) | Expr::NoValue | Expr::Condition(_) | Expr::Invalid(..) => {
        }
    }
}

/// Whether condition `a` holding implies `b` holds, as far as the template shows it:
/// the same condition, or `a` is an `Fn::And` with a member implying `b`.
fn implies(conditions: &BTreeMap<&str, &Expr>, a: &str, b: &str, depth: usize) -> bool {
    if a == b {
        return true;
    }
    if depth > 16 {
        return false;
    }
    match conditions.get(a) {
        Some(Expr::And(items)) => items.iter().any(|i| match i {
            Expr::Condition(t) => implies(conditions, &t.id, b, depth + 1),
            _ => false,
        }),
        Some(Expr::Condition(t)) => implies(conditions, &t.id, b, depth + 1),
        _ => false,
    }
}

/// Reports each reference to a conditional resource whose condition may not hold where
/// the reference is.
pub(super) fn check(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    // Only a reference to a resource with a condition can be reported: in a stack without
    // one (the usual case) there is nothing to look for.
    if stack.resources.iter().all(|e| e.condition.is_none()) {
        return;
    }
    let conditions: BTreeMap<&str, &Expr> =
        stack.conditions.iter().map(|(t, e)| (&*t.id, e)).collect();
    let condition_of: BTreeMap<&str, Option<&str>> = stack
        .resources
        .iter()
        .map(|e| (&*e.target.id, e.condition.as_ref().map(|c| &*c.id)))
        .collect();
    // The one resource policy wiring keeps per queue, topic or bucket: it holds the
    // statements of every source wired to the target, so its condition is not the fix.
    let shared_policy_of = |id: &str| -> Option<String> {
        let e = &stack.resources[stack.position_of_id(id)?];
        let policy = matches!(
            e.type_name.as_str(),
            "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" | "AWS::S3::BucketPolicy"
        );
        let owners = stack.owners.get(&e.target.id)?;
        (policy && owners.len() == 1).then(|| owners[0].id.to_string())
    };
    let mut report = |location: Location, from: Option<&str>, found: &Found, path: &str| {
        let Some(Some(needed)) = condition_of.get(&*found.target.id) else {
            return;
        };
        let holds = from.is_some_and(|c| implies(&conditions, c, needed, 0))
            || found
                .guards
                .iter()
                .any(|g| implies(&conditions, g, needed, 0));
        if holds {
            return;
        }
        let referrer = match &location.id {
            Some(id) => format!("`{id}`"),
            None => "it".into(),
        };
        let created = match from {
            Some(c) => format!("is created under condition `{c}`"),
            None => "is created unconditionally".into(),
        };
        let fix = match location.id.as_deref().and_then(&shared_policy_of) {
            // A condition on the shared policy (or its target) would drop the statements
            // of the other sources wired to it whenever `needed` is false.
            Some(target) => format!(
                "{referrer} is the one resource policy of `{target}`, holding the statements of everything wired to it, so giving it the condition `{needed}` would drop the others' statements whenever `{needed}` is false: create `{}` unconditionally, or wire it to a target of its own that has the condition `{needed}` too",
                found.target.id
            ),
            None => format!(
                "give {referrer} the condition `{needed}` as well (`stack.resource(...).condition(...)`; what a construct creates and wires takes it from the construct), or use the reference only inside `fn_if(&condition, value, no_value())`"
            ),
        };
        diags.push(Diagnostic::error(
            location,
            format!(
                "{referrer} {created} but refers to `{}` ({}{path}), which exists only when condition `{needed}` holds; the deploy fails when it does not",
                found.target.id, found.how
            ),
            fix,
        ));
    };
    for r in resolved {
        let from = r.entry.condition.as_ref().map(|c| &*c.id);
        for (name, v) in r.props.iter() {
            let mut out = Vec::new();
            references(v, &mut Vec::new(), &mut out);
            for f in &out {
                report(
                    Location::property(&r.entry.target.id, name),
                    from,
                    f,
                    &format!(" in `{name}`"),
                );
            }
        }
        for t in &r.entry.depends_on {
            let f = Found {
                target: t,
                how: "DependsOn".into(),
                guards: Vec::new(),
            };
            report(Location::resource(&r.entry.target.id), from, &f, "");
        }
    }
    for o in &stack.outputs {
        let from = o.condition.as_ref().map(|c| &*c.id);
        let mut out = Vec::new();
        references(&o.value, &mut Vec::new(), &mut out);
        for f in &out {
            report(Location::of(Section::Output, &o.id), from, f, "");
        }
    }
}
