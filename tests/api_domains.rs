//! Custom domain names of REST and HTTP APIs: the domain with its certificate, endpoint
//! type and TLS policy, the mapping of a stage under a base path and what it waits for,
//! one domain shared by several APIs (REST and HTTP), the alias target values, mutual
//! TLS with its truststore, and the synth errors for what API Gateway refuses. The last test runs cfn-lint over the
//! template.

use nephos::assertions::Assertions;
use nephos::constructs::{
    Bucket, Code, CustomDomain, DomainEndpoint, Function, FunctionRef, HttpApi, MutualTls, RestApi,
    RestStage, Runtime, TlsPolicy,
};
use nephos::kinds::{CertificateManagerCertificateArn, S3BucketName};
use nephos::{Stack, Value};
use serde_json::{Value as J, json};

const CERT: &str =
    "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000000";
const EDGE_CERT: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000001";

fn cert() -> Value<CertificateManagerCertificateArn> {
    Value::literal(CERT)
}

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add(
        "F",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn template(stack: &Stack) -> J {
    stack
        .synth()
        .unwrap_or_else(|e| panic!("synth failed:\n{e}"))
        .json()
        .clone()
}

fn props<'a>(t: &'a J, id: &str) -> &'a J {
    &t["Resources"][id]["Properties"]
}

fn of_type(t: &J, type_name: &str) -> usize {
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == type_name)
        .count()
}

#[test]
fn a_rest_domain_maps_the_stage_and_waits_for_the_deployment_that_makes_it() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("users"));
    api.route(&mut stack, "GET", "/users", &f);
    let v1 = api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("v1"),
    );
    let v2 = api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("v2/beta"),
    );
    assert_eq!(v1.domain().logical_id(), v2.domain().logical_id());
    let t = template(&stack);
    assert_eq!(of_type(&t, "AWS::ApiGateway::DomainName"), 1);
    assert_eq!(
        props(&t, "ApiExampleComDomain"),
        &json!({
            "DomainName": "api.example.com",
            "EndpointConfiguration": {"Types": ["REGIONAL"]},
            "RegionalCertificateArn": CERT,
            "SecurityPolicy": "TLS_1_2"
        })
    );
    let m = props(&t, "ApiApiExampleComV1Mapping");
    assert_eq!(m["DomainName"], json!({"Ref": "ApiExampleComDomain"}));
    assert_eq!(m["RestApiId"], json!({"Ref": "Api"}));
    assert_eq!(m["Stage"], "prod");
    assert_eq!(m["BasePath"], "v1");
    // A base path of several levels: `AWS::ApiGateway::BasePathMapping` takes one level,
    // so the REST API is mapped by an `AWS::ApiGatewayV2::ApiMapping` (AWS Compute Blog,
    // "Using multiple segments in Amazon API Gateway base path mapping").
    assert_eq!(
        t["Resources"]["ApiApiExampleComV2BetaMapping"]["Type"],
        "AWS::ApiGatewayV2::ApiMapping"
    );
    assert_eq!(
        props(&t, "ApiApiExampleComV2BetaMapping"),
        &json!({
            "ApiId": {"Ref": "Api"},
            "ApiMappingKey": "v2/beta",
            "DomainName": {"Ref": "ApiExampleComDomain"},
            "Stage": "prod"
        })
    );
    assert_eq!(of_type(&t, "AWS::ApiGateway::BasePathMapping"), 1);
    assert_eq!(v2.mapping().type_name(), "AWS::ApiGatewayV2::ApiMapping");
    let deployment = t["Resources"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| k.starts_with("ApiDeployment"))
        .unwrap();
    assert_eq!(
        t["Resources"]["ApiApiExampleComV1Mapping"]["DependsOn"],
        json!([deployment])
    );
    assert_eq!(
        t["Resources"]["ApiApiExampleComV2BetaMapping"]["DependsOn"],
        json!([deployment])
    );
    assert_eq!(
        v1.alias_domain_name().to_json(),
        json!({"Fn::GetAtt": ["ApiExampleComDomain", "RegionalDomainName"]})
    );
    assert_eq!(
        v1.alias_hosted_zone_id().to_json(),
        json!({"Fn::GetAtt": ["ApiExampleComDomain", "RegionalHostedZoneId"]})
    );
    Assertions::from_stack(&stack).assert_no_cycles();

    // A stage resource: the mapping refers to it, which orders it; a further stage is
    // mapped by name.
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add(
        "Api",
        RestApi::new("users")
            .stage_options(RestStage::new())
            .add_stage("beta", RestStage::new()),
    );
    api.route(&mut stack, "GET", "/users", &f);
    api.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert()));
    api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert())
            .base_path("beta")
            .stage("beta"),
    );
    let t = template(&stack);
    let m = &t["Resources"]["ApiApiExampleComMapping"];
    assert_eq!(m["Properties"]["Stage"], json!({"Ref": "ApiStage"}));
    assert!(m["Properties"].get("BasePath").is_none());
    assert!(m.get("DependsOn").is_none());
    assert_eq!(
        props(&t, "ApiApiExampleComBetaMapping")["Stage"],
        json!({"Ref": "ApiBetaStage"})
    );
}

