//! nephos-codegen: generates nephos's typed resource types from the CloudFormation
//! registry schemas vendored in `dsl/schemas/` (see `scripts/regenerate.sh`).
//!
//! Pipeline: [`schemas::load`] reads the vendored data, [`build::build`] turns each schema
//! into a [`model::ResourceModel`], [`emit`] writes Rust for the covered services
//! ([`services::SERVICES`]) plus the facts table of every type, and [`output`] formats and
//! writes it.

pub mod build;
pub mod emit;
pub mod model;
pub mod names;
pub mod output;
pub mod roundtrip;
pub mod schemas;
pub mod services;

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
    let mut out = BTreeMap::new();
    for (type_name, schema) in schemas {
        out.insert(type_name.clone(), build::build(type_name, schema, extras)?);
    }
    Ok(out)
}

/// Every generated file, unformatted, by path relative to the workspace root.
pub fn generate(
    schemas: &BTreeMap<String, serde_json::Value>,
    extras: &schemas::Extras,
) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from(FACTS_FILE),
        emit::facts_module(schemas, extras),
    );
    let mut kinds = BTreeMap::new();
    let mut by_service: BTreeMap<&str, Vec<ResourceModel>> = BTreeMap::new();
    for (type_name, schema) in schemas {
        let Some(service) = services::service_of(type_name) else {
            continue;
        };
        let model = build::build(type_name, schema, extras)?;
        for (rust, name) in &model.kinds {
            kinds.entry(rust.clone()).or_insert_with(|| name.clone());
        }
        by_service.entry(service.module).or_default().push(model);
    }
    let gen_dir = PathBuf::from(GENERATED_DIR);
    let covered: Vec<&services::Service> = services::SERVICES.iter().collect();
    files.insert(gen_dir.join("mod.rs"), emit::generated_module(&covered));
    files.insert(gen_dir.join("kinds.rs"), emit::kinds_module(&kinds));
    for service in services::SERVICES {
        let models = by_service
            .get(service.module)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let dir = gen_dir.join(service.module);
        let refs: Vec<&ResourceModel> = models.iter().collect();
        files.insert(dir.join("mod.rs"), emit::service_module(service, &refs));
        for m in models {
            files.insert(
                dir.join(format!("{}.rs", m.module)),
                emit::resource_module(m),
            );
        }
    }
    let defaults: Vec<&ResourceModel> = services::SERVICES
        .iter()
        .filter(|s| s.default)
        .flat_map(|s| by_service.get(s.module).into_iter().flatten())
        .collect();
    files.insert(
        PathBuf::from(ROUNDTRIP_FILE),
        roundtrip::test_file(&defaults),
    );
    Ok(files)
}
