//! Removal through a `Condition`: one newly placed on a stateful resource, changed to
//! another, or whose definition changed, may be false, and CloudFormation then deletes the
//! resource.

use serde_json::Value;

use super::policy::{default_deletion_policy, keeps_data, policy, resource};
use super::{DataLoss, Evidence, Hazard};

/// The stateful resources that a `Condition` may now delete: one newly placed on them or
/// changed to another, or one whose definition (or that of a condition it reads) changed.
/// The resource itself may be unchanged, so every resource of `new` is looked at.
pub(super) fn condition_risks(old: &Value, new: &Value) -> Vec<DataLoss> {
    let Some(resources) = new.get("Resources").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (id, new_r) in resources {
        let (Some(cond), Some(old_r)) = (new_r.get("Condition"), resource(old, id)) else {
            continue;
        };
        if !nephos::facts::is_stateful(old_r) && !nephos::facts::is_stateful(new_r) {
            continue;
        }
        let explicit = policy(Some(old_r), "DeletionPolicy");
        let policy_is_default = explicit.is_none() && default_deletion_policy(old_r).is_some();
        let deletion = explicit.or_else(|| default_deletion_policy(old_r).map(str::to_owned));
        if keeps_data(
            deletion.as_deref(),
            new_r
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        ) || (old_r.get("Condition") == Some(cond) && !condition_changed(old, new, cond))
        {
            continue;
        }
        out.push(DataLoss {
            logical_id: id.clone(),
            resource_type: new_r
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            hazard: Hazard::MayBeRemoved,
            cause: Some(format!(
                "condition {} newly placed on it (or changed) may be false",
                cond.as_str()
                    .map_or_else(|| cond.to_string(), str::to_owned)
            )),
            policy: deletion,
            evidence: Evidence::Template,
            policy_is_default,
        });
    }
    out
}

/// Whether the definition of the condition named `cond`, or of a condition it reads
/// (`{"Condition": name}`), differs between the templates: the same name may now be false.
fn condition_changed(old: &Value, new: &Value, cond: &Value) -> bool {
    let mut seen: Vec<String> = Vec::new();
    let mut todo: Vec<String> = cond.as_str().map(str::to_owned).into_iter().collect();
    while let Some(name) = todo.pop() {
        if seen.contains(&name) {
            continue;
        }
        let definition = |t: &Value| t.get("Conditions").and_then(|c| c.get(&name)).cloned();
        let now = definition(new);
        if definition(old) != now {
            return true;
        }
        if let Some(d) = &now {
            referenced_conditions(d, &mut todo);
        }
        seen.push(name);
    }
    false
}

/// The names of conditions a condition expression reads.
fn referenced_conditions(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("Condition", Value::String(n)) => out.push(n.clone()),
                    _ => referenced_conditions(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| referenced_conditions(x, out)),
        _ => {}
    }
}

/// A risk read from one change of a change set alone, by its own `ResourceType` (or the
/// deployed template's metadata mark), for the changes the template comparison did not
/// already find risky: the deployed template may lack the resource or may not have been
/// read, or may have judged wrongly: a change set's own fields judge on their own.
///
/// Fails closed: only what is known to be safe passes (an `Add`, or a `Modify` that says
/// `Replacement: False` with no detail that may require recreation). Everything else on a stateful resource is a risk: a possible
/// replacement (`Conditional`, `Dynamic`, an `Import` or `SyncWithActual` of a resource
/// the stack already holds, a modification whose replacement is not said), or an action
