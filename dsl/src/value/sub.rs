//! `Fn::Sub` with checked references: every `${...}` in the template string is a pseudo
//! parameter or a variable given alongside it, never free text naming a logical ID.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::value::expr::Expr;
use crate::value::kind::{Any, Str};
use crate::value::pseudo::Pseudo;
use crate::value::value::Value;

/// One piece of a `Fn::Sub` string. Text and variable names borrow from a
/// [`SubPlan`] when the template is a literal (see [`sub!`](crate::sub!)), so a constant
/// ARN template costs no allocation per piece.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SubPart {
    Text(Cow<'static, str>),
    Pseudo(Pseudo),
    Var(Cow<'static, str>, Expr),
}

/// `Fn::Sub`: substitutes `${Name}` placeholders in `template`.
///
/// A placeholder is a pseudo parameter (`${AWS::Region}`) or one of `vars`; `${!Text}`
/// writes a literal `${Text}`. References to resources go through `vars`, so they are
/// typed handles, not names in a string. A placeholder that is neither is reported at
/// synth with the resource and property it was given to. See also the [`sub!`](crate::sub!)
/// macro. Variables that are plain references are written inline (`${Bucket}`,
/// `${Role.Arn}`) so the template reads as hand-written CloudFormation.
///
/// ```
/// use nephos::{sub, Value, kind::Str};
/// let bucket = Value::<Str>::from("my-bucket").into_any();
/// let arn = sub("arn:${AWS::Partition}:s3:::${bucket}/*", [("bucket", bucket)]);
/// assert_eq!(arn.to_json(), serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::my-bucket/*"}));
/// ```
pub fn sub<'a>(
    template: &str,
    vars: impl IntoIterator<Item = (&'a str, Value<Any>)>,
) -> Value<Str> {
    let vars: Vec<(&str, Value<Any>)> = vars.into_iter().collect();
    match parse(template, &vars) {
        Ok(parts) => Value::from_expr(Expr::Sub(parts)),
        Err((msg, fix)) => Value::from_expr(Expr::Invalid(msg, fix)),
    }
}

/// `Fn::Sub` with variables written as `name = value` (any kind).
///
/// ```
/// use nephos::sub;
/// let name = sub!("${env}-users-${AWS::Region}", env = "dev");
/// assert_eq!(name.to_json(), serde_json::json!({"Fn::Sub": "dev-users-${AWS::Region}"}));
/// ```
///
/// A literal template is parsed once per call site (the parse depends only on the
/// template and the variable names, both fixed there); each call then only fills in
/// the values, with the same result as [`sub`](crate::sub).
#[macro_export]
macro_rules! sub {
    ($template:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        static PLAN: ::std::sync::OnceLock<$crate::__SubPlan> = ::std::sync::OnceLock::new();
        $crate::__sub_planned(
            &PLAN,
            $template,
            [$((stringify!($name), $crate::IntoValue::<$crate::kind::Any>::into_value($value))),*],
        )
    }};
    ($template:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::sub(
            $template,
            [$((stringify!($name), $crate::IntoValue::<$crate::kind::Any>::into_value($value))),*],
        )
    };
}

/// A literal `Fn::Sub` template parsed once by [`sub!`](crate::sub!): its pieces, or
/// the template's error. Not for use by hand.
#[doc(hidden)]
#[derive(Debug)]
pub struct SubPlan(Result<Vec<Piece>, (String, String)>);

/// One piece of a [`SubPlan`]; a variable is the index of its name among the call's
/// variables, and whether this is its last use (then its value is moved, not copied).
#[derive(Debug)]
enum Piece {
    Text(String),
    Pseudo(Pseudo),
    Var(String, usize, bool),
}

/// What `sub!` calls for a literal template: [`sub`] with the parse of `template`
/// (which depends only on it and the variable names) kept in `plan`, the call site's
/// own static. Not for use by hand.
#[doc(hidden)]
pub fn sub_planned<const N: usize>(
    plan: &'static OnceLock<SubPlan>,
    template: &'static str,
    vars: [(&'static str, Value<Any>); N],
) -> Value<Str> {
    let plan = plan.get_or_init(|| {
        // The parse reads only the names; the values are stand-ins.
        let names: Vec<(&str, Value<Any>)> = vars
            .iter()
            .map(|(n, _)| (*n, Value::from_expr(Expr::NoValue)))
            .collect();
        SubPlan(parse(template, &names).map(|parts| {
            let at: Vec<Option<usize>> = parts
                .iter()
                .map(|p| match p {
                    // `parse` took the first variable of this name.
                    SubPart::Var(n, _) => vars.iter().position(|(v, _)| *v == n),
                    _ => None,
                })
                .collect();
            parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| match p {
                    SubPart::Text(t) => Piece::Text(t.into_owned()),
                    SubPart::Pseudo(p) => Piece::Pseudo(p),
                    SubPart::Var(n, _) => {
                        let last = !at[i + 1..].contains(&at[i]);
                        Piece::Var(n.into_owned(), at[i].unwrap_or(0), last)
                    }
                })
                .collect()
        }))
    });
    match &plan.0 {
        Ok(pieces) => {
            let mut values = vars.map(|(_, v)| v.expr);
            let parts = pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => SubPart::Text(Cow::Borrowed(t)),
                    Piece::Pseudo(p) => SubPart::Pseudo(*p),
                    Piece::Var(n, at, true) => SubPart::Var(
                        Cow::Borrowed(n),
                        std::mem::replace(&mut values[*at], Expr::NoValue),
                    ),
                    Piece::Var(n, at, false) => SubPart::Var(Cow::Borrowed(n), values[*at].clone()),
                })
                .collect();
            Value::from_expr(Expr::Sub(parts))
        }
        Err((msg, fix)) => Value::from_expr(Expr::Invalid(msg.clone(), fix.clone())),
    }
}

