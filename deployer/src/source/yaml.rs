//! Reading YAML templates into the JSON value model from the events of `saphyr-parser`,
//! with an explicit stack instead of recursion: any nesting depth up to
//! [`MAX_JSON_DEPTH`] reads without overflowing the stack, in time linear in the nodes
//! (each event is handled once; a finished node is moved, never copied, into its parent).
//!
//! Scalars are resolved by the YAML 1.2 core schema, as CloudFormation reads them:
//! integers of any width are numbers (wider than 64 bits: floating point, as `serde_json`
//! reads them in JSON), quoted scalars are strings, and every `!Tag` becomes its long form.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde_json::{Map, Number, Value};

use super::template::{MAX_JSON_DEPTH, short_form};

/// How many nodes aliases may add in all: bounds a "billion laughs" document (nested
/// aliases doubling at each level) to what a 1,000,000-byte template can hold anyway.
const MAX_ALIAS_NODES: usize = 1_000_000;

/// The deepest nesting of flow collections `saphyr-parser` reads (it counts them in a
/// `u8`); block collections nest up to [`MAX_JSON_DEPTH`].
pub const MAX_FLOW_DEPTH: usize = 255;

/// A collection being read, with what it becomes once its end event arrives.
enum Open {
    Seq(Vec<Value>),
    /// A mapping and, between a key and its value, the key.
    Map(Map<String, Value>, Option<String>),
}

struct Frame {
    open: Open,
    anchor: usize,
    /// The short-form intrinsic wrapping the collection (`!If [...]`).
    tag: Option<String>,
}

/// Parses one YAML document into a JSON value; an empty document is `null`.
pub fn parse_yaml(body: &str) -> Result<Value, String> {
    let mut stack: Vec<Frame> = Vec::new();
    // Levels the value will have: a short form adds one (its `{"Fn::X": ...}` mapping).
    let mut depth = 0usize;
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut root: Option<Value> = None;
    let mut documents = 0usize;
    for event in Parser::new_from_str(body) {
        let (event, span) = event.map_err(|e| {
            // saphyr-parser counts flow levels in a `u8`.
            if e.info().contains("recursion limit") {
                format!(
                    "invalid YAML template: flow collections (`[...]`, `{{...}}`) nest more than {MAX_FLOW_DEPTH} levels at line {} column {}; the YAML parser reads at most {MAX_FLOW_DEPTH} (write deeper levels in block style, or the template in JSON)",
                    e.marker().line(),
                    e.marker().col() + 1
                )
            } else {
                format!("invalid YAML template: {e}")
            }
        })?;
        let is_seq = matches!(event, Event::SequenceStart(..));
        let at = || format!("line {} column {}", span.start.line(), span.start.col() + 1);
        let finished = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(format!(
                        "invalid YAML template: a second document at {}; a template is one document",
                        at()
                    ));
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let v = scalar(&text, style, tag.as_deref());
                Some((v, anchor))
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                let tag = intrinsic(tag.as_deref());
                depth += 1 + usize::from(tag.is_some());
                if depth > MAX_JSON_DEPTH {
                    return Err(format!(
                        "invalid YAML template: it nests more than {MAX_JSON_DEPTH} levels deep at {}; nephos reads at most {MAX_JSON_DEPTH}",
                        at()
                    ));
                }
                let open = if is_seq {
                    Open::Seq(Vec::new())
                } else {
                    Open::Map(Map::new(), None)
                };
                stack.push(Frame { open, anchor, tag });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else {
                    return Err(format!("invalid YAML template: unbalanced end at {}", at()));
                };
                depth -= 1 + usize::from(frame.tag.is_some());
                let v = match frame.open {
                    Open::Seq(items) => Value::Array(items),
                    Open::Map(m, _) => Value::Object(m),
                };
                let v = match frame.tag {
                    Some(t) => short_form(&t, v),
                    None => v,
                };
                Some((v, frame.anchor))
            }
            Event::Alias(id) => {
                let Some((v, nodes)) = anchors.get(&id) else {
                    return Err(format!(
                        "invalid YAML template: an alias at {} names no anchor before it",
                        at()
                    ));
                };
                alias_nodes = alias_nodes.saturating_add(*nodes);
                if alias_nodes > MAX_ALIAS_NODES {
                    return Err(format!(
                        "invalid YAML template: its aliases expand to more than {MAX_ALIAS_NODES} values"
                    ));
                }
                Some((v.clone(), 0))
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
        };
        let Some((value, anchor)) = finished else {
            continue;
        };
        if anchor > 0 {
            let nodes = count_nodes(&value);
            anchors.insert(anchor, (value.clone(), nodes));
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame {
                open: Open::Seq(items),
                ..
            }) => items.push(value),
            Some(Frame {
                open: Open::Map(m, key),
                ..
            }) => match key.take() {
                None => *key = Some(key_text(value)),
                Some(k) => {
                    // CloudFormation does not support YAML merge keys (its template format
                    // guide lists hash merges among the unsupported features): read as a
                    // plain key it would hide what it merges (a `Condition`) from review.
                    if k == "<<" {
                        return Err(format!(
                            "invalid YAML template: a merge key `<<` at {}; CloudFormation does not support YAML merge keys: write the merged keys out",
                            at()
                        ));
                    }
                    if m.contains_key(&k) {
                        return Err(format!(
                            "invalid YAML template: duplicate key {k:?} at {}; each key appears once in a mapping",
                            at()
                        ));
                    }
                    m.insert(k, value);
                }
            },
        }
    }
    Ok(root.unwrap_or(Value::Null))
}

