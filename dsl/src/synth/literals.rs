//! Applies schema constraints to the literal parts of a resource's properties.

use std::sync::{Arc, Mutex, OnceLock};

use crate::check::{Check, Constraint};
use crate::diagnostic::{Diagnostic, Location};
use crate::fast_hash::FastMap;
use crate::synth::note::Note;
use crate::synth::path::Path;
use crate::synth::presence::Presence;
use crate::synth::set_count::SetCount;
use crate::synth::unique::{self, Item};
use crate::value::dynamic_reference;
use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;

/// Checks every constraint against `props`, reporting broken literals as errors and
/// computed values as deferred ([`Indexes::check`] with indexes of its own).
#[cfg(test)]
pub(crate) fn check(
    resource: &Arc<str>,
    props: &ExprMap,
    constraints: &'static [Constraint],
    errors: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    Indexes::default().check(resource, props, constraints, errors, deferred);
}

/// The constraint indexes ([`ByProperty`]) of the tables one synth meets, each taken from
/// the process-wide cache once: its lock and reference count are paid per table, not per
/// resource.
#[derive(Default)]
pub(crate) struct Indexes(FastMap<(usize, usize), Arc<ByProperty>>);

impl Indexes {
    /// Checks every constraint against `props`, reporting broken literals as errors and
    /// computed values as deferred.
    ///
    /// A type declares tens of constraints and a resource sets a few properties, so the
    /// constraints are looked up from the properties set (through [`ByProperty`], built
    /// once per type), not each constraint's property in the map. The order constraints
    /// are applied in does not show: synth sorts what they report.
    pub(crate) fn check(
        &mut self,
        resource: &Arc<str>,
        props: &ExprMap,
        constraints: &'static [Constraint],
        errors: &mut Vec<Diagnostic>,
        deferred: &mut Vec<Note>,
    ) {
        if constraints.is_empty() || props.is_empty() {
            return;
        }
        let index = self
            .0
            .entry(ByProperty::key(constraints))
            .or_insert_with(|| ByProperty::of(constraints));
        for (name, value) in props {
            let plan = index.at(name);
            if plan.reaches_nothing() {
                continue;
            }
            plan.walk(value, Path::Root.key(name), &mut |entry, path, node| {
                let entry = &index.entries[entry as usize];
                apply(
                    entry.constraint,
                    entry.described(),
                    resource,
                    path,
                    node,
                    errors,
                    deferred,
                )
            });
        }
    }
}

/// Reports what one constraint (`described` as messages say it) finds at one node.
fn apply(
    c: &Constraint,
    described: &Arc<str>,
    resource: &Arc<str>,
    path: Path,
    node: Node,
    errors: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    if matches!(c.check, Check::UniqueItems) {
        unique_items(described, resource, path, node, errors, deferred);
        return;
    }
    // The shape (a list of a map's keys) is made only for a check that reads it.
    if (c.check.counts() || matches!(c.check, Check::KeyPattern(_)))
        && let Some(shape) = Shape::of(&node)
    {
        shape.apply(c, described, resource, path, errors);
        return;
    }
    if matches!(c.check, Check::MinSet { .. } | Check::MaxSet { .. }) {
        let count = match node {
            Node::Json(v) | Node::Expr(Expr::Lit(v)) => SetCount::of_json(v, &c.check),
            Node::Expr(Expr::Object(map)) => Some(SetCount::of_members(map, &c.check)),
            Node::Expr(Expr::Array(_) | Expr::NoValue | Expr::Invalid(..)) => None,
            Node::Expr(computed) => {
                defer(resource, path, computed, described, deferred);
                return;
            }
        };
        if let Some(count) = count {
            count.apply(c, described, resource, path, errors);
        }
        return;
    }
    let literal = match node {
        Node::Json(v) => v,
        Node::Expr(Expr::Array(_) | Expr::Object(_) | Expr::NoValue | Expr::Invalid(..)) => return,
        Node::Expr(Expr::Lit(v)) => v,
        Node::Expr(computed) => {
            defer(resource, path, computed, described, deferred);
            return;
        }
    };
    if let serde_json::Value::String(text) = literal {
        // CloudFormation replaces a dynamic reference with the stored value at deploy:
        // the text here is not what the service sees, so the check waits for the value,
        // as it does for one an intrinsic computes.
        if dynamic_reference::contains(text) {
            deferred.push(Note {
                resource: resource.clone(),
                path: path.render(),
                computed_by: "a dynamic reference",
                check: described.clone(),
            });
            return;
        }
    }
    match c.check.passes(literal) {
        Some(false) => errors.push(Diagnostic::error(
            Location::property(resource, &path.render()),
            format!("{literal} does not satisfy {described}"),
            match literal {
                serde_json::Value::String(text) if dynamic_reference::near_miss(text) => format!(
                    "correct the dynamic reference ({}), or change the value to one with {described}",
                    dynamic_reference::SYNTAX
                ),
                _ => format!("change the value to one with {described}"),
            },
        )),
        None => unchecked(c, resource, path, described, deferred),
        Some(true) => {}
    }
}

