//! Intrinsic functions evaluated over the values known offline, to one normal form, so
//! that two spellings of the same value compare equal (`Fn::Join` and the `Fn::Sub` it was
//! rewritten as, a `Fn::Select` or `Fn::FindInMap` that gives the same string) and two
//! different values differ.
//!
//! The normal form: a known string is a plain string; a string with parts only known at
//! deploy time is one `Fn::Sub` pattern whose `${X}` / `${X.Attr}` tokens stand for them (a
//! single token is the `Ref` / `Fn::GetAtt` itself); `Fn::Select`, `Fn::Split`,
//! `Fn::FindInMap` and `Fn::If` over known values are replaced by their result. What
//! cannot be evaluated keeps its intrinsic, with its arguments in normal form.

use serde_json::{Map, Value};

use super::conditions;
use super::parameters::NO_ECHO_MARK;

/// Deep enough for any value a person writes; deeper is left as it is.
const MAX_DEPTH: usize = 64;

/// `v` in normal form, evaluated in `template` (its `Mappings` and `Conditions`); `None`
/// where the value is `AWS::NoValue` (the property is then left out).
pub fn normalize(v: &Value, template: &Value) -> Option<Value> {
    norm(v, template, 0)
}

fn norm(v: &Value, t: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return Some(v.clone());
    }
    let d = depth + 1;
    match v {
        Value::Object(m) if m.len() == 1 => {
            let (k, arg) = m.iter().next()?;
            intrinsic(k, arg, t, d).unwrap_or_else(|| {
                let mut o = Map::new();
                match k.as_str() {
                    "Ref" | "Condition" => o.insert(k.clone(), arg.clone()),
                    _ => o.insert(k.clone(), norm(arg, t, d).unwrap_or(Value::Null)),
                };
                Some(Value::Object(o))
            })
        }
        Value::Object(m) => Some(Value::Object(
            m.iter()
                .filter_map(|(k, x)| norm(x, t, d).map(|x| (k.clone(), x)))
                .collect(),
        )),
        Value::Array(a) => Some(Value::Array(
            a.iter().filter_map(|x| norm(x, t, d)).collect(),
        )),
        other => Some(other.clone()),
    }
}

/// The value of one intrinsic: `Some(None)` for `AWS::NoValue`, `None` when it is not
/// evaluated (the caller keeps it, its arguments normalized).
fn intrinsic(k: &str, arg: &Value, t: &Value, d: usize) -> Option<Option<Value>> {
    let list = || -> Option<Vec<Value>> {
        arg.as_array()?
            .iter()
            .map(|x| norm(x, t, d))
            .collect::<Option<Vec<_>>>()
    };
    match k {
        "Ref" if arg.as_str() == Some("AWS::NoValue") => Some(None),
        "Fn::GetAtt" => {
            let (id, attr) = match arg {
                Value::String(s) => s.split_once('.')?,
                Value::Array(a) if a.len() == 2 => (a[0].as_str()?, a[1].as_str()?),
                _ => return None,
            };
            Some(Some(get_att(id, attr)))
        }
        "Fn::Sub" => {
            let (pattern, vars) = match arg {
                Value::String(p) => (p.as_str(), Map::new()),
                Value::Array(a) if a.len() == 2 => {
                    let vars = a[1]
                        .as_object()?
                        .iter()
                        .map(|(k, x)| (k.clone(), norm(x, t, d).unwrap_or(Value::Null)))
                        .collect();
                    (a[0].as_str()?, vars)
                }
                _ => return None,
            };
            match sub(pattern, &vars) {
                Some(p) => Some(Some(from_pattern(p))),
                None => {
                    let kept = Value::Array(vec![Value::String(pattern.to_owned()), vars.into()]);
                    Some(Some(single("Fn::Sub", kept)))
                }
            }
        }
        "Fn::Join" => {
            let a = list()?;
            let [delim, items] = a.as_slice() else {
                return None;
            };
            let delim = known(delim)?;
            let pieces = items
                .as_array()?
                .iter()
                .map(piece)
                .collect::<Option<Vec<_>>>()?;
            Some(Some(from_pattern(pieces.join(&escape(&delim)))))
        }
        "Fn::Select" => {
            let a = list()?;
            let [index, items] = a.as_slice() else {
                return None;
            };
            let i: usize = known(index)?.trim().parse().ok()?;
            Some(Some(items.as_array()?.get(i)?.clone()))
        }
        "Fn::Split" => {
            let a = list()?;
            let [delim, s] = a.as_slice() else {
                return None;
            };
            let (delim, s) = (known(delim)?, known(s)?);
            if delim.is_empty() {
                return None;
            }
            Some(Some(Value::Array(
                s.split(delim.as_str())
                    .map(|x| Value::String(x.to_owned()))
                    .collect(),
            )))
        }
        "Fn::FindInMap" => {
            let a = list()?;
            let [map, top, second] = a.as_slice() else {
                return None;
            };
            let found = t
                .get("Mappings")?
                .get(known(map)?)?
                .get(known(top)?)?
                .get(known(second)?)?;
            Some(norm(found, t, d))
        }
        "Fn::If" => {
            let a = arg.as_array().filter(|a| a.len() == 3)?;
            let name = a[0].as_str()?;
            match conditions::evaluate(t, name) {
                Some(which) => Some(norm(if which { &a[1] } else { &a[2] }, t, d)),
                // Unknown offline: the condition is spelled out with its inputs, so that a
                // changed input (a parameter, a NoEcho value) makes the two sides differ.
                None => {
                    let cond = conditions::expanded(t, name).unwrap_or_else(|| a[0].clone());
                    let branch = |b: &Value| norm(b, t, d).unwrap_or_else(|| b.clone());
                    Some(Some(single(
                        "Fn::If",
                        Value::Array(vec![cond, branch(&a[1]), branch(&a[2])]),
                    )))
                }
            }
        }
        _ => None,
    }
}

