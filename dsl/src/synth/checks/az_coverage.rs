//! Subnet lists AWS refuses for the zones of their subnets, given subnets of the stack
//! whose zones are literal: too few Availability Zones where two are needed, two subnets
//! in one Availability Zone where one is allowed, an Outpost subnet that is not alone, and
//! Availability Zones mixed with Local Zones.
//!
//! A subnet's zone is read from its literal `AvailabilityZone` (or `AvailabilityZoneId`)
//! and its type from the zone's shape ([`ZONE_SHAPES`]); a subnet with an `OutpostArn` is
//! on an Outpost. Anything computed (`Fn::GetAZs`, a parameter, an imported subnet), a
//! zone of no known shape (a Wavelength Zone) or a conditional subnet is left to the
//! deploy: a rule judges only from what it knows.
//!
//! Sources: each entry of [`RULES`] and [`ZONE_SHAPES`] names its AWS documentation page.

use std::sync::LazyLock;

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::{literal, resource_named};

/// What a rule demands of the zones of a subnet list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Demand {
    /// Subnets in at least two Availability Zones. Judged only when every subnet is known:
    /// of the stack, not on an Outpost, in an Availability Zone given literally (subnets
    /// on an Outpost or in Local Zones are other cases, with rules of their own or none).
    TwoZones,
    /// No two subnets in one Availability Zone (judged on the subnets that are known).
    OnePerZone,
    /// A subnet on an Outpost is the list's only subnet.
    OutpostAlone,
    /// Zones of one type: Availability Zones or Local Zones, not both.
    OneZoneType,
}

/// A rule on the subnets of a resource type, with AWS's words and page.
struct ZoneRule {
    type_name: &'static str,
    /// Only for a load balancer of this `Type` (`application` when absent); `None`: for
    /// every resource of the type.
    load_balancer_type: Option<&'static str>,
    /// The subnet list, and the list of objects whose `SubnetId` names one.
    subnets: &'static str,
    mappings: Option<&'static str>,
    demand: Demand,
    /// What AWS says, for the message.
    rule: &'static str,
    doc: &'static str,
}

const LOAD_BALANCER: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";

/// ELBv2 API reference, CreateLoadBalancer `Subnets`/`SubnetMappings`: "You can specify
/// only one subnet per Availability Zone. [Application Load Balancers] You must specify
/// subnets from at least two Availability Zones. [Application Load Balancers on Outposts]
/// You must specify one Outpost subnet. [Application Load Balancers on Local Zones] You can
/// specify subnets from one or more Local Zones. [Network Load Balancers and Gateway Load
/// Balancers] You can specify subnets from one or more Availability Zones."
const CREATE_LOAD_BALANCER: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html";

/// Every rule on the zones of a subnet list.
const RULES: &[ZoneRule] = &[
    ZoneRule {
        type_name: LOAD_BALANCER,
        load_balancer_type: Some("application"),
        subnets: "Subnets",
        mappings: Some("SubnetMappings"),
        demand: Demand::TwoZones,
        rule: "an Application Load Balancer needs subnets from at least two Availability Zones",
        doc: CREATE_LOAD_BALANCER,
    },
    ZoneRule {
        type_name: LOAD_BALANCER,
        load_balancer_type: Some("application"),
        subnets: "Subnets",
        mappings: Some("SubnetMappings"),
        demand: Demand::OutpostAlone,
        rule: "an Application Load Balancer on an Outpost takes one subnet, the Outpost subnet",
        doc: CREATE_LOAD_BALANCER,
    },
    ZoneRule {
        type_name: LOAD_BALANCER,
        load_balancer_type: Some("application"),
        subnets: "Subnets",
        mappings: Some("SubnetMappings"),
        demand: Demand::OneZoneType,
        // "If you enable multiple zones for your load balancer, the zones must be of the
        // same type. For example, you can't enable both an Availability Zone and a Local
        // Zone."
        rule: "the zones of an Application Load Balancer must be of one type (not both Availability Zones and Local Zones)",
        doc: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer",
    },
    ZoneRule {
        type_name: LOAD_BALANCER,
        load_balancer_type: None,
        subnets: "Subnets",
        mappings: Some("SubnetMappings"),
        demand: Demand::OnePerZone,
        rule: "a load balancer takes only one subnet per Availability Zone",
        doc: CREATE_LOAD_BALANCER,
    },
    // DB subnet groups on Outposts: the RDS user guide asks for at least two subnets "for
    // the AWS Cloud" (rds-on-outposts.creating.html) and states no rule for a group of
    // Outpost subnets, so such a group (and one in Local Zones) is not judged.
    ZoneRule {
        type_name: "AWS::RDS::DBSubnetGroup",
        load_balancer_type: None,
        subnets: "SubnetIds",
        mappings: None,
        demand: Demand::TwoZones,
        rule: "a DB subnet group needs subnets in at least two Availability Zones",
        doc: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
    },
    ZoneRule {
        type_name: "AWS::DocDB::DBSubnetGroup",
        load_balancer_type: None,
        subnets: "SubnetIds",
        mappings: None,
        demand: Demand::TwoZones,
        rule: "a DB subnet group needs subnets in at least two Availability Zones",
        doc: "https://docs.aws.amazon.com/documentdb/latest/developerguide/document-db-subnet-groups.html",
    },
    ZoneRule {
        type_name: "AWS::Neptune::DBSubnetGroup",
        load_balancer_type: None,
        subnets: "SubnetIds",
        mappings: None,
        demand: Demand::TwoZones,
        rule: "a DB subnet group needs subnets in at least two Availability Zones",
        doc: "https://docs.aws.amazon.com/neptune/latest/userguide/get-started-vpc.html",
    },
];

