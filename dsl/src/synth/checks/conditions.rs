//! Conditions: each is a condition function, and none refers back to itself.

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;
use crate::synth::graph::Graph;
use crate::value::expr::Expr;

/// Condition bodies and condition cycles.
pub(super) fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let mut graph = Graph::default();
    for (t, e) in &stack.conditions {
        graph.node(&t.id);
        e.walk(&mut |node| {
            if let Expr::Condition(c) = node
                && c.stack == stack.key
            {
                graph.edge(&t.id, &c.id, "Condition".to_string());
            }
        });
        if matches!(e, Expr::Lit(_)) {
            diags.push(Diagnostic::error(
                Location::of(Section::Condition, &t.id),
                "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or another condition",
                "build it with equals, and, or, not",
            ));
        }
    }
    for cycle in graph.cycles() {
        diags.push(Diagnostic::error(
            Location::of(Section::Condition, &cycle[0]),
            format!("condition cycle: {}", graph.describe(&cycle)),
            "make one condition stop referring to the next",
        ));
    }
}
