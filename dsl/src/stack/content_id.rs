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

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::handle::Handle;
use crate::stack::props::SharedMap;
use crate::stack::resource::ResourceEntry;
use crate::stack::stack::Stack;
use crate::value::expr::{Expr, Target, TargetKind};
use crate::value::expr_map::ExprMap;
use crate::value::sub::SubPart;

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
    fn covers<'a>(
        &self,
        stack: &'a Stack,
        entry: &'a ResourceEntry,
        wanted: &Wanted,
    ) -> Vec<&'a ResourceEntry> {
        let of = match entry.props.map.get(self.of) {
            Some(Expr::Ref(t)) => t,
            _ => return vec![entry],
        };
        let mut covered = vec![entry];
        for (i, e) in stack.resources.iter().enumerate() {
            let refers = || wanted.refers(i, of, &e.props.map);
            if e.target == *of || (self.types.contains(&e.type_name.as_str()) && refers()) {
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
    // What each resource refers to among the snapshots' `of` targets and the
    // content-addressed resources, found in one walk of the stack's properties: the
    // snapshots' cover (who refers to the API) and the rename (who refers to the
    // deployment) read it instead of walking the properties once each.
    let wanted = Wanted::of(stack);
    let mut renames: Vec<(Target, Target)> = Vec::new();
    let mut after: Vec<(Target, Vec<Target>)> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for c in &stack.content_ids {
        let Some(entry) = stack.entry(&c.resource) else {
            continue;
        };
        let covered = c.snapshot.covers(stack, entry, &wanted);
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
        let hash = digest(resolved, &reached);
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
            // Nothing to wait for yet and no ID twice among the prerequisites (sorted by
            // ID, so a repeat would sit next to its like): they are all new.
            if e.depends_on.is_empty() && prereqs.windows(2).all(|w| w[0].id != w[1].id) {
                e.depends_on = prereqs;
                continue;
            }
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
    // A rename's new ID that a later rename renames again (IDs chosen to collide with a
    // hash) makes references the walk before the renames did not see: then each
    // question walks the properties as they are at that point.
    let chained = renames
        .iter()
        .enumerate()
        .any(|(k, (_, to))| renames[k + 1..].iter().any(|(from, _)| from == to));
    // Each resource takes every rename in turn (what renaming the whole stack once per
    // content ID does, one resource at a time).
    for (i, e) in out.resources.iter_mut().enumerate() {
        for (from, to) in &renames {
            if e.target == *from {
                e.target = to.clone();
            }
            for d in &mut e.depends_on {
                if *d == *from {
                    *d = to.clone();
                }
            }
            // A reference (a REST stage's `DeploymentId`) follows too; the map is copied
            // only for a resource that refers to the renamed one.
            let refers = if chained {
                e.props.map.values().any(|v| v.refers_to(from))
            } else {
                wanted.refers(i, from, &e.props.map)
            };
            if refers {
                for v in e.props.map.values_mut() {
                    v.retarget(from, to);
                }
            }
            for o in &mut e.overrides {
                if let Some(v) = &mut o.value {
                    v.retarget(from, to);
                }
            }
        }
    }
    // The renamed IDs are looked up from here on (by the synth of the renamed stack);
    // the other IDs keep their positions.
    let ids: Vec<Arc<str>> = renames
        .into_iter()
        .flat_map(|(from, to)| [from.id, to.id])
        .collect();
    out.reindex_ids(&ids);
    Some(out)
}

/// The targets whose referrers the content-ID pass asks for (each snapshot's `of` and
/// each content-addressed resource), and which of them each resource's properties refer
/// to, as bits: one walk of the stack, where asking [`Expr::refers_to`] per target walked
/// it once per target.
struct Wanted<'a> {
    targets: Vec<&'a Target>,
    /// Per resource of the stack, in order: bit `k` is set when it refers to `targets[k]`.
    /// Empty when there are more targets than bits (then each question walks).
    bits: Vec<u64>,
}

impl<'a> Wanted<'a> {
    fn of(stack: &'a Stack) -> Self {
        let mut targets: Vec<&Target> = Vec::new();
        for c in &stack.content_ids {
            let of = stack
                .entry(&c.resource)
                .and_then(|e| match e.props.map.get(c.snapshot.of) {
                    Some(Expr::Ref(t)) => Some(t),
                    _ => None,
                });
            for t in of.into_iter().chain([&c.resource]) {
                if !targets.contains(&t) {
                    targets.push(t);
                }
            }
        }
        let bits = if targets.len() <= 64 {
            stack
                .resources
                .iter()
                .map(|e| {
                    let mut bits = 0;
                    for v in e.props.map.values() {
                        mark(v, &targets, &mut bits);
                    }
                    bits
                })
                .collect()
        } else {
            Vec::new()
        };
        Wanted { targets, bits }
    }

    /// Whether `props`, the properties of the stack's resource at `i` as walked, refer to
    /// `t`.
    fn refers(&self, i: usize, t: &Target, props: &ExprMap) -> bool {
        match (self.bits.get(i), self.targets.iter().position(|w| *w == t)) {
            (Some(bits), Some(k)) => bits >> k & 1 == 1,
            _ => props.values().any(|v| v.refers_to(t)),
        }
    }
}

/// Sets the bit of each of `targets` that `e` refers to: the references
/// [`Expr::refers_to`] finds (a node's own, then its children's). The common nodes are
/// matched here, the rest through [`Expr::own_reference`] and [`Expr::for_each_child`].
fn mark(e: &Expr, targets: &[&Target], bits: &mut u64) {
    match e {
        Expr::Lit(_) | Expr::Pseudo(_) | Expr::NoValue | Expr::Invalid(..) => {}
        Expr::Ref(t) | Expr::GetAtt(t, _) | Expr::Condition(t) => hit(t, targets, bits),
        Expr::Array(items) | Expr::And(items) | Expr::Or(items) | Expr::RuleFn(_, items) => {
            items.iter().for_each(|v| mark(v, targets, bits))
        }
        Expr::Object(map) => map.values().for_each(|v| mark(v, targets, bits)),
        Expr::Sub(parts) => {
            for p in parts {
                if let SubPart::Var(_, v) = p {
                    mark(v, targets, bits);
                }
            }
        }
        Expr::Join(_, v) => mark(v, targets, bits),
        Expr::If(t, a, b) => {
            hit(t, targets, bits);
            mark(a, targets, bits);
            mark(b, targets, bits);
        }
        other => {
            if let Some((t, _)) = other.own_reference() {
                hit(t, targets, bits);
            }
            other.for_each_child(&mut |c| mark(c, targets, bits));
        }
    }
}

/// Sets the bit of `t` if it is one of `targets`.
fn hit(t: &Target, targets: &[&Target], bits: &mut u64) {
    for (k, w) in targets.iter().enumerate() {
        if *w == t {
            *bits |= 1 << k;
        }
    }
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
    crate::stack::logical_id::sort_by_id(&mut out, |t| &t.id);
    out.dedup();
    out
}

/// A resource a snapshot reaches (see [`reached`]): its entry, its properties with the
/// overrides applied, and which of them (in key order) replace it when they change.
struct Reach<'a> {
    entry: &'a ResourceEntry,
    props: SharedMap,
    replacing: Vec<bool>,
}