/// A `Ref` (`id` alone) or `Fn::GetAtt` token as its intrinsic.
fn get_att(id: &str, attr: &str) -> Value {
    single(
        "Fn::GetAtt",
        Value::Array(vec![id.into(), Value::String(attr.to_owned())]),
    )
}

fn single(k: &str, v: Value) -> Value {
    let mut o = Map::new();
    o.insert(k.to_owned(), v);
    Value::Object(o)
}

/// A scalar known offline, as CloudFormation's text: not a NoEcho placeholder.
pub fn known(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.contains(NO_ECHO_MARK)).then_some(s)
}

/// Literal text as a `Fn::Sub` pattern: `${` escaped as `${!`.
fn escape(s: &str) -> String {
    s.replace("${", "${!")
}

/// A normalized value as a piece of a `Fn::Sub` pattern, `None` when it is no string.
fn piece(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(escape(s)),
        Value::Number(_) | Value::Bool(_) => known(v),
        Value::Object(m) if m.len() == 1 => match m.iter().next()? {
            (k, Value::String(r)) if k == "Ref" => Some(format!("${{{r}}}")),
            (k, Value::String(p)) if k == "Fn::Sub" => Some(p.clone()),
            (k, Value::Array(a)) if k == "Fn::GetAtt" && a.len() == 2 => {
                Some(format!("${{{}.{}}}", a[0].as_str()?, a[1].as_str()?))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The tokens of a pattern: `(literal_text_before, Some(name))` per `${name}`, escapes
/// `${!...}` kept in the literal text.
fn tokens(pattern: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find("${") {
        text.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(end) if !after.starts_with('!') => {
                out.push((std::mem::take(&mut text), Some(after[..end].to_owned())));
                rest = &after[end + 1..];
            }
            _ => {
                text.push_str("${");
                rest = after;
            }
        }
    }
    text.push_str(rest);
    out.push((text, None));
    out
}

/// `pattern` with its own `vars` substituted, `None` when a variable is no string.
fn sub(pattern: &str, vars: &Map<String, Value>) -> Option<String> {
    let mut out = String::new();
    for (text, name) in tokens(pattern) {
        out.push_str(&text);
        if let Some(name) = name {
            match vars.get(&name) {
                Some(v) => out.push_str(&piece(v)?),
                None => out.push_str(&format!("${{{name}}}")),
            }
        }
    }
    Some(out)
}

/// The normal form of a pattern: a plain string when it has no token, the `Ref` or
/// `Fn::GetAtt` when it is one token, else `{"Fn::Sub": pattern}`.
fn from_pattern(p: String) -> Value {
    let toks = tokens(&p);
    match toks.as_slice() {
        [(text, None)] => Value::String(text.replace("${!", "${")),
        [(a, Some(name)), (b, None)] if a.is_empty() && b.is_empty() => {
            match name.split_once('.') {
                Some((id, attr)) => get_att(id, attr),
                None => single("Ref", Value::String(name.clone())),
            }
        }
        _ => single("Fn::Sub", Value::String(p)),
    }
}

/// The logical IDs (and pseudo parameters) `v` reads through `Ref`, `Fn::GetAtt` and
/// `Fn::Sub` tokens, anywhere inside it.
pub fn references(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) if m.len() == 1 => {
            let Some((k, arg)) = m.iter().next() else {
                return;
            };
            match (k.as_str(), arg) {
                ("Ref", Value::String(r)) => out.push(r.clone()),
                ("Fn::GetAtt", Value::String(s)) => {
                    out.push(s.split_once('.').map_or(s.as_str(), |x| x.0).to_owned())
                }
                ("Fn::GetAtt", Value::Array(a)) => {
                    out.extend(a.first().and_then(Value::as_str).map(str::to_owned))
                }
                ("Fn::Sub", Value::String(p)) => sub_refs(p, None, out),
                ("Fn::Sub", Value::Array(a)) if a.len() == 2 => {
                    sub_refs(a[0].as_str().unwrap_or(""), a[1].as_object(), out);
                    references(&a[1], out);
                }
                _ => references(arg, out),
            }
        }
        Value::Object(m) => m.values().for_each(|x| references(x, out)),
        Value::Array(a) => a.iter().for_each(|x| references(x, out)),
        _ => {}
    }
}

