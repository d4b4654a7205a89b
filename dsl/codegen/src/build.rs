//! Turns one registry schema into a [`ResourceModel`].
//!
//! The mapping, decided once here for every type:
//! - `$ref` to an object definition becomes a nested struct named after the definition; an
//!   inline object becomes one named after its property. Recursion is cut by memoising a
//!   definition before its fields are read.
//! - `type: string` with `enum` becomes a Rust enum; with a resource `format` (such as
//!   `AWS::IAM::Role.Arn`) a typed string kind, unless the format names the resource's own
//!   type (a bucket's own `BucketName` is a plain string the user chooses).
//! - Objects without properties become maps (`patternProperties`, `additionalProperties`)
//!   or JSON; JSON properties named like policy documents take the typed policy document.
//! - Mixed types (`["integer", "string"]`) take the non-string one; a value or a list of
//!   such values (`["string", "array"]`) takes the list; anything else that
//!   has no single shape (`oneOf` of objects, type unions) is JSON.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{Attribute, CheckSpec, EnumDef, Field, ResourceModel, StructDef, Ty};
use crate::names::{member, pascal, snake, unique, variant};
use crate::schemas::Extras;

/// JSON property names that hold IAM policy documents.
const POLICY_NAMES: &[&str] = &[
    "AssumeRolePolicyDocument",
    "DeliveryDestinationPolicy",
    "KeyPolicy",
    "Policy",
    "PolicyDocument",
    "ResourcePolicy",
    "ResourcePolicyDocument",
];

/// Type names a nested type must not take: `Self` is no name, and the prelude names the
/// generated code uses unqualified (Lightsail's `Distribution` has an `Option` type, which
/// would shadow `Option` in every `set_x` setter).
const RESERVED: &[&str] = &[
    "Self", "Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box", "Default",
];

/// How deep the constraint walk follows nested types (recursive schemas are cut earlier).
const MAX_DEPTH: usize = 12;

struct Builder<'a> {
    schema: &'a Value,
    type_name: &'a str,
    resource: String,
    prefix: String,
    structs: Vec<Option<StructDef>>,
    enums: Vec<EnumDef>,
    defs: BTreeMap<String, Ty>,
    taken: BTreeSet<String>,
    read_only: BTreeSet<String>,
    /// The same paths, matched at any depth: no setter for them (`crate::read_only`).
    no_setter: crate::read_only::ReadOnly,
    /// Nested types whose members are all read-only: no setter takes them.
    output_only: BTreeSet<String>,
    /// Types of one use of a shared definition, named `(OwnerDef, Def)`.
    own_types: Vec<(String, String)>,
    kinds: BTreeMap<String, String>,
    formats: &'a BTreeMap<String, String>,
    /// Whether earlier names stay unless clearly broken ([`Extras::stable_names`]).
    stable: bool,
}

/// Builds the model of `type_name` from its schema and the hand-kept supplement (attributes
/// `readOnlyProperties` misses, formats of properties that refer to other resources).
pub fn build(type_name: &str, schema: &Value, extras: &Extras) -> Result<ResourceModel, String> {
    let corrected;
    let schema = match extras.corrections.get(type_name) {
        Some(c) => {
            corrected = crate::corrections::apply(type_name, schema.clone(), c)?;
            &corrected
        }
        None => schema,
    };
    let no_formats = BTreeMap::new();
    let formats = extras.formats.get(type_name).unwrap_or(&no_formats);
    let extra_attributes = extras
        .attributes
        .get(type_name)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let parts: Vec<&str> = type_name.split("::").collect();
    let [vendor, service, resource] = parts[..] else {
        return Err(format!(
            "{type_name}: not a Vendor::Service::Resource type name"
        ));
    };
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{type_name}: schema has no properties"))?;
    let struct_name = pascal(resource);
    let handle_name = format!("{struct_name}Handle");
    let mut b = Builder {
        schema,
        type_name,
        resource: resource.to_string(),
        prefix: kind_prefix(vendor, service, resource),
        structs: Vec::new(),
        enums: Vec::new(),
        defs: BTreeMap::new(),
        taken: RESERVED
            .iter()
            .map(|s| s.to_string())
            .chain([struct_name.clone(), handle_name.clone()])
            .collect(),
        read_only: strings(schema.get("readOnlyProperties"))
            .into_iter()
            .collect(),
        no_setter: crate::read_only::ReadOnly::new(schema),
        output_only: BTreeSet::new(),
        own_types: Vec::new(),
        kinds: BTreeMap::new(),
        formats,
        stable: extras.stable_names.contains(type_name),
    };
    // Replacement facts merged from the registry schema and the AWS service spec.
    let merged = crate::replacement::merge(schema, extras.replacement.get(type_name));
    let deprecated: BTreeSet<String> = strings(schema.get("deprecatedProperties"))
        .into_iter()
        .collect();
    let mut fields = b.fields_of(schema, &struct_name, "", Some("/properties".to_string()));
    for f in &mut fields {
        let path = format!("/properties/{}", f.name);
        let name = f.name.as_str();
        f.create_only = merged
            .replaces
            .iter()
            .any(|p| crate::replacement::covers(p, name));
        // "May": a source says maybe, or only some parts of it replace.
        f.may_replace = !f.create_only
            && (merged
                .may_replace
                .iter()
                .any(|p| crate::replacement::covers(p, name))
                || merged
                    .replaces
                    .iter()
                    .chain(&merged.may_replace)
                    .any(|p| crate::replacement::covers(name, p)));
        f.deprecated = deprecated.contains(&path);
    }
    let mut constraints = Vec::new();
    for (name, node) in properties {
        if !b.read_only.contains(&format!("/properties/{name}")) {
            b.constraints(node, name.clone(), &mut Vec::new(), &mut constraints);
        }
    }
    let ref_property = crate::reference::ref_property(extras.refs.get(type_name));
    let composite = crate::reference::composite(extras.refs.get(type_name));
    let no_removals = BTreeSet::new();
    let not_attributes = extras.not_attributes.get(type_name).unwrap_or(&no_removals);
    let (reference, attributes) = b.attributes(
        extra_attributes,
        not_attributes,
        ref_property,
        composite,
        gettable(&extras.getatts, type_name),
    );
    let own_types = std::mem::take(&mut b.own_types);
    let mut model = ResourceModel {
        type_name: type_name.to_string(),
        service: service.to_string(),
        resource: resource.to_string(),
        module: snake(resource),
        struct_name,
        handle_name,
        fields,
        structs: b.structs.into_iter().flatten().collect(),
        enums: b.enums,
        reference,
        attributes,
        constraints,
        kinds: b.kinds,
        conditional_ref: None,
    };
    crate::read_only::restore_names(&mut model, &own_types, RESERVED);
    if let Some(entry) = extras.conditional_refs.get(type_name) {
        crate::conditional_ref::attach(&mut model, entry)?;
    }
    Ok(model)
}

