//! Dependency cycles between resources (through references and DependsOn), and
//! DependsOn on another stack.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::graph::Graph;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, How, Target, TargetKind};

use super::references::foreign;

/// Cycles among resources, and DependsOn across stacks.
///
/// The graph is built first without the reasons of its edges: a stack almost never has a
/// cycle, and the dotted property path of every reference is only worth writing when one
/// is printed. When there is a cycle, the graph is built again with the reasons.
pub(super) fn check(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    for r in resolved {
        for d in r.entry.depends_on.iter().filter(|d| d.stack != stack.key) {
            diags.push(foreign(
                stack,
                &Location::resource(&r.entry.target.id),
                d,
                "DependsOn",
            ));
        }
    }
    if graph(stack, resolved, false).cycles().is_empty() {
        return;
    }
    let graph = graph(stack, resolved, true);
    for cycle in graph.cycles() {
        diags.push(Diagnostic::error(
            Location::resource(&cycle[0]),
            format!("dependency cycle: {}", graph.describe(&cycle)),
            "break one edge of the cycle: build a value from a name you choose instead of a reference, or drop a DependsOn",
        ));
    }
}

/// The resources and what each depends on in this stack, each edge with its reason (the
/// first found: a property's references, then DependsOn) when `reasons` is set.
fn graph<'a>(stack: &Stack, resolved: &'a [Resolved], reasons: bool) -> Graph<'a> {
    let mut graph = Graph::default();
    for r in resolved {
        let id = &*r.entry.target.id;
        graph.node(id);
        let in_stack = |t: &Target| t.kind == TargetKind::Resource && t.stack == stack.key;
        if reasons {
            for (path, target, how) in references_with_paths(&r.props, String::new()) {
                if in_stack(target) {
                    graph.edge(id, &target.id, format!("property `{path}` ({how})"));
                }
            }
        } else {
            for (target, _) in r.props.references() {
                if in_stack(target) {
                    graph.edge(id, &target.id, String::new());
                }
            }
        }
        for d in r.entry.depends_on.iter().filter(|d| d.stack == stack.key) {
            graph.edge(id, &d.id, "DependsOn".to_string());
        }
    }
    graph
}

/// References below `e`, with the dotted property path where each sits.
fn references_with_paths(e: &Expr, at: String) -> Vec<(String, &Target, How<'_>)> {
    let join = |seg: &str| {
        if at.is_empty() {
            seg.to_string()
        } else {
            format!("{at}.{seg}")
        }
    };
    match e {
        Expr::Object(map) => map
            .iter()
            .flat_map(|(k, v)| references_with_paths(v, join(k)))
            .collect(),
        Expr::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| references_with_paths(v, join(&i.to_string())))
            .collect(),
        other => other
            .references()
            .into_iter()
            .map(|(t, how)| (at.clone(), t, how))
            .collect(),
    }
}
