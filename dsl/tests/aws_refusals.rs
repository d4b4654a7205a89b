//! What AWS refuses at deploy although each resource alone is valid, checked at synth
//! from facts all in the stack (dsl/src/synth/checks/): certificates that must be in
//! `us-east-1`, web ACL scopes, Availability Zone coverage, records outside their hosted
//! zone, and the `DependsOn` AWS documents as required. Raw resources stand for the typed
//! ones (the checks read the template), so the default features suffice.

use nephos::constructs::{Code, CustomDomain, DomainEndpoint, Function, RestApi, Runtime};
use nephos::kind::Str;
use nephos::kinds::CertificateManagerCertificateArn;
use nephos::{
    App, AppError, Diagnostic, Parameter, RawResource, ResourceRef, Severity, Stack, StackSettings,
    Value, equals, fn_if,
};
use serde_json::json;

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

fn has(e: &[String], parts: &[&str]) -> bool {
    e.iter().any(|e| parts.iter().all(|p| e.contains(p)))
}

/// The app's own errors when `stack` deploys to `region` (none: it synthesized).
fn app_errors(stack: Stack, region: Option<&str>) -> Vec<String> {
    let mut settings = StackSettings::new("s");
    if let Some(r) = region {
        settings = settings.region(r);
    }
    let mut app = App::new();
    app.stack(stack, settings);
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(AppError::Synth { stacks, app }) => app
            .iter()
            .chain(stacks.iter().flat_map(|s| s.diagnostics.iter()))
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect(),
        Err(other) => panic!("{other}"),
    }
}

const EU_CERT: &str =
    "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
const US_CERT: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";

/// Each property that takes a certificate of `us-east-1` only, with the certificate `arn`.
fn certificate_users(arn: serde_json::Value) -> Vec<(&'static str, RawResource, &'static str)> {
    vec![
        (
            "Cdn",
            RawResource::new("AWS::CloudFront::Distribution").property(
                "DistributionConfig",
                json!({"Enabled": true, "ViewerCertificate": {"AcmCertificateArn": arn, "SslSupportMethod": "sni-only"}}),
            ),
            "DistributionConfig.ViewerCertificate.AcmCertificateArn",
        ),
        (
            "Tenant",
            RawResource::new("AWS::CloudFront::DistributionTenant")
                .property("Customizations", json!({"Certificate": {"Arn": arn}})),
            "Customizations.Certificate.Arn",
        ),
        (
            "Auth",
            RawResource::new("AWS::Cognito::UserPoolDomain")
                .property("Domain", "auth.example.com")
                .property("UserPoolId", "eu-west-1_abcDEF123")
                .property("CustomDomainConfig", json!({"CertificateArn": arn})),
            "CustomDomainConfig.CertificateArn",
        ),
        (
            "Edge",
            RawResource::new("AWS::ApiGateway::DomainName")
                .property("DomainName", "api.example.com")
                .property("CertificateArn", arn.clone()),
            "CertificateArn",
        ),
        (
            "Graph",
            RawResource::new("AWS::AppSync::DomainName")
                .property("DomainName", "graph.example.com")
                .property("CertificateArn", arn.clone()),
            "CertificateArn",
        ),
        (
            "Site",
            RawResource::new("AWS::Amplify::Domain")
                .property("AppId", "d1a2b3c4d5e6f7")
                .property("DomainName", "example.com")
                .property("SubDomainSettings", json!([{"Prefix": "www", "BranchName": "main"}]))
                .property(
                    "CertificateSettings",
                    json!({"CertificateType": "CUSTOM", "CustomCertificateArn": arn}),
                ),
            "CertificateSettings.CustomCertificateArn",
        ),
    ]
}

#[test]
fn a_certificate_of_another_region_is_refused_where_only_us_east_1_is_taken() {
    for (id, resource, path) in certificate_users(json!(EU_CERT)) {
        let mut stack = Stack::new("App");
        stack.add(id, resource);
        let e = errors(&stack);
        assert!(
            has(
                &e,
                &[
                    &format!("resource `{id}`"),
                    path,
                    "a certificate of eu-west-1",
                    "us-east-1 only"
                ]
            ),
            "{id}: {e:?}"
        );
    }
    for (id, resource, _) in certificate_users(json!(US_CERT)) {
        let mut stack = Stack::new("App");
        stack.add(id, resource);
        let e = errors(&stack);
        assert!(!has(&e, &["a certificate of"]), "{id}: {e:?}");
    }
}

