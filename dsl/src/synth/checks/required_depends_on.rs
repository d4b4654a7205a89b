//! Orderings CloudFormation does not infer and AWS documents as required: without them
//! the deploy fails whenever CloudFormation happens to create the resources in the wrong
//! order (a race: a stack that deployed once can fail the next time).
//!
//! - A resource that needs the gateway of its VPC (a route through an internet or VPN
//!   gateway, a VPN gateway's route propagation, an Elastic IP, a public NAT gateway, an
//!   internet-facing load balancer, an instance, Auto Scaling group or DB instance with a
//!   public IP) when the stack attaches that gateway with an
//!   `AWS::EC2::VPCGatewayAttachment`: it must depend on the attachment. CloudFormation
//!   User Guide, "DependsOn attribute", section "When a DependsOn attribute is required"
//!   (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html#gatewayattachment>).
//! - An ECS service (or task set) behind a target group of the stack: it must depend on a
//!   listener (or listener rule) forwarding to the target group, or ECS refuses it ("The
//!   target group ... does not have an associated load balancer";
//!   <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html>,
//!   `LoadBalancers`: "the service also requires a dependency on the listener rule"; the CDK
//!   adds the same ordering in `BaseService.attachToELBv2`).
//!
//! - A Lambda function mounting an EFS access point (`FileSystemConfigs`) whose file
//!   system has mount targets in the stack: it must depend on every one of them ("If your
//!   template contains an AWS::EFS::MountTarget resource, you must also specify a
//!   DependsOn attribute to ensure that the mount target is created or updated before the
//!   function",
//!   <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html>,
//!   `FileSystemConfigs`; the CDK's `Function` depends on the file system's
//!   `mountTargetsAvailable`, all of them): Lambda refuses a function whose mount target
//!   is not available yet.
//!
//! A dependency counts whatever its path: a `DependsOn`, a reference, or a chain of them
//! (a NAT gateway referring to an Elastic IP that depends on the attachment waits for it).
//!
//! Refused, not added: a `DependsOn` added at synth would change the order of resources
//! the user wrote without saying so, and where several attachments or listeners could
//! serve, which one to wait for is the user's choice. The message names the `DependsOn`
//! to add.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::by_type::Resources;
use crate::synth::reach::Reach;
use crate::synth::template::Resolved;
use crate::value::expr::Expr;

use super::paths::{alternatives, literal, resource_named};

const ATTACHMENT: &str = "AWS::EC2::VPCGatewayAttachment";
const DOC: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html#gatewayattachment";

/// The gateway attachments of the stack: each one's position, VPC and gateway (logical
/// IDs of resources of the stack) and whether the gateway is an internet gateway.
struct Attachment<'r> {
    position: usize,
    vpc: Option<&'r str>,
    gateway: &'r str,
    internet: bool,
}

/// What a resource must wait for: the attachments (any one suffices) or the mount
/// targets (every one), and why.
struct Wait {
    positions: Vec<usize>,
    /// Every one of `positions` is needed, not any one.
    all: bool,
    why: String,
    fix_what: &'static str,
    /// The page that documents the ordering.
    doc: &'static str,
}

/// AWS's page on a function's `FileSystemConfigs` and the `DependsOn` it needs.
const LAMBDA_DOC: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html";

/// The EFS mount targets of the stack by the file system (logical ID) they serve, by
/// position.
fn mount_targets<'r>(resources: &Resources<'r, '_>) -> BTreeMap<&'r str, Vec<usize>> {
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (position, r) in resources.positioned(&["AWS::EFS::MountTarget"]) {
        if r.entry.condition.is_some() {
            continue;
        }
        if let Some(fs) = r.field("FileSystemId").and_then(resource_named) {
            out.entry(fs).or_default().push(position);
        }
    }
    out
}

