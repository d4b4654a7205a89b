//! A Route 53 alias target is a pair: the `DNSName` of a load balancer, a distribution, an
//! API's domain name fixes `HostedZoneId` to that same target's canonical hosted zone
//! (CloudFront's is `Z2FDTNDATAQYW2` in the `aws` partition and `Z3RFFRIM2A3IF5` in
//! `aws-cn`; a load balancer's is its `CanonicalHostedZoneID`; an edge API domain's is its
//! `DistributionHostedZoneId`, which is CloudFront's fixed zone). Route 53 refuses an alias whose zone is not the target's
//! ("Tried to create an alias that targets ..., but it doesn't exist"), and neither the
//! kinds (the zone property takes any alias-target zone, or a hosted zone's own ID for an
//! alias to another record in the same zone) nor cfn-lint see the pair. Which attributes go
//! together is data, each pair with the AWS page it comes from
//! (`dsl/data/alias-target-zones.json`).
//!
//! Refused only when both ends are known: `DNSName` is a `Fn::GetAtt` of a listed attribute
//! of a resource of this stack, and `HostedZoneId` is a reference to another resource or
//! attribute of the stack than the one that goes with it, or a literal that is not the fixed
//! zone the target takes (one of the fixed zones the data lists, for a target whose zone is
//! an attribute, such as CloudFront's zone for a load balancer). A parameter, an import or a
//! condition leaves the pair unchecked.
//!
//! Fixed zones depend on the partition, which synth of a stack does not know: a literal that
//! is the target's zone in one partition of the data passes here and is recorded as a
//! [`PartitionNeed`]; `App::synth`, which knows the stack's Region, refuses it when the
//! Region's partition is one the data lists with another zone. A literal that is the
//! target's zone in no partition is refused here (the data lists every partition where the
//! target exists).

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::value::expr::{Expr, TargetKind};

const DATA: &str = include_str!("../../../data/alias-target-zones.json");

/// One fixed zone of a target: its partition, the zone and the page that says so.
#[derive(Debug)]
struct Fixed {
    partition: String,
    zone: String,
    source: String,
}

/// One row of [`DATA`]: the DNS name attribute of a type and the zones that go with it: the
/// same resource's attribute, fixed zones by partition, or both.
#[derive(Debug)]
struct Pair {
    type_name: String,
    dns_name: String,
    zone_attribute: Option<String>,
    zones: Vec<Fixed>,
    source: String,
}

fn pairs() -> &'static [Pair] {
    static PAIRS: std::sync::OnceLock<Vec<Pair>> = std::sync::OnceLock::new();
    PAIRS.get_or_init(|| {
        // The vendored file is part of the crate; the tests read every row of it.
        let data: serde_json::Value = serde_json::from_str(DATA).unwrap_or_default();
        data.get("targets")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|row| {
                let text = |k: &str| row.get(k).and_then(serde_json::Value::as_str);
                let zones: Vec<Fixed> = row
                    .get("zones")
                    .and_then(serde_json::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|z| {
                        let text = |k: &str| Some(z.get(k)?.as_str()?.to_string());
                        Some(Fixed {
                            partition: text("partition")?,
                            zone: text("zone")?,
                            source: text("source")?,
                        })
                    })
                    .collect();
                let zone_attribute = text("zone_attribute").map(str::to_string);
                if zone_attribute.is_none() && zones.is_empty() {
                    return None;
                }
                Some(Pair {
                    type_name: text("type")?.to_string(),
                    dns_name: text("dns_name")?.to_string(),
                    zone_attribute,
                    zones,
                    source: text("source")?.to_string(),
                })
            })
            .collect()
    })
}

/// A literal zone that is an alias target's fixed zone in some partitions only, for
/// `App::synth` to judge against the stack's Region ([`check_partition`]).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PartitionNeed {
    /// The record, where and what (for the message).
    what: String,
    /// The literal zone given.
    got: String,
    /// The target's fixed zone in each partition the data lists: `(partition, zone, source)`.
    zones: Vec<(String, String, String)>,
}

/// The error `App::synth` reports for `need` in a stack deploying to `region`, when the
/// Region's partition is one the data lists with another zone than the one given.
pub(crate) fn check_partition(
    stack: &str,
    region: &str,
    need: &PartitionNeed,
) -> Option<(String, String)> {
    let partition = crate::facts::partition_of_region(region)?;
    let (_, zone, source) = need.zones.iter().find(|(p, _, _)| p == partition.id)?;
    (zone != &need.got).then(|| {
        (
            format!(
                "stack `{stack}` deploys to {region} (partition {}), but {} has `HostedZoneId` `{}`, the target's zone in another partition: in {} it is `{zone}`, and Route 53 refuses an alias whose zone is not its target's ({source})",
                partition.id, need.what, need.got, partition.id
            ),
            format!("set `HostedZoneId` to `{zone}`"),
        )
    })
}