#[test]
fn a_regional_api_domain_and_a_conditional_branch_are_judged_as_deployed() {
    let mut stack = Stack::new("App");
    // A regional API Gateway domain takes a certificate of its own Region.
    stack.add(
        "Regional",
        RawResource::new("AWS::ApiGateway::DomainName")
            .property("DomainName", "api.example.com")
            .property("EndpointConfiguration", json!({"Types": ["REGIONAL"]}))
            .property("RegionalCertificateArn", EU_CERT),
    );
    // Either branch may be chosen: a wrong one is a fault of a resource without a
    // condition, not of one whose condition may exclude that case.
    let env = stack.parameter("Env", Parameter::string());
    let prod = stack.condition("Prod", equals(&env, "prod"));
    let either: Value<Str> = fn_if(&prod, US_CERT, EU_CERT);
    stack.add(
        "Either",
        RawResource::new("AWS::AppSync::DomainName")
            .property("DomainName", "graph.example.com")
            .property("CertificateArn", either.clone()),
    );
    let guarded = stack.add(
        "Guarded",
        RawResource::new("AWS::AppSync::DomainName")
            .property("DomainName", "graph2.example.com")
            .property("CertificateArn", either),
    );
    stack.resource(&guarded).condition(&prod);
    let e = errors(&stack);
    assert!(
        !has(&e, &["resource `Regional`", "a certificate of"]),
        "{e:?}"
    );
    assert!(
        has(&e, &["resource `Either`", "a certificate of eu-west-1"]),
        "{e:?}"
    );
    assert!(
        !has(&e, &["resource `Guarded`", "a certificate of"]),
        "{e:?}"
    );
}

/// A Cognito custom domain with a certificate the stack makes.
fn domain_with_own_certificate() -> Stack {
    let mut stack = Stack::new("Auth");
    let cert = stack.add(
        "Cert",
        RawResource::new("AWS::CertificateManager::Certificate")
            .property("DomainName", "auth.example.com"),
    );
    stack.add(
        "Domain",
        RawResource::new("AWS::Cognito::UserPoolDomain")
            .property("Domain", "auth.example.com")
            .property("UserPoolId", "us-east-1_abcDEF123")
            .property(
                "CustomDomainConfig",
                nephos::value!({"CertificateArn": cert.ref_value::<Str>()}),
            ),
    );
    stack
}

#[test]
fn a_certificate_made_in_a_stack_of_another_region_is_refused_by_the_app() {
    let e = app_errors(domain_with_own_certificate(), Some("eu-west-1"));
    assert!(
        has(
            &e,
            &[
                "deploys to eu-west-1",
                "certificate `Cert`",
                "`Domain`",
                "needs the stack in us-east-1"
            ]
        ),
        "{e:?}"
    );
    assert!(app_errors(domain_with_own_certificate(), Some("us-east-1")).is_empty());
    // The Region unknown: nothing to judge.
    assert!(app_errors(domain_with_own_certificate(), None).is_empty());
}

/// A REST API served at an edge-optimized custom domain with `certificate`.
fn edge_api(stack: &mut Stack, certificate: Value<CertificateManagerCertificateArn>) {
    let f = stack.add(
        "Handler",
        Function::new(Runtime::Python312, "index.handler", Code::inline("...")),
    );
    let api = stack.add("Api", RestApi::new("users"));
    api.route(stack, "GET", "/users", &f);
    api.custom_domain(
        stack,
        CustomDomain::new("api.example.com", certificate).endpoint(DomainEndpoint::Edge),
    );
}

#[test]
fn the_api_construct_s_edge_domain_goes_through_the_same_check() {
    let mut stack = Stack::new("Api");
    edge_api(&mut stack, Value::literal(EU_CERT));
    let e = errors(&stack);
    assert!(
        has(
            &e,
            &["AWS::ApiGateway::DomainName", "a certificate of eu-west-1"]
        ),
        "{e:?}"
    );
    // A certificate the stack makes, which the construct alone could not judge.
    let mut stack = Stack::new("Api");
    let cert = stack.add(
        "Cert",
        RawResource::new("AWS::CertificateManager::Certificate")
            .property("DomainName", "api.example.com"),
    );
    edge_api(&mut stack, cert.ref_value());
    let e = app_errors(stack, Some("eu-west-1"));
    assert!(
        has(&e, &["certificate `Cert`", "needs the stack in us-east-1"]),
        "{e:?}"
    );
}

