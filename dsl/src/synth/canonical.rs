//! The canonical JSON writer: CloudFormation's conventional order for template sections
//! and resource attributes, sorted keys everywhere else, two-space indentation.
//!
//! Ordering is decided here, not by the map type, so the bytes do not depend on whether
//! some other crate in the build enables serde_json's `preserve_order`.

use serde_json::Value as J;

use crate::stack::resource::ResourceEntry;
use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;
use crate::value::sub::Rendered;

const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Transform",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Resources",
    "Outputs",
];
const RESOURCE: &[&str] = &[
    "Type",
    "Condition",
    "DependsOn",
    "Properties",
    "Metadata",
    "CreationPolicy",
    "UpdatePolicy",
    "DeletionPolicy",
    "UpdateReplacePolicy",
];
const PARAMETER: &[&str] = &[
    "Type",
    "Description",
    "Default",
    "AllowedValues",
    "AllowedPattern",
    "MinLength",
    "MaxLength",
    "MinValue",
    "MaxValue",
    "NoEcho",
    "ConstraintDescription",
];
const OUTPUT: &[&str] = &["Description", "Condition", "Value", "Export"];

/// What a resource takes in a template, generously (a function with inline code, its
/// role and policy take 1-3 KB; most resources far less): the initial capacity of the
/// writer's buffer per resource.
const BYTES_PER_RESOURCE: usize = 1024;

/// Where in the template an object sits, which decides its key order.
#[derive(Clone, Copy)]
enum At {
    Root,
    Section(&'static str),
    Element(&'static [&'static str]),
    Other,
}

/// Renders a template as canonical pretty JSON, ending with a newline.
pub(crate) fn to_pretty(template: &J) -> String {
    to_pretty_with(template, &[])
}

/// The same, with the `Resources` section written from the model (`resources`, sorted
/// by logical ID with repeated IDs in the order given) rather than from a JSON value
/// built first: the bytes are those of `to_pretty` on the template holding each
/// resource's JSON, without building it.
pub(crate) fn to_pretty_with(template: &J, resources: &[Element]) -> String {
    // Sized for the template at once, from the resources' count: growing by doubling
    // would copy the text written so far at each step and touch every intermediate
    // buffer (a fresh mapping each, past malloc's mmap threshold); capacity never
    // written costs no memory.
    let mut out = Vec::with_capacity(BYTES_PER_RESOURCE * resources.len() + 4096);
    match template {
        J::Object(map) if !resources.is_empty() => {
            let mut sections: Vec<&str> = map.keys().map(String::as_str).collect();
            sections.push("Resources");
            sections.sort_by_key(|k| {
                (
                    SECTIONS
                        .iter()
                        .position(|o| o == k)
                        .unwrap_or(SECTIONS.len()),
                    *k,
                )
            });
            sections.dedup();
            out.push(b'{');
            for (i, k) in sections.into_iter().enumerate() {
                line(&mut out, i != 0, 1);
                key(&mut out, k);
                if k == "Resources" {
                    write_resources(&mut out, resources, 1);
                } else {
                    write(&mut out, &map[k], child_at(At::Root, k), 1);
                }
            }
            out.extend_from_slice(b"\n}");
        }
        _ => write(&mut out, template, At::Root, 0),
    }
    out.push(b'\n');
    // Only serde_json's own output and ASCII punctuation were written.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// One resource of the `Resources` section: its entry (type and attributes, written
/// from the model) and its properties as the model holds them (`None` when empty).
pub(crate) struct Element<'a> {
    pub(crate) entry: &'a ResourceEntry,
    pub(crate) properties: Option<&'a ExprMap>,
}

/// The `Resources` section: elements by logical ID (the last of a repeated ID wins, as
/// in a map), each attribute in CloudFormation's order. `resources` come sorted by ID
/// (synth sorts them once, for the notes as well).
fn write_resources(out: &mut Vec<u8>, resources: &[Element], level: usize) {
    debug_assert!(resources.is_sorted_by(|a, b| a.entry.target.id <= b.entry.target.id));
    let mut kept: Vec<&Element> = Vec::with_capacity(resources.len());
    for e in resources {
        match kept.last_mut() {
            Some(last) if last.entry.target.id == e.entry.target.id => *last = e,
            _ => kept.push(e),
        }
    }
    out.push(b'{');
    for (i, e) in kept.into_iter().enumerate() {
        line(out, i != 0, level + 1);
        key(out, &e.entry.target.id);
        write_element(out, e, level + 1);
    }
    line(out, false, level);
    out.push(b'}');
}

