//! The untyped expression tree behind every [`Value`](crate::Value).
//!
//! Typed values are a thin layer of phantom kinds over this tree; synthesis, reference
//! discovery and literal checks all walk it. It is crate-private so the only way to build
//! one is through the typed constructors, which keep references pointing at handles.

use std::sync::Arc;

use crate::value::expr_map::ExprMap;
use crate::value::pseudo::Pseudo;
use crate::value::sub::SubPart;

/// Identity of a stack, carried by every reference so a handle used in the wrong stack is
/// caught at synth (by id) and reported (by name). One pointer wide: every `Ref` and
/// `Fn::GetAtt` node carries one, so it sets the size of [`Expr`] and of every map of them.
#[derive(Clone, Debug)]
pub(crate) struct StackKey(Arc<StackIdentity>);

/// What a [`StackKey`] holds (its fields read through the key).
#[derive(Debug)]
pub(crate) struct StackIdentity {
    pub(crate) uid: u64,
    pub(crate) name: Arc<str>,
}

impl StackKey {
    pub(crate) fn new(uid: u64, name: &str) -> Self {
        StackKey(Arc::new(StackIdentity {
            uid,
            name: Arc::from(name),
        }))
    }
}

impl std::ops::Deref for StackKey {
    type Target = StackIdentity;

    fn deref(&self) -> &StackIdentity {
        &self.0
    }
}

impl PartialEq for StackKey {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.uid == other.uid
    }
}
impl Eq for StackKey {}

/// What a reference points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum TargetKind {
    Resource,
    Parameter,
    Condition,
    Mapping,
}

impl TargetKind {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            TargetKind::Resource => "resource",
            TargetKind::Parameter => "parameter",
            TargetKind::Condition => "condition",
            TargetKind::Mapping => "mapping",
        }
    }
}

/// A named thing in a stack, as a handle refers to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) stack: StackKey,
    pub(crate) kind: TargetKind,
    pub(crate) id: Arc<str>,
}

/// How an expression refers to a target, as CloudFormation spells it in a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum How<'a> {
    /// `Ref`.
    Ref,
    /// `Fn::GetAtt` of the named attribute.
    GetAtt(&'a str),
    /// `Fn::If` (its condition).
    If,
    /// `Condition`.
    Condition,
    /// `Fn::FindInMap` (its mapping).
    FindInMap,
}

impl std::fmt::Display for How<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            How::Ref => f.write_str("Ref"),
            How::GetAtt(a) => write!(f, "Fn::GetAtt {a}"),
            How::If => f.write_str("Fn::If"),
            How::Condition => f.write_str("Condition"),
            How::FindInMap => f.write_str("Fn::FindInMap"),
        }
    }
}

