//! Logical IDs that carry a hash of what they stand for, decided at synth.
//!
//! Some resources are snapshots: CloudFormation creates them once and never updates what
//! they captured (an API Gateway deployment snapshots the API's methods when it is
//! created). To take a new snapshot, the resource must be replaced, and the one change
//! CloudFormation always answers with a new resource is a new logical ID. So the
//! construct registers the resource here with a function that picks the resources whose
//! definitions the snapshot covers; at synth the ID becomes `<base><hash>`, the hash of
//! those definitions in canonical JSON. Same definitions, same ID (no change, no new
//! resource); any change to them, a new ID. Computed at synth, not when the construct is
//! added, so resources added later (another route, a user's authorizer) are covered.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::handle::Handle;
use crate::stack::props::SharedMap;
use crate::stack::resource::ResourceEntry;
use crate::stack::stack::Stack;
use crate::value::expr::{Expr, Target, TargetKind};

/// What a content-addressed resource snapshots: the resource one of its properties refers
/// to (an API Gateway deployment's `RestApiId`), and every resource of the listed types
/// that refers to that one (the API's resources, methods, authorizers...). Optionally a
/// type the snapshot needs at least one of, and the error when there is none (API
/// Gateway refuses to deploy an API without methods).
///
/// ```
/// use nephos::{Diagnostic, Location, Snapshot, Stack, apigateway};
/// let mut stack = Stack::new("App");
/// let api = stack.add("Api", apigateway::RestApi::new().name("x"));
/// let deployment = stack.add("ApiDeployment", apigateway::Deployment::new(api.id()));
/// stack.snapshot_id(
///     &deployment,
///     Snapshot::of("RestApiId", &["AWS::ApiGateway::Method"]).requires(
///         "AWS::ApiGateway::Method",
///         Diagnostic::error(Location::resource("Api"), "the API has no methods", "add a method"),
///     ),
/// );
/// // No method: synth refuses, with the error given.
/// assert!(stack.synth().unwrap_err().to_string().contains("the API has no methods"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    of: &'static str,
    types: &'static [&'static str],
    requires: Option<(&'static str, Diagnostic)>,
}