/// One resource's object, as `write` writes the JSON of its attributes (in [`RESOURCE`]'s
/// order) with its properties, written from the model: no map of attributes is built.
fn write_element(out: &mut Vec<u8>, e: &Element, level: usize) {
    let entry = e.entry;
    let inner = level + 1;
    // `Type` is always there, so the object is never empty.
    out.push(b'{');
    line(out, false, inner);
    plain_key(out, "Type");
    string(out, &entry.type_name);
    if let Some(c) = &entry.condition {
        line(out, true, inner);
        plain_key(out, "Condition");
        string(out, &c.id);
    }
    if !entry.depends_on.is_empty() {
        let mut ids: Vec<&str> = entry.depends_on.iter().map(|t| &*t.id).collect();
        ids.sort_unstable();
        ids.dedup();
        line(out, true, inner);
        plain_key(out, "DependsOn");
        out.push(b'[');
        for (i, id) in ids.into_iter().enumerate() {
            line(out, i != 0, inner + 1);
            string(out, id);
        }
        line(out, false, inner);
        out.push(b']');
    }
    if let Some(props) = e.properties {
        line(out, true, inner);
        plain_key(out, "Properties");
        write_map(out, props, inner);
    }
    if !entry.metadata.is_empty() {
        line(out, true, inner);
        plain_key(out, "Metadata");
        let metadata: serde_json::Map<String, J> = entry
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        write(out, &J::Object(metadata), At::Other, inner);
    }
    for (name, policy) in [
        ("CreationPolicy", &entry.creation_policy),
        ("UpdatePolicy", &entry.update_policy),
    ] {
        if let Some(p) = policy {
            line(out, true, inner);
            plain_key(out, name);
            write(out, p, At::Other, inner);
        }
    }
    for (name, policy) in [
        ("DeletionPolicy", entry.deletion_policy.map(|p| p.as_str())),
        (
            "UpdateReplacePolicy",
            entry.update_replace_policy.map(|p| p.as_str()),
        ),
    ] {
        if let Some(p) = policy {
            line(out, true, inner);
            plain_key(out, name);
            string(out, p);
        }
    }
    line(out, false, level);
    out.push(b'}');
}

/// Writes an expression exactly as `write` writes its `to_json()`, walking the model's
/// objects and lists in place (an `ExprMap`'s key order is the sorted order `write`
/// gives them); intrinsic functions, small, go through their JSON.
fn write_expr(out: &mut Vec<u8>, e: &Expr, level: usize) {
    match e {
        Expr::Lit(v) => write(out, v, At::Other, level),
        Expr::Object(map) => write_map(out, map, level),
        Expr::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        Expr::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                line(out, i != 0, level + 1);
                write_expr(out, item, level + 1);
            }
            line(out, false, level);
            out.push(b']');
        }
        Expr::Ref(t) => one(out, "Ref", Arg::Str(&t.id), level),
        Expr::Pseudo(p) => one(out, "Ref", Arg::Str(p.name()), level),
        Expr::NoValue => one(out, "Ref", Arg::Str("AWS::NoValue"), level),
        Expr::Condition(t) => one(out, "Condition", Arg::Str(&t.id), level),
        Expr::GetAtt(t, a) => one_list(out, "Fn::GetAtt", &[Arg::Str(&t.id), Arg::Str(a)], level),
        Expr::Join(sep, e) => one_list(out, "Fn::Join", &[Arg::Str(sep), Arg::Expr(e)], level),
        Expr::Split(sep, e) => one_list(out, "Fn::Split", &[Arg::Str(sep), Arg::Expr(e)], level),
        Expr::Select(i, e) => one_list(out, "Fn::Select", &[Arg::Expr(i), Arg::Expr(e)], level),
        Expr::Equals(a, b) => one_list(out, "Fn::Equals", &[Arg::Expr(a), Arg::Expr(b)], level),
        Expr::If(c, a, b) => one_list(
            out,
            "Fn::If",
            &[Arg::Str(&c.id), Arg::Expr(a), Arg::Expr(b)],
            level,
        ),
        Expr::Not(e) => one_list(out, "Fn::Not", &[Arg::Expr(e)], level),
        Expr::ImportValue(e) => one(out, "Fn::ImportValue", Arg::Expr(e), level),
        Expr::GetAzs(e) => one(out, "Fn::GetAZs", Arg::Expr(e), level),
        Expr::Base64(e) => one(out, "Fn::Base64", Arg::Expr(e), level),
        Expr::Length(e) => one(out, "Fn::Length", Arg::Expr(e), level),
        Expr::ToJsonString(e) => one(out, "Fn::ToJsonString", Arg::Expr(e), level),
        // `Fn::Sub` without a variable of its own, in place; with one, through its JSON.
        Expr::Sub(parts) => match crate::value::sub::rendered(parts) {
            Rendered::Plain(text) => string(out, text.as_str()),
            Rendered::Sub(text) => one(out, "Fn::Sub", Arg::Str(&text), level),
            Rendered::WithVariables(json) => write(out, &json, At::Other, level),
        },
        // The rarer ones (`Fn::FindInMap`, ...) go through their JSON.
        other => write(out, &other.to_json(), At::Other, level),
    }
}