/// Reports the first repeated item of a list whose schema says `uniqueItems`, naming the
/// item and where it occurs; a list computed whole is deferred, an item computed inside a
/// built list is let through ([`unique`]).
fn unique_items(
    described: &Arc<str>,
    resource: &Arc<str>,
    path: Path,
    node: Node,
    errors: &mut Vec<Diagnostic>,
    deferred: &mut Vec<Note>,
) {
    use serde_json::Value as J;
    let items: Vec<Item> = match node {
        Node::Json(J::Array(items)) | Node::Expr(Expr::Lit(J::Array(items))) => {
            items.iter().map(Item::Json).collect()
        }
        Node::Expr(Expr::Array(items)) => items.iter().map(Item::Expr).collect(),
        Node::Json(_)
        | Node::Expr(Expr::Lit(_) | Expr::Object(_) | Expr::NoValue | Expr::Invalid(..)) => return,
        Node::Expr(computed) => {
            defer(resource, path, computed, described, deferred);
            return;
        }
    };
    if let Some((first, again, item)) = unique::first_repeat(&items) {
        errors.push(Diagnostic::error(
            Location::property(resource, &path.render()),
            format!("repeats {item} (items {first} and {again}), but the schema requires {described}"),
            format!("remove item {again}: CloudFormation validates the list against its schema at deploy and refuses it"),
        ));
    }
}

/// Records that a check cannot run on a literal at all (a schema pattern that is not
/// valid ECMA-262), so it is noted rather than skipped in silence.
fn unchecked(
    c: &Constraint,
    resource: &Arc<str>,
    path: Path,
    described: &Arc<str>,
    deferred: &mut Vec<Note>,
) {
    if let Some(why) = c.check.unchecked() {
        deferred.push(Note {
            resource: resource.clone(),
            path: path.render(),
            computed_by: "a literal",
            check: format!("{described} (not checked at synth: {why})").into(),
        });
    }
}

/// Records that a check could not be applied at synth: the value at `path` is computed.
fn defer(
    resource: &Arc<str>,
    path: Path,
    computed: &Expr,
    described: &Arc<str>,
    deferred: &mut Vec<Note>,
) {
    deferred.push(Note {
        resource: resource.clone(),
        path: path.render(),
        computed_by: computed.intrinsic_name().unwrap_or(""),
        check: described.clone(),
    });
}

/// What a list or map node holds, for the checks that count its items or entries or
/// read its keys: how many it has for sure and at most (an item or entry that is
/// `Fn::If` with an `AWS::NoValue` branch may be absent; one that is `AWS::NoValue` is),
/// and a map's keys that may be present. Known whether its members are literal or not.
struct Shape<'a> {
    map: bool,
    least: usize,
    most: usize,
    keys: Vec<&'a str>,
}

