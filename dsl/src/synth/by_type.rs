//! The resources synth checks, indexed by type once per synth.
//!
//! Most checks read resources of a few types (functions, listeners, record sets). Each
//! used to scan every resource comparing type names, so forty checks over a stack of
//! five hundred resources made twenty thousand comparisons, most with resources the check
//! never reads. [`Resources`] groups the positions of the resources by type once; a check
//! asks for its types with [`Resources::of_type`] (or [`Resources::of_types`]) and
//! meets only those resources, in stack order, so its cost does not grow with the
//! resources of other types. [`Resources::get`] finds a resource by logical ID from one
//! map built on first use, instead of a map per check, and each type's registry facts
//! are looked up once ([`Resources::facts`]).
//!
//! A new check of some types takes `resources: &Resources` and writes
//! `for r in resources.of_type("AWS::SQS::Queue")` where it would have written
//! `for r in resolved` with a type test; `resources.all()` is every resource.

use std::cell::OnceCell;

use crate::facts::{self, ResourceFacts};
use crate::fast_hash::FastMap;
use crate::synth::template::Resolved;

/// The resources synth checks, with their positions grouped by type (see the module).
pub(crate) struct Resources<'r, 'a> {
    all: &'r [Resolved<'a>],
    /// Each type's group: an index into `ranges` and `facts`.
    groups: FastMap<&'r str, u32>,
    /// The group of each resource, by position.
    group_of: Vec<u32>,
    /// Each group's range of `positions`.
    ranges: Vec<(u32, u32)>,
    /// Each group's registry facts ([`facts::resource`] of its type).
    facts: Vec<Option<&'static ResourceFacts>>,
    /// Every position in `all`, grouped by type, ascending within a type.
    positions: Vec<u32>,
    /// The positions of the first and the last resource of each logical ID, made on
    /// first use.
    ids: OnceCell<FastMap<&'r str, (u32, u32)>>,
}

