//! Synthesis: a [`Stack`] becomes a validated CloudFormation template.

use std::sync::OnceLock;

use serde_json::{Map, Value as J, json};

use crate::diagnostic::{Deferred, Diagnostic, Location, Severity, SynthError};
use crate::stack::props::SharedMap;
use crate::stack::resource::{Override, ResourceEntry};
use crate::stack::stack::Stack;
use crate::synth::by_type::Resources;
use crate::synth::note::Note;
use crate::synth::{canonical, checks, depth, inherit, limits};
use crate::value::expr::Expr;
use crate::value::expr_map::ExprMap;

/// A synthesized template: its JSON, its canonical text, and what synth noticed.
#[derive(Clone, Debug)]
pub struct Template {
    /// Read back from `text` on first use: most callers only want the text, and building
    /// the value of a large template costs as much as writing it.
    json: OnceLock<J>,
    text: String,
    warnings: Vec<Diagnostic>,
    /// Sorted and deduplicated, as the public notes are.
    notes: Vec<Note>,
    /// The public notes, made from `notes` on first use.
    deferred: OnceLock<Vec<Deferred>>,
    /// Where the stack must deploy: the wirings [`Stack::require_home`] recorded, then
    /// what synth checks found (a certificate of the stack on a CloudFront distribution
    /// needs the stack in `us-east-1`), each asserted by a rule of the template;
    /// `App::synth`, which knows the Region a stack deploys to, refuses another.
    pub(crate) homes: Vec<crate::stack::home::WiredHome>,
    /// What depends on the stack's partition (a literal alias zone that is its target's
    /// in one partition only): `App::synth`, which knows the Region, judges it.
    pub(crate) partition_needs: Vec<checks::PartitionNeed>,
}

impl Template {
    /// The template as a JSON value.
    pub fn json(&self) -> &J {
        self.json.get_or_init(|| {
            // The text is this crate's own canonical JSON, so it always parses.
            serde_json::from_str(&self.text).unwrap_or(J::Null)
        })
    }

    /// The template as canonical pretty JSON: sections and resource attributes in
    /// CloudFormation's conventional order, all other keys sorted, a final newline. The
    /// same stack gives the same bytes on every run and machine.
    pub fn to_json_pretty(&self) -> String {
        self.text.clone()
    }

    /// The canonical text, borrowed (what [`to_json_pretty`](Template::to_json_pretty)
    /// copies).
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Warnings: nothing stops a deploy, but each deserves a look.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Checks on computed values that CloudFormation, not synth, will run.
    pub fn deferred(&self) -> &[Deferred] {
        self.deferred
            .get_or_init(|| self.notes.iter().map(Note::to_deferred).collect())
    }
}

/// A resource as synth checks it: its final logical ID, its type, and its properties with
/// their overrides applied and its tags in canonical order, as the template writes them.
///
/// What a check left for synth with [`Stack::check_at_synth`] reads. The view is
/// read-only: a check reports [`Diagnostic`]s, it changes nothing.
pub struct Resolved<'a> {
    pub(crate) entry: &'a ResourceEntry,
    /// The entry's own map, shared rather than copied, when neither overrides nor tag
    /// order change anything (the usual case); a changed copy otherwise.
    pub(crate) props: SharedMap,
}

impl Resolved<'_> {
    /// The resource's logical ID in the template (a content-addressed one, such as an API
    /// Gateway deployment's, with its hash).
    pub fn logical_id(&self) -> &str {
        &self.entry.target.id
    }

    /// The resource's CloudFormation type (`AWS::SQS::Queue`).
    pub fn type_name(&self) -> &str {
        &self.entry.type_name
    }

    /// The property `name` as the template writes it (intrinsic functions in their JSON
    /// form, `{"Ref": "Jobs"}`), or `None` when it is not set.
    pub fn property(&self, name: &str) -> Option<J> {
        self.props.get(name).map(Expr::to_json)
    }

    /// Every property set, as the template's `Properties` object writes them.
    pub fn properties(&self) -> Map<String, J> {
        self.props
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect()
    }

    /// The property `name`, if set.
    pub(crate) fn field(&self, name: &str) -> Option<&Expr> {
        self.props.get(name)
    }

    /// The items of the list property `name`; empty when absent or computed.
    pub(crate) fn list(&self, name: &str) -> &[Expr] {
        match self.props.get(name) {
            Some(Expr::Array(items)) => items,
            _ => &[],
        }
    }
}