impl<'a> Shape<'a> {
    fn of(node: &Node<'a>) -> Option<Shape<'a>> {
        use serde_json::Value as J;
        let json = match *node {
            Node::Json(v) | Node::Expr(Expr::Lit(v)) => v,
            Node::Expr(Expr::Array(items)) => {
                return Some(Shape::counted(items.iter().map(|e| (None, e)), false));
            }
            Node::Expr(Expr::Object(map)) => {
                let entries = map.iter().map(|(k, e)| (Some(k.as_str()), e));
                return Some(Shape::counted(entries, true));
            }
            Node::Expr(_) => return None,
        };
        match json {
            J::Array(items) => Some(Shape {
                map: false,
                least: items.len(),
                most: items.len(),
                keys: Vec::new(),
            }),
            J::Object(map) => Some(Shape {
                map: true,
                least: map.len(),
                most: map.len(),
                keys: map.keys().map(String::as_str).collect(),
            }),
            _ => None,
        }
    }

    /// The shape of built members, each with its key in a map.
    fn counted(members: impl Iterator<Item = (Option<&'a str>, &'a Expr)>, map: bool) -> Shape<'a> {
        let mut shape = Shape {
            map,
            least: 0,
            most: 0,
            keys: Vec::new(),
        };
        for (key, member) in members {
            let set = Presence::of(Some(member));
            let (surely, maybe) = (set.surely(), set.may());
            shape.least += usize::from(surely);
            shape.most += usize::from(maybe);
            if let Some(key) = key.filter(|_| maybe) {
                shape.keys.push(key);
            }
        }
        shape
    }

    /// Reports what a counting or key check finds in this list or map at `path`.
    fn apply(
        &self,
        c: &Constraint,
        described: &Arc<str>,
        resource: &Arc<str>,
        path: Path,
        errors: &mut Vec<Diagnostic>,
    ) {
        let at = || Location::property(resource, &path.render());
        if self.keys.is_empty() || !matches!(c.check, Check::KeyPattern(_)) {
            if c.check.count_passes(self.least, self.most, self.map) == Some(false) {
                let unit = if self.map { "entries" } else { "items" };
                let count = if self.least == self.most {
                    self.least.to_string()
                } else {
                    format!("{} to {}", self.least, self.most)
                };
                errors.push(Diagnostic::error(
                    at(),
                    format!("has {count} {unit}, not {described}"),
                    format!("give it {described}"),
                ));
            }
            return;
        }
        for key in &self.keys {
            if c.check.key_passes(key) == Some(false) {
                errors.push(Diagnostic::error(
                    at(),
                    format!("key {key:?} does not satisfy {described}"),
                    format!("rename the key: every key needs {described}"),
                ));
            }
        }
    }
}

/// A type's constraints by the top-level property their path starts at, each property's
/// as a [`Plan`]: the constraints' paths merged segment by segment, so a property value
/// is walked once for all of them rather than once per constraint.
struct ByProperty {
    /// Every constraint of the table with a path, in the table's order.
    entries: Vec<Entry>,
    /// Per property some constraint names, the constraints that name it (indexes in
    /// `entries`) and its plan (with the `*` constraints merged in), made when a resource
    /// first sets the property: a type declares tens of properties, a stack sets a few.
    /// A hash of the name per property set.
    named: FastMap<&'static str, (Vec<u32>, OnceLock<Plan>)>,
    /// The constraints whose path starts with `*` (every property).
    every: Vec<u32>,
    /// The plan of any other property: the `*` constraints'.
    others: OnceLock<Plan>,
}

