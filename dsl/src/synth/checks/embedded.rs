//! A literal string holding `${AWS::Region}`, `${Param}` or `${Resource.Attr}` outside
//! `Fn::Sub`: CloudFormation keeps the text as it is, so the value is almost surely meant
//! as a substitution (cfn-lint's E1029). Flagged, not refused: the text is valid.
//!
//! Only names the template defines count (pseudo parameters, and this stack's parameters
//! and resources), so an IAM policy variable such as `${aws:username}`, which IAM itself
//! substitutes, is not flagged.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::path::Path;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

/// Flags every such string in every resource's properties.
pub(super) fn check(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    let names: BTreeSet<&str> = stack
        .parameters
        .iter()
        .map(|(t, _)| &*t.id)
        .chain(stack.resources.iter().map(|r| &*r.target.id))
        .collect();
    for r in resolved {
        let id = &*r.entry.target.id;
        for (key, value) in r.props.iter() {
            expr(value, Path::Root.key(key), &mut |path, text| {
                if let Some(found) = embedded(text, &names) {
                    diags.push(warning(id, &path.render_indexed(), found));
                }
            });
        }
    }
}

fn warning(id: &str, path: &str, found: &str) -> Diagnostic {
    Diagnostic::warning(
        Location::property(id, path),
        format!(
            "the literal text `{found}` is outside Fn::Sub, so CloudFormation keeps it as written rather than substituting it"
        ),
        format!(
            "build the value with `sub!` to substitute `{found}`, or write `${{!...}}` inside `sub!` to keep the text"
        ),
    )
}

/// Calls `f` with every literal string in `e` outside `Fn::Sub` and its property path
/// (rendered `a.b[0]` only for a finding: most strings hold no `${`).
fn expr(e: &Expr, path: Path, f: &mut dyn FnMut(Path, &str)) {
    match e {
        Expr::Lit(v) => json(v, path, f),
        Expr::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                expr(item, path.index(i), f);
            }
        }
        Expr::Object(map) => {
            for (k, v) in map {
                expr(v, path.key(k), f);
            }
        }
        // Its own text is substituted; a literal among its variables is not.
        other => other.for_each_child(&mut |child| expr(child, path, f)),
    }
}

fn json(v: &serde_json::Value, path: Path, f: &mut dyn FnMut(Path, &str)) {
    match v {
        serde_json::Value::String(s) => f(path, s),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                json(item, path.index(i), f);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                json(v, path.key(k), f);
            }
        }
        _ => {}
    }
}

/// The first `${Name}` in `text` that names a pseudo parameter (`AWS::...`) or one of
/// `names` (a `Name.Attribute` counts by its `Name`); `${!...}` is not one.
fn embedded<'t>(text: &'t str, names: &BTreeSet<&str>) -> Option<&'t str> {
    let mut rest = text;
    while let Some(start) = opening(rest) {
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let name = &after[..end];
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_'));
        let head = name.split('.').next().unwrap_or(name);
        if plain
            && (name
                .strip_prefix("AWS::")
                .is_some_and(|p| !p.is_empty() && !p.contains(':'))
                || names.contains(head))
        {
            return Some(&rest[start..start + 2 + end + 1]);
        }
        rest = &rest[start + 2..];
    }
    None
}

/// Where the first `${` of `text` starts. Found from its `$` (a byte search), not with a
/// substring searcher set up per string: most strings hold no `$` at all.
fn opening(text: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + text[from..].find('$')?;
        if text[at + 1..].starts_with('{') {
            return Some(at);
        }
        from = at + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_the_template_defines_are_flagged() {
        let names: BTreeSet<&str> = ["Env", "Bucket"].into_iter().collect();
        assert_eq!(
            embedded("arn:${AWS::Partition}:s3", &names),
            Some("${AWS::Partition}")
        );
        assert_eq!(embedded("x-${Env}", &names), Some("${Env}"));
        assert_eq!(embedded("${Bucket.Arn}/*", &names), Some("${Bucket.Arn}"));
        // IAM policy variables, escapes, unknown names and plain text stay quiet.
        assert_eq!(embedded("home/${aws:username}", &names), None);
        assert_eq!(embedded("${!AWS::Region}", &names), None);
        assert_eq!(embedded("${Other}", &names), None);
        assert_eq!(embedded("$ {Env} ${", &names), None);
        // A `$` that opens nothing does not hide the `${` after it.
        assert_eq!(embedded("$5 $$${Env}", &names), Some("${Env}"));
        assert_eq!(embedded("ends in $", &names), None);
    }
}
