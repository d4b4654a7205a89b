//! The data-loss check: which changes would replace or remove a stateful resource.
//!
//! The rules (issue 6): removing a stateful resource is a risk unless its `DeletionPolicy`
//! keeps the data (`Retain`, `RetainExceptOnCreate`, `Snapshot`); replacing one is always a
//! risk, whatever its `UpdateReplacePolicy`, because even a retained old resource leaves the
//! stack using a new, empty one. A probable rename of a stateful resource is a replacement.
//!
//! A change that can delete a resource without removing it from the template counts as a
//! possible removal: a `Condition` newly placed on it, or changed to another one, may be
//! false, and CloudFormation then deletes the resource.
//!
//! The change set is judged on its own as well: a `Remove` or a replacement (`True`,
//! `Conditional`) of a resource whose change-set `ResourceType` is stateful is a risk even
//! when the deployed template lacks the resource or could not be read, so a gap in what
//! nephos read can never skip the check.
//!
//! Evidence comes from the change set when it says something (its `Replacement` and
//! `Details`), else from the offline prediction (the type's `createOnlyProperties`), which
//! is all an emulator such as moto gives; each risk says which it is.

use serde_json::Value;

use super::model::{Action, ChangeKind, Replacement, TemplateDiff};
pub use super::model::{DataLoss, Evidence, Hazard};
use crate::cfn::model::ResourceChange;
use crate::cfn::status::{ChangeAction, Replacement as CfnReplacement};

/// AWS's `DeletionPolicy` when the template sets none: `Snapshot` for an
/// `AWS::RDS::DBCluster` and for an `AWS::RDS::DBInstance` without `DBClusterIdentifier`,
/// `Delete` for everything else. Source: the AWS CloudFormation User Guide, "DeletionPolicy
/// attribute" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
pub fn default_deletion_policy(resource: &Value) -> Option<&'static str> {
    let ty = resource.get("Type").and_then(Value::as_str);
    let in_cluster = resource
        .pointer("/Properties/DBClusterIdentifier")
        .is_some();
    match ty {
        Some("AWS::RDS::DBCluster") => Some("Snapshot"),
        Some("AWS::RDS::DBInstance") if !in_cluster => Some("Snapshot"),
        _ => None,
    }
}

/// Whether a deletion or replacement policy keeps the data of a resource of
/// `resource_type`: `Retain` and `RetainExceptOnCreate` always, `Snapshot` only on the
/// types CloudFormation can snapshot ([`nephos::facts::snapshots_on_delete`]); on any other
/// type a `Snapshot` policy deletes the resource.
pub fn keeps_data(policy: Option<&str>, resource_type: &str) -> bool {
    match policy {
        Some("Retain" | "RetainExceptOnCreate") => true,
        Some("Snapshot") => nephos::facts::snapshots_on_delete(resource_type),
        _ => false,
    }
}

impl DataLoss {
    /// The one-line explanation used by both `nephos diff` and the deploy refusal.
    pub fn describe(&self) -> String {
        let id = &self.logical_id;
        let ty = &self.resource_type;
        let evidence = match self.evidence {
            Evidence::ChangeSet => "from the change set",
            Evidence::Template => "predicted from the template",
        };
        let cause = self
            .cause
            .as_deref()
            .unwrap_or("a change CloudFormation did not detail");
        let attribute = match self.hazard {
            Hazard::Replaced | Hazard::MayBeReplaced | Hazard::ChangedInside => {
                "UpdateReplacePolicy"
            }
            Hazard::Removed | Hazard::MayBeRemoved | Hazard::Renamed => "DeletionPolicy",
        };
        let policy = match &self.policy {
            Some(p) if self.policy_is_default => format!("{attribute} {p} (the default for {ty})"),
            Some(p) if p == "Snapshot" && !nephos::facts::snapshots_on_delete(ty) => {
                format!(
                    "{attribute} Snapshot (not supported for {ty}, so CloudFormation deletes it)"
                )
            }
            Some(p) => format!("{attribute} {p}"),
            None => format!("{attribute} Delete (the default)"),
        };
        let fate = if keeps_data(self.policy.as_deref(), &self.resource_type) {
            format!("{policy} keeps the old resource, but the stack would use a new, empty one")
        } else {
            format!("{policy}: the resource and its data would be deleted")
        };
        match self.hazard {
            Hazard::Replaced => format!(
                "{id} ({ty}) would be replaced: {cause} forces a new resource ({evidence}); {fate}"
            ),
            Hazard::MayBeReplaced => format!(
                "{id} ({ty}) may be replaced: {cause} may force a new resource ({evidence}); {fate}"
            ),
            Hazard::Removed => format!("{id} ({ty}) would be removed ({evidence}); {fate}"),
            Hazard::MayBeRemoved => {
                format!("{id} ({ty}) may be removed: {cause} ({evidence}); {fate}")
            }
            Hazard::Renamed => format!(
                "{id} ({ty}) would be removed and {cause} added with the same properties, a probable rename of the logical ID; {fate}; keep the ID {id} in the app (constructs take explicit IDs)"
            ),
            // No policy applies to what happens inside: it is not named.
            Hazard::ChangedInside => {
                let changed = self
                    .cause
                    .as_deref()
                    .map_or_else(String::new, |c| format!(" (changing {c})"));
                format!(
                    "{id} ({ty}) is updated in place{changed} ({evidence}), but what the update does inside it is not judged: its own template may replace or remove stateful resources, which neither this review nor nephos's stack policy reaches"
                )
            }
        }
    }