const REGIONAL_ACL: &str =
    "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
const GLOBAL_ACL: &str =
    "arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

fn web_acl(scope: &str) -> RawResource {
    RawResource::new("AWS::WAFv2::WebACL")
        .property("DefaultAction", json!({"Allow": {}}))
        .property("Scope", scope)
        .property(
            "VisibilityConfig",
            json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "acl"}),
        )
}

fn distribution(acl: Value<Str>) -> RawResource {
    RawResource::new("AWS::CloudFront::Distribution").property(
        "DistributionConfig",
        nephos::value!({"Enabled": true, "WebACLId": acl}),
    )
}

fn association(acl: Value<Str>) -> RawResource {
    RawResource::new("AWS::WAFv2::WebACLAssociation")
        .property(
            "ResourceArn",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
        )
        .property("WebACLArn", acl)
}

#[test]
fn a_web_acl_of_the_wrong_scope_is_refused() {
    let mut stack = Stack::new("App");
    let regional = stack.add("Regional", web_acl("REGIONAL"));
    let global = stack.add("Global", web_acl("CLOUDFRONT"));
    let arn = |h: &ResourceRef| h.get_att::<Str>("Arn");
    let lit = |t: &str| -> Value<Str> { t.into() };
    stack.add("CdnOwn", distribution(arn(&regional)));
    stack.add("CdnLit", distribution(lit(REGIONAL_ACL)));
    stack.add("CdnOk", distribution(arn(&global)));
    stack.add("CdnOkLit", distribution(lit(GLOBAL_ACL)));
    stack.add("AssocOwn", association(arn(&global)));
    stack.add("AssocLit", association(lit(GLOBAL_ACL)));
    stack.add("AssocOk", association(arn(&regional)));
    stack.add("AssocOkLit", association(lit(REGIONAL_ACL)));
    let e = errors(&stack);
    for (id, what, scope) in [
        ("CdnOwn", "web ACL `Regional`", "scope REGIONAL"),
        ("CdnLit", ":regional/webacl/", "scope REGIONAL"),
        ("AssocOwn", "web ACL `Global`", "scope CLOUDFRONT"),
        ("AssocLit", ":global/webacl/", "scope CLOUDFRONT"),
    ] {
        assert!(
            has(&e, &[&format!("resource `{id}`"), what, scope, "only"]),
            "{id}: {e:?}"
        );
    }
    for id in ["CdnOk", "CdnOkLit", "AssocOk", "AssocOkLit"] {
        assert!(
            !has(&e, &[&format!("resource `{id}`"), "a web ACL of scope"]),
            "{id}: {e:?}"
        );
    }
}

/// A web ACL association's scope follows its `ResourceArn` (atk13d F3): an Amplify app
/// takes a `CLOUDFRONT` web ACL only ("Regional web ACLs ... are not compatible with
/// Amplify"), by literal ARN or as an app of the stack; a `ResourceArn` the stack does not
/// tell (a parameter) leaves the scope unchecked.
#[test]
fn an_amplify_app_s_association_takes_a_cloudfront_web_acl() {
    const APP: &str = "arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7";
    let mut stack = Stack::new("App");
    let regional = stack.add("Regional", web_acl("REGIONAL"));
    let global = stack.add("Global", web_acl("CLOUDFRONT"));
    let app = stack.add(
        "Amp",
        RawResource::new("AWS::Amplify::App").property("Name", "site"),
    );
    let arn = |h: &ResourceRef| h.get_att::<Str>("Arn");
    let assoc = |resource: Value<Str>, acl: Value<Str>| {
        RawResource::new("AWS::WAFv2::WebACLAssociation")
            .property("ResourceArn", resource)
            .property("WebACLArn", acl)
    };
    let lit = |t: &str| -> Value<Str> { t.into() };
    stack.add("AmpRegional", assoc(lit(APP), arn(&regional)));
    stack.add("AmpRegionalLit", assoc(lit(APP), lit(REGIONAL_ACL)));
    stack.add("OwnAppRegional", assoc(arn(&app), arn(&regional)));
    stack.add("AmpOk", assoc(lit(APP), arn(&global)));
    stack.add("AmpOkLit", assoc(lit(APP), lit(GLOBAL_ACL)));
    stack.add("OwnAppOk", assoc(arn(&app), arn(&global)));
    let p = stack.parameter("Target", Parameter::string());
    stack.add("Unknown", assoc(p.value(), arn(&global)));
    let e = errors(&stack);
    for id in ["AmpRegional", "AmpRegionalLit", "OwnAppRegional"] {
        assert!(
            has(
                &e,
                &[
                    &format!("resource `{id}`"),
                    "scope REGIONAL",
                    "scope CLOUDFRONT only",
                    "amplify"
                ]
            ),
            "{id}: {e:?}"
        );
    }
    for id in ["AmpOk", "AmpOkLit", "OwnAppOk", "Unknown"] {
        assert!(
            !has(&e, &[&format!("resource `{id}`"), "a web ACL of scope"]),
            "{id}: {e:?}"
        );
    }
}