/// What the constraints ask of one node: the constraints that end here, and the plans of
/// the nodes their paths go on to.
#[derive(Default)]
struct Plan {
    /// Indexes in [`ByProperty::entries`] of the constraints whose path ends at this node.
    here: Vec<u32>,
    /// The plan for every item or entry (a `*` segment).
    any: Option<Box<Plan>>,
    /// The plans for one key or list index each, in the order first met.
    named: Vec<(&'static str, Plan)>,
    /// Indexes of the constraints whose path goes past this node: each stops at a
    /// computed node here, so each defers once.
    below: Vec<u32>,
}

impl Plan {
    /// Adds constraint `entry` with `rest` of its path still to follow.
    fn add(&mut self, entry: u32, rest: Option<&'static str>) {
        let Some((head, rest)) = split_first(rest) else {
            self.here.push(entry);
            return;
        };
        self.below.push(entry);
        let next = if head == "*" {
            self.any.get_or_insert_default()
        } else {
            match self.named.iter().position(|(name, _)| *name == head) {
                Some(i) => &mut self.named[i].1,
                None => {
                    self.named.push((head, Plan::default()));
                    &mut self.named.last_mut().expect("just pushed").1
                }
            }
        };
        next.add(entry, rest);
    }

    /// No constraint applies at or below this node.
    fn reaches_nothing(&self) -> bool {
        self.here.is_empty() && self.below.is_empty()
    }

    /// Calls `f` with each constraint (its index) and node its path reaches from `node`,
    /// as [`visit`] does for each constraint alone: `Fn::If` branches are both followed,
    /// and a computed node on the way is where every path going past it stops.
    fn walk<'a>(&self, node: &'a Expr, at: Path, f: &mut dyn FnMut(u32, Path, Node<'a>)) {
        if let Expr::If(_, a, b) = node {
            self.walk(a, at, f);
            self.walk(b, at, f);
            return;
        }
        for &entry in &self.here {
            f(entry, at, Node::Expr(node));
        }
        if self.below.is_empty() {
            return;
        }
        match node {
            Expr::Array(items) => {
                if let Some(any) = &self.any {
                    for (i, item) in items.iter().enumerate() {
                        any.walk(item, at.index(i), f);
                    }
                }
                // One item by index (a schema's `prefixItems`).
                for (head, plan) in &self.named {
                    if let Some((i, item)) = nth(items, head) {
                        plan.walk(item, at.index(i), f);
                    }
                }
            }
            Expr::Object(map) => {
                if let Some(any) = &self.any {
                    for (k, v) in map {
                        any.walk(v, at.key(k), f);
                    }
                }
                for (head, plan) in &self.named {
                    if let Some((k, v)) = map.get_key_value(*head) {
                        plan.walk(v, at.key(k), f);
                    }
                }
            }
            // This node's own constraints were met above, as an expression.
            Expr::Lit(v) => self.walk_json_below(v, at, f),
            Expr::NoValue | Expr::Invalid(..) => {}
            computed => {
                for &entry in &self.below {
                    f(entry, at, Node::Expr(computed));
                }
            }
        }
    }

    /// The same inside a literal: plain JSON has no computed node and no `Fn::If`.
    fn walk_json<'a>(
        &self,
        node: &'a serde_json::Value,
        at: Path,
        f: &mut dyn FnMut(u32, Path, Node<'a>),
    ) {
        for &entry in &self.here {
            f(entry, at, Node::Json(node));
        }
        self.walk_json_below(node, at, f);
    }

    /// The same for the constraints whose path goes past `node` only.
    fn walk_json_below<'a>(
        &self,
        node: &'a serde_json::Value,
        at: Path,
        f: &mut dyn FnMut(u32, Path, Node<'a>),
    ) {
        use serde_json::Value as J;
        if self.below.is_empty() {
            return;
        }
        match node {
            J::Array(items) => {
                if let Some(any) = &self.any {
                    for (i, item) in items.iter().enumerate() {
                        any.walk_json(item, at.index(i), f);
                    }
                }
                for (head, plan) in &self.named {
                    if let Some((i, item)) = nth(items, head) {
                        plan.walk_json(item, at.index(i), f);
                    }
                }
            }
            J::Object(map) => {
                if let Some(any) = &self.any {
                    for (k, v) in map {
                        any.walk_json(v, at.key(k), f);
                    }
                }
                for (head, plan) in &self.named {
                    if let Some((k, v)) = map.get_key_value(*head) {
                        plan.walk_json(v, at.key(k), f);
                    }
                }
            }
            _ => {}
        }
    }
}

/// One constraint of the index: the rest of its path (`None` when the constraint is on
/// the property itself), and how messages describe it, made once (a stack defers the same
/// checks on every copy of a computed value).
struct Entry {
    constraint: &'static Constraint,
    rest: Option<&'static str>,
    described: OnceLock<Arc<str>>,
}

impl Entry {
    fn new(constraint: &'static Constraint, rest: Option<&'static str>) -> Self {
        Entry {
            constraint,
            rest,
            described: OnceLock::new(),
        }
    }