    /// Whether `--allow-replace` with `ids` (or `--allow-data-loss`) allows this risk. A
    /// rename is allowed by either of its IDs.
    pub fn allowed(&self, ids: &[String], all: bool) -> bool {
        all || ids.iter().any(|i| {
            *i == self.logical_id
                || (self.hazard == Hazard::Renamed && self.cause.as_deref() == Some(i.as_str()))
        })
    }
}

/// Sets `diff`'s data-loss risks ([`assess`]) and makes its resource changes agree with
/// them: a resource at risk of replacement is counted and shown as replaced (or possibly
/// replaced), never "updated in place", whichever judgement (the template's facts, the
/// change set's `Replacement`, a detail of the change set) found the risk. The summary line
/// is counted from the resources, so it can never say "0 may be replaced" next to a risk
/// that says "may be replaced".
pub fn judge(old: &Value, new: &Value, diff: &mut TemplateDiff) {
    diff.data_loss = assess(old, new, diff);
    for risk in &diff.data_loss {
        let (action, replacement) = match risk.hazard {
            Hazard::Replaced => (Action::Replace, Replacement::Always),
            Hazard::MayBeReplaced => (Action::MayReplace, Replacement::Conditional),
            _ => continue,
        };
        let Some(r) = diff
            .resources
            .iter_mut()
            .find(|r| r.logical_id == risk.logical_id && r.kind == ChangeKind::Modified)
        else {
            continue;
        };
        if matches!(r.action, Action::Modify | Action::OrderingOnly)
            || (r.action == Action::MayReplace && action == Action::Replace)
        {
            r.action = action;
            if r.replacement < replacement {
                r.replacement = replacement;
            }
        }
    }
}

/// The data-loss risks of `diff` (between the deployed `old` and the `new` template),
/// using its change set when it was reconciled with one.
pub fn assess(old: &Value, new: &Value, diff: &TemplateDiff) -> Vec<DataLoss> {
    let changes: &[ResourceChange] = diff.change_set.as_deref().unwrap_or(&[]);
    let mut out = Vec::new();
    for r in &diff.resources {
        let old_r = resource(old, &r.logical_id);
        let new_r = resource(new, &r.logical_id);
        let stateful = old_r.is_some_and(nephos::facts::is_stateful)
            || new_r.is_some_and(nephos::facts::is_stateful);
        // Only a resource that exists can lose data; an added one has none yet.
        if !stateful || old_r.is_none() {
            continue;
        }
        let change = changes.iter().find(|c| c.logical_id == r.logical_id);
        let removed_by_cs = change.is_some_and(|c| c.action == ChangeAction::Remove);
        let explicit = policy(old_r, "DeletionPolicy");
        let policy_is_default =
            explicit.is_none() && old_r.and_then(default_deletion_policy).is_some();
        let deletion =
            explicit.or_else(|| old_r.and_then(default_deletion_policy).map(str::to_owned));
        if r.action == Action::MayRemove && !removed_by_cs {
            if keeps_data(deletion.as_deref(), &r.resource_type) {
                continue;
            }
            out.push(DataLoss {
                logical_id: r.logical_id.clone(),
                resource_type: r.resource_type.clone(),
                hazard: Hazard::MayBeRemoved,
                cause: Some("its Condition is not known offline and may have changed".into()),
                policy: deletion,
                evidence: Evidence::Template,
                policy_is_default,
            });
            continue;
        }
        if r.kind == ChangeKind::Removed || removed_by_cs {
            let rename = diff.renames.iter().find(|n| n.from == r.logical_id);
            if rename.is_none() && keeps_data(deletion.as_deref(), &r.resource_type) {
                continue;
            }
            out.push(DataLoss {
                logical_id: r.logical_id.clone(),
                resource_type: r.resource_type.clone(),
                hazard: if rename.is_some() {
                    Hazard::Renamed
                } else {
                    Hazard::Removed
                },
                cause: rename.map(|n| n.to.clone()),
                policy: deletion,
                policy_is_default,
                evidence: if removed_by_cs {
                    Evidence::ChangeSet
                } else {
                    Evidence::Template
                },
            });
            continue;
        }
        let hazard = match r.replacement {
            Replacement::Always => Hazard::Replaced,
            // No replacement facts for the type: it may replace.
            Replacement::Conditional | Replacement::Unknown => Hazard::MayBeReplaced,
            Replacement::Never if r.action != Action::OrderingOnly => {
                if let Some(risk) = changed_inside(&r.logical_id, &r.resource_type, change) {
                    out.push(risk);
                }
                continue;
            }
            Replacement::Never => continue,
        };
        // The change set is the evidence only when it says as much: a `False` that the
        // prediction overrode (see `reconcile::worse`) is not.
        let said = change.filter(|c| match &c.replacement {
            Some(CfnReplacement::False) => hazard != Hazard::Replaced,
            other => other.is_some(),
        });
        let overridden =
            change.is_some_and(|c| c.replacement == Some(CfnReplacement::False) && said.is_none());
        let from_cs = said.map(recreation_causes).filter(|c| !c.is_empty());
        let predicted: Vec<String> = r
            .properties
            .iter()
            .filter(|p| {
                matches!(
                    p.replacement,
                    Replacement::Always | Replacement::Conditional
                )
            })
            .map(|p| match &p.cause {
                Some(c) => format!("{} ({c})", p.path),
                None => p.path.clone(),
            })
            .collect();
        let mut cause = from_cs.or_else(|| (!predicted.is_empty()).then_some(predicted));
        if overridden && let Some(c) = cause.as_mut() {
            c.push("although the change set says Replacement False".into());
        }
        if cause.is_none() && said.is_none() && r.replacement == Replacement::Unknown {
            let paths: Vec<&str> = r.properties.iter().map(|p| p.path.as_str()).collect();
            cause = Some(vec![format!(
                "a change to a type with no replacement facts ({})",
                paths.join(", ")
            )]);
        }
        out.push(DataLoss {
            logical_id: r.logical_id.clone(),
            resource_type: r.resource_type.clone(),
            hazard,
            cause: cause.map(|c| c.join(", ")),
            policy: policy(new_r, "UpdateReplacePolicy")
                .or_else(|| policy(old_r, "UpdateReplacePolicy")),
            policy_is_default: false,
            evidence: if said.is_some() {
                Evidence::ChangeSet
            } else {
                Evidence::Template
            },
        });
    }
    // A resource already judged (replaced, removed, or may be removed as its condition is
    // unknown) keeps that judgement: one risk per resource.
    for risk in condition_risks(old, new) {
        if !out.iter().any(|d| d.logical_id == risk.logical_id) {
            out.push(risk);
        }
    }
    for c in changes {
        if !out.iter().any(|d| d.logical_id == c.logical_id)
            && let Some(risk) = change_set_risk(old, c)
        {
            out.push(risk);
        }
    }
    out
}

