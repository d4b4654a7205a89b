//! Where a stack must deploy, found at synth (issue 13): a certificate the stack makes for
//! CloudFront needs `us-east-1`, a literal certificate ARN given where the service takes a
//! certificate of its own Region only needs that Region. Both go the one way of
//! `Stack::require_home` (`stack/home.rs`): a template rule asserting `AWS::Region` when
//! the app does not know the Region, the one check of `App::synth` when it does, and the
//! refusal at synth of two Regions at once or of a user rule with the rule's ID. Raw
//! resources stand for the typed ones (the checks read the template), so the default
//! features suffice, but for the WAF association of a REST API stage.

use nephos::kind::Str;
use nephos::{
    App, AppError, Diagnostic, RawResource, Reach, ResourceRef, Severity, Stack, StackSettings,
    Value,
};
use serde_json::{Value as J, json};

const EU_CERT: &str =
    "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
const US_WEST_CERT: &str =
    "arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012";

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

fn rules(stack: &Stack) -> J {
    let t = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    t.json().get("Rules").cloned().unwrap_or(J::Null)
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

fn has(e: &[String], parts: &[&str]) -> bool {
    e.iter().any(|e| parts.iter().all(|p| e.contains(p)))
}

fn certificate(stack: &mut Stack, id: &str) -> ResourceRef {
    stack.add(
        id,
        RawResource::new("AWS::CertificateManager::Certificate")
            .property("DomainName", "www.example.com"),
    )
}

fn distribution(stack: &mut Stack, id: &str, cert: Value<Str>) {
    stack.add(
        id,
        RawResource::new("AWS::CloudFront::Distribution").property(
            "DistributionConfig",
            nephos::value!({
                "Enabled": true,
                "Aliases": ["www.example.com"],
                "ViewerCertificate": {
                    "AcmCertificateArn": cert,
                    "SslSupportMethod": "sni-only",
                    "MinimumProtocolVersion": "TLSv1.2_2021"
                }
            }),
        ),
    );
}

/// A CloudFront distribution serving with a certificate the stack makes.
fn cdn_with_own_certificate() -> Stack {
    let mut stack = Stack::new("Cdn");
    let cert = certificate(&mut stack, "Cert");
    distribution(&mut stack, "Dist", cert.ref_value());
    stack
}

fn assertion_region(rules: &J, id: &str) -> J {
    rules[id]["Assertions"][0]["Assert"]["Fn::Equals"][1].clone()
}

fn description(rules: &J, id: &str) -> String {
    rules[id]["Assertions"][0]["AssertDescription"]
        .as_str()
        .unwrap_or_else(|| panic!("no rule {id}: {rules}"))
        .to_string()
}

#[test]
fn a_certificate_of_the_stack_on_cloudfront_asserts_us_east_1_in_the_template() {
    // The Region unknown at synth: the template fails closed at deploy.
    let rules = rules(&cdn_with_own_certificate());
    assert_eq!(
        rules["ImportsRegionUsEast1"]["Assertions"][0]["Assert"],
        json!({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]})
    );
    let said = description(&rules, "ImportsRegionUsEast1");
    assert!(
        said.contains("certificate `Cert` (made in the stack, given to `Dist`")
            && said.contains("CloudFront takes a certificate of us-east-1 only")
            && said.contains("deploy it to us-east-1"),
        "{said}"
    );
    // The app knows the Region: refused there, in the message every home has.
    let e = app_errors(cdn_with_own_certificate(), Some("eu-west-1"));
    assert!(
        has(
            &e,
            &[
                "stack `Cdn` deploys to eu-west-1, but certificate `Cert`",
                "needs the stack in us-east-1: CloudFront takes"
            ]
        ),
        "{e:?}"
    );
    assert!(app_errors(cdn_with_own_certificate(), Some("us-east-1")).is_empty());
    assert!(app_errors(cdn_with_own_certificate(), None).is_empty());
}

