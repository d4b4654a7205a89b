//! What depends on what among a stack's resources: the one definition of a dependency
//! edge (a reference in the properties, or a `DependsOn`, to a resource of the same
//! stack), shared by the cycle check and by the passes that must not make a cycle, and a
//! walk answering "which of these resources depend on that one" in one go.

use std::collections::{BTreeMap, BTreeSet};

use crate::stack::stack::Stack;
use crate::value::expr::{Expr, Target, TargetKind};

/// Calls `f` with the position in `stack.resources` of each resource of `stack` that a
/// resource with these properties and `DependsOn` depends on: every `Ref`, `Fn::GetAtt`
/// and `Fn::Sub` reference (at any depth, both branches of an `Fn::If` included), then
/// every `DependsOn`. A target outside the stack (another stack's resource, a parameter)
/// has no edges of its own here and is skipped. A position may come more than once.
pub(crate) fn for_each_dependency<'a>(
    stack: &Stack,
    props: impl IntoIterator<Item = &'a Expr>,
    depends_on: &[Target],
    f: &mut impl FnMut(usize),
) {
    let mut edge = |t: &Target| {
        if let Some(to) = edge(stack, t) {
            f(to);
        }
    };
    for v in props {
        v.for_each_reference(&mut |t, _| edge(t));
    }
    depends_on.iter().for_each(edge);
}

/// The position in `stack.resources` of the resource `t` refers to, when the reference
/// is a dependency edge (a resource of this stack): [`for_each_dependency`]'s rule for
/// one reference, for a walk that meets references itself.
pub(crate) fn edge(stack: &Stack, t: &Target) -> Option<usize> {
    if t.kind == TargetKind::Resource && t.stack == stack.key {
        stack.position(t)
    } else {
        None
    }
}

/// The resources reachable from some starting resources, each with what it depends on
/// (properties with their overrides applied, as the template will have them).
pub(crate) struct Reach {
    edges: BTreeMap<usize, Vec<usize>>,
}

impl Reach {
    /// Walks forward from `starts` (positions in `stack.resources`): every resource they
    /// depend on, transitively. A stack's references mostly point at resources with few
    /// references of their own (a table, a queue), so this visits little of a large stack.
    pub(crate) fn from(stack: &Stack, starts: impl IntoIterator<Item = usize>) -> Reach {
        let mut edges: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut todo: Vec<usize> = starts.into_iter().collect();
        // Override problems are reported by the synth checks, not here.
        let mut ignored = Vec::new();
        while let Some(n) = todo.pop() {
            if edges.contains_key(&n) {
                continue;
            }
            let entry = &stack.resources[n];
            let props = crate::synth::template::apply_overrides(entry, &mut ignored);
            let mut out: Vec<usize> = Vec::new();
            for_each_dependency(stack, props.values(), &entry.depends_on, &mut |to| {
                out.push(to)
            });
            out.sort_unstable();
            out.dedup();
            todo.extend(out.iter().copied());
            edges.insert(n, out);
        }
        Reach { edges }
    }

    /// Whether the walk reached the resource at `position`.
    pub(crate) fn contains(&self, position: usize) -> bool {
        self.edges.contains_key(&position)
    }

    /// The walked resources that depend on `goal`, directly or through others, `goal`
    /// itself included when the walk reached it (a resource referring to itself is a
    /// cycle too): one walk back from `goal` over the edges found.
    pub(crate) fn depending_on(&self, goal: usize) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        if !self.contains(goal) {
            return found;
        }
        let mut back: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (from, tos) in &self.edges {
            for to in tos {
                back.entry(*to).or_default().push(*from);
            }
        }
        let mut todo = vec![goal];
        while let Some(n) = todo.pop() {
            if found.insert(n) {
                todo.extend(back.get(&n).into_iter().flatten().copied());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RawResource;
    use crate::kind::Str;
    use crate::stack::handle::Handle;

    /// `A -> B -> C` by references, `D -> A` by DependsOn, `E` alone: walking from `A`
    /// and `E` finds `A`, `B`, `C` and `E`; of those, `A` and `B` depend on `B`.
    #[test]
    fn the_walk_finds_what_depends_on_a_resource() {
        let mut stack = Stack::new("App");
        let c = stack.add("C", RawResource::new("AWS::SQS::Queue"));
        let b = stack.add(
            "B",
            RawResource::new("AWS::SQS::Queue")
                .property("QueueName", c.get_att::<Str>("QueueName")),
        );
        let a = stack.add(
            "A",
            RawResource::new("AWS::SNS::Topic").property(
                "TopicName",
                crate::sub!("x-${b}", b = &b.get_att::<Str>("QueueName")),
            ),
        );
        let d = stack.add("D", RawResource::new("AWS::SQS::Queue"));
        stack.resource(&d).depends_on(&a);
        let e = stack.add("E", RawResource::new("AWS::SQS::Queue"));
        let pos = |r: &crate::stack::handle::ResourceRef| stack.position(&r.target).unwrap();
        let reach = Reach::from(&stack, [pos(a.resource_ref()), pos(e.resource_ref())]);
        let walked: Vec<bool> = (0..5).map(|i| reach.contains(i)).collect();
        // Positions: C 0, B 1, A 2, D 3, E 4.
        assert_eq!(walked, [true, true, true, false, true]);
        assert_eq!(reach.depending_on(1), BTreeSet::from([1, 2]));
        assert_eq!(reach.depending_on(4), BTreeSet::from([4]));
        assert!(reach.depending_on(3).is_empty(), "D was not walked");
    }
}
