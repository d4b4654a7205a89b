//! References: each stays in its stack, points at something declared, and reads only
//! what its section may read (conditions no resources, rules only parameters).

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::stack::stack::Stack;
use crate::value::expr::{Expr, How, Target, TargetKind};

/// Where an expression sits, as borrowed names: a [`Location`] (two owned strings) is
/// made only for a diagnostic, not for each of the stack's expressions.
pub(super) struct Site<'a> {
    pub(super) section: Section,
    id: &'a str,
    path: Option<&'a str>,
}

impl<'a> Site<'a> {
    /// A resource's property `name`.
    pub(super) fn property(id: &'a str, name: &'a str) -> Self {
        Site {
            section: Section::Resource,
            id,
            path: Some(name),
        }
    }

    /// The location diagnostics report.
    pub(super) fn location(&self) -> Location {
        let mut loc = Location::of(self.section, self.id);
        loc.path = self.path.map(str::to_string);
        loc
    }
}

/// Every expression of the stack outside the resources' properties (conditions,
/// outputs, rules) with where it sits; the properties are walked per resource.
pub(super) fn expressions(stack: &Stack) -> Vec<(Site<'_>, &Expr)> {
    let site = |section, id, path| Site { section, id, path };
    let mut out = Vec::new();
    for (t, e) in &stack.conditions {
        out.push((site(Section::Condition, &*t.id, None), e));
    }
    for o in &stack.outputs {
        out.push((site(Section::Output, o.id.as_str(), None), &o.value));
        if let Some(e) = &o.export {
            out.push((site(Section::Output, o.id.as_str(), None), e));
        }
    }
    for (id, rule) in &stack.rules {
        if let Some(c) = &rule.condition {
            out.push((site(Section::Rule, id.as_str(), None), c));
        }
        for (a, _) in &rule.assertions {
            out.push((site(Section::Rule, id.as_str(), None), a));
        }
    }
    out
}

pub(super) fn foreign(
    stack: &Stack,
    loc: &Location,
    t: &Target,
    how: impl std::fmt::Display,
) -> Diagnostic {
    let fix = match t.kind {
        TargetKind::Resource | TargetKind::Parameter => format!(
            "export the value from stack `{}` with an output (`.export(\"name\")`) and use `{}.import(&output)` in stack `{}`",
            t.stack.name,
            stack.name().to_lowercase(),
            stack.name()
        ),
        TargetKind::Condition | TargetKind::Mapping => format!(
            "declare the {} in stack `{}` as well",
            t.kind.noun(),
            stack.name()
        ),
    };
    Diagnostic::error(
        loc.clone(),
        format!(
            "{how} refers to {} `{}` of stack `{}`, but this is stack `{}`",
            t.kind.noun(),
            t.id,
            t.stack.name,
            stack.name()
        ),
        fix,
    )
}

/// Everything a reference of this stack can point at, by kind and logical ID.
pub(super) type Known<'a> = crate::fast_hash::FastSet<(TargetKind, &'a str)>;

pub(super) fn known(stack: &Stack) -> Known<'_> {
    let mut k = Known::default();
    k.reserve(
        stack.resources.len()
            + stack.parameters.len()
            + stack.conditions.len()
            + stack.mappings.len(),
    );
    k.extend(
        stack
            .resources
            .iter()
            .map(|r| (TargetKind::Resource, &*r.target.id)),
    );
    k.extend(
        stack
            .parameters
            .iter()
            .map(|(t, _)| (TargetKind::Parameter, &*t.id)),
    );
    k.extend(
        stack
            .conditions
            .iter()
            .map(|(t, _)| (TargetKind::Condition, &*t.id)),
    );
    k.extend(
        stack
            .mappings
            .iter()
            .map(|(t, _)| (TargetKind::Mapping, &*t.id)),
    );
    k
}

pub(super) fn exists(known: &Known, t: &Target) -> bool {
    known.contains(&(t.kind, &*t.id))
}

/// References of one expression stay in the stack, point at something declared, and
/// at what their section may read.
pub(super) fn check(
    stack: &Stack,
    known: &Known,
    loc: &Site,
    e: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    e.for_each_reference(&mut |t, how| reference(stack, known, loc, t, how, diags));
}

/// What [`check`] reports of one reference, `t` by `how`, at `loc`: for a walk that
/// meets each node's own reference ([`Expr::own_reference`]) itself.
pub(super) fn reference(
    stack: &Stack,
    known: &Known,
    loc: &Site,
    t: &Target,
    how: How,
    diags: &mut Vec<Diagnostic>,
) {
    {
        if t.stack != stack.key {
            diags.push(foreign(stack, &loc.location(), t, how));
        } else if !exists(known, t) {
            diags.push(Diagnostic::error(
                loc.location(),
                format!(
                    "{how} refers to {} `{}`, which is not in the stack",
                    t.kind.noun(),
                    t.id
                ),
                "add it to the stack before referring to it",
            ));
        }
        let allowed = match loc.section {
            Section::Condition => t.kind != TargetKind::Resource,
            Section::Rule => t.kind == TargetKind::Parameter,
            _ => true,
        };
        if !allowed {
            diags.push(Diagnostic::error(
                loc.location(),
                format!(
                    "{how} refers to {} `{}`, which a {} cannot read",
                    t.kind.noun(),
                    t.id,
                    section_noun(loc.section)
                ),
                match loc.section {
                    Section::Rule => "rules can only read parameters",
                    _ => "conditions can only read parameters, mappings and pseudo parameters",
                },
            ));
        }
    }
}

fn section_noun(s: Section) -> &'static str {
    match s {
        Section::Condition => "condition",
        Section::Rule => "rule",
        _ => "template element",
    }
}
