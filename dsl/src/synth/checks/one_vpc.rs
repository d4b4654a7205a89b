//! Every subnet and security group a resource names is in one VPC. A security group can be
//! assigned only to resources in its own VPC, and a resource's subnets are all of the VPC it
//! is placed in; AWS refuses the create otherwise (Lambda and EC2: "Security group ... and
//! subnet ... belong to different networks"; RDS: "The DB instance and EC2 security group
//! are in different VPCs"; a DB subnet group's subnets "must all be in the same VPC"; EFS
//! `CreateMountTarget`: "the security groups must be for the same VPC as the subnet").
//! Sources: <https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html>
//! ("You can assign a security group only to resources created in the same VPC as the
//! security group"), <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html>,
//! <https://docs.aws.amazon.com/efs/latest/ug/API_CreateMountTarget.html>.
//!
//! Which properties name a subnet, a group or the resource's VPC is data:
//! `generated::networks::NETWORK_PROPERTIES`, the properties whose kind the generator made
//! `AWS::EC2::Subnet.Id`, `AWS::EC2::SecurityGroup.Id` or `AWS::EC2::VPC.Id`
//! (`dsl/codegen/src/networks.rs` says what it leaves out: the peer side of a group rule).
//! A `Ref` to a subnet group of the stack (`generated::networks::SUBNET_GROUPS`) places the
//! resource in its subnets' VPC. The properties an object holds are one network with those
//! of the objects around it; the items of a list of objects are not one network with each
//! other (an instance's network interfaces may be in several VPCs).
//!
//! A value may also be an attribute of a resource of the stack whose kind is a subnet, a
//! group or a VPC (`generated::networks::NETWORK_ATTRIBUTES`: a VPC's `DefaultSecurityGroup`,
//! an instance's `VpcId`): it is in that resource's VPC. And some properties join another
//! resource of the stack that must be in the same VPC ([`JOINS`]: a listener's load
//! balancer and target groups, an ECS service's target groups): that resource's VPC is
//! the one VPC of what it names in turn (a target group's `VpcId`, a load balancer's subnets).
//!
//! Judged only from facts in the stack: a subnet or group of the stack whose `VpcId` is a
//! `Ref` to a VPC of the stack or a literal ID, a group of the stack without `VpcId` (it is
//! in the account's default VPC, never one the stack creates), a subnet group of the stack
//! whose subnets are such facts. Two VPCs of the stack, or two different literal IDs, are
//! two networks; a literal ID against a VPC of the stack, or against the default VPC, is
//! unknown, and so is anything computed (a parameter, an import, `Fn::If`): no finding.

use crate::diagnostic::{Diagnostic, Location};
use crate::generated::networks::{NETWORK_ATTRIBUTES, NETWORK_PROPERTIES, Net, SUBNET_GROUPS};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, TargetKind};

use super::paths::literal;

const VPC: &str = "AWS::EC2::VPC";
const SUBNET: &str = "AWS::EC2::Subnet";
const SECURITY_GROUP: &str = "AWS::EC2::SecurityGroup";

/// How far resources whose VPC reads another resource's are followed (a listener rule's
/// listener, its load balancer, its subnets, their VPC).
const MAX_HOPS: usize = 8;

/// Properties that name another resource of the stack (by `Ref` or `Fn::GetAtt`) which must
/// be in the VPC of the resource naming it, `(type, slash path, source)`: that resource is a
/// member of the network like a subnet or a group, its VPC read from what it names in turn.
/// Only rows whose refusal AWS documents or reports; kept by hand, since no schema says it.
const JOINS: &[(&str, &str, &str)] = &[
    // A listener's load balancer and the target groups its actions forward to: ELB refuses
    // "Target group ... is in a different VPC than load balancer" (through CloudFormation:
    // "The following target groups are in a different VPC than load balancer").
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "LoadBalancerArn",
        ELB_TARGET_GROUP_VPC,
    ),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "DefaultActions/*/TargetGroupArn",
        ELB_TARGET_GROUP_VPC,
    ),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "DefaultActions/*/ForwardConfig/TargetGroups/*/TargetGroupArn",
        ELB_TARGET_GROUP_VPC,
    ),
    // A listener rule's listener (so its load balancer) and its actions' target groups.
    (
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "ListenerArn",
        ELB_TARGET_GROUP_VPC,
    ),
    (
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "Actions/*/TargetGroupArn",
        ELB_TARGET_GROUP_VPC,
    ),
    (
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "Actions/*/ForwardConfig/TargetGroups/*/TargetGroupArn",
        ELB_TARGET_GROUP_VPC,
    ),
    // An ECS service's target groups and its awsvpc subnets: ECS registers each task's IP
    // in the group, and ELB refuses an IP outside the group's VPC unless its Availability
    // Zone is `all` ("The Availability Zone for IP address ... must be 'all' ... when not
    // within the VPC"), which ECS does not give.
    (
        "AWS::ECS::Service",
        "LoadBalancers/*/TargetGroupArn",
        ELB_IP_TARGETS,
    ),
];