#[test]
fn an_edge_domain_takes_the_certificate_as_certificate_arn_and_aliases_the_distribution() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("users"));
    api.route(&mut stack, "GET", "/users", &f);
    let d = api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", Value::literal(EDGE_CERT))
            .endpoint(DomainEndpoint::Edge)
            .tls(TlsPolicy::Tls10),
    );
    let t = template(&stack);
    assert_eq!(
        props(&t, "ApiExampleComDomain"),
        &json!({
            "CertificateArn": EDGE_CERT,
            "DomainName": "api.example.com",
            "EndpointConfiguration": {"Types": ["EDGE"]},
            "SecurityPolicy": "TLS_1_0"
        })
    );
    assert_eq!(
        d.alias_domain_name().to_json(),
        json!({"Fn::GetAtt": ["ApiExampleComDomain", "DistributionDomainName"]})
    );
    assert_eq!(
        d.alias_hosted_zone_id().to_json(),
        json!({"Fn::GetAtt": ["ApiExampleComDomain", "DistributionHostedZoneId"]})
    );
}

#[test]
fn an_http_domain_maps_the_default_stage_after_it_exists() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Http", HttpApi::new("items"));
    api.route(&mut stack, "GET", "/items", &f);
    let d = api.custom_domain(
        &mut stack,
        CustomDomain::new("items.example.com", cert()).base_path("v1"),
    );
    let t = template(&stack);
    assert_eq!(
        props(&t, "ItemsExampleComDomain"),
        &json!({
            "DomainName": "items.example.com",
            "DomainNameConfigurations": [{"CertificateArn": CERT, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}]
        })
    );
    let m = &t["Resources"]["HttpItemsExampleComV1Mapping"];
    assert_eq!(
        m["Properties"],
        json!({"ApiId": {"Ref": "Http"}, "ApiMappingKey": "v1", "DomainName": {"Ref": "ItemsExampleComDomain"}, "Stage": "$default"})
    );
    assert_eq!(m["DependsOn"], json!(["HttpDefaultStage"]));
    assert_eq!(
        d.alias_hosted_zone_id().to_json(),
        json!({"Fn::GetAtt": ["ItemsExampleComDomain", "RegionalHostedZoneId"]})
    );
}

#[test]
fn rest_and_http_apis_share_one_domain_per_name() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let users = stack.add("Users", RestApi::new("users"));
    users.route(&mut stack, "GET", "/users", &f);
    let orders = stack.add("Orders", RestApi::new("orders"));
    orders.route(&mut stack, "GET", "/orders", &f);
    let items = stack.add("Items", HttpApi::new("items"));
    items.route(&mut stack, "GET", "/items", &f);
    let a = users.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert()));
    let b = orders.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("orders"),
    );
    let c = items.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("items/v1"),
    );
    assert_eq!(a.domain(), b.domain());
    assert_eq!(a.domain(), c.domain());
    let t = template(&stack);
    assert_eq!(of_type(&t, "AWS::ApiGateway::DomainName"), 1);
    assert_eq!(of_type(&t, "AWS::ApiGatewayV2::DomainName"), 0);
    assert_eq!(of_type(&t, "AWS::ApiGateway::BasePathMapping"), 2);
    assert_eq!(
        props(&t, "ItemsApiExampleComItemsV1Mapping")["DomainName"],
        json!({"Ref": "ApiExampleComDomain"})
    );
    // An apex and its wildcard are two domains.
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let users = stack.add("Users", RestApi::new("users"));
    users.route(&mut stack, "GET", "/users", &f);
    users.custom_domain(&mut stack, CustomDomain::new("example.com", cert()));
    users.custom_domain(&mut stack, CustomDomain::new("*.example.com", cert()));
    let t = template(&stack);
    assert_eq!(props(&t, "ExampleComDomain")["DomainName"], "example.com");
    assert_eq!(
        props(&t, "WildcardExampleComDomain")["DomainName"],
        "*.example.com"
    );
}

