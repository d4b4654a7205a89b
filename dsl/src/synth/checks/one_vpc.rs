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
//! Judged only from facts in the stack: a subnet or group of the stack whose `VpcId` is a
//! `Ref` to a VPC of the stack or a literal ID, a group of the stack without `VpcId` (it is
//! in the account's default VPC, never one the stack creates), a subnet group of the stack
//! whose subnets are such facts. Two VPCs of the stack, or two different literal IDs, are
//! two networks; a literal ID against a VPC of the stack, or against the default VPC, is
//! unknown, and so is anything computed (a parameter, an import, `Fn::If`): no finding.

use crate::diagnostic::{Diagnostic, Location};
use crate::generated::networks::{NETWORK_PROPERTIES, Net, SUBNET_GROUPS};
use crate::synth::by_type::Resources;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, TargetKind};

use super::paths::literal;

const VPC: &str = "AWS::EC2::VPC";
const SUBNET: &str = "AWS::EC2::Subnet";
const SECURITY_GROUP: &str = "AWS::EC2::SecurityGroup";

/// How far `VpcId`s that read another resource's `VpcId` are followed.
const MAX_HOPS: usize = 4;

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

/// One subnet, group, VPC or subnet group a resource names, with its VPC.
struct Member<'a> {
    /// The object holding it, as keys and indices from the resource's properties.
    scope: Vec<String>,
    /// Its property, dotted (`VpcConfig.SubnetIds`).
    at: String,
    /// What it is, for the message (``subnet `PrivateA` ``).
    what: String,
    vpc: Vpc<'a>,
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

    /// The VPC a `VpcId` value names: a VPC of the stack (its `Ref` or `VpcId`), a
    /// literal, or the `VpcId` of a subnet or group of the stack.
    fn vpc_of_value(&self, e: &'r Expr, hops: usize) -> Option<Vpc<'r>> {
        if let Some(text) = literal(e) {
            return Some(Vpc::Literal(text));
        }
        if let Some(id) = self.named(e, VPC, &["VpcId"]) {
            return Some(Vpc::Stack(id));
        }
        // The `VpcId` attribute of a subnet or group of the stack: its own `VpcId`.
        let Expr::GetAtt(t, attr) = e else {
            return None;
        };
        if hops >= MAX_HOPS || &**attr != "VpcId" || t.kind != TargetKind::Resource {
            return None;
        }
        let r = self.ids.get(&t.id)?;
        if r.entry.type_name != SUBNET && r.entry.type_name != SECURITY_GROUP {
            return None;
        }
        self.vpc_of_resource(&t.id, hops + 1)
    }

    /// The VPC of the subnet, group or subnet group `id` of the stack.
    fn vpc_of_resource(&self, id: &str, hops: usize) -> Option<Vpc<'r>> {
        let r: &'r Resolved = self.ids.get(id)?;
        match r.entry.type_name.as_str() {
            SUBNET => self.vpc_of_value(r.field("VpcId")?, hops),
            SECURITY_GROUP => match r.field("VpcId") {
                None => Some(Vpc::Default),
                Some(e) => self.vpc_of_value(e, hops),
            },
            t if SUBNET_GROUPS.contains(&t) => {
                let mut found: Option<Vpc> = None;
                for m in self.members(r) {
                    match &found {
                        Some(v) if v != &m.vpc => return None,
                        _ => found = Some(m.vpc),
                    }
                }
                found
            }
            _ => None,
        }
    }

    /// What `e`, at a property that names `net`, is and where it is, when the stack tells.
    fn member(&self, e: &'r Expr, net: Net) -> Option<(String, Vpc<'r>)> {
        match net {
            Net::Subnet => {
                let id = self.named(e, SUBNET, &["SubnetId"])?;
                Some((format!("subnet `{id}`"), self.vpc_of_resource(id, 0)?))
            }
            Net::SecurityGroup => {
                let id = self.named(e, SECURITY_GROUP, &["GroupId"])?;
                Some((
                    format!("security group `{id}`"),
                    self.vpc_of_resource(id, 0)?,
                ))
            }
            Net::Vpc => {
                let vpc = self.vpc_of_value(e, 0)?;
                Some(("the VPC".to_string(), vpc))
            }
        }
    }

    /// Every subnet, group, VPC and subnet group `r` names whose VPC the stack tells.
    fn members(&self, r: &'r Resolved) -> Vec<Member<'r>> {
        let rows: Vec<(Vec<&str>, Net)> = NETWORK_PROPERTIES
            .iter()
            .filter(|(t, _, _)| *t == r.entry.type_name)
            .map(|(_, p, n)| (p.split('/').collect(), *n))
            .collect();
        let mut out = Vec::new();
        let mut at = Vec::new();
        for (name, e) in r.props.iter() {
            at.push(name.clone());
            self.walk(e, &rows, &mut at, &mut out);
            at.pop();
        }
        out
    }

    fn walk(
        &self,
        e: &'r Expr,
        rows: &[(Vec<&str>, Net)],
        at: &mut Vec<String>,
        out: &mut Vec<Member<'r>>,
    ) {
        let scope = || at[..at.len() - 1].to_vec();
        if let Some((_, net)) = rows.iter().find(|(p, _)| matches(p, at)) {
            let values: Vec<&Expr> = match e {
                Expr::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for v in values {
                if let Some((what, vpc)) = self.member(v, *net) {
                    out.push(Member {
                        scope: scope(),
                        at: at.join("."),
                        what,
                        vpc,
                    });
                }
            }
            return;
        }
        if let Some(id) = SUBNET_GROUPS.iter().find_map(|t| self.named(e, t, &[])) {
            if let Some(vpc) = self.vpc_of_resource(id, 0) {
                out.push(Member {
                    scope: scope(),
                    at: at.join("."),
                    what: format!("subnet group `{id}`"),
                    vpc,
                });
            }
            return;
        }
        match e {
            Expr::Object(map) => {
                for (k, v) in map {
                    at.push(k.clone());
                    self.walk(v, rows, at, out);
                    at.pop();
                }
            }
            Expr::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(i.to_string());
                    self.walk(v, rows, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
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
    if !resources.has(SUBNET) && !resources.has(SECURITY_GROUP) {
        return;
    }
    let facts = Facts { ids: resources };
    for r in resources.all() {
        let members = facts.members(r);
        let conflict = members.iter().enumerate().find_map(|(i, a)| {
            members[i + 1..]
                .iter()
                .find(|b| related(&a.scope, &b.scope) && a.vpc.differs(&b.vpc))
                .map(|b| (a, b))
        });
        let Some((a, b)) = conflict else { continue };
        let id = &r.entry.target.id;
        let default_group = [a, b]
            .into_iter()
            .find(|m| m.vpc == Vpc::Default)
            .map(|m| m.what.clone());
        let fix = match default_group {
            Some(group) => format!(
                "give {group} the `VpcId` of the other VPC (without one it is in the default VPC), or name subnets and groups of one VPC"
            ),
            None => format!(
                "name subnets and security groups of one VPC: {} or {} must move (a group's or subnet's `VpcId`, or another one)",
                a.what, b.what
            ),
        };
        diags.push(Diagnostic::error(
            Location::property(id, &b.at),
            format!(
                "`{id}` ({}) names {} (`{}`) in {} and {} (`{}`) in {}: every subnet and security group a resource names must be in one VPC, so AWS refuses the create (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html)",
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