/// The type of a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ZoneType {
    Availability,
    Local,
}

impl ZoneType {
    fn noun(self) -> &'static str {
        match self {
            ZoneType::Availability => "Availability Zone",
            ZoneType::Local => "Local Zone",
        }
    }
}

/// The shapes of zone names (`AvailabilityZone`) and zone IDs (`AvailabilityZoneId`) by
/// type: the subnet property, the type, the pattern, an example. Any other zone (a
/// Wavelength Zone, `us-east-1-wl1-bos-wlz-1`) has no known type and is not judged.
/// Sources: Local Zones user guide, available-local-zones.html (Local Zone
/// `us-west-2-lax-1a`, ID `usw2-lax1-az1`; its parent zone ID `usw2-az1`), EC2 User Guide,
/// using-regions-availability-zones.html (Availability Zone `us-east-1a`, ID `use1-az1`).
const ZONE_SHAPES: &[(&str, ZoneType, &str, &str)] = &[
    (
        "AvailabilityZone",
        ZoneType::Availability,
        r"^[a-z]{2,4}(-[a-z]+)+-[0-9]+[a-z]$",
        "us-east-1a",
    ),
    (
        "AvailabilityZone",
        ZoneType::Local,
        r"^[a-z]{2,4}(-[a-z]+)+-[0-9]+-[a-z]+-[0-9]+[a-z]$",
        "us-west-2-lax-1a",
    ),
    (
        "AvailabilityZoneId",
        ZoneType::Availability,
        r"^[a-z]+[0-9]+-az[0-9]+$",
        "use1-az1",
    ),
    (
        "AvailabilityZoneId",
        ZoneType::Local,
        r"^[a-z]+[0-9]+-[a-z]+[0-9]+-az[0-9]+$",
        "usw2-lax1-az1",
    ),
];

/// The type of the zone `zone` given in the subnet property `field`, by its shape.
fn zone_type(field: &str, zone: &str) -> Option<ZoneType> {
    static SHAPES: LazyLock<Vec<(&str, ZoneType, regex_lite::Regex)>> = LazyLock::new(|| {
        ZONE_SHAPES
            .iter()
            .map(|(field, ty, pattern, _)| {
                let re = regex_lite::Regex::new(pattern).expect("zone shapes are valid patterns");
                (*field, *ty, re)
            })
            .collect()
    });
    SHAPES
        .iter()
        .find(|(f, _, re)| *f == field && re.is_match(zone))
        .map(|(_, ty, _)| *ty)
}

const SUBNET: &str = "AWS::EC2::Subnet";

/// Whether a subnet is on an Outpost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outpost {
    No,
    Yes,
    /// Its `OutpostArn` is chosen by a condition.
    Maybe,
}

/// What is known of one subnet of a list: a subnet of the stack, unconditional.
struct Subnet<'r> {
    id: &'r str,
    /// Its zone property and literal zone, when literal.
    zone: Option<(&'static str, &'r str)>,
    outpost: Outpost,
}

impl Subnet<'_> {
    /// Its zone and the zone's type, when literal, of a known type, and not on an Outpost.
    fn zone_in_region(&self) -> Option<(&'static str, &str, ZoneType)> {
        if self.outpost != Outpost::No {
            return None;
        }
        let (field, zone) = self.zone?;
        Some((field, zone, zone_type(field, zone)?))
    }
}