#[test]
fn a_cloudfront_scope_web_acl_is_made_in_us_east_1_only() {
    let stack = || {
        let mut s = Stack::new("Waf");
        s.add("Acl", web_acl("CLOUDFRONT"));
        s
    };
    let e = app_errors(stack(), Some("eu-west-1"));
    assert!(
        has(&e, &["`Acl`", "CLOUDFRONT", "needs the stack in us-east-1"]),
        "{e:?}"
    );
    assert!(app_errors(stack(), Some("us-east-1")).is_empty());
    let mut regional = Stack::new("Waf");
    regional.add("Acl", web_acl("REGIONAL"));
    assert!(app_errors(regional, Some("eu-west-1")).is_empty());
}

fn vpc(stack: &mut Stack) -> ResourceRef {
    stack.add(
        "Vpc",
        RawResource::new("AWS::EC2::VPC").property("CidrBlock", "10.0.0.0/16"),
    )
}

fn subnet(
    stack: &mut Stack,
    id: &str,
    vpc: &ResourceRef,
    cidr: &str,
    zone: Value<Str>,
) -> ResourceRef {
    stack.add(
        id,
        RawResource::new("AWS::EC2::Subnet")
            .property("VpcId", vpc.ref_value::<Str>())
            .property("CidrBlock", cidr)
            .property("AvailabilityZone", zone),
    )
}

