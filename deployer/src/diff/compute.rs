//! Computing the [`TemplateDiff`] of two parsed templates, with CloudFormation's equality
//! (see [`super::equality`]) and the parameter values of both sides (see
//! [`super::parameters`]).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::equality::{ListOrder, Ordered, depends_on, join, same};
use super::facts::ReplacementFacts;
use super::model::{
    Action, ChangeKind, NotCreated, PropertyChange, Replacement, ResourceDiff, SectionChange,
    TYPE_PATH, TemplateDiff,
};
use super::parameters::{HIDDEN, ParameterValues, redact, resolve, unknown_offline};
use super::value::is_intrinsic;
use super::{conditions, data_loss, rename, security};

/// Resource attributes other than `Type` and `Properties` whose change is shown.
const RESOURCE_ATTRIBUTES: [&str; 6] = [
    "Condition",
    "DependsOn",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Metadata",
    "UpdatePolicy",
];

/// Diffs `old` (deployed; `Value::Null` for a stack that does not exist) against `new`,
/// without parameter values (a parameter's change is then not seen).
pub fn diff_templates(old: &Value, new: &Value, facts: &dyn ReplacementFacts) -> TemplateDiff {
    diff_stack(old, new, &ParameterValues::default(), facts)
}

/// Diffs `old` against `new` with the parameter values of both sides: parameter value
/// changes are listed, and resolved inside resource properties before comparing.
pub fn diff_stack(
    old: &Value,
    new: &Value,
    values: &ParameterValues,
    facts: &dyn ReplacementFacts,
) -> TemplateDiff {
    let (parameters, old_r, new_r) = resolve(old, new, values);
    let old_res = existing(&old_r);
    let new_res = existing(&new_r);
    let mut resources = Vec::new();
    for id in keys(&old_res, &new_res) {
        match (old_res.get(id), new_res.get(id)) {
            (None, Some(n)) => resources.push(whole(id, n, ChangeKind::Added)),
            (Some(o), None) => {
                let mut r = whole(id, o, ChangeKind::Removed);
                // Still in the template, but its condition is false: say why it goes.
                if let Some(cond) =
                    new_r.pointer(&format!("/Resources/{}/Condition", pointer_escape(id)))
                {
                    r.properties.push(PropertyChange {
                        path: "[Condition]".into(),
                        old: o.get("Condition").cloned(),
                        new: Some(Value::String(format!(
                            "{} (false: the resource is deleted)",
                            show_scalar(cond)
                        ))),
                        replacement: Replacement::Never,
                        cause: None,
                    });
                }
                resources.push(r);
            }
            (Some(o), Some(n)) => {
                let unknown = condition_may_change(&old_r, &new_r, o, n);
                let mut r = modified(id, o, n, facts);
                if let Some(cond) = &unknown {
                    let d = r.get_or_insert_with(|| whole(id, n, ChangeKind::Modified));
                    d.condition_unknown = true;
                    d.properties.retain(|p| p.path != "[Condition]");
                    d.properties.push(PropertyChange {
                        path: "[Condition]".into(),
                        old: o.get("Condition").cloned(),
                        new: Some(Value::String(format!(
                            "{cond}: unknown offline, may be false"
                        ))),
                        replacement: Replacement::Never,
                        cause: None,
                    });
                    d.settle();
                }
                resources.extend(r);
            }
            _ => {}
        }
    }
    let changed_maps = changed_mappings(old, new);
    follow_replacements(&mut resources, &old_res, &new_res, &changed_maps, facts);
    let (old_s, new_s) = (shown(old, &old_r), shown(new, &new_r));
    let mut sections = diff_sections(&old_s, &new_s);
    hide_no_echo_defaults(&mut sections);
    // Resolved: a parameter that names a role or a principal is followed into the grants
    // and identities it changes.
    let security = security::review(&old_r, &new_r, &old_res, &new_res, &resources);
    let mut diff = TemplateDiff {
        state: None,
        resources,
        parameters,
        sections,
        security,
        not_created: not_created(&new_r, &new_res, &old_res),
        transform: transform(new),
        renames: rename::detect(old, new),
        data_loss: Vec::new(),
        change_set: None,
    };
    data_loss::judge(old, new, &mut diff);
    diff
}