/// The subnets of a resource's list: each known one (`None`: not a subnet of the stack,
/// conditional, or an item computed), and whether the list's length is known.
struct Subnets<'r> {
    items: Vec<Option<Subnet<'r>>>,
    /// The property the subnets were read from.
    property: &'static str,
    /// Every item of the list was read (no computed list, no conditional item).
    complete: bool,
}

impl<'r> Subnets<'r> {
    fn read<'a>(r: &'r Resolved<'a>, rule: &ZoneRule, ids: &Resources<'r, 'a>) -> Self {
        let mut exprs: Vec<Option<&'r Expr>> = Vec::new();
        let mut complete = true;
        for (name, field) in [
            (Some(rule.subnets), None),
            (rule.mappings, Some("SubnetId")),
        ] {
            let Some(name) = name else { continue };
            match (r.field(name), field) {
                (None, _) => {}
                (Some(Expr::Array(items)), None) => exprs.extend(items.iter().map(Some)),
                (Some(Expr::Array(items)), Some(f)) => {
                    for m in items {
                        match m {
                            Expr::Object(map) => exprs.push(map.get(f)),
                            _ => exprs.push(None),
                        }
                    }
                }
                (Some(_), _) => complete = false,
            }
        }
        let property = [Some(rule.subnets), rule.mappings]
            .into_iter()
            .flatten()
            .find(|name| r.field(name).is_some())
            .unwrap_or(rule.subnets);
        let items: Vec<Option<Subnet>> = exprs
            .into_iter()
            .map(|e| {
                let e = e?;
                let target = resource_named(e)?;
                let subnet = ids.get(target).filter(|x| x.entry.type_name == SUBNET)?;
                if subnet.entry.condition.is_some() {
                    return None;
                }
                let zone = ["AvailabilityZone", "AvailabilityZoneId"]
                    .into_iter()
                    .find_map(|f| subnet.field(f).map(|z| (f, z)))
                    .and_then(|(f, z)| Some((f, literal(z)?)));
                let outpost = match subnet.field("OutpostArn") {
                    None | Some(Expr::NoValue) => Outpost::No,
                    Some(Expr::If(..)) => Outpost::Maybe,
                    Some(_) => Outpost::Yes,
                };
                Some(Subnet {
                    id: target,
                    zone,
                    outpost,
                })
            })
            .collect();
        // A conditional item (`Fn::If`, possibly `AWS::NoValue`) makes the length unknown.
        let conditional = r
            .list(rule.subnets)
            .iter()
            .chain(rule.mappings.map(|m| r.list(m)).unwrap_or(&[]))
            .any(|e| matches!(e, Expr::If(..) | Expr::NoValue));
        Subnets {
            items,
            property,
            complete: complete && !conditional,
        }
    }

    fn known(&self) -> impl Iterator<Item = &Subnet<'r>> {
        self.items.iter().flatten()
    }
}

/// Whether `rule` holds for `r`: a rule for one type of load balancer holds when its
/// `Type` is that type, literally or by default.
fn applies(rule: &ZoneRule, r: &Resolved) -> bool {
    if rule.type_name != r.entry.type_name {
        return false;
    }
    let Some(wanted) = rule.load_balancer_type else {
        return true;
    };
    match r.field("Type") {
        None => wanted == "application",
        Some(t) => literal(t) == Some(wanted),
    }
}

