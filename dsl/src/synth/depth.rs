//! Nesting depth, measured without recursion before anything else walks a stack.
//!
//! Every other pass over values (validation, rendering, the canonical writer) recurses
//! per level, so a value nested a thousand levels deep would overflow the thread's stack
//! and abort the process. The limit is the one the template must meet anyway:
//! `nephos deploy` reads templates with `serde_json`, whose parser refuses JSON nested
//! deeper than 128 arrays and objects (its default recursion limit), so a deeper
//! template could be written but never read back. Checking it here, iteratively, turns
//! an abort into a diagnostic.

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;
use crate::value::expr::Expr;

/// The deepest nesting of arrays and objects a template may have (serde_json's default
/// recursion limit, which the deployer's template reader applies).
pub(crate) const MAX_TEMPLATE_DEPTH: usize = 128;

/// Containers above a resource property: the template, `Resources`, the resource,
/// `Properties`.
const PROPERTY_BASE: usize = 4;
/// Containers above a condition's, an output's or a rule's value (template, section,
/// element, and at most one more level such as `Value` or `Assertions`).
const ELEMENT_BASE: usize = 4;

/// The nesting a value adds to the template: arrays and objects, counted as the
/// rendered JSON has them (an `Fn::Join` is an object holding an array). Iterative.
pub(crate) fn json_depth(root: &Expr) -> usize {
    let mut deepest = 0;
    // Children go straight onto one work list, which stays unallocated for the usual
    // scalar property (synth runs this over every value of every resource).
    let mut todo: Vec<(&Expr, usize)> = Vec::new();
    let mut next = Some((root, 0));
    while let Some((e, above)) = next.take().or_else(|| todo.pop()) {
        let own = match e {
            Expr::Lit(v) => {
                deepest = deepest.max(above + literal_depth(v));
                continue;
            }
            Expr::Invalid(..)
            | Expr::Ref(_)
            | Expr::Pseudo(_)
            | Expr::NoValue
            | Expr::Condition(_)
            | Expr::Array(_)
            | Expr::Object(_)
            | Expr::ImportValue(_)
            | Expr::GetAzs(_)
            | Expr::Base64(_)
            | Expr::Length(_)
            | Expr::ToJsonString(_) => 1,
            Expr::GetAtt(..)
            | Expr::Join(..)
            | Expr::Split(..)
            | Expr::Not(_)
            | Expr::Select(..)
            | Expr::Equals(..)
            | Expr::If(..)
            | Expr::Cidr(..)
            | Expr::And(_)
            | Expr::Or(_)
            | Expr::RuleFn(..)
            | Expr::FindInMap { .. } => 2,
            Expr::Sub(_) => 3,
        };
        let here = above + own;
        deepest = deepest.max(here);
        match e {
            Expr::FindInMap {
                top,
                second,
                default,
                ..
            } => {
                todo.push((top, here));
                todo.push((second, here));
                // The default sits in its own `{"DefaultValue": ...}` object.
                if let Some(d) = default {
                    todo.push((d, above + 3));
                }
            }
            _ => e.for_each_child(&mut |c| todo.push((c, here))),
        }
    }
    deepest
}

/// The nesting of plain JSON (scalars 0), iteratively.
fn literal_depth(root: &serde_json::Value) -> usize {
    let mut deepest = 0;
    // Unallocated for a scalar, the usual literal.
    let mut todo = Vec::new();
    let mut next = Some((root, 0usize));
    while let Some((v, above)) = next.take().or_else(|| todo.pop()) {
        match v {
            serde_json::Value::Array(items) => {
                deepest = deepest.max(above + 1);
                todo.extend(items.iter().map(|i| (i, above + 1)));
            }
            serde_json::Value::Object(map) => {
                deepest = deepest.max(above + 1);
                todo.extend(map.values().map(|i| (i, above + 1)));
            }
            _ => deepest = deepest.max(above),
        }
    }
    deepest
}

fn too_deep(location: Location, depth: usize) -> Diagnostic {
    Diagnostic::error(
        location,
        format!(
            "the value is nested {depth} levels deep; with the levels above it the template would be nested deeper than {MAX_TEMPLATE_DEPTH} levels, more than templates may be (the deployer's JSON reader stops there)"
        ),
        "flatten the value: build long lists with one `join` over many items instead of nesting `join` in `join`, and chains of `fn_if` with a mapping (`find_in_map`) instead",
    )
}

/// Checks every value of the stack and every override path before any recursive pass
/// runs. Returns `false` (with the diagnostics pushed) when synth must stop here.
pub(crate) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) -> bool {
    let before = diags.len();
    let limit = MAX_TEMPLATE_DEPTH;
    for r in &stack.resources {
        for (name, e) in r.props.map.iter() {
            let d = json_depth(e);
            if d + PROPERTY_BASE > limit {
                diags.push(too_deep(Location::property(&r.target.id, name), d));
            }
        }
        for o in &r.overrides {
            let segments = o.path.split('.').count();
            let value = o.value.as_ref().map_or(0, json_depth);
            if segments + value + PROPERTY_BASE > limit {
                // The path itself may be huge: show its start only.
                let shown: String = o.path.chars().take(60).collect();
                diags.push(Diagnostic::error(
                    Location::resource(&r.target.id),
                    format!(
                        "the override path `{shown}...` has {segments} segments (its value {value} more levels); the template would be nested deeper than {MAX_TEMPLATE_DEPTH} levels"
                    ),
                    "override a shorter path: properties are rarely more than a few levels deep",
                ));
            }
        }
    }
    let mut element = |section: Section, id: &str, e: &crate::value::expr::Expr| {
        let d = json_depth(e);
        if d + ELEMENT_BASE > limit {
            diags.push(too_deep(Location::of(section, id), d));
        }
    };
    for (t, e) in &stack.conditions {
        element(Section::Condition, &t.id, e);
    }
    for o in &stack.outputs {
        element(Section::Output, &o.id, &o.value);
        if let Some(e) = &o.export {
            element(Section::Output, &o.id, e);
        }
    }
    for (id, rule) in &stack.rules {
        if let Some(c) = &rule.condition {
            element(Section::Rule, id, c);
        }
        for (a, _) in &rule.assertions {
            element(Section::Rule, id, a);
        }
    }
    // Plain JSON given whole (metadata, update and creation policies, mappings) is
    // written by the same recursive writer.
    let mut plain = |location: Location, v: &serde_json::Value, base: usize| {
        let d = literal_depth(v);
        if d + base > limit {
            diags.push(too_deep(location, d));
        }
    };
    for v in stack.metadata.values() {
        plain(Location::stack(), v, 2);
    }
    for r in &stack.resources {
        for v in r.metadata.values() {
            plain(Location::resource(&r.target.id), v, 4);
        }
        for v in [&r.update_policy, &r.creation_policy].into_iter().flatten() {
            plain(Location::resource(&r.target.id), v, 3);
        }
    }
    for (t, m) in &stack.mappings {
        for v in m.entries.values().flat_map(|second| second.values()) {
            // Template, Mappings, the mapping, its top-level key, then the value.
            plain(Location::of(Section::Mapping, &t.id), v, 4);
        }
    }
    diags.len() == before
}