/// ELB: a listener forwards only to target groups of its load balancer's VPC.
const ELB_TARGET_GROUP_VPC: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html (a target group is created in one VPC and routes for load balancers of that VPC; ELB answers \"Target group ... is in a different VPC than load balancer\")";

/// ELB: IP targets outside the target group's VPC need Availability Zone `all`.
const ELB_IP_TARGETS: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-type (IP addresses outside the target group's VPC are registered only with Availability Zone `all`, which ECS does not give)";

/// The VPC of a subnet, a group or a property, as far as the stack tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Vpc<'a> {
    /// A VPC of this stack, by logical ID.
    Stack(&'a str),
    /// A literal VPC ID.
    Literal(&'a str),
    /// The account's default VPC (a security group without `VpcId`).
    Default,
}

impl Vpc<'_> {
    /// Whether the two are known to be different VPCs.
    fn differs(&self, other: &Vpc) -> bool {
        match (self, other) {
            (Vpc::Stack(a), Vpc::Stack(b)) | (Vpc::Literal(a), Vpc::Literal(b)) => a != b,
            // A VPC the stack creates is never the account's default one.
            (Vpc::Stack(_), Vpc::Default) | (Vpc::Default, Vpc::Stack(_)) => true,
            _ => false,
        }
    }

    fn describe(&self) -> String {
        match self {
            Vpc::Stack(id) => format!("VPC `{id}`"),
            Vpc::Literal(id) => format!("VPC `{}`", id.escape_debug()),
            Vpc::Default => "the default VPC (the group has no `VpcId`)".to_string(),
        }
    }
}

/// One subnet, group, VPC, subnet group or joined resource a resource names, with its VPC.
struct Member<'a> {
    /// The object holding it, as keys and indices from the resource's properties (empty
    /// for a joined resource: it is one network with the whole resource).
    scope: Vec<String>,
    /// Its property, dotted (`VpcConfig.SubnetIds`).
    at: String,
    /// What it is, for the message (``subnet `PrivateA` ``).
    what: String,
    vpc: Vpc<'a>,
    /// The source of a [`JOINS`] row, when the member is a joined resource.
    join: Option<&'static str>,
}

/// The facts of the stack's resources, by logical ID.
struct Facts<'s, 'r, 'a> {
    ids: &'s Resources<'r, 'a>,
}

