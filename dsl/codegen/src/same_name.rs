//! Reference kinds inferred from the same property typed elsewhere: the *same-name rule*.
//!
//! The registry `format`s and the AWS service spec's `relationshipRefs` type a property that
//! refers to another resource's attribute, but both miss many: `SubnetIds` is typed on
//! `AWS::RDS::DBSubnetGroup` (spec) and a plain string on `AWS::DocDB::DBSubnetGroup`, with
//! the same schema shape (a list of strings) and the same meaning ("the Amazon EC2 subnet
//! IDs for the subnet group"). A plain `Str` takes every kind, so a VPC ID compiled as a
//! subnet there.
//!
//! The rule, applied by [`infer`] over the models the builder made from the schemas and the
//! supplement: an untyped property (a `Str`, or a list of `Str`) takes the format that the
//! properties of the **same name and the same shape** (scalar or list) are typed with
//! elsewhere, when
//! 1. every typed use of that name and shape names the **same** format (one kind, or one
//!    union); a name typed with two different kinds is ambiguous and left alone;
//! 2. the name **names the target**: without its suffix (`Id`, `Ids`, `Identifier`, `Arn`,
//!    `Name`...) it ends with the target's resource name (`SubnetIds` -> `Subnet`,
//!    `DBSubnetGroupName` -> `DBSubnetGroup`), and the suffix states the target attribute's
//!    form (an `...Id` name takes an `Id`, an `...Arn` name an `Arn`); a name with no suffix
//!    (`Subnets`, `Role`) states no form (a role's name or ARN?) and is inferred only in a
//!    service where it is already typed that way;
//! 3. the property's own service has **no resource of the target's name** (DocDB's
//!    `DBSubnetGroupName` names DocDB's own subnet group, not RDS's; FSx's `FileSystemId`
//!    an FSx file system, not an EFS one);
//! 4. a target resource name several services have (`Cluster`, `Table`, `Domain`) is
//!    inferred only in the target's service or a service where the name is already typed
//!    that way: elsewhere the name may mean that service's own kind;
//! 5. the name is not in the reviewed exclusion list ([`EXCLUSIONS_FILE`]), each entry with
//!    why the name is ambiguous although the rule holds.
//!
//! The inferred formats are fed to the builder as supplement formats (`Prop` or
//! `Definition.Prop`), so the schema's own formats and reviewed corrections still win.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::model::{ResourceModel, Ty};

/// The reviewed exclusions of the same-name rule, relative to the workspace root.
pub const EXCLUSIONS_FILE: &str = "dsl/codegen/data/same_name_exclusions.json";

/// Name suffixes that state the form of the value, longest first, with the attribute
/// suffixes that have that form.
const FORMS: &[(&str, &[&str])] = &[
    ("Identifiers", &["Id", "Identifier"]),
    ("Identifier", &["Id", "Identifier"]),
    ("ARNs", &["Arn", "ARN"]),
    ("Arns", &["Arn", "ARN"]),
    ("ARN", &["Arn", "ARN"]),
    ("Arn", &["Arn", "ARN"]),
    ("Names", &["Name"]),
    ("Name", &["Name"]),
    ("Ids", &["Id", "Identifier"]),
    ("IDs", &["Id", "Identifier"]),
    ("Id", &["Id", "Identifier"]),
    ("ID", &["Id", "Identifier"]),
];

/// In how many services a name that states no form (`Subnets`) must be typed one way to be
/// inferred outside them (rule 2 of the module docs).
pub const SERVICES_FOR_NO_FORM: usize = 3;

/// One untyped property the rule types.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Inferred {
    /// The type it belongs to.
    pub type_name: String,
    /// The supplement key: `Prop` or `Definition.Prop`.
    pub key: String,
    /// The format it takes (one attribute, or a union joined by [`crate::unions::SEPARATOR`]).
    pub format: String,
}

/// What [`infer`] found.
#[derive(Clone, Debug, Default)]
pub struct Inference {
    /// The properties typed, sorted.
    pub inferred: Vec<Inferred>,
    /// The exclusion entries that held back at least one property (the rest are stale).
    pub used_exclusions: BTreeSet<String>,
}