/// Which `Fn::GetAtt` names a type accepts: `None` when no GetAtt table was loaded (unit
/// tests), else the type's names from cfn-lint's table (empty when the table lacks the type:
/// no name is offered that nothing vouches for).
fn gettable<'e>(
    table: &'e BTreeMap<String, BTreeSet<String>>,
    type_name: &str,
) -> Option<&'e BTreeSet<String>> {
    static NONE: BTreeSet<String> = BTreeSet::new();
    if table.is_empty() {
        None
    } else {
        Some(table.get(type_name).unwrap_or(&NONE))
    }
}

/// `AWS::DynamoDB::Table` -> `DynamoDbTable`; other vendors keep their vendor name.
fn kind_prefix(vendor: &str, service: &str, resource: &str) -> String {
    let vendor = if vendor == "AWS" {
        String::new()
    } else {
        pascal(vendor)
    };
    format!("{vendor}{}{}", pascal(service), pascal(resource))
}

/// Whether a property at `path` whose format is one of its own type's attributes names
/// the resource itself (`AWS::S3::Bucket`'s `BucketName`), so it stays a plain string: a
/// top-level property, or one whose path is unknown. Deeper down the same format names
/// another resource of the type: a security group rule's `SourceSecurityGroupId` is
/// another group's ID, typed like any other reference.
fn names_itself(path: Option<&str>) -> bool {
    path.is_none_or(|p| {
        p.strip_prefix("/properties/")
            .is_none_or(|rest| !rest.contains('/'))
    })
}

/// The Rust name of a format kind such as `AWS::IAM::Role.Arn` (`IamRoleArn`), if the
/// format names a resource attribute.
pub fn format_kind(format: &str) -> Option<(String, String)> {
    if format == crate::any_arn::ANY_ARN_FORMAT {
        return Some((crate::any_arn::ANY_ARN_KIND.to_string(), String::new()));
    }
    let (type_name, attr) = format.split_once('.')?;
    let parts: Vec<&str> = type_name.split("::").collect();
    let [vendor, service, resource] = parts[..] else {
        return None;
    };
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    if !(word(vendor) && word(service) && word(resource) && word(attr)) {
        return None;
    }
    // Plural formats (`AWS::EC2::Subnet.Ids`) describe lists; their items carry the kind.
    if attr.ends_with("Ids") || attr.ends_with("Names") {
        return None;
    }
    Some((
        format!("{}{}", kind_prefix(vendor, service, resource), pascal(attr)),
        type_name.to_string(),
    ))
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn type_list(node: &Value) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn non_empty_object<'v>(node: &'v Value, key: &str) -> Option<&'v serde_json::Map<String, Value>> {
    node.get(key)
        .and_then(Value::as_object)
        .filter(|m| !m.is_empty())
}

/// The literal checks a schema node states about its own value.
pub fn checks_of(node: &Value) -> Vec<CheckSpec> {
    let mut out = Vec::new();
    let u = |k: &str| node.get(k).and_then(Value::as_u64);
    let f = |k: &str| node.get(k).and_then(Value::as_f64);
    if let Some(n) = u("minLength").filter(|n| *n > 0) {
        out.push(CheckSpec::MinLength(n));
    }
    if let Some(n) = u("maxLength") {
        out.push(CheckSpec::MaxLength(n));
    }
    if let Some(n) = f("minimum") {
        out.push(CheckSpec::Minimum(n));
    }
    if let Some(n) = f("maximum") {
        out.push(CheckSpec::Maximum(n));
    }
    // A map's size: `minProperties`/`maxProperties`, or the `minItems`/`maxItems` a schema
    // puts on a map instead (`AWS::SSM::Parameter.Tags`: `maxItems: 1000`), which JSON
    // Schema would ignore there but which states the service's limit. (On an object with
    // fixed properties they say how many may be set, as in CloudWatch Logs' one-processor
    // `TransformerConfig` items: not read yet, as the round trip sets every property.)
    let map = crate::map_checks::is_map(node);
    let entries = |k: &str, items: &str| u(k).or(u(items)).filter(|_| map);
    let min_entries = entries("minProperties", "minItems");
    let max_entries = entries("maxProperties", "maxItems");
    if let Some(n) = min_entries.filter(|n| *n > 0) {
        out.push(CheckSpec::MinEntries(n));
    }
    if let Some(n) = max_entries {
        out.push(CheckSpec::MaxEntries(n));
    }
    if let Some(n) = u("minItems").filter(|n| *n > 0 && !map) {
        out.push(CheckSpec::MinItems(n));
    }
    if let Some(n) = u("maxItems").filter(|_| !map) {
        out.push(CheckSpec::MaxItems(n));
    }
    if let Some(p) = crate::map_checks::key_pattern(node) {
        out.push(CheckSpec::KeyPattern(p.to_string()));
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        let strings: Vec<String> = values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        if !strings.is_empty() && strings.len() == values.len() {
            out.push(CheckSpec::OneOf(strings));
        }
    }
    if let Some(p) = node.get("pattern").and_then(Value::as_str) {
        out.push(CheckSpec::Pattern(p.to_string()));
    }
    out
}