impl Stack {
    /// Validates the stack and renders its template. Every problem is reported at once,
    /// each naming the element, the property and the fix.
    pub fn synth(&self) -> Result<Template, SynthError> {
        // The renamed copy shares its property maps with `self` (copy on write).
        let renamed = crate::stack::content_id::resolve(self);
        let stack = renamed.as_ref().unwrap_or(self);
        // Statements that would make a role wait for what waits for it move to a policy
        // of their own (on the final logical IDs, before conditions are inherited, so the
        // policy takes its role's).
        let split = crate::stack::split_policy::resolve(stack);
        synth_stack(split.as_ref().unwrap_or(stack))
    }
}

/// Synthesizes `stack`.
fn synth_stack(stack: &Stack) -> Result<Template, SynthError> {
    let mut diags: Vec<Diagnostic> = stack.problems.clone();
    // Every later pass recurses per nesting level: too deep a value stops synth here,
    // with a diagnostic, before it could overflow the stack. The same walk notes which
    // resources hold tag lists to put in canonical order.
    let mut tags: Vec<bool> = Vec::new();
    if !depth::check(stack, &mut diags, &mut tags) {
        diags.sort_unstable();
        diags.dedup();
        return Err(SynthError {
            stack: stack.name().to_string(),
            diagnostics: diags,
        });
    }
    // Conditions only: the resources, their order and their properties stay as checked.
    let inherited = inherit::apply(stack, &mut diags);
    let stack: &Stack = inherited.as_ref().unwrap_or(stack);
    debug_assert_eq!(tags.len(), stack.resources.len());
    let mut deferred = Vec::new();
    let mut homes = stack.wired_homes.clone();
    let mut partition_needs = Vec::new();
    let resolved: Vec<Resolved> = stack
        .resources
        .iter()
        .zip(&tags)
        .map(|(entry, &tags)| Resolved {
            entry,
            props: apply_overrides_noted(entry, tags, &mut diags),
        })
        .collect();
    // The resources by type, indexed once for every check.
    let resources = Resources::new(&resolved);
    checks::all(
        stack,
        &resources,
        &mut diags,
        &mut deferred,
        &mut homes,
        &mut partition_needs,
    );
    crate::synth::registry::check(stack, &resources, &mut diags);
    crate::synth::combinations::check(&resources, &mut diags);
    crate::synth::cors_preflight::check(&resources, &mut diags);
    // The sections other than `Resources` as JSON; the resources are written straight
    // from their resolved properties.
    let home_rules = crate::stack::home::home_rules(&homes, &stack.rules, &mut diags);
    let json = render(stack, &home_rules);
    // The resources by logical ID, sorted once for the writer and the notes. Stable: among
    // repeated IDs (an error of its own) the last given stays last, and the writer keeps it.
    let mut by_id: Vec<&Resolved> = resolved.iter().collect();
    crate::stack::logical_id::sort_by_id(&mut by_id, |r| &r.entry.target.id);
    let elements: Vec<canonical::Element> = by_id.iter().map(|r| element(r)).collect();
    let text = canonical::to_pretty_with(&json, &elements);
    limits::template_size(text.len(), &mut diags);
    // Both orders compare every field, so equal items are identical and an unstable sort
    // (no scratch buffer) gives the same result as a stable one.
    diags.sort_unstable();
    diags.dedup();
    let ids: Vec<&str> = by_id.iter().map(|r| &*r.entry.target.id).collect();
    sort_notes(&mut deferred, &ids);
    deferred.dedup();
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(SynthError {
            stack: stack.name().to_string(),
            diagnostics: diags,
        });
    }
    Ok(Template {
        json: OnceLock::new(),
        text,
        warnings: diags,
        notes: deferred,
        deferred: OnceLock::new(),
        homes,
        partition_needs,
    })
}