/// Loads [`EXCLUSIONS_FILE`] below `root`: the excluded names with why.
///
/// # Errors
/// The file cannot be read or parsed, or an entry lacks a `name` or a `reason`.
pub fn load_exclusions(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let path = root.join(EXCLUSIONS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_exclusions(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the exclusions (see [`load_exclusions`]).
///
/// # Errors
/// As [`load_exclusions`], less the file access.
pub fn parse_exclusions(text: &str) -> Result<BTreeMap<String, String>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let entries = v
        .get("exclusions")
        .and_then(Value::as_array)
        .ok_or("no `exclusions` list")?;
    let mut out = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let field = |name: &str| {
            e.get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
                .ok_or_else(|| format!("exclusion {i}: no `{name}`"))
        };
        // An entry with a `type` and a `key` holds back that one property; one with only a
        // `name` every property of that name.
        let id = match (
            e.get("type").and_then(Value::as_str),
            e.get("key").and_then(Value::as_str),
        ) {
            (Some(t), Some(k)) => format!("{t} {k}"),
            (None, None) => field("name")?,
            _ => {
                return Err(format!(
                    "exclusion {i}: give both `type` and `key`, or neither"
                ));
            }
        };
        if out.insert(id.clone(), field("reason")?).is_some() {
            return Err(format!("exclusion {i}: `{id}` listed twice"));
        }
    }
    Ok(out)
}

/// The resource part of a type name (`Subnet` of `AWS::EC2::Subnet`).
fn resource(type_name: &str) -> &str {
    type_name.rsplit("::").next().unwrap_or(type_name)
}

/// The service of a type name (`AWS::EC2` of `AWS::EC2::Subnet`).
fn service(type_name: &str) -> &str {
    type_name.rsplit_once("::").map_or(type_name, |(s, _)| s)
}

/// `name` split into its stem and the attribute suffixes its form suffix allows:
/// `SubnetIds` -> (`Subnet`, `[Id, Identifier]`); no form suffix -> (`name`, none).
fn form(name: &str) -> (&str, Option<&'static [&'static str]>) {
    for (suffix, attrs) in FORMS {
        if let Some(stem) = name.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return (stem, Some(attrs));
        }
    }
    (name.strip_suffix('s').unwrap_or(name), None)
}

/// Whether `name` names the attribute `member` (`AWS::EC2::Subnet.Id`): rule 2 of the
/// module docs. `Some(true)` when it names it and states its form, `Some(false)` when it
/// names the resource but states no form, `None` when it does not name it.
fn names_member(name: &str, member: &str) -> Option<bool> {
    let (type_name, attr) = member.split_once('.')?;
    let (stem, attrs) = form(name);
    if !stem
        .to_ascii_lowercase()
        .ends_with(&resource(type_name).to_ascii_lowercase())
    {
        return None;
    }
    match attrs {
        Some(attrs) => attrs.iter().any(|a| attr.ends_with(a)).then_some(true),
        None => Some(false),
    }
}

/// A field's type as `(list, format)`: a string or a list of strings, with the format of its
/// kind (`None` for a plain `Str`). Other types are no candidates.
fn shape(ty: &Ty, kinds: &BTreeMap<String, String>) -> Option<(bool, Option<String>)> {
    let (list, item) = match ty {
        Ty::List(item) => (true, item.as_ref()),
        other => (false, other),
    };
    match item {
        Ty::Str => Some((list, None)),
        Ty::Kind(rust) => Some((list, Some(kinds.get(rust)?.clone()))),
        _ => None,
    }
}

/// One string property: `(type, key, name, list, format)`.
type Use = (String, String, String, bool, Option<String>);

/// Every string property of `models`.
fn uses(models: &BTreeMap<String, ResourceModel>) -> Vec<Use> {
    let mut out = Vec::new();
    for (type_name, m) in models {
        let top = m.fields.iter().map(|f| (String::new(), f));
        let nested = m.structs.iter().flat_map(|s| {
            s.fields
                .iter()
                .map(move |f| (format!("{}.", s.schema_name), f))
        });
        for (scope, f) in top.chain(nested) {
            if let Some((list, format)) = shape(&f.ty, &m.kinds) {
                out.push((
                    type_name.clone(),
                    format!("{scope}{}", f.name),
                    f.name.clone(),
                    list,
                    format,
                ));
            }
        }
    }
    out
}

/// Whether every member of `format` names a resource attribute (no `AnyArn`, no
/// `date-time`).
fn resource_format(format: &str) -> bool {
    format
        .split(crate::unions::SEPARATOR)
        .all(|m| m != crate::any_arn::ANY_ARN_FORMAT && crate::build::format_kind(m).is_some())
}

