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

use std::cell::Cell;

use serde_json::{Map, Value};

use super::conditions;
use super::parameters::unknown_offline;

/// Deep enough for any value a person writes; deeper is left as it is.
const MAX_DEPTH: usize = 64;

/// The most JSON nodes one normalization visits. Each node is visited once (arguments are
/// normalized once, before their intrinsic is evaluated), so the work is linear in the
/// value's size plus the values looked up (`Fn::FindInMap`); this bounds what a template
/// of 1,000,000 bytes could still make it do. [`work`] reports a value beyond it, and
/// [`crate::diff::bounds`] refuses its template before any review.
pub const MAX_WORK: usize = 1_000_000;

/// A normalization stopped after [`MAX_WORK`] nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded;

/// `v` in normal form, evaluated in `template` (its `Mappings` and `Conditions`); `None`
/// where the value is `AWS::NoValue` (the property is then left out). A value whose
/// evaluation would exceed [`MAX_WORK`] is left as it is (unevaluated, so never taken as
/// known); [`crate::diff::bounds`] refuses such templates before they are reviewed.
pub fn normalize(v: &Value, template: &Value) -> Option<Value> {
    let budget = Cell::new(MAX_WORK);
    norm(v, template, 0, &budget).unwrap_or_else(|Exceeded| Some(v.clone()))
}

/// The number of nodes normalizing `v` visits, or [`Exceeded`] past [`MAX_WORK`].
pub fn work(v: &Value, template: &Value) -> Result<usize, Exceeded> {
    let budget = Cell::new(MAX_WORK);
    norm(v, template, 0, &budget)?;
    Ok(MAX_WORK - budget.get())
}

type Normal = Result<Option<Value>, Exceeded>;

fn norm(v: &Value, t: &Value, depth: usize, budget: &Cell<usize>) -> Normal {
    let left = budget.get().checked_sub(1).ok_or(Exceeded)?;
    budget.set(left);
    if depth > MAX_DEPTH {
        return Ok(Some(v.clone()));
    }
    let d = depth + 1;
    match v {
        Value::Object(m) if m.len() == 1 => {
            let Some((k, arg)) = m.iter().next() else {
                return Ok(Some(v.clone()));
            };
            intrinsic(k, arg, t, d, budget)
        }
        Value::Object(m) => {
            let mut o = Map::new();
            for (k, x) in m {
                if let Some(x) = norm(x, t, d, budget)? {
                    o.insert(k.clone(), x);
                }
            }
            Ok(Some(Value::Object(o)))
        }
        Value::Array(a) => Ok(Some(Value::Array(normed_list(a, t, d, budget)?))),
        other => Ok(Some(other.clone())),
    }
}

/// The items of a list in normal form, `AWS::NoValue` items left out.
fn normed_list(
    a: &[Value],
    t: &Value,
    d: usize,
    budget: &Cell<usize>,
) -> Result<Vec<Value>, Exceeded> {
    let mut out = Vec::with_capacity(a.len());
    for x in a {
        if let Some(x) = norm(x, t, d, budget)? {
            out.push(x);
        }
    }
    Ok(out)
}

/// One single-key object: an intrinsic's value (`None` for `AWS::NoValue`), or the
/// object with its argument in normal form when it is not evaluated. The argument is
/// normalized once and both outcomes are built from that one result: evaluating it again
/// for the fallback doubled the work at every level of nesting (atk12b finding 2).
fn intrinsic(k: &str, arg: &Value, t: &Value, d: usize, budget: &Cell<usize>) -> Normal {
    match k {
        "Ref" if arg.as_str() == Some("AWS::NoValue") => return Ok(None),
        "Ref" | "Condition" => return Ok(Some(single(k, arg.clone()))),
        "Fn::GetAtt" => {
            let parts = match arg {
                Value::String(s) => s.split_once('.'),
                Value::Array(a) if a.len() == 2 => a[0].as_str().zip(a[1].as_str()),
                _ => None,
            };
            if let Some((id, attr)) = parts {
                return Ok(Some(get_att(id, attr)));
            }
        }
        "Fn::Sub" => return sub_intrinsic(arg, t, d, budget),
        "Fn::If" => return if_intrinsic(arg, t, d, budget),
        _ => {}
    }
    let normed = norm(arg, t, d, budget)?.unwrap_or(Value::Null);
    let evaluated = match (k, normed.as_array()) {
        ("Fn::Join", Some(a)) => join(a),
        ("Fn::Select", Some(a)) => select(a),
        ("Fn::Split", Some(a)) => split(a),
        ("Fn::FindInMap", Some(a)) => match find_in_map(a, t) {
            Some(found) => return norm(found, t, d, budget),
            None => None,
        },
        _ => None,
    };
    Ok(Some(evaluated.unwrap_or_else(|| single(k, normed))))
}

fn join(a: &[Value]) -> Option<Value> {
    let [delim, items] = a else { return None };
    let delim = known(delim)?;
    let pieces = items
        .as_array()?
        .iter()
        .map(piece)
        .collect::<Option<Vec<_>>>()?;
    Some(from_pattern(pieces.join(&escape(&delim))))
}

fn select(a: &[Value]) -> Option<Value> {
    let [index, items] = a else { return None };
    let i: usize = known(index)?.trim().parse().ok()?;
    Some(items.as_array()?.get(i)?.clone())
}

