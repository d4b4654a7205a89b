//! Private REST APIs: the `PRIVATE` endpoint configuration with its VPC endpoints, the
//! resource policy that lets requests in only through them, accumulated with the
//! statements a user adds (and a `Policy` given through `configure`), and the synth
//! errors: no endpoint, a refused statement, a computed policy, a public custom domain,
//! `configure` changing the endpoint configuration. The last test runs cfn-lint.

use nephos::constructs::{Code, CustomDomain, Function, FunctionRef, RestApi, Runtime};
use nephos::kinds::{CertificateManagerCertificateArn, Ec2VpcEndpointId};
use nephos::policy::{PolicyDocument, Principal, Statement};
use nephos::{Stack, Value};
use serde_json::{Value as J, json};

const VPCE: &str = "vpce-0123456789abcdef0";

fn vpce(id: &str) -> Value<Ec2VpcEndpointId> {
    Value::literal(id)
}

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add(
        "F",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn synth(stack: &Stack) -> J {
    stack
        .synth()
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .clone()
}

fn errors(stack: &Stack) -> String {
    stack.synth().expect_err("synth should fail").to_string()
}

/// A stack with the API `Api` built by `api`, one route to a function.
fn stack_with(api: RestApi) -> (Stack, nephos::constructs::RestApiRef) {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", api);
    api.route(&mut stack, "GET", "/users", &f);
    (stack, api)
}

fn invoke_by(principal: Principal, resource: &str) -> Statement {
    Statement::allow()
        .principal(principal)
        .action("execute-api:Invoke")
        .resource(resource)
}

#[test]
fn a_private_api_is_invoked_only_through_its_vpc_endpoints() {
    let (stack, _) = stack_with(RestApi::new("internal").private([vpce(VPCE), vpce("vpce-1")]));
    let t = synth(&stack);
    let p = &t["Resources"]["Api"]["Properties"];
    assert_eq!(
        p["EndpointConfiguration"],
        json!({"Types": ["PRIVATE"], "VpcEndpointIds": [VPCE, "vpce-1"]})
    );
    let endpoints = json!([VPCE, "vpce-1"]);
    let statements = p["Policy"]["Statement"].as_array().unwrap().clone();
    assert_eq!(statements.len(), 2, "{statements:?}");
    for s in &statements {
        assert_eq!(s["Principal"], "*");
        assert_eq!(s["Action"], json!(["execute-api:Invoke"]));
        assert_eq!(s["Resource"], json!(["execute-api:/*"]));
    }
    let by_effect = |effect: &str| statements.iter().find(|s| s["Effect"] == effect).unwrap();
    assert_eq!(
        by_effect("Allow")["Condition"],
        json!({"StringEquals": {"aws:SourceVpce": endpoints}})
    );
    assert_eq!(
        by_effect("Deny")["Condition"],
        json!({"StringNotEquals": {"aws:SourceVpce": endpoints}})
    );
    // A public API has neither.
    let (stack, _) = stack_with(RestApi::new("public"));
    let t = synth(&stack);
    let p = &t["Resources"]["Api"]["Properties"];
    assert_eq!(p["EndpointConfiguration"]["Types"], json!(["REGIONAL"]));
    assert!(p.get("Policy").is_none());
}

#[test]
fn statements_accumulate_with_the_private_ones_and_a_configured_policy() {
    let partner = invoke_by(Principal::aws("123456789012"), "execute-api:/*/GET/users");
    let (mut stack, api) = stack_with(RestApi::new("internal").private([vpce(VPCE)]).configure(
        |l1| {
            l1.policy(PolicyDocument::new().statement(invoke_by(
                Principal::aws("210987654321"),
                "execute-api:/prod/*",
            )))
        },
    ));
    assert!(api.add_to_resource_policy(&mut stack, partner.clone()));
    // The same statement twice is kept once.
    assert!(api.add_to_resource_policy(&mut stack, partner));
    let t = synth(&stack);
    let statements = t["Resources"]["Api"]["Properties"]["Policy"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let text = serde_json::to_string(&statements).unwrap();
    assert_eq!(statements.len(), 4, "{text}");
    assert!(
        text.contains("123456789012") && text.contains("210987654321") && text.contains(VPCE),
        "{text}"
    );
    // The order is canonical: the same statements added in another order give the same text.
    let again = {
        let (mut stack, api) = stack_with(RestApi::new("internal").configure(|l1| {
            l1.policy(PolicyDocument::new().statement(invoke_by(
                Principal::aws("210987654321"),
                "execute-api:/prod/*",
            )))
        }));
        api.add_to_resource_policy(
            &mut stack,
            invoke_by(Principal::aws("123456789012"), "execute-api:/*/GET/users"),
        );
        synth(&stack)["Resources"]["Api"]["Properties"]["Policy"]["Statement"].clone()
    };
    assert_eq!(again.as_array().unwrap().len(), 2);
    for s in again.as_array().unwrap() {
        assert!(statements.contains(s), "{s} missing from {text}");
    }
}

#[test]
fn what_api_gateway_refuses_of_a_private_api_is_a_synth_error() {
    // No endpoint: nothing could call it.
    let (stack, _) =
        stack_with(RestApi::new("internal").private(Vec::<Value<Ec2VpcEndpointId>>::new()));
    let e = errors(&stack);
    assert!(
        e.contains("`Api`")
            && e.contains("EndpointConfiguration")
            && e.contains("no VPC endpoint")
            && e.contains("RestApi::private"),
        "{e}"
    );

    // A statement without a principal, or with a resource that is neither ARN nor
    // `execute-api:/...`.
    for (statement, expect) in [
        (
            Statement::allow()
                .action("execute-api:Invoke")
                .resource("execute-api:/*"),
            "no principal",
        ),
        (
            invoke_by(Principal::any(), "execute-api"),
            "neither `*` nor an ARN",
        ),
    ] {
        let (mut stack, api) = stack_with(RestApi::new("internal").private([vpce(VPCE)]));
        assert!(!api.add_to_resource_policy(&mut stack, statement));
        let e = errors(&stack);
        assert!(
            e.contains("`Api`") && e.contains("Policy") && e.contains(expect),
            "{e}"
        );
    }

    // `configure` changing the endpoint configuration of a private API.
    let (stack, _) = stack_with(
        RestApi::new("internal")
            .private([vpce(VPCE)])
            .configure(|l1| {
                l1.endpoint_configuration(
                    nephos::apigateway::rest_api::EndpointConfiguration::new()
                        .types(vec!["REGIONAL".to_string()]),
                )
            }),
    );
    let e = errors(&stack);
    assert!(
        e.contains("EndpointConfiguration") && e.contains(".private()"),
        "{e}"
    );

    // A public custom domain does not serve a private API.
    let (mut stack, api) = stack_with(RestApi::new("internal").private([vpce(VPCE)]));
    let cert = Value::<CertificateManagerCertificateArn>::literal(
        "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000000",
    );
    api.custom_domain(&mut stack, CustomDomain::new("api.example.com", cert));
    let e = errors(&stack);
    assert!(
        e.contains("API `Api` is private") && e.contains("api.example.com"),
        "{e}"
    );
}

#[test]
fn cfn_lint_accepts_a_private_api() {
    let (stack, _) = stack_with(RestApi::new("internal").private([vpce(VPCE)]));
    let t = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("rest-api-private-lint");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("private.template.json");
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
