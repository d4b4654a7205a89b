//! A Route 53 alias target is a pair: the `DNSName` of a load balancer, a distribution, an
//! API's domain name fixes `HostedZoneId` to that same target's canonical hosted zone
//! (CloudFront's is always `Z2FDTNDATAQYW2`; a load balancer's is its
//! `CanonicalHostedZoneID`). Route 53 refuses an alias whose zone is not the target's
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

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::value::expr::{Expr, TargetKind};

const DATA: &str = include_str!("../../../data/alias-target-zones.json");

/// What a target's zone is: another attribute of the same resource, or a fixed zone ID.
#[derive(Debug)]
enum Zone {
    Attribute(String),
    Fixed(String),
}

/// One row of [`DATA`]: the DNS name attribute of a type and the zone that goes with it.
#[derive(Debug)]
struct Pair {
    type_name: String,
    dns_name: String,
    zone: Zone,
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
                let zone = match (text("zone"), text("zone_attribute")) {
                    (Some(z), None) => Zone::Fixed(z.to_string()),
                    (None, Some(a)) => Zone::Attribute(a.to_string()),
                    _ => return None,
                };
                Some(Pair {
                    type_name: text("type")?.to_string(),
                    dns_name: text("dns_name")?.to_string(),
                    zone,
                    source: text("source")?.to_string(),
                })
            })
            .collect()
    })
}

/// Every alias target of a record set, and of each record of a record set group.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_types(&["AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup"]) {
        let id = &r.entry.target.id;
        match r.entry.type_name.as_str() {
            "AWS::Route53::RecordSet" => {
                if let Some(target) = r.field("AliasTarget") {
                    pair(id, "AliasTarget", target, resources, diags);
                }
            }
            "AWS::Route53::RecordSetGroup" => {
                if let Some(Expr::Array(items)) = r.field("RecordSets") {
                    for (i, item) in items.iter().enumerate() {
                        if let Expr::Object(map) = item
                            && let Some(target) = map.get("AliasTarget")
                        {
                            let at = format!("RecordSets.{i}.AliasTarget");
                            pair(id, &at, target, resources, diags);
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
fn pair(id: &str, at: &str, target: &Expr, types: &Resources, diags: &mut Vec<Diagnostic>) {
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
    let (right, wrong) = match (&row.zone, zone) {
        (Zone::Fixed(want), Expr::Lit(serde_json::Value::String(got))) => (
            format!("`{want}`"),
            (got != want).then(|| format!("`{got}`")),
        ),
        (Zone::Fixed(want), Expr::Ref(t) | Expr::GetAtt(t, _)) if resource(t, types).is_some() => {
            (format!("`{want}`"), Some(describe(zone)))
        }
        (Zone::Attribute(want), Expr::GetAtt(t, attr)) if resource(t, types).is_some() => {
            let right = format!("`{}.{want}` (`Fn::GetAtt`)", dns_target.id);
            let same = t.id == dns_target.id && attr.as_ref() == want.as_str();
            (right, (!same).then(|| describe(zone)))
        }
        (Zone::Attribute(want), Expr::Ref(t)) if resource(t, types).is_some() => (
            format!("`{}.{want}` (`Fn::GetAtt`)", dns_target.id),
            Some(describe(zone)),
        ),
        (Zone::Attribute(want), Expr::Lit(serde_json::Value::String(got)))
            if pairs()
                .iter()
                .any(|p| matches!(&p.zone, Zone::Fixed(z) if z == got)) =>
        {
            (
                format!("`{}.{want}` (`Fn::GetAtt`)", dns_target.id),
                Some(format!("`{got}` (another service's fixed zone)")),
            )
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
        assert!(
            pairs()
                .iter()
                .any(|p| p.type_name == "AWS::CloudFront::Distribution"
                    && matches!(&p.zone, Zone::Fixed(z) if z == "Z2FDTNDATAQYW2"))
        );
    }
}
