//! Reading the vendored schema data: `dsl/schemas/*.json` (one file per service namespace,
//! written by `scripts/refresh_schemas.py`) and the hand-kept attribute supplement.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// Facts kept by hand beside the schemas.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// `Fn::GetAtt` attributes missing from a type's `readOnlyProperties`, by type name.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Formats of properties that refer to another resource's attribute, by type name, then
    /// by `Prop` or `Definition.Prop` (such as Lambda's `Role` -> `AWS::IAM::Role.Arn`).
    pub formats: BTreeMap<String, BTreeMap<String, String>>,
    /// The AWS service spec's replacement facts, by type name (see [`crate::replacement`]).
    pub replacement: BTreeMap<String, crate::replacement::SpecFacts>,
    /// What `Ref` returns where the AWS service spec records it (`cfnRefIdentifier`, such as
    /// an HTTP API authorizer's `AuthorizerId` or an EventBridge rule's `EventBusName`, `Name`),
    /// by type name, from [`crate::reference::REFERENCE_FILE`].
    pub refs: BTreeMap<String, Vec<String>>,
    /// Types the AWS service spec does not describe: their attribute lists may lack
    /// attributes `Fn::GetAtt` offers.
    pub not_in_spec: std::collections::BTreeSet<String>,
    /// Read-only properties that are no `Fn::GetAtt` attribute (the service spec describes
    /// the type and does not list them), by type name, dotted.
    pub not_attributes: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// The `Fn::GetAtt` names cfn-lint 1.58 accepts, by type name ([`GETATTS_FILE`]): no
    /// getter is offered for a name outside it. An empty map (no table) filters nothing.
    pub getatts: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Type names whose public names are stable (the default services'): a member or variant
    /// keeps the name a plain case conversion gave it unless that name was clearly broken
    /// (an acronym split apart: `provider_ar_ns`, `TlSv122021`), which then stays as a
    /// deprecated alias.
    pub stable_names: std::collections::BTreeSet<String>,
    /// Reviewed corrections to what properties refer to, by type name
    /// ([`crate::corrections`]), applied to a type's schema before it is built.
    pub corrections: BTreeMap<String, Vec<crate::corrections::Correction>>,
    /// Types whose `Ref` depends on whether a property is set, by type name
    /// ([`crate::conditional_ref`]).
    pub conditional_refs: BTreeMap<String, crate::conditional_ref::ConditionalRef>,
    /// `Fn::GetAtt` attributes that exist only under a property value
    /// ([`crate::conditional_attributes`]).
    pub conditional_attributes: Vec<crate::conditional_attributes::Row>,
    /// Reviewed conversions from a narrower kind into a wider one ([`crate::corrections`]).
    pub widenings: Vec<crate::corrections::Widening>,
    /// The AWS partitions of the SDKs' endpoint data ([`crate::partitions`]).
    pub partitions: crate::partitions::Partitions,
    /// The AWS service spec's ARN template of each type, by type name
    /// ([`crate::kind_shapes::ARN_TEMPLATES_FILE`]).
    pub arn_templates: BTreeMap<String, String>,
    /// Reviewed value bounds the schemas state more weakly than the service, by type name
    /// ([`crate::value_bounds`]), applied to a type's schema before it is built.
    pub bounds: BTreeMap<String, Vec<crate::value_bounds::Bound>>,
    /// Property names the same-name rule leaves alone, with why ([`crate::same_name`]).
    pub same_name_exclusions: BTreeMap<String, String>,
    /// cfn-lint's pattern of each format it checks with a rule of its own, by format
    /// ([`crate::lint_formats`]).
    pub lint_formats: BTreeMap<String, crate::lint_formats::LintFormat>,
    /// ARN-named properties the ARN-name rule leaves plain strings, by type name
    /// ([`crate::arn_names`]).
    pub arn_name_exclusions: BTreeMap<String, Vec<crate::arn_names::Exclusion>>,
    /// The ID-name rule's reviewed typed entries, by type name ([`crate::build::id_kinds`]).
    pub id_names: BTreeMap<String, Vec<crate::build::id_kinds::IdName>>,
    /// The ID-pattern rule's map from an ID prefix (`subnet-`) to the one kind whose shape
    /// has it ([`crate::build::id_kinds::prefixes`]); filled between the two builds of
    /// [`crate::build_all_inferred`] (empty: the rule types nothing).
    pub id_prefixes: BTreeMap<String, String>,
}

/// cfn-lint's GetAtt table (rule E1010), written by `scripts/refresh_schemas.py`: the
/// registry schemas' `readOnlyProperties`, corrected by cfn-lint's data for the types whose
/// attributes CloudFormation serves differently. Relative to the workspace root.
pub const GETATTS_FILE: &str = "dsl/schemas/getatt/getatts.json";