impl Snapshot {
    /// A snapshot of the resource the property `of` refers to (by `Ref`), covering it
    /// and every resource of `types` that refers to it.
    pub fn of(of: &'static str, types: &'static [&'static str]) -> Self {
        Snapshot {
            of,
            types,
            requires: None,
        }
    }

    /// Synth fails with `missing` when the snapshot covers no resource of `type_name`.
    pub fn requires(mut self, type_name: &'static str, missing: Diagnostic) -> Self {
        self.requires = Some((type_name, missing));
        self
    }

    /// The snapshot resource itself, what its `of` property refers to, and the resources
    /// of the covered types that refer to that.
    fn covers<'a>(&self, stack: &'a Stack, entry: &'a ResourceEntry) -> Vec<&'a ResourceEntry> {
        let of = match entry.props.map.get(self.of) {
            Some(Expr::Ref(t)) => t.clone(),
            _ => return vec![entry],
        };
        let mut covered = vec![entry];
        for e in &stack.resources {
            let refers = || e.props.map.values().any(|v| v.refers_to(&of));
            if e.target == of || (self.types.contains(&e.type_name.as_str()) && refers()) {
                covered.push(e);
            }
        }
        covered
    }

    /// The error when a required type is not covered.
    fn check(&self, covered: &[&ResourceEntry]) -> Option<Diagnostic> {
        let (type_name, missing) = self.requires.as_ref()?;
        (!covered.iter().any(|e| e.type_name == *type_name)).then(|| missing.clone())
    }
}

/// A resource whose logical ID ends in the hash of what its [`Snapshot`] covers.
#[derive(Clone, Debug)]
pub(crate) struct ContentId {
    pub(crate) resource: Target,
    pub(crate) snapshot: Snapshot,
}

impl Stack {
    /// Makes `resource` content-addressed: at synth its logical ID becomes `<id><16 hex>`,
    /// the hash of the definitions `snapshot` covers (and of what they refer to whose
    /// value a replacement changes), and it waits for every covered resource. Any change
    /// to them gives a new ID, so CloudFormation creates a new snapshot; none, the same
    /// ID. For resources CloudFormation creates once and never updates (an API Gateway
    /// deployment). Hand out no handle that refers to it by its ID: the ID changes.
    pub fn snapshot_id(&mut self, resource: &impl Handle, snapshot: Snapshot) {
        self.content_ids.push(ContentId {
            resource: resource.resource_ref().target.clone(),
            snapshot,
        });
    }
}

/// Hex digits of the hash in the ID: 64 bits, so two versions of one API never collide
/// in practice, while the ID stays readable.
const HASH_CHARS: usize = 16;

/// The stack with every content-addressed resource renamed, or `None` when there is none.
/// Hashes are computed from the stack as built (before any rename), so they do not depend
/// on the order the resources were registered in. `DependsOn` entries and references
/// from other resources' properties (a REST stage's `DeploymentId`) follow the rename;
/// a reference from elsewhere (an output) is left dangling and reported by validation.
///
/// The resource also comes to depend on every resource it covers (in logical-ID order) that
/// it does not already refer to: a snapshot taken before what it covers exists would miss
/// it. A covered resource with a condition the snapshot does not share is refused, since
/// CloudFormation refuses a `DependsOn` on a resource that may not exist.
pub(crate) fn resolve(stack: &Stack) -> Option<Stack> {
    if stack.content_ids.is_empty() {
        return None;
    }
    let mut renames: Vec<(Target, Target)> = Vec::new();
    let mut after: Vec<(Target, Vec<Target>)> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for c in &stack.content_ids {
        let Some(entry) = stack.entry(&c.resource) else {
            continue;
        };
        let covered = c.snapshot.covers(stack, entry);
        if let Some(d) = c.snapshot.check(&covered) {
            problems.push(d);
        }
        // Overrides applied once per covered resource (and the owner), shared by the
        // passes below instead of each applying them to a fresh copy. Override problems
        // are reported by the synth of the renamed stack itself.
        let mut ignored = Vec::new();
        let own = crate::synth::template::apply_overrides(entry, &mut ignored);
        let resolved: Vec<(&ResourceEntry, SharedMap)> = covered
            .iter()
            .map(|e| {
                let props = if e.target == entry.target {
                    own.clone()
                } else {
                    crate::synth::template::apply_overrides(e, &mut ignored)
                };
                (*e, props)
            })
            .collect();
        let owner_refers: Vec<&Target> = own
            .values()
            .flat_map(Expr::references)
            .map(|(t, _)| t)
            .collect();
        let reached = reached(stack, &resolved, entry, &owner_refers, &mut problems);
        let prereqs = prerequisites(entry, &owner_refers, &covered, &mut problems);
        let hash = digest(resolved, reached);
        let mut renamed = c.resource.clone();
        renamed.id = format!("{}{}", c.resource.id, &hash[..HASH_CHARS]).into();
        renames.push((c.resource.clone(), renamed));
        after.push((c.resource.clone(), prereqs));
    }
    let mut out = stack.clone();
    out.content_ids.clear();
    out.problems.extend(problems);
    for (target, prereqs) in after {
        if let Some(i) = out.position(&target) {
            let e = &mut out.resources[i];
            // What it already waits for, looked up rather than scanned per prerequisite
            // (a deployment waits for every method and resource of its API). Targets are
            // equal when their stacks' uids, kinds and IDs are.
            let key = |t: &Target| (t.stack.uid, t.kind, t.id.clone());
            let mut present: crate::fast_hash::FastSet<(u64, TargetKind, Arc<str>)> =
                e.depends_on.iter().map(key).collect();
            for p in prereqs {
                if present.insert(key(&p)) {
                    e.depends_on.push(p);
                }
            }
        }
    }
    for (from, to) in renames {
        for e in &mut out.resources {
            if e.target == from {
                e.target = to.clone();
            }
            for d in &mut e.depends_on {
                if *d == from {
                    *d = to.clone();
                }
            }
            // A reference (a REST stage's `DeploymentId`) follows too; the map is copied
            // only for a resource that refers to the renamed one.
            if e.props.map.values().any(|v| v.refers_to(&from)) {
                for v in e.props.map.values_mut() {
                    v.retarget(&from, &to);
                }
            }
            for o in &mut e.overrides {
                if let Some(v) = &mut o.value {
                    v.retarget(&from, &to);
                }
            }
        }
    }
    // The renamed IDs are looked up from here on (by the synth of the renamed stack).
    out.reindex();
    Some(out)
}

/// The covered resources `entry` must wait for: those it does not already refer to (a
/// reference orders creation by itself, and cfn-lint flags a `DependsOn` that repeats one),
/// in logical-ID order. One whose condition `entry` does not share is reported instead.
fn prerequisites(
    entry: &ResourceEntry,
    referred: &[&Target],
    covered: &[&ResourceEntry],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for c in covered {
        if c.target == entry.target || referred.contains(&&c.target) {
            continue;
        }
        if let Some(cond) = &c.condition
            && entry.condition.as_ref() != Some(cond)
        {
            problems.push(Diagnostic::error(
                Location::resource(&c.target.id),
                format!(
                    "`{}` has the condition `{}`, but `{}` (a snapshot of it, which must be created after it) does not: when the condition is false, `{}` does not exist and the snapshot cannot wait for it",
                    c.target.id, cond.id, entry.target.id, c.target.id
                ),
                format!(
                    "remove the condition from `{}`, or give `{}` (for a REST API, `api.deployment()`) the same condition `{}`",
                    c.target.id, entry.target.id, cond.id
                ),
            ));
            continue;
        }
        out.push(c.target.clone());
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup();
    out
}

/// What the covered resources refer to outside the covered set and whose value changes
/// when that resource is replaced (an ARN in an integration URI, say): each referenced
/// resource's replacement-causing properties (`createOnlyProperties` in
/// [`crate::facts`]), followed transitively through the references those properties
/// hold. A parameter reached this way is reported: its value is only known at deploy
/// time, so a new value does not change the hash.
fn reached(
    stack: &Stack,
    covered: &[(&ResourceEntry, SharedMap)],
    owner: &ResourceEntry,
    owner_refers: &[&Target],
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, serde_json::Value> {
    let mut ignored = Vec::new();
    let mut out: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let mut queue: Vec<Target> = Vec::new();
    let mut parameters: BTreeSet<Arc<str>> = BTreeSet::new();
    for (c, props) in covered {
        // The snapshot's own settings (its stage name) and those of what it refers to (the
        // API's name) do not change what the stage serves, and are hashed as written.
        if c.target == owner.target || owner_refers.contains(&&c.target) {
            continue;
        }
        for v in props.values() {
            v.for_each_reference(&mut |t, _| {
                if t.kind == TargetKind::Parameter {
                    parameters.insert(t.id.clone());
                }
                queue.push(t.clone());
            });
        }
    }
    // Targets are equal when their stacks' uids, kinds and IDs are: the covered
    // resources and those seen, by uid and ID (resources only are looked at), so each
    // reference is one lookup rather than a scan of both lists.
    let id_of = |t: &Target| (t.stack.uid, t.id.clone());
    let covered_ids: crate::fast_hash::FastSet<(u64, Arc<str>)> = covered
        .iter()
        .filter(|(c, _)| c.target.kind == TargetKind::Resource)
        .map(|(c, _)| id_of(&c.target))
        .collect();
    let mut seen: crate::fast_hash::FastSet<(u64, Arc<str>)> = Default::default();
    while let Some(t) = queue.pop() {
        if t.kind != TargetKind::Resource
            || covered_ids.contains(&id_of(&t))
            || !seen.insert(id_of(&t))
        {
            continue;
        }
        let Some(e) = stack.entry(&t) else {
            continue;
        };
        let props = crate::synth::template::apply_overrides(e, &mut ignored);
        let map = &props;
        // A type the registry does not know: any change may replace it.
        let facts = crate::facts::resource(&e.type_name);
        // A property path's first segment (`split('/').next()`), found by bytes.
        let first = |p: &'static str| match p.bytes().position(|b| b == b'/') {
            Some(at) => &p[..at],
            None => p,
        };
        let replacing = |k: &str| {
            facts.is_none_or(|f| f.replaces().chain(f.may_replace()).any(|p| first(p) == k))
        };
        let mut kept = serde_json::Map::new();
        for (k, v) in map.iter().filter(|(k, _)| replacing(k)) {
            v.for_each_reference(&mut |r, _| {
                if r.kind == TargetKind::Parameter {
                    parameters.insert(r.id.clone());
                }
                queue.push(r.clone());
            });
            kept.insert(k.to_string(), v.to_json());
        }
        out.insert(
            e.target.id.to_string(),
            serde_json::json!({ "Type": e.type_name, "Replacing": kept }),
        );
    }
    for p in parameters {
        problems.push(Diagnostic::warning(
            Location::resource(&owner.target.id),
            format!(
                "what `{}` snapshots depends on the parameter `{p}`, whose value is only known at deploy time: a new value of `{p}` alone does not create a new snapshot, so the stage keeps serving the old one",
                owner.target.id
            ),
            format!(
                "after deploying a new value of `{p}`, redeploy the stage (`aws apigateway create-deployment`), or give the value at synth (a literal, or read from the environment) instead of as a parameter"
            ),
        ));
    }
    out
}

/// SHA-256 over each covered resource's logical ID, type, properties (overrides applied)
/// and condition in canonical JSON, in logical-ID order, then over what they refer to
/// (see [`reached`]). The condition is hashed because it decides whether the resource
/// exists in the snapshot; the other attributes (`DependsOn`, policies, metadata) change
/// nothing the snapshot captures.
fn digest(
    mut covered: Vec<(&ResourceEntry, SharedMap)>,
    reached: BTreeMap<String, serde_json::Value>,
) -> String {
    use sha2::Digest;
    covered.sort_by(|(a, _), (b, _)| a.target.id.cmp(&b.target.id));
    covered.dedup_by(|(a, _), (b, _)| a.target == b.target);
    // Each document is written from the model into one reused buffer and hashed as it
    // comes: the bytes hashed are those of `to_pretty` on each document's JSON.
    let mut hasher = sha2::Sha256::new();
    let mut text: Vec<u8> = Vec::new();
    for (e, props) in &covered {
        text.clear();
        crate::synth::canonical::snapshot_document(
            &mut text,
            &e.target.id,
            &e.type_name,
            props,
            e.condition.as_ref().map(|c| &*c.id),
        );
        hasher.update(&text);
    }
    // `json!({ "Reached": reached })`, with the map moved in rather than copied.
    let mut document = serde_json::Map::new();
    document.insert(
        "Reached".to_string(),
        serde_json::Value::Object(reached.into_iter().collect()),
    );
    hasher.update(crate::synth::canonical::to_pretty(
        &serde_json::Value::Object(document),
    ));
    hex::encode(hasher.finalize())
}