/// Values in `v`, counted without recursion.
fn count_nodes(v: &Value) -> usize {
    let mut todo = vec![v];
    let mut n = 0usize;
    while let Some(v) = todo.pop() {
        n += 1;
        match v {
            Value::Array(a) => todo.extend(a),
            Value::Object(m) => todo.extend(m.values()),
            _ => {}
        }
    }
    n
}

/// A mapping key as text: strings as they are, other scalars as they print.
fn key_text(k: Value) -> String {
    match k {
        Value::String(s) => s,
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

/// The intrinsic function name of a short-form tag (`!Ref` → `Ref`); `None` for the core
/// schema's own tags (`!!str`, `!!map`, ...), which only say how to read the node.
fn intrinsic(tag: Option<&Tag>) -> Option<String> {
    let t = tag?;
    if t.is_yaml_core_schema() || t.handle == "!!" {
        return None;
    }
    Some(format!("{}{}", t.handle, t.suffix))
}

/// A scalar with its tag: quoted and `!!str` scalars are text, plain ones resolved.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag.filter(|t| t.is_yaml_core_schema() || t.handle == "!!");
    let value = match (core.map(|t| t.suffix.as_str()), style) {
        (Some("str"), _) => Value::String(text.to_owned()),
        (Some(_), _) | (None, ScalarStyle::Plain) => plain(text),
        (None, _) => Value::String(text.to_owned()),
    };
    match intrinsic(tag) {
        Some(t) => short_form(&t, value),
        None => value,
    }
}

fn float(f: f64) -> Value {
    // YAML's .nan and .inf have no JSON number; they are kept as text.
    Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
}

/// A plain scalar by the YAML 1.2 core schema: null, booleans, integers (decimal, `0x`,
/// `0o`), floats (with `.inf` and `.nan`); anything else is text.
fn plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(v) = integer(s) {
        return v;
    }
    let unsigned = s.trim_start_matches(['+', '-']);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return float(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return float(f64::NAN);
    }
    // Rust also reads `inf`, `nan` and `infinity`, which YAML does not: digits only.
    let numeric = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    if numeric
        && s.bytes().any(|b| b.is_ascii_digit())
        && let Ok(f) = s.parse::<f64>()
    {
        return float(f);
    }
    Value::String(s.to_owned())
}

