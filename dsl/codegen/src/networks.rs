//! The properties that name a subnet, a security group or a VPC, by resource type and path,
//! and the subnet group types: synth's one-VPC check (`dsl/src/synth/checks/one_vpc.rs`)
//! reads which subnets and groups a resource names from them rather than from a hand list.
//!
//! The source is the kind the generator gave each property (its registry `format` or the
//! service spec's `relationshipRefs`): a property of kind `AWS::EC2::Subnet.Id` or
//! `AWS::EC2::SecurityGroup.Id` (alone, in a list, or as a member of a union kind) names a
//! subnet or a group; one of kind `AWS::EC2::VPC.Id` names the VPC the resource is in,
//! unless it is a list (Route 53's `VPCs`, Redshift's `EndpointAuthorization.VpcIds`: several
//! VPCs by design). Left out by hand ([`PEERS`]): the other side of a security group rule,
//! which may be a group of a peered VPC.
//!
//! A subnet group (a type named `...SubnetGroup` whose only such property is its top-level
//! subnet list: RDS, DocumentDB, Neptune, ElastiCache, DAX, MemoryDB, DMS, Redshift) is a
//! network of one VPC too; the resources that name one mostly do so through a plain string
//! (`AWS::DocDB::DBCluster.DBSubnetGroupName` has no kind), so synth recognizes the subnet
//! group by the resource a `Ref` names rather than by the property ([`subnet_groups`]).
//!
//! The `Fn::GetAtt` attributes of the same kinds ([`attribute_rows`]: a VPC's
//! `DefaultSecurityGroup`, an instance's `VpcId`, an EKS cluster's `ClusterSecurityGroupId`)
//! name a subnet, a group or a VPC of the resource that has them: synth places the value in
//! that resource's VPC (a VPC itself, a subnet's or group's `VpcId`, or the one VPC of the
//! subnets and groups the resource names).

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::model::{Field, ResourceModel, Ty};

/// What a listed property names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Net {
    /// A subnet (`AWS::EC2::Subnet.Id`).
    Subnet,
    /// A security group (`AWS::EC2::SecurityGroup.Id`).
    SecurityGroup,
    /// The VPC (`AWS::EC2::VPC.Id`).
    Vpc,
}

impl Net {
    /// The variant's name in the generated table.
    fn variant(self) -> &'static str {
        match self {
            Net::Subnet => "Subnet",
            Net::SecurityGroup => "SecurityGroup",
            Net::Vpc => "Vpc",
        }
    }
}

/// The properties that name the other side of a security group rule or of a VPC peering
/// connection, `(type, path)`: a rule may reference a group of a peered VPC ("Update your security groups to reference
/// peer security groups",
/// <https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html>), so
/// it is no group the resource is in.
pub const PEERS: &[(&str, &str)] = &[
    (
        "AWS::EC2::SecurityGroup",
        "SecurityGroupEgress/*/DestinationSecurityGroupId",
    ),
    (
        "AWS::EC2::SecurityGroup",
        "SecurityGroupIngress/*/SourceSecurityGroupId",
    ),
    (
        "AWS::EC2::SecurityGroupEgress",
        "DestinationSecurityGroupId",
    ),
    ("AWS::EC2::SecurityGroupIngress", "SourceSecurityGroupId"),
    // The source groups of the SSH rule EKS writes on the node group's remote-access group
    // ("The security group IDs that are allowed SSH access (port 22) to the nodes",
    // <https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteAccessConfig.html>):
    // the other side of a group rule, as above.
    ("AWS::EKS::Nodegroup", "RemoteAccess/SourceSecurityGroups"),
    // The accepter's VPC, which may be in another account or Region: a peering
    // connection joins two VPCs by design
    // (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcpeeringconnection.html>).
    ("AWS::EC2::VPCPeeringConnection", "PeerVpcId"),
];

/// What a kind's format names, when one of its members is a subnet, a group or a VPC.
fn of_format(format: &str) -> Option<Net> {
    format
        .split(crate::unions::SEPARATOR)
        .find_map(|member| match member {
            "AWS::EC2::Subnet.Id" => Some(Net::Subnet),
            "AWS::EC2::SecurityGroup.Id" => Some(Net::SecurityGroup),
            "AWS::EC2::VPC.Id" => Some(Net::Vpc),
            _ => None,
        })
}

/// One row: `(type, slash path, what it names)`.
pub type Row = (String, String, Net);

/// How deep nested types are followed (recursive types end here).
const MAX_DEPTH: usize = 8;

/// The name suffix of a subnet group's resource type.
const SUBNET_GROUP: &str = "SubnetGroup";

fn walk(m: &ResourceModel, fields: &[Field], prefix: &str, depth: usize, out: &mut BTreeSet<Row>) {
    if depth > MAX_DEPTH {
        return;
    }
    for f in fields {
        let path = format!("{prefix}{}", f.name);
        let mut ty = &f.ty;
        let mut below = path.clone();
        let mut list = false;
        while let Ty::List(item) | Ty::Map(item) = ty {
            ty = item;
            below.push_str("/*");
            list = true;
        }
        match ty {
            Ty::Kind(rust) => {
                let Some(net) = m.kinds.get(rust).and_then(|f| of_format(f)) else {
                    continue;
                };
                let peer = PEERS.iter().any(|(t, p)| *t == m.type_name && *p == path);
                if !peer && (net != Net::Vpc || !list) {
                    out.insert((m.type_name.clone(), path, net));
                }
            }
            Ty::Struct(name) => {
                if let Some(s) = m.structs.iter().find(|s| &s.name == name) {
                    walk(m, &s.fields, &format!("{below}/"), depth + 1, out);
                }
            }
            _ => {}
        }
    }
}

