//! Resource attributes: Condition declared, Type a CloudFormation type name,
//! UpdatePolicy and CreationPolicy with known keys.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::by_type::Resources;

use super::references::{Known, exists, foreign};

/// Condition, Type, UpdatePolicy and CreationPolicy of every resource.
pub(super) fn check(
    stack: &Stack,
    resources: &Resources,
    known: &Known,
    diags: &mut Vec<Diagnostic>,
) {
    // Each type judged once, each resource of a wrong one reported.
    for (type_name, of) in resources.by_type() {
        if type_name_ok(type_name) {
            continue;
        }
        for r in of {
            diags.push(Diagnostic::error(
                Location::resource(&r.entry.target.id),
                format!("type `{type_name}` is not a CloudFormation type name"),
                "write it as `Service::Group::Type`, such as `AWS::SQS::Queue`, or `Custom::Name`",
            ));
        }
    }
    const UPDATE_POLICY: &[&str] = &[
        "AutoScalingReplacingUpdate",
        "AutoScalingRollingUpdate",
        "AutoScalingScheduledAction",
        "CodeDeployLambdaAliasUpdate",
        "EnableVersionUpgrade",
        "UseOnlineResharding",
    ];
    const CREATION_POLICY: &[&str] = &["AutoScalingCreationPolicy", "ResourceSignal", "StartFleet"];
    for r in &stack.resources {
        let id = &*r.target.id;
        if let Some(c) = &r.condition {
            if c.stack != stack.key {
                diags.push(foreign(stack, &Location::resource(id), c, "Condition"));
            } else if !exists(known, c) {
                diags.push(Diagnostic::error(
                    Location::resource(id),
                    format!("Condition `{}` is not declared", c.id),
                    "declare it with `stack.condition(...)`",
                ));
            }
        }
        for (attr, doc, known) in [
            ("UpdatePolicy", &r.update_policy, UPDATE_POLICY),
            ("CreationPolicy", &r.creation_policy, CREATION_POLICY),
        ] {
            let Some(doc) = doc else { continue };
            match doc.as_object() {
                None => diags.push(Diagnostic::error(
                    Location::resource(id),
                    format!("{attr} must be an object"),
                    format!("use an object with keys among {}", known.join(", ")),
                )),
                Some(map) => {
                    for k in map.keys().filter(|k| !known.contains(&k.as_str())) {
                        diags.push(Diagnostic::error(
                            Location::resource(id),
                            format!("{attr} has unknown key `{k}`"),
                            format!("use keys among {}", known.join(", ")),
                        ));
                    }
                }
            }
        }
    }
}

/// Whether `type_name` is `Service::Group::Type`, `Custom::Name` or a module's
/// `Org::Service::Type::MODULE`, judged from its first five `::`-separated parts (no
/// list of parts per resource).
fn type_name_ok(type_name: &str) -> bool {
    let mut parts = crate::text::split(type_name, "::");
    let p: [Option<&str>; 5] = std::array::from_fn(|_| parts.next());
    match p {
        [Some(a), Some(b), Some(c), None, _] => !a.is_empty() && !b.is_empty() && !c.is_empty(),
        [Some("Custom"), Some(name), None, ..] => !name.is_empty(),
        [Some(_), Some(_), Some(_), Some("MODULE"), None] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::type_name_ok;

    /// The rule as it was written, on the list of parts.
    fn by_parts(type_name: &str) -> bool {
        let parts: Vec<&str> = type_name.split("::").collect();
        (parts.len() == 3 && parts.iter().all(|p| !p.is_empty()))
            || (parts.len() == 2 && parts[0] == "Custom" && !parts[1].is_empty())
            || (parts.len() == 4 && parts[3] == "MODULE")
    }

    #[test]
    fn type_names_are_judged_as_by_their_parts() {
        let pieces = ["", "AWS", "Custom", "MODULE", "X", ":"];
        let mut names = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| pieces.iter().map(move |p| format!("{n}::{p}")))
                .collect();
            names.extend(longer);
        }
        let mut checked = 0;
        for n in names
            .iter()
            .flat_map(|n| [n.clone(), n.trim_start_matches("::").to_string()])
        {
            assert_eq!(type_name_ok(&n), by_parts(&n), "{n:?}");
            checked += 1;
        }
        assert!(checked > 10_000);
        assert!(type_name_ok("AWS::SQS::Queue") && type_name_ok("Custom::Thing"));
        assert!(type_name_ok("Org::Svc::Type::MODULE") && !type_name_ok("AWS::SQS"));
    }
}
