//! `Fn::Sub` with checked references: every `${...}` in the template string is a pseudo
//! parameter or a variable given alongside it, never free text naming a logical ID.

use crate::value::expr::Expr;
use crate::value::kind::{Any, Str};
use crate::value::pseudo::Pseudo;
use crate::value::value::Value;

/// One piece of a `Fn::Sub` string.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SubPart {
    Text(String),
    Pseudo(Pseudo),
    Var(String, Expr),
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
#[macro_export]
macro_rules! sub {
    ($template:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::sub(
            $template,
            [$((stringify!($name), $crate::IntoValue::<$crate::kind::Any>::into_value($value))),*],
        )
    };
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
            SubPart::Var(name.to_string(), v.expr.clone())
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
            parts.push(SubPart::Text(std::mem::take(&mut text)));
        } else if !before.is_empty() {
            parts.push(SubPart::Text(before.to_string()));
        }
        parts.push(part);
    }
    if !text.is_empty() {
        text.push_str(rest);
        parts.push(SubPart::Text(text));
    } else if !rest.is_empty() {
        parts.push(SubPart::Text(rest.to_string()));
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
                    let mut key = name.clone();
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
