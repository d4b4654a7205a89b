//! Finding a resource of a stack by logical ID through the stack's index (`Stack::ids`,
//! kept where resources are added and renamed) rather than by scanning the list.

use std::sync::Arc;

use crate::stack::resource::ResourceEntry;
use crate::stack::stack::Stack;
use crate::value::expr::Target;

impl Stack {
    /// The entry of the resource `t` names, if this stack holds it.
    pub(crate) fn entry(&self, t: &Target) -> Option<&ResourceEntry> {
        self.position(t).map(|i| &self.resources[i])
    }

    /// The position in `resources` of the first resource `t` names (its stack, kind and
    /// logical ID), as a scan of the list finds it.
    pub(crate) fn position(&self, t: &Target) -> Option<usize> {
        // The first resource with the ID is the only candidate: an earlier match would
        // have the same ID.
        let i = self.position_of_id(&t.id)?;
        (self.resources[i].target == *t).then_some(i)
    }

    /// The position in `resources` of the first resource with logical ID `id`.
    pub(crate) fn position_of_id(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// Rebuilds the index entries of `ids` after resources were renamed from or to them
    /// in place: what [`reindex`](Stack::reindex) gives, without hashing every other ID
    /// again (their resources kept their positions and IDs).
    pub(crate) fn reindex_ids(&mut self, ids: &[Arc<str>]) {
        for id in ids {
            self.ids.remove(id);
        }
        for (i, e) in self.resources.iter().enumerate() {
            if ids.contains(&e.target.id) {
                self.ids.entry(e.target.id.clone()).or_insert(i);
            }
        }
    }

    /// Rebuilds the whole index of logical IDs: what [`reindex_ids`](Stack::reindex_ids)
    /// is tested against.
    #[cfg(test)]
    pub(crate) fn reindex(&mut self) {
        self.ids.clear();
        for (i, e) in self.resources.iter().enumerate() {
            self.ids.entry(e.target.id.clone()).or_insert(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constructs::{Key, RestApi, Table};
    use crate::stack::handle::Handle;
    use crate::{RawResource, Stack};

    /// What the index stands for: the first resource whose target is `t`, by a scan.
    fn scanned(stack: &Stack, t: &Target) -> Option<usize> {
        stack.resources.iter().position(|e| e.target == *t)
    }

    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let mut stack = Stack::new("App");
        let mut other = Stack::new("Other");
        let a = stack.add("A", RawResource::new("AWS::SQS::Queue"));
        // A repeated ID (a synth error): the first one is found, as a scan finds it.
        let a2 = stack.add("A", RawResource::new("AWS::SNS::Topic"));
        let b = stack.add("B", Table::new(Key::string("id")));
        let elsewhere = other.add("A", RawResource::new("AWS::SQS::Queue"));
        for t in [
            &a.target,
            &a2.target,
            &b.resource_ref().target,
            &elsewhere.target,
        ] {
            assert_eq!(stack.position(t), scanned(&stack, t), "{}", t.id);
        }
        assert_eq!(stack.position(&elsewhere.target), None);
        assert_eq!(stack.position_of_id("A"), Some(0));
        assert_eq!(stack.position_of_id("Nope"), None);
        // `find_resource` also finds a later resource of the ID with the type asked for.
        assert_eq!(
            stack
                .find_resource("A", "AWS::SNS::Topic")
                .map(|r| r.target),
            Some(a2.target.clone())
        );
        assert!(stack.find_resource("B", "AWS::SQS::Queue").is_none());
    }

    /// Re-indexing only the IDs renamed from and to gives the index re-indexing every ID
    /// gives: an ID renamed away from its first resource but still held by a later one,
    /// and a new ID that an earlier resource already had.
    #[test]
    fn reindexing_the_renamed_ids_matches_reindexing_all() {
        let mut stack = Stack::new("App");
        for id in ["A", "B", "A", "C", "D", "C"] {
            stack.add(id, RawResource::new("AWS::SQS::Queue"));
        }
        let rename = |stack: &mut Stack, at: usize, to: &str| {
            stack.resources[at].target.id = Arc::from(to);
        };
        // `A` at 0 becomes `D` (already at 4); `C` at 5 becomes `E` (new).
        rename(&mut stack, 0, "D");
        rename(&mut stack, 5, "E");
        let mut all = stack.clone();
        all.reindex();
        let renamed: Vec<Arc<str>> = ["A", "D", "C", "E"].map(Arc::from).to_vec();
        stack.reindex_ids(&renamed);
        assert_eq!(stack.ids, all.ids);
        assert_eq!(stack.position_of_id("A"), Some(2));
        assert_eq!(stack.position_of_id("D"), Some(0));
        assert_eq!(stack.position_of_id("C"), Some(3));
        assert_eq!(stack.position_of_id("E"), Some(5));
        // An ID not given keeps its entry as it was, even if stale: only the renamed are
        // looked at.
        let mut partial = all.clone();
        partial.resources[1].target.id = Arc::from("F");
        partial.reindex_ids(&[Arc::from("F")]);
        assert_eq!(partial.position_of_id("B"), Some(1));
        assert_eq!(partial.position_of_id("F"), Some(1));
    }

    #[test]
    fn renamed_resources_are_found_by_their_new_ids() {
        let mut stack = Stack::new("App");
        let api = stack.add("Api", RestApi::new("api"));
        let f = stack.add(
            "Fn",
            crate::constructs::Function::new(
                crate::constructs::Runtime::Python312,
                "index.handler",
                crate::constructs::Code::inline("def handler(e, c): pass"),
            ),
        );
        api.route(&mut stack, "GET", "/", &f);
        let renamed = crate::stack::content_id::resolve(&stack).expect("the deployment is renamed");
        let deployment = renamed
            .resources
            .iter()
            .find(|e| e.target.id.starts_with("ApiDeployment"))
            .expect("a deployment");
        assert_ne!(&*deployment.target.id, "ApiDeployment");
        for e in &renamed.resources {
            assert_eq!(renamed.position(&e.target), scanned(&renamed, &e.target));
            assert_eq!(
                renamed.position_of_id(&e.target.id),
                renamed
                    .resources
                    .iter()
                    .position(|x| x.target.id == e.target.id)
            );
        }
        assert_eq!(renamed.position_of_id("ApiDeployment"), None);
    }
}