/// Sorts `notes` as `sort_unstable` sorts them (by resource, path, intrinsic and check,
/// compared as text), with each resource taken by its rank among `ids` (the resources'
/// logical IDs, sorted) instead of its text: the notes are put in rank order by counting
/// (most of a thousand notes' comparisons would be between notes of different
/// resources), and only the notes of one resource are compared. Equal IDs take one
/// rank, so the order is the text's. A note on a resource not among them (none is) falls
/// back to comparing text.
fn sort_notes(notes: &mut Vec<Note>, ids: &[&str]) {
    if notes.len() < 2 {
        return;
    }
    let mut rank: crate::fast_hash::FastMap<&str, u32> = crate::fast_hash::FastMap::default();
    rank.reserve(ids.len());
    for (i, id) in ids.iter().enumerate() {
        // A repeated ID takes its last rank, the same for every note on it.
        rank.insert(id, i as u32);
    }
    let ranks: Option<Vec<u32>> = notes
        .iter()
        .map(|n| rank.get(&*n.resource).copied())
        .collect();
    let Some(ranks) = ranks else {
        notes.sort_unstable();
        return;
    };
    // Grouped by rank with a counting sort (each note moved once, rather than moved and
    // compared through a sort of all of them), then each group, the notes on one ID,
    // sorted by the rest of the note. Equal notes are identical, so the order is that of
    // any sort.
    let mut starts = vec![0usize; ids.len() + 1];
    for &r in &ranks {
        starts[r as usize + 1] += 1;
    }
    for i in 0..ids.len() {
        starts[i + 1] += starts[i];
    }
    let mut next = starts.clone();
    let mut slots: Vec<Option<Note>> = (0..notes.len()).map(|_| None).collect();
    for (note, r) in notes.drain(..).zip(ranks) {
        let at = &mut next[r as usize];
        slots[*at] = Some(note);
        *at += 1;
    }
    notes.extend(slots.into_iter().flatten());
    for bounds in starts.windows(2) {
        let group = &mut notes[bounds[0]..bounds[1]];
        if group.len() > 1 {
            group.sort_unstable_by(|a, b| {
                (&a.path, a.computed_by, &a.check).cmp(&(&b.path, b.computed_by, &b.check))
            });
        }
    }
}

/// The properties of `entry` with its overrides applied and its tags in canonical order:
/// its own map, shared, when that changes nothing.
pub(crate) fn apply_overrides(entry: &ResourceEntry, diags: &mut Vec<Diagnostic>) -> SharedMap {
    let tags = entry.overrides.is_empty()
        && crate::synth::tags::needs_canonicalizing(entry.props.map.iter());
    apply_overrides_noted(entry, tags, diags)
}

/// [`apply_overrides`] with `tags` already known: whether the entry's own properties
/// hold a tag list to put in canonical order (`tags::needs_canonicalizing`, which the
/// depth check notes as it walks them; it is only read when there is no override).
fn apply_overrides_noted(
    entry: &ResourceEntry,
    tags: bool,
    diags: &mut Vec<Diagnostic>,
) -> SharedMap {
    if entry.overrides.is_empty() && !tags {
        return entry.props.map.clone();
    }
    let mut root = Expr::Object((*entry.props.map).clone());
    for Override { path, value } in &entry.overrides {
        if let Err(msg) = apply_one(&mut root, path, value.clone()) {
            diags.push(Diagnostic::error(
                Location::property(&entry.target.id, path),
                msg,
                "override a path whose parents are objects, lists (by index) or not yet set",
            ));
        }
    }
    crate::synth::tags::canonicalize(&entry.target.id, &mut root, diags);
    match root {
        Expr::Object(map) => map.into(),
        // An override edits inside the root object, never replaces it.
        _ => unreachable!("the properties stay an object"),
    }
}

