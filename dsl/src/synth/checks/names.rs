//! Stack name and logical IDs: well-formed, and unique within their namespace.

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::fast_hash::FastMap;
use crate::stack::logical_id;
use crate::stack::stack::Stack;

pub(super) fn stack_name(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let name = stack.name();
    if crate::app::assembly::check_stack_name(name).is_err() {
        diags.push(Diagnostic::error(
            Location::stack(),
            format!("stack name `{name}` is not a valid CloudFormation stack name"),
            "start with a letter and use only letters, digits and hyphens, at most 128 characters",
        ));
    }
}

pub(super) fn logical_ids(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    // Parameters and resources share one namespace: `Ref` takes either.
    let refable = stack
        .parameters
        .iter()
        .map(|(t, _)| (Section::Parameter, &*t.id))
        .chain(
            stack
                .resources
                .iter()
                .map(|r| (Section::Resource, &*r.target.id)),
        );
    let sections: [(&str, Vec<(Section, &str)>); 5] = [
        ("parameters and resources", refable.collect()),
        (
            "conditions",
            stack
                .conditions
                .iter()
                .map(|(t, _)| (Section::Condition, &*t.id))
                .collect(),
        ),
        (
            "mappings",
            stack
                .mappings
                .iter()
                .map(|(t, _)| (Section::Mapping, &*t.id))
                .collect(),
        ),
        (
            "outputs",
            stack
                .outputs
                .iter()
                .map(|o| (Section::Output, o.id.as_str()))
                .collect(),
        ),
        (
            "rules",
            stack
                .rules
                .iter()
                .map(|(id, _)| (Section::Rule, id.as_str()))
                .collect(),
        ),
    ];
    for (what, ids) in sections {
        // Only asked for a repeat, never iterated: a hash of each ID, not a tree of them.
        let mut seen: FastMap<&str, Section> = FastMap::default();
        seen.reserve(ids.len());
        for &(section, id) in &ids {
            if let Some(problem) = logical_id::problem(id) {
                diags.push(Diagnostic::error(
                    Location::of(section, id),
                    problem,
                    "rename it; logical IDs are the names CloudFormation tracks resources by",
                ));
            }
            if let Some(first) = seen.insert(id, section) {
                let first_noun = Location::of(first, id);
                diags.push(Diagnostic::error(
                    Location::of(section, id),
                    format!(
                        "logical ID `{id}` is used twice among the {what} (first by {first_noun})"
                    ),
                    "give each one its own logical ID",
                ));
            }
        }
    }
}