#[test]
fn a_path_mapped_twice_or_a_domain_set_up_twice_differently_is_a_synth_error() {
    let setup = || {
        let mut stack = Stack::new("App");
        let f = function(&mut stack);
        let users = stack.add("Users", RestApi::new("users"));
        users.route(&mut stack, "GET", "/users", &f);
        let items = stack.add("Items", HttpApi::new("items"));
        items.route(&mut stack, "GET", "/items", &f);
        users.custom_domain(
            &mut stack,
            CustomDomain::new("api.example.com", cert()).base_path("v1"),
        );
        (stack, users, items)
    };
    let (mut stack, _, items) = setup();
    items.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("v1"),
    );
    let e = stack.synth().expect_err("a path mapped twice").to_string();
    assert!(
        e.contains("the base path `v1` of the custom domain `api.example.com` is already mapped by `UsersApiExampleComV1Mapping`"),
        "{e}"
    );

    // The root twice.
    let (mut stack, users, items) = setup();
    users.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert()));
    items.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert()));
    let e = stack
        .synth()
        .expect_err("the root mapped twice")
        .to_string();
    assert!(e.contains("the root (no base path)"), "{e}");

    // The same mapping asked for again is the same resource, no error.
    let (mut stack, users, _) = setup();
    users.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("v1"),
    );
    template(&stack);

    // Another certificate for the same name.
    let (mut stack, _, items) = setup();
    items.custom_domain(
        &mut stack,
        CustomDomain::new(
            "api.example.com",
            Value::literal("arn:aws:acm:eu-west-1:123456789012:certificate/other"),
        )
        .base_path("items"),
    );
    let e = stack.synth().expect_err("two certificates").to_string();
    assert!(
        e.contains("the custom domain `api.example.com` is set up twice with different settings"),
        "{e}"
    );
    assert!(e.contains("certificate/other"), "{e}");

    // DNS names know no case: `API.example.com` is the REST API's domain, so the HTTP API
    // shares it (one domain resource) and its `v1` is the one already mapped.
    let (mut stack, _, items) = setup();
    let shared = items.custom_domain(
        &mut stack,
        CustomDomain::new("API.example.com", cert()).base_path("items"),
    );
    assert_eq!(shared.domain().logical_id(), "ApiExampleComDomain");
    let t = template(&stack);
    assert_eq!(of_type(&t, "AWS::ApiGateway::DomainName"), 1);
    assert_eq!(of_type(&t, "AWS::ApiGatewayV2::DomainName"), 0);
    let (mut stack, _, items) = setup();
    items.custom_domain(
        &mut stack,
        CustomDomain::new("API.example.com", cert()).base_path("v1"),
    );
    let e = stack.synth().expect_err("v1 mapped twice").to_string();
    assert!(
        e.contains("the base path `v1` of the custom domain `API.example.com` is already mapped by `UsersApiExampleComV1Mapping`"),
        "{e}"
    );
}

#[test]
fn names_paths_and_settings_api_gateway_refuses_are_synth_errors() {
    let edge = || {
        CustomDomain::new("api.example.com", Value::literal(EDGE_CERT))
            .endpoint(DomainEndpoint::Edge)
    };
    for (domain, http, expect) in [
        (
            CustomDomain::new("localhost", cert()),
            false,
            "not a domain name",
        ),
        (
            CustomDomain::new("-api.example.com", cert()),
            false,
            "not a domain name",
        ),
        (
            CustomDomain::new("api..example.com", cert()),
            true,
            "not a domain name",
        ),
        (
            CustomDomain::new("api.example.com", cert()).base_path("/v1"),
            false,
            "without a leading or trailing",
        ),
        (
            CustomDomain::new("api.example.com", cert()).base_path("v1//users"),
            true,
            "separated by single `/`",
        ),
        (
            CustomDomain::new("api.example.com", cert()).base_path("v 1"),
            false,
            "letters, digits",
        ),
        (
            CustomDomain::new("api.example.com", cert()).base_path("a".repeat(301)),
            false,
            "at most 300 characters",
        ),
        (
            edge().base_path("v1/users"),
            false,
            "only a regional domain with TLS 1.2",
        ),
        (
            CustomDomain::new("api.example.com", cert())
                .tls(TlsPolicy::Tls10)
                .base_path("v1/users"),
            false,
            "only a regional domain with TLS 1.2",
        ),
        (
            CustomDomain::new("api.example.com", cert()).endpoint(DomainEndpoint::Edge),
            false,
            "takes a certificate of us-east-1 only",
        ),
        (edge(), true, "an HTTP API takes only a regional domain"),
        (
            CustomDomain::new("api.example.com", cert()).tls(TlsPolicy::Tls10),
            true,
            "only the TLS 1.2 policy",
        ),
        (
            CustomDomain::new("api.example.com", cert()).stage("prod"),
            true,
            "only the `$default` stage",
        ),
        (
            CustomDomain::new("api.example.com", cert()).stage("beta"),
            false,
            "API `Api` has no stage `beta`",
        ),
    ] {
        let what = format!("{domain:?}");
        let mut stack = Stack::new("App");
        let f = function(&mut stack);
        if http {
            let api = stack.add("Http", HttpApi::new("items"));
            api.route(&mut stack, "GET", "/items", &f);
            api.custom_domain(&mut stack, domain);
        } else {
            let api = stack.add("Api", RestApi::new("users"));
            api.route(&mut stack, "GET", "/users", &f);
            api.custom_domain(&mut stack, domain);
        }
        let e = stack.synth().expect_err("synth should fail").to_string();
        assert!(e.contains(expect), "{what}: expected `{expect}` in:\n{e}");
    }
    // A wildcard name and the path characters API Gateway allows are fine.
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("users"));
    api.route(&mut stack, "GET", "/users", &f);
    api.custom_domain(
        &mut stack,
        CustomDomain::new("*.example.com", cert()).base_path("v1.0/$x-_+!*'()"),
    );
    template(&stack);
}