impl<'r, 'a> Resources<'r, 'a> {
    /// Indexes `all` (a stack's resources in stack order) by type.
    pub(crate) fn new(all: &'r [Resolved<'a>]) -> Self {
        // A counting sort: the group of each resource, then each group's range, then the
        // positions placed in their group's range in stack order.
        let mut groups: FastMap<&'r str, u32> = FastMap::default();
        let mut group_of: Vec<u32> = Vec::with_capacity(all.len());
        let mut counts: Vec<u32> = Vec::new();
        for r in all {
            let next = counts.len() as u32;
            let group = *groups.entry(r.entry.type_name.as_str()).or_insert(next);
            if group == next {
                counts.push(0);
            }
            counts[group as usize] += 1;
            group_of.push(group);
        }
        let mut ranges: Vec<(u32, u32)> = Vec::with_capacity(counts.len());
        let mut start = 0;
        for count in &counts {
            ranges.push((start, start + count));
            start += count;
        }
        let mut next: Vec<u32> = ranges.iter().map(|r| r.0).collect();
        let mut positions = vec![0; all.len()];
        for (i, group) in group_of.iter().enumerate() {
            let at = &mut next[*group as usize];
            positions[*at as usize] = i as u32;
            *at += 1;
        }
        let mut facts = vec![None; counts.len()];
        for (t, group) in &groups {
            facts[*group as usize] = facts::resource(t);
        }
        Resources {
            all,
            groups,
            group_of,
            ranges,
            facts,
            positions,
            ids: OnceCell::new(),
        }
    }

    /// Every resource, in stack order.
    pub(crate) fn all(&self) -> &'r [Resolved<'a>] {
        self.all
    }

    /// The resources of type `type_name`, in stack order.
    pub(crate) fn of_type(
        &self,
        type_name: &str,
    ) -> impl DoubleEndedIterator<Item = &'r Resolved<'a>> + ExactSizeIterator + Clone + '_ {
        self.resolved(self.positions_of(type_name))
    }

    /// The resources of any of `type_names` (each named once), in stack order.
    pub(crate) fn of_types(&self, type_names: &[&str]) -> Vec<&'r Resolved<'a>> {
        self.positions_of_types(type_names)
            .iter()
            .map(|&i| &self.all[i as usize])
            .collect()
    }

    /// [`of_types`](Self::of_types) with each resource's position in
    /// [`all`](Self::all).
    pub(crate) fn positioned(&self, type_names: &[&str]) -> Vec<(usize, &'r Resolved<'a>)> {
        self.positions_of_types(type_names)
            .iter()
            .map(|&i| (i as usize, &self.all[i as usize]))
            .collect()
    }

    /// Whether the stack holds a resource of type `type_name`.
    pub(crate) fn has(&self, type_name: &str) -> bool {
        self.groups.contains_key(type_name)
    }

    /// Each type of the stack once, with its resources in stack order; the types in no
    /// particular order.
    pub(crate) fn by_type(
        &self,
    ) -> impl Iterator<
        Item = (
            &'r str,
            impl ExactSizeIterator<Item = &'r Resolved<'a>> + '_,
        ),
    > + '_ {
        self.groups
            .iter()
            .map(|(t, &group)| (*t, self.resolved(self.range(group))))
    }

    /// The positions in [`all`](Self::all) of the first and the last resource with
    /// logical ID `id` (the same one unless the ID is repeated), if any.
    fn positions_of_id(&self, id: &str) -> Option<(usize, usize)> {
        let ids = self.ids.get_or_init(|| {
            let mut ids: FastMap<&str, (u32, u32)> = FastMap::default();
            ids.reserve(self.all.len());
            for (i, r) in self.all.iter().enumerate() {
                let i = i as u32;
                ids.entry(&*r.entry.target.id)
                    .and_modify(|(_, last)| *last = i)
                    .or_insert((i, i));
            }
            ids
        });
        ids.get(id)
            .map(|&(first, last)| (first as usize, last as usize))
    }

    /// The position in [`all`](Self::all) of the resource with logical ID `id` (the last
    /// one, when the ID is repeated, as a map collected from the list keeps it), if any.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.positions_of_id(id).map(|(_, last)| last)
    }

    /// The resource with logical ID `id` (the last one, when the ID is repeated), if any.
    pub(crate) fn get(&self, id: &str) -> Option<&'r Resolved<'a>> {
        self.position(id).map(|i| &self.all[i])
    }

    /// The first resource with logical ID `id` in stack order (as a scan finds it), if any.
    pub(crate) fn first(&self, id: &str) -> Option<&'r Resolved<'a>> {
        self.positions_of_id(id).map(|(first, _)| &self.all[first])
    }

    /// The registry facts of the type of the resource at `position` in
    /// [`all`](Self::all), if nephos ships facts for it.
    pub(crate) fn facts(&self, position: usize) -> Option<&'static ResourceFacts> {
        self.facts[self.group_of[position] as usize]
    }

    fn positions_of(&self, type_name: &str) -> &[u32] {
        match self.groups.get(type_name) {
            Some(&group) => self.range(group),
            None => &[],
        }
    }

    /// The positions of the resources of any of `type_names`, ascending.
    fn positions_of_types(&self, type_names: &[&str]) -> Vec<u32> {
        let mut positions: Vec<u32> = Vec::new();
        let mut groups = 0;
        for t in type_names {
            let of = self.positions_of(t);
            groups += usize::from(!of.is_empty());
            positions.extend_from_slice(of);
        }
        if groups > 1 {
            positions.sort_unstable();
        }
        positions
    }

    fn range(&self, group: u32) -> &[u32] {
        let (start, end) = self.ranges[group as usize];
        &self.positions[start as usize..end as usize]
    }

    fn resolved<'s>(
        &'s self,
        positions: &'s [u32],
    ) -> impl DoubleEndedIterator<Item = &'r Resolved<'a>> + ExactSizeIterator + Clone + 's {
        let all = self.all;
        positions.iter().map(move |&i| &all[i as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::Resources;
    use crate::stack::resource::ResourceEntry;
    use crate::synth::template::Resolved;
    use crate::{RawResource, Stack};

    /// A stack whose types interleave and repeat, with a repeated logical ID.
    fn stack() -> Stack {
        let mut stack = Stack::new("App");
        let types = [
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
            "AWS::SQS::Queue",
            "AWS::Lambda::Function",
            "AWS::SNS::Topic",
            "AWS::SQS::Queue",
            "AWS::SQS::QueuePolicy",
            "AWS::Lambda::Function",
        ];
        for (i, t) in types.iter().enumerate() {
            stack.add(&format!("R{i}"), RawResource::new(*t));
        }
        stack.add("R1", RawResource::new("AWS::S3::Bucket"));
        stack
    }

    fn resolved(entries: &[ResourceEntry]) -> Vec<Resolved<'_>> {
        entries
            .iter()
            .map(|entry| Resolved {
                entry,
                props: entry.props.map.clone(),
            })
            .collect()
    }

    fn ids<'x>(rs: impl IntoIterator<Item = &'x Resolved<'x>>) -> Vec<&'x str> {
        rs.into_iter().map(|r| &*r.entry.target.id).collect()
    }

    /// What the index stands for: a scan of every resource comparing type names.
    fn scanned<'x>(all: &'x [Resolved<'x>], types: &[&str]) -> Vec<&'x str> {
        ids(all
            .iter()
            .filter(|r| types.contains(&r.entry.type_name.as_str())))
    }

    #[test]
    fn each_type_gives_what_a_scan_gives_in_stack_order() {
        let stack = stack();
        let all = resolved(&stack.resources);
        let index = Resources::new(&all);
        assert_eq!(index.all().len(), all.len());
        let names = [
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
            "AWS::Lambda::Function",
            "AWS::SQS::QueuePolicy",
            "AWS::S3::Bucket",
            "AWS::SQS::Queu",
            "AWS::EC2::VPC",
        ];
        for t in names {
            assert_eq!(ids(index.of_type(t)), scanned(&all, &[t]), "{t}");
            assert_eq!(index.of_type(t).len(), scanned(&all, &[t]).len());
            assert_eq!(index.has(t), !scanned(&all, &[t]).is_empty(), "{t}");
            for u in names {
                let both = [t, u];
                if t != u {
                    assert_eq!(ids(index.of_types(&both)), scanned(&all, &both), "{t} {u}");
                }
            }
        }
        assert_eq!(
            ids(index.of_type("AWS::SQS::Queue")),
            ["R0", "R2", "R5"],
            "in stack order"
        );
        let three = [
            "AWS::Lambda::Function",
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
        ];
        assert_eq!(ids(index.of_types(&three)), scanned(&all, &three));
        let positioned: Vec<usize> = index.positioned(&three).iter().map(|(i, _)| *i).collect();
        let positions: Vec<usize> = (0..all.len())
            .filter(|i| three.contains(&all[*i].entry.type_name.as_str()))
            .collect();
        assert_eq!(positioned, positions);
        assert!(
            index
                .positioned(&three)
                .iter()
                .all(|(i, r)| std::ptr::eq(&all[*i], *r))
        );
        assert!(index.of_types(&[]).is_empty());
        // Every type once, with its resources.
        let mut seen: Vec<(&str, Vec<&str>)> =
            index.by_type().map(|(t, rs)| (t, ids(rs))).collect();
        seen.sort();
        let mut expected: Vec<(&str, Vec<&str>)> = Vec::new();
        for r in &all {
            let t = r.entry.type_name.as_str();
            if !expected.iter().any(|(e, _)| *e == t) {
                expected.push((t, scanned(&all, &[t])));
            }
        }
        expected.sort();
        assert_eq!(seen, expected);
    }

    #[test]
    fn an_id_finds_its_last_resource_as_a_collected_map_does() {
        let stack = stack();
        let all = resolved(&stack.resources);
        let index = Resources::new(&all);
        let map: std::collections::BTreeMap<&str, &Resolved> =
            all.iter().map(|r| (&*r.entry.target.id, r)).collect();
        for r in &all {
            let id = &*r.entry.target.id;
            assert!(std::ptr::eq(index.get(id).unwrap(), map[id]), "{id}");
        }
        assert_eq!(index.get("R1").unwrap().entry.type_name, "AWS::S3::Bucket");
        for r in &all {
            let id = &*r.entry.target.id;
            let scanned = all.iter().find(|o| *o.entry.target.id == *id).unwrap();
            assert!(std::ptr::eq(index.first(id).unwrap(), scanned), "{id}");
            assert_eq!(
                index.position(id),
                all.iter().rposition(|o| *o.entry.target.id == *id)
            );
        }
        assert_eq!(
            index.first("R1").unwrap().entry.type_name,
            "AWS::SNS::Topic"
        );
        assert!(index.first("R9").is_none());
        assert!(index.get("R9").is_none() && index.get("").is_none());
    }

    #[test]
    fn each_resource_has_its_types_registry_facts() {
        let stack = stack();
        let all = resolved(&stack.resources);
        let index = Resources::new(&all);
        for (i, r) in all.iter().enumerate() {
            let expected = crate::facts::resource(&r.entry.type_name);
            assert!(expected.is_some(), "{}", r.entry.type_name);
            assert_eq!(
                index.facts(i).map(|f| f.type_name()),
                expected.map(|f| f.type_name())
            );
        }
        let custom = Stack::new("Other");
        let mut custom = custom;
        custom.add("C", RawResource::new("Custom::Thing"));
        let all = resolved(&custom.resources);
        assert!(Resources::new(&all).facts(0).is_none());
    }

    #[test]
    fn an_empty_stack_has_no_types() {
        let index = Resources::new(&[]);
        assert!(index.of_type("AWS::SQS::Queue").next().is_none());
        assert!(index.by_type().next().is_none() && index.get("A").is_none());
    }
}
