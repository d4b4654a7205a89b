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
//!
//! The builder's parts: `fields` (an object's fields and enums), `types` (a node's
//! Rust type), `checks` (literal checks and constraint paths), `attributes` (`Ref`
//! and `Fn::GetAtt`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{Attribute, CheckSpec, EnumDef, Field, ResourceModel, StructDef, Ty};
use crate::names::{member, pascal, snake, unique, variant};
use crate::schemas::Extras;

mod attributes;
mod checks;
mod fields;
pub mod id_kinds;
#[cfg(test)]
mod tests;
mod types;

pub use checks::{checks_of, listed_values};

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
    /// Whether a string property whose pattern admits ARNs only or whose name says ARN
    /// ([`crate::arn_names`]), and which nothing else types, takes `AnyArn` ([`build_with`]).
    arn_patterns: bool,
    /// The pointers of the ARN-name exclusions that held a property back.
    held: BTreeSet<String>,
    /// The ID-pattern rule's prefix -> kind map ([`Extras::id_prefixes`]).
    id_prefixes: &'a BTreeMap<String, String>,
    /// The pointers of the ID-name entries that typed a property ([`id_kinds`]).
    id_used: BTreeSet<String>,
}

/// Builds the model of `type_name` from its schema and the hand-kept supplement (attributes
/// `readOnlyProperties` misses, formats of properties that refer to other resources).
pub fn build(type_name: &str, schema: &Value, extras: &Extras) -> Result<ResourceModel, String> {
    build_with(type_name, schema, extras, true)
}

/// [`build`]; with `arn_patterns`, a string property (or list of them) that no format, no
/// correction and no supplement or same-name format types, but whose own `pattern` admits
/// ARNs only ([`crate::any_arn::demands_arn`]) or whose name says ARN and which is no
/// reviewed exclusion ([`crate::arn_names`]), takes `AnyArn`. Without, it stays a plain
/// string: the same-name rule reads such models, so an untyped `KmsKeyArn` can still take
/// the key ARN kind its name has elsewhere before the generic kind is given.
///
/// # Errors
/// With `arn_patterns`, an ARN-name exclusion of the type that names no property or holds
/// back none (another rule types it, or it has no setter): the exclusion must be reviewed.
pub fn build_with(
    type_name: &str,
    schema: &Value,
    extras: &Extras,
    arn_patterns: bool,
) -> Result<ResourceModel, String> {
    let corrected;
    let schema = match extras.corrections.get(type_name) {
        Some(c) => {
            corrected = crate::corrections::apply(type_name, schema.clone(), c)?;
            &corrected
        }
        None => schema,
    };
    let bounded;
    let schema = match extras.bounds.get(type_name) {
        Some(b) => {
            bounded = crate::value_bounds::apply(type_name, schema.clone(), b)?;
            &bounded
        }
        None => schema,
    };
    let marked;
    let exclusions = extras
        .arn_name_exclusions
        .get(type_name)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let schema = if exclusions.is_empty() {
        schema
    } else {
        marked = crate::arn_names::mark(type_name, schema.clone(), exclusions)?;
        &marked
    };
    // The ID-name rule's reviewed entries, marked on their nodes (`id_kinds`).
    let id_entries = match extras.id_names.get(type_name) {
        Some(e) if arn_patterns => e.as_slice(),
        _ => &[],
    };
    let id_marked;
    let schema = if id_entries.is_empty() {
        schema
    } else {
        id_marked = id_kinds::mark(type_name, schema.clone(), id_entries)?;
        &id_marked
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
        arn_patterns,
        held: BTreeSet::new(),
        id_prefixes: &extras.id_prefixes,
        id_used: BTreeSet::new(),
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
    // An `allOf` item stating only `properties` constrains them whatever else is set.
    for (name, node) in crate::all_of::unconditional(schema) {
        if !b.read_only.contains(&format!("/properties/{name}")) {
            b.constraints(node, name.to_string(), &mut Vec::new(), &mut constraints);
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
    if arn_patterns && let Some(idle) = exclusions.iter().find(|e| !b.held.contains(&e.pointer)) {
        return Err(format!(
            "{type_name}: the ARN-name exclusion at {} holds back no property (another rule \
             types it, or it has no setter: review {})",
            idle.pointer,
            crate::arn_names::EXCLUSIONS_FILE
        ));
    }
    id_kinds::idle(type_name, id_entries, &b.id_used)?;
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

/// Registry formats whose type part is no resource type, with the type whose value they
/// are, that value (`Ref` or an attribute) and the AWS documentation page that says so:
/// `AWS::ACM::Certificate.Arn` (the registry's name) is the `Ref` of
/// `AWS::CertificateManager::Certificate`, a certificate's ARN. The kind is named after the
/// real type (`CertificateManagerCertificateArn`); its format string stays the registry's,
/// which the schemas and cfn-lint use.
pub const FORMAT_TYPES: &[(&str, &str, &str, &str)] = &[(
    "AWS::ACM::Certificate.Arn",
    "AWS::CertificateManager::Certificate",
    "Ref",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html#aws-resource-certificatemanager-certificate-return-values",
)];

/// The [`FORMAT_TYPES`] row of `format`: `(real type, value, source)`.
pub fn format_type(format: &str) -> Option<(&'static str, &'static str, &'static str)> {
    FORMAT_TYPES
        .iter()
        .find(|(f, ..)| *f == format)
        .map(|(_, t, v, s)| (*t, *v, *s))
}

/// `format` as `(type, attribute)`, the type part replaced by the real type of a
/// [`FORMAT_TYPES`] row unless `registry` (the name the registry's format spells, which
/// earlier releases used for the kind's Rust name).
pub fn format_parts(format: &str, registry: bool) -> Option<(&str, &str)> {
    let (type_name, attr) = format.split_once('.')?;
    match format_type(format) {
        Some((real, ..)) if !registry => Some((real, attr)),
        _ => Some((type_name, attr)),
    }
}

/// The Rust name of a format kind such as `AWS::IAM::Role.Arn` (`IamRoleArn`), if the
/// format names a resource attribute, and the resource type it belongs to.
pub fn format_kind(format: &str) -> Option<(String, String)> {
    format_kind_as(format, false)
}

/// [`format_kind`] with the Rust name the registry's spelling gives when `registry`
/// (`AcmCertificateArn`), kept as a deprecated alias.
pub fn format_kind_as(format: &str, registry: bool) -> Option<(String, String)> {
    if format == crate::any_arn::ANY_ARN_FORMAT {
        return Some((crate::any_arn::ANY_ARN_KIND.to_string(), String::new()));
    }
    let (type_name, attr) = format_parts(format, registry)?;
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

fn json_or_policy(hint: &str) -> Ty {
    if POLICY_NAMES.contains(&hint) {
        Ty::Policy
    } else {
        Ty::Json
    }
}

impl<'a> Builder<'a> {
    /// Resolves a local JSON pointer (`#/definitions/X`, `#/properties/X`).
    fn pointer(&self, reference: &str) -> Option<&'a Value> {
        let path = reference.strip_prefix('#')?;
        let schema: &'a Value = self.schema;
        schema.pointer(path)
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
}
