//! Resources that need subnets in at least two Availability Zones, given subnets of the
//! stack whose zones are all literal and fewer than two: AWS refuses them at deploy.
//! Judged only when every subnet is a subnet of the stack with a literal
//! `AvailabilityZone` (or every one a literal `AvailabilityZoneId`); anything computed
//! (`Fn::GetAZs`, a parameter, an imported subnet) is left to the deploy.
//!
//! Sources: each entry of [`TWO_ZONES`] names its AWS documentation page.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::{by_id, literal, resource_named};

/// A list of subnets that must cover two Availability Zones.
struct TwoZones {
    type_name: &'static str,
    /// The subnet list, and the list of objects whose `SubnetId` names one.
    subnets: &'static str,
    mappings: Option<&'static str>,
    /// What AWS says, for the message.
    rule: &'static str,
    doc: &'static str,
}

/// Every subnet list known to need two Availability Zones.
const TWO_ZONES: &[TwoZones] = &[
    TwoZones {
        type_name: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        subnets: "Subnets",
        mappings: Some("SubnetMappings"),
        rule: "an Application Load Balancer needs subnets from at least two Availability Zones",
        doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-loadbalancer.html",
    },
    TwoZones {
        type_name: "AWS::RDS::DBSubnetGroup",
        subnets: "SubnetIds",
        mappings: None,
        rule: "a DB subnet group needs subnets in at least two Availability Zones",
        doc: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
    },
    TwoZones {
        type_name: "AWS::DocDB::DBSubnetGroup",
        subnets: "SubnetIds",
        mappings: None,
        rule: "a DB subnet group needs subnets in at least two Availability Zones",
        doc: "https://docs.aws.amazon.com/documentdb/latest/developerguide/document-db-subnet-groups.html",
    },
    TwoZones {
        type_name: "AWS::Neptune::DBSubnetGroup",
        subnets: "SubnetIds",
        mappings: None,
        rule: "a DB subnet group needs subnets in at least two Availability Zones",
        doc: "https://docs.aws.amazon.com/neptune/latest/userguide/get-started-vpc.html",
    },
];

const SUBNET: &str = "AWS::EC2::Subnet";

/// Whether `r` is a load balancer of another type than `application`, which this rule
/// does not cover (a Network Load Balancer takes one zone).
fn not_application(r: &Resolved) -> bool {
    r.entry.type_name == "AWS::ElasticLoadBalancingV2::LoadBalancer"
        && r.field("Type")
            .is_some_and(|t| literal(t) != Some("application"))
}

/// Refuses each subnet list whose subnets, all of the stack with literal zones, cover fewer
/// than two Availability Zones.
pub(super) fn check(resolved: &[Resolved], diags: &mut Vec<Diagnostic>) {
    let mut ids = None;
    for r in resolved {
        let Some(rule) = TWO_ZONES.iter().find(|t| t.type_name == r.entry.type_name) else {
            continue;
        };
        if not_application(r) {
            continue;
        }
        let mut subnets: Vec<&Expr> = Vec::new();
        let mut computed = false;
        for (name, field) in [
            (rule.subnets, None),
            (rule.mappings.unwrap_or(""), Some("SubnetId")),
        ] {
            match (r.field(name), field) {
                (None, _) => {}
                (Some(Expr::Array(items)), None) => subnets.extend(items),
                (Some(Expr::Array(items)), Some(f)) => {
                    for m in items {
                        match m {
                            Expr::Object(map) => match map.get(f) {
                                Some(s) => subnets.push(s),
                                None => computed = true,
                            },
                            _ => computed = true,
                        }
                    }
                }
                (Some(_), _) => computed = true,
            }
        }
        if computed || subnets.is_empty() {
            continue;
        }
        let ids = ids.get_or_insert_with(|| by_id(resolved));
        // Each subnet's zone, by name or by ID, when literal.
        let zones: Option<Vec<(&str, &str, &str)>> = subnets
            .iter()
            .map(|s| {
                let target = resource_named(s)?;
                let subnet = ids.get(target).filter(|x| x.entry.type_name == SUBNET)?;
                if subnet.entry.condition.is_some() {
                    return None;
                }
                let (field, zone) = ["AvailabilityZone", "AvailabilityZoneId"]
                    .into_iter()
                    .find_map(|f| subnet.field(f).map(|z| (f, z)))?;
                Some((target, field, literal(zone)?))
            })
            .collect();
        let Some(zones) = zones else { continue };
        if zones.iter().any(|(_, f, _)| *f != zones[0].1) {
            continue;
        }
        let mut distinct: Vec<&str> = zones.iter().map(|(_, _, z)| *z).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() >= 2 {
            continue;
        }
        let id = &r.entry.target.id;
        let named: Vec<String> = zones.iter().map(|(s, _, _)| format!("`{s}`")).collect();
        diags.push(Diagnostic::error(
            Location::property(id, rule.subnets),
            format!(
                "`{id}` ({}) has subnets {} all in Availability Zone `{}`; {}, so the deploy fails ({})",
                r.entry.type_name,
                named.join(", "),
                distinct[0].escape_debug(),
                rule.rule,
                rule.doc
            ),
            "add a subnet of another Availability Zone (or move one there)",
        ));
    }
}
