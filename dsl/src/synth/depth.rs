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

/// Whether `e` nests at most `budget` levels ([`json_depth`]`(e) <= budget`), answered by
/// a recursion that goes at most `budget` calls deep: every call spends at least one level
/// of the budget, so a value nested past it stops the descent rather than the thread's
/// stack. Synth asks this of every value; [`json_depth`], iterative, measures only a value
/// that does not fit, for its message.
pub(crate) fn fits(e: &Expr, budget: usize) -> bool {
    let own = match e {
        Expr::Lit(v) => return literal_fits(v, budget),
        Expr::Sub(_) => 3,
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
    };
    let Some(rest) = budget.checked_sub(own) else {
        return false;
    };
    match e {
        // Scalars and the common containers without the closure of `for_each_child`.
        Expr::Ref(_) | Expr::Pseudo(_) | Expr::NoValue | Expr::Condition(_) => true,
        Expr::Array(items) => items.iter().all(|c| fits(c, rest)),
        Expr::Object(map) => map.values().all(|c| fits(c, rest)),
        Expr::FindInMap {
            top,
            second,
            default,
            ..
        } => {
            fits(top, rest)
                && fits(second, rest)
                // The default sits in its own `{"DefaultValue": ...}` object.
                && default
                    .as_ref()
                    .is_none_or(|d| budget.checked_sub(3).is_some_and(|b| fits(d, b)))
        }
        _ => {
            let mut ok = true;
            e.for_each_child(&mut |c| ok = ok && fits(c, rest));
            ok
        }
    }
}

/// [`fits`] for the property `name` of a resource, also noting in `tags` (set, never
/// cleared) whether it holds a tag list that synth must put in canonical order: what
/// [`tags::needs_canonicalizing`](crate::synth::tags::needs_canonicalizing) answers,
/// found in the same walk, so synth walks each resource's properties once for both. The
/// note is complete only when the value fits (the walk stops at the first part that
/// does not, and synth then stops too).
pub(crate) fn fits_noting_tags(name: &str, e: &Expr, budget: usize, tags: &mut bool) -> bool {
    use crate::synth::tags;
    if !*tags && name == "Tags" && tags::list_needs(name, e) {
        *tags = true;
    }
    // The tag check looks into objects, lists and literals only, as `fits` walks them.
    match e {
        Expr::Object(map) => budget
            .checked_sub(1)
            .is_some_and(|rest| map.iter().all(|(k, c)| fits_noting_tags(k, c, rest, tags))),
        // A list's items are held under no name.
        Expr::Array(items) => budget
            .checked_sub(1)
            .is_some_and(|rest| items.iter().all(|c| fits_noting_tags("", c, rest, tags))),
        Expr::Lit(v) => {
            if !*tags && tags::literal_needs(v) {
                *tags = true;
            }
            literal_fits(v, budget)
        }
        _ => fits(e, budget),
    }
}

/// Whether plain JSON nests at most `budget` levels ([`literal_depth`]`(v) <= budget`),
/// recursing at most `budget` calls deep.
fn literal_fits(v: &serde_json::Value, budget: usize) -> bool {
    match v {
        serde_json::Value::Array(items) => {
            budget >= 1 && items.iter().all(|c| literal_fits(c, budget - 1))
        }
        serde_json::Value::Object(map) => {
            budget >= 1 && map.values().all(|c| literal_fits(c, budget - 1))
        }
        _ => true,
    }
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
/// Otherwise `tags` holds, for each resource in order, whether its properties hold a tag
/// list to put in canonical order (see [`fits_noting_tags`]).
pub(crate) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>, tags: &mut Vec<bool>) -> bool {
    let before = diags.len();
    let limit = MAX_TEMPLATE_DEPTH;
    tags.clear();
    tags.reserve(stack.resources.len());
    for r in &stack.resources {
        let mut needs = false;
        for (name, e) in r.props.map.iter() {
            if !fits_noting_tags(name, e, limit - PROPERTY_BASE, &mut needs) {
                let d = json_depth(e);
                diags.push(too_deep(Location::property(&r.target.id, name), d));
            }
        }
        tags.push(needs);
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
        if !fits(e, limit - ELEMENT_BASE) {
            let d = json_depth(e);
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::value::expr::{StackKey, Target, TargetKind};
    use crate::value::expr_map::ExprMap;
    use crate::value::sub::SubPart;

    fn target(kind: TargetKind, id: &str) -> Target {
        Target {
            stack: StackKey::new(1, "S"),
            kind,
            id: Arc::from(id),
        }
    }

    /// `fits` answers what `json_depth` measures, at every budget around each value's
    /// depth: every kind of node, literals nested inside, a `Fn::FindInMap` default.
    #[test]
    fn fits_agrees_with_the_measured_depth() {
        let b = Box::new;
        let lit = Expr::Lit(json!({ "a": [1, { "b": [[]] }], "c": {} }));
        let r = Expr::Ref(target(TargetKind::Resource, "R"));
        let mut values = vec![
            Expr::Lit(json!("x")),
            Expr::Lit(json!([])),
            lit.clone(),
            r.clone(),
            Expr::NoValue,
            Expr::GetAtt(target(TargetKind::Resource, "R"), Arc::from("Arn")),
            Expr::Sub(vec![
                SubPart::Text("a".into()),
                SubPart::Var("v".into(), lit.clone()),
            ]),
            Expr::FindInMap {
                mapping: target(TargetKind::Mapping, "M"),
                top: b(r.clone()),
                second: b(Expr::Lit(json!("k"))),
                default: Some(b(lit.clone())),
            },
            Expr::FindInMap {
                mapping: target(TargetKind::Mapping, "M"),
                top: b(lit.clone()),
                second: b(Expr::Lit(json!("k"))),
                default: None,
            },
            Expr::Invalid("m".into(), "f".into()),
        ];
        // Nested in each other, a few levels.
        let mut nested = lit.clone();
        for i in 0..6 {
            nested = match i % 3 {
                0 => Expr::Join(",".into(), b(Expr::Array(vec![r.clone(), nested]))),
                1 => Expr::If(
                    target(TargetKind::Condition, "C"),
                    b(nested),
                    b(Expr::NoValue),
                ),
                _ => Expr::Object(ExprMap::from([("K".to_string(), nested)])),
            };
            values.push(nested.clone());
        }
        for e in &values {
            let d = json_depth(e);
            for budget in d.saturating_sub(3)..d + 3 {
                assert_eq!(fits(e, budget), d <= budget, "{e:?} at {budget}");
            }
        }
    }

    /// A value nested far past the budget is refused without descending through it: no
    /// overflow of the thread's stack.
    #[test]
    fn a_value_nested_very_deep_does_not_fit() {
        let mut e = Expr::Lit(json!(1));
        let mut v = json!(1);
        for _ in 0..100_000 {
            e = Expr::Array(vec![e]);
            v = serde_json::Value::Array(vec![v]);
        }
        assert!(!fits(&e, MAX_TEMPLATE_DEPTH));
        let lit = Expr::Lit(v);
        assert!(!fits(&lit, MAX_TEMPLATE_DEPTH));
        // Dropping (or cloning) the values recurses per level and would overflow: they
        // are leaked on purpose.
        std::mem::forget(e);
        std::mem::forget(lit);
    }
}