#[test]
fn a_cloudfront_scope_web_acl_asserts_us_east_1_in_the_template() {
    let mut stack = Stack::new("Waf");
    stack.add(
        "Acl",
        RawResource::new("AWS::WAFv2::WebACL")
            .property("DefaultAction", json!({"Allow": {}}))
            .property("Scope", "CLOUDFRONT")
            .property(
                "VisibilityConfig",
                json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "acl"}),
            ),
    );
    let rules = rules(&stack);
    assert_eq!(
        assertion_region(&rules, "ImportsRegionUsEast1"),
        "us-east-1"
    );
    assert!(description(&rules, "ImportsRegionUsEast1").contains("`Acl` (AWS::WAFv2::WebACL"));
}

/// A wiring recorded by `require_home` and a need synth found share one rule, and the
/// app refuses both in one message shape.
#[test]
fn wirings_and_needs_share_one_rule_and_one_message() {
    let stack = || {
        let mut stack = cdn_with_own_certificate();
        let queue: Value<Str> = "arn:aws:sqs:us-east-1:123456789012:jobs".into();
        stack.require_home(
            &queue,
            "my mapping from queue `jobs`",
            Reach::Region,
            "Lambda maps only a queue of its Region",
        );
        stack
    };
    let rules = rules(&stack());
    let ids: Vec<&String> = rules.as_object().unwrap().keys().collect();
    assert_eq!(ids, ["ImportsRegionUsEast1"]);
    let said = description(&rules, "ImportsRegionUsEast1");
    assert!(
        said.contains("2 wirings")
            && said.contains("certificate `Cert`")
            && said.contains("my mapping from queue `jobs`"),
        "{said}"
    );
    let e = app_errors(stack(), Some("eu-west-1"));
    for wiring in ["certificate `Cert`", "my mapping from queue `jobs`"] {
        assert!(
            has(
                &e,
                &[
                    "stack `Cdn` deploys to eu-west-1, but ",
                    wiring,
                    "needs the stack in us-east-1: "
                ]
            ),
            "{wiring}: {e:?}"
        );
    }
}

/// A need and a wiring of two Regions can never both hold: refused at synth, naming both,
/// whatever the app says of the Region.
#[test]
fn a_need_and_a_wiring_of_two_regions_are_refused_at_synth() {
    let mut stack = cdn_with_own_certificate();
    let queue: Value<Str> = "arn:aws:sqs:eu-west-1:123456789012:jobs".into();
    stack.require_home(
        &queue,
        "my mapping from queue `jobs`",
        Reach::Region,
        "Lambda maps only a queue of its Region",
    );
    let e = errors(&stack);
    assert!(
        has(
            &e,
            &[
                "my mapping from queue `jobs` needs the stack in Region eu-west-1 and certificate `Cert`",
                "in Region us-east-1",
            ]
        ),
        "{e:?}"
    );
}

/// A user rule with the ID of the rule a need adds would replace it: refused, naming the
/// need.
#[test]
fn a_user_rule_with_the_id_of_a_need_s_rule_is_refused() {
    let mut stack = cdn_with_own_certificate();
    stack.rule(
        "ImportsRegionUsEast1",
        nephos::Rule::new().assert(nephos::equals(nephos::aws::region(), "us-east-1"), "mine"),
    );
    let e = errors(&stack);
    assert!(
        has(
            &e,
            &[
                "rule `ImportsRegionUsEast1` has the ID of the rule certificate `Cert`",
                "one would replace the other"
            ]
        ),
        "{e:?}"
    );
}

