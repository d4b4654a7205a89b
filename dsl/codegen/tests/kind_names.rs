//! Every typed string kind stands for one attribute: no Rust kind name is given to two
//! different attributes (`AWS::SageMaker::Device.FleetName` and
//! `AWS::SageMaker::DeviceFleet.Name` would both be `SageMakerDeviceFleetName`, and the
//! kinds table would document one while the other's values use it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use nephos_codegen::{generate, schemas};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn no_kind_name_stands_for_two_attributes() {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    let manifest = std::fs::read_to_string(root().join("dsl/Cargo.toml")).expect("manifest");
    let models = nephos_codegen::build_all(&schemas, &extras).expect("models");
    let mut by_rust: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in models.values() {
        for (rust, name) in &m.kinds {
            by_rust.entry(rust).or_default().insert(name);
        }
    }
    let twice: Vec<String> = by_rust
        .iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(rust, names)| format!("{rust}: {names:?}"))
        .collect();
    assert!(
        twice.is_empty(),
        "{} kind names stand for two attributes:\n{}",
        twice.len(),
        twice.join("\n")
    );
    // The generated kinds table agrees: each kind documented once.
    let files = generate(&schemas, &extras, &manifest).expect("generates");
    let table = &files[&PathBuf::from(nephos_codegen::GENERATED_DIR).join("kinds.rs")];
    // The generic ARN kind is declared by hand in `nephos::kind` and re-exported.
    let any_arn = nephos_codegen::any_arn::ANY_ARN_KIND;
    assert!(table.contains(&format!("pub use crate::kind::{any_arn};")));
    for (rust, names) in by_rust.iter().filter(|(r, _)| **r != any_arn) {
        let name = names.iter().next().expect("a name");
        assert!(
            table.contains(&format!("{rust}, \"{name}\"")),
            "{rust}: not in the table as {name}"
        );
    }
}