/// Loads [`GETATTS_FILE`] below `root`.
pub fn load_getatts(
    root: &Path,
) -> Result<BTreeMap<String, std::collections::BTreeSet<String>>, String> {
    let path = root.join(GETATTS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Loads every schema under `dir`, by type name.
pub fn load(dir: &Path) -> Result<BTreeMap<String, Value>, String> {
    let mut out = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for path in files {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut map: BTreeMap<String, Value> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        // Properties cfn-lint's patches invent (a format and nothing else) are not
        // CloudFormation's: no setter, no facts (`crate::patch_artifacts`).
        for schema in map.values_mut() {
            crate::patch_artifacts::drop_from(schema);
            // A format on an object names one of its members (`crate::object_formats`).
            crate::object_formats::carry(schema);
        }
        out.extend(map);
    }
    if out.is_empty() {
        return Err(format!(
            "{}: no schemas (run scripts/regenerate.sh --refresh)",
            dir.display()
        ));
    }
    Ok(out)
}

/// Where the vendored service-spec replacement facts live, relative to the workspace root.
pub const SERVICE_SPEC_FILE: &str = "dsl/schemas/aws-service-spec/replacement.json";

/// Loads the supplement and the service spec's replacement facts below `root`.
pub fn load_all_extras(root: &Path) -> Result<Extras, String> {
    let mut extras = load_extras(&root.join("dsl/codegen/data/supplement.json"))?;
    extras.replacement = crate::replacement::load(&root.join(SERVICE_SPEC_FILE))?;
    extras.getatts = load_getatts(root)?;
    extras.refs = crate::reference::load(&root.join(crate::reference::REFERENCE_FILE))?;
    extras.corrections = crate::corrections::load(root)?;
    extras.conditional_refs = crate::conditional_ref::load(root)?;
    extras.conditional_attributes = crate::conditional_attributes::load(root)?;
    extras.widenings = crate::corrections::load_widenings(root)?;
    extras.partitions = crate::partitions::load(root)?;
    extras.arn_templates = crate::kind_shapes::load_templates(root)?;
    extras.bounds = crate::value_bounds::load(root)?;
    extras.same_name_exclusions = crate::same_name::load_exclusions(root)?;
    extras.lint_formats = crate::lint_formats::load(root)?;
    extras.arn_name_exclusions = crate::arn_names::load(root)?;
    extras.id_names = crate::build::id_kinds::load(root)?;
    Ok(extras)
}

/// Loads the supplement: `{"attributes": {"AWS::SNS::Topic": ["TopicName"]},
/// "formats": {"AWS::Lambda::Function": {"Role": "AWS::IAM::Role.Arn"}},
/// "unions": {"AWS::DynamoDB::Table": {"SSESpecification.KMSMasterKeyId": ["AWS::KMS::Key.Arn", ...]}}}`.
pub fn load_extras(path: &Path) -> Result<Extras, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut extras = Extras::default();
    if let Some(map) = v.get("attributes").and_then(Value::as_object) {
        for (t, names) in map {
            let names = names
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            extras.attributes.insert(t.clone(), names);
        }
    }
    if let Some(map) = v.get("formats").and_then(Value::as_object) {
        for (t, props) in map {
            let props = props
                .as_object()
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, f)| f.as_str().map(|f| (k.clone(), f.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            extras.formats.insert(t.clone(), props);
        }
    }
    // The service spec's references to any of several attributes (`unions`), carried as
    // formats joined the way union kind names are (see `crate::unions`); a reviewed format
    // of the same property wins.
    if let Some(map) = v.get("unions").and_then(Value::as_object) {
        for (t, props) in map {
            let formats = extras.formats.entry(t.clone()).or_default();
            for (prop, members) in props.as_object().into_iter().flatten() {
                let members: Vec<&str> = members
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                if members.len() > 1 {
                    formats
                        .entry(prop.clone())
                        .or_insert_with(|| members.join(crate::unions::SEPARATOR));
                }
            }
        }
    }
    if let Some(map) = v.get("not_attributes").and_then(Value::as_object) {
        for (t, names) in map {
            let names = names
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
            extras.not_attributes.insert(t.clone(), names);
        }
    }
    if let Some(types) = v.get("not_in_spec").and_then(Value::as_array) {
        extras.not_in_spec = types
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
    }
    if let Some(map) = v.get("not_attributes").and_then(Value::as_object) {
        for (t, names) in map {
            let names = names
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
            extras.not_attributes.insert(t.clone(), names);
        }
    }
    if let Some(types) = v.get("not_in_spec").and_then(Value::as_array) {
        extras.not_in_spec = types
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
    }
    Ok(extras)
}