fn sub_refs(p: &str, vars: Option<&Map<String, Value>>, out: &mut Vec<String>) {
    for (_, name) in tokens(p) {
        let Some(name) = name else { continue };
        if vars.is_some_and(|v| v.contains_key(&name)) {
            continue;
        }
        out.push(
            name.split_once('.')
                .map_or(name.as_str(), |x| x.0)
                .to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn n(v: Value, t: &Value) -> Value {
        normalize(&v, t).unwrap_or(Value::Null)
    }

    #[test]
    fn join_select_split_find_in_map_and_sub_share_one_normal_form() {
        let t = json!({"Mappings": {"M": {"dev": {"Name": "same"}, "prod": {"Name": "same"}}}});
        // A Join rewritten as the equivalent Sub is the same value.
        assert_eq!(
            n(json!({"Fn::Join": ["-", ["rfq", {"Ref": "Env"}]]}), &t),
            n(json!({"Fn::Sub": "rfq-${Env}"}), &t)
        );
        assert_eq!(
            n(
                json!({"Fn::Join": ["", [{"Fn::GetAtt": "Q.QueueName"}, "-lg"]]}),
                &t
            ),
            json!({"Fn::Sub": "${Q.QueueName}-lg"})
        );
        assert_eq!(
            n(json!({"Fn::Join": ["-", ["dev", "x"]]}), &t),
            json!("dev-x")
        );
        assert_eq!(n(json!({"Fn::Select": [0, ["a", "c"]]}), &t), json!("a"));
        assert_eq!(
            n(
                json!({"Fn::Select": [1, {"Fn::Split": ["-", {"Fn::Sub": "x-prod"}]}]}),
                &t
            ),
            json!("prod")
        );
        assert_eq!(
            n(json!({"Fn::FindInMap": ["M", "dev", "Name"]}), &t),
            n(json!({"Fn::FindInMap": ["M", "prod", "Name"]}), &t)
        );
        // Unknown inputs stay symbolic, and a single token is the reference itself.
        assert_eq!(
            n(json!({"Fn::FindInMap": ["M", {"Ref": "Env"}, "Name"]}), &t),
            json!({"Fn::FindInMap": ["M", {"Ref": "Env"}, "Name"]})
        );
        assert_eq!(n(json!({"Fn::Sub": "${T}"}), &t), json!({"Ref": "T"}));
        assert_eq!(
            n(
                json!({"Fn::Sub": ["${A}-t4", {"A": {"Fn::Join": ["", ["dev", "x"]]}}]}),
                &t
            ),
            json!("devx-t4")
        );
        // Literal `${` survives: escaped in patterns, plain in strings.
        assert_eq!(n(json!({"Fn::Sub": "${!Lit}"}), &t), json!("${Lit}"));
        assert_eq!(
            n(json!({"Fn::Join": ["", ["${Lit}", {"Ref": "X"}]]}), &t),
            json!({"Fn::Sub": "${!Lit}${X}"})
        );
    }

    #[test]
    fn a_no_echo_placeholder_is_not_a_known_value() {
        let t = json!({"Mappings": {"M": {"a": {"k": "v"}}}});
        let masked = format!("{NO_ECHO_MARK}Secret: new value)");
        assert_eq!(known(&json!(masked)), None);
        let v = json!({"Fn::FindInMap": ["M", masked, "k"]});
        assert_eq!(n(v.clone(), &t), v);
    }

    #[test]
    fn references_are_found_in_refs_get_atts_and_sub_tokens() {
        let mut out = Vec::new();
        references(
            &json!({"A": {"Ref": "Topic"}, "B": [{"Fn::GetAtt": "Q.Arn"}],
                "C": {"Fn::Sub": ["${X}-${T.Name}-${!Lit}", {"X": {"Ref": "Y"}}]}}),
            &mut out,
        );
        out.sort();
        assert_eq!(out, ["Q", "T", "Topic", "Y"]);
    }
}