fn split(a: &[Value]) -> Option<Value> {
    let [delim, s] = a else { return None };
    let (delim, s) = (known(delim)?, known(s)?);
    if delim.is_empty() {
        return None;
    }
    Some(Value::Array(
        s.split(delim.as_str())
            .map(|x| Value::String(x.to_owned()))
            .collect(),
    ))
}

/// The mapping entry `a` (already in normal form) names, when its three keys are known.
fn find_in_map<'t>(a: &[Value], t: &'t Value) -> Option<&'t Value> {
    let [map, top, second] = a else { return None };
    t.get("Mappings")?
        .get(known(map)?)?
        .get(known(top)?)?
        .get(known(second)?)
}

fn sub_intrinsic(arg: &Value, t: &Value, d: usize, budget: &Cell<usize>) -> Normal {
    let (pattern, vars) = match arg {
        Value::String(p) => (p.as_str(), Map::new()),
        Value::Array(a) if a.len() == 2 && a[0].is_string() && a[1].is_object() => {
            let mut vars = Map::new();
            for (k, x) in a[1].as_object().into_iter().flatten() {
                vars.insert(k.clone(), norm(x, t, d, budget)?.unwrap_or(Value::Null));
            }
            (a[0].as_str().unwrap_or_default(), vars)
        }
        _ => {
            let normed = norm(arg, t, d, budget)?.unwrap_or(Value::Null);
            return Ok(Some(single("Fn::Sub", normed)));
        }
    };
    Ok(Some(match sub(pattern, &vars) {
        Some(p) => from_pattern(p),
        None => {
            let kept = Value::Array(vec![Value::String(pattern.to_owned()), vars.into()]);
            single("Fn::Sub", kept)
        }
    }))
}

fn if_intrinsic(arg: &Value, t: &Value, d: usize, budget: &Cell<usize>) -> Normal {
    let Some((name, a)) = arg
        .as_array()
        .filter(|a| a.len() == 3)
        .and_then(|a| Some((a[0].as_str()?, a)))
    else {
        let normed = norm(arg, t, d, budget)?.unwrap_or(Value::Null);
        return Ok(Some(single("Fn::If", normed)));
    };
    match conditions::evaluate(t, name) {
        Some(which) => norm(if which { &a[1] } else { &a[2] }, t, d, budget),
        // Unknown offline: the condition is spelled out with its inputs, so that a
        // changed input (a parameter, a NoEcho value) makes the two sides differ.
        None => {
            let cond = conditions::expanded(t, name).unwrap_or_else(|| a[0].clone());
            let yes = norm(&a[1], t, d, budget)?.unwrap_or_else(|| a[1].clone());
            let no = norm(&a[2], t, d, budget)?.unwrap_or_else(|| a[2].clone());
            Ok(Some(single("Fn::If", Value::Array(vec![cond, yes, no]))))
        }
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

/// A scalar known offline, as CloudFormation's text: not a NoEcho or deploy-time
/// placeholder, nor a dynamic reference ([`unknown_offline`]).
pub fn known(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!unknown_offline(&s)).then_some(s)
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
    use crate::diff::parameters::NO_ECHO_MARK;
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

    fn nodes(v: &Value) -> usize {
        1 + match v {
            Value::Object(m) => m.values().map(nodes).sum(),
            Value::Array(a) => a.iter().map(nodes).sum(),
            _ => 0,
        }
    }

    #[test]
    fn every_intrinsic_visits_each_node_once_however_deep() {
        // atk12b finding 2: an intrinsic that could not be evaluated had its argument
        // evaluated again for the form kept, doubling the work at each level (`Fn::Join`
        // 33 deep took minutes). Every shape: the work is at most one step per node.
        let t = json!({
            "Mappings": {"M": {"a": {"k": "v"}}},
            "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}}});
        type Wrap = fn(Value) -> Value;
        let shapes: [(&str, Wrap); 15] = [
            ("Join", |v| json!({"Fn::Join": ["", [v]]})),
            (
                "Join unknown",
                |v| json!({"Fn::Join": ["-", [v, {"Ref": "X"}]]}),
            ),
            ("Sub", |v| json!({"Fn::Sub": ["${A}-${X}", {"A": v}]})),
            ("If", |v| json!({"Fn::If": ["C", v, "no"]})),
            ("Not", |v| json!({"Fn::Not": [v]})),
            ("And", |v| json!({"Fn::And": [v, {"Condition": "C"}]})),
            ("Or", |v| json!({"Fn::Or": [{"Condition": "C"}, v]})),
            ("Select", |v| json!({"Fn::Select": [0, [v]]})),
            ("Split", |v| json!({"Fn::Split": [",", v]})),
            ("FindInMap", |v| json!({"Fn::FindInMap": ["M", v, "k"]})),
            ("GetAZs", |v| json!({"Fn::GetAZs": v})),
            ("Base64", |v| json!({"Fn::Base64": v})),
            ("Cidr", |v| json!({"Fn::Cidr": [v, 6, 5]})),
            ("ImportValue", |v| json!({"Fn::ImportValue": v})),
            ("Equals", |v| json!({"Fn::Equals": [v, "x"]})),
        ];
        for (name, wrap) in shapes {
            for depth in [10, 33, 200] {
                let mut v = json!("x");
                for _ in 0..depth {
                    v = wrap(v);
                }
                let steps = work(&v, &t).unwrap_or(usize::MAX);
                assert!(
                    steps <= nodes(&v),
                    "{name} {depth} deep: {steps} steps for {} nodes",
                    nodes(&v)
                );
            }
        }
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
