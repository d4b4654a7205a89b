//! Plain-string properties that name another resource of their own service but carry no
//! reference kind, found by a rule from data: the property's name is a resource type of
//! the same service (from the vendored bundle) followed by `Id`, `Name` or `Arn` (or their
//! plurals), as `ApiGatewayV2::Route.ApiId` names an `AWS::ApiGatewayV2::Api`. A property
//! naming its own type (`Role.RoleName`) is the resource's own name, not a reference.
//!
//! The scan runs over every service and the first services (the default features and
//! those most apps wire to them) are counted apart: there each member is either corrected
//! in `dsl/codegen/data/kind_corrections.json` (with its AWS page) or listed in [`LEFT`]
//! with the reason it has no kind, and no corrected member may be plain again.

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

/// The first services' members left plain, each with why no kind is given: every other
/// member the scan finds there is corrected in `dsl/codegen/data/kind_corrections.json`.
const LEFT: &[(&str, &str, &str, &str)] = &[
    (
        "AWS::ApiGateway::Deployment",
        "",
        "StageName",
        "names the stage the deployment creates",
    ),
    (
        "AWS::ApiGatewayV2::RoutingRule",
        "ActionInvokeApi",
        "ApiId",
        "the target may be a REST API (AWS::ApiGateway::RestApi); the page does not say which",
    ),
    (
        "AWS::DynamoDB::GlobalTable",
        "",
        "TableName",
        "the global table's own name",
    ),
    (
        "AWS::EC2::EC2Fleet",
        "FleetLaunchTemplateSpecificationRequest",
        "LaunchTemplateName",
        "AWS::EC2::LaunchTemplate has no name attribute",
    ),
    (
        "AWS::EC2::Instance",
        "LaunchTemplateSpecification",
        "LaunchTemplateName",
        "AWS::EC2::LaunchTemplate has no name attribute",
    ),
    (
        "AWS::EC2::SpotFleet",
        "FleetLaunchTemplateSpecification",
        "LaunchTemplateName",
        "AWS::EC2::LaunchTemplate has no name attribute",
    ),
    (
        "AWS::EC2::SqlHaStandbyDetectedInstance",
        "",
        "InstanceId",
        "the schema's node has no `type`, which a correction needs",
    ),
    (
        "AWS::EC2::TransitGatewayMulticastDomainAssociation",
        "",
        "TransitGatewayAttachmentId",
        "an attachment of several types (VPC, peering, Connect, VPN), some without a resource attribute",
    ),
    (
        "AWS::EC2::TransitGatewayPolicyTableAssociation",
        "",
        "TransitGatewayAttachmentId",
        "an attachment of several types (VPC, peering, Connect, VPN), some without a resource attribute",
    ),
    (
        "AWS::EC2::TransitGatewayRoute",
        "",
        "TransitGatewayAttachmentId",
        "an attachment of several types (VPC, peering, Connect, VPN), some without a resource attribute",
    ),
    (
        "AWS::IAM::Group",
        "Policy",
        "PolicyName",
        "the inline policy's own name, not an AWS::IAM::Policy",
    ),
    (
        "AWS::IAM::GroupPolicy",
        "",
        "PolicyName",
        "the inline policy's own name, not an AWS::IAM::Policy",
    ),
    (
        "AWS::IAM::Role",
        "Policy",
        "PolicyName",
        "the inline policy's own name, not an AWS::IAM::Policy",
    ),
    (
        "AWS::IAM::RolePolicy",
        "",
        "PolicyName",
        "the inline policy's own name, not an AWS::IAM::Policy",
    ),
    (
        "AWS::IAM::User",
        "Policy",
        "PolicyName",
        "the inline policy's own name, not an AWS::IAM::Policy",
    ),
    (
        "AWS::IAM::UserPolicy",
        "",
        "PolicyName",
        "the inline policy's own name, not an AWS::IAM::Policy",
    ),
    (
        "AWS::Lambda::WebFunction",
        "",
        "FunctionName",
        "the web function's own name",
    ),
    (
        "AWS::Lambda::WebFunctionEndpoint",
        "",
        "FunctionName",
        "a web function's name (AWS::Lambda::WebFunction has no name attribute), not an AWS::Lambda::Function",
    ),
    (
        "AWS::Lambda::WebFunctionRevision",
        "",
        "FunctionName",
        "a web function's name (AWS::Lambda::WebFunction has no name attribute), not an AWS::Lambda::Function",
    ),
    (
        "AWS::Lambda::WebFunctionRevision",
        "S3Object",
        "VersionId",
        "an S3 object version, not a Lambda version",
    ),
    (
        "AWS::Logs::DeliveryDestination",
        "DestinationPolicy",
        "DeliveryDestinationName",
        "the destination's own name",
    ),
];

/// `(type, owner, property)` of every entry of the corrections table that names a
/// property (`/properties/X`, `/definitions/Owner/properties/X`, or their `/items`).
fn corrected(root: &Path) -> BTreeSet<(String, String, String)> {
    let text = std::fs::read_to_string(root.join("dsl/codegen/data/kind_corrections.json"))
        .expect("corrections table");
    let table: serde_json::Value = serde_json::from_str(&text).expect("corrections JSON");
    let mut out = BTreeSet::new();
    for e in table["corrections"].as_array().expect("corrections") {
        let (Some(t), Some(p)) = (e["type"].as_str(), e["pointer"].as_str()) else {
            continue;
        };
        let parts: Vec<&str> = p.trim_start_matches('/').split('/').collect();
        let parts = parts.strip_suffix(&["items"]).unwrap_or(&parts);
        match parts {
            ["properties", prop] => out.insert((t.into(), String::new(), (*prop).into())),
            ["definitions", owner, "properties", prop] => {
                out.insert((t.into(), (*owner).into(), (*prop).into()))
            }
            _ => false,
        };
    }
    out
}

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
    let corrected = corrected(&root());
    let key = |(t, o, p, _): &&(String, String, String, String)| (t.clone(), o.clone(), p.clone());
    // A correction whose member the scan still finds plain did not take effect.
    let back: Vec<_> = found
        .iter()
        .filter(|c| corrected.contains(&key(c)))
        .collect();
    assert!(
        back.is_empty(),
        "corrected members are plain again: {back:?}"
    );
    // In the first services every member is either corrected or left with a reason.
    let unreviewed: Vec<String> = in_defaults
        .iter()
        .filter(|(t, o, p, _)| {
            !LEFT
                .iter()
                .any(|l| (l.0, l.1, l.2) == (t.as_str(), o.as_str(), p.as_str()))
        })
        .map(|(t, o, p, r)| format!("{t} {o}.{p} -> {r}"))
        .collect();
    assert!(
        unreviewed.is_empty(),
        "plain references in the first services neither corrected nor left with a reason:\n{}",
        unreviewed.join("\n")
    );
    // Every member left with a reason is still found (the list does not go stale).
    let stale: Vec<_> = LEFT
        .iter()
        .filter(|l| {
            !in_defaults
                .iter()
                .any(|(t, o, p, _)| (l.0, l.1, l.2) == (t.as_str(), o.as_str(), p.as_str()))
        })
        .collect();
    assert!(stale.is_empty(), "left members no longer found: {stale:?}");
    // The listing of the other services is the review queue (run with `--nocapture`).
    println!(
        "{} plain references, {} in the first services ({} left with a reason); corrections: {}",
        found.len(),
        in_defaults.len(),
        LEFT.len(),
        corrected.len()
    );
    assert!(!found.is_empty() && found.len() >= in_defaults.len());
}
