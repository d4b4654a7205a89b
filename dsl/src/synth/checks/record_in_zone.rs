//! A Route 53 record whose name is outside its hosted zone: Route 53 refuses it ("RRSet
//! with DNS name ... is not permitted in zone ...", `ChangeResourceRecordSets`,
//! <https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html>;
//! a record's name is the zone's name or ends with it,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-route53-recordset.html>).
//! Judged only when both names are literal: the record's `Name`, and the zone's, given as
//! `HostedZoneName` or as the `Name` of a hosted zone of the stack named by `HostedZoneId`.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::{items, literal, resource_named};

const ZONE: &str = "AWS::Route53::HostedZone";

/// A DNS name as Route 53 compares it: lowercase, without the final dot.
fn normal(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `record` is `zone` or a name under it.
fn inside(record: &str, zone: &str) -> bool {
    let (record, zone) = (normal(record), normal(zone));
    record == zone || record.ends_with(&format!(".{zone}"))
}

/// The zone's literal name, from `HostedZoneName` or a hosted zone of the stack named by
/// `HostedZoneId`, with how the message names it.
fn zone_name<'r>(r: &'r Resolved, ids: &Resources<'r, '_>) -> Option<(&'r str, String)> {
    if let Some(name) = r.field("HostedZoneName").and_then(literal) {
        return Some((name, format!("`{}`", name.escape_debug())));
    }
    let target = resource_named(r.field("HostedZoneId")?)?;
    let zone = ids.get(target).filter(|z| z.entry.type_name == ZONE)?;
    let name = zone.field("Name").and_then(literal)?;
    Some((
        name,
        format!("`{}` (hosted zone `{target}`)", name.escape_debug()),
    ))
}

/// Refuses each record set (alone or in a group) whose literal name is outside its zone's
/// literal name.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_types(&["AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup"]) {
        let id = &r.entry.target.id;
        // The record sets, each with where its name is.
        let sets = items(r.field("RecordSets"));
        let records: Vec<(&Expr, String)> = match r.entry.type_name.as_str() {
            "AWS::Route53::RecordSet" => r
                .field("Name")
                .map(|n| (n, "Name".to_string()))
                .into_iter()
                .collect(),
            "AWS::Route53::RecordSetGroup" => sets
                .iter()
                .enumerate()
                .filter_map(|(i, set)| match set {
                    Expr::Object(map) => Some((map.get("Name")?, format!("RecordSets.{i}.Name"))),
                    _ => None,
                })
                .collect(),
            _ => continue,
        };
        let Some((zone, named)) = zone_name(r, resources) else {
            continue;
        };
        for (name, path) in records {
            let Some(name) = literal(name) else {
                continue;
            };
            if inside(name, zone) {
                continue;
            }
            diags.push(Diagnostic::error(
                Location::property(id, &path),
                format!(
                    "`{id}` ({}) names the record `{}`, outside its hosted zone {named}; Route 53 takes only names in the zone, so the deploy fails",
                    r.entry.type_name,
                    name.escape_debug()
                ),
                format!(
                    "name the record `{}` or a name ending in `.{}`, or put it in the hosted zone of its name",
                    normal(zone).escape_debug(),
                    normal(zone).escape_debug()
                ),
            ));
        }
    }
}