/// An integer of any width: within 64 bits exactly, wider as the nearest float.
fn integer(s: &str) -> Option<Value> {
    let (negative, unsigned) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let radix = |prefix: &str, r: u32| {
        let digits = unsigned.strip_prefix(prefix)?;
        let n = u128::from_str_radix(digits, r).ok()?;
        let n = if negative {
            i128::try_from(n).ok().map(|n| -n)?
        } else {
            i128::try_from(n).ok()?
        };
        Some(
            i64::try_from(n)
                .map(Value::from)
                .or_else(|_| u64::try_from(n).map(Value::from))
                .unwrap_or_else(|_| float(n as f64)),
        )
    };
    if unsigned.starts_with("0x") {
        return radix("0x", 16);
    }
    if unsigned.starts_with("0o") {
        return radix("0o", 8);
    }
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Ok(n) = s.parse::<i64>() {
        return Some(Value::from(n));
    }
    if let Ok(n) = s.trim_start_matches('+').parse::<u64>() {
        return Some(Value::from(n));
    }
    // Wider than 64 bits: the correctly rounded float, as serde_json reads it in JSON.
    s.parse::<f64>().ok().map(float)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `n` nested lists around `1`, as the reader sees them: block or flow style.
    fn nested(n: usize, block: bool) -> String {
        if block {
            // Each level one `- ` deeper: `- - - 1` is a valid block sequence.
            format!("{}1\n", "- ".repeat(n))
        } else {
            format!("A: {}1{}\n", "[".repeat(n), "]".repeat(n))
        }
    }

    fn depth_of(v: &Value) -> usize {
        let mut d = 0;
        let mut v = v;
        while let Some(inner) = v.as_array().and_then(|a| a.first()) {
            d += 1;
            v = inner;
        }
        d
    }

    /// Reads `body` as the binary runs commands: on a thread with the command stack.
    fn read_on_command_stack(body: String) -> Result<Value, String> {
        std::thread::Builder::new()
            .stack_size(crate::COMMAND_STACK_BYTES)
            .spawn(move || parse_yaml(&body))
            .map(|t| t.join().unwrap_or_else(|_| Err("panicked".into())))
            .unwrap_or_else(|e| Err(e.to_string()))
    }

    #[test]
    fn flow_collections_nest_to_the_parser_s_bound_and_beyond_it_are_refused_with_the_fix() {
        let v = read_on_command_stack(nested(MAX_FLOW_DEPTH, false)).unwrap_or_default();
        assert_eq!(depth_of(&v["A"]), MAX_FLOW_DEPTH);
        for n in [MAX_FLOW_DEPTH + 1, 1_000, 10_000] {
            let err = read_on_command_stack(nested(n, false)).unwrap_err();
            assert!(err.contains("nest more than 255 levels"), "{err}");
            assert!(err.contains("block style"), "{err}");
        }
    }

    #[test]
    fn a_thousand_and_ten_thousand_levels_read_in_block_style() {
        for n in [1_000, MAX_JSON_DEPTH] {
            let v = read_on_command_stack(nested(n, true))
                .unwrap_or_else(|e| panic!("{n} levels: {e}"));
            assert_eq!(depth_of(&v), n);
        }
    }

    #[test]
    fn beyond_the_depth_bound_is_refused_with_the_bound() {
        let err = parse_yaml(&nested(MAX_JSON_DEPTH + 1, true)).unwrap_err();
        assert!(err.contains("more than 10000 levels"), "{err}");
    }

    #[test]
    fn a_billion_laughs_is_refused_with_a_message() {
        let mut doc = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = parse_yaml(&doc).unwrap_err();
        assert!(err.contains("aliases expand to more than"), "{err}");
        // A few aliases within the bound read as copies.
        let v = parse_yaml("a: &x {k: 1}\nb: *x\n").unwrap_or_default();
        assert_eq!(v, json!({"a": {"k": 1}, "b": {"k": 1}}));
    }

    #[test]
    fn a_merge_key_is_refused_not_read_as_a_key() {
        let body =
            "Resources:\n  T:\n    <<: {Condition: IsProd}\n    Type: AWS::DynamoDB::Table\n";
        let err = parse_yaml(body).expect_err("merge key");
        assert!(err.contains("merge key `<<`"), "{err}");
    }

    #[test]
    fn an_alias_to_no_anchor_is_refused() {
        let err = parse_yaml("a: *nowhere\n").unwrap_err();
        assert!(err.starts_with("invalid YAML template"), "{err}");
    }

    #[test]
    fn a_duplicate_key_is_refused_naming_it() {
        let err = parse_yaml("Resources:\n  Q: 1\n  Q: 2\n").unwrap_err();
        assert!(err.contains("duplicate key \"Q\""), "{err}");
    }

    #[test]
    fn two_documents_are_refused() {
        let err = parse_yaml("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(err.contains("a second document"), "{err}");
    }

    #[test]
    fn core_schema_scalars_and_quoting() {
        let v = parse_yaml(
            "a: 0x1F\nb: 0o17\nc: '12'\nd: !!str 12\ne: ~\nf: true\ng: 1.5e3\nh: yes\ni: .inf\n",
        )
        .unwrap_or_default();
        assert_eq!(
            v,
            json!({"a": 31, "b": 15, "c": "12", "d": "12", "e": null, "f": true, "g": 1500.0, "h": "yes", "i": "inf"})
        );
    }
}
