//! Resource attributes: Condition declared, Type a CloudFormation type name,
//! UpdatePolicy and CreationPolicy with known keys.

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;

use super::references::{Known, exists, foreign};

/// Condition, Type, UpdatePolicy and CreationPolicy of every resource.
pub(super) fn check(stack: &Stack, known: &Known, diags: &mut Vec<Diagnostic>) {
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
        let type_ok = {
            let parts: Vec<&str> = r.type_name.split("::").collect();
            (parts.len() == 3 && parts.iter().all(|p| !p.is_empty()))
                || (parts.len() == 2 && parts[0] == "Custom" && !parts[1].is_empty())
                || (parts.len() == 4 && parts[3] == "MODULE")
        };
        if !type_ok {
            diags.push(Diagnostic::error(
                Location::resource(id),
                format!("type `{}` is not a CloudFormation type name", r.type_name),
                "write it as `Service::Group::Type`, such as `AWS::SQS::Queue`, or `Custom::Name`",
            ));
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