/// Applies the same-name rule (module docs) to `models`, built from every type in
/// `type_names`, with the reviewed `exclusions`.
pub fn infer<'t>(
    models: &BTreeMap<String, ResourceModel>,
    type_names: impl IntoIterator<Item = &'t String>,
    exclusions: &BTreeMap<String, String>,
) -> Inference {
    // Types by lower-case resource name, for rules 3 and 4.
    let mut by_resource: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for t in type_names {
        by_resource
            .entry(resource(t).to_ascii_lowercase())
            .or_default()
            .insert(t.as_str());
    }
    let all = uses(models);
    let mut groups: BTreeMap<(&str, bool), Vec<&Use>> = BTreeMap::new();
    for u in &all {
        groups.entry((u.2.as_str(), u.3)).or_default().push(u);
    }
    let mut out = Inference::default();
    for ((name, _), group) in groups {
        let typed: BTreeSet<&str> = group.iter().filter_map(|u| u.4.as_deref()).collect();
        // Rule 1: one format over every typed use.
        let [format] = typed.into_iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        if !resource_format(format) {
            continue;
        }
        let members: Vec<&str> = format.split(crate::unions::SEPARATOR).collect();
        let targets: BTreeSet<&str> = members
            .iter()
            .filter_map(|m| m.split_once('.').map(|(t, _)| t))
            .collect();
        // Rule 2, on any member (a key's `KmsKeyId` names the key, not its alias).
        let named: Vec<bool> = members
            .iter()
            .filter_map(|m| names_member(name, m))
            .collect();
        if named.is_empty() {
            continue;
        }
        let form_stated = named.iter().any(|b| *b);
        let evidence: BTreeSet<&str> = group
            .iter()
            .filter(|u| u.4.is_some())
            .map(|u| service(&u.0))
            .chain(targets.iter().map(|t| service(t)))
            .collect();
        let typed_services = group
            .iter()
            .filter(|u| u.4.is_some())
            .map(|u| service(&u.0))
            .collect::<BTreeSet<_>>()
            .len();
        let shared = targets.iter().any(|t| {
            by_resource
                .get(&resource(t).to_ascii_lowercase())
                .is_some_and(|ts| ts.len() > 1)
        });
        for u in group.iter().filter(|u| u.4.is_none()) {
            let (type_name, key) = (&u.0, &u.1);
            let own = service(type_name);
            // A property of the target type itself is its own value or another of its kind:
            // left to the schema.
            if targets.contains(type_name.as_str()) {
                continue;
            }
            // Rule 3: the own service has a resource of the target's name, or one whose name
            // ends with it (a `GlobalTable`'s `TableName` is its own name, a
            // `WebFunctionEndpoint`'s `FunctionName` a web function's).
            let shadowed = targets.iter().any(|t| {
                let target = resource(t).to_ascii_lowercase();
                by_resource.iter().any(|(r, ts)| {
                    r.ends_with(&target)
                        && ts.iter().any(|o| service(o) == own && !targets.contains(o))
                })
            });
            if shadowed {
                continue;
            }
            // Rule 4: only where the name is typed that way already.
            if shared && !evidence.contains(own) {
                continue;
            }
            // Rule 2, a name that states no form: where it is typed that way already, or
            // typed that way in at least `SERVICES_FOR_NO_FORM` services (then the name
            // means the target across AWS: `Subnets`).
            if !form_stated && !evidence.contains(own) && typed_services < SERVICES_FOR_NO_FORM {
                continue;
            }
            // Rule 5: the name, or this one property.
            let one = format!("{type_name} {key}");
            if let Some(id) = [name, one.as_str()]
                .into_iter()
                .find(|id| exclusions.contains_key(*id))
            {
                out.used_exclusions.insert(id.to_string());
                continue;
            }
            out.inferred.push(Inferred {
                type_name: type_name.clone(),
                key: key.clone(),
                format: format.to_string(),
            });
        }
    }
    out.inferred.sort();
    out
}