/// What the covered resources refer to outside the covered set and whose value changes
/// when that resource is replaced (an ARN in an integration URI, say): each referenced
/// resource's replacement-causing properties (`createOnlyProperties` in
/// [`crate::facts`]), followed transitively through the references those properties
/// hold, sorted by logical ID. A parameter reached this way is reported: its value is
/// only known at deploy time, so a new value does not change the hash.
fn reached<'a>(
    stack: &'a Stack,
    covered: &[(&ResourceEntry, SharedMap)],
    owner: &ResourceEntry,
    owner_refers: &[&Target],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Reach<'a>> {
    let mut ignored = Vec::new();
    let mut out: Vec<Reach> = Vec::new();
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
    // A resource target of this stack is looked up by the first position of its ID (the
    // resource `Stack::entry` finds): the covered resources and those seen are marked
    // there, so each reference is one lookup in the stack's index and a read of a flag.
    let here = stack.key.uid;
    let at = |t: &Target| {
        (t.kind == TargetKind::Resource && t.stack.uid == here)
            .then(|| stack.position_of_id(&t.id))
            .flatten()
    };
    let mut covered_at = vec![false; stack.resources.len()];
    for (c, _) in covered {
        if let Some(i) = at(&c.target) {
            covered_at[i] = true;
        }
    }
    let mut seen = vec![false; stack.resources.len()];
    let mut facts_of: crate::fast_hash::FastMap<
        &str,
        Option<&'static crate::facts::ResourceFacts>,
    > = Default::default();
    while let Some(t) = queue.pop() {
        let Some(i) = at(&t) else {
            continue;
        };
        if covered_at[i] || std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let e = &stack.resources[i];
        let props = crate::synth::template::apply_overrides(e, &mut ignored);
        // A type the registry does not know: any change may replace it. Looked up once
        // per type (an API's integrations reach functions, all of one type).
        let facts = *facts_of
            .entry(e.type_name.as_str())
            .or_insert_with(|| crate::facts::resource(&e.type_name));
        // A property path's first segment (`split('/').next()`), found by bytes.
        let first = |p: &'static str| match p.bytes().position(|b| b == b'/') {
            Some(at) => &p[..at],
            None => p,
        };
        let replacing: Vec<bool> = props
            .iter()
            .map(|(k, v)| {
                let replaces = facts
                    .is_none_or(|f| f.replaces().chain(f.may_replace()).any(|p| first(p) == k));
                if replaces {
                    v.for_each_reference(&mut |r, _| {
                        if r.kind == TargetKind::Parameter {
                            parameters.insert(r.id.clone());
                        }
                        queue.push(r.clone());
                    });
                }
                replaces
            })
            .collect();
        out.push(Reach {
            entry: e,
            props,
            replacing,
        });
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
    // By logical ID (each is seen once), as the document lists them.
    crate::stack::logical_id::sort_by_id(&mut out, |r| &r.entry.target.id);
    out
}