fn parse(template: &str, vars: &[(&str, Value<Any>)]) -> Result<Vec<SubPart>, (String, String)> {
    // Text, a placeholder, text...: at most two parts per `$` and one more, so the list
    // is allocated once (an ARN template has five or more).
    let dollars = template.bytes().filter(|&b| b == b'$').count();
    let mut parts = Vec::with_capacity(2 * dollars + 1);
    // Text waiting to be pushed: only after a `${!` escape, which joins the texts
    // around it; otherwise each text is copied once, from the template.
    let mut text = String::new();
    let mut rest = template;
    while let Some(start) = crate::text::find(rest, "${") {
        let before = &rest[..start];
        let after = &rest[start + 2..];
        // `find('}')`, by bytes: a placeholder is short.
        let Some(end) = after.bytes().position(|b| b == b'}') else {
            return Err((
                format!("Fn::Sub string `{template}` has a `${{` without its closing `}}`"),
                "close the placeholder with `}`, or write `${!` for a literal `${`".to_string(),
            ));
        };
        let name = &after[..end];
        rest = &after[end + 1..];
        if let Some(literal) = name.strip_prefix('!') {
            text.push_str(before);
            text.push_str("${!");
            text.push_str(literal);
            text.push('}');
            continue;
        }
        let part = if let Some(p) = Pseudo::from_name(name) {
            SubPart::Pseudo(p)
        } else if let Some((_, v)) = vars.iter().find(|(n, _)| *n == name) {
            SubPart::Var(Cow::Owned(name.to_string()), v.expr.clone())
        } else {
            return Err((
                format!(
                    "Fn::Sub string `{template}` refers to `${{{name}}}`, which is neither a pseudo parameter nor a variable"
                ),
                format!("pass it as a variable: sub!(\"...\", {name} = handle.value())"),
            ));
        };
        if !text.is_empty() {
            text.push_str(before);
            parts.push(SubPart::Text(Cow::Owned(std::mem::take(&mut text))));
        } else if !before.is_empty() {
            parts.push(SubPart::Text(Cow::Owned(before.to_string())));
        }
        parts.push(part);
    }
    if !text.is_empty() {
        text.push_str(rest);
        parts.push(SubPart::Text(Cow::Owned(text)));
    } else if !rest.is_empty() {
        parts.push(SubPart::Text(Cow::Owned(rest.to_string())));
    }
    for (name, _) in vars {
        if !parts
            .iter()
            .any(|p| matches!(p, SubPart::Var(n, _) if n == name))
        {
            return Err((
                format!("Fn::Sub variable `{name}` is never used in `{template}`"),
                format!("remove the variable or add `${{{name}}}` to the string"),
            ));
        }
    }
    Ok(parts)
}

/// Whether a Sub string still has a `${...}` to substitute (not a `${!` escape).
fn has_placeholder(text: &str) -> bool {
    crate::text::positions(text, "${").any(|i| !text[i + 2..].starts_with('!'))
}

/// Writes literal text into a Sub string, escaping what would read as a placeholder.
fn push_literal(out: &mut String, text: &str) {
    let mut from = 0;
    for at in crate::text::positions(text, "${") {
        out.push_str(&text[from..at]);
        out.push_str("${!");
        from = at + 2;
    }
    out.push_str(&text[from..]);
}

/// Appends each piece to `out`.
fn push_all(out: &mut String, pieces: &[&str]) {
    pieces.iter().for_each(|p| out.push_str(p));
}

