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
    let mut out = String::with_capacity(4096);
    write(&mut out, template, At::Root, 0);
    out.push('\n');
    out
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

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write(out: &mut String, v: &J, at: At, level: usize) {
    match v {
        J::Object(map) if map.is_empty() => out.push_str("{}"),
        J::Object(map) => {
            let order = order_of(at);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| {
                (
                    order.iter().position(|o| o == k).unwrap_or(order.len()),
                    k.as_str(),
                )
            });
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(out, level + 1);
                out.push_str(&J::String((*k).clone()).to_string());
                out.push_str(": ");
                write(out, &map[*k], child_at(at, k), level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
        J::Array(items) if items.is_empty() => out.push_str("[]"),
        J::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(out, level + 1);
                write(out, item, At::Other, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}