impl<'r> Facts<'_, 'r, '_> {
    /// The resource of the stack `e` names by `Ref`, or by `Fn::GetAtt` of one of `attrs`,
    /// when it is of `type_name`.
    fn named(&self, e: &'r Expr, type_name: &str, attrs: &[&str]) -> Option<&'r str> {
        let (t, attr) = match e {
            Expr::Ref(t) => (t, None),
            Expr::GetAtt(t, a) => (t, Some(&**a)),
            _ => return None,
        };
        if t.kind != TargetKind::Resource {
            return None;
        }
        if attr.is_some_and(|a| !attrs.contains(&a)) {
            return None;
        }
        let r = self.ids.get(&t.id)?;
        (r.entry.type_name == type_name).then_some(&*r.entry.target.id)
    }

    /// The resource of the stack and the attribute `e` reads, when `e` is an `Fn::GetAtt`
    /// that `generated::networks::NETWORK_ATTRIBUTES` lists as naming `net` (a VPC's
    /// `DefaultSecurityGroup`, an instance's `VpcId`): the value is of that resource's VPC.
    fn attribute(&self, e: &'r Expr, net: Net) -> Option<(&'r str, &'r str)> {
        let Expr::GetAtt(t, attr) = e else {
            return None;
        };
        if t.kind != TargetKind::Resource {
            return None;
        }
        let r = self.ids.get(&t.id)?;
        let id: &'r str = &r.entry.target.id;
        NETWORK_ATTRIBUTES
            .iter()
            .any(|(ty, a, n)| *ty == r.entry.type_name && *a == &**attr && *n == net)
            .then_some((id, &**attr))
    }

    /// The resource of the stack `e` names by `Ref` or `Fn::GetAtt`, whatever its type.
    fn any_resource(&self, e: &'r Expr) -> Option<&'r str> {
        let t = match e {
            Expr::Ref(t) | Expr::GetAtt(t, _) => t,
            _ => return None,
        };
        if t.kind != TargetKind::Resource {
            return None;
        }
        self.ids.get(&t.id).map(|r| &*r.entry.target.id)
    }

    /// The VPC a `VpcId` value names: a VPC of the stack (its `Ref` or `VpcId`), a
    /// literal, or a VPC attribute of a resource of the stack (a subnet's or group's
    /// `VpcId`, an instance's): that resource's VPC.
    fn vpc_of_value(&self, e: &'r Expr, hops: usize) -> Option<Vpc<'r>> {
        if let Some(text) = literal(e) {
            return Some(Vpc::Literal(text));
        }
        if let Some(id) = self.named(e, VPC, &["VpcId"]) {
            return Some(Vpc::Stack(id));
        }
        let (id, _) = self.attribute(e, Net::Vpc)?;
        self.vpc_of_resource(id, hops + 1)
    }

    /// The VPC of the resource `id` of the stack: a VPC itself, a subnet's or group's
    /// `VpcId`, or else the one VPC of every subnet, group, VPC and joined resource it
    /// names (none when they disagree or name none).
    fn vpc_of_resource(&self, id: &str, hops: usize) -> Option<Vpc<'r>> {
        if hops >= MAX_HOPS {
            return None;
        }
        let r: &'r Resolved = self.ids.get(id)?;
        let id: &'r str = &r.entry.target.id;
        match r.entry.type_name.as_str() {
            VPC => Some(Vpc::Stack(id)),
            SUBNET => self.vpc_of_value(r.field("VpcId")?, hops),
            SECURITY_GROUP => match r.field("VpcId") {
                None => Some(Vpc::Default),
                Some(e) => self.vpc_of_value(e, hops),
            },
            _ => {
                let mut found: Option<Vpc> = None;
                for m in self.members(r, hops + 1) {
                    match &found {
                        Some(v) if v != &m.vpc => return None,
                        _ => found = Some(m.vpc),
                    }
                }
                found
            }
        }
    }

    /// What `e`, at a property that names `net`, is and where it is, when the stack tells.
    fn member(&self, e: &'r Expr, net: Net, hops: usize) -> Option<(String, Vpc<'r>)> {
        let (what, own) = match net {
            Net::Subnet => ("subnet", self.named(e, SUBNET, &["SubnetId"])),
            Net::SecurityGroup => (
                "security group",
                self.named(e, SECURITY_GROUP, &["GroupId"]),
            ),
            Net::Vpc => {
                let vpc = self.vpc_of_value(e, hops)?;
                return Some(("the VPC".to_string(), vpc));
            }
        };
        if let Some(id) = own {
            return Some((format!("{what} `{id}`"), self.vpc_of_resource(id, hops)?));
        }
        let (id, attr) = self.attribute(e, net)?;
        Some((
            format!("{what} `{id}.{attr}`"),
            self.vpc_of_resource(id, hops)?,
        ))
    }

    /// Every subnet, group, VPC, subnet group and joined resource `r` names whose VPC the
    /// stack tells.
    fn members(&self, r: &'r Resolved, hops: usize) -> Vec<Member<'r>> {
        let type_name = r.entry.type_name.as_str();
        let rows: Vec<(Vec<&str>, Row)> = NETWORK_PROPERTIES
            .iter()
            .filter(|(t, _, _)| *t == type_name)
            .map(|(_, p, n)| (p.split('/').collect(), Row::Net(*n)))
            .chain(
                JOINS
                    .iter()
                    .filter(|(t, _, _)| *t == type_name)
                    .map(|(_, p, source)| (p.split('/').collect(), Row::Join(source))),
            )
            .collect();
        let mut out = Vec::new();
        let mut at = Vec::new();
        for (name, e) in r.props.iter() {
            at.push(name.clone());
            self.walk(e, &rows, hops, &mut at, &mut out);
            at.pop();
        }
        out
    }

    fn walk(
        &self,
        e: &'r Expr,
        rows: &[(Vec<&str>, Row)],
        hops: usize,
        at: &mut Vec<String>,
        out: &mut Vec<Member<'r>>,
    ) {
        let scope = || at[..at.len() - 1].to_vec();
        if let Some((_, row)) = rows.iter().find(|(p, _)| matches(p, at)) {
            let values: Vec<&Expr> = match e {
                Expr::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for v in values {
                match row {
                    Row::Net(net) => {
                        if let Some((what, vpc)) = self.member(v, *net, hops) {
                            out.push(Member {
                                scope: scope(),
                                at: at.join("."),
                                what,
                                vpc,
                                join: None,
                            });
                        }
                    }
                    Row::Join(source) => {
                        let Some(id) = self.any_resource(v) else {
                            continue;
                        };
                        if let Some(vpc) = self.vpc_of_resource(id, hops + 1) {
                            let type_name = self.ids.get(id).map_or("", |r| r.type_name());
                            out.push(Member {
                                scope: Vec::new(),
                                at: at.join("."),
                                what: format!("`{id}` ({type_name})"),
                                vpc,
                                join: Some(*source),
                            });
                        }
                    }
                }
            }
            return;
        }
        if let Some(id) = SUBNET_GROUPS.iter().find_map(|t| self.named(e, t, &[])) {
            if let Some(vpc) = self.vpc_of_resource(id, hops) {
                out.push(Member {
                    scope: scope(),
                    at: at.join("."),
                    what: format!("subnet group `{id}`"),
                    vpc,
                    join: None,
                });
            }
            return;
        }
        match e {
            Expr::Object(map) => {
                for (k, v) in map {
                    at.push(k.clone());
                    self.walk(v, rows, hops, at, out);
                    at.pop();
                }
            }
            Expr::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(i.to_string());
                    self.walk(v, rows, hops, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
}

/// What a property of [`Facts::members`]' rows names.
#[derive(Clone, Copy)]
enum Row {
    /// A subnet, a group or the VPC (`generated::networks::NETWORK_PROPERTIES`).
    Net(Net),
    /// A resource of the stack that must be in the same VPC ([`JOINS`]), with its source.
    Join(&'static str),
}

/// Whether the concrete path `at` is the slash pattern `pattern` (`*` for any key or index).
fn matches(pattern: &[&str], at: &[String]) -> bool {
    pattern.len() == at.len() && pattern.iter().zip(at).all(|(p, a)| *p == "*" || p == a)
}

/// Whether one scope holds the other (or they are the same object).
fn related(a: &[String], b: &[String]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// Refuses each resource that names subnets or groups of two VPCs, the stack telling both.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    if !resources.has(SUBNET) && !resources.has(SECURITY_GROUP) && !resources.has(VPC) {
        return;
    }
    let facts = Facts { ids: resources };
    for r in resources.all() {
        let members = facts.members(r, 0);
        let conflict = members.iter().enumerate().find_map(|(i, a)| {
            members[i + 1..]
                .iter()
                .find(|b| related(&a.scope, &b.scope) && a.vpc.differs(&b.vpc))
                .map(|b| (a, b))
        });
        let Some((a, b)) = conflict else { continue };
        let id = &r.entry.target.id;
        let join = a.join.or(b.join);
        let default_group = [a, b]
            .into_iter()
            .find(|m| m.vpc == Vpc::Default && m.join.is_none())
            .map(|m| m.what.clone());
        let fix = match (join, default_group) {
            (Some(_), _) => format!(
                "name resources of one VPC: {} or {} must move (place it in the other VPC, or name another one)",
                a.what, b.what
            ),
            (None, Some(group)) => format!(
                "give {group} the `VpcId` of the other VPC (without one it is in the default VPC), or name subnets and groups of one VPC"
            ),
            (None, None) => format!(
                "name subnets and security groups of one VPC: {} or {} must move (a group's or subnet's `VpcId`, or another one)",
                a.what, b.what
            ),
        };
        let rule = match join {
            Some(source) => format!(
                "a resource and the resources it joins must be in one VPC, so AWS refuses it ({source})"
            ),
            None => "every subnet and security group a resource names must be in one VPC, so AWS refuses the create (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html)".to_string(),
        };
        diags.push(Diagnostic::error(
            Location::property(id, &b.at),
            format!(
                "`{id}` ({}) names {} (`{}`) in {} and {} (`{}`) in {}: {rule}",
                r.entry.type_name,
                a.what,
                a.at,
                a.vpc.describe(),
                b.what,
                b.at,
                b.vpc.describe(),
            ),
            fix,
        ));
    }
}