fn apply_one(root: &mut Expr, path: &str, value: Option<Expr>) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "the override path `{path}` has an empty segment; CloudFormation has no property named \"\""
        ));
    }
    let (last, parents) = segments
        .split_last()
        .ok_or_else(|| "the override path is empty".to_string())?;
    let mut node = root;
    for seg in parents {
        open_literal(node);
        node = match node {
            Expr::Object(map) => map
                .entry(seg.to_string())
                .or_insert_with(|| Expr::Object(ExprMap::new())),
            Expr::Array(items) => {
                let i: usize = seg
                    .parse()
                    .map_err(|_| format!("`{seg}` is not an index into the list there"))?;
                let len = items.len();
                items
                    .get_mut(i)
                    .ok_or_else(|| format!("index {i} is past the end of a list of {len}"))?
            }
            other => {
                return Err(format!(
                    "`{seg}` is inside {}, which is not an object",
                    other.intrinsic_name().unwrap_or("a literal")
                ));
            }
        };
    }
    open_literal(node);
    match (node, value) {
        (Expr::Object(map), Some(v)) => {
            map.insert(last.to_string(), v);
            Ok(())
        }
        (Expr::Object(map), None) => {
            map.remove(*last);
            Ok(())
        }
        (Expr::Array(items), v) => {
            let i: usize = last
                .parse()
                .map_err(|_| format!("`{last}` is not an index into the list there"))?;
            if i >= items.len() {
                return Err(format!(
                    "index {i} is past the end of a list of {}",
                    items.len()
                ));
            }
            match v {
                Some(v) => items[i] = v,
                None => {
                    items.remove(i);
                }
            }
            Ok(())
        }
        (other, _) => Err(format!(
            "the parent of `{last}` is {}, which is not an object",
            other.intrinsic_name().unwrap_or("a literal")
        )),
    }
}

/// A literal object or list (a property set with `json!`) is opened into an expression
/// tree, so an override can reach inside it like inside any other value.
fn open_literal(node: &mut Expr) {
    if let Expr::Lit(v @ (J::Object(_) | J::Array(_))) = node {
        *node = Expr::from_json(std::mem::take(v));
    }
}

/// The template's sections other than `Resources` (written by the canonical writer from
/// the resolved properties), with `home_rules` (the rules asserting where the stack
/// deploys, `stack/home.rs`) after the user's rules.
fn render(stack: &Stack, home_rules: &[(String, crate::stack::rule::Rule)]) -> J {
    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    if let Some(d) = &stack.description {
        t.insert("Description".into(), json!(d));
    }
    if !stack.metadata.is_empty() {
        t.insert("Metadata".into(), json!(stack.metadata));
    }
    match stack.transforms.as_slice() {
        [] => {}
        [one] => {
            t.insert("Transform".into(), json!(one.name()));
        }
        many => {
            let names: Vec<&str> = many.iter().map(|x| x.name()).collect();
            t.insert("Transform".into(), json!(names));
        }
    }
    let section = |t: &mut Map<String, J>, name: &str, m: Map<String, J>| {
        if !m.is_empty() {
            t.insert(name.to_string(), J::Object(m));
        }
    };
    section(
        &mut t,
        "Parameters",
        stack
            .parameters
            .iter()
            .map(|(target, def)| (target.id.to_string(), render_parameter(def)))
            .collect(),
    );
    section(
        &mut t,
        "Rules",
        stack
            .rules
            .iter()
            .chain(home_rules)
            .map(|(id, rule)| {
                let mut r = Map::new();
                if let Some(c) = &rule.condition {
                    r.insert("RuleCondition".into(), c.to_json());
                }
                let asserts: Vec<J> = rule
                    .assertions
                    .iter()
                    .map(|(a, d)| {
                        let mut m = Map::new();
                        m.insert("Assert".into(), a.to_json());
                        if let Some(d) = d {
                            m.insert("AssertDescription".into(), json!(d));
                        }
                        J::Object(m)
                    })
                    .collect();
                r.insert("Assertions".into(), J::Array(asserts));
                (id.clone(), J::Object(r))
            })
            .collect(),
    );
    section(
        &mut t,
        "Mappings",
        stack
            .mappings
            .iter()
            .map(|(target, m)| (target.id.to_string(), json!(m.entries)))
            .collect(),
    );
    section(
        &mut t,
        "Conditions",
        stack
            .conditions
            .iter()
            .map(|(target, e)| (target.id.to_string(), e.to_json()))
            .collect(),
    );
    section(
        &mut t,
        "Outputs",
        stack
            .outputs
            .iter()
            .map(|o| {
                let mut m = Map::new();
                if let Some(d) = &o.description {
                    m.insert("Description".into(), json!(d));
                }
                if let Some(c) = &o.condition {
                    m.insert("Condition".into(), json!(&*c.id));
                }
                m.insert("Value".into(), o.value.to_json());
                if let Some(e) = &o.export {
                    m.insert("Export".into(), json!({ "Name": e.to_json() }));
                }
                (o.id.clone(), J::Object(m))
            })
            .collect(),
    );
    J::Object(t)
}