impl<'a> Builder<'a> {
    /// A property's member name: [`member`]. It differs from the earlier name (a plain case
    /// conversion) only where that split an acronym (`provider_ar_ns`, `i_pv4`), which is
    /// clearly broken: the earlier name stays as a deprecated alias, in every service.
    fn member_name(&self, name: &str) -> String {
        member(name)
    }

    /// A value's variant name, kept as it was in a stable service unless the earlier name
    /// split an acronym (`TlSv122021`): `Python312` stays `Python312`.
    fn variant_name(&self, value: &str) -> String {
        let new = variant_name(value);
        let old = variant_name_before(value);
        // Not broken: only the digits run together, or the value's own spelling (`IPv4`).
        let spelled: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
        if self.stable && (old == new.replace('_', "") || old == spelled) {
            old
        } else {
            new
        }
    }

    /// Resolves a local JSON pointer (`#/definitions/X`, `#/properties/X`).
    fn pointer(&self, reference: &str) -> Option<&'a Value> {
        let path = reference.strip_prefix('#')?;
        let schema: &'a Value = self.schema;
        schema.pointer(path)
    }

    /// The fields of an object node; `scope` is `""` for the resource, `Definition.` inside a
    /// nested type (how the supplement's formats are keyed).
    fn fields_of(
        &mut self,
        node: &Value,
        owner: &str,
        scope: &str,
        path: Option<String>,
    ) -> Vec<Field> {
        let required: BTreeSet<String> = strings(node.get("required")).into_iter().collect();
        let Some(props) = node.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        let mut fields = Vec::new();
        let mut methods = BTreeSet::from(["new".to_string()]);
        for (name, sub) in props {
            let full = path.as_ref().map(|p| format!("{p}/{name}"));
            if full.as_ref().is_some_and(|p| self.no_setter.contains(p)) {
                continue;
            }
            let mut ty = self.ty_of(sub, name, owner, full);
            if crate::read_only::holds(&ty, &self.output_only) {
                continue;
            }
            // The schema's own format wins: the supplement only fills in missing ones.
            let own_format = sub.get("format").is_some()
                || sub.get("items").is_some_and(|i| i.get("format").is_some())
                || crate::unions::alternatives(sub).is_some()
                || sub
                    .get("items")
                    .is_some_and(|i| crate::unions::alternatives(i).is_some());
            if let Some(format) = self
                .formats
                .get(&format!("{scope}{name}"))
                .filter(|_| !own_format)
            {
                ty = self.with_format(ty, format);
            }
            let mut checks = checks_of(sub);
            if let Some(def) = sub
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.pointer(r))
            {
                checks.extend(checks_of(def));
            }
            let method = unique(self.member_name(name), &mut methods);
            let method_item = match &ty {
                Ty::List(_) => Some(unique(format!("add_{method}"), &mut methods)),
                Ty::Map(_) => Some(unique(format!("insert_{method}"), &mut methods)),
                _ => None,
            };
            fields.push(Field {
                name: name.clone(),
                method,
                method_item,
                method_set: String::new(),
                ty,
                required: required.contains(name),
                create_only: false,
                may_replace: false,
                deprecated: false,
                checks,
                aliases: Vec::new(),
            });
        }
        // Named after every other method, so adding the `Option` setters never renames
        // an existing setter or item helper.
        for f in &mut fields {
            f.method_set = unique(
                format!("set_{}", f.method.trim_end_matches('_')),
                &mut methods,
            );
        }
        // In a stable service the names a plain case conversion gave (`provider_ar_ns`)
        // stay, deprecated, where they differ and no method holds them. (The other services
        // are new in this release: nothing to keep.)
        for f in &mut fields {
            let old = snake(&f.name);
            if !self.stable || old == f.method {
                continue;
            }
            let mut pairs = vec![
                (old.clone(), f.method.clone()),
                (
                    format!("set_{}", old.trim_end_matches('_')),
                    f.method_set.clone(),
                ),
            ];
            match (&f.ty, &f.method_item) {
                (Ty::List(_), Some(m)) => pairs.push((format!("add_{old}"), m.clone())),
                (Ty::Map(_), Some(m)) => pairs.push((format!("insert_{old}"), m.clone())),
                _ => {}
            }
            for (old, new) in pairs {
                if methods.insert(old.clone()) {
                    f.aliases.push((old, new));
                }
            }
        }
        fields
    }

    fn ty_of(&mut self, node: &Value, hint: &str, owner: &str, path: Option<String>) -> Ty {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let ty = self.ref_ty(r, hint, owner, path);
            // A format beside the `$ref` (Route 53's `AliasTarget.HostedZoneId`) says what
            // this use of a shared string definition refers to; alternatives beside it, any
            // one of several.
            if ty == Ty::Str
                && let Some(formats) = crate::unions::alternatives(node)
            {
                return self.union_ty(&formats, None).unwrap_or(ty);
            }
            return match node.get("format").and_then(Value::as_str) {
                Some(format) if matches!(ty, Ty::Str) => self.with_format(ty, format),
                _ => ty,
            };
        }
        let types = type_list(node);
        let has = |t: &str| types.contains(&t);
        if (types.is_empty() || types == ["string"])
            && let Some(ty) = crate::unions::alternatives(node).and_then(|f| {
                let pattern = node.get("pattern").and_then(Value::as_str);
                self.union_ty(&f, pattern)
            })
        {
            return ty;
        }
        if non_empty_object(node, "properties").is_some() && (types.is_empty() || has("object")) {
            let name = self.type_name_for(hint, owner);
            return Ty::Struct(self.struct_of(node, name, hint, path));
        }
        if let Some(merged) = self.merged_alternatives(node) {
            let name = self.type_name_for(hint, owner);
            return Ty::Struct(self.struct_of(&merged, name, hint, path));
        }
        let lone = |t: &str| types == [t] || (types.len() == 2 && has(t) && has("string"));
        // A string or a list of strings (AutoScaling's `TopicARN`): the list, which holds
        // every value the single string could.
        let list_or_item = types.len() == 2
            && has("array")
            && node
                .get("items")
                .map(type_list)
                .is_some_and(|item| types.iter().any(|t| *t != "array" && item == [*t]));
        if types == ["array"] || list_or_item || (types.is_empty() && node.get("items").is_some()) {
            let item = node.get("items").cloned().unwrap_or(Value::Null);
            let item_ty = if item.is_object() {
                self.ty_of(&item, hint, owner, path.map(|p| format!("{p}/*")))
            } else {
                Ty::Json
            };
            return Ty::List(Box::new(item_ty));
        }
        if has("object") || (types.is_empty() && node.get("patternProperties").is_some()) {
            if let Some(pp) = non_empty_object(node, "patternProperties") {
                let tys: BTreeSet<Ty> = pp
                    .values()
                    .map(|v| self.ty_of(v, hint, owner, path.as_ref().map(|p| format!("{p}/*"))))
                    .collect();
                let ty = if tys.len() == 1 {
                    tys.into_iter().next().unwrap_or(Ty::Json)
                } else {
                    Ty::Json
                };
                return Ty::Map(Box::new(ty));
            }
            if let Some(ap) = node
                .get("additionalProperties")
                .filter(|v| v.as_object().is_some_and(|m| !m.is_empty()))
            {
                let path = path.map(|p| format!("{p}/*"));
                return Ty::Map(Box::new(self.ty_of(ap, hint, owner, path)));
            }
            return json_or_policy(hint);
        }
        if types == ["string"]
            || (types.is_empty()
                && node
                    .get("enum")
                    .is_some_and(|e| e.as_array().is_some_and(|a| a.iter().all(Value::is_string))))
        {
            return self.string_ty(node, hint, owner, path.as_deref());
        }
        if lone("integer") {
            return Ty::Int;
        }
        if lone("number") {
            return Ty::Num;
        }
        if lone("boolean") {
            return Ty::Bool;
        }
        if types.is_empty() && node.get("format").is_some() {
            return self.string_ty(node, hint, owner, path.as_deref());
        }
        if types.is_empty()
            && let Some(ty) = self.structured_alternative(node, hint, owner)
        {
            return ty;
        }
        json_or_policy(hint)
    }

    /// `oneOf`/`anyOf` of one structured shape and a JSON fallback (DynamoDB's `KeySchema`
    /// also accepts a JSON string): the structured shape.
    fn structured_alternative(&mut self, node: &Value, hint: &str, owner: &str) -> Option<Ty> {
        let alternatives = node
            .get("oneOf")
            .or_else(|| node.get("anyOf"))
            .and_then(Value::as_array)
            .filter(|a| (2..=3).contains(&a.len()))?;
        let json_only = |v: &Value| {
            let t = type_list(v);
            v.get("$ref").is_none()
                && non_empty_object(v, "properties").is_none()
                && (t.contains(&"object")
                    || v.get("format").and_then(Value::as_str) == Some("json"))
        };
        let structured: Vec<&Value> = alternatives.iter().filter(|a| !json_only(a)).collect();
        match structured[..] {
            [one] if structured.len() < alternatives.len() => {
                Some(self.ty_of(one, hint, owner, None)).filter(|t| *t != Ty::Json)
            }
            _ => None,
        }
    }

    /// An object given only as `oneOf`/`anyOf` alternatives that each have properties
    /// (S3's `TargetObjectKeyFormat`): one struct with every alternative's properties, all
    /// optional; which combination is valid is left to the schema check at deploy.
    fn merged_alternatives(&self, node: &Value) -> Option<Value> {
        if non_empty_object(node, "properties").is_some() {
            return None;
        }
        let types = type_list(node);
        if !(types.is_empty() || types == ["object"]) {
            return None;
        }
        let alternatives = node
            .get("oneOf")
            .or_else(|| node.get("anyOf"))
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())?;
        let mut properties = serde_json::Map::new();
        for alt in alternatives {
            let alt = self.deref(alt);
            for (k, v) in non_empty_object(alt, "properties")? {
                properties.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        Some(serde_json::json!({"type": "object", "properties": properties}))
    }

    fn ref_ty(&mut self, reference: &str, hint: &str, owner: &str, path: Option<String>) -> Ty {
        let Some(target) = self.pointer(reference) else {
            return Ty::Json;
        };
        let Some(def) = reference
            .strip_prefix("#/definitions/")
            .filter(|d| !d.contains('/'))
        else {
            return self.ty_of(target, hint, owner, path);
        };
        // A use with read-only properties below it has a type of its own (without their
        // setters), memoised by where it is; every other use shares the definition's type.
        let memo = match path.as_deref() {
            Some(p) if self.no_setter.below(p) => {
                format!("{def}@{}", crate::read_only::ReadOnly::key(p))
            }
            _ => def.to_string(),
        };
        if let Some(ty) = self.defs.get(&memo) {
            return match ty {
                Ty::Json => json_or_policy(hint),
                other => other.clone(),
            };
        }
        let types = type_list(target);
        if non_empty_object(target, "properties").is_some()
            && (types.is_empty() || types.contains(&"object"))
        {
            // A type of its own for one use takes its owner's name as a prefix when other
            // uses share the definition, so the shared type keeps the definition's name.
            let name = if memo != def && crate::read_only::shared(self.schema, reference) {
                let own = unique(format!("{}{}", pascal(owner), pascal(def)), &mut self.taken);
                self.own_types.push((own.clone(), pascal(def)));
                own
            } else {
                self.type_name_for(def, owner)
            };
            // Memoised before the fields are read, so a recursive definition refers to itself.
            self.defs.insert(memo.clone(), Ty::Struct(name.clone()));
            let name = self.struct_of(target, name, def, path);
            self.defs.insert(memo, Ty::Struct(name.clone()));
            return Ty::Struct(name);
        }
        self.defs.insert(memo.clone(), Ty::Json);
        let hint_for = if target.get("enum").is_some() {
            def
        } else {
            hint
        };
        let ty = self.ty_of(target, hint_for, owner, path);
        // What an alias resolves to depends on the property name only for JSON.
        let alias = if ty == Ty::Policy {
            Ty::Json
        } else {
            ty.clone()
        };
        self.defs.insert(memo, alias);
        ty
    }

    /// A free type name for a nested type: the schema name, else prefixed by its owner.
    fn type_name_for(&mut self, base: &str, owner: &str) -> String {
        let plain = pascal(base);
        if !self.taken.contains(&plain) {
            self.taken.insert(plain.clone());
            return plain;
        }
        unique(format!("{}{plain}", pascal(owner)), &mut self.taken)
    }

    fn struct_of(
        &mut self,
        node: &Value,
        name: String,
        schema_name: &str,
        path: Option<String>,
    ) -> String {
        let slot = self.structs.len();
        self.structs.push(None);
        let read_only_below = path.as_deref().is_some_and(|p| self.no_setter.below(p));
        let fields = self.fields_of(node, &name, &format!("{schema_name}."), path);
        // Every member read-only: the object is output only, like its members.
        if fields.is_empty() && read_only_below {
            self.structs.remove(slot);
            self.output_only.insert(name.clone());
            return name;
        }
        // The same shape written out twice (inline and as a definition) is one type.
        let twin = self
            .structs
            .iter()
            .flatten()
            .find(|s| s.schema_name == schema_name && s.fields == fields);
        if let Some(twin) = twin {
            let twin = twin.name.clone();
            self.structs.remove(slot);
            self.taken.remove(&name);
            return twin;
        }
        self.structs[slot] = Some(StructDef {
            name: name.clone(),
            schema_name: schema_name.to_string(),
            fields,
        });
        name
    }

    /// A plain string (or list of them) given a supplement format takes its kind.
    fn with_format(&mut self, ty: Ty, format: &str) -> Ty {
        if crate::unions::is_union(format) {
            let formats: Vec<String> = format
                .split(crate::unions::SEPARATOR)
                .map(str::to_string)
                .collect();
            return match ty {
                Ty::Str => self.union_ty(&formats, None).unwrap_or(Ty::Str),
                Ty::List(item) if *item == Ty::Str => {
                    Ty::List(Box::new(self.with_format(Ty::Str, format)))
                }
                other => other,
            };
        }
        let Some((rust, of_type)) = format_kind(format) else {
            return ty;
        };
        match ty {
            Ty::Str if of_type != self.type_name => {
                self.kinds.insert(rust.clone(), format.to_string());
                Ty::Kind(rust)
            }
            Ty::List(item) if *item == Ty::Str => {
                Ty::List(Box::new(self.with_format(Ty::Str, format)))
            }
            other => other,
        }
    }

    /// The kind of a property that refers to any of `formats` ([`crate::unions`]), less the
    /// members whose values the property's own `pattern` rejects.
    fn union_ty(&mut self, formats: &[String], pattern: Option<&str>) -> Option<Ty> {
        let (rust, name) =
            crate::unions::kind_of(formats, self.type_name, pattern, &mut self.kinds)?;
        self.kinds.insert(rust.clone(), name);
        Some(Ty::Kind(rust))
    }

    fn string_ty(&mut self, node: &Value, hint: &str, owner: &str, path: Option<&str>) -> Ty {
        let values = strings(node.get("enum"));
        if !values.is_empty() {
            return Ty::Enum(self.enum_of(hint, owner, values));
        }
        let format = node.get("format").and_then(Value::as_str);
        if let Some((format, (rust, of_type))) = format.and_then(|f| format_kind(f).map(|k| (f, k)))
            && !(of_type == self.type_name && names_itself(path))
        {
            self.kinds.insert(rust.clone(), format.to_string());
            return Ty::Kind(rust);
        }
        Ty::Str
    }

    fn enum_of(&mut self, hint: &str, owner: &str, values: Vec<String>) -> String {
        let base = pascal(hint);
        let same = |e: &&EnumDef| e.variants.iter().map(|v| &v.1).eq(values.iter());
        if let Some(e) = self
            .enums
            .iter()
            .find(|e| same(e) && (e.schema_name == hint || e.name == base))
        {
            return e.name.clone();
        }
        let name = self.type_name_for(hint, owner);
        let mut taken = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let variants: Vec<(String, String)> = values
            .into_iter()
            .filter(|v| seen.insert(v.clone()))
            .map(|v| (unique(self.variant_name(&v), &mut taken), v))
            .collect();
        // The names a plain case conversion gave (`TlSv122021`) stay, deprecated, where
        // they differ and no variant holds them.
        let mut aliases = Vec::new();
        for (new, value) in &variants {
            let old = variant_name_before(value);
            if self.stable && old != *new && taken.insert(old.clone()) {
                aliases.push((old, new.clone()));
            }
        }
        self.enums.push(EnumDef {
            name: name.clone(),
            schema_name: hint.to_string(),
            variants,
            aliases,
        });
        name
    }

    /// Follows `$ref`s (a few levels: aliases of aliases exist).
    fn deref(&self, mut node: &'a Value) -> &'a Value {
        for _ in 0..8 {
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.pointer(r))
            {
                Some(target) => node = target,
                None => break,
            }
        }
        node
    }

    fn constraints(
        &self,
        node: &'a Value,
        path: String,
        defs: &mut Vec<&'a str>,
        out: &mut Vec<(String, CheckSpec)>,
    ) {
        if defs.len() > MAX_DEPTH {
            return;
        }
        let mut pushed = false;
        let mut node = node;
        for check in checks_of(node) {
            out.push((path.clone(), check));
        }
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            if defs.contains(&r) {
                return;
            }
            match self.pointer(r) {
                Some(target) => {
                    defs.push(r);
                    pushed = true;
                    node = self.deref(target);
                    for check in checks_of(node) {
                        if !out.iter().any(|(p, c)| *p == path && *c == check) {
                            out.push((path.clone(), check));
                        }
                    }
                }
                None => return,
            }
        }
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (name, sub) in props {
                self.constraints(sub, format!("{path}/{name}"), defs, out);
            }
        }
        if let Some(items) = node.get("items").filter(|v| v.is_object()) {
            self.constraints(items, format!("{path}/*"), defs, out);
        }
        // Several patterns mean several value shapes: which applies depends on the key.
        if let Some(pp) = non_empty_object(node, "patternProperties")
            && pp.len() == 1
        {
            for sub in pp.values() {
                self.constraints(sub, format!("{path}/*"), defs, out);
            }
        }
        if pushed {
            defs.pop();
        }
    }

    /// Finds the schema node of a read-only path such as `/properties/Endpoint/Address`.
    fn node_at(&self, path: &str) -> Option<&'a Value> {
        let mut node = self.schema;
        let mut segments = path.trim_start_matches('/').split('/');
        if segments.next() != Some("properties") {
            return None;
        }
        for seg in segments {
            node = self.deref(node);
            node = node.get("properties")?.get(seg)?;
        }
        Some(self.deref(node))
    }

    /// `TableName` on a `Table` -> `Name`, as cfn-lint's format names do.
    fn stripped(&self, attr: &str) -> String {
        let joined: String = attr.split('.').map(pascal).collect();
        match joined.strip_prefix(&pascal(&self.resource)) {
            Some(rest)
                if !rest.is_empty() && rest.starts_with(|c: char| c.is_ascii_uppercase()) =>
            {
                rest.to_string()
            }
            _ => joined,
        }
    }

    /// A `reference()` getter of the type's own `Ref` kind (`EventsRuleRef`), for a `Ref`
    /// that is no single property's value.
    fn opaque_ref(&mut self, methods: &mut BTreeSet<String>) -> Attribute {
        let rust = format!("{}Ref", self.prefix);
        self.kinds
            .insert(rust.clone(), format!("{}.Ref", self.type_name));
        Attribute {
            name: String::new(),
            method: unique("reference".to_string(), methods),
            ty: Ty::Kind(rust),
        }
    }

    fn attr_ty(&mut self, node: Option<&Value>, attr: &str) -> Option<Ty> {
        let types = node.map(type_list).unwrap_or_default();
        let string_kind = |b: &mut Self| {
            // An attribute whose schema lists several formats is any one of them: an EC2
            // security group's `Id` (what its `Ref` returns) is `anyOf` the group's ID and its
            // name, the name in a default VPC. Typing it by one member would let a name
            // reach a property that takes only IDs.
            if let Some(formats) = node.and_then(crate::unions::alternatives)
                && formats.len() > 1
                && let Some((rust, name)) = crate::unions::kind_of(&formats, "", None, &mut b.kinds)
            {
                b.kinds.insert(rust.clone(), name);
                return Ty::Kind(rust);
            }
            let format = node.and_then(|n| n.get("format")).and_then(Value::as_str);
            let (rust, name) = match format.and_then(|f| format_kind(f).map(|k| (f, k.0))) {
                Some((format, rust)) => (rust, format.to_string()),
                None => {
                    let stripped = b.stripped(attr);
                    (
                        format!("{}{stripped}", b.prefix),
                        format!("{}.{stripped}", b.type_name),
                    )
                }
            };
            b.kinds.entry(rust.clone()).or_insert(name);
            Ty::Kind(rust)
        };
        let has = |t: &str| types.contains(&t);
        Some(
            if node.is_some_and(|n| non_empty_object(n, "properties").is_some())
                || (has("object") && !has("string"))
            {
                Ty::Json
            } else if has("array") {
                let items = node.and_then(|n| n.get("items")).map(|i| self.deref(i));
                let item_types = items.map(type_list).unwrap_or_default();
                if item_types.contains(&"object")
                    || item_types.contains(&"array")
                    || items.is_some_and(|i| i.get("properties").is_some())
                {
                    return None;
                }
                // A list attribute's items keep the kind their format names (an ALB's
                // `SecurityGroups` are group IDs), as a list property's items do.
                let item_kind = items
                    .and_then(|i| i.get("format"))
                    .and_then(Value::as_str)
                    .and_then(|f| format_kind(f).map(|(rust, _)| (rust, f.to_string())));
                Ty::List(Box::new(match (item_types.first(), item_kind) {
                    (Some(&"integer"), _) => Ty::Int,
                    (Some(&"number"), _) => Ty::Num,
                    (Some(&"boolean"), _) => Ty::Bool,
                    (_, Some((rust, format))) => {
                        self.kinds.entry(rust.clone()).or_insert(format);
                        Ty::Kind(rust)
                    }
                    _ => Ty::Str,
                }))
            } else if types == ["integer"] {
                Ty::Int
            } else if types == ["number"] {
                Ty::Num
            } else if types == ["boolean"] {
                Ty::Bool
            } else {
                string_kind(self)
            },
        )
    }

    /// The scalar members of the object at dotted `path` (recursively; lists and maps are
    /// leaves), or nothing when it is no object with properties.
    fn leaves(&self, path: &str, depth: usize, out: &mut BTreeSet<String>) {
        if depth > MAX_DEPTH || path.split('.').any(|seg| seg == "*") {
            return;
        }
        let Some(node) = self.node_at(&format!("/properties/{}", path.replace('.', "/"))) else {
            return;
        };
        let Some(props) = non_empty_object(node, "properties") else {
            return;
        };
        for name in props.keys() {
            let child = format!("{path}.{name}");
            let before = out.len();
            self.leaves(&child, depth + 1, out);
            if out.len() == before {
                out.insert(child);
            }
        }
    }

    /// The `Ref` value and the `Fn::GetAtt` attributes. `ref_property` names the property
    /// `Ref` returns per the AWS service spec (`crate::reference`), if it records one: when
    /// the primary identifier has several parts, `Ref` has that property's kind (so it is
    /// accepted wherever the property's value is); when the spec's answer differs from a
    /// single primary identifier, it wins. When the spec's answer has several parts
    /// (`composite`), `Ref` is none of them and gets an opaque kind of its own.
    fn attributes(
        &mut self,
        extra: &[String],
        not_attributes: &BTreeSet<String>,
        ref_property: Option<&str>,
        composite: bool,
        gettable: Option<&BTreeSet<String>>,
    ) -> (Option<Attribute>, Vec<Attribute>) {
        let mut methods = BTreeSet::new();
        let ids = strings(self.schema.get("primaryIdentifier"));
        let reference = match &ids[..] {
            // `Ref` joins several properties (an EventBridge rule on a custom bus gives
            // `bus|name`): neither part's kind fits, and the primary identifier is not it
            // either, so that stays a `Fn::GetAtt` below.
            _ if composite => Some(self.opaque_ref(&mut methods)),
            // The service spec says `Ref` returns another property (an EventBridge rule's
            // `Name`, not its `Arn`): the getter of that property is the `Ref`; the primary
            // identifier stays only as a `Fn::GetAtt`, if gettable (see `crate::reference`).
            [_] if crate::reference::differs(&ids, ref_property) => {
                let prop = ref_property.unwrap_or_default();
                let node = self.node_at(&format!("/properties/{prop}"));
                self.attr_ty(node, prop).map(|ty| Attribute {
                    method: unique(snake(&self.stripped(prop)), &mut methods),
                    name: prop.to_string(),
                    ty,
                })
            }
            // The spec agrees, or records nothing: `Ref` returns the primary identifier.
            [one] => {
                let attr = one.trim_start_matches("/properties/").replace('/', ".");
                let node = self.node_at(one);
                self.attr_ty(node, &attr).map(|ty| Attribute {
                    method: unique(snake(&self.stripped(&attr)), &mut methods),
                    name: attr,
                    ty,
                })
            }
            _ if ref_property.is_some() => {
                let prop = ref_property.unwrap_or_default();
                let node = self.node_at(&format!("/properties/{prop}"));
                self.attr_ty(node, prop).map(|ty| Attribute {
                    name: String::new(),
                    method: unique("reference".to_string(), &mut methods),
                    ty,
                })
            }
            _ => Some(self.opaque_ref(&mut methods)),
        };
        let mut paths: BTreeSet<String> = self
            .read_only
            .iter()
            .map(|p| p.trim_start_matches("/properties/").replace('/', "."))
            .collect();
        paths.extend(extra.iter().cloned());
        paths.retain(|p| !not_attributes.contains(p));
        // An object-valued attribute is read through its members (`Endpoint.Address`), the
        // only names GetAtt accepts for most such objects; then only names the GetAtt table
        // holds remain (the object itself stays where the table accepts it).
        let mut leaves = BTreeSet::new();
        for p in &paths {
            self.leaves(p, 0, &mut leaves);
        }
        paths.extend(leaves);
        // GetAtt cannot index into a list: `Replicas.*.Arn` is no attribute name.
        paths.retain(|p| !p.split('.').any(|seg| seg == "*"));
        if let Some(gettable) = gettable {
            paths.retain(|p| gettable.contains(p));
        }
        let mut attributes = Vec::new();
        for attr in paths {
            // `Ref` already gives this value under the same getter name.
            if reference.as_ref().is_some_and(|r| r.name == attr) {
                continue;
            }
            let node = self.node_at(&format!("/properties/{}", attr.replace('.', "/")));
            let Some(ty) = self.attr_ty(node, &attr) else {
                continue;
            };
            let short = snake(&self.stripped(&attr));
            let method = if methods.contains(&short) {
                unique(snake(&attr), &mut methods)
            } else {
                unique(short, &mut methods)
            };
            attributes.push(Attribute {
                name: attr,
                method,
                ty,
            });
        }
        (reference, attributes)
    }
}