/// `template` as its sections are compared: outputs with the parameter values of their
/// side (`resolved`).
fn shown(template: &Value, resolved: &Value) -> Value {
    let mut t = template.clone();
    if let (Some(o), Some(slot)) = (resolved.get("Outputs"), t.get_mut("Outputs")) {
        *slot = o.clone();
    }
    t
}

/// Hides the default of every NoEcho parameter in section changes (compared before, so a
/// changed hidden default is still a change, and says so).
fn hide_no_echo_defaults(sections: &mut [SectionChange]) {
    for s in sections.iter_mut().filter(|s| s.section == "Parameters") {
        let hide = |v: &Option<Value>| {
            v.as_ref().map(|d| {
                let wrapped = serde_json::json!({"Parameters": {"P": d}});
                redact(&wrapped)["Parameters"]["P"].clone()
            })
        };
        let (old, mut new) = (hide(&s.old), hide(&s.new));
        if old.is_some()
            && old == new
            && let Some(d) = new.as_mut().and_then(|n| n.get_mut("Default"))
        {
            *d = Value::String(format!("{HIDDEN}, changed"));
        }
        (s.old, s.new) = (old, new);
    }
}

/// The template's `Transform`, as text.
fn transform(template: &Value) -> Option<String> {
    template.get("Transform").map(|t| match t {
        Value::Array(a) => a.iter().map(show_scalar).collect::<Vec<_>>().join(", "),
        other => show_scalar(other),
    })
}

/// The resources of `template` left out because their condition is known to be false.
/// (Those the deployed stack has are removed, and listed as such.)
fn not_created(
    template: &Value,
    existing: &Map<String, Value>,
    deployed: &Map<String, Value>,
) -> Vec<NotCreated> {
    section(template, "Resources")
        .into_iter()
        .flatten()
        .filter(|(id, _)| !existing.contains_key(*id) && !deployed.contains_key(*id))
        .map(|(id, r)| NotCreated {
            logical_id: id.clone(),
            resource_type: type_of(r),
            condition: r.get("Condition").map(show_scalar).unwrap_or_default(),
        })
        .collect()
}

/// The name of `new`'s condition when it is not known offline and may differ from the
/// deployed one (`old`'s): the inputs differ (a changed parameter, a NoEcho value that may
/// change, a different expression), or the resource had no condition. `None` when the
/// condition is known (true: the resource stays) or provably the same on both sides.
fn condition_may_change(old_t: &Value, new_t: &Value, old: &Value, new: &Value) -> Option<String> {
    let name = new.get("Condition")?;
    let Some(n) = name.as_str() else {
        return Some(show_scalar(name));
    };
    if conditions::evaluate(new_t, n).is_some() {
        return None;
    }
    let expanded_old = old
        .get("Condition")
        .and_then(Value::as_str)
        .and_then(|c| conditions::expanded(old_t, c));
    match (expanded_old, conditions::expanded(new_t, n)) {
        (Some(a), Some(b)) if same("", &a, &b, &Ordered) => None,
        _ => Some(n.to_owned()),
    }
}