fn named(ids: &[&str]) -> String {
    ids.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The finding of `demand` on `subnets`, as (what the list has, the fix), if AWS refuses it.
fn judge(demand: Demand, subnets: &Subnets) -> Option<(String, &'static str)> {
    match demand {
        Demand::TwoZones => {
            if !subnets.complete || subnets.items.is_empty() {
                return None;
            }
            let zones: Vec<(&str, &str, &str)> = subnets
                .items
                .iter()
                .map(|s| {
                    let s = s.as_ref()?;
                    let (field, zone, ty) = s.zone_in_region()?;
                    (ty == ZoneType::Availability).then_some((s.id, field, zone))
                })
                .collect::<Option<_>>()?;
            if zones.iter().any(|(_, f, _)| *f != zones[0].1) {
                return None;
            }
            let mut distinct: Vec<&str> = zones.iter().map(|(_, _, z)| *z).collect();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() >= 2 {
                return None;
            }
            let ids: Vec<&str> = zones.iter().map(|(s, _, _)| *s).collect();
            Some((
                format!(
                    "has subnets {} all in Availability Zone `{}`",
                    named(&ids),
                    distinct[0].escape_debug()
                ),
                "add a subnet of another Availability Zone (or move one there)",
            ))
        }
        Demand::OnePerZone => {
            let mut by_zone: Vec<((&str, &str), Vec<&str>)> = Vec::new();
            for s in subnets.known() {
                let Some((field, zone, ZoneType::Availability)) = s.zone_in_region() else {
                    continue;
                };
                match by_zone.iter_mut().find(|(k, _)| *k == (field, zone)) {
                    Some((_, ids)) if !ids.contains(&s.id) => ids.push(s.id),
                    Some(_) => {}
                    None => by_zone.push(((field, zone), vec![s.id])),
                }
            }
            let ((_, zone), ids) = by_zone.into_iter().find(|(_, ids)| ids.len() >= 2)?;
            Some((
                format!(
                    "has subnets {} in the same Availability Zone `{}`",
                    named(&ids),
                    zone.escape_debug()
                ),
                "keep one subnet per Availability Zone",
            ))
        }
        Demand::OutpostAlone => {
            if !subnets.complete || subnets.items.len() < 2 {
                return None;
            }
            let outpost: Vec<&str> = subnets
                .known()
                .filter(|s| s.outpost == Outpost::Yes)
                .map(|s| s.id)
                .collect();
            if outpost.is_empty() {
                return None;
            }
            Some((
                format!(
                    "has {} subnets, {} of them on an Outpost ({})",
                    subnets.items.len(),
                    outpost.len(),
                    named(&outpost)
                ),
                "give the Outpost subnet alone (a load balancer in the Region takes the others)",
            ))
        }
        Demand::OneZoneType => {
            let of = |ty: ZoneType| -> Vec<&str> {
                let mut zones: Vec<&str> = subnets
                    .known()
                    .filter_map(|s| s.zone_in_region())
                    .filter(|(_, _, t)| *t == ty)
                    .map(|(_, z, _)| z)
                    .collect();
                zones.sort_unstable();
                zones.dedup();
                zones
            };
            let (regional, local) = (of(ZoneType::Availability), of(ZoneType::Local));
            if regional.is_empty() || local.is_empty() {
                return None;
            }
            let list = |zones: &[&str], ty: ZoneType| {
                format!(
                    "{}{} {}",
                    ty.noun(),
                    if zones.len() > 1 { "s" } else { "" },
                    named(zones)
                )
            };
            Some((
                format!(
                    "has subnets in {} and in {}",
                    list(&regional, ZoneType::Availability),
                    list(&local, ZoneType::Local)
                ),
                "use subnets of Availability Zones only, or of Local Zones only",
            ))
        }
    }
}

/// Refuses each subnet list that a rule of [`RULES`] finds AWS refuses.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for rule in RULES.iter() {
        for r in resources
            .of_type(rule.type_name)
            .filter(|r| applies(rule, r))
        {
            let subnets = Subnets::read(r, rule, resources);
            let Some((has, fix)) = judge(rule.demand, &subnets) else {
                continue;
            };
            let id = &r.entry.target.id;
            diags.push(Diagnostic::error(
                Location::property(id, subnets.property),
                format!(
                    "`{id}` ({}) {has}; {}, so the deploy fails ({})",
                    r.entry.type_name, rule.rule, rule.doc
                ),
                fix,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_shapes_tell_availability_zones_from_local_zones() {
        for (field, ty, _, example) in ZONE_SHAPES {
            assert_eq!(zone_type(field, example), Some(*ty), "{example}");
        }
        for (field, zone, ty) in [
            (
                "AvailabilityZone",
                "eu-central-1b",
                Some(ZoneType::Availability),
            ),
            (
                "AvailabilityZone",
                "us-gov-west-1a",
                Some(ZoneType::Availability),
            ),
            (
                "AvailabilityZone",
                "us-east-1-atl-2a",
                Some(ZoneType::Local),
            ),
            ("AvailabilityZone", "us-east-1-wl1-bos-wlz-1", None),
            ("AvailabilityZoneId", "use1-qro1-az1", Some(ZoneType::Local)),
            ("AvailabilityZoneId", "use1-wl1-bos-wlz1", None),
            // A zone ID given as a name, and the reverse: no type.
            ("AvailabilityZone", "use1-az1", None),
            ("AvailabilityZoneId", "us-east-1a", None),
        ] {
            assert_eq!(zone_type(field, zone), ty, "{field} {zone}");
        }
    }
}
