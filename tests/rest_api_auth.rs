//! REST API authorization: Lambda token and request authorizers, Cognito user pools,
//! IAM and none; a default for the API and per-method overrides; the authorizer's invoke
//! permission; the authorizer in the deployment's hash; what API Gateway refuses.

use std::time::Duration;

use nephos::assertions::Assertions;
use nephos::constructs::{
    Code, Function, FunctionRef, RestApi, RestAuthorization, RestAuthorizer, RestIdentitySource,
    Runtime,
};
use nephos::{Handle, Stack};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
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

fn props<'a>(t: &'a J, id: &str) -> &'a J {
    &t["Resources"][id]["Properties"]
}

const POOL: &str = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc";

#[test]
fn a_token_authorizer_as_default_with_a_public_and_an_iam_method() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let check = function(&mut stack, "Check");
    let api = stack.add(
        "Api",
        RestApi::new("x").default_authorization(RestAuthorization::authorizer(
            RestAuthorizer::token("Tokens", &check).token_validation("^Bearer [-0-9a-zA-Z._]+$"),
        )),
    );
    let users = api.route(&mut stack, "GET", "/users", &f);
    api.route(&mut stack, "POST", "/users", &f);
    api.route(&mut stack, "GET", "/health", &f)
        .authorization(&mut stack, RestAuthorization::None);
    api.route(&mut stack, "DELETE", "/users", &f)
        .authorization(&mut stack, RestAuthorization::Iam);
    assert_eq!(users.resource_ref().logical_id(), "ApiUsersGet");
    let t = synth(&stack);
    let a = props(&t, "ApiTokensAuthorizer");
    assert_eq!(a["Type"], "TOKEN");
    assert_eq!(a["IdentitySource"], "method.request.header.Authorization");
    assert_eq!(
        a["IdentityValidationExpression"],
        "^Bearer [-0-9a-zA-Z._]+$"
    );
    assert_eq!(a["AuthorizerResultTtlInSeconds"], 300);
    for id in ["ApiUsersGet", "ApiUsersPost"] {
        assert_eq!(props(&t, id)["AuthorizationType"], "CUSTOM", "{id}");
        assert_eq!(
            props(&t, id)["AuthorizerId"],
            json!({"Ref": "ApiTokensAuthorizer"})
        );
    }
    assert_eq!(props(&t, "ApiHealthGet")["AuthorizationType"], "NONE");
    assert!(props(&t, "ApiHealthGet").get("AuthorizerId").is_none());
    assert_eq!(props(&t, "ApiUsersDelete")["AuthorizationType"], "AWS_IAM");
    let p = props(&t, "ApiTokensAuthorizerPermission");
    assert_eq!(
        p["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/authorizers/${ApiTokensAuthorizer}"})
    );
    let asserts = Assertions::from_stack(&stack);
    asserts.resource_count_is("AWS::ApiGateway::Authorizer", 1);
    asserts.assert_no_cycles();
    // The deployment waits for the authorizer (it is part of the snapshot).
    let (_, d) = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(id, _)| id.starts_with("ApiDeployment"))
        .unwrap();
    assert!(
        d["DependsOn"]
            .as_array()
            .unwrap()
            .contains(&json!("ApiTokensAuthorizer")),
        "{d}"
    );
}

