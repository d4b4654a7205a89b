//! Dependency cycles between resources (through references and DependsOn), and
//! DependsOn on another stack.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::graph::Graph;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, Target, TargetKind};

use super::references::foreign;

/// Cycles among resources, and DependsOn across stacks.
pub(super) fn check(stack: &Stack, resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    let mut graph = Graph::default();
    for r in resolved {
        let id = &*r.entry.target.id;
        graph.node(id);
        for (path, target, how) in references_with_paths(&r.props, String::new()) {
            if target.kind == TargetKind::Resource && target.stack == stack.key {
                graph.edge(id, &target.id, format!("property `{path}` ({how})"));
            }
        }
        for d in &r.entry.depends_on {
            if d.stack == stack.key {
                graph.edge(id, &d.id, "DependsOn".to_string());
            } else {
                diags.push(foreign(stack, &Location::resource(id), d, "DependsOn"));
            }
        }
    }
    for cycle in graph.cycles() {
        diags.push(Diagnostic::error(
            Location::resource(&cycle[0]),
            format!("dependency cycle: {}", graph.describe(&cycle)),
            "break one edge of the cycle: build a value from a name you choose instead of a reference, or drop a DependsOn",
        ));
    }
}

/// References below `e`, with the dotted property path where each sits.
fn references_with_paths(e: &Expr, at: String) -> Vec<(String, &Target, String)> {
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
