//! Showing template values to people: intrinsics as `${...}` references, scalars bare.

use serde_json::Value;

/// Whether `v` is a CloudFormation intrinsic function call (`{"Ref": ..}`, `{"Fn::X": ..}`),
/// which the diff treats as one opaque value rather than an object to descend into.
pub fn is_intrinsic(v: &Value) -> bool {
    v.as_object().is_some_and(|m| {
        m.len() == 1
            && m.keys()
                .next()
                .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
    })
}

/// A one-line rendering: strings bare, `Ref`/`GetAtt` as `${X}`/`${X.Attr}`, `Sub` as its
/// pattern, anything else as compact JSON. Line breaks and every other control character in
/// the template's text are shown escaped (`\x0a`, `\u2028`): the result is one line, so a
/// template value can never write a line of the review that nephos did not write.
pub fn show(v: &Value) -> String {
    crate::output::escape::escape_line(&one_line(v)).into_owned()
}

fn one_line(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) if m.len() == 1 => {
            let (k, inner) = m
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v))
                .unwrap_or(("", v));
            match (k, inner) {
                ("Ref", Value::String(r)) => format!("${{{r}}}"),
                ("Fn::GetAtt", Value::Array(a)) if a.len() == 2 => {
                    format!("${{{}.{}}}", show(&a[0]), show(&a[1]))
                }
                ("Fn::GetAtt", Value::String(s)) => format!("${{{s}}}"),
                ("Fn::Sub", Value::String(s)) => s.clone(),
                ("Fn::ImportValue", x) => format!("${{import:{}}}", show(x)),
                _ => v.to_string(),
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            format!(
                "[{}]",
                items.iter().map(show).collect::<Vec<_>>().join(", ")
            )
        }
        other => other.to_string(),
    }
}

/// Whether a value is better shown as a multi-line text diff than as `old → new`.
pub fn is_bulky(v: &Value) -> bool {
    match v {
        Value::String(s) => s.len() > 60 || s.contains('\n'),
        Value::Object(_) if is_intrinsic(v) => show(v).len() > 60,
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => show(v).len() > 60 || a.iter().any(|i| i.is_object() || i.is_array()),
        _ => false,
    }
}

/// The text a bulky value is diffed as: strings line by line, the rest as pretty JSON.
pub fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intrinsics_read_like_references() {
        assert_eq!(show(&json!({"Ref": "Table"})), "${Table}");
        assert_eq!(
            show(&json!({"Fn::GetAtt": ["Table", "Arn"]})),
            "${Table.Arn}"
        );
        assert_eq!(show(&json!({"Fn::GetAtt": "Table.Arn"})), "${Table.Arn}");
        assert_eq!(show(&json!(["a", 1])), "[a, 1]");
        assert!(is_intrinsic(&json!({"Fn::Sub": "x"})));
        assert!(!is_intrinsic(&json!({"Key": "x"})));
    }
}
