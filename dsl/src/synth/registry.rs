//! The registry facts nephos ships for every type (`facts_data.rs`, generated from the
//! schemas and the AWS service spec supplement), applied to every resource, so a
//! [`RawResource`](crate::RawResource) of a known type is checked as a generated one is
//! typed: it sets only properties its schema declares, its required properties are set, and
//! `Fn::GetAtt` names attributes it has.
//! (Create-only properties are keyed by type too: the deployer's replacement prediction
//! reads them for raw resources as for any other.)

use crate::diagnostic::{Diagnostic, Location, Section};
use crate::facts;
use crate::stack::stack::Stack;
use crate::synth::by_type::Resources;
use crate::synth::presence::{Breach, breach};
use crate::value::expr::{Expr, TargetKind};
use crate::value::expr_map::ExprMap;

/// Runs the checks.
pub(crate) fn check(stack: &Stack, resources: &Resources, diags: &mut Vec<Diagnostic>) {
    // Each type's facts were looked up once, for its resources' checks and for every
    // `Fn::GetAtt` on them.
    // Per type, the last set of property names found all declared: the resources of a
    // type mostly set the same names, which are then not looked up again.
    let mut declared: Vec<(*const facts::ResourceFacts, &ExprMap)> = Vec::new();
    for (i, r) in resources.all().iter().enumerate() {
        let id = &*r.entry.target.id;
        if let Some(f) = resources.facts(i) {
            let props = &r.props;
            // A name the schema does not declare (set through `set_property`, a wiring's
            // edit, an override or a raw resource): CloudFormation refuses the template.
            let seen = declared.iter().position(|(t, _)| std::ptr::eq(*t, f));
            if !seen.is_some_and(|at| declared[at].1.keys().eq(props.keys())) {
                let before = diags.len();
                for name in props.keys().filter(|n| !f.has_property(n)) {
                    diags.push(unknown_property(id, f, name));
                }
                if diags.len() == before {
                    match seen {
                        Some(at) => declared[at].1 = props,
                        None => declared.push((f, props)),
                    }
                }
            }
            let own = r.entry.condition.as_ref().map(|c| &*c.id);
            for name in f.required() {
                if let Some(v) = props.get(name) {
                    let unset = breach(&[Some(v)], own, &|at| !at(0).may());
                    if let Some(d) = unset.map(|b| cleared(id, &r.entry.type_name, name, &b)) {
                        diags.push(d);
                    }
                } else {
                    diags.push(Diagnostic::error(
                        Location::property(id, name),
                        format!(
                            "{} requires property `{name}`, which is not set",
                            r.entry.type_name
                        ),
                        format!(
                            "set it (`.property(\"{name}\", ...)` on a raw resource), or use the generated type, whose constructor takes every required property"
                        ),
                    ));
                }
            }
        }
    }
    // The resources' properties are walked by the checks' one walk ([`attribute`]).
    for o in &stack.outputs {
        attributes(
            resources,
            &|| Location::of(Section::Output, &o.id),
            &o.value,
            diags,
        );
    }
}

/// The refusal of a property `name` that the type of `id` (facts `f`) does not declare,
/// with the declared name it is closest to when one is close (a misspelling).
fn unknown_property(id: &str, f: &facts::ResourceFacts, name: &str) -> Diagnostic {
    let shown = name.escape_debug();
    let closest = f
        .properties()
        .map(|p| {
            (
                strsim::damerau_levenshtein(&p.to_lowercase(), &name.to_lowercase()),
                p,
            )
        })
        .filter(|(d, _)| *d <= 3)
        .min();
    let fix = match closest {
        Some((_, p)) => {
            format!("did you mean `{p}`? Set the property the schema declares, or remove `{shown}`")
        }
        None => format!(
            "remove `{shown}`; the type's properties are listed in its CloudFormation reference (the AWS resource and property types reference)"
        ),
    };
    Diagnostic::error(
        Location::property(id, name),
        format!(
            "{} has no property `{shown}` (its registry schema declares no such property), so CloudFormation would refuse the template",
            f.type_name()
        ),
        fix,
    )
}

/// A required property that is `AWS::NoValue` (or `null`) whichever way the conditions go,
/// or under the way `b` names: refused when synth is sure the way happens, flagged when
/// it rests on two conditions synth takes as independent.
fn cleared(id: &str, type_name: &str, name: &str, b: &Breach) -> Diagnostic {
    let when = if b.conditions.is_empty() {
        "always".to_string()
    } else {
        format!("when {}", b.describe())
    };
    let message =
        format!("{type_name} requires property `{name}`, which is AWS::NoValue (not set) {when}");
    let fix = format!(
        "give `{name}` a value on every branch of its Fn::If, or give the resource the condition under which `{name}` is set"
    );
    if b.certain {
        Diagnostic::error(Location::property(id, name), message, fix)
    } else {
        Diagnostic::warning(Location::property(id, name), message, fix)
    }
}

/// Whether `attribute` is one `Fn::GetAtt` can read on a resource of these facts.
fn known(f: &facts::ResourceFacts, attribute: &str) -> bool {
    f.attributes().any(|a| {
        a == attribute
            || attribute
                .strip_prefix(a)
                .is_some_and(|rest| rest.starts_with('.'))
    }) || (f.type_name() == "AWS::CloudFormation::Stack" && attribute.starts_with("Outputs."))
}

/// Every `Fn::GetAtt` in `e` names an attribute its resource has; `location` is made
/// only for a diagnostic.
fn attributes(
    resources: &Resources,
    location: &dyn Fn() -> Location,
    e: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    e.walk(&mut |node| attribute(resources, location, node, diags));
}

/// The same for one node (not its children), for a walk that visits every node itself.
pub(crate) fn attribute(
    resources: &Resources,
    location: &dyn Fn() -> Location,
    node: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    {
        let Expr::GetAtt(t, attribute) = node else {
            return;
        };
        if t.kind != TargetKind::Resource {
            return;
        }
        // The facts of the resource of the ID (its last one, when the ID is repeated).
        let Some(f) = resources.position(&t.id).and_then(|i| resources.facts(i)) else {
            return;
        };
        if known(f, attribute) {
            return;
        }
        let listed = if f.attributes().len() == 0 {
            "none".to_string()
        } else {
            f.attributes().collect::<Vec<_>>().join(", ")
        };
        let message = format!(
            "`Fn::GetAtt {}.{attribute}`: {} has no attribute `{attribute}` (its attributes: {listed})",
            t.id,
            f.type_name()
        );
        let fix = "read one of the attributes listed, or the `Ref` value";
        diags.push(if f.attributes_complete() {
            Diagnostic::error(location(), message, fix)
        } else {
            // The schema may lack an attribute the service has: flagged, not refused.
            Diagnostic::warning(location(), message, fix)
        });
    }
}
