//! nephos-codegen: generates nephos's typed resource types from the CloudFormation
//! registry schemas vendored in `dsl/schemas/` (see `scripts/regenerate.sh`).
//!
//! Pipeline: [`schemas::load`] reads the vendored data, [`build::build`] turns each schema
//! into a [`model::ResourceModel`], [`emit`] writes Rust for every service
//! ([`services::services`]), [`facts_table`] the facts table of every type, [`features`] the cargo
//! feature of each service, and [`output`] formats and writes it.

pub mod all_of;
pub mod any_arn;
pub mod arn_names;
pub mod build;
pub mod combinations;
pub mod conditional_attributes;
pub mod conditional_ref;
pub mod corrections;
pub mod docs_rs;
/// The translation of the schemas' ECMA-262 patterns synth uses: the dsl's own file, so
/// a pattern means the same when the generator verifies it and when synth matches it.
#[path = "../../src/check/ecma.rs"]
pub mod ecma;
pub mod ecma_pattern;
pub mod emit;
pub mod facts_table;
pub mod features;
pub mod identity_properties;
pub mod keywords;
pub mod kind_names;
pub mod kind_shapes;
pub mod lint_formats;
pub mod map_checks;
pub mod model;
pub mod names;
pub mod networks;
pub mod not_arn;
pub mod numeric_strings;
pub mod object_counts;
pub mod object_formats;
pub mod output;
pub mod partitions;
pub mod patch_artifacts;
pub mod policy_documents;
pub mod read_only;
pub mod reference;
pub mod replacement;
pub mod roundtrip;
pub mod same_name;
pub mod samples;
pub mod schemas;
pub mod services;
pub mod string_formats;
pub mod text_table;
pub mod unions;
pub mod value_bounds;

use std::collections::BTreeMap;
use std::path::PathBuf;

use model::ResourceModel;

/// Where generated resource modules go, relative to the workspace root.
pub const GENERATED_DIR: &str = "dsl/src/generated";
/// The facts table, relative to the workspace root.
pub const FACTS_FILE: &str = "dsl/src/facts_data.rs";
/// The generated round-trip test, relative to the workspace root.
pub const ROUNDTRIP_FILE: &str = "dsl/tests/generated_roundtrip.rs";

/// Builds the models of every type in `schemas` (the all-schemas test runs this).
pub fn build_all(
    schemas: &BTreeMap<String, serde_json::Value>,
    extras: &schemas::Extras,
) -> Result<BTreeMap<String, ResourceModel>, String> {
    build_all_inferred(schemas, extras).map(|(models, _)| models)
}

/// [`build_all`], with what the same-name rule ([`same_name`]) inferred: the models are
/// built once from the schemas and the supplement, the rule reads their typed properties,
/// and the types it adds formats to are built again with them.
pub fn build_all_inferred(
    schemas: &BTreeMap<String, serde_json::Value>,
    extras: &schemas::Extras,
) -> Result<(BTreeMap<String, ResourceModel>, same_name::Inference), String> {
    arn_names::check_types(schemas, &extras.arn_name_exclusions)?;
    // First without the generic ARN kinds (`any_arn::demands_arn`, `arn_names`): the
    // same-name rule reads these models, and a generic `AnyArn` use would hide the untyped
    // properties it types and make a name typed one way look ambiguous.
    let mut out = BTreeMap::new();
    for (type_name, schema) in schemas {
        out.insert(
            type_name.clone(),
            build::build_with(type_name, schema, extras, false)?,
        );
    }
    let inference = same_name::infer(&out, schemas.keys(), &extras.same_name_exclusions);
    let mut extras = extras.clone();
    same_name::merge(&mut extras.formats, &inference.inferred);
    // The ID-pattern rule's prefixes, from the shapes of every kind the models name.
    extras.id_prefixes = build::id_kinds::prefixes(
        schemas,
        &extras.arn_templates,
        &extras.lint_formats,
        out.values()
            .flat_map(|m: &ResourceModel| m.kinds.values().map(String::as_str)),
    );
    // Then every type again with the inferred formats and, last, the ARN-pattern,
    // ARN-name and ID kinds.
    for (type_name, schema) in schemas {
        out.insert(type_name.clone(), build::build(type_name, schema, &extras)?);
    }
    // One Rust name per kind across all types (`kind_names`).
    kind_names::dedupe(out.values_mut());
    Ok((out, inference))
}

/// The manifest whose feature list the generator writes, relative to the workspace root.
pub const MANIFEST_FILE: &str = "dsl/Cargo.toml";
/// The generated list of service features, relative to the workspace root.
pub const FEATURES_FILE: &str = "dsl/FEATURES.md";
/// The generated round-trip test over one type of every other service.
pub const ROUNDTRIP_SAMPLE_FILE: &str = "dsl/tests/generated_roundtrip_sample.rs";

