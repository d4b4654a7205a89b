//! `Fn::GetAtt` of an attribute the resource does not have, because the stack's own value of
//! a deciding property says so: a Redis replication group has a `ConfigurationEndPoint` only
//! in cluster mode and a `PrimaryEndPoint` only without it, a DynamoDB table a `StreamArn`
//! only with a `StreamSpecification`, a private hosted zone no `NameServers`, an RDS
//! instance a `MasterUserSecret.SecretArn` only when RDS manages the password. CloudFormation
//! fails the `Fn::GetAtt` at deploy ("Attribute ... was not found"), or the reference reads
//! nothing.
//!
//! The table is the reviewed `dsl/codegen/data/conditional_attributes.json` (each row with
//! its AWS page and quoted sentence), which the generator checks against the schemas and
//! writes as Rust (`crate::conditional_attributes_data::ROWS`): synth parses no JSON. A
//! reference is refused when the deciding property is a literal (or absent, read as the
//! default the row gives) that says the attribute is absent; a computed value (a
//! parameter, `Fn::If`...) or a property that leaves the answer to something synth cannot
//! see (a snapshot, a launch template: the row's `undecided_when_set`) is let through in
//! silence. Every `Fn::GetAtt` the checks' walk meets is judged: in properties (a
//! `Fn::Sub` string's `${Id.Attr}` included), outputs, exports, conditions and rules. A
//! rule is evaluated only for a `Fn::GetAtt` that names one of the table's attributes.

use crate::conditional_attributes_data::ROWS;
use crate::diagnostic::{Diagnostic, Location};
use crate::stack::stack::Stack;
use crate::synth::template::Resolved;
use crate::value::expr::{Expr, TargetKind, field};

use super::paths::open;

/// One row of the reviewed table: the attributes of `type_name` that exist only as `rule`
/// says.
#[derive(Debug)]
pub(crate) struct Row {
    /// The resource type.
    pub(crate) type_name: &'static str,
    /// The `Fn::GetAtt` names.
    pub(crate) attributes: &'static [&'static str],
    /// When they exist.
    pub(crate) rule: Rule,
    /// Properties whose presence leaves the answer to what synth cannot see.
    pub(crate) undecided_when_set: &'static [&'static str],
    /// The condition under which the attributes exist, in words.
    pub(crate) present_when: &'static str,
    /// The AWS page that says so.
    pub(crate) source: &'static str,
    /// `documented` (the page states it), `implied` (it follows from the page) or
    /// `failure_report` (a reported deploy shows the `Fn::GetAtt` failing).
    pub(crate) evidence: &'static str,
}

/// When a row's attributes exist.
#[derive(Debug)]
pub(crate) enum Rule {
    /// When the property is set.
    Set(&'static str),
    /// When the property is not set.
    Unset(&'static str),
    /// When the literal property is one of `values` (case-insensitively).
    OneOf {
        property: &'static str,
        values: &'static [&'static str],
    },
    /// When the boolean property is true; `absent` is its value when not set.
    True {
        property: &'static str,
        absent: bool,
    },
    /// When the list `property`.`member` holds `value`; `absent`: whether they exist when
    /// the list is not set.
    Contains {
        property: &'static str,
        member: &'static str,
        value: &'static str,
        absent: bool,
    },
    /// ElastiCache: when cluster mode is enabled (`true`) or disabled (`false`).
    ClusterMode(bool),
    /// EC2: when the instance gets a public IPv4 address.
    PublicIp,
}

/// Whether a property is given, from the stack's value of it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    Set,
    Unset,
    /// Computed either way (`Fn::If` with a value on one branch only).
    Unknown,
}

fn state(e: Option<&Expr>) -> State {
    match e {
        None | Some(Expr::NoValue) | Some(Expr::Lit(serde_json::Value::Null)) => State::Unset,
        Some(Expr::If(_, a, b)) => match (state(Some(a)), state(Some(b))) {
            (x, y) if x == y => x,
            _ => State::Unknown,
        },
        Some(_) => State::Set,
    }
}

/// A literal text.
fn text(e: Option<&Expr>) -> Option<&str> {
    match e {
        Some(Expr::Lit(v)) => v.as_str(),
        _ => None,
    }
}