    fn described(&self) -> &Arc<str> {
        self.described
            .get_or_init(|| self.constraint.check.describe().into())
    }
}

impl ByProperty {
    /// What tells the tables apart: a table is static, so its address and length.
    fn key(constraints: &'static [Constraint]) -> (usize, usize) {
        (constraints.as_ptr() as usize, constraints.len())
    }

    /// The index of `constraints` (a generated type's static table), built on first use.
    fn of(constraints: &'static [Constraint]) -> Arc<ByProperty> {
        type Cache = Mutex<crate::fast_hash::FastMap<(usize, usize), Arc<ByProperty>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let key = ByProperty::key(constraints);
        let mut cache = CACHE
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache
            .entry(key)
            .or_insert_with(|| {
                let mut entries = Vec::new();
                let mut heads = Vec::new();
                for c in constraints {
                    if let Some((head, rest)) = split_first(Some(c.path)) {
                        entries.push(Entry::new(c, rest));
                        heads.push(head);
                    }
                }
                let mut named: FastMap<&'static str, (Vec<u32>, OnceLock<Plan>)> =
                    FastMap::default();
                let mut every = Vec::new();
                for (i, head) in heads.into_iter().enumerate() {
                    let i = u32::try_from(i).expect("a table has few constraints");
                    if head == "*" {
                        every.push(i);
                    } else {
                        named.entry(head).or_default().0.push(i);
                    }
                }
                Arc::new(ByProperty {
                    entries,
                    named,
                    every,
                    others: OnceLock::new(),
                })
            })
            .clone()
    }

    /// The plan for property `name`.
    fn at(&self, name: &str) -> &Plan {
        match self.named.get(name) {
            Some((own, plan)) => plan.get_or_init(|| self.plan(own)),
            None => self.others.get_or_init(|| self.plan(&[])),
        }
    }