/// Follows the new values of replaced resources: a `Ref` or `Fn::GetAtt` of a resource
/// that is (or may be) replaced reads a new physical ID, name or ARN, unknown offline. A
/// property of another resource reading one may change (and, when it is create-only, may
/// replace that resource too), transitively, to a fixed point.
///
/// Every attribute of a replaced resource is taken to change: names, ARNs and IDs are the
/// new resource's, and nothing offline says which other attributes keep their value.
///
/// The same holds for a `Fn::FindInMap` whose key is known only at deploy time, reading a
/// mapping that changes (`changed_maps`).
fn follow_replacements(
    resources: &mut Vec<ResourceDiff>,
    old_res: &Map<String, Value>,
    new_res: &Map<String, Value>,
    changed_maps: &BTreeSet<String>,
    facts: &dyn ReplacementFacts,
) {
    // What each resource's property leaves read, found once: the fixed point below only
    // filters it by the growing set of replaced resources.
    let null = Value::Null;
    let leaves: Vec<(&String, Vec<Reader>)> = new_res
        .iter()
        .filter(|(id, _)| old_res.contains_key(*id))
        .map(|(id, n)| {
            let mut out = Vec::new();
            reading(
                &[],
                n.get("Properties").unwrap_or(&null),
                id,
                changed_maps,
                &mut out,
            );
            (id, out)
        })
        .collect();
    // Each leaf is settled once (added, or found already changed).
    let mut settled: Vec<Vec<bool>> = leaves.iter().map(|(_, l)| vec![false; l.len()]).collect();
    loop {
        let replaced: BTreeSet<String> = resources
            .iter()
            .filter(|r| matches!(r.action, Action::Replace | Action::MayReplace))
            .map(|r| r.logical_id.clone())
            .collect();
        let mut grew = false;
        for ((id, read), done) in leaves.iter().zip(settled.iter_mut()) {
            let (Some(o), Some(n)) = (old_res.get(*id), new_res.get(*id)) else {
                continue;
            };
            let ty = type_of(n);
            let reads = read.iter().zip(done.iter_mut()).filter_map(|(l, done)| {
                if *done {
                    return None;
                }
                let cause = match l.refs.iter().find(|r| replaced.contains(*r)) {
                    Some(r) => format!(
                        "reads {r}, which is replaced, so its new value is unknown until deploy"
                    ),
                    None => format!(
                        "reads mapping {}, which changes, by a key known only at deploy",
                        l.mapping.as_ref()?
                    ),
                };
                *done = true;
                Some((l.segments.clone(), cause))
            });
            for (segments, cause) in reads {
                let path = segments.join("/");
                let pos = resources.iter().position(|r| r.logical_id == **id);
                if pos.is_some_and(|i| {
                    let r = &resources[i];
                    r.kind != ChangeKind::Modified || r.properties.iter().any(|p| p.path == path)
                }) {
                    continue;
                }
                let i = pos.unwrap_or_else(|| {
                    resources.push(whole(id.as_str(), n, ChangeKind::Modified));
                    resources.len() - 1
                });
                let pointer: String = std::iter::once("Properties")
                    .chain(segments.iter().map(String::as_str))
                    .map(|k| format!("/{}", pointer_escape(k)))
                    .collect();
                let r = &mut resources[i];
                let replacement = match facts.replacement(&ty, &path) {
                    Replacement::Always => Replacement::Conditional,
                    other => other,
                };
                r.properties.push(PropertyChange {
                    old: o.pointer(&pointer).cloned(),
                    new: n.pointer(&pointer).cloned(),
                    path,
                    replacement,
                    cause: Some(cause),
                });
                r.replacement = r.replacement.max(replacement);
                r.settle();
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    resources.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
}

/// A property leaf (the deepest plain-object key) that reads other resources or a changed
/// mapping.
struct Reader {
    segments: Vec<String>,
    /// The resources it reads (not its own).
    refs: Vec<String>,
    /// A changed mapping it reads by a key unknown offline.
    mapping: Option<String>,
}

/// The leaves of `v` (below `path`) that read another resource than `own`, or a mapping in
/// `changed_maps`.
fn reading(
    path: &[String],
    v: &Value,
    own: &str,
    changed_maps: &BTreeSet<String>,
    out: &mut Vec<Reader>,
) {
    match v {
        Value::Object(m) if !is_intrinsic(v) => {
            for (k, x) in m {
                let mut child = path.to_vec();
                child.push(k.clone());
                reading(&child, x, own, changed_maps, out);
            }
        }
        _ if path.is_empty() => {}
        _ => {
            let mut refs = Vec::new();
            super::evaluate::references(v, &mut refs);
            refs.sort();
            refs.dedup();
            refs.retain(|r| r != own);
            let mapping = mapping_read(v, changed_maps);
            if !refs.is_empty() || mapping.is_some() {
                out.push(Reader {
                    segments: path.to_vec(),
                    refs,
                    mapping,
                });
            }
        }
    }
}

/// The first changed mapping an unevaluated `Fn::FindInMap` in `v` reads.
fn mapping_read(v: &Value, changed_maps: &BTreeSet<String>) -> Option<String> {
    match v {
        Value::Object(m) => m.iter().find_map(|(k, x)| {
            let name = x.as_array().and_then(|a| a.first()).and_then(Value::as_str);
            match name {
                Some(n) if k == "Fn::FindInMap" && changed_maps.contains(n) => Some(n.to_owned()),
                _ => mapping_read(x, changed_maps),
            }
        }),
        Value::Array(a) => a.iter().find_map(|x| mapping_read(x, changed_maps)),
        _ => None,
    }
}

/// The mappings whose content differs between the two templates.
fn changed_mappings(old: &Value, new: &Value) -> BTreeSet<String> {
    let empty = Map::new();
    let maps = |t: &Value| {
        section(t, "Mappings")
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (o, n) = (maps(old), maps(new));
    keys(&o, &n)
        .into_iter()
        .filter(|k| kind_of(o.get(*k), n.get(*k)).is_some())
        .map(str::to_owned)
        .collect()
}

/// The resources that exist in a stack of `template`: all but those whose `Condition` is
/// known to be false.
fn existing(template: &Value) -> Map<String, Value> {
    section(template, "Resources")
        .map(|m| {
            m.iter()
                .filter(|(_, r)| {
                    r.get("Condition")
                        .and_then(Value::as_str)
                        .is_none_or(|c| conditions::evaluate(template, c) != Some(false))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON pointer segment for `key` (RFC 6901).
fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn show_scalar(v: &Value) -> String {
    v.as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| v.to_string())
}

fn section<'a>(t: &'a Value, name: &str) -> Option<&'a Map<String, Value>> {
    t.get(name).and_then(Value::as_object)
}

/// The union of both maps' keys, sorted.
fn keys<'a>(a: &'a Map<String, Value>, b: &'a Map<String, Value>) -> BTreeSet<&'a str> {
    a.keys().chain(b.keys()).map(String::as_str).collect()
}

fn type_of(r: &Value) -> String {
    r.get("Type")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned()
}

fn whole(id: &str, r: &Value, kind: ChangeKind) -> ResourceDiff {
    let mut d = ResourceDiff {
        logical_id: id.to_owned(),
        resource_type: type_of(r),
        kind,
        action: Action::Modify,
        replacement: Replacement::Never,
        properties: Vec::new(),
        condition_unknown: false,
        unknown_action: None,
    };
    d.settle();
    d
}

/// The list order of one resource type's properties.
struct TypeOrder<'a> {
    facts: &'a dyn ReplacementFacts,
    resource_type: &'a str,
}

impl ListOrder for TypeOrder<'_> {
    fn unordered(&self, path: &str) -> bool {
        self.facts.unordered(self.resource_type, path)
    }
}

/// Whether a resource attribute changes, by CloudFormation's equality.
fn attribute_changed(attr: &str, o: Option<&Value>, n: Option<&Value>) -> bool {
    match (attr, o, n) {
        ("DependsOn", _, _) => depends_on(o) != depends_on(n),
        (_, Some(a), Some(b)) => !same("", a, b, &Ordered),
        (_, a, b) => a.is_some() != b.is_some(),
    }
}

/// The change of a resource in both templates, `None` when CloudFormation sees none.
fn modified(
    id: &str,
    old: &Value,
    new: &Value,
    facts: &dyn ReplacementFacts,
) -> Option<ResourceDiff> {
    let ty = type_of(new);
    let mut changes = Vec::new();
    if type_of(old) != ty {
        // Not a replacement: CloudFormation fails the change set ("Update of resource type
        // is not permitted"); [`ResourceDiff::settle`] makes it a type change.
        changes.push(PropertyChange {
            path: TYPE_PATH.into(),
            old: old.get("Type").cloned(),
            new: new.get("Type").cloned(),
            replacement: Replacement::Never,
            cause: None,
        });
    }
    let null = Value::Null;
    let old_props = old.get("Properties").unwrap_or(&null);
    let new_props = new.get("Properties").unwrap_or(&null);
    let order = TypeOrder {
        facts,
        resource_type: &ty,
    };
    let mut leaves = Vec::new();
    diff_values("", old_props, new_props, &order, &mut leaves);
    for (path, o, n) in leaves {
        let mut replacement = facts.replacement(&ty, &path);
        // A NoEcho or deploy-time value that may have changed: the change itself is not
        // certain.
        let masked =
            |v: &Option<Value>| v.as_ref().is_some_and(|v| unknown_offline(&v.to_string()));
        if replacement == Replacement::Always && (masked(&o) || masked(&n)) {
            replacement = Replacement::Conditional;
        }
        changes.push(PropertyChange {
            path,
            old: o,
            new: n,
            replacement,
            cause: None,
        });
    }
    for attr in RESOURCE_ATTRIBUTES {
        let (o, n) = (old.get(attr), new.get(attr));
        if attribute_changed(attr, o, n) {
            changes.push(PropertyChange {
                path: format!("[{attr}]"),
                old: o.cloned(),
                new: n.cloned(),
                replacement: Replacement::Never,
                cause: None,
            });
        }
    }
    if changes.is_empty() {
        return None;
    }
    let replacement = changes
        .iter()
        .map(|c| c.replacement)
        .max()
        .unwrap_or(Replacement::Never);
    let mut d = ResourceDiff {
        logical_id: id.to_owned(),
        resource_type: ty,
        kind: ChangeKind::Modified,
        action: Action::Modify,
        replacement,
        properties: changes,
        condition_unknown: false,
        unknown_action: None,
    };
    d.settle();
    Some(d)
}

type Leaf = (String, Option<Value>, Option<Value>);

/// Descends into plain objects on both sides and records every differing leaf; arrays and
/// intrinsics are leaves, since their elements have no stable identity to pair them by.
fn diff_values(path: &str, old: &Value, new: &Value, order: &dyn ListOrder, out: &mut Vec<Leaf>) {
    if same(path, old, new, order) {
        return;
    }
    match (old, new) {
        (Value::Object(o), Value::Object(n)) if !is_intrinsic(old) && !is_intrinsic(new) => {
            for k in keys(o, n) {
                let child = join(path, k);
                match (o.get(k), n.get(k)) {
                    (Some(a), Some(b)) => diff_values(&child, a, b, order, out),
                    (a, b) => out.push((child, a.cloned(), b.cloned())),
                }
            }
        }
        (Value::Null, Value::Object(n)) if path.is_empty() => {
            out.extend(n.iter().map(|(k, v)| (k.clone(), None, Some(v.clone()))));
        }
        (Value::Object(o), Value::Null) if path.is_empty() => {
            out.extend(o.iter().map(|(k, v)| (k.clone(), Some(v.clone()), None)));
        }
        _ => out.push((path.to_owned(), Some(old.clone()), Some(new.clone()))),
    }
}

/// Diffs every top-level section except `Resources`, entry by entry.
fn diff_sections(old: &Value, new: &Value) -> Vec<SectionChange> {
    let empty = Map::new();
    let o = old.as_object().unwrap_or(&empty);
    let n = new.as_object().unwrap_or(&empty);
    let mut out = Vec::new();
    for name in keys(o, n) {
        if name == "Resources" {
            continue;
        }
        let (a, b) = (o.get(name), n.get(name));
        match (a.and_then(Value::as_object), b.and_then(Value::as_object)) {
            (Some(_), _) | (_, Some(_))
                if name != "Description" && name != "AWSTemplateFormatVersion" =>
            {
                let am = a.and_then(Value::as_object).unwrap_or(&empty);
                let bm = b.and_then(Value::as_object).unwrap_or(&empty);
                for key in keys(am, bm) {
                    let (x, y) = (am.get(key), bm.get(key));
                    if let Some(kind) = kind_of(x, y) {
                        out.push(SectionChange {
                            section: name.to_owned(),
                            key: key.to_owned(),
                            kind,
                            old: x.cloned(),
                            new: y.cloned(),
                        });
                    }
                }
            }
            _ => {
                if let Some(kind) = kind_of(a, b) {
                    out.push(SectionChange {
                        section: name.to_owned(),
                        key: String::new(),
                        kind,
                        old: a.cloned(),
                        new: b.cloned(),
                    });
                }
            }
        }
    }
    out
}

fn kind_of(a: Option<&Value>, b: Option<&Value>) -> Option<ChangeKind> {
    match (a, b) {
        (None, Some(_)) => Some(ChangeKind::Added),
        (Some(_), None) => Some(ChangeKind::Removed),
        (Some(x), Some(y)) if !same("", x, y, &Ordered) => Some(ChangeKind::Modified),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::facts::TableFacts;
    use serde_json::json;

    fn facts() -> TableFacts {
        TableFacts(vec![(
            "AWS::DynamoDB::Table",
            vec!["TableName", "KeySchema"],
        )])
    }

    #[test]
    fn a_missing_stack_diffs_as_all_added() {
        let new = json!({"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}, "Q": {"Type": "AWS::SQS::Queue"}}});
        let d = diff_templates(&Value::Null, &new, &facts());
        assert_eq!(d.counts().added, 2);
        assert_eq!(d.resources[0].logical_id, "Q");
    }

    #[test]
    fn property_changes_carry_paths_values_and_replacement() {
        let old = json!({"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": "a", "StreamSpecification": {"StreamViewType": "KEYS_ONLY"}}}}});
        let new = json!({"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": "b", "StreamSpecification": {"StreamViewType": "NEW_IMAGE"}}}}});
        let d = diff_templates(&old, &new, &facts());
        let r = &d.resources[0];
        assert_eq!(r.replacement, Replacement::Always);
        let paths: Vec<_> = r
            .properties
            .iter()
            .map(|p| (p.path.as_str(), p.replacement))
            .collect();
        assert_eq!(
            paths,
            [
                ("StreamSpecification/StreamViewType", Replacement::Never),
                ("TableName", Replacement::Always)
            ]
        );
    }

    #[test]
    fn unknown_types_predict_unknown_and_attributes_are_diffed() {
        let old = json!({"Resources": {"X": {"Type": "Custom::Thing", "Properties": {"A": 1}}}});
        let new = json!({"Resources": {"X": {"Type": "Custom::Thing", "Properties": {"A": 2}, "DeletionPolicy": "Retain"}}});
        let d = diff_templates(&old, &new, &facts());
        assert_eq!(d.resources[0].replacement, Replacement::Unknown);
        assert_eq!(d.resources[0].properties[1].path, "[DeletionPolicy]");
    }

    #[test]
    fn outputs_and_description_are_section_changes() {
        let old = json!({"Description": "a", "Outputs": {"A": {"Value": "1"}}});
        let new = json!({"Description": "b", "Outputs": {"B": {"Value": "1"}}});
        let d = diff_templates(&old, &new, &facts());
        let s: Vec<_> = d
            .sections
            .iter()
            .map(|s| (s.section.as_str(), s.key.as_str(), s.kind))
            .collect();
        assert_eq!(
            s,
            [
                ("Description", "", ChangeKind::Modified),
                ("Outputs", "A", ChangeKind::Removed),
                ("Outputs", "B", ChangeKind::Added)
            ]
        );
    }

    #[test]
    fn a_false_condition_on_a_table_is_its_removal_and_a_data_loss_risk() {
        let old = json!({"Resources": {"Orders": {"Type": "AWS::DynamoDB::Table"}}});
        let new = json!({"Conditions": {"Never": {"Fn::Equals": ["a", "b"]}},
            "Resources": {"Orders": {"Type": "AWS::DynamoDB::Table", "Condition": "Never"}}});
        let d = diff_templates(&old, &new, &facts());
        assert_eq!(d.resources[0].action, Action::Remove);
        assert_eq!(d.resources[0].properties[0].path, "[Condition]");
        assert_eq!(
            d.resources[0].properties[0].new,
            Some(json!("Never (false: the resource is deleted)"))
        );
        assert_eq!(d.data_loss.len(), 1);
        assert_eq!(d.data_loss[0].logical_id, "Orders");
    }

    #[test]
    fn a_may_replace_fact_is_a_data_loss_risk_unless_the_change_set_says_otherwise() {
        use crate::cfn::model::ResourceChange;
        use crate::diff::data_loss::Hazard;
        use crate::diff::facts::SchemaFacts;
        let gsi = |key: &str| {
            json!({"Resources": {"Global": {"Type": "AWS::DynamoDB::GlobalTable", "Properties": {
                "GlobalSecondaryIndexes": [{"IndexName": "i", "Projection": {"ProjectionType": "ALL"},
                    "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}]}]}}}})
        };
        let (old, new) = (gsi("a"), gsi("b"));
        let mut d = diff_templates(&old, &new, &SchemaFacts);
        assert_eq!(d.resources[0].action, Action::MayReplace);
        assert_eq!(d.data_loss[0].hazard, Hazard::MayBeReplaced);
        crate::diff::reconcile_and_assess(
            &mut d,
            vec![ResourceChange {
                action: "Modify".into(),
                logical_id: "Global".into(),
                resource_type: "AWS::DynamoDB::GlobalTable".into(),
                replacement: Some("False".into()),
                ..Default::default()
            }],
            &old,
            &new,
        );
        assert_eq!(d.resources[0].action, Action::Modify);
        assert!(d.data_loss.is_empty());
    }

    #[test]
    fn identical_templates_have_an_empty_diff() {
        let t = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
        assert!(diff_templates(&t, &t, &facts()).is_empty());
    }
}