/// `formats` (the supplement's, by type and key) with `inferred` added where no format is
/// given yet.
pub fn merge(formats: &mut BTreeMap<String, BTreeMap<String, String>>, inferred: &[Inferred]) {
    for i in inferred {
        formats
            .entry(i.type_name.clone())
            .or_default()
            .entry(i.key.clone())
            .or_insert_with(|| i.format.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_must_name_the_target_and_its_form() {
        assert_eq!(names_member("SubnetIds", "AWS::EC2::Subnet.Id"), Some(true));
        assert_eq!(names_member("Subnets", "AWS::EC2::Subnet.Id"), Some(false));
        assert_eq!(
            names_member("DBSubnetGroupName", "AWS::RDS::DBSubnetGroup.Name"),
            Some(true)
        );
        assert_eq!(
            names_member("VpnGatewayId", "AWS::EC2::VPNGateway.Id"),
            Some(true)
        );
        // Names another thing, or another form of it.
        assert_eq!(names_member("Name", "AWS::SSM::Document.Name"), None);
        assert_eq!(
            names_member("ClientId", "AWS::Cognito::UserPoolClient.ClientId"),
            None
        );
        assert_eq!(names_member("SubnetArn", "AWS::EC2::Subnet.Id"), None);
    }

    /// Types with one `SubnetIds` list each; `typed` ones get the subnet format from the
    /// supplement, as the spec's `relationshipRefs` give it.
    fn models(types: &[(&str, bool)]) -> BTreeMap<String, ResourceModel> {
        let schema = serde_json::json!({"properties": {
            "SubnetIds": {"type": "array", "items": {"type": "string"}}}});
        let mut extras = crate::schemas::Extras::default();
        for (t, typed) in types {
            if *typed {
                extras.formats.insert(
                    t.to_string(),
                    [("SubnetIds".to_string(), "AWS::EC2::Subnet.Id".to_string())].into(),
                );
            }
        }
        types
            .iter()
            .map(|(t, _)| {
                (
                    t.to_string(),
                    crate::build::build(t, &schema, &extras).unwrap(),
                )
            })
            .collect()
    }

    fn inferred(types: &[(&str, bool)], excluded: &[&str]) -> Vec<String> {
        let names: Vec<String> = types
            .iter()
            .map(|(t, _)| t.to_string())
            .chain(["AWS::EC2::Subnet".to_string()])
            .collect();
        let exclusions = excluded
            .iter()
            .map(|e| (e.to_string(), "why".to_string()))
            .collect();
        infer(&models(types), &names, &exclusions)
            .inferred
            .into_iter()
            .map(|i| format!("{} {} {}", i.type_name, i.key, i.format))
            .collect()
    }

    #[test]
    fn an_untyped_property_takes_the_one_kind_of_its_name() {
        let types = [
            ("AWS::A::X", true),
            ("AWS::B::Y", false),
            ("AWS::D::W", true),
            ("AWS::D::Z", false),
            ("AWS::D::PrivateSubnet", false),
        ];
        // `AWS::D` has a `...Subnet` of its own (rule 3): its `SubnetIds` may be that.
        let one = ["AWS::B::Y SubnetIds AWS::EC2::Subnet.Id"];
        assert_eq!(inferred(&types, &[]), one);
        let without_d = &types[..2];
        assert_eq!(inferred(without_d, &[]), one);
        // Excluded by name, or as one property.
        assert!(inferred(without_d, &["SubnetIds"]).is_empty());
        assert!(inferred(without_d, &["AWS::B::Y SubnetIds"]).is_empty());
        // Typed two ways: ambiguous (rule 1).
        let mut two = models(&types[..3]);
        if let Some(m) = two.get_mut("AWS::D::W") {
            m.kinds
                .values_mut()
                .for_each(|f| *f = "AWS::EC2::VPC.Id".to_string());
        }
        let names: Vec<String> = two.keys().cloned().collect();
        assert!(infer(&two, &names, &BTreeMap::new()).inferred.is_empty());
        // Nothing typed, nothing inferred.
        assert!(inferred(&[("AWS::A::X", false), ("AWS::B::Y", false)], &[]).is_empty());
    }

    #[test]
    fn exclusions_name_a_property_or_a_name_and_say_why() {
        let ok = parse_exclusions(
            r#"{"exclusions": [{"name": "Queue", "reason": "a URL"},
                {"type": "AWS::A::X", "key": "D.P", "reason": "other"}]}"#,
        )
        .unwrap();
        assert!(ok.contains_key("Queue") && ok.contains_key("AWS::A::X D.P"));
        assert!(parse_exclusions(r#"{"exclusions": [{"name": "Queue"}]}"#).is_err());
        assert!(
            parse_exclusions(r#"{"exclusions": [{"type": "AWS::A::X", "reason": "r"}]}"#).is_err()
        );
    }
}