    /// The plan of constraints `own` and the `*` constraints (a property's constraints
    /// first, each group in the table's order).
    fn plan(&self, own: &[u32]) -> Plan {
        let mut plan = Plan::default();
        for &i in own.iter().chain(&self.every) {
            plan.add(i, self.entries[i as usize].rest);
        }
        plan
    }
}

/// A node a constraint path reaches: an expression, or plain JSON inside a literal
/// (visited in place, never copied into an expression).
enum Node<'a> {
    Expr(&'a Expr),
    Json(&'a serde_json::Value),
}

/// Calls `f` on every node the path reaches, one constraint's path alone (the reference
/// [`Plan::walk`] agrees with, in the tests); `Fn::If` branches are both followed, and a
/// computed node on the way is reported as where the path stops.
///
/// `path` is what is left of the constraint's `/`-separated path (`None` once it is all
/// followed), split one segment at a time rather than into a list per constraint.
#[cfg(test)]
fn visit<'a>(node: &'a Expr, path: Option<&str>, at: Path, f: &mut dyn FnMut(Path, Node<'a>)) {
    if let Expr::If(_, a, b) = node {
        visit(a, path, at, f);
        visit(b, path, at, f);
        return;
    }
    let Some(left) = path else {
        f(at, Node::Expr(node));
        return;
    };
    match node {
        Expr::Array(items) => match split_first(path) {
            Some(("*", rest)) => {
                for (i, item) in items.iter().enumerate() {
                    visit(item, rest, at.index(i), f);
                }
            }
            // One item by index (a schema's `prefixItems`).
            Some((head, rest)) => {
                if let Some((i, item)) = nth(items, head) {
                    visit(item, rest, at.index(i), f);
                }
            }
            None => {}
        },
        Expr::Object(map) => visit_map(map, left, at, f),
        Expr::Lit(v) => visit_json(v, path, at, f),
        Expr::NoValue | Expr::Invalid(..) => {}
        computed => f(at, Node::Expr(computed)),
    }
}

/// The same from an object, the path not yet followed (at least one segment left).
#[cfg(test)]
fn visit_map<'a>(map: &'a ExprMap, path: &str, at: Path, f: &mut dyn FnMut(Path, Node<'a>)) {
    let Some((head, rest)) = split_first(Some(path)) else {
        return;
    };
    if head == "*" {
        for (k, v) in map {
            visit(v, rest, at.key(k), f);
        }
    } else if let Some((k, v)) = map.get_key_value(head) {
        visit(v, rest, at.key(k), f);
    }
}

/// The same inside a literal: plain JSON has no computed node and no `Fn::If`.
#[cfg(test)]
fn visit_json<'a>(
    node: &'a serde_json::Value,
    path: Option<&str>,
    at: Path,
    f: &mut dyn FnMut(Path, Node<'a>),
) {
    let Some((head, rest)) = split_first(path) else {
        f(at, Node::Json(node));
        return;
    };
    match (node, head) {
        (serde_json::Value::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                visit_json(item, rest, at.index(i), f);
            }
        }
        (serde_json::Value::Array(items), index) => {
            if let Some((i, item)) = nth(items, index) {
                visit_json(item, rest, at.index(i), f);
            }
        }
        (serde_json::Value::Object(map), "*") => {
            for (k, v) in map {
                visit_json(v, rest, at.key(k), f);
            }
        }
        (serde_json::Value::Object(map), key) => {
            if let Some((k, v)) = map.get_key_value(key) {
                visit_json(v, rest, at.key(k), f);
            }
        }
        _ => {}
    }
}

/// The item a numeric path segment names, with its index; `None` for any other segment
/// or an index past the end.
///
/// Counted in the list as written: an item that is `AWS::NoValue` or an `Fn::If` that may
/// be one would move the later items at deploy, so a path past such an item is not
/// followed (the check is not applied rather than applied to the wrong item).
fn nth<'a, T: MaybeAbsent>(items: &'a [T], segment: &str) -> Option<(usize, &'a T)> {
    let i: usize = segment.parse().ok()?;
    if items[..i.min(items.len())].iter().any(T::may_be_absent) {
        return None;
    }
    items.get(i).map(|item| (i, item))
}

/// A list item that may not be there once CloudFormation resolves the list.
trait MaybeAbsent {
    fn may_be_absent(&self) -> bool;
}

impl MaybeAbsent for Expr {
    fn may_be_absent(&self) -> bool {
        !Presence::of(Some(self)).surely()
    }
}

impl MaybeAbsent for serde_json::Value {
    fn may_be_absent(&self) -> bool {
        false
    }
}

