//! A literal string holding `${AWS::Region}`, `${Param}` or `${Resource.Attr}` outside
//! `Fn::Sub`: CloudFormation keeps the text as it is, so the value is almost surely meant
//! as a substitution (cfn-lint's E1029). Flagged, not refused: the text is valid.
//!
//! Only names the template defines count (pseudo parameters, and this stack's parameters
//! and resources), so an IAM policy variable such as `${aws:username}`, which IAM itself
//! substitutes, is not flagged.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::path::Path;
use crate::value::expr::{Expr, TargetKind};

use super::references::Known;

/// What a walk of a property ([`walk`]) shows its visitor: every node that is an
/// intrinsic function or pseudo value, and every literal string outside `Fn::Sub` with its
/// path.
pub(super) enum Seen<'e, 'p> {
    /// A node other than a literal, a list or a map: those refer to nothing and call no
    /// function themselves (what they hold is shown on its own), so the node checks
    /// (references, intrinsic functions, attributes) have nothing to judge in them.
    Node(&'e Expr),
    Text(Path<'p>, &'e str),
}

/// Flags `text`, a literal string at `path` of resource `id`'s properties, if it holds a
/// substitution of a name the template defines (a parameter or resource of `known`).
pub(super) fn text(id: &str, path: Path, text: &str, known: &Known, diags: &mut Vec<Diagnostic>) {
    let defined = |name: &str| {
        known.contains(&(TargetKind::Parameter, name))
            || known.contains(&(TargetKind::Resource, name))
    };
    if let Some(found) = embedded(text, &defined) {
        diags.push(warning(id, &path.render_indexed(), found));
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

/// Shows `f` every intrinsic function node of `e` ([`Seen::Node`], parents first, as
/// [`Expr::walk`] meets them) and every literal string in `e` outside `Fn::Sub` with its
/// property path (rendered `a.b[0]` only for a finding: most strings hold no `${`). One
/// walk serves every check of a property's nodes.
///
/// Most nodes of a property are literals, lists and maps; they are not shown as nodes, so
/// the node checks are called only where they may find something.
pub(super) fn walk<'e>(e: &'e Expr, path: Path, f: &mut dyn FnMut(Seen<'e, '_>)) {
    match e {
        Expr::Lit(v) => json(v, path, f),
        Expr::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, path.index(i), f);
            }
        }
        Expr::Object(map) => {
            for (k, v) in map {
                walk(v, path.key(k), f);
            }
        }
        // Its own text is substituted; a literal among its variables is not.
        other => {
            f(Seen::Node(other));
            other.for_each_child(&mut |child| walk(child, path, f));
        }
    }
}

fn json<'e>(v: &'e serde_json::Value, path: Path, f: &mut dyn FnMut(Seen<'e, '_>)) {
    match v {
        serde_json::Value::String(s) => f(Seen::Text(path, s)),
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

/// The first `${Name}` in `text` that names a pseudo parameter (`AWS::...`) or a name
/// `defined` accepts (a `Name.Attribute` counts by its `Name`); `${!...}` is not one.
fn embedded<'t>(text: &'t str, defined: &dyn Fn(&str) -> bool) -> Option<&'t str> {
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
                || defined(head))
        {
            return Some(&rest[start..start + 2 + end + 1]);
        }
        rest = &rest[start + 2..];
    }
    None
}

/// Where the first `${` of `text` starts. Found from its `$` (a vectorized byte search,
/// `memchr`), not with a substring searcher set up per string: most strings hold no `$`.
fn opening(text: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + memchr::memchr(b'$', &text.as_bytes()[from..])?;
        if text[at + 1..].starts_with('{') {
            return Some(at);
        }
        from = at + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The opening found from each `$` is the first `${`, wherever it is and whatever
    /// `$` and `{` come before it.
    #[test]
    fn the_first_opening_is_found_at_any_length() {
        for len in 0..70 {
            for at in 0..len {
                for (a, b) in [('$', '{'), ('$', '$'), ('{', '$'), ('$', 'x')] {
                    let mut text: Vec<char> = (0..len)
                        .map(|k| if k % 7 == 3 { '$' } else { 'a' })
                        .collect();
                    text[at] = a;
                    if at + 1 < len {
                        text[at + 1] = b;
                    }
                    let text: String = text.into_iter().collect();
                    assert_eq!(opening(&text), text.find("${"), "{text:?}");
                }
            }
        }
    }

    /// The walk shows every node the node checks judge (everything but literals, lists and
    /// maps, in [`Expr::walk`]'s order, at any depth, inside functions too) and every
    /// literal string outside `Fn::Sub`.
    #[test]
    fn the_walk_shows_every_function_node_and_every_literal_string() {
        use crate::value::pseudo::Pseudo;
        use serde_json::json;
        let region = || Expr::Pseudo(Pseudo::Region);
        let e = Expr::Object(
            [
                (
                    "A".to_string(),
                    Expr::Lit(json!({"x": ["t1", 2, {"y": "t2"}]})),
                ),
                (
                    "B".to_string(),
                    Expr::Array(vec![
                        Expr::Join(
                            "-".into(),
                            Box::new(Expr::Array(vec![
                                region(),
                                Expr::Lit(json!("t3")),
                                Expr::Select(
                                    Box::new(Expr::Lit(json!(0))),
                                    Box::new(Expr::GetAzs(Box::new(region()))),
                                ),
                            ])),
                        ),
                        Expr::NoValue,
                        Expr::Invalid("m".into(), "f".into()),
                    ]),
                ),
            ]
            .into_iter()
            .collect(),
        );
        let mut expected: Vec<*const Expr> = Vec::new();
        e.walk(&mut |n| {
            if !matches!(n, Expr::Lit(_) | Expr::Array(_) | Expr::Object(_)) {
                expected.push(n);
            }
        });
        assert_eq!(expected.len(), 7);
        let (mut nodes, mut texts): (Vec<*const Expr>, Vec<String>) = (Vec::new(), Vec::new());
        walk(&e, Path::Root, &mut |seen| match seen {
            Seen::Node(n) => nodes.push(n),
            Seen::Text(path, text) => texts.push(format!("{}={text}", path.render_indexed())),
        });
        assert_eq!(nodes, expected);
        assert_eq!(texts, ["A.x[0]=t1", "A.x[2].y=t2", "B[0][1]=t3"]);
    }

    #[test]
    fn only_names_the_template_defines_are_flagged() {
        let names = |name: &str| ["Env", "Bucket"].contains(&name);
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