#[test]
fn subnets_in_one_availability_zone_are_refused_where_two_are_needed() {
    let mut stack = Stack::new("App");
    let v = vpc(&mut stack);
    let a = subnet(&mut stack, "A", &v, "10.0.0.0/24", "us-east-1a".into());
    let b = subnet(&mut stack, "B", &v, "10.0.1.0/24", "us-east-1a".into());
    let c = subnet(&mut stack, "C", &v, "10.0.2.0/24", "us-east-1b".into());
    let zones = nephos::get_azs("");
    let d = subnet(&mut stack, "D", &v, "10.0.3.0/24", nephos::select(0, zones));
    let ids = |hs: &[&ResourceRef]| -> Vec<Value<Str>> {
        hs.iter().map(|h| h.ref_value::<Str>()).collect()
    };
    for (id, ty, prop) in [
        (
            "Alb",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Subnets",
        ),
        ("Rds", "AWS::RDS::DBSubnetGroup", "SubnetIds"),
        ("Docs", "AWS::DocDB::DBSubnetGroup", "SubnetIds"),
        ("Graph", "AWS::Neptune::DBSubnetGroup", "SubnetIds"),
    ] {
        let group = |r: RawResource| r.property("DBSubnetGroupDescription", "db");
        stack.add(
            id,
            group(RawResource::new(ty)).property(prop, ids(&[&a, &b])),
        );
        stack.add(
            &format!("{id}Two"),
            group(RawResource::new(ty)).property(prop, ids(&[&a, &c])),
        );
        stack.add(
            &format!("{id}Computed"),
            group(RawResource::new(ty)).property(prop, ids(&[&a, &d])),
        );
    }
    stack.add(
        "Nlb",
        RawResource::new("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .property("Type", "network")
            .property("Subnets", ids(&[&a])),
    );
    let e = errors(&stack);
    for id in ["Alb", "Rds", "Docs", "Graph"] {
        assert!(
            has(
                &e,
                &[
                    &format!("resource `{id}`"),
                    "`A`, `B`",
                    "Availability Zone `us-east-1a`",
                    "at least two"
                ]
            ),
            "{id}: {e:?}"
        );
        for ok in [format!("{id}Two"), format!("{id}Computed")] {
            assert!(
                !has(&e, &[&format!("resource `{ok}`"), "Availability Zone"]),
                "{ok}: {e:?}"
            );
        }
    }
    assert!(!has(&e, &["resource `Nlb`", "Availability Zone"]), "{e:?}");
}

/// The rest of ELBv2's subnet rule (CreateLoadBalancer `Subnets`, atk13c H): an Application
/// Load Balancer on one Outpost subnet, or on subnets of Local Zones, deploys (so it is not
/// refused for having one zone); an Outpost subnet among others, Availability Zones mixed
/// with Local Zones, and two subnets in one Availability Zone (for every load balancer
/// type, by `Subnets` or `SubnetMappings`) are refused. DB subnet groups of Outpost or
/// Local Zone subnets have no documented rule and are not judged; one Availability Zone
/// still is refused.
#[test]
fn load_balancer_subnets_follow_the_outpost_local_zone_and_one_per_zone_rules() {
    const LB: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
    let mut stack = Stack::new("App");
    let v = vpc(&mut stack);
    let a = subnet(&mut stack, "A", &v, "10.0.0.0/24", "us-west-2a".into());
    let a2 = subnet(&mut stack, "A2", &v, "10.0.1.0/24", "us-west-2a".into());
    let b = subnet(&mut stack, "B", &v, "10.0.2.0/24", "us-west-2b".into());
    let lax = subnet(
        &mut stack,
        "Lax",
        &v,
        "10.0.3.0/24",
        "us-west-2-lax-1a".into(),
    );
    let lax2 = subnet(
        &mut stack,
        "Lax2",
        &v,
        "10.0.4.0/24",
        "us-west-2-lax-1b".into(),
    );
    let op = stack.add(
        "Op",
        RawResource::new("AWS::EC2::Subnet")
            .property("VpcId", v.ref_value::<Str>())
            .property("CidrBlock", "10.0.5.0/24")
            .property("AvailabilityZone", "us-west-2a")
            .property(
                "OutpostArn",
                "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0",
            ),
    );
    let ids = |hs: &[&ResourceRef]| -> Vec<Value<Str>> {
        hs.iter().map(|h| h.ref_value::<Str>()).collect()
    };
    let alb = |hs: &[&ResourceRef]| RawResource::new(LB).property("Subnets", ids(hs));
    let ok = [
        ("LocalZone", alb(&[&lax])),
        ("LocalZones", alb(&[&lax, &lax2])),
        ("Outpost", alb(&[&op])),
        ("OneEach", alb(&[&a, &b])),
        (
            "Gateway",
            RawResource::new(LB)
                .property("Type", "gateway")
                .property("Subnets", ids(&[&a])),
        ),
        (
            "RdsOutpost",
            RawResource::new("AWS::RDS::DBSubnetGroup")
                .property("DBSubnetGroupDescription", "db")
                .property("SubnetIds", ids(&[&op])),
        ),
        (
            "RdsLocalZone",
            RawResource::new("AWS::RDS::DBSubnetGroup")
                .property("DBSubnetGroupDescription", "db")
                .property("SubnetIds", ids(&[&lax])),
        ),
    ];
    let ok_ids: Vec<&str> = ok.iter().map(|(id, _)| *id).collect();
    for (id, r) in ok {
        stack.add(id, r);
    }
    stack.add("OutpostAndMore", alb(&[&op, &b]));
    stack.add("Mixed", alb(&[&a, &lax]));
    stack.add("SameZone", alb(&[&a, &a2, &b]));
    let mapping = |h: &ResourceRef| nephos::value!({ "SubnetId": &h.ref_value::<Str>() });
    stack.add(
        "SameZoneNlb",
        RawResource::new(LB)
            .property("Type", "network")
            .property("SubnetMappings", vec![mapping(&a), mapping(&a2)]),
    );
    stack.add(
        "RdsOneZone",
        RawResource::new("AWS::RDS::DBSubnetGroup")
            .property("DBSubnetGroupDescription", "db")
            .property("SubnetIds", ids(&[&a, &a2])),
    );
    let e = errors(&stack);
    for id in ok_ids {
        assert!(!has(&e, &[&format!("resource `{id}`")]), "{id}: {e:?}");
    }
    assert!(
        has(
            &e,
            &[
                "resource `OutpostAndMore`",
                "2 subnets, 1 of them on an Outpost (`Op`)",
                "on an Outpost takes one subnet"
            ]
        ),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            &[
                "resource `Mixed`",
                "Availability Zone `us-west-2a` and in Local Zone `us-west-2-lax-1a`",
                "must be of one type"
            ]
        ),
        "{e:?}"
    );
    for id in ["SameZone", "SameZoneNlb"] {
        assert!(
            has(
                &e,
                &[
                    &format!("resource `{id}`"),
                    "`A`, `A2` in the same Availability Zone `us-west-2a`",
                    "only one subnet per Availability Zone"
                ]
            ),
            "{id}: {e:?}"
        );
    }
    assert!(
        has(&e, &["resource `SameZoneNlb`", "SubnetMappings"]),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            &[
                "resource `RdsOneZone`",
                "all in Availability Zone `us-west-2a`"
            ]
        ),
        "{e:?}"
    );
}