/// What [`to_pretty`] writes for the object `{"Condition": condition, "Id": id,
/// "Properties": properties, "Type": type_name}` (the document a content-addressed ID
/// hashes per covered resource), written from the model: no section name claims these
/// keys, so they come sorted, and the properties are written as `write_expr` writes them.
pub(crate) fn snapshot_document(
    out: &mut Vec<u8>,
    id: &str,
    type_name: &str,
    properties: &ExprMap,
    condition: Option<&str>,
) {
    out.extend_from_slice(b"{\n  \"Condition\": ");
    match condition {
        Some(c) => string(out, c),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n  \"Id\": ");
    string(out, id);
    out.extend_from_slice(b",\n  \"Properties\": ");
    write_map(out, properties, 1);
    out.extend_from_slice(b",\n  \"Type\": ");
    string(out, type_name);
    out.extend_from_slice(b"\n}\n");
}

/// A resource a content-addressed ID's hash reaches outside what it covers (see
/// `content_id::reached`): its logical ID, its type, its properties, and which of them
/// (in key order) the document holds.
pub(crate) struct Reached<'a> {
    pub(crate) id: &'a str,
    pub(crate) type_name: &'a str,
    pub(crate) properties: &'a ExprMap,
    /// One flag per property, in key order: whether it is written.
    pub(crate) replacing: &'a [bool],
}

/// What [`to_pretty`] writes for `{"Reached": {<id>: {"Replacing": {<property>: <value>,
/// ...}, "Type": <type>}, ...}}` (the last document a content-addressed ID hashes), with
/// `reached` sorted by ID: no section name claims `Reached`, so every key comes sorted,
/// and the values are written as `write_expr` writes them.
pub(crate) fn reached_document(out: &mut Vec<u8>, reached: &[Reached]) {
    out.extend_from_slice(b"{\n  \"Reached\": ");
    if reached.is_empty() {
        out.extend_from_slice(b"{}");
    } else {
        out.push(b'{');
        for (i, r) in reached.iter().enumerate() {
            line(out, i != 0, 2);
            key(out, r.id);
            out.push(b'{');
            line(out, false, 3);
            plain_key(out, "Replacing");
            let mut written = 0;
            for ((k, v), _) in r
                .properties
                .iter()
                .zip(r.replacing)
                .filter(|(_, keep)| **keep)
            {
                out.push(if written == 0 { b'{' } else { b',' });
                line(out, false, 4);
                key(out, k);
                write_expr(out, v, 4);
                written += 1;
            }
            if written == 0 {
                out.extend_from_slice(b"{}");
            } else {
                line(out, false, 3);
                out.push(b'}');
            }
            line(out, true, 3);
            plain_key(out, "Type");
            string(out, r.type_name);
            line(out, false, 2);
            out.push(b'}');
        }
        line(out, false, 1);
        out.push(b'}');
    }
    out.extend_from_slice(b"\n}\n");
}

