//! A Route 53 alias target's `DNSName` and `HostedZoneId` are a pair: a load balancer's DNS
//! name goes with its `CanonicalHostedZoneID`, a CloudFront distribution's with
//! `Z2FDTNDATAQYW2`. Synth refuses a pair whose ends are both known and disagree, naming the
//! zone that goes with the DNS name (atk13b F9; the pairs are `dsl/data/alias-target-zones.json`).
//! Untyped resources, so the test needs no service feature.

use nephos::kind::{Any, Str};
use nephos::{Diagnostic, IntoValue, RawResource, ResourceRef, Severity, Stack, Value};

fn errors(stack: &Stack) -> Vec<String> {
    let d: Vec<Diagnostic> = match stack.synth() {
        Ok(t) => t.warnings().to_vec(),
        Err(e) => e.diagnostics,
    };
    d.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

fn alias(dns: Value<Str>, zone: Value<Any>) -> Value<Any> {
    Value::object([("DNSName", dns.into_any()), ("HostedZoneId", zone)])
}

/// A stack with a hosted zone, an ALB, a second ALB and a distribution, and one alias
/// record per `(dns, zone)` built from them.
/// Builds a record's alias target from the stack's resources.
type Build = fn(&Handles) -> (Value<Str>, Value<Any>);

fn stack_with(pairs: &[(&str, Build)]) -> Stack {
    let mut stack = Stack::new("App");
    let zone = stack.add(
        "Zone",
        RawResource::new("AWS::Route53::HostedZone").property("Name", "example.com"),
    );
    let lb = |stack: &mut Stack, id: &str| {
        stack.add(
            id,
            RawResource::new("AWS::ElasticLoadBalancingV2::LoadBalancer").property(
                "Subnets",
                serde_json::json!(["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]),
            ),
        )
    };
    let lb1 = lb(&mut stack, "Lb");
    let lb2 = lb(&mut stack, "Other");
    let cdn = stack.add(
        "Cdn",
        RawResource::new("AWS::CloudFront::Distribution")
            .property("DistributionConfig", serde_json::json!({"Enabled": true})),
    );
    let h = Handles {
        zone,
        lb: lb1,
        other: lb2,
        cdn,
    };
    for (id, build) in pairs {
        let (dns, zone) = build(&h);
        stack.add(
            id,
            RawResource::new("AWS::Route53::RecordSet")
                .property("Name", format!("{}.example.com", id.to_lowercase()))
                .property("Type", "A")
                .property("HostedZoneId", h.zone.ref_value::<Str>())
                .property("AliasTarget", alias(dns, zone)),
        );
    }
    stack
}

struct Handles {
    zone: ResourceRef,
    lb: ResourceRef,
    other: ResourceRef,
    cdn: ResourceRef,
}

#[test]
fn a_dns_name_with_another_zone_is_refused_naming_the_right_one() {
    let stack = stack_with(&[
        // R1 of the finding: the ALB's DNS name with the record's own zone.
        ("R1", |h| {
            (
                h.lb.get_att("DNSName"),
                h.zone.ref_value::<Str>().into_any(),
            )
        }),
        // R2: the ALB's DNS name with CloudFront's fixed zone.
        ("R2", |h| {
            (
                h.lb.get_att("DNSName"),
                IntoValue::<Any>::into_value(serde_json::json!("Z2FDTNDATAQYW2")),
            )
        }),
        // Another load balancer's zone.
        ("R3", |h| {
            (
                h.lb.get_att("DNSName"),
                h.other.get_att::<Str>("CanonicalHostedZoneID").into_any(),
            )
        }),
        // A distribution with another zone.
        ("R4", |h| {
            (
                h.cdn.get_att("DomainName"),
                IntoValue::<Any>::into_value(serde_json::json!("Z32O12XQLNTSW2")),
            )
        }),
        ("R5", |h| {
            (
                h.cdn.get_att("DomainName"),
                h.lb.get_att::<Str>("CanonicalHostedZoneID").into_any(),
            )
        }),
    ]);
    let e = errors(&stack);
    let pairs: Vec<&String> = e
        .iter()
        .filter(|m| m.contains("alias target's `DNSName`"))
        .collect();
    assert_eq!(pairs.len(), 5, "{e:#?}");
    let about = |id: &str| {
        pairs
            .iter()
            .find(|m| m.contains(&format!("`{id}`")) && m.contains("AliasTarget.HostedZoneId"))
            .unwrap_or_else(|| panic!("{id}: {pairs:#?}"))
    };
    for id in ["R1", "R2", "R3"] {
        assert!(
            about(id).contains("`Lb.CanonicalHostedZoneID` (`Fn::GetAtt`)"),
            "{id}"
        );
    }
    assert!(about("R1").contains("`Zone` (`Ref`)"));
    assert!(about("R2").contains("`Z2FDTNDATAQYW2` (another service's fixed zone)"));
    assert!(about("R3").contains("`Other.CanonicalHostedZoneID`"));
    for id in ["R4", "R5"] {
        assert!(about(id).contains("`Z2FDTNDATAQYW2`"), "{id}");
    }
}

#[test]
fn matching_pairs_and_unknown_ends_pass() {
    let stack = stack_with(&[
        ("Ok1", |h| {
            (
                h.lb.get_att("DNSName"),
                h.lb.get_att::<Str>("CanonicalHostedZoneID").into_any(),
            )
        }),
        ("Ok2", |h| {
            (
                h.cdn.get_att("DomainName"),
                IntoValue::<Any>::into_value(serde_json::json!("Z2FDTNDATAQYW2")),
            )
        }),
        // An alias to another record of the same zone: its DNS name is no listed attribute.
        ("Ok3", |h| {
            (
                IntoValue::<Str>::into_value("www.example.com"),
                h.zone.ref_value::<Str>().into_any(),
            )
        }),
        // A literal zone for a load balancer: its zone depends on the Region, unknown here.
        ("Ok4", |h| {
            (
                h.lb.get_att("DNSName"),
                IntoValue::<Any>::into_value(serde_json::json!("Z32O12XQLNTSW2")),
            )
        }),
    ]);
    let e = errors(&stack);
    assert!(
        !e.iter().any(|m| m.contains("alias target's `DNSName`")),
        "{e:#?}"
    );
}
