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

/// The app's own errors and the stacks' when `stack` deploys to `region`.
fn app_errors(stack: Stack, region: Option<&str>) -> Vec<String> {
    let mut settings = nephos::StackSettings::new("s");
    if let Some(r) = region {
        settings = settings.region(r);
    }
    let mut app = nephos::App::new();
    app.stack(stack, settings);
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(nephos::AppError::Synth { stacks, app }) => app
            .iter()
            .chain(stacks.iter().flat_map(|s| s.diagnostics.iter()))
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect(),
        Err(other) => panic!("{other}"),
    }
}

fn cdn_with(zone: &str) -> Stack {
    let zone = zone.to_string();
    let mut stack = Stack::new("Cn");
    let cdn = stack.add(
        "Cdn",
        RawResource::new("AWS::CloudFront::Distribution")
            .property("DistributionConfig", serde_json::json!({"Enabled": true})),
    );
    stack.add(
        "Rec",
        RawResource::new("AWS::Route53::RecordSet")
            .property("Name", "www.example.com")
            .property("Type", "A")
            .property("HostedZoneName", "example.com.")
            .property(
                "AliasTarget",
                alias(
                    cdn.get_att("DomainName"),
                    IntoValue::<Any>::into_value(serde_json::json!(zone)),
                ),
            ),
    );
    stack
}

/// CloudFront's alias zone is `Z3RFFRIM2A3IF5` in China (aws-cn) and `Z2FDTNDATAQYW2` in
/// the aws partition (atk13d F2b): a stack of an unknown Region takes either; one deploying
/// to cn-north-1 is refused the aws zone and takes China's, one deploying to us-east-1 the
/// reverse; a zone of neither is refused whatever the Region. A Region of a partition the
/// data does not list (GovCloud) is no finding.
#[test]
fn cloudfront_s_fixed_zone_follows_the_stack_s_partition() {
    let pairs = |e: &[String]| -> Vec<String> {
        e.iter()
            .filter(|m| m.contains("HostedZoneId"))
            .cloned()
            .collect()
    };
    for zone in ["Z2FDTNDATAQYW2", "Z3RFFRIM2A3IF5"] {
        assert!(pairs(&errors(&cdn_with(zone))).is_empty(), "{zone}");
        assert!(
            pairs(&app_errors(cdn_with(zone), None)).is_empty(),
            "{zone}"
        );
        assert!(
            pairs(&app_errors(cdn_with(zone), Some("us-gov-west-1"))).is_empty(),
            "{zone}"
        );
    }
    let e = pairs(&app_errors(cdn_with("Z2FDTNDATAQYW2"), Some("cn-north-1")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].contains("partition aws-cn")
            && e[0].contains("`Z3RFFRIM2A3IF5`")
            && e[0].contains("docs.amazonaws.cn"),
        "{}",
        e[0]
    );
    assert!(
        pairs(&app_errors(
            cdn_with("Z3RFFRIM2A3IF5"),
            Some("cn-northwest-1")
        ))
        .is_empty()
    );
    let e = pairs(&app_errors(cdn_with("Z3RFFRIM2A3IF5"), Some("us-east-1")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains("`Z2FDTNDATAQYW2`"), "{}", e[0]);
    assert!(pairs(&app_errors(cdn_with("Z2FDTNDATAQYW2"), Some("eu-west-1"))).is_empty());
    // A zone of no partition: refused by the stack's synth.
    let e = pairs(&errors(&cdn_with("Z32O12XQLNTSW2")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].contains("`Z2FDTNDATAQYW2` (in aws)") && e[0].contains("`Z3RFFRIM2A3IF5` (in aws-cn)"),
        "{}",
        e[0]
    );
}

/// An edge-optimized API Gateway domain's `DistributionDomainName` pairs with its
/// `DistributionHostedZoneId` or with the fixed `Z2FDTNDATAQYW2` API Gateway documents
/// for it ("The valid value is Z2FDTNDATAQYW2 for all the regions"; atk13d F2a); another
/// service's fixed zone or another attribute is still refused.
#[test]
fn an_edge_api_domain_takes_cloudfront_s_fixed_zone() {
    let build = |zone: Option<&str>| {
        let mut stack = Stack::new("Edge");
        let dn = stack.add(
            "Dn",
            RawResource::new("AWS::ApiGateway::DomainName")
                .property("DomainName", "api.example.com"),
        );
        let zone = match zone {
            Some(z) => IntoValue::<Any>::into_value(serde_json::json!(z)),
            None => dn.get_att::<Str>("RegionalHostedZoneId").into_any(),
        };
        stack.add(
            "Rec",
            RawResource::new("AWS::Route53::RecordSet")
                .property("Name", "api.example.com")
                .property("Type", "A")
                .property("HostedZoneName", "example.com.")
                .property(
                    "AliasTarget",
                    alias(dn.get_att("DistributionDomainName"), zone),
                ),
        );
        stack
    };
    let pairs = |s: &Stack| -> Vec<String> {
        errors(s)
            .into_iter()
            .filter(|m| m.contains("alias target's `DNSName`"))
            .collect()
    };
    assert!(pairs(&build(Some("Z2FDTNDATAQYW2"))).is_empty());
    // Global Accelerator's fixed zone, and the regional attribute: refused.
    let e = pairs(&build(Some("Z2BJ6XQ5FK7U4H")));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].contains("`Dn.DistributionHostedZoneId` (`Fn::GetAtt`) or `Z2FDTNDATAQYW2` (in aws)"),
        "{}",
        e[0]
    );
    assert_eq!(pairs(&build(None)).len(), 1);
}
