//! Intrinsic functions: well-formed, with the transform and mapping entries they need.

use crate::diagnostic::{Diagnostic, Section};
use crate::stack::stack::{Stack, Transform};
use crate::value::expr::{Expr, Target};

use super::references::Site;

/// Intrinsic functions of one expression are well-formed and have what they need: no
/// invalid node, And/Or arity, the transform that Length, ToJsonString and FindInMap
/// defaults need, FindInMap keys the mapping has, NoValue only in resource properties.
pub(super) fn check(stack: &Stack, loc: &Site, e: &Expr, diags: &mut Vec<Diagnostic>) {
    let language_extensions = stack.transforms.contains(&Transform::LanguageExtensions);
    e.walk(&mut |node| match node {
        Expr::Invalid(message, fix) => diags.push(Diagnostic::error(
            loc.location(),
            message.clone(),
            fix.clone(),
        )),
        Expr::And(items) | Expr::Or(items) if !(2..=10).contains(&items.len()) => {
            diags.push(Diagnostic::error(
                loc.location(),
                format!(
                    "{} has {} conditions; it takes 2 to 10",
                    node.intrinsic_name().unwrap_or(""),
                    items.len()
                ),
                "nest the conditions in groups of at most 10, or use the condition directly",
            ))
        }
        Expr::Length(_)
        | Expr::ToJsonString(_)
        | Expr::FindInMap {
            default: Some(_), ..
        } if !language_extensions => {
            let what = match node {
                Expr::FindInMap { .. } => "Fn::FindInMap with a default value",
                other => other.intrinsic_name().unwrap_or(""),
            };
            diags.push(Diagnostic::error(
                loc.location(),
                format!("{what} needs the AWS::LanguageExtensions transform"),
                "add `stack.transform(Transform::LanguageExtensions)`",
            ))
        }
        Expr::FindInMap {
            mapping,
            top,
            second,
            default: None,
        } => find_in_map(stack, loc, mapping, top, second, diags),
        Expr::NoValue if loc.section != Section::Resource => diags.push(Diagnostic::error(
            loc.location(),
            "AWS::NoValue is only meaningful in resource properties".to_string(),
            "use a real value here",
        )),
        _ => {}
    });
}

fn find_in_map(
    stack: &Stack,
    loc: &Site,
    mapping: &Target,
    top: &Expr,
    second: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((_, m)) = stack.mappings.iter().find(|(t, _)| t == mapping) else {
        return;
    };
    let (Expr::Lit(serde_json::Value::String(k1)), Expr::Lit(serde_json::Value::String(k2))) =
        (top, second)
    else {
        return;
    };
    if !m
        .entries
        .get(k1)
        .is_some_and(|inner| inner.contains_key(k2))
    {
        diags.push(Diagnostic::error(
            loc.location(),
            format!(
                "Fn::FindInMap looks up `{k1}` / `{k2}`, which mapping `{}` does not have",
                mapping.id
            ),
            "add the entry to the mapping, or use `find_or` with a default value",
        ));
    }
}