/// An object of the model (sorted keys, as `write` writes its JSON), written in place.
fn write_map(out: &mut Vec<u8>, map: &ExprMap, level: usize) {
    if map.is_empty() {
        out.extend_from_slice(b"{}");
        return;
    }
    out.push(b'{');
    for (i, (k, v)) in map.iter().enumerate() {
        line(out, i != 0, level + 1);
        key(out, k.as_str());
        write_expr(out, v, level + 1);
    }
    line(out, false, level);
    out.push(b'}');
}

/// An argument of an intrinsic function as `Expr::to_json` renders it: a string, or an
/// expression.
enum Arg<'a> {
    Str(&'a str),
    Expr(&'a Expr),
}

fn write_arg(out: &mut Vec<u8>, arg: &Arg, level: usize) {
    match arg {
        Arg::Str(s) => string(out, s),
        Arg::Expr(e) => write_expr(out, e, level),
    }
}

/// `{ "<name>": <arg> }` written in place, as `write` writes it (one key, so no order).
fn one(out: &mut Vec<u8>, name: &str, arg: Arg, level: usize) {
    out.push(b'{');
    line(out, false, level + 1);
    plain_key(out, name);
    write_arg(out, &arg, level + 1);
    line(out, false, level);
    out.push(b'}');
}

/// `{ "<name>": [<args>...] }` written in place; `args` is never empty.
fn one_list(out: &mut Vec<u8>, name: &str, args: &[Arg], level: usize) {
    out.push(b'{');
    line(out, false, level + 1);
    plain_key(out, name);
    out.push(b'[');
    for (i, arg) in args.iter().enumerate() {
        line(out, i != 0, level + 2);
        write_arg(out, arg, level + 2);
    }
    line(out, false, level + 1);
    out.push(b']');
    line(out, false, level);
    out.push(b'}');
}

/// A JSON scalar other than a string (number, boolean, null) exactly as `serde_json`
/// prints it, written in place.
fn scalar(out: &mut Vec<u8>, v: &J) {
    // Writing to a Vec cannot fail, and a JSON scalar always serializes.
    let _ = serde_json::to_writer(&mut *out, v);
}

/// What `serde_json` writes for each byte of a string: 0 for the byte itself, else the
/// letter after the backslash (`u` for `\u00XX`). Only control characters, `"` and `\`
/// are escaped; everything else, UTF-8 included, is written as it is.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// The bytes of `word` (8 bytes, little-endian) that [`ESCAPE`] escapes (below 0x20,
/// `"` or `\`), as the high bit of each such byte. The classic has-zero-byte test on
/// `word ^ "..."`, `word ^ "\\..."` and the has-byte-below test on `word`: a borrow only
/// runs towards higher bytes, so a bit above a flagged byte may be flagged falsely, but
/// the lowest set bit always marks the first byte to escape, and 0 means none is.
fn to_escape(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    below(word, 0x20)
        | below(word ^ (ONES * u64::from(b'"')), 1)
        | below(word ^ (ONES * u64::from(b'\\')), 1)
}

/// A string (a key or a value) quoted and escaped exactly as `serde_json` writes it,
/// in place.
fn string(out: &mut Vec<u8>, text: &str) {
    quoted(out, text, b"\"");
}

/// An object's key: the string, then `: `.
fn key(out: &mut Vec<u8>, text: &str) {
    quoted(out, text, b"\": ");
}

/// A key of this writer's own (a section, attribute or intrinsic function name), which
/// needs no escape: copied as it is.
fn plain_key(out: &mut Vec<u8>, name: &str) {
    debug_assert!(first_escape(name.as_bytes()).is_none(), "{name}");
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// `"`, `text` escaped, then `close` (the closing quote and what follows it). Most text
/// needs no escape and is copied whole once [`first_escape`] finds nothing; the template
/// writes some 20 000 strings, most of them short keys and names, so the fixed cost per
/// string is what counts. `close` is a constant of known length, copied in place rather
/// than by a call to `memcpy`.
fn quoted<const N: usize>(out: &mut Vec<u8>, text: &str, close: &[u8; N]) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 1 + close.len());
    out.push(b'"');
    match first_escape(bytes) {
        None => out.extend_from_slice(bytes),
        Some(at) => escaped(out, bytes, at),
    }
    out.extend_from_slice(close);
}