/// Every property that takes a certificate of its own Region only, with the certificate
/// `arn` (`value!` places it where the type has it), and the property path messages name.
fn own_region_users(arn: Value<Str>) -> Vec<(&'static str, RawResource, &'static str)> {
    vec![
        (
            "Listener",
            RawResource::new("AWS::ElasticLoadBalancingV2::Listener")
                .property("LoadBalancerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188")
                .property("Port", 443)
                .property("Protocol", "HTTPS")
                .property("DefaultActions", json!([{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]))
                .property("Certificates", nephos::value!([{"CertificateArn": arn.clone()}])),
            "Certificates.0.CertificateArn",
        ),
        (
            "ListenerCert",
            RawResource::new("AWS::ElasticLoadBalancingV2::ListenerCertificate")
                .property("ListenerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2")
                .property("Certificates", nephos::value!([{"CertificateArn": arn.clone()}])),
            "Certificates.0.CertificateArn",
        ),
        (
            "Classic",
            RawResource::new("AWS::ElasticLoadBalancing::LoadBalancer")
                .property("AvailabilityZones", json!(["eu-west-1a"]))
                .property(
                    "Listeners",
                    nephos::value!([
                        {"LoadBalancerPort": "80", "InstancePort": "80", "Protocol": "HTTP"},
                        {"LoadBalancerPort": "443", "InstancePort": "80", "Protocol": "HTTPS", "SSLCertificateId": arn.clone()}
                    ]),
                ),
            "Listeners.1.SSLCertificateId",
        ),
        (
            "RegionalDomain",
            RawResource::new("AWS::ApiGateway::DomainName")
                .property("DomainName", "api.example.com")
                .property("EndpointConfiguration", json!({"Types": ["REGIONAL"]}))
                .property("RegionalCertificateArn", arn.clone()),
            "RegionalCertificateArn",
        ),
        (
            "PrivateDomain",
            RawResource::new("AWS::ApiGateway::DomainNameV2")
                .property("DomainName", "private.example.com")
                .property("EndpointConfiguration", json!({"Types": ["PRIVATE"]}))
                .property("CertificateArn", arn.clone()),
            "CertificateArn",
        ),
        (
            "HttpDomain",
            RawResource::new("AWS::ApiGatewayV2::DomainName")
                .property("DomainName", "http.example.com")
                .property(
                    "DomainNameConfigurations",
                    nephos::value!([{"CertificateArn": arn.clone(), "EndpointType": "REGIONAL"}]),
                ),
            "DomainNameConfigurations.0.CertificateArn",
        ),
        (
            "Search",
            RawResource::new("AWS::OpenSearchService::Domain").property(
                "DomainEndpointOptions",
                nephos::value!({
                    "CustomEndpointEnabled": true,
                    "CustomEndpoint": "search.example.com",
                    "CustomEndpointCertificateArn": arn.clone()
                }),
            ),
            "DomainEndpointOptions.CustomEndpointCertificateArn",
        ),
        (
            "LegacySearch",
            RawResource::new("AWS::Elasticsearch::Domain").property(
                "DomainEndpointOptions",
                nephos::value!({
                    "CustomEndpointEnabled": true,
                    "CustomEndpoint": "es.example.com",
                    "CustomEndpointCertificateArn": arn.clone()
                }),
            ),
            "DomainEndpointOptions.CustomEndpointCertificateArn",
        ),
        (
            "Ftps",
            RawResource::new("AWS::Transfer::Server")
                .property("Protocols", json!(["FTPS"]))
                .property("Certificate", arn.clone()),
            "Certificate",
        ),
        (
            "Vpn",
            RawResource::new("AWS::EC2::ClientVpnEndpoint")
                .property("ClientCidrBlock", "10.100.0.0/22")
                .property("ConnectionLogOptions", json!({"Enabled": false}))
                .property("ServerCertificateArn", arn.clone())
                .property(
                    "AuthenticationOptions",
                    json!([{"Type": "directory-service-authentication", "ActiveDirectory": {"DirectoryId": "d-1234567890"}}]),
                ),
            "ServerCertificateArn",
        ),
        (
            "VpnClients",
            RawResource::new("AWS::EC2::ClientVpnEndpoint")
                .property("ClientCidrBlock", "10.200.0.0/22")
                .property("ConnectionLogOptions", json!({"Enabled": false}))
                .property("ServerCertificateArn", "arn:aws:acm:{{resolve:ssm:/vpn/region}}:123456789012:certificate/x")
                .property(
                    "AuthenticationOptions",
                    nephos::value!([{
                        "Type": "certificate-authentication",
                        "MutualAuthentication": {"ClientRootCertificateChainArn": arn.clone()}
                    }]),
                ),
            "AuthenticationOptions.0.MutualAuthentication.ClientRootCertificateChainArn",
        ),
        (
            "Lattice",
            RawResource::new("AWS::VpcLattice::Service")
                .property("CustomDomainName", "svc.example.com")
                .property("CertificateArn", arn.clone()),
            "CertificateArn",
        ),
        (
            "IotDomain",
            RawResource::new("AWS::IoT::DomainConfiguration")
                .property("DomainName", "iot.example.com")
                .property("ServerCertificateArns", nephos::value!([arn.clone()])),
            "ServerCertificateArns.0",
        ),
    ]
}

#[test]
fn a_literal_certificate_of_another_region_than_the_stack_s_is_refused() {
    let users = own_region_users(EU_CERT.into());
    assert_eq!(users.len(), 13);
    for (id, resource, property) in users {
        let stack = || {
            let mut stack = Stack::new("Regional");
            stack.add(id, resource.clone());
            stack
        };
        // The stack's Region unknown: the template asserts the certificate's.
        let rules = rules(&stack());
        assert_eq!(
            assertion_region(&rules, "ImportsRegionEuWest1"),
            "eu-west-1",
            "{id}: {rules}"
        );
        let said = description(&rules, "ImportsRegionEuWest1");
        assert!(
            said.contains(&format!("given to `{id}`"))
                && said.contains(&format!("as `{property}`"))
                && said.contains("of its own Region only"),
            "{id}: {said}"
        );
        // Known: another Region is refused by the app, the certificate's taken.
        let e = app_errors(stack(), Some("us-west-2"));
        assert!(
            has(
                &e,
                &[
                    "deploys to us-west-2, but certificate `arn:aws:acm:eu-west-1:",
                    &format!("given to `{id}`"),
                    "needs the stack in eu-west-1"
                ]
            ),
            "{id}: {e:?}"
        );
        assert!(app_errors(stack(), Some("eu-west-1")).is_empty(), "{id}");
    }
}

/// An Elastic Beanstalk environment's load balancer takes a certificate of its Region
/// only, given in an option setting (`aws:elbv2:listener:<port>` `SSLCertificateArns`).
#[test]
fn a_beanstalk_load_balancer_certificate_of_another_region_is_refused() {
    let stack = |namespace: &str| {
        let mut stack = Stack::new("Eb");
        stack.add(
            "Env",
            RawResource::new("AWS::ElasticBeanstalk::Environment")
                .property("ApplicationName", "app")
                .property(
                    "OptionSettings",
                    json!([
                        {"Namespace": "aws:elasticbeanstalk:environment", "OptionName": "LoadBalancerType", "Value": "application"},
                        {"Namespace": namespace, "OptionName": "SSLCertificateArns", "Value": EU_CERT}
                    ]),
                ),
        );
        stack
    };
    let found = rules(&stack("aws:elbv2:listener:443"));
    assert!(
        description(&found, "ImportsRegionEuWest1").contains(
            "given to `Env` (AWS::ElasticBeanstalk::Environment) as `OptionSettings.1.Value`"
        ),
        "{found}"
    );
    let e = app_errors(stack("aws:elbv2:listener:443"), Some("us-west-2"));
    assert!(has(&e, &["`Env`", "needs the stack in eu-west-1"]), "{e:?}");
    // Another namespace's option of that name holds no certificate.
    assert_eq!(rules(&stack("aws:elasticbeanstalk:other")), J::Null);
}

#[test]
fn a_certificate_made_in_the_stack_is_in_the_stack_s_region_by_construction() {
    let mut stack = Stack::new("Regional");
    let cert = certificate(&mut stack, "Cert");
    for (id, resource, _) in own_region_users(cert.ref_value()) {
        stack.add(id, resource);
    }
    let t = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    assert!(t.json().get("Rules").is_none(), "{}", t.json());
    for region in ["eu-west-1", "ap-south-1"] {
        let mut app = App::new();
        app.stack(stack.clone(), StackSettings::new("s").region(region));
        assert!(app.synth().is_ok(), "{region}");
    }
}

#[test]
fn two_certificates_of_two_regions_are_refused_at_synth() {
    let mut stack = Stack::new("Lb");
    stack.add(
        "Listener",
        RawResource::new("AWS::ElasticLoadBalancingV2::ListenerCertificate")
            .property("ListenerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2")
            .property(
                "Certificates",
                json!([{"CertificateArn": EU_CERT}, {"CertificateArn": US_WEST_CERT}]),
            ),
    );
    let e = errors(&stack);
    assert!(
        has(
            &e,
            &[
                "as `Certificates.0.CertificateArn`) needs the stack in Region eu-west-1 and certificate `arn:aws:acm:us-west-2:",
                "in Region us-west-2"
            ]
        ),
        "{e:?}"
    );
}

/// A resource under a condition of its own may not exist, and a branch of an `Fn::If`
/// may not be chosen: a rule, which cannot read conditions, would refuse a deploy that
/// works, so neither records a need. Two branches of one Region do.
#[test]
fn conditional_certificates_assert_only_what_holds_whatever_the_conditions() {
    let mut stack = Stack::new("Lattice");
    let env = stack.parameter("Env", nephos::Parameter::string());
    let prod = stack.condition("Prod", nephos::equals(&env, "prod"));
    let either: Value<Str> = nephos::fn_if(&prod, EU_CERT, US_WEST_CERT);
    let lattice = |cert: Value<Str>| {
        RawResource::new("AWS::VpcLattice::Service")
            .property("CustomDomainName", "svc.example.com")
            .property("CertificateArn", cert)
    };
    stack.add("Either", lattice(either));
    let guarded = stack.add("Guarded", lattice(EU_CERT.into()));
    stack.resource(&guarded).condition(&prod);
    assert_eq!(rules(&stack), J::Null);
    let same: Value<Str> = nephos::fn_if(&prod, EU_CERT, EU_CERT.replace("1234-1234", "5678-5678"));
    stack.add("Same", lattice(same));
    assert_eq!(
        assertion_region(&rules(&stack), "ImportsRegionEuWest1"),
        "eu-west-1"
    );
}

/// The rules' IDs and descriptions do not depend on the order resources were added in.
#[test]
fn rules_do_not_depend_on_the_order_of_the_resources() {
    let build = |reverse: bool| {
        let mut stack = Stack::new("Order");
        let mut users = own_region_users(EU_CERT.into());
        if reverse {
            users.reverse();
        }
        for (id, resource, _) in users {
            stack.add(id, resource);
        }
        stack.synth().unwrap().to_json_pretty()
    };
    assert_eq!(build(false), build(true));
}

/// A web ACL association with a REST API stage of the stack, its ARN built as AWS WAF
/// takes it: compiles without `.cast()` and synthesizes the page's form.
#[cfg(feature = "wafv2")]
#[test]
fn a_web_acl_associates_with_a_stage_of_the_stack() {
    use nephos::constructs::names::api_stage_arn;
    let mut stack = Stack::new("Api");
    let api = stack.add("Api", nephos::apigateway::RestApi::new().name("users"));
    let stage = stack.add(
        "Prod",
        nephos::apigateway::Stage::new(api.id()).stage_name("prod"),
    );
    use nephos::wafv2::web_acl::{AllowAction, DefaultAction, Scope, VisibilityConfig};
    let acl = stack.add(
        "Acl",
        nephos::wafv2::WebAcl::new(
            DefaultAction::new().allow(AllowAction::new()),
            Scope::Regional,
            VisibilityConfig::new(true, "acl", true),
        ),
    );
    stack.add(
        "Assoc",
        nephos::wafv2::WebAclAssociation::new(
            api_stage_arn(api.id(), stage.reference()),
            acl.arn(),
        ),
    );
    let t = stack.synth();
    let json = match &t {
        Ok(t) => t.json().clone(),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        json["Resources"]["Assoc"]["Properties"]["ResourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}"})
    );
}