/// What a Lambda function must wait for: the mount targets of the file system of each
/// access point of the stack it mounts.
fn mount_waits(r: &Resolved, ids: &Resources, targets: &BTreeMap<&str, Vec<usize>>) -> Vec<Wait> {
    if r.entry.type_name != "AWS::Lambda::Function" {
        return Vec::new();
    }
    let mut out = Vec::new();
    for config in list(r.field("FileSystemConfigs")) {
        let Expr::Object(map) = config else { continue };
        for arn in map.get("Arn").into_iter().flat_map(alternatives) {
            let Some(ap) = resource_named(arn)
                .and_then(|a| ids.get(a))
                .filter(|a| a.entry.type_name == "AWS::EFS::AccessPoint")
            else {
                continue;
            };
            let Some(fs) = ap.field("FileSystemId").and_then(resource_named) else {
                continue;
            };
            if let Some(positions) = targets.get(fs) {
                out.push(Wait {
                    positions: positions.clone(),
                    all: true,
                    why: format!(
                        "mounts access point `{}` of file system `{fs}`, whose mount targets the stack creates",
                        ap.entry.target.id
                    ),
                    fix_what: "the file system's mount targets",
                    doc: LAMBDA_DOC,
                });
            }
        }
    }
    out
}

fn attachments<'r>(resources: &Resources<'r, '_>) -> Vec<Attachment<'r>> {
    let mut out = Vec::new();
    for (position, r) in resources.positioned(&[ATTACHMENT]) {
        if r.entry.condition.is_some() {
            continue;
        }
        let vpc = r.field("VpcId").and_then(resource_named);
        for (field, internet) in [("InternetGatewayId", true), ("VpnGatewayId", false)] {
            if let Some(gateway) = r.field(field).and_then(resource_named) {
                out.push(Attachment {
                    position,
                    vpc,
                    gateway,
                    internet,
                });
            }
        }
    }
    out
}

/// The VPC (a resource of the stack) of the subnet `e` names, when the subnet is a subnet
/// of the stack.
fn vpc_of_subnet<'r>(e: &Expr, ids: &Resources<'r, '_>) -> Option<&'r str> {
    let subnet = ids
        .get(resource_named(e)?)
        .filter(|s| s.entry.type_name == "AWS::EC2::Subnet")?;
    subnet.field("VpcId").and_then(resource_named)
}

/// Whether a subnet of the stack gives its instances public IPs (`MapPublicIpOnLaunch`).
fn maps_public_ip(e: &Expr, ids: &Resources) -> bool {
    resource_named(e)
        .and_then(|t| ids.get(t))
        .and_then(|s| s.field("MapPublicIpOnLaunch"))
        .is_some_and(is_true)
}

fn is_true(e: &Expr) -> bool {
    match e {
        Expr::Lit(v) => v.as_bool() == Some(true) || v.as_str() == Some("true"),
        _ => false,
    }
}

/// The subnets a list property names (a literal list of references).
fn list(e: Option<&Expr>) -> &[Expr] {
    match e {
        Some(Expr::Array(items)) => items,
        _ => &[],
    }
}

/// The internet gateway attachments of the VPCs of `subnets`.
fn internet_of_subnets(subnets: &[&Expr], ids: &Resources, atts: &[Attachment]) -> Vec<usize> {
    let vpcs: Vec<&str> = subnets
        .iter()
        .filter_map(|s| vpc_of_subnet(s, ids))
        .collect();
    atts.iter()
        .filter(|a| a.internet && a.vpc.is_some_and(|v| vpcs.contains(&v)))
        .map(|a| a.position)
        .collect()
}