#[test]
fn mutual_tls_puts_the_truststore_on_rest_and_http_domains_and_is_part_of_a_shared_domain() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let certs = stack.add("Certs", Bucket::new());
    let api = stack.add("Api", RestApi::new("users"));
    api.route(&mut stack, "GET", "/users", &f);
    api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert())
            .mutual_tls(MutualTls::new("s3://certs-bucket/truststore.pem").version("v2")),
    );
    let http = stack.add("Http", HttpApi::new("items"));
    http.route(&mut stack, "GET", "/items", &f);
    http.custom_domain(
        &mut stack,
        CustomDomain::new("items.example.com", cert())
            .mutual_tls(MutualTls::in_bucket(certs.name(), "ca/truststore.pem")),
    );
    let t = template(&stack);
    assert_eq!(
        props(&t, "ApiExampleComDomain")["MutualTlsAuthentication"],
        json!({"TruststoreUri": "s3://certs-bucket/truststore.pem", "TruststoreVersion": "v2"})
    );
    // The bucket construct's computed name, inside the URI.
    let uri = &props(&t, "ItemsExampleComDomain")["MutualTlsAuthentication"]["TruststoreUri"];
    let sub_template = uri["Fn::Sub"][0].as_str().unwrap_or_default();
    assert!(
        sub_template.starts_with("s3://app-certs-") && sub_template.ends_with("/ca/truststore.pem"),
        "{uri}"
    );
    assert!(
        props(&t, "ItemsExampleComDomain")["MutualTlsAuthentication"]
            .get("TruststoreVersion")
            .is_none()
    );
    // Without it, no `MutualTlsAuthentication` is written.
    let mut plain = Stack::new("App");
    let f = function(&mut plain);
    let api = plain.add("Api", RestApi::new("users"));
    api.route(&mut plain, "GET", "/users", &f);
    api.custom_domain(&mut plain, CustomDomain::new("api.example.com", cert()));
    let t = template(&plain);
    assert!(
        props(&t, "ApiExampleComDomain")
            .get("MutualTlsAuthentication")
            .is_none()
    );

    // A second API on the same name without the truststore would change the domain.
    let http = stack.add("Other", HttpApi::new("other"));
    http.route(&mut stack, "GET", "/other", &f);
    http.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("other"),
    );
    let e = stack.synth().expect_err("synth should fail").to_string();
    assert!(
        e.contains("set up twice with different settings") && e.contains("MutualTlsAuthentication"),
        "{e}"
    );
}

