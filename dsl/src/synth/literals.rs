//! Applies schema constraints to the literal parts of a resource's properties.

use crate::check::Constraint;
use crate::diagnostic::{Deferred, Diagnostic, Location};
use crate::value::expr::Expr;

/// Checks every constraint against `props`, reporting broken literals as errors and
/// computed values as deferred.
pub(crate) fn check(
    resource: &str,
    props: &Expr,
    constraints: &[Constraint],
    errors: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Deferred>,
) {
    for c in constraints {
        let segments: Vec<&str> = c.path.split('/').collect();
        visit(
            props,
            &segments,
            String::new(),
            &mut |path, node| match node {
                Expr::Lit(v) => {
                    if c.check.passes(v) == Some(false) {
                        errors.push(Diagnostic::error(
                            Location::property(resource, &path),
                            format!("{} does not satisfy {}", v, c.check.describe()),
                            format!("change the value to one with {}", c.check.describe()),
                        ));
                    }
                }
                Expr::Array(_) | Expr::Object(_) | Expr::NoValue | Expr::Invalid(..) => {}
                computed => deferred.push(Deferred {
                    resource: resource.to_string(),
                    path,
                    computed_by: computed.intrinsic_name().unwrap_or("").to_string(),
                    check: c.check.describe(),
                }),
            },
        );
    }
}

/// Calls `f` on every node the path reaches; `Fn::If` branches are both followed, and a
/// computed node on the way is reported as where the path stops.
fn visit(node: &Expr, path: &[&str], at: String, f: &mut dyn FnMut(String, &Expr)) {
    if let Expr::If(_, a, b) = node {
        visit(a, path, at.clone(), f);
        visit(b, path, at, f);
        return;
    }
    let Some((head, rest)) = path.split_first() else {
        f(at, node);
        return;
    };
    let join = |seg: &str| {
        if at.is_empty() {
            seg.to_string()
        } else {
            format!("{at}.{seg}")
        }
    };
    match (node, *head) {
        (Expr::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                visit(item, rest, join(&i.to_string()), f);
            }
        }
        (Expr::Object(map), "*") => {
            for (k, v) in map {
                visit(v, rest, join(k), f);
            }
        }
        (Expr::Object(map), key) => {
            if let Some(v) = map.get(key) {
                visit(v, rest, join(key), f);
            }
        }
        (Expr::Lit(serde_json::Value::Array(items)), "*") => {
            for (i, item) in items.iter().enumerate() {
                let lit = Expr::Lit(item.clone());
                visit(&lit, rest, join(&i.to_string()), f);
            }
        }
        (Expr::Lit(serde_json::Value::Object(map)), key) => {
            let children: Vec<(String, &serde_json::Value)> = if key == "*" {
                map.iter().map(|(k, v)| (k.clone(), v)).collect()
            } else {
                map.get(key)
                    .map(|v| (key.to_string(), v))
                    .into_iter()
                    .collect()
            };
            for (k, v) in children {
                visit(&Expr::Lit(v.clone()), rest, join(&k), f);
            }
        }
        (Expr::Lit(_) | Expr::NoValue | Expr::Invalid(..), _) => {}
        (computed, _) => f(at, computed),
    }
}