/// The stateful resources that a `Condition` may now delete: one newly placed on them or
/// changed to another, or one whose definition (or that of a condition it reads) changed.
/// The resource itself may be unchanged, so every resource of `new` is looked at.
fn condition_risks(old: &Value, new: &Value) -> Vec<DataLoss> {
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
/// or replacement nephos does not know, named as such so `--allow-replace` or
/// `--allow-data-loss` is a deliberate choice.
fn change_set_risk(old: &Value, c: &ResourceChange) -> Option<DataLoss> {
    let old_r = resource(old, &c.logical_id);
    if !nephos::facts::is_stateful_type(&c.resource_type)
        && !old_r.is_some_and(nephos::facts::is_stateful)
    {
        return None;
    }
    let mut unknown = None;
    let (hazard, attribute) = match &c.action {
        // A new resource holds no data yet.
        ChangeAction::Add => return None,
        ChangeAction::Remove => (Hazard::Removed, "DeletionPolicy"),
        ChangeAction::Modify => match &c.replacement {
            // `False` holds only when no detail says otherwise: a detail whose
            // RequiresRecreation is not `Never` contradicts it and counts as a possible
            // replacement (named by `recreation_causes`). In place is safe only for a type
            // whose contents nephos judges.
            Some(CfnReplacement::False) if !details_may_recreate(c) => {
                return changed_inside(&c.logical_id, &c.resource_type, Some(c));
            }
            Some(CfnReplacement::False) => {
                unknown = Some(
                    "CloudFormation says Replacement False, but a detail of the change says the property may require recreation"
                        .to_owned(),
                );
                (Hazard::MayBeReplaced, "UpdateReplacePolicy")
            }
            Some(CfnReplacement::True) => (Hazard::Replaced, "UpdateReplacePolicy"),
            Some(CfnReplacement::Conditional) => (Hazard::MayBeReplaced, "UpdateReplacePolicy"),
            // Named by `recreation_causes`.
            Some(CfnReplacement::Unknown(_)) => (Hazard::MayBeReplaced, "UpdateReplacePolicy"),
            // The change set's own fields judge too: the template comparison's in-place
            // prediction does not stand in for a Replacement CloudFormation did not give.
            None => {
                unknown = Some(
                    "a modification for which CloudFormation did not say whether it replaces the resource"
                        .to_owned(),
                );
                (Hazard::MayBeReplaced, "UpdateReplacePolicy")
            }
        },
        action @ (ChangeAction::Dynamic | ChangeAction::Import | ChangeAction::SyncWithActual) => {
            unknown = Some(format!(
                "a change action `{action}` whose effect on the resource nephos cannot judge before it runs"
            ));
            (Hazard::MayBeReplaced, "UpdateReplacePolicy")
        }
        ChangeAction::Unknown(a) => {
            unknown = Some(format!("a change action `{a}` that nephos does not know"));
            (Hazard::MayBeRemoved, "DeletionPolicy")
        }
    };
    let policy = policy(old_r, attribute);
    if hazard == Hazard::Removed && keeps_data(policy.as_deref(), &c.resource_type) {
        return None;
    }
    let mut causes = recreation_causes(c);
    causes.extend(unknown);
    Some(DataLoss {
        logical_id: c.logical_id.clone(),
        resource_type: c.resource_type.clone(),
        hazard,
        cause: (!causes.is_empty()).then(|| causes.join(", ")),
        policy,
        evidence: Evidence::ChangeSet,
        policy_is_default: false,
    })
}

/// Resource types whose update applies another template: a nested stack
/// (`AWS::CloudFormation::Stack`) updates its own resources from its `TemplateURL` and
/// `Parameters`. Neither the parent's change set nor its stack policy reaches them (a stack
/// policy applies to the resources of its own stack only; AWS CloudFormation User Guide,
/// "Prevent updates to stack resources" and "Nested stacks"), so nephos cannot judge what
/// such an update does to the data inside. AWS defines no other such type.
pub const APPLIES_TEMPLATE: &[&str] = &["AWS::CloudFormation::Stack"];

/// The risk of updating in place a resource of a type whose contents nephos cannot judge
/// ([`APPLIES_TEMPLATE`]); `None` for every other type. It stops the deploy like a
/// replacement (fail closed: an unseen replacement inside is still a replacement) and is
/// allowed the same way, by `--allow-replace ID` (this one resource, knowingly) or
/// `--allow-data-loss`.
fn changed_inside(id: &str, ty: &str, change: Option<&ResourceChange>) -> Option<DataLoss> {
    if !APPLIES_TEMPLATE.contains(&ty) {
        return None;
    }
    let changed: Vec<&str> = change
        .map(|c| {
            c.details
                .iter()
                .map(|d| d.target.strip_prefix("Properties.").unwrap_or(&d.target))
                .collect()
        })
        .unwrap_or_default();
    Some(DataLoss {
        logical_id: id.to_owned(),
        resource_type: ty.to_owned(),
        hazard: Hazard::ChangedInside,
        cause: (!changed.is_empty()).then(|| changed.join(", ")),
        policy: None,
        evidence: if change.is_some() {
            Evidence::ChangeSet
        } else {
            Evidence::Template
        },
        policy_is_default: false,
    })
}

/// Whether a detail of the change may recreate the resource: its `RequiresRecreation` is
/// anything but `Never`, or is missing on a property (CloudFormation gives it for every
/// `Properties` target).
fn details_may_recreate(c: &ResourceChange) -> bool {
    c.details
        .iter()
        .any(|d| match d.requires_recreation.as_deref() {
            Some(r) => r != "Never",
            None => d.target.starts_with("Properties"),
        })
}

/// The properties a change set says force recreation, with the entity that caused each
/// change when it names one (a parameter or another resource).
fn recreation_causes(c: &ResourceChange) -> Vec<String> {
    let mut causes: Vec<String> = c
        .details
        .iter()
        .filter(|d| {
            matches!(
                d.requires_recreation.as_deref(),
                Some("Always" | "Conditionally")
            )
        })
        .map(|d| {
            let name = d.target.strip_prefix("Properties.").unwrap_or(&d.target);
            match (&d.causing_entity, &d.change_source) {
                (Some(e), Some(s)) => format!("{name} (caused by {s} {e})"),
                (Some(e), None) => format!("{name} (caused by {e})"),
                _ => name.to_owned(),
            }
        })
        .collect();
    // A replacement spelling nephos does not know is read as a possible one; say so.
    if let Some(CfnReplacement::Unknown(r)) = &c.replacement {
        causes.push(format!("a replacement `{r}` that nephos does not know"));
    }
    causes
}

fn resource<'a>(t: &'a Value, id: &str) -> Option<&'a Value> {
    t.get("Resources").and_then(|r| r.get(id))
}