/// Every generated file, unformatted, by path relative to the workspace root. `manifest` is
/// the current `dsl/Cargo.toml`, whose feature section is rewritten.
pub fn generate(
    schemas: &BTreeMap<String, serde_json::Value>,
    extras: &schemas::Extras,
    manifest: &str,
) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut files = BTreeMap::new();
    // A pattern synth could not compile would be a constraint skipped in silence.
    ecma_pattern::verify(schemas)?;
    let services = services::services(schemas.keys().map(String::as_str))?;
    let mut extras = extras.clone();
    extras.stable_names = schemas
        .keys()
        .filter(|t| {
            services::module_of(t)
                .is_some_and(|m| services.iter().any(|s| s.default && s.module == m))
        })
        .cloned()
        .collect();
    let extras = &extras;
    let mut kinds = BTreeMap::new();
    let mut by_service: BTreeMap<String, Vec<ResourceModel>> = BTreeMap::new();
    let mut identities = BTreeMap::new();
    let (models, inference) = build_all_inferred(schemas, extras)?;
    // A reviewed exclusion that holds nothing back is stale: the data changed under it.
    if let Some(stale) = extras
        .same_name_exclusions
        .keys()
        .find(|n| !inference.used_exclusions.contains(*n))
    {
        return Err(format!(
            "{}: the exclusion of `{stale}` holds back no property (review it)",
            same_name::EXCLUSIONS_FILE
        ));
    }
    for (type_name, model) in models {
        identities.insert(type_name.clone(), identity_properties::of(&model));
        let module = services::module_of(&type_name)
            .ok_or_else(|| format!("{type_name}: not a Vendor::Service::Resource type name"))?;
        for (rust, name) in &model.kinds {
            let known = kinds.entry(rust.clone()).or_insert_with(|| name.clone());
            unions::check_one_name(rust, known, name)?;
        }
        by_service.entry(module).or_default().push(model);
    }
    // The attributes that exist only under a property value, checked against the schemas.
    conditional_attributes::verify(&extras.conditional_attributes, schemas, &extras.attributes)?;
    files.insert(
        PathBuf::from(conditional_attributes::CONDITIONAL_ATTRIBUTES_DATA_FILE),
        conditional_attributes::module(&extras.conditional_attributes),
    );
    // The facts need the built models: identity properties are read from their kinds.
    files.insert(
        PathBuf::from(FACTS_FILE),
        facts_table::module(schemas, extras, &identities),
    );
    let gen_dir = PathBuf::from(GENERATED_DIR);
    let covered: Vec<&services::Service> = services.iter().collect();
    files.insert(gen_dir.join("mod.rs"), emit::generated_module(&covered));
    // The literal shapes read the corrected formats, as the types do.
    let corrected = corrections::apply_all(schemas, &extras.corrections)?;
    let mut kinds_rs = emit::kinds_module(&kinds, &corrected, &extras.arn_templates);
    kinds_rs.push_str(&corrections::widenings_section(&kinds, &extras.widenings)?);
    kinds_rs.push_str(&lint_formats::section(&kinds, &extras.lint_formats)?);
    kinds_rs.push_str(&not_arn::section(
        &corrected,
        &kinds,
        by_service.values().flatten(),
    ));
    files.insert(gen_dir.join("kinds.rs"), kinds_rs);
    files.insert(
        gen_dir.join("networks.rs"),
        networks::module(by_service.values().flatten()),
    );
    let mut counts = BTreeMap::new();
    for service in &services {
        let models = by_service
            .get(&service.module)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        counts.insert(service.module.clone(), models.len());
        let dir = gen_dir.join(&service.module);
        let refs: Vec<&ResourceModel> = models.iter().collect();
        files.insert(dir.join("mod.rs"), emit::service_module(service, &refs));
        for m in models {
            files.insert(
                dir.join(format!("{}.rs", m.module)),
                emit::resource_module(m),
            );
        }
    }
    files.insert(
        PathBuf::from(MANIFEST_FILE),
        features::manifest(manifest, &services)?,
    );
    files.insert(
        PathBuf::from(FEATURES_FILE),
        features::list(&services, &counts),
    );
    let defaults: Vec<&ResourceModel> = services
        .iter()
        .filter(|s| s.default)
        .flat_map(|s| by_service.get(&s.module).into_iter().flatten())
        .collect();
    files.insert(
        PathBuf::from(ROUNDTRIP_FILE),
        roundtrip::test_file(&defaults, schemas),
    );
    // One type of every other service: the first, by type name, that has a property to set.
    let sample: Vec<&ResourceModel> = services
        .iter()
        .filter(|s| !s.default)
        .filter_map(|s| by_service.get(&s.module))
        .filter_map(|models| {
            models
                .iter()
                .find(|m| !m.fields.is_empty())
                .or(models.first())
        })
        .collect();
    files.insert(
        PathBuf::from(ROUNDTRIP_SAMPLE_FILE),
        roundtrip::sample_file(&sample, schemas),
    );
    Ok(files)
}
