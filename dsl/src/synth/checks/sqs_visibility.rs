//! An SQS queue feeding a function through an event source mapping with a visibility
//! timeout below the function's timeout: Lambda refuses the mapping (cfn-lint E3505).
//!
//! The queue, the mapping and the function are three resources, so only synth sees all
//! three values.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::by_type::Resources;
use crate::synth::note::Note;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::literal_branches::literal_ints;

/// SQS's default visibility timeout (seconds), from the `AWS::SQS::Queue` documentation
/// of `VisibilityTimeout`.
const SQS_DEFAULT_VISIBILITY: i64 = 30;
/// Lambda's default function timeout (seconds), from the `AWS::Lambda::Function`
/// documentation of `Timeout`.
const LAMBDA_DEFAULT_TIMEOUT: i64 = 3;

/// Reports each SQS event source mapping whose queue's visibility timeout is below its
/// function's timeout.
/// A queue's visibility timeout against the timeout of the function its mapping
/// invokes (directly, or through an alias or version of it).
///
/// A version freezes its function's configuration when CloudFormation publishes it. A
/// version of the `Function::version` construct is republished on every change of the
/// function's configuration (its logical ID hashes it), so it has the template's
/// timeout. A version written as an `AWS::Lambda::Version` resource is published once,
/// when created: on a new stack it too has the template's timeout, which is what is
/// checked (a template that fails on a new stack is refused); after a later change of
/// the function's timeout it may still hold the earlier one, which only Lambda knows.
/// So the check uses the function's timeout in the template and says so: in the error,
/// and, when it passes, in a deferred note naming the version.
pub(super) fn check(
    stack: &Stack,
    resources: &Resources,
    diags: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    const MAPPING: &str = "AWS::Lambda::EventSourceMapping";
    // No mapping (the usual case): nothing to read.
    if !resources.has(MAPPING) {
        return;
    }
    let resource = |e: Option<&Expr>, type_name: &str| -> Option<&Resolved> {
        let id = match e? {
            Expr::Ref(t) | Expr::GetAtt(t, _) => &*t.id,
            _ => return None,
        };
        resources.get(id).filter(|r| r.entry.type_name == type_name)
    };
    // The function a mapping invokes: the function itself, or the function of an alias
    // or version it names (an alias or version runs its function's configuration, so
    // its timeout; Lambda checks it against the queue's for a qualified ARN too).
    // The version too when it is one published once (not the construct's, whose ID
    // follows the function's configuration: it is recorded as owned by its function).
    let function_of = |e: Option<&Expr>| -> Option<(&Resolved, Option<&Resolved>)> {
        if let Some(f) = resource(e, "AWS::Lambda::Function") {
            return Some((f, None));
        }
        let alias = resource(e, "AWS::Lambda::Alias");
        let version = resource(e, "AWS::Lambda::Version")
            .or_else(|| resource(alias?.field("FunctionVersion"), "AWS::Lambda::Version"));
        let qualified = alias.or(version)?;
        let function = resource(qualified.field("FunctionName"), "AWS::Lambda::Function")?;
        let published_once = version.filter(|v| {
            !stack
                .owners
                .get(&v.entry.target.id)
                .is_some_and(|o| o.iter().any(|t| t.id == function.entry.target.id))
        });
        Some((function, published_once))
    };
    for m in resources.of_type(MAPPING) {
        let (Some(queue), Some((function, version))) = (
            resource(m.field("EventSourceArn"), "AWS::SQS::Queue"),
            function_of(m.field("FunctionName")),
        ) else {
            continue;
        };
        let through = version.map_or(String::new(), |v| {
            format!(
                " (through version `{}`, which froze the function's configuration when it was published: checked against the function's timeout in this template, which a version published now takes)",
                v.entry.target.id
            )
        });
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
                    "queue `{}` has a visibility timeout of {visibility} s, less than the {timeout} s timeout of function `{}` it triggers{through}; Lambda refuses the event source mapping",
                    queue.entry.target.id, function.entry.target.id
                ),
                format!(
                    "set the queue's `visibility_timeout` to at least {timeout} (AWS recommends six times the function timeout: {})",
                    timeout * 6
                ),
            ));
        } else if let Some(v) = version {
            // Passed on the template's timeout; a version published earlier may hold
            // another, which Lambda checks at deploy.
            deferred.push(Note {
                resource: m.entry.target.id.clone(),
                path: "FunctionName".into(),
                computed_by: "AWS::Lambda::Version",
                check: format!(
                    "visibility timeout of queue `{}` at least the timeout version `{}` froze when it was published (checked against function `{}`'s {timeout} s in this template)",
                    queue.entry.target.id, v.entry.target.id, function.entry.target.id
                )
                .into(),
            });
        }
    }
}
