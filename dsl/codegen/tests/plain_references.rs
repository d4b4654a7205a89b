//! Plain-string properties that name another resource of their own service but carry no
//! reference kind, found by a rule from data: the property's name is a resource type of
//! the same service (from the vendored bundle) followed by `Id`, `Name` or `Arn` (or their
//! plurals), as `ApiGatewayV2::Route.ApiId` names an `AWS::ApiGatewayV2::Api`. A property
//! naming its own type (`Role.RoleName`) is the resource's own name, not a reference.
//!
//! The scan runs over every service and the default-feature services are counted apart;
//! the corrected members are listed and must stay typed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use nephos_codegen::model::{ResourceModel, Ty};
use nephos_codegen::{build_all, schemas};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const SUFFIXES: &[&str] = &["Ids", "Names", "Arns", "ARNs", "Id", "Name", "Arn", "ARN"];

/// `(type, owner, property, the resource type its name names)` of every plain string (or
/// list of them) whose name names a resource type of its own service.
fn plain_references(
    models: &BTreeMap<String, ResourceModel>,
) -> Vec<(String, String, String, String)> {
    let mut by_service: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in models.keys() {
        let mut parts = t.split("::").skip(1);
        if let (Some(service), Some(resource)) = (parts.next(), parts.next()) {
            by_service.entry(service).or_default().insert(resource);
        }
    }
    let mut out = Vec::new();
    for (t, m) in models {
        let mut parts = t.split("::").skip(1);
        let (Some(service), Some(own)) = (parts.next(), parts.next()) else {
            continue;
        };
        let top = m.fields.iter().map(|f| ("", f));
        let nested = m
            .structs
            .iter()
            .flat_map(|s| s.fields.iter().map(move |f| (s.schema_name.as_str(), f)));
        for (owner, f) in top.chain(nested) {
            let plain = match &f.ty {
                Ty::Str => true,
                Ty::List(item) => **item == Ty::Str,
                _ => false,
            };
            let Some(stem) = SUFFIXES.iter().find_map(|s| f.name.strip_suffix(s)) else {
                continue;
            };
            if !plain || stem.is_empty() || (owner.is_empty() && stem == own) {
                continue;
            }
            if by_service.get(service).is_some_and(|r| r.contains(stem)) {
                out.push((
                    t.clone(),
                    owner.to_string(),
                    f.name.clone(),
                    format!("AWS::{service}::{stem}"),
                ));
            }
        }
    }
    out
}

/// The services reviewed first: the default features and the ones the built-in
/// constructs and most apps wire to them.
const FIRST: &[&str] = &[
    "Lambda",
    "IAM",
    "Logs",
    "SQS",
    "SNS",
    "S3",
    "DynamoDB",
    "ApiGateway",
    "ApiGatewayV2",
    "Events",
    "EC2",
];

/// Corrected in `dsl/codegen/data/kind_corrections.json`: each must stay typed.
const CORRECTED: &[(&str, &str, &str)] = &[];

#[test]
fn plain_strings_that_name_a_resource_of_their_service_are_counted_and_fixed_ones_stay_typed() {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    let models = build_all(&schemas, &extras).expect("builds");
    let found = plain_references(&models);
    let in_defaults: Vec<_> = found
        .iter()
        .filter(|(t, ..)| FIRST.iter().any(|s| t.starts_with(&format!("AWS::{s}::"))))
        .collect();
    let back: Vec<_> = found
        .iter()
        .filter(|(t, o, p, _)| CORRECTED.contains(&(t.as_str(), o.as_str(), p.as_str())))
        .collect();
    assert!(
        back.is_empty(),
        "corrected members are plain again: {back:?}"
    );
    let listing: Vec<String> = in_defaults
        .iter()
        .map(|(t, o, p, r)| format!("{t} {o}.{p} -> {r}"))
        .collect();
    // The listing is the review queue (run with `--nocapture`); the scan itself must keep
    // finding what it was written for, `ApiGatewayV2::Route.ApiId`-like members.
    println!(
        "{} plain references, {} in the first services:\n{}",
        found.len(),
        in_defaults.len(),
        listing.join("\n")
    );
    assert!(!found.is_empty() && found.len() >= in_defaults.len());
}
