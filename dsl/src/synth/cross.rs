//! Checks across resources: mistakes visible only when both ends of a reference are
//! known, which CloudFormation or the service reject at deploy or which break at run time.
//!
//! - A reference from a resource (or output) to a resource that may not exist: one
//!   created under a condition that does not hold whenever the referrer's does (what
//!   cfn-lint reports as W1001; the deploy fails when the condition is false).
//! - An SQS queue feeding a function through an event source mapping with a visibility
//!   timeout below the function's timeout: Lambda refuses the mapping (cfn-lint E3505).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;
use crate::synth::note::Note;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, Target, TargetKind};
use crate::value::sub::SubPart;

/// Runs the cross-resource checks.
pub(crate) fn check(
    stack: &Stack,
    resolved: &[Resolved],
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    conditional_references(stack, resolved, diags);
    sqs_visibility(resolved, diags, deferred);
}

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

fn conditional_references(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
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

/// SQS's default visibility timeout (seconds), from the `AWS::SQS::Queue` documentation
/// of `VisibilityTimeout`.
const SQS_DEFAULT_VISIBILITY: i64 = 30;
/// Lambda's default function timeout (seconds), from the `AWS::Lambda::Function`
/// documentation of `Timeout`.
const LAMBDA_DEFAULT_TIMEOUT: i64 = 3;

/// The literal values `e` may take: one for a literal, each branch's for `Fn::If` (either
/// branch may be chosen at deploy), `None` when the property is absent.
fn literal_ints(e: Option<&Expr>) -> Result<Option<Vec<i64>>, &'static str> {
    fn walk(e: &Expr, out: &mut Vec<i64>) -> Result<(), &'static str> {
        match e {
            Expr::Lit(v) => match v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            {
                Some(n) => {
                    out.push(n);
                    Ok(())
                }
                None => Err("a non-integer literal"),
            },
            Expr::If(_, a, b) => {
                walk(a, out)?;
                walk(b, out)
            }
            other => Err(other.intrinsic_name().unwrap_or("a computed value")),
        }
    }
    let Some(e) = e else { return Ok(None) };
    let mut out = Vec::new();
    walk(e, &mut out)?;
    Ok(Some(out))
}

fn sqs_visibility(resolved: &[Resolved], diags: &mut Vec<Diagnostic>, deferred: &mut Vec<Note>) {
    const MAPPING: &str = "AWS::Lambda::EventSourceMapping";
    // No mapping (the usual case): no index of the resources to build.
    if !resolved.iter().any(|r| r.entry.type_name == MAPPING) {
        return;
    }
    let by_id: BTreeMap<&str, &Resolved> =
        resolved.iter().map(|r| (&*r.entry.target.id, r)).collect();
    let resource = |e: Option<&Expr>, type_name: &str| -> Option<&Resolved> {
        let id = match e? {
            Expr::Ref(t) | Expr::GetAtt(t, _) => &*t.id,
            _ => return None,
        };
        by_id
            .get(id)
            .copied()
            .filter(|r| r.entry.type_name == type_name)
    };
    // The function a mapping invokes: the function itself, or the function of an alias
    // or version it names (an alias or version runs its function's configuration, so
    // its timeout; Lambda checks it against the queue's for a qualified ARN too).
    let function_of = |e: Option<&Expr>| -> Option<&Resolved> {
        resource(e, "AWS::Lambda::Function").or_else(|| {
            let qualified = resource(e, "AWS::Lambda::Alias")
                .or_else(|| resource(e, "AWS::Lambda::Version"))?;
            resource(qualified.field("FunctionName"), "AWS::Lambda::Function")
        })
    };
    for m in resolved.iter().filter(|r| r.entry.type_name == MAPPING) {
        let (Some(queue), Some(function)) = (
            resource(m.field("EventSourceArn"), "AWS::SQS::Queue"),
            function_of(m.field("FunctionName")),
        ) else {
            continue;
        };
        let visibility = literal_ints(queue.field("VisibilityTimeout"));
        let timeout = literal_ints(function.field("Timeout"));
        // Under `Fn::If` every branch may be deployed: the smallest visibility against the
        // largest timeout.
        let (visibility, timeout) = match (visibility, timeout) {
            (Ok(v), Ok(t)) => (
                v.and_then(|v| v.into_iter().min())
                    .unwrap_or(SQS_DEFAULT_VISIBILITY),
                t.and_then(|t| t.into_iter().max())
                    .unwrap_or(LAMBDA_DEFAULT_TIMEOUT),
            ),
            (Err(by), _) | (_, Err(by)) => {
                deferred.push(Note {
                    resource: m.entry.target.id.clone(),
                    path: "EventSourceArn".into(),
                    computed_by: by,
                    check: format!(
                        "visibility timeout of queue `{}` at least the timeout of function `{}`",
                        queue.entry.target.id, function.entry.target.id
                    )
                    .into(),
                });
                continue;
            }
        };
        if visibility < timeout {
            diags.push(Diagnostic::error(
                Location::resource(&m.entry.target.id),
                format!(
                    "queue `{}` has a visibility timeout of {visibility} s, less than the {timeout} s timeout of function `{}` it triggers; Lambda refuses the event source mapping",
                    queue.entry.target.id, function.entry.target.id
                ),
                format!(
                    "set the queue's `visibility_timeout` to at least {timeout} (AWS recommends six times the function timeout: {})",
                    timeout * 6
                ),
            ));
        }
    }
}