/// Where the first byte to escape is, if any: eight bytes at a time, the last (partial)
/// word read as the last eight bytes with those already read masked off, and a text
/// shorter than a word byte by byte.
pub(crate) fn first_escape(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 8 {
        // Four to seven bytes (most keys and names): one word of the first four and the
        // last four, which overlap. A flag in the first four is the answer; with none
        // there, no borrow reaches the last four, whose lowest flag is then exact.
        if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
            let word = u64::from(u32::from_le_bytes(*first))
                | (u64::from(u32::from_le_bytes(*last)) << 32);
            let flagged = to_escape(word);
            if flagged == 0 {
                return None;
            }
            let at = (flagged.trailing_zeros() / 8) as usize;
            return Some(if at < 4 { at } else { at + bytes.len() - 8 });
        }
        return bytes.iter().position(|&b| ESCAPE[b as usize] != 0);
    }
    let mut at = 0;
    while let Some(word) = bytes[at..].first_chunk::<8>() {
        let flagged = to_escape(u64::from_le_bytes(*word));
        if flagged != 0 {
            return Some(at + (flagged.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let fresh = bytes.len() - at;
    if fresh == 0 {
        return None;
    }
    // The bytes below `at` hold nothing to escape, so no borrow starts in them: the flags
    // of the `fresh` high bytes are exact for the lowest, as in a full word.
    let word = bytes
        .last_chunk::<8>()
        .map_or(0, |w| u64::from_le_bytes(*w));
    let flagged = to_escape(word) & (u64::MAX << (8 * (8 - fresh)));
    (flagged != 0).then(|| bytes.len() - 8 + (flagged.trailing_zeros() / 8) as usize)
}

/// `bytes` escaped from `first`, the first byte to escape: scanned eight bytes at a time,
/// each word free of bytes to escape copied as it was read (a store of eight bytes, not a
/// call to `memcpy` per run: an inline handler has a quote or a newline every dozen bytes),
/// and a word holding one copied whole, then cut back to the bytes before it. The lowest
/// flagged byte of a word is always one to escape, so `ESCAPE` is only read for those;
/// the last few bytes are looked up one by one.
fn escaped(out: &mut Vec<u8>, bytes: &[u8], first: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(&bytes[..first]);
    let mut at = first;
    loop {
        // `bytes[at]` is to be escaped.
        let byte = bytes[at];
        let escape = ESCAPE[byte as usize];
        if escape == b'u' {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(byte >> 4) as usize],
                HEX[(byte & 0xf) as usize],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        at += 1;
        // Copy up to the next byte to escape, if any.
        loop {
            let Some(word) = bytes[at..].first_chunk::<8>() else {
                let rest = &bytes[at..];
                match rest.iter().position(|&b| ESCAPE[b as usize] != 0) {
                    None => {
                        out.extend_from_slice(rest);
                        return;
                    }
                    Some(clean) => {
                        out.extend_from_slice(&rest[..clean]);
                        at += clean;
                        break;
                    }
                }
            };
            let flagged = to_escape(u64::from_le_bytes(*word));
            let len = out.len();
            out.extend_from_slice(word);
            if flagged == 0 {
                at += 8;
                continue;
            }
            let clean = (flagged.trailing_zeros() / 8) as usize;
            out.truncate(len + clean);
            at += clean;
            break;
        }
    }
}

fn order_of(at: At) -> &'static [&'static str] {
    match at {
        At::Root => SECTIONS,
        At::Element(order) => order,
        At::Section(_) | At::Other => &[],
    }
}

fn child_at(at: At, key: &str) -> At {
    match at {
        At::Root => match SECTIONS.iter().find(|s| **s == key) {
            Some(s) => At::Section(s),
            None => At::Other,
        },
        At::Section("Resources") => At::Element(RESOURCE),
        At::Section("Parameters") => At::Element(PARAMETER),
        At::Section("Outputs") => At::Element(OUTPUT),
        _ => At::Other,
    }
}

/// A comma, a newline and indentation for 64 levels: [`line`] copies a prefix.
const LINE: &[u8; 2 + 2 * 64] = &{
    let mut line = [b' '; 2 + 2 * 64];
    line[0] = b',';
    line[1] = b'\n';
    line
};

/// A new line at `level` (two spaces a level), after a comma when `comma`: one copy, not
/// a push per level (the template has a line per key, item and closing bracket).
fn line(out: &mut Vec<u8>, comma: bool, level: usize) {
    let start = usize::from(!comma);
    // Up to 15 levels (nearly every line of a template), a copy of a constant 32 bytes,
    // cut back to the line's length: a few stores in place, where a copy of the line's
    // own length is a call to `memcpy`.
    if let Some(chunk) = LINE[start..].first_chunk::<32>()
        && level <= 15
    {
        let end = out.len() + 2 + 2 * level - start;
        out.extend_from_slice(chunk);
        out.truncate(end);
    } else if level <= 64 {
        out.extend_from_slice(&LINE[start..2 + 2 * level]);
    } else {
        out.extend_from_slice(&LINE[start..2]);
        for _ in 0..level {
            out.extend_from_slice(b"  ");
        }
    }
}

fn write(out: &mut Vec<u8>, v: &J, at: At, level: usize) {
    match v {
        J::Object(map) if map.is_empty() => out.extend_from_slice(b"{}"),
        // Sorted keys and no conventional order: written as they come, with no list of
        // keys to build (serde_json's map is sorted unless `preserve_order` is on).
        J::Object(map) if order_of(at).is_empty() && map.keys().is_sorted() => {
            out.push(b'{');
            for (i, (k, v)) in map.iter().enumerate() {
                line(out, i != 0, level + 1);
                key(out, k.as_str());
                write(out, v, child_at(at, k), level + 1);
            }
            line(out, false, level);
            out.push(b'}');
        }
        J::Object(map) => {
            let order = order_of(at);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| {
                (
                    order.iter().position(|o| o == k).unwrap_or(order.len()),
                    k.as_str(),
                )
            });
            out.push(b'{');
            for (i, k) in keys.iter().enumerate() {
                line(out, i != 0, level + 1);
                key(out, k.as_str());
                write(out, &map[*k], child_at(at, k), level + 1);
            }
            line(out, false, level);
            out.push(b'}');
        }
        J::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        J::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                line(out, i != 0, level + 1);
                write(out, item, At::Other, level + 1);
            }
            line(out, false, level);
            out.push(b']');
        }
        J::String(text) => string(out, text),
        other => scalar(out, other),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::value::expr::{StackKey, Target, TargetKind};
    use crate::value::pseudo::Pseudo;
    use crate::value::sub::SubPart;

    fn target(kind: TargetKind, id: &str) -> Target {
        Target {
            stack: StackKey::new(1, "S"),
            kind,
            id: Arc::from(id),
        }
    }

    /// Every intrinsic written in place gives the bytes its JSON gives, nested in each
    /// other, in objects and lists, and inside literals with keys in any order.
    #[test]
    fn intrinsics_written_in_place_match_their_json() {
        let r = || Expr::Ref(target(TargetKind::Resource, "Res\"q\""));
        let lit = || Expr::Lit(json!({ "b": [1, { "z": null, "a": "ü" }], "a": {} }));
        let cond = target(TargetKind::Condition, "IsProd");
        let b = Box::new;
        let leaves = vec![
            r(),
            Expr::Pseudo(Pseudo::Region),
            Expr::NoValue,
            Expr::Condition(cond.clone()),
            Expr::GetAtt(target(TargetKind::Resource, "Fn"), Arc::from("Arn")),
            lit(),
            Expr::Lit(json!("plain")),
        ];
        let mut all = leaves.clone();
        for e in &leaves {
            all.extend([
                Expr::Join(",".into(), b(Expr::Array(vec![e.clone(), lit()]))),
                Expr::Split("|".into(), b(e.clone())),
                Expr::Select(b(Expr::Lit(json!(0))), b(e.clone())),
                Expr::Equals(b(e.clone()), b(r())),
                Expr::If(cond.clone(), b(e.clone()), b(Expr::NoValue)),
                Expr::Not(b(e.clone())),
                Expr::ImportValue(b(e.clone())),
                Expr::GetAzs(b(e.clone())),
                Expr::Base64(b(e.clone())),
                Expr::Length(b(e.clone())),
                Expr::ToJsonString(b(e.clone())),
                Expr::And(vec![e.clone(), r()]),
                Expr::Object(ExprMap::from([
                    ("K".to_string(), e.clone()),
                    ("A".to_string(), Expr::Array(vec![e.clone()])),
                ])),
                // `Fn::Sub` in each form: a reference inline, a literal written in,
                // anything else a named variable.
                Expr::Sub(vec![
                    SubPart::Text("a-${!x}-".into()),
                    SubPart::Var("v".into(), e.clone()),
                    SubPart::Pseudo(Pseudo::Region),
                ]),
                Expr::Sub(vec![SubPart::Var("v".into(), e.clone())]),
            ]);
        }
        // No placeholder left (a plain string, `${!` escapes read back) and only one.
        all.extend([
            Expr::Sub(vec![SubPart::Text("plain \"text\"".into())]),
            Expr::Sub(vec![SubPart::Text("${!Literal}".into())]),
            Expr::Sub(vec![SubPart::Pseudo(Pseudo::Region)]),
        ]);
        for e in &all {
            for level in [0, 3] {
                let mut model = Vec::new();
                write_expr(&mut model, e, level);
                let mut value = Vec::new();
                write(&mut value, &e.to_json(), At::Other, level);
                assert_eq!(
                    String::from_utf8(model).unwrap(),
                    String::from_utf8(value).unwrap(),
                    "{e:?}"
                );
            }
        }
    }

    /// A new line is a comma when asked, a newline and two spaces a level, at every level
    /// (each way `line` writes one: a constant chunk cut back, a prefix, a loop), after
    /// text already written.
    #[test]
    fn lines_are_indented_two_spaces_a_level() {
        for level in 0..80 {
            for comma in [false, true] {
                let mut out = b"x".to_vec();
                line(&mut out, comma, level);
                let want = format!("x{}\n{}", if comma { "," } else { "" }, "  ".repeat(level));
                assert_eq!(String::from_utf8(out).unwrap(), want, "{level} {comma}");
            }
        }
    }

    /// A literal object is written with sorted keys whatever order it was built in (with
    /// `preserve_order` on, the map keeps insertion order and the sorting path is taken).
    #[test]
    fn unsorted_keys_are_written_sorted() {
        let mut map = serde_json::Map::new();
        map.insert("b".into(), json!(1));
        map.insert("a".into(), json!(2));
        let mut out = Vec::new();
        write(&mut out, &J::Object(map), At::Other, 0);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"a\": 2,\n  \"b\": 1\n}"
        );
    }

    /// The string writer's bytes are serde_json's for every ASCII character (each
    /// control character, `"` and `\` escaped, the rest as is) at every position of the
    /// eight-byte scan, and for multi-byte text.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = vec![
            String::new(),
            "plain ascii text longer than a word".into(),
            "é€𝄞 ünïcödé and \u{7f}\u{80}\u{2028}".into(),
            "def handler(event, context):\n\treturn {\"ok\": \"a\\b\"}\r\n".into(),
        ];
        for b in 0u8..0x80 {
            for at in 0..17 {
                let mut text = "x".repeat(at);
                text.push(b as char);
                text.push_str("tail");
                texts.push(text);
            }
        }
        // Pairs around the bytes that end an escape class, where the word test can flag
        // a byte after an escaped one falsely.
        let edges = [
            '\0', '\u{1f}', ' ', '!', '"', '#', '[', '\\', ']', '\u{7f}', 'a',
        ];
        for a in edges {
            for b in edges {
                for at in 0..9 {
                    texts.push(format!("{}{a}{b}{}", "y".repeat(at), "z".repeat(9)));
                }
            }
        }
        // Several bytes to escape at every pair of positions of texts up to three words
        // long: each run between them copied, the last few bytes after a word included.
        for len in 1..24 {
            for i in 0..len {
                for j in i..len {
                    for (a, b) in [('"', '\n'), ('\u{1}', '\\'), ('\t', '\t')] {
                        let text: String = (0..len)
                            .map(|k| match k {
                                _ if k == i => a,
                                _ if k == j => b,
                                _ => char::from(b'a' + (k % 26) as u8),
                            })
                            .collect();
                        texts.push(text);
                    }
                }
            }
        }
        for text in texts {
            let mut out = Vec::new();
            string(&mut out, &text);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }
}