#[test]
fn mutual_tls_on_an_edge_or_tls_1_0_domain_or_a_bad_truststore_is_a_synth_error() {
    let tls = || MutualTls::new("s3://certs-bucket/truststore.pem");
    for (domain, http, expect) in [
        (
            CustomDomain::new("api.example.com", Value::literal(EDGE_CERT))
                .endpoint(DomainEndpoint::Edge)
                .mutual_tls(tls()),
            false,
            &[
                "`api.example.com`",
                "MutualTlsAuthentication",
                "regional",
                "`EDGE`",
                ".endpoint(",
            ][..],
        ),
        (
            CustomDomain::new("api.example.com", cert())
                .tls(TlsPolicy::Tls10)
                .mutual_tls(tls()),
            false,
            &[
                "`api.example.com`",
                "`TLS_1_2` `SecurityPolicy`",
                "not `TLS_1_0`",
                ".tls(",
            ][..],
        ),
        (
            CustomDomain::new("api.example.com", cert())
                .mutual_tls(MutualTls::new("https://certs-bucket/truststore.pem")),
            true,
            &[
                "`api.example.com`",
                "not an S3 object URI `s3://<bucket>/<key>`",
            ][..],
        ),
        (
            CustomDomain::new("api.example.com", cert())
                .mutual_tls(MutualTls::new("s3://certs-bucket/")),
            false,
            &["not an S3 object URI"][..],
        ),
        (
            CustomDomain::new("api.example.com", cert()).mutual_tls(MutualTls::in_bucket(
                Value::<S3BucketName>::literal("certs-bucket"),
                "/ca.pem",
            )),
            false,
            &["truststore key `/ca.pem`"][..],
        ),
        (
            CustomDomain::new("api.example.com", cert()).mutual_tls(tls().version("")),
            false,
            &["truststore version is empty"][..],
        ),
    ] {
        let what = format!("{domain:?}");
        let mut stack = Stack::new("App");
        let f = function(&mut stack);
        if http {
            let api = stack.add("Http", HttpApi::new("items"));
            api.route(&mut stack, "GET", "/items", &f);
            api.custom_domain(&mut stack, domain);
        } else {
            let api = stack.add("Api", RestApi::new("users"));
            api.route(&mut stack, "GET", "/users", &f);
            api.custom_domain(&mut stack, domain);
        }
        let e = stack.synth().expect_err("synth should fail").to_string();
        for x in expect {
            assert!(e.contains(x), "{what}: expected `{x}` in:\n{e}");
        }
        assert!(
            e.contains("ApiExampleComDomain"),
            "{what}: the domain resource in:\n{e}"
        );
    }
}

#[test]
fn cfn_lint_accepts_custom_domains() {
    let mut stack = Stack::new("Domains");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("users"));
    api.route(&mut stack, "GET", "/users", &f);
    api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("v1"),
    );
    api.custom_domain(
        &mut stack,
        CustomDomain::new("edge.example.com", Value::literal(EDGE_CERT))
            .endpoint(DomainEndpoint::Edge),
    );
    let http = stack.add("Http", HttpApi::new("items"));
    http.route(&mut stack, "GET", "/items", &f);
    http.custom_domain(
        &mut stack,
        CustomDomain::new("items.example.com", cert())
            .mutual_tls(MutualTls::new("s3://certs-bucket/truststore.pem")),
    );
    http.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("items/v1"),
    );
    // A REST API under a base path of several levels (an API Gateway V2 API mapping).
    api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("orders/v2"),
    );
    api.custom_domain(
        &mut stack,
        CustomDomain::new("mtls.example.com", cert())
            .mutual_tls(MutualTls::new("s3://certs-bucket/truststore.pem").version("v1")),
    );
    let t = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("api-domains-lint");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("domains.template.json");
    std::fs::write(&file, t.to_json_pretty()).unwrap();
    let lint = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/cfn-lint");
    assert!(
        lint.exists(),
        "run scripts/venv.sh: {} is missing",
        lint.display()
    );
    let out = std::process::Command::new(lint)
        .args(["--format", "parseable"])
        .arg(&file)
        .output()
        .expect("cfn-lint runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let findings: Vec<&str> = text.lines().filter(|l| !l.contains(":I")).collect();
    assert!(findings.is_empty(), "cfn-lint:\n{}", findings.join("\n"));
}

#[test]
fn a_multi_level_rest_path_is_an_api_mapping_counted_against_the_domains_other_paths() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("users").stage("live"));
    api.route(&mut stack, "GET", "/users", &f);
    let http = stack.add("Http", HttpApi::new("items"));
    http.route(&mut stack, "GET", "/items", &f);
    api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("orders/v2"),
    );
    http.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("orders/v2"),
    );
    let e = stack
        .synth()
        .expect_err("one path mapped twice")
        .to_string();
    assert!(
        e.contains("the base path `orders/v2` of the custom domain `api.example.com` is already mapped by `ApiApiExampleComOrdersV2Mapping`"),
        "{e}"
    );
    // Alone, it names the REST API's stage.
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("users").stage("live"));
    api.route(&mut stack, "GET", "/users", &f);
    api.custom_domain(
        &mut stack,
        CustomDomain::new("api.example.com", cert()).base_path("orders/v2"),
    );
    let t = template(&stack);
    assert_eq!(of_type(&t, "AWS::ApiGateway::BasePathMapping"), 0);
    assert_eq!(
        props(&t, "ApiApiExampleComOrdersV2Mapping")["Stage"],
        "live"
    );
}