/// Writes `parts` into the string `out`, collecting variables that must stay named.
/// A variable that is itself a `Fn::Sub` is written inline, so nested subs flatten.
fn write_parts(
    parts: &[SubPart],
    out: &mut String,
    named: &mut serde_json::Map<String, serde_json::Value>,
) {
    for part in parts {
        match part {
            SubPart::Text(t) => out.push_str(t),
            SubPart::Pseudo(p) => {
                out.push_str("${");
                out.push_str(p.name());
                out.push('}');
            }
            SubPart::Var(name, expr) => match expr {
                Expr::Lit(serde_json::Value::String(s)) => push_literal(out, s),
                Expr::Lit(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => {
                    out.push_str(&v.to_string())
                }
                // Placeholders written piece by piece (no `format!` string per reference).
                Expr::Ref(t) => push_all(out, &["${", &t.id, "}"]),
                Expr::Pseudo(p) => push_all(out, &["${", p.name(), "}"]),
                Expr::GetAtt(t, a) => push_all(out, &["${", &t.id, ".", a, "}"]),
                Expr::Sub(inner) => write_parts(inner, out, named),
                other => {
                    // Two different values under one name would collide: number them.
                    let mut key = name.to_string();
                    let mut n = 2;
                    while named.get(&key).is_some_and(|v| *v != other.to_json()) {
                        key = format!("{name}{n}");
                        n += 1;
                    }
                    out.push_str(&format!("${{{key}}}"));
                    named.insert(key, other.to_json());
                }
            },
        }
    }
}

pub(crate) fn render(parts: &[SubPart]) -> serde_json::Value {
    match rendered(parts) {
        Rendered::Plain(text) => serde_json::Value::String(text),
        Rendered::Sub(text) => {
            let mut m = serde_json::Map::new();
            m.insert("Fn::Sub".into(), serde_json::Value::String(text));
            serde_json::Value::Object(m)
        }
        Rendered::WithVariables(json) => json,
    }
}

/// What [`render`] renders, in the forms the template writer writes without building
/// JSON for the usual two.
pub(crate) enum Rendered {
    /// A plain string: nothing was left to substitute.
    Plain(String),
    /// `{"Fn::Sub": text}`: placeholders of pseudo parameters and references only.
    Sub(String),
    /// `{"Fn::Sub": [text, variables]}`, as JSON.
    WithVariables(serde_json::Value),
}

/// [`render`]'s result by form.
pub(crate) fn rendered(parts: &[SubPart]) -> Rendered {
    // Sized for the usual Sub at once: its text and a placeholder per other part.
    let capacity = parts
        .iter()
        .map(|p| match p {
            SubPart::Text(t) => t.len(),
            _ => 32,
        })
        .sum();
    let mut out = String::with_capacity(capacity);
    let mut named = serde_json::Map::new();
    write_parts(parts, &mut out, &mut named);
    if named.is_empty() && !has_placeholder(&out) {
        // Nothing left to substitute (every variable was a literal): a plain string says
        // the same without the function (cfn-lint W1020), `${!` escapes read back as `${`.
        if crate::text::find(&out, "${!").is_none() {
            return Rendered::Plain(out);
        }
        return Rendered::Plain(out.replace("${!", "${"));
    }
    if named.is_empty() {
        return Rendered::Sub(out);
    }
    let mut m = serde_json::Map::new();
    m.insert(
        "Fn::Sub".into(),
        serde_json::Value::Array(vec![
            serde_json::Value::String(out),
            serde_json::Value::Object(named),
        ]),
    );
    Rendered::WithVariables(serde_json::Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::sub;
    use crate::value::expr::Expr;
    use crate::value::kind::Any;
    use crate::value::value::Value;

    fn lit(s: &str) -> Value<Any> {
        Value::from_expr(Expr::Lit(serde_json::Value::String(s.into())))
    }

    fn reference(id: &str) -> Value<Any> {
        use crate::value::expr::{StackKey, Target, TargetKind};
        Value::from_expr(Expr::Ref(Target {
            stack: StackKey::new(1, "S"),
            kind: TargetKind::Resource,
            id: id.into(),
        }))
    }

    /// A literal template goes through its call site's plan; the result must be what
    /// `sub` (the parse per call) gives, for each call's own values.
    #[test]
    fn a_planned_literal_template_gives_what_sub_gives() {
        for (a, b) in [("x", "Y"), ("other", "Z")] {
            let planned = crate::sub!(
                "arn:${AWS::Partition}:s3:::${a}/${!lit}/${b}-${a}",
                a = reference(a),
                b = lit(b)
            );
            let parsed = sub(
                "arn:${AWS::Partition}:s3:::${a}/${!lit}/${b}-${a}",
                [("a", reference(a)), ("b", lit(b))],
            );
            assert_eq!(planned.expr, parsed.expr);
            assert_eq!(planned.to_json(), parsed.to_json());
        }
    }

    /// The plan keeps a template's error, reported on every call as `sub` reports it.
    #[test]
    fn a_planned_template_keeps_its_error() {
        for _ in 0..2 {
            let unused = crate::sub!("${AWS::Region}", v = lit("x"));
            assert_eq!(unused.expr, sub("${AWS::Region}", [("v", lit("x"))]).expr);
            assert!(matches!(unused.expr, Expr::Invalid(..)));
            let unknown = crate::sub!("${Nope}");
            assert_eq!(unknown.expr, sub("${Nope}", []).expr);
            assert!(matches!(unknown.expr, Expr::Invalid(..)));
        }
    }
}