/// One node of a CloudFormation value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    /// A literal with no intrinsic inside (string, number, bool, null, or plain JSON).
    Lit(serde_json::Value),
    Array(Vec<Expr>),
    Object(ExprMap),
    Ref(Target),
    Pseudo(Pseudo),
    GetAtt(Target, Arc<str>),
    Sub(Vec<SubPart>),
    Join(String, Box<Expr>),
    Select(Box<Expr>, Box<Expr>),
    Split(String, Box<Expr>),
    If(Target, Box<Expr>, Box<Expr>),
    NoValue,
    FindInMap {
        mapping: Target,
        top: Box<Expr>,
        second: Box<Expr>,
        default: Option<Box<Expr>>,
    },
    ImportValue(Box<Expr>),
    GetAzs(Box<Expr>),
    Base64(Box<Expr>),
    Cidr(Box<Expr>, Box<Expr>, Box<Expr>),
    Length(Box<Expr>),
    ToJsonString(Box<Expr>),
    Equals(Box<Expr>, Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Condition(Target),
    /// A rule-only function (`Fn::Contains`, `Fn::EachMemberEquals`, ...), by its name.
    RuleFn(&'static str, Vec<Expr>),
    /// A value that could not be built (for example a malformed `Fn::Sub` string); the
    /// message is reported at synth with the resource and property it was given to.
    Invalid(String, String),
}

impl Expr {
    /// A literal JSON document as an expression tree (objects and arrays opened up,
    /// scalars kept as literals), so a path into it can be edited like any value.
    pub(crate) fn from_json(v: serde_json::Value) -> Expr {
        match v {
            serde_json::Value::Object(m) => Expr::Object(
                m.into_iter()
                    .map(|(k, v)| (k, Expr::from_json(v)))
                    .collect(),
            ),
            serde_json::Value::Array(items) => {
                Expr::Array(items.into_iter().map(Expr::from_json).collect())
            }
            other => Expr::Lit(other),
        }
    }

    /// The intrinsic's CloudFormation name, for "computed by ..." notes; `None` for literals.
    pub(crate) fn intrinsic_name(&self) -> Option<&'static str> {
        Some(match self {
            Expr::Lit(_) | Expr::Array(_) | Expr::Object(_) | Expr::Invalid(..) => return None,
            Expr::Ref(_) | Expr::Pseudo(_) => "Ref",
            Expr::GetAtt(..) => "Fn::GetAtt",
            Expr::Sub(_) => "Fn::Sub",
            Expr::Join(..) => "Fn::Join",
            Expr::Select(..) => "Fn::Select",
            Expr::Split(..) => "Fn::Split",
            Expr::If(..) => "Fn::If",
            Expr::NoValue => "AWS::NoValue",
            Expr::FindInMap { .. } => "Fn::FindInMap",
            Expr::ImportValue(_) => "Fn::ImportValue",
            Expr::GetAzs(_) => "Fn::GetAZs",
            Expr::Base64(_) => "Fn::Base64",
            Expr::Cidr(..) => "Fn::Cidr",
            Expr::Length(_) => "Fn::Length",
            Expr::ToJsonString(_) => "Fn::ToJsonString",
            Expr::Equals(..) => "Fn::Equals",
            Expr::And(_) => "Fn::And",
            Expr::Or(_) => "Fn::Or",
            Expr::Not(_) => "Fn::Not",
            Expr::Condition(_) => "Condition",
            Expr::RuleFn(name, _) => name,
        })
    }

    /// Whether this value nests deeper than `limit` nodes, stopping at the first path
    /// past the limit. Every value built is measured, so a value at most `SHALLOW` (32)
    /// levels deep (nearly all) is measured by direct recursion, bounded by that; a
    /// deeper one is walked with a work list, without recursion.
    pub(crate) fn nests_deeper_than(&self, limit: usize) -> bool {
        /// The deepest recursion the first measure makes.
        const SHALLOW: usize = 32;
        if limit <= SHALLOW {
            return !self.within(limit);
        }
        if self.within(SHALLOW) {
            return false;
        }
        // Unallocated until a node has children (most values are scalars).
        let mut todo: Vec<(&Expr, usize)> = Vec::new();
        let mut next = Some((self, 1));
        while let Some((e, depth)) = next.take().or_else(|| todo.pop()) {
            if depth > limit {
                return true;
            }
            e.for_each_child(&mut |c| todo.push((c, depth + 1)));
        }
        false
    }

    /// Whether this value nests at most `depth` nodes deep (a leaf is one), by recursion
    /// at most `depth` calls deep.
    fn within(&self, depth: usize) -> bool {
        let Some(below) = depth.checked_sub(1) else {
            return false;
        };
        match self {
            Expr::Lit(_)
            | Expr::Ref(_)
            | Expr::Pseudo(_)
            | Expr::GetAtt(..)
            | Expr::NoValue
            | Expr::Condition(_)
            | Expr::Invalid(..) => true,
            Expr::Array(items) | Expr::And(items) | Expr::Or(items) | Expr::RuleFn(_, items) => {
                items.iter().all(|e| e.within(below))
            }
            Expr::Object(map) => map.values().all(|e| e.within(below)),
            other => {
                let mut within = true;
                other.for_each_child(&mut |c| within = within && c.within(below));
                within
            }
        }
    }

    /// Calls `f` on this node and every node below it, parents first.
    pub(crate) fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        self.for_each_child(&mut |c| c.walk(f));
    }

    /// Makes every reference to `from` (`Ref`, `Fn::GetAtt`) one to `to`: a
    /// content-addressed resource's new ID reaches what refers to it.
    pub(crate) fn retarget(&mut self, from: &Target, to: &Target) {
        match self {
            Expr::Ref(t) | Expr::GetAtt(t, _) if t == from => *t = to.clone(),
            Expr::Lit(_)
            | Expr::Ref(_)
            | Expr::Pseudo(_)
            | Expr::GetAtt(..)
            | Expr::NoValue
            | Expr::Condition(_)
            | Expr::Invalid(..) => {}
            Expr::Array(items) | Expr::And(items) | Expr::Or(items) | Expr::RuleFn(_, items) => {
                items.iter_mut().for_each(|e| e.retarget(from, to))
            }
            Expr::Object(map) => map.values_mut().for_each(|e| e.retarget(from, to)),
            Expr::Sub(parts) => parts.iter_mut().for_each(|p| {
                if let SubPart::Var(_, e) = p {
                    e.retarget(from, to)
                }
            }),
            Expr::Join(_, e)
            | Expr::Split(_, e)
            | Expr::ImportValue(e)
            | Expr::GetAzs(e)
            | Expr::Base64(e)
            | Expr::Length(e)
            | Expr::ToJsonString(e)
            | Expr::Not(e) => e.retarget(from, to),
            Expr::Select(a, b) | Expr::Equals(a, b) | Expr::If(_, a, b) => {
                a.retarget(from, to);
                b.retarget(from, to);
            }
            Expr::FindInMap {
                top,
                second,
                default,
                ..
            } => {
                top.retarget(from, to);
                second.retarget(from, to);
                if let Some(d) = default {
                    d.retarget(from, to);
                }
            }
            Expr::Cidr(a, b, c) => {
                a.retarget(from, to);
                b.retarget(from, to);
                c.retarget(from, to);
            }
        }
    }

    /// Calls `f` on each direct child of this node, in order.
    pub(crate) fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        match self {
            Expr::Lit(_)
            | Expr::Ref(_)
            | Expr::Pseudo(_)
            | Expr::GetAtt(..)
            | Expr::NoValue
            | Expr::Condition(_)
            | Expr::Invalid(..) => {}
            Expr::Array(items) | Expr::And(items) | Expr::Or(items) | Expr::RuleFn(_, items) => {
                items.iter().for_each(&mut *f)
            }
            Expr::Object(map) => map.values().for_each(&mut *f),
            Expr::Sub(parts) => parts.iter().for_each(|p| {
                if let SubPart::Var(_, e) = p {
                    f(e)
                }
            }),
            Expr::Join(_, e)
            | Expr::Split(_, e)
            | Expr::ImportValue(e)
            | Expr::GetAzs(e)
            | Expr::Base64(e)
            | Expr::Length(e)
            | Expr::ToJsonString(e)
            | Expr::Not(e) => f(e),
            Expr::Select(a, b) | Expr::Equals(a, b) | Expr::If(_, a, b) => {
                f(a);
                f(b);
            }
            Expr::FindInMap {
                top,
                second,
                default,
                ..
            } => {
                f(top);
                f(second);
                if let Some(d) = default {
                    f(d);
                }
            }
            Expr::Cidr(a, b, c) => {
                f(a);
                f(b);
                f(c);
            }
        }
    }

    /// Every target this expression refers to, with how (`Ref`, `Fn::GetAtt X`, ...).
    /// The how is rendered only when a diagnostic prints it: most references never do.
    pub(crate) fn references(&self) -> Vec<(&Target, How<'_>)> {
        let mut out = Vec::new();
        self.for_each_reference(&mut |t, how| out.push((t, how)));
        out
    }

    /// Calls `f` on each reference [`Expr::references`] lists, in its order, without
    /// collecting them: for the passes that visit every value of a stack.
    pub(crate) fn for_each_reference<'a>(&'a self, f: &mut dyn FnMut(&'a Target, How<'a>)) {
        self.walk(&mut |e| {
            if let Some((t, how)) = e.own_reference() {
                f(t, how)
            }
        });
    }

    /// The reference this node makes itself (not its children's): what
    /// [`for_each_reference`](Expr::for_each_reference) reports for it.
    pub(crate) fn own_reference(&self) -> Option<(&Target, How<'_>)> {
        match self {
            Expr::Ref(t) => Some((t, How::Ref)),
            Expr::GetAtt(t, a) => Some((t, How::GetAtt(a))),
            Expr::If(t, ..) => Some((t, How::If)),
            Expr::Condition(t) => Some((t, How::Condition)),
            Expr::FindInMap { mapping, .. } => Some((mapping, How::FindInMap)),
            _ => None,
        }
    }

    /// Whether a reference inside refers to `t` (one of those
    /// [`Expr::for_each_reference`] visits). Recurses directly, stopping at the first:
    /// the content-ID pass asks it of every value of the stack, and most nodes are
    /// leaves, which need no call through the walk's closure.
    pub(crate) fn refers_to(&self, t: &Target) -> bool {
        match self {
            Expr::Lit(_) | Expr::Pseudo(_) | Expr::NoValue | Expr::Invalid(..) => false,
            Expr::Ref(r) | Expr::GetAtt(r, _) | Expr::Condition(r) => r == t,
            Expr::Array(items) | Expr::And(items) | Expr::Or(items) | Expr::RuleFn(_, items) => {
                items.iter().any(|e| e.refers_to(t))
            }
            Expr::Object(map) => map.values().any(|e| e.refers_to(t)),
            Expr::If(r, a, b) => r == t || a.refers_to(t) || b.refers_to(t),
            Expr::FindInMap { mapping, .. } if mapping == t => true,
            other => {
                let mut found = false;
                other.for_each_child(&mut |c| found = found || c.refers_to(t));
                found
            }
        }
    }

    /// Renders the CloudFormation JSON form.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        use serde_json::{Value as J, json};
        fn one(name: &str, v: J) -> J {
            let mut m = serde_json::Map::new();
            m.insert(name.to_string(), v);
            J::Object(m)
        }
        match self {
            Expr::Lit(v) => v.clone(),
            Expr::Array(items) => J::Array(items.iter().map(Expr::to_json).collect()),
            Expr::Object(map) => {
                J::Object(map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Expr::Ref(t) => one("Ref", J::String(t.id.to_string())),
            Expr::Pseudo(p) => one("Ref", J::String(p.name().to_string())),
            Expr::GetAtt(t, a) => one("Fn::GetAtt", json!([&*t.id, &**a])),
            Expr::Sub(parts) => crate::value::sub::render(parts),
            Expr::Join(sep, e) => one("Fn::Join", json!([sep, e.to_json()])),
            Expr::Select(i, e) => one("Fn::Select", json!([i.to_json(), e.to_json()])),
            Expr::Split(sep, e) => one("Fn::Split", json!([sep, e.to_json()])),
            Expr::If(c, a, b) => one("Fn::If", json!([&*c.id, a.to_json(), b.to_json()])),
            Expr::NoValue => one("Ref", J::String("AWS::NoValue".into())),
            Expr::FindInMap {
                mapping,
                top,
                second,
                default,
            } => {
                let mut args = vec![
                    J::String(mapping.id.to_string()),
                    top.to_json(),
                    second.to_json(),
                ];
                if let Some(d) = default {
                    args.push(json!({ "DefaultValue": d.to_json() }));
                }
                one("Fn::FindInMap", J::Array(args))
            }
            Expr::ImportValue(e) => one("Fn::ImportValue", e.to_json()),
            Expr::GetAzs(e) => one("Fn::GetAZs", e.to_json()),
            Expr::Base64(e) => one("Fn::Base64", e.to_json()),
            Expr::Cidr(a, b, c) => one("Fn::Cidr", json!([a.to_json(), b.to_json(), c.to_json()])),
            Expr::Length(e) => one("Fn::Length", e.to_json()),
            Expr::ToJsonString(e) => one("Fn::ToJsonString", e.to_json()),
            Expr::Equals(a, b) => one("Fn::Equals", json!([a.to_json(), b.to_json()])),
            Expr::And(items) => one("Fn::And", items.iter().map(Expr::to_json).collect()),
            Expr::Or(items) => one("Fn::Or", items.iter().map(Expr::to_json).collect()),
            Expr::Not(e) => one("Fn::Not", json!([e.to_json()])),
            Expr::Condition(t) => one("Condition", J::String(t.id.to_string())),
            Expr::RuleFn(name, args) => one(name, args.iter().map(Expr::to_json).collect()),
            // Never reached in a template that passed validation; rendered visibly anyway.
            Expr::Invalid(msg, _) => one("Nephos::Invalid", J::String(msg.clone())),
        }
    }
}

