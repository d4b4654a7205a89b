//! Dependency cycles between resources (through references and DependsOn), and
//! DependsOn on another stack.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::graph::Graph;
use crate::synth::reach::for_each_dependency;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, How, Target, TargetKind};

use super::references::foreign;

/// What each resource depends on through its properties' references, by position in
/// the stack (the edges [`for_each_dependency`] gives, without `DependsOn`), gathered by
/// the checks' one walk of each property.
pub(super) struct Edges {
    edges: Vec<Vec<usize>>,
    /// The stack position of each resolved resource ([`from`]), found once for the
    /// walk's references and the `DependsOn` edges.
    from: Vec<usize>,
}

impl Edges {
    pub(super) fn new(stack: &Stack, resolved: &[Resolved]) -> Self {
        Edges {
            edges: vec![Vec::new(); resolved.len()],
            from: resolved
                .iter()
                .enumerate()
                .map(|(i, r)| from(stack, r, i))
                .collect(),
        }
    }

    /// The resolved resource `i` refers to `t`; whether `t` is a resource of this stack
    /// (an edge).
    pub(super) fn reference(&mut self, stack: &Stack, i: usize, t: &Target) -> bool {
        if let Some(to) = crate::synth::reach::edge(stack, t) {
            self.edges[self.from[i]].push(to);
            return true;
        }
        false
    }
}

/// Cycles among resources, and DependsOn across stacks.
///
/// A cycle is looked for first on resources numbered by position, without the reasons of
/// the edges (`has_cycle`): a stack almost never has one, and neither the dotted property
/// path of every reference nor a graph keyed by logical ID is worth building then. When
/// there is a cycle, the graph is built with the reasons and its cycles are printed.
/// `edges` are the references of each resource's properties (from the checks' walk).
pub(super) fn check(
    stack: &Stack,
    resolved: &[Resolved],
    edges: Edges,
    diags: &mut Vec<Diagnostic>,
) {
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
    if !has_cycle(stack, resolved, edges) {
        return;
    }
    let graph = graph(stack, resolved);
    for cycle in graph.cycles() {
        diags.push(Diagnostic::error(
            Location::resource(&cycle[0]),
            format!("dependency cycle: {}", graph.describe(&cycle)),
            fix(resolved, &graph, &cycle),
        ));
    }
}

/// How to break `cycle`. A role's own `Policies` naming something that waits for the role
/// (a statement written by hand, or by an override: grants move theirs out themselves)
/// is broken by moving the statement out of the role.
fn fix(resolved: &[Resolved], graph: &Graph, cycle: &[String]) -> String {
    let general = "break one edge of the cycle: build a value from a name you choose instead of a reference, or drop a DependsOn";
    let in_policies = cycle.iter().enumerate().find(|(i, id)| {
        let next = &cycle[(i + 1) % cycle.len()];
        resolved
            .iter()
            .any(|r| *r.entry.target.id == ***id && r.entry.type_name == "AWS::IAM::Role")
            && graph
                .why(id, next)
                .is_some_and(|w| w.starts_with("property `Policies"))
    });
    match in_policies {
        Some((_, role)) => format!(
            "move the statement out of role `{role}`'s `Policies` into an `AWS::IAM::RolePolicy` whose `RoleName` is the role's `Ref` (created after both), or give the permission with `nephos::constructs::grants`, which does that itself; otherwise {general}"
        ),
        None => general.to_string(),
    }
}