#[test]
fn a_record_outside_its_hosted_zone_is_refused() {
    let mut stack = Stack::new("App");
    let zone = stack.add(
        "Zone",
        RawResource::new("AWS::Route53::HostedZone").property("Name", "example.com"),
    );
    let record = |name: &str| {
        RawResource::new("AWS::Route53::RecordSet")
            .property("Name", name)
            .property("Type", "A")
            .property("TTL", "60")
            .property("ResourceRecords", vec!["192.0.2.1"])
    };
    stack.add(
        "Out",
        record("app.other.org").property("HostedZoneId", zone.ref_value::<Str>()),
    );
    stack.add(
        "Suffix",
        record("app.notexample.com").property("HostedZoneId", zone.ref_value::<Str>()),
    );
    stack.add(
        "ByName",
        record("app.other.org").property("HostedZoneName", "example.com."),
    );
    stack.add(
        "In",
        record("App.Example.com.").property("HostedZoneId", zone.ref_value::<Str>()),
    );
    stack.add(
        "Apex",
        record("example.com").property("HostedZoneName", "example.com."),
    );
    stack.add(
        "Group",
        RawResource::new("AWS::Route53::RecordSetGroup")
            .property("HostedZoneId", zone.ref_value::<Str>())
            .property(
                "RecordSets",
                json!([
                    {"Name": "www.example.com", "Type": "A", "TTL": "60", "ResourceRecords": ["192.0.2.1"]},
                    {"Name": "www.example.org", "Type": "A", "TTL": "60", "ResourceRecords": ["192.0.2.1"]}
                ]),
            ),
    );
    let e = errors(&stack);
    for (id, name) in [
        ("Out", "app.other.org"),
        ("Suffix", "app.notexample.com"),
        ("ByName", "app.other.org"),
        ("Group", "www.example.org"),
    ] {
        assert!(
            has(
                &e,
                &[
                    &format!("resource `{id}`"),
                    &format!("`{name}`, outside its hosted zone")
                ]
            ),
            "{id}: {e:?}"
        );
    }
    assert!(!has(&e, &["www.example.com`, outside"]), "{e:?}");
    for id in ["In", "Apex"] {
        assert!(
            !has(
                &e,
                &[&format!("resource `{id}`"), "outside its hosted zone"]
            ),
            "{id}: {e:?}"
        );
    }
}

/// A VPC with an internet gateway attached by `IgwAttach`, and a public subnet.
fn network(stack: &mut Stack) -> [ResourceRef; 4] {
    let v = vpc(stack);
    let igw = stack.add("Igw", RawResource::new("AWS::EC2::InternetGateway"));
    let attach = stack.add(
        "IgwAttach",
        RawResource::new("AWS::EC2::VPCGatewayAttachment")
            .property("VpcId", v.ref_value::<Str>())
            .property("InternetGatewayId", igw.ref_value::<Str>()),
    );
    let public = subnet(stack, "Public", &v, "10.0.0.0/24", "us-east-1a".into());
    [v, igw, attach, public]
}

