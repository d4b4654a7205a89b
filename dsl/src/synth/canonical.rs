//! The canonical JSON writer: CloudFormation's conventional order for template sections
//! and resource attributes, sorted keys everywhere else, two-space indentation.
//!
//! Ordering is decided here, not by the map type, so the bytes do not depend on whether
//! some other crate in the build enables serde_json's `preserve_order`.

use serde_json::Value as J;

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
    let mut out = Vec::with_capacity(4096);
    write(&mut out, template, At::Root, 0);
    out.push(b'\n');
    // Only serde_json's own output and ASCII punctuation were written.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A key or scalar exactly as `serde_json` prints it, written in place (no intermediate
/// `String` per key: a template has tens of thousands).
fn scalar(out: &mut Vec<u8>, v: &(impl serde::Serialize + ?Sized)) {
    // Writing to a Vec cannot fail, and a string or JSON scalar always serializes.
    let _ = serde_json::to_writer(&mut *out, v);
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

fn indent(out: &mut Vec<u8>, level: usize) {
    for _ in 0..level {
        out.extend_from_slice(b"  ");
    }
}

fn write(out: &mut Vec<u8>, v: &J, at: At, level: usize) {
    match v {
        J::Object(map) if map.is_empty() => out.extend_from_slice(b"{}"),
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
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, level + 1);
                scalar(out, k.as_str());
                out.extend_from_slice(b": ");
                write(out, &map[*k], child_at(at, k), level + 1);
            }
            out.push(b'\n');
            indent(out, level);
            out.push(b'}');
        }
        J::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        J::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, level + 1);
                write(out, item, At::Other, level + 1);
            }
            out.push(b'\n');
            indent(out, level);
            out.push(b']');
        }
        other => scalar(out, other),
    }
}
