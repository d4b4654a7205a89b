//! Applies schema constraints to the literal parts of a resource's properties.

use std::collections::BTreeMap;

use crate::check::Constraint;
use crate::diagnostic::{Deferred, Diagnostic, Location};
use crate::synth::path::Path;
use crate::value::expr::Expr;

/// Checks every constraint against `props`, reporting broken literals as errors and
/// computed values as deferred.
pub(crate) fn check(
    resource: &str,
    props: &BTreeMap<String, Expr>,
    constraints: &[Constraint],
    errors: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Deferred>,
) {
    for c in constraints {
        visit_map(props, c.path, Path::Root, &mut |path, node| match node {
            Node::Json(v) => {
                if c.check.passes(v) == Some(false) {
                    errors.push(Diagnostic::error(
                        Location::property(resource, &path.render()),
                        format!("{} does not satisfy {}", v, c.check.describe()),
                        format!("change the value to one with {}", c.check.describe()),
                    ));
                }
            }
            Node::Expr(Expr::Array(_) | Expr::Object(_) | Expr::NoValue | Expr::Invalid(..)) => {}
            Node::Expr(Expr::Lit(v)) => {
                if c.check.passes(v) == Some(false) {
                    errors.push(Diagnostic::error(
                        Location::property(resource, &path.render()),
                        format!("{} does not satisfy {}", v, c.check.describe()),
                        format!("change the value to one with {}", c.check.describe()),
                    ));
                }
            }
            Node::Expr(computed) => deferred.push(Deferred {
                resource: resource.to_string(),
                path: path.render(),
                computed_by: computed.intrinsic_name().unwrap_or("").to_string(),
                check: c.check.describe(),
            }),
        });
    }
}

/// A node a constraint path reaches: an expression, or plain JSON inside a literal
/// (visited in place, never copied into an expression).
enum Node<'a> {
    Expr(&'a Expr),
    Json(&'a serde_json::Value),
}

/// Calls `f` on every node the path reaches; `Fn::If` branches are both followed, and a
/// computed node on the way is reported as where the path stops.
///
/// `path` is what is left of the constraint's `/`-separated path (`None` once it is all
/// followed), split one segment at a time rather than into a list per constraint.
fn visit<'a>(node: &'a Expr, path: Option<&str>, at: Path, f: &mut dyn FnMut(Path, Node<'a>)) {
    if let Expr::If(_, a, b) = node {
        visit(a, path, at, f);
        visit(b, path, at, f);
        return;
    }
    let Some(left) = path else {
        f(at, Node::Expr(node));
        return;
    };
    match node {
        Expr::Array(items) => {
            if let Some(("*", rest)) = split_first(path) {
                for (i, item) in items.iter().enumerate() {
                    visit(item, rest, at.index(i), f);
                }
            }
        }
        Expr::Object(map) => visit_map(map, left, at, f),
        Expr::Lit(v) => visit_json(v, path, at, f),
        Expr::NoValue | Expr::Invalid(..) => {}
        computed => f(at, Node::Expr(computed)),
    }
}

/// The same from an object, the path not yet followed (at least one segment left).
fn visit_map<'a>(
    map: &'a BTreeMap<String, Expr>,
    path: &str,
    at: Path,
    f: &mut dyn FnMut(Path, Node<'a>),
) {
    let Some((head, rest)) = split_first(Some(path)) else {
        return;
    };
    if head == "*" {
        for (k, v) in map {
            visit(v, rest, at.key(k), f);
        }
    } else if let Some((k, v)) = map.get_key_value(head) {
        visit(v, rest, at.key(k), f);
    }
}

/// The same inside a literal: plain JSON has no computed node and no `Fn::If`.
fn visit_json<'a>(
    node: &'a serde_json::Value,
    path: Option<&str>,
    at: Path,
    f: &mut dyn FnMut(Path, Node<'a>),
) {
    let Some((head, rest)) = split_first(path) else {
        f(at, Node::Json(node));
        return;
    };
    match (node, head) {
        (serde_json::Value::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                visit_json(item, rest, at.index(i), f);
            }
        }
        (serde_json::Value::Object(map), "*") => {
            for (k, v) in map {
                visit_json(v, rest, at.key(k), f);
            }
        }
        (serde_json::Value::Object(map), key) => {
            if let Some((k, v)) = map.get_key_value(key) {
                visit_json(v, rest, at.key(k), f);
            }
        }
        _ => {}
    }
}

/// The first segment of what is left of a path, and the rest (`None` after the last).
fn split_first(path: Option<&str>) -> Option<(&str, Option<&str>)> {
    let path = path?;
    Some(match path.split_once('/') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    })
}