/// A literal boolean (`true`, or the text CloudFormation also takes).
fn boolean(e: Option<&Expr>) -> Option<bool> {
    match e {
        Some(Expr::Lit(v)) => v.as_bool().or_else(|| match v.as_str()? {
            t if t.eq_ignore_ascii_case("true") => Some(true),
            t if t.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }),
        _ => None,
    }
}

/// A literal non-negative integer (a number or its text).
fn count(e: Option<&Expr>) -> Option<u64> {
    match e {
        Some(Expr::Lit(v)) => v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()),
        _ => None,
    }
}

/// Judges every `Fn::GetAtt` in `e` (not a resource property: an output, an export, a
/// condition or a rule); `location` is made only for a diagnostic.
pub(super) fn expression(
    stack: &Stack,
    resolved: &[Resolved],
    location: &dyn Fn() -> Location,
    e: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    e.walk(&mut |n| node(stack, resolved, location, n, diags));
}

/// Judges one node (not its children), for a walk that visits every node itself.
pub(super) fn node(
    stack: &Stack,
    resolved: &[Resolved],
    location: &dyn Fn() -> Location,
    node: &Expr,
    diags: &mut Vec<Diagnostic>,
) {
    let Expr::GetAtt(t, attribute) = node else {
        return;
    };
    let attribute: &str = attribute;
    if t.kind != TargetKind::Resource || !ROWS.iter().any(|row| row.attributes.contains(&attribute))
    {
        return;
    }
    let Some(r) = stack.position(t).and_then(|i| resolved.get(i)) else {
        return;
    };
    let type_name = &*r.entry.type_name;
    let Some(row) = ROWS
        .iter()
        .find(|row| row.type_name == type_name && row.attributes.contains(&attribute))
    else {
        return;
    };
    if row
        .undecided_when_set
        .iter()
        .any(|p| state(r.field(p)) != State::Unset)
    {
        return;
    }
    let Some(why) = absent(row, r, stack, resolved) else {
        return;
    };
    let id = &*t.id;
    let evidence = match row.evidence {
        "documented" => "AWS documentation",
        "failure_report" => "reported deploys fail so; AWS documentation",
        _ => "as the AWS documentation implies",
    };
    diags.push(Diagnostic::error(
        location(),
        format!(
            "`Fn::GetAtt {id}.{attribute}`: {type_name} `{id}` has no `{attribute}`, because {why}: it exists only {} ({evidence}: {}), so CloudFormation fails the reference at deploy or it reads nothing",
            when(row.present_when),
            row.source
        ),
        fix(row, id, attribute),
    ));
}

/// The row's condition after "exists only": "when ..." unless it reads as a noun phrase
/// ("for a public hosted zone").
fn when(present_when: &str) -> String {
    let noun = ["a ", "an ", "cluster mode"]
        .iter()
        .any(|p| present_when.starts_with(p));
    match (noun, present_when.starts_with("cluster mode")) {
        (true, true) => format!("with {present_when}"),
        (true, false) => format!("for {present_when}"),
        (false, _) => format!("when {present_when}"),
    }
}

/// Why the stack's values say `row`'s attributes are absent on `r`; `None` when they are
/// present or synth cannot tell.
fn absent(row: &Row, r: &Resolved, stack: &Stack, resolved: &[Resolved]) -> Option<String> {
    match row.rule {
        Rule::Set(p) => (state(r.field(p)) == State::Unset).then(|| format!("`{p}` is not set")),
        Rule::Unset(p) => (state(r.field(p)) == State::Set).then(|| format!("`{p}` is set")),
        Rule::OneOf { property, values } => {
            let v = text(r.field(property))?;
            (!values.iter().any(|x| x.eq_ignore_ascii_case(v)))
                .then(|| format!("`{property}` is `{v}`"))
        }
        Rule::True { property, absent } => {
            let (value, how) = match state(r.field(property)) {
                State::Unset => (absent, "not set"),
                State::Set => (boolean(r.field(property))?, "literally"),
                State::Unknown => return None,
            };
            (!value).then(|| format!("`{property}` is {how} false"))
        }
        Rule::Contains {
            property,
            member,
            value,
            absent,
        } => {
            // A literal JSON value is opened up, so literal and built values read alike.
            let list = match state(r.field(property)) {
                State::Unset => None,
                State::Set => {
                    let object = open(r.field(property)?);
                    match state(field(&object, member)) {
                        State::Unset => None,
                        State::Set => Some(open(field(&object, member)?).into_owned()),
                        State::Unknown => return None,
                    }
                }
                State::Unknown => return None,
            };
            let Some(list) = list else {
                return (!absent).then(|| format!("`{property}.{member}` is not set"));
            };
            let Expr::Array(items) = &list else {
                return None;
            };
            let mut texts = Vec::new();
            for item in items {
                let t = text(Some(item))?;
                if t.eq_ignore_ascii_case(value) {
                    return None;
                }
                texts.push(format!("`{t}`"));
            }
            Some(format!(
                "`{property}.{member}` is [{}] (no `{value}`)",
                texts.join(", ")
            ))
        }
        Rule::ClusterMode(present_when_enabled) => {
            let (enabled, why) = cluster_mode(r)?;
            (enabled != present_when_enabled).then_some(why)
        }
        Rule::PublicIp => public_ip(r, stack, resolved),
    }
}

