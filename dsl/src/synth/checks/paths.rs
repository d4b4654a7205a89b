//! What the cross-resource checks read of a resource: a property at a path through nested
//! objects, the alternatives an `Fn::If` offers, the resource of the stack a reference
//! names, and the Region of a literal ARN.

use std::borrow::Cow;

use crate::synth::template::Resolved;
use crate::value::expr::{Expr, TargetKind};

/// `e` with a literal JSON object or list opened up into expressions (as a typed builder
/// writes it), so literal and built values read alike.
pub(super) fn open(e: &Expr) -> Cow<'_, Expr> {
    match e {
        Expr::Lit(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            Cow::Owned(Expr::from_json(v.clone()))
        }
        other => Cow::Borrowed(other),
    }
}

/// The property of `r` at `path` (names of nested objects, then the property), when every
/// level is an object written out in the stack (literal JSON or built).
pub(super) fn at<'e>(r: &'e Resolved, path: &[&str]) -> Option<Cow<'e, Expr>> {
    let (first, rest) = path.split_first()?;
    let mut e = open(r.field(first)?);
    for name in rest {
        e = match e {
            Cow::Borrowed(Expr::Object(map)) => open(map.get(*name)?),
            Cow::Owned(Expr::Object(mut map)) => Cow::Owned(map.remove(*name)?),
            _ => return None,
        };
    }
    Some(e)
}

/// The items of a list, literal or built; empty for anything else.
pub(super) fn items(e: Option<&Expr>) -> Cow<'_, [Expr]> {
    match e.map(open) {
        Some(Cow::Borrowed(Expr::Array(items))) => Cow::Borrowed(items),
        Some(Cow::Owned(Expr::Array(items))) => Cow::Owned(items),
        _ => Cow::Borrowed(&[]),
    }
}

/// The values `e` may take at deploy: itself, or each branch of an `Fn::If` (either may
/// be chosen), skipping `AWS::NoValue`.
pub(super) fn alternatives(e: &Expr) -> Vec<&Expr> {
    fn walk<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
        match e {
            Expr::If(_, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Expr::NoValue => {}
            other => out.push(other),
        }
    }
    let mut out = Vec::new();
    walk(e, &mut out);
    out
}

/// The logical ID of the resource of this stack that `e` names by `Ref` or `Fn::GetAtt`.
pub(super) fn resource_named(e: &Expr) -> Option<&str> {
    match e {
        Expr::Ref(t) | Expr::GetAtt(t, _) if t.kind == TargetKind::Resource => Some(&t.id),
        _ => None,
    }
}

/// The text of a string literal.
pub(super) fn literal(e: &Expr) -> Option<&str> {
    match e {
        Expr::Lit(v) => v.as_str(),
        _ => None,
    }
}

/// The Region of a literal ARN (`arn:partition:service:region:account:resource`); `None`
/// for a text that is not an ARN, has no Region, or holds a dynamic reference
/// (`{{resolve:...}}`, resolved only at deploy).
pub(crate) fn arn_region(text: &str) -> Option<&str> {
    if !text.starts_with("arn:") || crate::value::dynamic_reference::contains(text) {
        return None;
    }
    text.split(':').nth(3).filter(|r| !r.is_empty())
}