#[test]
fn a_resource_needing_the_attached_gateway_must_wait_for_the_attachment() {
    let mut stack = Stack::new("App");
    let [v, igw, attach, public] = network(&mut stack);
    let table = stack.add(
        "Routes",
        RawResource::new("AWS::EC2::RouteTable").property("VpcId", v.ref_value::<Str>()),
    );
    let route = |s: &mut Stack, id: &str| {
        s.add(
            id,
            RawResource::new("AWS::EC2::Route")
                .property("RouteTableId", table.ref_value::<Str>())
                .property("DestinationCidrBlock", "0.0.0.0/0")
                .property("GatewayId", igw.ref_value::<Str>()),
        )
    };
    route(&mut stack, "Default");
    let waits = route(&mut stack, "Waits");
    stack.resource(&waits).depends_on(&attach);
    let eip = |s: &mut Stack, id: &str| {
        s.add(
            id,
            RawResource::new("AWS::EC2::EIP").property("Domain", "vpc"),
        )
    };
    eip(&mut stack, "Eip");
    let eip_waits = eip(&mut stack, "EipWaits");
    stack.resource(&eip_waits).depends_on(&attach);
    // Waits through its Elastic IP.
    stack.add(
        "Nat",
        RawResource::new("AWS::EC2::NatGateway")
            .property("SubnetId", public.ref_value::<Str>())
            .property("AllocationId", eip_waits.get_att::<Str>("AllocationId")),
    );
    stack.add(
        "NatAlone",
        RawResource::new("AWS::EC2::NatGateway").property("SubnetId", public.ref_value::<Str>()),
    );
    stack.add(
        "Alb",
        RawResource::new("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .property("Subnets", vec![public.ref_value::<Str>()]),
    );
    stack.add(
        "Internal",
        RawResource::new("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .property("Scheme", "internal")
            .property("Subnets", vec![public.ref_value::<Str>()]),
    );
    let vgw = stack.add(
        "Vgw",
        RawResource::new("AWS::EC2::VPNGateway").property("Type", "ipsec.1"),
    );
    stack.add(
        "VgwAttach",
        RawResource::new("AWS::EC2::VPCGatewayAttachment")
            .property("VpcId", v.ref_value::<Str>())
            .property("VpnGatewayId", vgw.ref_value::<Str>()),
    );
    stack.add(
        "Propagation",
        RawResource::new("AWS::EC2::VPNGatewayRoutePropagation")
            .property("RouteTableIds", vec![table.ref_value::<Str>()])
            .property("VpnGatewayId", vgw.ref_value::<Str>()),
    );
    let e = errors(&stack);
    for (id, attachment) in [
        ("Default", "IgwAttach"),
        ("Eip", "IgwAttach"),
        ("NatAlone", "IgwAttach"),
        ("Alb", "IgwAttach"),
        ("Propagation", "VgwAttach"),
    ] {
        assert!(
            has(
                &e,
                &[
                    &format!("resource `{id}`"),
                    "does not wait for the gateway attachment",
                    &format!("add `DependsOn: {attachment}` to `{id}`")
                ]
            ),
            "{id}: {e:?}"
        );
    }
    for id in ["Waits", "EipWaits", "Nat", "Internal"] {
        assert!(
            !has(&e, &[&format!("resource `{id}`"), "does not wait"]),
            "{id}: {e:?}"
        );
    }
}

#[test]
fn an_ecs_service_behind_a_target_group_must_wait_for_its_listener() {
    let mut stack = Stack::new("App");
    let group = stack.add(
        "Tg",
        RawResource::new("AWS::ElasticLoadBalancingV2::TargetGroup")
            .property("Port", 80)
            .property("Protocol", "HTTP"),
    );
    let listener = stack.add(
        "Listener",
        RawResource::new("AWS::ElasticLoadBalancingV2::Listener")
            .property(
                "LoadBalancerArn",
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
            )
            .property("Port", 80)
            .property("Protocol", "HTTP")
            .property(
                "DefaultActions",
                nephos::value!([{"Type": "forward", "TargetGroupArn": group.ref_value::<Str>()}]),
            ),
    );
    let service = |s: &mut Stack, id: &str| {
        s.add(
            id,
            RawResource::new("AWS::ECS::Service").property(
                "LoadBalancers",
                nephos::value!([{"ContainerName": "web", "ContainerPort": 80, "TargetGroupArn": group.ref_value::<Str>()}]),
            ),
        )
    };
    service(&mut stack, "Svc");
    let waits = service(&mut stack, "SvcWaits");
    stack.resource(&waits).depends_on(&listener);
    let e = errors(&stack);
    assert!(
        has(
            &e,
            &[
                "resource `Svc`",
                "target group `Tg`",
                "add `DependsOn: Listener` to `Svc`"
            ]
        ),
        "{e:?}"
    );
    assert!(!has(&e, &["resource `SvcWaits`", "does not wait"]), "{e:?}");
}