/// Whether the replication group `r` runs in cluster mode, with why, when its literal
/// properties say: `ClusterMode` (`enabled`/`disabled`; `compatible` is not decided),
/// more than one node group (`NumNodeGroups`, `NodeGroupConfiguration`), or, without
/// either, the parameter group (absent: the engine's default, cluster mode off; a default
/// group by name: `.cluster.on` or not; another group: not decided).
fn cluster_mode(r: &Resolved) -> Option<(bool, String)> {
    let mut shards: Option<String> = None;
    match state(r.field("NumNodeGroups")) {
        State::Unset => {}
        State::Set => {
            let n = count(r.field("NumNodeGroups"))?;
            if n > 1 {
                shards = Some(format!("`NumNodeGroups` is {n}"));
            }
        }
        State::Unknown => return None,
    }
    match r.field("NodeGroupConfiguration").map(open).as_deref() {
        None | Some(Expr::NoValue) => {}
        Some(Expr::Array(groups)) => {
            if groups.len() > 1 && shards.is_none() {
                shards = Some(format!(
                    "`NodeGroupConfiguration` lists {} node groups",
                    groups.len()
                ));
            }
        }
        Some(_) => return None,
    }
    match state(r.field("ClusterMode")) {
        State::Set => {
            let mode = text(r.field("ClusterMode"))?;
            if mode.eq_ignore_ascii_case("enabled") {
                return Some((true, "`ClusterMode` is `enabled`".to_string()));
            }
            // `disabled` with more than one node group is refused by ElastiCache itself.
            return (mode.eq_ignore_ascii_case("disabled") && shards.is_none())
                .then(|| (false, "`ClusterMode` is `disabled`".to_string()));
        }
        State::Unknown => return None,
        State::Unset => {}
    }
    if let Some(why) = shards {
        return Some((true, why));
    }
    match state(r.field("CacheParameterGroupName")) {
        State::Unset => Some((
            false,
            "cluster mode is off: no `ClusterMode`, at most one node group and the engine's default parameter group".to_string(),
        )),
        State::Set => {
            let name = text(r.field("CacheParameterGroupName"))?;
            name.starts_with("default.").then(|| {
                let on = name.ends_with(".cluster.on");
                (
                    on,
                    format!(
                        "its parameter group `{name}` has cluster mode {}",
                        if on { "on" } else { "off" }
                    ),
                )
            })
        }
        State::Unknown => None,
    }
}