/// What `r` must wait for among the gateway attachments.
fn gateway_wait(r: &Resolved, ids: &Resources, atts: &[Attachment]) -> Option<Wait> {
    let of_gateway = |field: &str| -> Vec<usize> {
        let Some(g) = r.field(field).and_then(resource_named) else {
            return Vec::new();
        };
        atts.iter()
            .filter(|a| a.gateway == g)
            .map(|a| a.position)
            .collect()
    };
    let (positions, why) = match r.entry.type_name.as_str() {
        "AWS::EC2::Route" => (
            of_gateway("GatewayId"),
            "routes through a gateway the stack attaches to its VPC",
        ),
        "AWS::EC2::VPNGatewayRoutePropagation" => (
            of_gateway("VpnGatewayId"),
            "propagates the routes of a VPN gateway the stack attaches to its VPC",
        ),
        "AWS::EC2::EIP" if r.field("Domain").and_then(literal) == Some("vpc") => (
            atts.iter()
                .filter(|a| a.internet)
                .map(|a| a.position)
                .collect(),
            "is an Elastic IP address of a VPC in a stack that attaches an internet gateway",
        ),
        "AWS::EC2::NatGateway"
            if r.field("ConnectivityType")
                .and_then(literal)
                .unwrap_or("public")
                == "public" =>
        {
            let subnet: Vec<&Expr> = r.field("SubnetId").into_iter().collect();
            (
                internet_of_subnets(&subnet, ids, atts),
                "is a public NAT gateway in a VPC whose internet gateway the stack attaches",
            )
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer"
            if r.field("Scheme")
                .and_then(literal)
                .unwrap_or("internet-facing")
                == "internet-facing"
                && r.field("Scheme").is_none_or(|s| literal(s).is_some()) =>
        {
            let mut subnets: Vec<&Expr> = list(r.field("Subnets")).iter().collect();
            for m in list(r.field("SubnetMappings")) {
                if let Expr::Object(map) = m
                    && let Some(s) = map.get("SubnetId")
                {
                    subnets.push(s);
                }
            }
            (
                internet_of_subnets(&subnets, ids, atts),
                "is an internet-facing load balancer in a VPC whose internet gateway the stack attaches",
            )
        }
        "AWS::EC2::Instance" => {
            let mut subnets: Vec<&Expr> = Vec::new();
            for n in list(r.field("NetworkInterfaces")) {
                if let Expr::Object(map) = n
                    && map.get("AssociatePublicIpAddress").is_some_and(is_true)
                    && let Some(s) = map.get("SubnetId")
                {
                    subnets.push(s);
                }
            }
            if let Some(s) = r.field("SubnetId").filter(|s| maps_public_ip(s, ids)) {
                subnets.push(s);
            }
            (
                internet_of_subnets(&subnets, ids, atts),
                "is an instance with a public IP address in a VPC whose internet gateway the stack attaches",
            )
        }
        "AWS::AutoScaling::AutoScalingGroup" => {
            let subnets: Vec<&Expr> = list(r.field("VPCZoneIdentifier"))
                .iter()
                .filter(|s| maps_public_ip(s, ids))
                .collect();
            (
                internet_of_subnets(&subnets, ids, atts),
                "launches instances with public IP addresses in a VPC whose internet gateway the stack attaches",
            )
        }
        "AWS::RDS::DBInstance" if r.field("PubliclyAccessible").is_some_and(is_true) => {
            let group = r
                .field("DBSubnetGroupName")
                .and_then(resource_named)
                .and_then(|g| ids.get(g))
                .filter(|g| g.entry.type_name == "AWS::RDS::DBSubnetGroup");
            let subnets: Vec<&Expr> = group
                .map(|g| list(g.field("SubnetIds")).iter().collect())
                .unwrap_or_default();
            (
                internet_of_subnets(&subnets, ids, atts),
                "is a publicly accessible DB instance in a VPC whose internet gateway the stack attaches",
            )
        }
        _ => return None,
    };
    (!positions.is_empty()).then(|| Wait {
        positions,
        all: false,
        why: why.to_string(),
        fix_what: "the gateway attachment",
        doc: DOC,
    })
}

/// The listeners and listener rules of the stack forwarding to each target group (by
/// logical ID), by position.
fn forwarders<'r>(resources: &Resources<'r, '_>) -> BTreeMap<&'r str, Vec<usize>> {
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let types = [
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
    ];
    for (position, r) in resources.positioned(&types) {
        let actions = match r.entry.type_name.as_str() {
            "AWS::ElasticLoadBalancingV2::Listener" => "DefaultActions",
            "AWS::ElasticLoadBalancingV2::ListenerRule" => "Actions",
            _ => continue,
        };
        if r.entry.condition.is_some() {
            continue;
        }
        for action in list(r.field(actions)) {
            let Expr::Object(map) = action else { continue };
            let mut groups: Vec<&Expr> = map.get("TargetGroupArn").into_iter().collect();
            if let Some(Expr::Object(forward)) = map.get("ForwardConfig") {
                for g in list(forward.get("TargetGroups")) {
                    if let Expr::Object(g) = g
                        && let Some(arn) = g.get("TargetGroupArn")
                    {
                        groups.push(arn);
                    }
                }
            }
            for g in groups.into_iter().flat_map(alternatives) {
                if let Some(t) = resource_named(g) {
                    out.entry(t).or_default().push(position);
                }
            }
        }
    }
    out
}

/// What an ECS service or task set must wait for: a listener forwarding to each of its
/// target groups of the stack.
fn listener_waits(r: &Resolved, forwarding: &BTreeMap<&str, Vec<usize>>) -> Vec<Wait> {
    if !matches!(
        r.entry.type_name.as_str(),
        "AWS::ECS::Service" | "AWS::ECS::TaskSet"
    ) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for lb in list(r.field("LoadBalancers")) {
        let Expr::Object(map) = lb else { continue };
        let Some(group) = map.get("TargetGroupArn").and_then(resource_named) else {
            continue;
        };
        if let Some(positions) = forwarding.get(group) {
            out.push(Wait {
                positions: positions.clone(),
                why: format!(
                    "runs tasks behind target group `{group}`, which ECS takes only once a listener of the stack forwards to it"
                ),
                all: false,
                fix_what: "a listener (or listener rule) forwarding to the target group",
                doc: DOC,
            });
        }
    }
    out
}

/// Refuses each resource that needs an ordering AWS documents and has no path of
/// dependencies to it.
pub(super) fn check(stack: &Stack, resources: &Resources, diags: &mut Vec<Diagnostic>) {
    let atts = attachments(resources);
    let forwarding = forwarders(resources);
    let targets = mount_targets(resources);
    if atts.is_empty() && forwarding.is_empty() && targets.is_empty() {
        return;
    }
    let ids = resources;
    let resolved = resources.all();
    for (position, r) in resolved.iter().enumerate() {
        if r.entry.condition.is_some() {
            continue;
        }
        let mut waits: Vec<Wait> = Vec::new();
        if !atts.is_empty() {
            waits.extend(gateway_wait(r, ids, &atts));
        }
        if !forwarding.is_empty() {
            waits.extend(listener_waits(r, &forwarding));
        }
        if !targets.is_empty() {
            waits.extend(mount_waits(r, ids, &targets));
        }
        if waits.is_empty() {
            continue;
        }
        // `Reach` walks the stack's resources; `resolved` lists them in the same order.
        let reach = Reach::from(stack, [position]);
        let id = &r.entry.target.id;
        for wait in waits {
            let missing: Vec<usize> = if wait.all {
                wait.positions
                    .iter()
                    .copied()
                    .filter(|p| !reach.contains(*p))
                    .collect()
            } else if wait.positions.iter().any(|p| reach.contains(*p)) {
                Vec::new()
            } else {
                wait.positions.clone()
            };
            if missing.is_empty() {
                continue;
            }
            let names: Vec<String> = missing
                .iter()
                .map(|p| format!("`{}`", resolved[*p].entry.target.id))
                .collect();
            let first = &resolved[missing[0]].entry.target.id;
            let (listed, add) = if wait.all {
                let bare: Vec<&str> = missing
                    .iter()
                    .map(|p| &*resolved[*p].entry.target.id)
                    .collect();
                (
                    names.join(" and "),
                    if bare.len() == 1 {
                        format!("`DependsOn: {first}`")
                    } else {
                        format!("`DependsOn: [{}]`", bare.join(", "))
                    },
                )
            } else {
                (names.join(" or "), format!("`DependsOn: {first}`"))
            };
            diags.push(Diagnostic::error(
                Location::resource(id),
                format!(
                    "`{id}` ({}) {}, but does not wait for {} ({listed}): CloudFormation may create it first, and the deploy then fails (\"When a DependsOn attribute is required\", {})",
                    r.entry.type_name, wait.why, wait.fix_what, wait.doc,
                ),
                format!(
                    "add {add} to `{id}` (`stack.resource(&handle).depends_on(&other)` with the handles of `{id}` and {})",
                    if wait.all {
                        "each of them".to_string()
                    } else {
                        format!("`{first}`")
                    }
                ),
            ));
        }
    }
}