/// Whether the resources depend on each other in a cycle (through references or
/// DependsOn in this stack): the same graph as [`graph`], with nodes numbered by their
/// first resource, and no reasons. A target that is no resource of the stack has no
/// edges of its own, so it cannot close a cycle and is left out.
fn has_cycle(stack: &Stack, resolved: &[Resolved], edges: Edges) -> bool {
    // `resolved` is the stack's resources in order, so a position in it is one in the
    // stack, as `for_each_dependency` gives them; resources sharing a logical ID (an
    // error reported elsewhere) are one node, the first, as in the printed graph. The
    // properties' edges are given; `DependsOn` adds its own (the order of a node's edges
    // does not change whether there is a cycle).
    let Edges { mut edges, from } = edges;
    for (r, &from) in resolved.iter().zip(&from) {
        for_each_dependency(stack, std::iter::empty(), &r.entry.depends_on, &mut |to| {
            edges[from].push(to)
        });
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; resolved.len()];
    // Iterative depth-first search: (node, next edge to follow).
    let mut path: Vec<(usize, usize)> = Vec::new();
    for start in 0..resolved.len() {
        if mark[start] != Mark::New {
            continue;
        }
        mark[start] = Mark::OnPath;
        path.push((start, 0));
        while let Some((node, next)) = path.last_mut() {
            match edges[*node].get(*next) {
                Some(&to) => {
                    *next += 1;
                    match mark[to] {
                        Mark::New => {
                            mark[to] = Mark::OnPath;
                            path.push((to, 0));
                        }
                        Mark::OnPath => return true,
                        Mark::Done => {}
                    }
                }
                None => {
                    mark[*node] = Mark::Done;
                    path.pop();
                }
            }
        }
    }
    false
}

/// The node of the `i`th resource `r`: its position in the stack (the first of a
/// repeated logical ID).
fn from(stack: &Stack, r: &Resolved, i: usize) -> usize {
    stack.position(&r.entry.target).unwrap_or(i)
}

/// The resources and what each depends on in this stack, each edge with its reason (the
/// first found: a property's references, then DependsOn); built only when there is a
/// cycle to print.
fn graph<'a>(stack: &Stack, resolved: &'a [Resolved]) -> Graph<'a> {
    let mut graph = Graph::default();
    for r in resolved {
        let id = &*r.entry.target.id;
        graph.node(id);
        let in_stack = |t: &Target| t.kind == TargetKind::Resource && t.stack == stack.key;
        let paths = r
            .props
            .iter()
            .flat_map(|(k, v)| references_with_paths(v, k.clone()));
        for (path, target, how) in paths {
            if in_stack(target) {
                graph.edge(id, &target.id, format!("property `{path}` ({how})"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RawResource;
    use crate::kind::Str;

    /// The numbered search finds a cycle exactly when the graph printed for one has one:
    /// every graph of DependsOn edges on three resources (self-edges included), with a
    /// property reference from `C` to `A` in half of them.
    #[test]
    fn has_cycle_agrees_with_the_printed_graph_on_every_small_graph() {
        for mask in 0u32..1024 {
            let mut stack = Stack::new("App");
            let a = stack.add("A", RawResource::new("AWS::SQS::Queue"));
            let b = stack.add("B", RawResource::new("AWS::SQS::Queue"));
            let mut c = RawResource::new("AWS::SQS::Queue");
            if mask & 512 != 0 {
                c = c.property("QueueName", a.get_att::<Str>("QueueName"));
            }
            let c = stack.add("C", c);
            let handles = [&a, &b, &c];
            for (bit, (from, to)) in (0..3).flat_map(|f| (0..3).map(move |t| (f, t))).enumerate() {
                if mask & (1 << bit) != 0 {
                    stack.resource(handles[from]).depends_on(handles[to]);
                }
            }
            let resolved: Vec<Resolved> = stack
                .resources
                .iter()
                .map(|entry| Resolved {
                    entry,
                    props: entry.props.map.clone(),
                })
                .collect();
            // The property edges as the checks' walk gathers them.
            let mut edges = Edges::new(&stack, &resolved);
            for (i, r) in resolved.iter().enumerate() {
                for v in r.props.values() {
                    v.for_each_reference(&mut |t, _| {
                        edges.reference(&stack, i, t);
                    });
                }
            }
            assert_eq!(
                has_cycle(&stack, &resolved, edges),
                !graph(&stack, &resolved).cycles().is_empty(),
                "edges {mask:#b}"
            );
        }
    }
}