/// Why the instance `r` gets no public IPv4 address, when the stack says so: its primary
/// network interface (device index 0, not an existing interface) literally has
/// `AssociatePublicIpAddress` false; or, without `NetworkInterfaces`, its `SubnetId` is a
/// `Ref` to a subnet of the stack that does not map public addresses on launch and the
/// stack associates no Elastic IP address (which would give it one after the create).
fn public_ip(r: &Resolved, stack: &Stack, resolved: &[Resolved]) -> Option<String> {
    match state(r.field("NetworkInterfaces")) {
        State::Unknown => None,
        State::Set => {
            let interfaces = open(r.field("NetworkInterfaces")?);
            let Expr::Array(interfaces) = &*interfaces else {
                return None;
            };
            let primary = interfaces
                .iter()
                .find(|i| count(field(i, "DeviceIndex")) == Some(0))?;
            if state(field(primary, "NetworkInterfaceId")) != State::Unset {
                return None;
            }
            (boolean(field(primary, "AssociatePublicIpAddress")) == Some(false)).then(|| {
                "its primary network interface (DeviceIndex 0) has `AssociatePublicIpAddress` false"
                    .to_string()
            })
        }
        State::Unset => {
            let Some(Expr::Ref(subnet)) = r.field("SubnetId") else {
                return None;
            };
            let s = stack.position(subnet).and_then(|i| resolved.get(i))?;
            if s.entry.type_name != "AWS::EC2::Subnet"
                || resolved.iter().any(|x| {
                    matches!(
                        &*x.entry.type_name,
                        "AWS::EC2::EIP" | "AWS::EC2::EIPAssociation"
                    )
                })
            {
                return None;
            }
            let maps = match state(s.field("MapPublicIpOnLaunch")) {
                State::Unset => false,
                State::Set => boolean(s.field("MapPublicIpOnLaunch"))?,
                State::Unknown => return None,
            };
            (!maps).then(|| {
                format!(
                    "its subnet `{}` does not map public IPv4 addresses on launch (`MapPublicIpOnLaunch` is not true) and it has no `NetworkInterfaces` asking for one",
                    subnet.id
                )
            })
        }
    }
}

/// The fix for reading `attribute` of `id` where `row` says it is absent.
fn fix(row: &Row, id: &str, attribute: &str) -> String {
    match row.rule {
        Rule::Set(p) => format!("set `{p}` on `{id}`, or do not read `{attribute}`"),
        Rule::Unset(p) => format!("do not read `{attribute}` while `{id}` sets `{p}`"),
        Rule::OneOf { property, values } => format!(
            "read the attribute that matches `{id}`'s `{property}`, or set `{property}` to {}",
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        Rule::True { property, .. } => format!(
            "set `{property}` to true on `{id}`, or do not read `{attribute}` (read the secret or password you manage yourself)"
        ),
        Rule::Contains {
            property,
            member,
            value,
            ..
        } => format!(
            "add `{value}` to `{property}.{member}` of `{id}`, or read the attribute of the endpoint type it has"
        ),
        Rule::ClusterMode(true) => format!(
            "read `PrimaryEndPoint.Address`/`PrimaryEndPoint.Port` of a group without cluster mode, or enable cluster mode on `{id}` (`ClusterMode: enabled`, or more than one node group)"
        ),
        Rule::ClusterMode(false) => format!(
            "read `ConfigurationEndPoint.Address`/`ConfigurationEndPoint.Port` of a group in cluster mode, or disable cluster mode on `{id}`"
        ),
        Rule::PublicIp => format!(
            "give `{id}` a public IPv4 address (`AssociatePublicIpAddress: true` on its primary network interface, or a subnet with `MapPublicIpOnLaunch: true`), or read `PrivateIp`/`PrivateDnsName`"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_its_type_and_a_documentation_page() {
        assert!(ROWS.len() >= 14);
        for row in ROWS {
            assert!(row.type_name.starts_with("AWS::"), "{row:?}");
            assert!(!row.attributes.is_empty(), "{row:?}");
            assert!(
                row.source.starts_with("https://docs.aws.amazon.com/"),
                "{row:?}"
            );
            // Each attribute is one the registry facts list for the type.
            let facts = crate::facts::resource(row.type_name).unwrap();
            for a in row.attributes {
                assert!(facts.attributes().any(|x| x == *a), "{}.{a}", row.type_name);
            }
        }
    }

    #[test]
    fn state_reads_a_conditional_value_as_unknown_only_when_its_branches_differ() {
        let stack = Stack::new("S");
        let c = crate::value::expr::Target {
            stack: stack.key.clone(),
            kind: TargetKind::Condition,
            id: "C".into(),
        };
        let lit = Expr::Lit(serde_json::json!("x"));
        let both = Expr::If(c.clone(), Box::new(lit.clone()), Box::new(lit.clone()));
        let one = Expr::If(c, Box::new(lit.clone()), Box::new(Expr::NoValue));
        assert_eq!(state(Some(&both)), State::Set);
        assert_eq!(state(Some(&one)), State::Unknown);
        assert_eq!(state(Some(&Expr::NoValue)), State::Unset);
        assert_eq!(state(None), State::Unset);
    }
}