#[test]
fn request_and_cognito_authorizers() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let check = function(&mut stack, "Check");
    let api = stack.add("Api", RestApi::new("x"));
    api.route(&mut stack, "GET", "/a", &f).authorization(
        &mut stack,
        RestAuthorization::authorizer(RestAuthorizer::request(
            "Req",
            &check,
            [
                RestIdentitySource::Header("X-Tenant".into()),
                RestIdentitySource::Query("key".into()),
                RestIdentitySource::Context("identity.sourceIp".into()),
                RestIdentitySource::StageVariable("env".into()),
            ],
        )),
    );
    api.route(&mut stack, "GET", "/b", &f).authorization(
        &mut stack,
        RestAuthorization::with_scopes(
            RestAuthorizer::cognito("Users", [nephos::Value::literal(POOL)]),
            ["items/read"],
        ),
    );
    let t = synth(&stack);
    let r = props(&t, "ApiReqAuthorizer");
    assert_eq!(r["Type"], "REQUEST");
    assert_eq!(
        r["IdentitySource"],
        "method.request.header.X-Tenant, method.request.querystring.key, context.identity.sourceIp, stageVariables.env"
    );
    let c = props(&t, "ApiUsersAuthorizer");
    assert_eq!(c["Type"], "COGNITO_USER_POOLS");
    assert_eq!(c["ProviderARNs"], json!([POOL]));
    assert!(c.get("AuthorizerUri").is_none());
    let b = props(&t, "ApiBGet");
    assert_eq!(b["AuthorizationType"], "COGNITO_USER_POOLS");
    assert_eq!(b["AuthorizationScopes"], json!(["items/read"]));
    // A Cognito authorizer invokes no function: only the request authorizer's permission.
    let permissions: Vec<&String> = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(id, r)| r["Type"] == "AWS::Lambda::Permission" && id.contains("Authorizer"))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(permissions, ["ApiReqAuthorizerPermission"]);
}

#[test]
fn an_authorization_change_reaches_the_stage() {
    let build = |auth: RestAuthorization| {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "F");
        let api = stack.add("Api", RestApi::new("x"));
        api.route(&mut stack, "GET", "/a", &f)
            .authorization(&mut stack, auth);
        let t = synth(&stack);
        t["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .find(|k| k.starts_with("ApiDeployment"))
            .unwrap()
            .clone()
    };
    assert_ne!(
        build(RestAuthorization::None),
        build(RestAuthorization::Iam)
    );
}

/// Builds an authorization from the authorizer function of the case's stack.
type MakeAuthorization = Box<dyn Fn(&FunctionRef) -> RestAuthorization>;

#[test]
fn what_api_gateway_refuses_is_a_synth_error() {
    let cases: Vec<(MakeAuthorization, &str)> = vec![
        (
            Box::new(|c| {
                RestAuthorization::authorizer(
                    RestAuthorizer::token("T", c).result_ttl(Duration::from_secs(4000)),
                )
            }),
            "from 0 to 3600",
        ),
        (
            Box::new(|c| RestAuthorization::authorizer(RestAuthorizer::request("R", c, []))),
            "needs at least one identity source",
        ),
        (
            Box::new(|_| {
                RestAuthorization::authorizer(RestAuthorizer::cognito(
                    "C",
                    Vec::<nephos::Value<nephos::kinds::CognitoUserPoolArn>>::new(),
                ))
            }),
            "at least one user pool",
        ),
        (
            Box::new(|c| RestAuthorization::with_scopes(RestAuthorizer::token("T", c), ["s"])),
            "Cognito authorizers only",
        ),
        (
            Box::new(|c| {
                RestAuthorization::authorizer(RestAuthorizer::token("T", c).header("a b"))
            }),
            "not a header name",
        ),
        (
            Box::new(|c| RestAuthorization::authorizer(RestAuthorizer::token("", c))),
            "1 to 128 characters",
        ),
    ];
    for (auth, wanted) in cases {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "F");
        let c = function(&mut stack, "C");
        let api = stack.add("Api", RestApi::new("x"));
        api.route(&mut stack, "GET", "/a", &f)
            .authorization(&mut stack, auth(&c));
        let err = stack.synth().unwrap_err().to_string();
        assert!(err.contains(wanted), "{wanted}: {err}");
    }
    // Caching off: a request authorizer needs no identity source.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let c = function(&mut stack, "C");
    let api = stack.add("Api", RestApi::new("x"));
    api.route(&mut stack, "GET", "/a", &f).authorization(
        &mut stack,
        RestAuthorization::authorizer(
            RestAuthorizer::request("R", &c, []).result_ttl(Duration::ZERO),
        ),
    );
    synth(&stack);
}