fn render_parameter(def: &crate::stack::parameter::ParameterDef) -> J {
    let mut m = Map::new();
    m.insert("Type".into(), json!(def.type_name));
    let mut put = |k: &str, v: Option<J>| {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    };
    put("Description", def.description.as_ref().map(|d| json!(d)));
    put("Default", def.default.clone());
    put(
        "AllowedValues",
        (!def.allowed_values.is_empty()).then(|| J::Array(def.allowed_values.clone())),
    );
    put(
        "AllowedPattern",
        def.allowed_pattern.as_ref().map(|p| json!(p)),
    );
    put("MinLength", def.min_length.map(|n| json!(n)));
    put("MaxLength", def.max_length.map(|n| json!(n)));
    put("MinValue", def.min_value.map(|n| json!(n)));
    put("MaxValue", def.max_value.map(|n| json!(n)));
    put("NoEcho", def.no_echo.then_some(json!(true)));
    put(
        "ConstraintDescription",
        def.constraint_description.as_ref().map(|d| json!(d)),
    );
    J::Object(m)
}

/// A resource for the canonical writer: its attributes and properties in place.
fn element<'a>(r: &'a Resolved) -> canonical::Element<'a> {
    canonical::Element {
        entry: r.entry,
        properties: (!r.props.is_empty()).then_some(&*r.props),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, json};

    use crate::stack::resource::ResourceEntry;
    use crate::synth::note::Note;

    use crate::kind::Str;
    use crate::stack::handle::Handle;
    use crate::{DeletionPolicy, RawResource, Stack, UpdateReplacePolicy};

    /// A stack using every resource attribute, nested properties (built and literal),
    /// intrinsics and an override, with resources added out of logical-ID order.
    fn rich() -> Stack {
        let mut stack = Stack::new("Rich");
        stack.description("every attribute");
        let queue = stack.add(
            "Zed",
            RawResource::new("AWS::SQS::Queue").property("QueueName", "z"),
        );
        let topic = stack.add(
            "Alpha",
            RawResource::new("AWS::SNS::Topic")
                // Escaped text where SNS takes free text (a tag value): a topic name of
                // this text is refused at synth (`synth/checks/message_names.rs`).
                .property("TopicName", "alpha")
                .property(
                    "Subscription",
                    json!([{ "Endpoint": "x", "Protocol": "sqs" }, {}]),
                )
                .property(
                    "Tags",
                    json!([{ "Key": "b", "Value": "a \"quoted\" ünïcode name" }, { "Key": "a", "Value": "1" }]),
                )
                .property("DisplayName", queue.get_att::<Str>("QueueName")),
        );
        let empty = stack.add("Empty", RawResource::new("AWS::SQS::Queue"));
        let env = stack.parameter("Env", crate::Parameter::string());
        let prod = stack.condition("IsProd", crate::equals(&env, "prod"));
        stack
            .resource(&empty)
            .condition(&prod)
            .update_replace_policy(UpdateReplacePolicy::Snapshot)
            .creation_policy(json!({ "ResourceSignal": { "Count": 1, "Timeout": "PT5M" } }));
        let beta = stack.add("Beta", RawResource::new("AWS::SQS::Queue"));
        stack
            .resource(&topic)
            .depends_on(&queue)
            .depends_on(&beta)
            .deletion_policy(DeletionPolicy::Retain)
            .metadata("Note", json!({ "b": 1, "a": [true, null, 1.5] }))
            .update_policy(json!({ "UseOnlineResharding": true }))
            .override_property("KmsMasterKeyId", queue.resource_ref().ref_value::<Str>());
        stack
    }

    #[test]
    fn resources_written_from_the_model_match_the_value_writer() {
        let template = rich().synth().expect("the stack synthesizes");
        let text = template.to_json_pretty();
        // The value read back from the text is the template's JSON...
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(template.json(), &value);
        // ...and the writer over values gives the same bytes from it.
        assert_eq!(crate::synth::canonical::to_pretty(template.json()), text);
        let resources = &value["Resources"];
        assert_eq!(resources["Alpha"]["DependsOn"], json!(["Beta", "Zed"]));
        assert_eq!(
            resources["Alpha"]["Properties"]["KmsMasterKeyId"],
            json!({ "Ref": "Zed" })
        );
        assert!(resources["Empty"].get("Properties").is_none());
        let ids: Vec<&String> = resources.as_object().unwrap().keys().collect();
        assert_eq!(ids, ["Alpha", "Beta", "Empty", "Zed"]);
    }

    /// Each resource's object, written from its entry, holds the attributes the JSON
    /// of its entry has (every attribute, `DependsOn` sorted) and its properties.
    #[test]
    fn resource_attributes_written_from_the_entry_match_their_json() {
        let stack = rich();
        let template = stack.synth().expect("the stack synthesizes");
        let resources = template.json()["Resources"].as_object().unwrap();
        for entry in &stack.resources {
            let mut want = attributes(entry);
            let props = super::apply_overrides(entry, &mut Vec::new());
            if !props.is_empty() {
                let props = crate::value::expr::Expr::Object((*props).clone()).to_json();
                want.as_object_mut()
                    .unwrap()
                    .insert("Properties".into(), props);
            }
            assert_eq!(resources[&*entry.target.id], want, "{}", entry.target.id);
        }
        // The case holds every attribute.
        let alpha = &resources["Alpha"];
        let empty = &resources["Empty"];
        assert_eq!(alpha["DependsOn"], json!(["Beta", "Zed"]));
        assert_eq!(empty["Condition"], json!("IsProd"));
        assert_eq!(empty["UpdateReplacePolicy"], json!("Snapshot"));
        assert!(empty["CreationPolicy"].is_object() && alpha["UpdatePolicy"].is_object());
        assert!(alpha["Metadata"].is_object() && alpha["DeletionPolicy"].is_string());
    }

    /// The document a content-addressed ID hashes, written from the model, has the
    /// bytes of the canonical writer on its JSON: every resource of the rich stack, with
    /// and without a condition, empty properties included.
    #[test]
    fn snapshot_documents_written_from_the_model_match_the_value_writer() {
        let stack = rich();
        for entry in &stack.resources {
            let props = super::apply_overrides(entry, &mut Vec::new());
            for condition in [None, Some("IsProd")] {
                let mut bytes = Vec::new();
                crate::synth::canonical::snapshot_document(
                    &mut bytes,
                    &entry.target.id,
                    &entry.type_name,
                    &props,
                    condition,
                );
                let doc = json!({
                    "Id": &*entry.target.id,
                    "Type": entry.type_name,
                    "Properties": crate::value::expr::Expr::Object((*props).clone()).to_json(),
                    "Condition": condition,
                });
                assert_eq!(
                    String::from_utf8(bytes).unwrap(),
                    crate::synth::canonical::to_pretty(&doc)
                );
            }
        }
    }

    /// The document of what a content-addressed ID's hash reaches, written from the
    /// model, has the bytes of the canonical writer on the JSON it stands for: none
    /// reached, every resource of the rich stack with every property, none, and every
    /// other one.
    #[test]
    fn reached_documents_written_from_the_model_match_the_value_writer() {
        use crate::stack::props::SharedMap;
        use crate::synth::canonical::{Reached, reached_document, to_pretty};
        use serde_json::Value as J;
        let stack = rich();
        let props: Vec<SharedMap> = stack
            .resources
            .iter()
            .map(|e| super::apply_overrides(e, &mut Vec::new()))
            .collect();
        let masks: [fn(usize) -> bool; 3] = [|_| true, |_| false, |i| i % 2 == 0];
        for mask in masks {
            let keep: Vec<Vec<bool>> = props
                .iter()
                .map(|p| (0..p.len()).map(mask).collect())
                .collect();
            let mut reached: Vec<Reached> = stack
                .resources
                .iter()
                .zip(&props)
                .zip(&keep)
                .map(|((e, p), k)| Reached {
                    id: &e.target.id,
                    type_name: &e.type_name,
                    properties: p,
                    replacing: k,
                })
                .collect();
            reached.sort_by(|a, b| a.id.cmp(b.id));
            for count in [0, reached.len()] {
                let mut want = Map::new();
                for r in &reached[..count] {
                    let kept: Map<String, J> = r
                        .properties
                        .iter()
                        .zip(r.replacing)
                        .filter(|(_, k)| **k)
                        .map(|((k, v), _)| (k.clone(), v.to_json()))
                        .collect();
                    want.insert(
                        r.id.to_string(),
                        json!({ "Type": r.type_name, "Replacing": kept }),
                    );
                }
                let mut bytes = Vec::new();
                reached_document(&mut bytes, &reached[..count]);
                assert_eq!(
                    String::from_utf8(bytes).unwrap(),
                    to_pretty(&json!({ "Reached": want }))
                );
            }
        }
    }

    /// Notes sorted through the ranks of their resources' IDs come in the order of
    /// sorting them as text: several notes per resource, resources out of order, an ID
    /// given twice, and (falling back to the text) a note on an ID not listed.
    #[test]
    fn notes_sorted_by_rank_are_sorted_as_text() {
        use std::sync::Arc;
        let note = |resource: &str, path: &str, check: &str| Note {
            resource: Arc::from(resource),
            path: path.to_string(),
            computed_by: "Ref",
            check: Arc::from(check),
        };
        let notes = vec![
            note("Zed", "B", "x"),
            note("Alpha", "B", "y"),
            note("Zed", "A", "x"),
            note("Mid", "A", "z"),
            note("Alpha", "A", "y"),
            note("Alpha", "A", "x"),
            note("Mid", "A", "z"),
        ];
        let mut want = notes.clone();
        want.sort();
        let mut ids = vec!["Zed", "Alpha", "Mid", "Mid", "Other"];
        ids.sort();
        let mut got = notes.clone();
        super::sort_notes(&mut got, &ids);
        assert_eq!(got, want);
        let mut unlisted = notes.clone();
        unlisted.push(note("Unlisted", "A", "x"));
        let mut want = unlisted.clone();
        want.sort();
        super::sort_notes(&mut unlisted, &ids);
        assert_eq!(unlisted, want);
        // Many notes on many IDs (some repeated, some without notes), in a scrambled
        // order, with repeated notes.
        let mut ids: Vec<String> = (0..40).map(|i| format!("R{}", i % 37)).collect();
        ids.sort();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % n
        };
        let many: Vec<Note> = (0..600)
            .map(|_| {
                let resource = format!("R{}", next(30));
                let path = format!("P{}", next(5));
                let check = format!("c{}", next(3));
                note(&resource, &path, &check)
            })
            .collect();
        let mut want = many.clone();
        want.sort();
        let mut got = many;
        super::sort_notes(&mut got, &ids);
        assert_eq!(got, want);
    }

    /// A resource's attributes other than `Properties`.
    fn attributes(e: &ResourceEntry) -> serde_json::Value {
        let mut m = Map::new();
        m.insert("Type".into(), json!(e.type_name));
        if let Some(c) = &e.condition {
            m.insert("Condition".into(), json!(&*c.id));
        }
        if !e.depends_on.is_empty() {
            let mut ids: Vec<&str> = e.depends_on.iter().map(|t| &*t.id).collect();
            ids.sort();
            ids.dedup();
            m.insert("DependsOn".into(), json!(ids));
        }
        if !e.metadata.is_empty() {
            m.insert("Metadata".into(), json!(e.metadata));
        }
        if let Some(p) = &e.creation_policy {
            m.insert("CreationPolicy".into(), p.clone());
        }
        if let Some(p) = &e.update_policy {
            m.insert("UpdatePolicy".into(), p.clone());
        }
        if let Some(p) = e.deletion_policy {
            m.insert("DeletionPolicy".into(), json!(p.as_str()));
        }
        if let Some(p) = e.update_replace_policy {
            m.insert("UpdateReplacePolicy".into(), json!(p.as_str()));
        }
        serde_json::Value::Object(m)
    }
}