fn policy(r: Option<&Value>, attribute: &str) -> Option<String> {
    r.and_then(|r| r.get(attribute))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::model::ChangeDetail;
    use crate::diff::diff_templates;
    use crate::diff::facts::TableFacts;
    use crate::diff::reconcile::reconcile;
    use serde_json::json;

    fn facts() -> TableFacts {
        TableFacts(vec![("AWS::DynamoDB::Table", vec!["TableName"])])
    }

    fn table(name: &str, attrs: Value) -> Value {
        let mut r = json!({"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": name}});
        if let (Some(m), Some(a)) = (r.as_object_mut(), attrs.as_object()) {
            m.extend(a.clone());
        }
        json!({"Resources": {"Table": r}})
    }

    fn describe(old: &Value, new: &Value) -> Vec<String> {
        diff_templates(old, new, &facts())
            .data_loss
            .iter()
            .map(DataLoss::describe)
            .collect()
    }

    #[test]
    fn a_predicted_replacement_names_the_create_only_property_whatever_the_policy() {
        assert_eq!(
            describe(&table("a", json!({})), &table("b", json!({}))),
            [
                "Table (AWS::DynamoDB::Table) would be replaced: TableName forces a new resource (predicted from the template); UpdateReplacePolicy Delete (the default): the resource and its data would be deleted"
            ]
        );
        let retain = json!({"UpdateReplacePolicy": "Retain"});
        assert_eq!(
            describe(&table("a", retain.clone()), &table("b", retain)),
            [
                "Table (AWS::DynamoDB::Table) would be replaced: TableName forces a new resource (predicted from the template); UpdateReplacePolicy Retain keeps the old resource, but the stack would use a new, empty one"
            ]
        );
    }

    #[test]
    fn removal_is_a_risk_only_without_a_keeping_deletion_policy() {
        let none = json!({"Resources": {}});
        assert_eq!(
            describe(&table("a", json!({})), &none),
            [
                "Table (AWS::DynamoDB::Table) would be removed (predicted from the template); DeletionPolicy Delete (the default): the resource and its data would be deleted"
            ]
        );
        for p in ["Retain", "RetainExceptOnCreate"] {
            let kept = table("a", json!({"DeletionPolicy": p}));
            assert!(describe(&kept, &none).is_empty(), "{p}");
        }
        // Snapshot keeps data only on the types CloudFormation can snapshot; a table is
        // deleted outright.
        assert_eq!(
            describe(&table("a", json!({"DeletionPolicy": "Snapshot"})), &none),
            [
                "Table (AWS::DynamoDB::Table) would be removed (predicted from the template); DeletionPolicy Snapshot (not supported for AWS::DynamoDB::Table, so CloudFormation deletes it): the resource and its data would be deleted"
            ]
        );
        let db = json!({"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot", "Properties": {}}}});
        assert!(describe(&db, &none).is_empty());
        let stateless = json!({"Resources": {"Fn": {"Type": "AWS::Lambda::Function"}}});
        assert!(describe(&stateless, &none).is_empty());
    }

    #[test]
    fn a_marked_resource_is_stateful_and_a_stateful_rename_is_refused_even_when_retained() {
        let ledger = |id: &str| {
            json!({"Resources": {id: {"Type": "Custom::Ledger", "DeletionPolicy": "Retain",
                "Metadata": {"nephos:stateful": true}, "Properties": {"Size": 1}}}})
        };
        assert_eq!(
            describe(&ledger("Ledger"), &ledger("LedgerV2")),
            [
                "Ledger (Custom::Ledger) would be removed and LedgerV2 added with the same properties, a probable rename of the logical ID; DeletionPolicy Retain keeps the old resource, but the stack would use a new, empty one; keep the ID Ledger in the app (constructs take explicit IDs)"
            ]
        );
    }

    #[test]
    fn the_change_set_decides_and_names_the_cause() {
        let (old, new) = (table("a", json!({})), table("a", json!({"Tags": []})));
        let mut d = diff_templates(&old, &new, &facts());
        assert!(d.data_loss.is_empty());
        reconcile(
            &mut d,
            vec![ResourceChange {
                action: "Modify".into(),
                logical_id: "Table".into(),
                resource_type: "AWS::DynamoDB::Table".into(),
                replacement: Some("Conditional".into()),
                scope: vec!["Properties".into()],
                details: vec![ChangeDetail {
                    target: "Properties.TableName".into(),
                    requires_recreation: Some("Conditionally".into()),
                    change_source: Some("ParameterReference".into()),
                    causing_entity: Some("Env".into()),
                }],
            }],
        );
        let risks = assess(&old, &new, &d);
        assert_eq!(
            risks.iter().map(DataLoss::describe).collect::<Vec<_>>(),
            [
                "Table (AWS::DynamoDB::Table) may be replaced: TableName (caused by ParameterReference Env) may force a new resource (from the change set); UpdateReplacePolicy Delete (the default): the resource and its data would be deleted"
            ]
        );
        assert!(risks[0].allowed(&["Table".into()], false));
        assert!(!risks[0].allowed(&["Other".into()], false));
        assert!(risks[0].allowed(&[], true));
    }

    #[test]
    fn a_change_set_saying_no_replacement_does_not_hide_a_predicted_one() {
        // TableName is create-only and its value changes: the change set's `False` (with
        // or without details) does not make it "in place"; the worse of the two is kept,
        // in the risk and in the summary alike.
        let (old, new) = (table("a", json!({})), table("b", json!({})));
        for details in [
            vec![],
            vec![ChangeDetail {
                target: "Tags".into(),
                requires_recreation: None,
                change_source: None,
                causing_entity: None,
            }],
        ] {
            let mut d = diff_templates(&old, &new, &facts());
            assert_eq!(d.data_loss.len(), 1);
            crate::diff::reconcile_and_assess(
                &mut d,
                vec![ResourceChange {
                    action: "Modify".into(),
                    logical_id: "Table".into(),
                    resource_type: "AWS::DynamoDB::Table".into(),
                    replacement: Some("False".into()),
                    details,
                    ..Default::default()
                }],
                &old,
                &new,
            );
            assert_eq!(d.data_loss.len(), 1, "{:?}", d.data_loss);
            assert_eq!(d.data_loss[0].hazard, Hazard::Replaced);
            assert_eq!(d.data_loss[0].evidence, Evidence::Template);
            let text = d.data_loss[0].describe();
            assert!(text.contains("Replacement False"), "{text}");
            let c = d.counts();
            assert_eq!((c.replaced, c.updated), (1, 0), "{c:?}");
        }
    }

    #[test]
    fn a_nested_stack_updated_in_place_is_a_risk_its_summary_agrees_with() {
        let nested = |url: &str| json!({"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url}}}});
        let (old, new) = (nested("https://b/v1.json"), nested("https://b/v2.json"));
        let facts = TableFacts(vec![("AWS::CloudFormation::Stack", vec![])]);
        // Offline, and with the change set's `Modify`, `Replacement: False`.
        let offline = diff_templates(&old, &new, &facts);
        let mut reconciled = offline.clone();
        crate::diff::reconcile_and_assess(
            &mut reconciled,
            vec![ResourceChange {
                action: "Modify".into(),
                logical_id: "Child".into(),
                resource_type: "AWS::CloudFormation::Stack".into(),
                replacement: Some("False".into()),
                details: vec![ChangeDetail {
                    target: "Properties.TemplateURL".into(),
                    requires_recreation: Some("Never".into()),
                    change_source: Some("DirectModification".into()),
                    causing_entity: None,
                }],
                ..Default::default()
            }],
            &old,
            &new,
        );
        for d in [offline, reconciled] {
            assert_eq!(d.data_loss.len(), 1, "{:?}", d.data_loss);
            let risk = &d.data_loss[0];
            assert_eq!(risk.hazard, Hazard::ChangedInside);
            assert!(!risk.allowed(&[], false));
            assert!(risk.allowed(&["Child".into()], false));
            assert!(risk.allowed(&[], true));
            let text = risk.describe();
            assert!(
                text.contains("updated in place") && !text.contains("replaced"),
                "{text}"
            );
            // The summary says what the risk says: an update in place, one risk.
            let summary = crate::diff::render::summary(&d);
            assert!(
                summary.contains("1 to update in place, 0 to replace, 0 may be replaced"),
                "{summary}"
            );
            assert!(summary.contains("1 data-loss risk"), "{summary}");
        }
        // A resource judged by the change set alone (not in the deployed template read).
        let c = ResourceChange {
            action: "Modify".into(),
            logical_id: "Child".into(),
            resource_type: "AWS::CloudFormation::Stack".into(),
            replacement: Some("False".into()),
            ..Default::default()
        };
        let risks = judged_by_change_set(&Value::Null, &new, c);
        assert_eq!(risks.len(), 1);
        assert_eq!(risks[0].hazard, Hazard::ChangedInside);
    }

    #[test]
    fn a_possible_replacement_the_change_set_alone_shows_is_counted_as_one() {
        // The template predicts an update in place; the change set gives no Replacement,
        // or `False` with a detail that may recreate: the risk says "may be replaced", and
        // so does the summary.
        let old = table("a", json!({}));
        let mut new = old.clone();
        new["Resources"]["Table"]["Properties"]["BillingMode"] = json!("PAY_PER_REQUEST");
        for (replacement, recreation) in [(None, None), (Some("False"), Some("Conditionally"))] {
            let mut d = diff_templates(&old, &new, &facts());
            assert!(d.data_loss.is_empty());
            crate::diff::reconcile_and_assess(
                &mut d,
                vec![ResourceChange {
                    action: "Modify".into(),
                    logical_id: "Table".into(),
                    resource_type: "AWS::DynamoDB::Table".into(),
                    replacement: replacement.map(Into::into),
                    details: vec![ChangeDetail {
                        target: "Properties.BillingMode".into(),
                        requires_recreation: recreation.map(Into::into),
                        change_source: None,
                        causing_entity: None,
                    }],
                    ..Default::default()
                }],
                &old,
                &new,
            );
            assert_eq!(d.data_loss.len(), 1, "{replacement:?}");
            assert_eq!(d.data_loss[0].hazard, Hazard::MayBeReplaced);
            let c = d.counts();
            assert_eq!(
                (c.updated, c.may_be_replaced),
                (0, 1),
                "{replacement:?}: {c:?}"
            );
        }
    }

    fn with_condition(cond: Option<&str>, attrs: Value) -> Value {
        let mut t = table("a", attrs);
        if let Some(c) = cond {
            t["Resources"]["Table"]["Condition"] = json!(c);
        }
        t["Conditions"] =
            json!({"Never": {"Fn::Equals": ["a", "b"]}, "Prod": {"Fn::Equals": ["x", "x"]}});
        t
    }

    #[test]
    fn a_condition_newly_placed_on_a_stateful_resource_is_a_possible_removal() {
        let risks = describe(
            &with_condition(None, json!({})),
            &with_condition(Some("Never"), json!({})),
        );
        assert_eq!(
            risks,
            [
                "Table (AWS::DynamoDB::Table) would be removed (predicted from the template); DeletionPolicy Delete (the default): the resource and its data would be deleted"
            ]
        );
        // Changed to another condition: the same.
        assert_eq!(
            describe(
                &with_condition(Some("Prod"), json!({})),
                &with_condition(Some("Never"), json!({}))
            )
            .len(),
            1
        );
        // Unchanged, removed, or kept by the deletion policy: no risk.
        let same = with_condition(Some("Never"), json!({}));
        assert!(describe(&same, &same).is_empty());
        assert!(
            describe(
                &with_condition(Some("Never"), json!({})),
                &with_condition(None, json!({}))
            )
            .is_empty()
        );
        let retain = json!({"DeletionPolicy": "Retain"});
        assert!(
            describe(
                &with_condition(None, retain.clone()),
                &with_condition(Some("Never"), retain)
            )
            .is_empty()
        );
    }

    #[test]
    fn a_condition_whose_definition_changed_is_a_possible_removal_through_its_references() {
        let on = |expr: Value| {
            let mut t = with_condition(Some("Prod"), json!({}));
            t["Conditions"] = json!({"Prod": {"Fn::And": [{"Condition": "Base"}, {"Fn::Equals": ["x", "x"]}]}, "Base": expr});
            t
        };
        let (before, after) = (
            on(json!({"Fn::Equals": ["x", "x"]})),
            on(json!({"Fn::Equals": ["a", "b"]})),
        );
        assert_eq!(
            describe(&before, &after),
            [
                "Table (AWS::DynamoDB::Table) would be removed (predicted from the template); DeletionPolicy Delete (the default): the resource and its data would be deleted"
            ]
        );
        assert!(describe(&before, &before.clone()).is_empty());
    }

    #[test]
    fn a_condition_unknown_offline_newly_placed_on_a_table_is_a_possible_removal() {
        // The condition reads a parameter whose value the review does not know.
        let on = |cond: Option<&str>| {
            let mut t = table("a", json!({}));
            t["Parameters"] = json!({"Env": {"Type": "String"}});
            t["Conditions"] = json!({"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}});
            if let Some(c) = cond {
                t["Resources"]["Table"]["Condition"] = json!(c);
            }
            t
        };
        let risks = describe(&on(None), &on(Some("IsProd")));
        assert_eq!(risks.len(), 1, "{risks:?}");
        assert!(risks[0].contains("may be removed"), "{risks:?}");
        assert!(describe(&on(Some("IsProd")), &on(Some("IsProd"))).is_empty());
    }

    fn judged_by_change_set(old: &Value, new: &Value, c: ResourceChange) -> Vec<DataLoss> {
        let mut d = diff_templates(old, new, &facts());
        reconcile(&mut d, vec![c]);
        assess(old, new, &d)
    }

    #[test]
    fn a_change_set_remove_is_judged_by_its_own_resource_type_when_the_old_template_is_unknown() {
        let new = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
        for old in [Value::Null, json!({"Resources": {}})] {
            let risks = judged_by_change_set(
                &old,
                &new,
                ResourceChange {
                    action: "Remove".into(),
                    logical_id: "Ledger".into(),
                    resource_type: "AWS::DynamoDB::Table".into(),
                    ..Default::default()
                },
            );
            assert_eq!(
                risks.iter().map(DataLoss::describe).collect::<Vec<_>>(),
                [
                    "Ledger (AWS::DynamoDB::Table) would be removed (from the change set); DeletionPolicy Delete (the default): the resource and its data would be deleted"
                ],
                "{old}"
            );
        }
        // A stateless type removed: nothing to lose.
        let risks = judged_by_change_set(
            &Value::Null,
            &new,
            ResourceChange {
                action: "Remove".into(),
                logical_id: "Fn".into(),
                resource_type: "AWS::Lambda::Function".into(),
                ..Default::default()
            },
        );
        assert!(risks.is_empty());
    }

    #[test]
    fn a_change_set_replacement_of_a_stateful_type_is_a_risk_even_unseen_in_the_old_template() {
        let new = json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}}}});
        for (replacement, hazard) in [
            ("True", Hazard::Replaced),
            ("Conditional", Hazard::MayBeReplaced),
        ] {
            let risks = judged_by_change_set(
                &Value::Null,
                &new,
                ResourceChange {
                    action: "Modify".into(),
                    logical_id: "Bucket".into(),
                    resource_type: "AWS::S3::Bucket".into(),
                    replacement: Some(replacement.into()),
                    ..Default::default()
                },
            );
            assert_eq!(risks.len(), 1, "{replacement}");
            assert_eq!(risks[0].hazard, hazard);
            assert_eq!(risks[0].evidence, Evidence::ChangeSet);
        }
        let risks = judged_by_change_set(
            &Value::Null,
            &new,
            ResourceChange {
                action: "Modify".into(),
                logical_id: "Bucket".into(),
                resource_type: "AWS::S3::Bucket".into(),
                replacement: Some("False".into()),
                ..Default::default()
            },
        );
        assert!(risks.is_empty());
    }

    #[test]
    fn a_change_set_change_not_known_to_be_safe_on_a_stateful_type_is_a_risk() {
        // Fails closed: every action and replacement spelling on a stateful resource the
        // deployed template does not show is a risk unless it is known to be safe.
        let new = json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}});
        let change = |action: &str, replacement: Option<&str>| ResourceChange {
            action: action.into(),
            logical_id: "Bucket".into(),
            resource_type: "AWS::S3::Bucket".into(),
            replacement: replacement.map(Into::into),
            ..Default::default()
        };
        let cases: [(&str, Option<&str>, Option<Hazard>); 10] = [
            ("Add", None, None),
            ("Modify", Some("False"), None),
            ("Modify", Some("True"), Some(Hazard::Replaced)),
            ("Modify", Some("Conditional"), Some(Hazard::MayBeReplaced)),
            ("Modify", Some("Dynamic"), Some(Hazard::MayBeReplaced)),
            ("Modify", None, Some(Hazard::MayBeReplaced)),
            ("Dynamic", None, Some(Hazard::MayBeReplaced)),
            ("Import", None, Some(Hazard::MayBeReplaced)),
            ("SyncWithActual", None, Some(Hazard::MayBeReplaced)),
            ("Transmogrify", None, Some(Hazard::MayBeRemoved)),
        ];
        for (action, replacement, hazard) in cases {
            let risks = judged_by_change_set(&Value::Null, &new, change(action, replacement));
            assert_eq!(
                risks.first().map(|r| r.hazard),
                hazard,
                "{action} {replacement:?}"
            );
            if let (Some(r), Some(Hazard::MayBeReplaced | Hazard::MayBeRemoved)) =
                (risks.first(), &hazard)
            {
                let cause = r.cause.as_deref().unwrap_or_default();
                if replacement != Some("Conditional") {
                    assert!(
                        cause.contains("nephos") || cause.contains("did not say"),
                        "{action}: {cause}"
                    );
                }
                assert!(r.allowed(&["Bucket".into()], false));
            }
        }
        // A modification the template comparison judged in place (the change touches no
        // create-only property) is still a possible replacement when the change set does
        // not say Replacement: the offline prediction does not stand in for CloudFormation's.
        let old = json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [1]}}}});
        let new = json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [2]}}}});
        let mut d = diff_templates(
            &old,
            &new,
            &TableFacts(vec![("AWS::S3::Bucket", vec!["BucketName"])]),
        );
        reconcile(&mut d, vec![change("Modify", None)]);
        let risks = assess(&old, &new, &d);
        assert_eq!(risks.len(), 1, "{risks:?}");
        assert!(
            risks[0]
                .cause
                .as_deref()
                .is_some_and(|c| c.contains("did not say")),
            "{risks:?}"
        );
        // Replacement False with a detail that requires recreation is a possible
        // replacement; with every detail `Never` it is in place.
        for (recreation, risky) in [
            (Some("Always"), true),
            (Some("Conditionally"), true),
            (None, true),
            (Some("Never"), false),
        ] {
            let mut c = change("Modify", Some("False"));
            c.details = vec![ChangeDetail {
                target: "Properties.Tags".into(),
                requires_recreation: recreation.map(Into::into),
                ..Default::default()
            }];
            let mut d = diff_templates(
                &old,
                &new,
                &TableFacts(vec![("AWS::S3::Bucket", vec!["BucketName"])]),
            );
            reconcile(&mut d, vec![c]);
            assert_eq!(!assess(&old, &new, &d).is_empty(), risky, "{recreation:?}");
        }
        // But a Dynamic action on it is not judged by the template.
        let mut d = diff_templates(
            &old,
            &new,
            &TableFacts(vec![("AWS::S3::Bucket", vec!["BucketName"])]),
        );
        reconcile(&mut d, vec![change("Dynamic", None)]);
        assert_eq!(assess(&old, &new, &d).len(), 1);
    }

    #[test]
    fn rds_defaults_to_a_snapshot_on_deletion() {
        let instance = json!({"Type": "AWS::RDS::DBInstance", "Properties": {}});
        let member =
            json!({"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": "c"}});
        let cluster = json!({"Type": "AWS::RDS::DBCluster"});
        assert_eq!(default_deletion_policy(&instance), Some("Snapshot"));
        assert_eq!(default_deletion_policy(&cluster), Some("Snapshot"));
        assert_eq!(default_deletion_policy(&member), None);
        assert_eq!(
            default_deletion_policy(&json!({"Type": "AWS::DynamoDB::Table"})),
            None
        );
        // A renamed cluster (still a risk) names the default it gets.
        let old = json!({"Resources": {"Db": cluster.clone()}});
        let new = json!({"Resources": {"Db2": cluster}});
        let d = diff_templates(&old, &new, &facts());
        let text = d
            .data_loss
            .first()
            .map(DataLoss::describe)
            .unwrap_or_default();
        assert!(
            text.contains("DeletionPolicy Snapshot (the default for AWS::RDS::DBCluster) keeps the old resource"),
            "{text}"
        );
    }
}