/// Every alias target of a record set, and of each record of a record set group.
pub(super) fn check(
    resources: &Resources,
    diags: &mut Vec<Diagnostic>,
    needs: &mut Vec<PartitionNeed>,
) {
    for r in resources.of_types(&["AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup"]) {
        let id = &r.entry.target.id;
        match r.entry.type_name.as_str() {
            "AWS::Route53::RecordSet" => {
                if let Some(target) = r.field("AliasTarget") {
                    pair(id, "AliasTarget", target, resources, diags, needs);
                }
            }
            "AWS::Route53::RecordSetGroup" => {
                if let Some(Expr::Array(items)) = r.field("RecordSets") {
                    for (i, item) in items.iter().enumerate() {
                        if let Expr::Object(map) = item
                            && let Some(target) = map.get("AliasTarget")
                        {
                            let at = format!("RecordSets.{i}.AliasTarget");
                            pair(id, &at, target, resources, diags, needs);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The type of the resource a reference names, when it is one of this stack's (the last
/// of its logical ID).
fn resource<'a>(target: &crate::value::expr::Target, types: &Resources<'a, '_>) -> Option<&'a str> {
    (target.kind == TargetKind::Resource)
        .then(|| types.get(target.id.as_ref()).map(|r| r.type_name()))
        .flatten()
}

/// One alias target at `at` of the record `id`.
fn pair(
    id: &str,
    at: &str,
    target: &Expr,
    types: &Resources,
    diags: &mut Vec<Diagnostic>,
    needs: &mut Vec<PartitionNeed>,
) {
    let Expr::Object(map) = target else {
        return;
    };
    let (Some(Expr::GetAtt(dns_target, dns_attr)), Some(zone)) =
        (map.get("DNSName"), map.get("HostedZoneId"))
    else {
        return;
    };
    let Some(dns_type) = resource(dns_target, types) else {
        return;
    };
    let Some(row) = pairs()
        .iter()
        .find(|p| p.type_name == dns_type && p.dns_name == dns_attr.as_ref())
    else {
        return;
    };
    let dns = format!("`{}.{dns_attr}`", dns_target.id);
    let attribute = row
        .zone_attribute
        .as_ref()
        .map(|want| format!("`{}.{want}` (`Fn::GetAtt`)", dns_target.id));
    let fixed: Vec<String> = row
        .zones
        .iter()
        .map(|z| format!("`{}` (in {})", z.zone, z.partition))
        .collect();
    let right = attribute
        .iter()
        .cloned()
        .chain((!fixed.is_empty()).then(|| fixed.join(", ")))
        .collect::<Vec<_>>()
        .join(" or ");
    let wrong = match zone {
        Expr::Lit(serde_json::Value::String(got)) => {
            if row.zones.iter().any(|z| &z.zone == got) {
                // The target's zone in some partition: right there, and judged by
                // `App::synth` when the stack's Region is known.
                if row.zones.iter().any(|z| &z.zone != got) {
                    let need = PartitionNeed {
                        what: format!("the alias target `{id}.{at}` of {dns}"),
                        got: got.clone(),
                        zones: row
                            .zones
                            .iter()
                            .map(|z| (z.partition.clone(), z.zone.clone(), z.source.clone()))
                            .collect(),
                    };
                    if !needs.contains(&need) {
                        needs.push(need);
                    }
                }
                None
            } else if row.zone_attribute.is_none() {
                Some(format!("`{got}`"))
            } else if pairs()
                .iter()
                .flat_map(|p| &p.zones)
                .any(|z| &z.zone == got)
            {
                Some(format!("`{got}` (another service's fixed zone)"))
            } else {
                return;
            }
        }
        Expr::Ref(t) | Expr::GetAtt(t, _) if resource(t, types).is_some() => {
            let same = matches!(zone, Expr::GetAtt(t, attr)
                if t.id == dns_target.id && Some(attr.as_ref()) == row.zone_attribute.as_deref());
            (!same).then(|| describe(zone))
        }
        _ => return,
    };
    let Some(wrong) = wrong else {
        return;
    };
    diags.push(Diagnostic::error(
        Location::property(id, &format!("{at}.HostedZoneId")),
        format!(
            "the alias target's `DNSName` is {dns} (a `{dns_type}`), whose hosted zone is {right}, but `HostedZoneId` is {wrong}: Route 53 refuses an alias whose zone is not its target's ({})",
            row.source
        ),
        format!("set `HostedZoneId` to {right}"),
    ));
}

/// How a diagnostic names a zone reference.
fn describe(zone: &Expr) -> String {
    match zone {
        Expr::Ref(t) => format!("`{}` (`Ref`)", t.id),
        Expr::GetAtt(t, attr) => format!("`{}.{attr}` (`Fn::GetAtt`)", t.id),
        _ => "another value".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of the data parses, names a type, a DNS name and its zone, and a source.
    #[test]
    fn every_pair_of_the_data_is_read() {
        let rows: serde_json::Value = serde_json::from_str(DATA).unwrap();
        let n = rows["targets"].as_array().unwrap().len();
        assert_eq!(pairs().len(), n);
        assert!(n >= 9);
        assert!(
            pairs()
                .iter()
                .all(|p| p.source.starts_with("https://docs.aws.amazon.com/"))
        );
        let zones = |t: &str| -> Vec<(&str, &str)> {
            pairs()
                .iter()
                .filter(|p| p.type_name == t)
                .flat_map(|p| &p.zones)
                .map(|z| (z.partition.as_str(), z.zone.as_str()))
                .collect()
        };
        assert_eq!(
            zones("AWS::CloudFront::Distribution"),
            [("aws", "Z2FDTNDATAQYW2"), ("aws-cn", "Z3RFFRIM2A3IF5")]
        );
        assert!(pairs().iter().flat_map(|p| &p.zones).all(|z| {
            crate::facts::partition(&z.partition).is_some()
                && (z.source.starts_with("https://docs.aws.amazon.com/")
                    || z.source.starts_with("https://docs.amazonaws.cn/"))
        }));
    }
}