/// SHA-256 over each covered resource's logical ID, type, properties (overrides applied)
/// and condition in canonical JSON, in logical-ID order, then over what they refer to
/// (see [`reached`]). The condition is hashed because it decides whether the resource
/// exists in the snapshot; the other attributes (`DependsOn`, policies, metadata) change
/// nothing the snapshot captures.
fn digest(mut covered: Vec<(&ResourceEntry, SharedMap)>, reached: &[Reach]) -> String {
    use sha2::Digest;
    crate::stack::logical_id::sort_by_id(&mut covered, |(e, _)| &e.target.id);
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
    // `{"Reached": {<id>: {"Replacing": {...}, "Type": ...}}}`, written from the model.
    text.clear();
    let documents: Vec<crate::synth::canonical::Reached> = reached
        .iter()
        .map(|r| crate::synth::canonical::Reached {
            id: &r.entry.target.id,
            type_name: &r.entry.type_name,
            properties: &r.props,
            replacing: &r.replacing,
        })
        .collect();
    crate::synth::canonical::reached_document(&mut text, &documents);
    hasher.update(&text);
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constructs::{Code, Function, RestApi, Runtime};
    use crate::kind::Str;
    use crate::stack::handle::Handle;
    use crate::{RawResource, sub};

    /// The bits one walk of the stack finds agree with asking [`Expr::refers_to`] per
    /// target, for every resource and every target asked about: references by `Ref`,
    /// `Fn::GetAtt` and inside an `Fn::Sub`, to the API (a snapshot's `of`) and to the
    /// deployment (the content-addressed resource), and none.
    #[test]
    fn one_walk_finds_what_asking_per_target_finds() {
        let mut stack = Stack::new("App");
        let api = stack.add("Api", RestApi::new("api"));
        let f = stack.add(
            "Fn",
            Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
        );
        api.route(&mut stack, "GET", "/", &f);
        let deployment = api.deployment().clone();
        let deployment_ref = deployment.resource_ref().clone();
        stack.add(
            "Stage",
            RawResource::new("AWS::ApiGateway::Stage")
                .property("DeploymentId", deployment_ref.ref_value::<Str>())
                .property(
                    "Description",
                    sub!("${d}", d = deployment_ref.get_att::<Str>("DeploymentId")),
                ),
        );
        let wanted = Wanted::of(&stack);
        assert_eq!(wanted.targets.len(), 2, "the API and the deployment");
        assert_eq!(wanted.bits.len(), stack.resources.len());
        let mut found = [0, 0];
        for (i, e) in stack.resources.iter().enumerate() {
            for (k, t) in wanted.targets.iter().enumerate() {
                let walked = e.props.map.values().any(|v| v.refers_to(t));
                assert_eq!(wanted.refers(i, t, &e.props.map), walked, "{}", e.target.id);
                found[k] += usize::from(walked);
            }
        }
        // The API's method and resource (and more) refer to the API; the stage alone to
        // the deployment.
        assert!(found[0] >= 2, "{found:?}");
        assert_eq!(found[1], 1, "{found:?}");
    }
}