/// The property `name` of an object expression (`None` for anything else): how checks
/// that know a resource type read its properties.
pub(crate) fn field<'a>(e: &'a Expr, name: &str) -> Option<&'a Expr> {
    match e {
        Expr::Object(m) => m.get(name),
        _ => None,
    }
}

/// The items of the list property `name`; empty when absent or computed.
pub(crate) fn list<'a>(e: &'a Expr, name: &str) -> &'a [Expr] {
    match field(e, name) {
        Some(Expr::Array(items)) => items,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    /// Every property map holds its values inline (an `ExprMap`'s vector of entries), so
    /// the node size is the memory a stack takes: 72 bytes before the stack key became
    /// one pointer.
    #[test]
    fn an_expression_node_stays_small() {
        assert!(std::mem::size_of::<super::Expr>() <= 56);
        assert!(std::mem::size_of::<super::Target>() <= 32);
    }

    /// `refers_to` answers as the walk over every reference does, for each kind of node
    /// that holds one (and for the intrinsics around them), whether or not it is the
    /// target asked about.
    #[test]
    fn refers_to_agrees_with_the_references_walked() {
        use super::{Expr, StackKey, SubPart, Target, TargetKind};
        let stack = StackKey::new(3, "S");
        let t = |kind, id: &str| Target {
            stack: stack.clone(),
            kind,
            id: id.into(),
        };
        let a = t(TargetKind::Resource, "A");
        let b = t(TargetKind::Resource, "B");
        let c = t(TargetKind::Condition, "C");
        let m = t(TargetKind::Mapping, "M");
        let lit = |s: &str| Expr::Lit(s.into());
        let leaves = [
            lit("x"),
            Expr::Ref(a.clone()),
            Expr::GetAtt(b.clone(), "Arn".into()),
            Expr::Condition(c.clone()),
            Expr::NoValue,
        ];
        let mut values: Vec<Expr> = leaves.to_vec();
        for leaf in &leaves {
            let boxed = || Box::new(leaf.clone());
            values.extend([
                Expr::Array(vec![lit("y"), leaf.clone()]),
                Expr::Object([("K".to_string(), leaf.clone())].into()),
                Expr::Sub(vec![
                    SubPart::Text("t".into()),
                    SubPart::Var("v".into(), leaf.clone()),
                ]),
                Expr::Join(",".into(), boxed()),
                Expr::Select(Box::new(lit("0")), boxed()),
                Expr::If(c.clone(), Box::new(lit("n")), boxed()),
                Expr::FindInMap {
                    mapping: m.clone(),
                    top: Box::new(lit("k")),
                    second: boxed(),
                    default: Some(boxed()),
                },
                Expr::Equals(boxed(), Box::new(lit("z"))),
                Expr::And(vec![leaf.clone()]),
                Expr::Not(boxed()),
                Expr::Base64(Box::new(Expr::Array(vec![leaf.clone()]))),
                Expr::Cidr(Box::new(lit("i")), Box::new(lit("j")), boxed()),
            ]);
        }
        for v in &values {
            for target in [&a, &b, &c, &m, &t(TargetKind::Parameter, "A")] {
                let mut walked = false;
                v.for_each_reference(&mut |r, _| walked |= r == target);
                assert_eq!(v.refers_to(target), walked, "{v:?} {target:?}");
            }
        }
    }

    /// The depth measured is the nesting built, for values measured by recursion, by the
    /// work list, and across the switch between them, through each kind of container.
    #[test]
    fn nesting_is_measured_at_every_depth_and_limit() {
        use super::{Expr, StackKey, SubPart, Target, TargetKind};
        let stack = StackKey::new(5, "S");
        let c = Target {
            stack,
            kind: TargetKind::Condition,
            id: "C".into(),
        };
        let wrappers: [&dyn Fn(Expr) -> Expr; 5] = [
            &|e| Expr::Array(vec![Expr::Lit(1.into()), e]),
            &|e| Expr::Object([("K".to_string(), e)].into()),
            &|e| Expr::Sub(vec![SubPart::Var("v".into(), e)]),
            &|e| Expr::If(c.clone(), Box::new(Expr::NoValue), Box::new(e)),
            &|e| Expr::Join(",".into(), Box::new(e)),
        ];
        for (w, wrap) in wrappers.iter().enumerate() {
            let mut e = Expr::Lit("leaf".into());
            for levels in 1..=80usize {
                // `levels` nodes deep: the leaf and `levels - 1` containers around it.
                for limit in [0, 1, levels - 1, levels, levels + 1, 31, 32, 33, 64, 1000] {
                    assert_eq!(
                        e.nests_deeper_than(limit),
                        levels > limit,
                        "wrapper {w}, {levels} levels, limit {limit}"
                    );
                }
                e = wrap(e);
            }
        }
        // An empty container is one level, like a leaf.
        assert!(!Expr::Array(Vec::new()).nests_deeper_than(1));
        assert!(Expr::Array(Vec::new()).nests_deeper_than(0));
    }
}