/// An enum variant for a schema value: `SELF` (CloudFormation StackSet's `CallAs`) would be
/// the keyword `Self`, so it is `SelfValue`.
fn variant_name(value: &str) -> String {
    match variant(value) {
        s if s == "Self" => "SelfValue".to_string(),
        s => s,
    }
}

/// The variant name a plain case conversion gave, kept as a deprecated alias.
fn variant_name_before(value: &str) -> String {
    match pascal(value) {
        s if s == "Self" => "SelfValue".to_string(),
        s => s,
    }
}

fn json_or_policy(hint: &str) -> Ty {
    if POLICY_NAMES.contains(&hint) {
        Ty::Policy
    } else {
        Ty::Json
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(schema: Value, extras: &Extras) -> ResourceModel {
        build("AWS::Test::Thing", &schema, extras).expect("builds")
    }

    fn field<'m>(m: &'m ResourceModel, owner: Option<&str>, name: &str) -> &'m Field {
        let fields = match owner {
            None => &m.fields,
            Some(s) => {
                &m.structs
                    .iter()
                    .find(|d| d.name == s)
                    .expect("struct")
                    .fields
            }
        };
        fields.iter().find(|f| f.name == name).expect("field")
    }

    #[test]
    fn a_value_or_a_list_of_values_is_the_list() {
        let m = model(
            json!({"properties": {"TopicARN": {"type": ["string", "array"],
                "items": {"type": "string", "format": "AWS::SNS::Topic.Arn"}}}}),
            &Extras::default(),
        );
        assert_eq!(
            field(&m, None, "TopicARN").ty,
            Ty::List(Box::new(Ty::Kind("SnsTopicArn".into())))
        );
    }

    /// A format naming the type's own attribute is the resource's own name at the top
    /// level (left a string), and another resource of the type deeper down (typed): a
    /// security group rule's `SourceSecurityGroupId` names another group.
    #[test]
    fn an_own_type_format_is_typed_below_the_top_level() {
        let m = model(
            json!({"definitions": {"Rule": {"type": "object", "properties": {
                     "SourceThingId": {"type": "string", "format": "AWS::Test::Thing.Id"}}}},
                   "properties": {
                     "ThingName": {"type": "string", "format": "AWS::Test::Thing.Name"},
                     "Rules": {"type": "array", "items": {"$ref": "#/definitions/Rule"}}}}),
            &Extras::default(),
        );
        assert_eq!(field(&m, None, "ThingName").ty, Ty::Str);
        assert_eq!(
            field(&m, Some("Rule"), "SourceThingId").ty,
            Ty::Kind("TestThingId".into())
        );
        assert!(names_itself(Some("/properties/BucketName")) && names_itself(None));
        assert!(!names_itself(Some(
            "/properties/Ingress/*/SourceSecurityGroupId"
        )));
    }

    #[test]
    fn a_format_beside_a_ref_types_the_string() {
        let m = model(
            json!({"definitions": {"Id": {"type": "string", "maxLength": 44},
                   "Target": {"type": "object", "properties": {"HostedZoneId":
                     {"$ref": "#/definitions/Id", "format": "AWS::Route53::HostedZone.Id"}}}},
                   "properties": {"Target": {"$ref": "#/definitions/Target"},
                                  "Plain": {"$ref": "#/definitions/Id"}}}),
            &Extras::default(),
        );
        assert_eq!(
            field(&m, Some("Target"), "HostedZoneId").ty,
            Ty::Kind("Route53HostedZoneId".into())
        );
        // The shared definition itself stays a plain string elsewhere.
        assert_eq!(field(&m, None, "Plain").ty, Ty::Str);
    }

    #[test]
    fn getters_name_only_gettable_attributes() {
        let schema = json!({
            "definitions": {"Endpoint": {"type": "object", "properties": {
                "Address": {"type": "string"}, "Port": {"type": "string"}}}},
            "properties": {
                "Name": {"type": "string"},
                "Endpoint": {"$ref": "#/definitions/Endpoint"},
                "Replicas": {"type": "array", "items": {"type": "object",
                    "properties": {"Arn": {"type": "string"}}}}},
            "readOnlyProperties": ["/properties/Endpoint", "/properties/Replicas/*/Arn"],
            "primaryIdentifier": ["/properties/Name"]});
        let mut extras = Extras::default();
        extras
            .attributes
            .insert("AWS::Test::Thing".into(), vec!["Id".into()]);
        // No GetAtt table: the object is read through its members, never inside a list.
        let names = |m: &ResourceModel| -> Vec<String> {
            m.attributes.iter().map(|a| a.name.clone()).collect()
        };
        let m = model(schema.clone(), &extras);
        assert_eq!(
            names(&m),
            ["Endpoint", "Endpoint.Address", "Endpoint.Port", "Id"]
        );
        assert_eq!(m.attributes[1].method, "endpoint_address");
        // With the table, only the names it holds remain (`Id` from the spec does not).
        extras.getatts.insert(
            "AWS::Test::Thing".into(),
            ["Endpoint.Address", "Endpoint.Port"]
                .map(String::from)
                .into(),
        );
        assert_eq!(
            names(&model(schema.clone(), &extras)),
            ["Endpoint.Address", "Endpoint.Port"]
        );
        // A table without the type offers nothing.
        extras.getatts = BTreeMap::from([("AWS::Other::Thing".into(), BTreeSet::new())]);
        assert!(names(&model(schema, &extras)).is_empty());
    }
}