/// The rows of one model.
fn rows_of(m: &ResourceModel) -> BTreeSet<Row> {
    let mut out = BTreeSet::new();
    walk(m, &m.fields, "", 0, &mut out);
    out
}

/// Every listed property of `models`, sorted.
pub fn rows<'m>(models: impl IntoIterator<Item = &'m ResourceModel>) -> BTreeSet<Row> {
    models.into_iter().flat_map(rows_of).collect()
}

/// The `Fn::GetAtt` attributes of `models` whose kind names a subnet, a group or a VPC
/// (alone or in a list; a list of VPCs is left out as for properties), sorted.
pub fn attribute_rows<'m>(models: impl IntoIterator<Item = &'m ResourceModel>) -> BTreeSet<Row> {
    let mut out = BTreeSet::new();
    for m in models {
        for a in &m.attributes {
            let mut ty = &a.ty;
            let mut list = false;
            while let Ty::List(item) = ty {
                ty = item;
                list = true;
            }
            let Ty::Kind(rust) = ty else { continue };
            let Some(net) = m.kinds.get(rust).and_then(|f| of_format(f)) else {
                continue;
            };
            if net != Net::Vpc || !list {
                out.insert((m.type_name.clone(), a.name.clone(), net));
            }
        }
    }
    out
}

/// The subnet groups of `models` (module docs): types named `...SubnetGroup` whose only
/// rows are top-level subnet lists.
pub fn subnet_groups<'m>(models: impl IntoIterator<Item = &'m ResourceModel>) -> BTreeSet<String> {
    models
        .into_iter()
        .filter(|m| m.resource.ends_with(SUBNET_GROUP))
        .filter(|m| {
            let rows = rows_of(m);
            !rows.is_empty()
                && rows
                    .iter()
                    .all(|(_, path, net)| *net == Net::Subnet && !path.contains('/'))
        })
        .map(|m| m.type_name.clone())
        .collect()
}

/// `dsl/src/generated/networks.rs`: [`rows`] and [`subnet_groups`] as sorted static tables.
pub fn module<'m>(models: impl IntoIterator<Item = &'m ResourceModel> + Clone) -> String {
    let mut out = String::from(crate::emit::HEADER);
    out.push_str(
        "//! The properties that name a subnet, a security group or the VPC of a resource, by\n//! type and slash path (`*` for the items of a list or map), from the kinds the generator\n//! gave them, and the subnet group types: synth's one-VPC check reads them. Written by\n//! nephos-codegen (`dsl/codegen/src/networks.rs`, whose docs say what is left out).\n\n",
    );
    out.push_str(
        "/// What a listed property names.\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub(crate) enum Net {\n    /// A subnet (`AWS::EC2::Subnet.Id`).\n    Subnet,\n    /// A security group (`AWS::EC2::SecurityGroup.Id`).\n    SecurityGroup,\n    /// The VPC (`AWS::EC2::VPC.Id`).\n    Vpc,\n}\n\n",
    );
    out.push_str(
        "/// `(type, path, what it names)`, sorted.\n#[rustfmt::skip]\npub(crate) static NETWORK_PROPERTIES: &[(&str, &str, Net)] = &[\n",
    );
    for (t, p, n) in rows(models.clone()) {
        let _ = writeln!(out, "    ({t:?}, {p:?}, Net::{}),", n.variant());
    }
    out.push_str("];\n\n");
    out.push_str(
        "/// `(type, Fn::GetAtt attribute, what it names)`: the value is a subnet, a group or the\n/// VPC of the resource that has the attribute, so it is in that resource's VPC. Sorted.\n#[rustfmt::skip]\npub(crate) static NETWORK_ATTRIBUTES: &[(&str, &str, Net)] = &[\n",
    );
    for (t, a, n) in attribute_rows(models.clone()) {
        let _ = writeln!(out, "    ({t:?}, {a:?}, Net::{}),", n.variant());
    }
    out.push_str("];\n\n");
    out.push_str(
        "/// The subnet group types: their subnets are in one VPC, and so is a resource that names\n/// one by `Ref`. Sorted.\n#[rustfmt::skip]\npub(crate) static SUBNET_GROUPS: &[&str] = &[\n",
    );
    for t in subnet_groups(models) {
        let _ = writeln!(out, "    {t:?},");
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_union_members_name_networks() {
        assert_eq!(of_format("AWS::EC2::Subnet.Id"), Some(Net::Subnet));
        assert_eq!(
            of_format("AWS::EC2::SecurityGroup.Id | AWS::EC2::SecurityGroup.Name"),
            Some(Net::SecurityGroup)
        );
        assert_eq!(of_format("AWS::EC2::VPC.Id"), Some(Net::Vpc));
        assert_eq!(of_format("AWS::EC2::SecurityGroup.Name"), None);
        assert_eq!(of_format("AWS::EC2::Subnet.AvailabilityZone"), None);
    }
}