/// The first segment of what is left of a path, and the rest (`None` after the last).
/// Found by byte: paths are short, and a `char` searcher costs more than the scan.
fn split_first(path: Option<&str>) -> Option<(&str, Option<&str>)> {
    let path = path?;
    Some(match path.bytes().position(|b| b == b'/') {
        Some(i) => (&path[..i], Some(&path[i + 1..])),
        None => (path, None),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    static CONSTRAINTS: &[Constraint] = &[
        Constraint {
            path: "Name",
            check: Check::MaxLength(3),
        },
        Constraint {
            path: "Name",
            check: Check::Pattern("^[a-z]+$"),
        },
        Constraint {
            path: "Tags/*/Key",
            check: Check::MinLength(2),
        },
        Constraint {
            path: "Config/Size",
            check: Check::Maximum(10.0),
        },
        Constraint {
            path: "Config/Mode",
            check: Check::OneOf(&["a", "b"]),
        },
        Constraint {
            path: "*",
            check: Check::MaxItems(1),
        },
        Constraint {
            path: "Absent",
            check: Check::MinLength(1),
        },
        Constraint {
            path: "Items/*",
            check: Check::MinLength(2),
        },
    ];

    /// What each constraint finds, looked up constraint by constraint from the root: the
    /// way the index must agree with.
    fn one_by_one(props: &ExprMap) -> (Vec<Diagnostic>, Vec<Note>) {
        let (mut errors, mut deferred) = (Vec::new(), Vec::new());
        for c in CONSTRAINTS {
            visit_map(props, c.path, Path::Root, &mut |path, node| {
                apply(
                    c,
                    &Arc::from(c.check.describe()),
                    &Arc::from("R"),
                    path,
                    node,
                    &mut errors,
                    &mut deferred,
                )
            });
        }
        errors.sort();
        deferred.sort();
        (errors, deferred)
    }

    /// The constraints found through the per-type index are those found one by one:
    /// literal and computed values, nested paths, `*` at the root and inside.
    #[test]
    fn the_index_finds_what_each_constraint_finds() {
        let computed = Expr::Pseudo(crate::value::pseudo::Pseudo::Region);
        let props = ExprMap::from([
            ("Name".to_string(), Expr::Lit(json!("Toolong"))),
            (
                "Tags".to_string(),
                Expr::Array(vec![
                    Expr::Lit(json!({ "Key": "k" })),
                    Expr::Object(ExprMap::from([("Key".to_string(), computed.clone())])),
                ]),
            ),
            (
                "Config".to_string(),
                Expr::Lit(json!({ "Size": 11, "Mode": "c" })),
            ),
            (
                "Items".to_string(),
                Expr::Array(vec![Expr::Lit(json!("x")), computed.clone()]),
            ),
            ("Other".to_string(), computed),
        ]);
        let (mut errors, mut deferred) = (Vec::new(), Vec::new());
        check(
            &Arc::from("R"),
            &props,
            CONSTRAINTS,
            &mut errors,
            &mut deferred,
        );
        errors.sort();
        deferred.sort();
        let (want_errors, want_deferred) = one_by_one(&props);
        assert_eq!((&errors, &deferred), (&want_errors, &want_deferred));
        // The case exercises every kind of finding.
        assert!(errors.len() >= 6, "{errors:#?}");
        assert!(deferred.len() >= 3, "{deferred:#?}");
    }

    static VARIED: &[Constraint] = &[
        Constraint {
            path: "Tags/*/Key",
            check: Check::MinLength(2),
        },
        Constraint {
            path: "Tags/*/Value",
            check: Check::MaxLength(2),
        },
        Constraint {
            path: "Tags/0/Key",
            check: Check::OneOf(&["aa"]),
        },
        Constraint {
            path: "Tags/1",
            check: Check::MaxItems(0),
        },
        Constraint {
            path: "Tags",
            check: Check::UniqueItems,
        },
        Constraint {
            path: "Tags",
            check: Check::MaxItems(2),
        },
        Constraint {
            path: "*/*",
            check: Check::MaxLength(1),
        },
        Constraint {
            path: "*/Deep/Er",
            check: Check::Maximum(1.0),
        },
        Constraint {
            path: "Config/*/Er",
            check: Check::Minimum(5.0),
        },
        Constraint {
            path: "Config/Deep",
            check: Check::MinEntries(3),
        },
        Constraint {
            path: "Config",
            check: Check::KeyPattern("^[A-Z]"),
        },
        Constraint {
            path: "Name",
            check: Check::Pattern("^[a-z]+$"),
        },
    ];

    /// What each constraint of `table` finds alone, from the root, in the order met.
    fn each_alone(table: &'static [Constraint], props: &ExprMap) -> (Vec<Diagnostic>, Vec<Note>) {
        let (mut errors, mut deferred) = (Vec::new(), Vec::new());
        for c in table {
            visit_map(props, c.path, Path::Root, &mut |path, node| {
                apply(
                    c,
                    &Arc::from(c.check.describe()),
                    &Arc::from("R"),
                    path,
                    node,
                    &mut errors,
                    &mut deferred,
                )
            });
        }
        (errors, deferred)
    }

    /// The per-type plan (paths merged by prefix, each property value walked once) finds
    /// exactly what each constraint's own walk finds, as many times: shared prefixes,
    /// `*` at the root and inside, an index after an item that may be absent, `Fn::If`
    /// on the way and at the end, computed nodes on the way (one deferral per constraint
    /// going past), literal JSON inside built values, a property no constraint names.
    #[test]
    fn the_plan_finds_what_each_constraint_alone_finds() {
        use crate::value::expr::{StackKey, Target, TargetKind};
        let maybe = |then: Expr, otherwise: Expr| {
            let cond = Target {
                stack: StackKey::new(1, "S"),
                kind: TargetKind::Condition,
                id: Arc::from("C"),
            };
            Expr::If(cond, Box::new(then), Box::new(otherwise))
        };
        let computed = || Expr::Pseudo(crate::value::pseudo::Pseudo::Region);
        let tag = |k: Expr, v: Expr| {
            Expr::Object(ExprMap::from([
                ("Key".to_string(), k),
                ("Value".to_string(), v),
            ]))
        };
        let cases = [
            ExprMap::from([
                (
                    "Tags".to_string(),
                    Expr::Array(vec![
                        tag(Expr::Lit(json!("k")), Expr::Lit(json!("long"))),
                        maybe(Expr::Lit(json!({ "Key": "bb", "Value": "v" })), computed()),
                        Expr::Lit(json!({ "Key": "k" })),
                        Expr::Lit(json!({ "Key": "k" })),
                    ]),
                ),
                (
                    "Config".to_string(),
                    Expr::Object(ExprMap::from([
                        ("Deep".to_string(), Expr::Lit(json!({ "Er": 3, "X": "xy" }))),
                        ("lower".to_string(), maybe(computed(), Expr::NoValue)),
                        ("Other".to_string(), computed()),
                    ])),
                ),
                ("Name".to_string(), maybe(Expr::Lit(json!("A")), computed())),
                (
                    "Free".to_string(),
                    Expr::Lit(json!({ "Deep": { "Er": 2 }, "y": "zz" })),
                ),
                ("Gone".to_string(), Expr::NoValue),
            ]),
            // An item that may be absent before index 1; whole values computed.
            ExprMap::from([
                (
                    "Tags".to_string(),
                    Expr::Array(vec![
                        maybe(Expr::NoValue, Expr::Lit(json!({ "Key": "q" }))),
                        Expr::Lit(json!({ "Key": "aa" })),
                    ]),
                ),
                ("Config".to_string(), computed()),
                ("Free".to_string(), computed()),
            ]),
            ExprMap::from([
                (
                    "Tags".to_string(),
                    Expr::Lit(json!([{ "Key": "a" }, { "Key": "a" }, 3])),
                ),
                ("Config".to_string(), Expr::Lit(json!("not a map"))),
            ]),
        ];
        let (mut all_errors, mut all_deferred) = (0, 0);
        for props in &cases {
            let (mut errors, mut deferred) = (Vec::new(), Vec::new());
            check(&Arc::from("R"), props, VARIED, &mut errors, &mut deferred);
            let (mut want_errors, mut want_deferred) = each_alone(VARIED, props);
            for list in [&mut errors, &mut want_errors] {
                list.sort();
            }
            for list in [&mut deferred, &mut want_deferred] {
                list.sort();
            }
            assert_eq!((&errors, &deferred), (&want_errors, &want_deferred));
            all_errors += errors.len();
            all_deferred += deferred.len();
        }
        // The cases exercise findings and deferrals of many constraints.
        assert!(all_errors >= 12, "{all_errors}");
        assert!(all_deferred >= 10, "{all_deferred}");
    }
}
