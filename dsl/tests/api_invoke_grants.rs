//! Grants to call IAM-authorized API Gateway routes (`grants::api::invoke`,
//! `grant_invoke` on a route or an API): the `execute-api` ARNs are exact for REST
//! methods and HTTP routes (any stage, `*` for `ANY` and for each path parameter, the
//! whole API for `$default`), a grant API Gateway does not check is a synth warning read
//! from the final template, and the stacks pass cfn-lint. The HTTP API cases need
//! `--features apigatewayv2`.

use nephos::constructs::grants::{self, api::ApiTarget};
use nephos::constructs::wiring::api_route::ApiKind;
use nephos::constructs::{Code, Function, FunctionRef, RestApi, RestAuthorization, Runtime};
use nephos::kind::Str;
use nephos::{Param, Stack};
use serde_json::{Value as J, json};

mod roundtrip_support;

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

/// The resources of the `execute-api:Invoke` statements of `role`.
fn invoke_resources(t: &J, role: &str) -> Vec<J> {
    let policies = t["Resources"][role]["Properties"]["Policies"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let statements = policies
        .iter()
        .find(|p| p["PolicyName"] == "Grants")
        .and_then(|p| p["PolicyDocument"]["Statement"].as_array().cloned())
        .unwrap_or_default();
    let mut out = Vec::new();
    for s in statements {
        if s["Action"] != json!(["execute-api:Invoke"]) {
            continue;
        }
        match &s["Resource"] {
            J::Array(items) => out.extend(items.iter().cloned()),
            one => out.push(one.clone()),
        }
    }
    out
}

fn arn(api: &str, rest: &str) -> J {
    json!({ "Fn::Sub": format!(
        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/{rest}"
    ) })
}

fn warnings(stack: &Stack) -> Vec<String> {
    stack
        .synth()
        .unwrap()
        .warnings()
        .iter()
        .map(|w| w.to_string())
        .collect()
}

#[test]
fn rest_method_grants_name_the_method_and_path_on_any_stage() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Handler");
    let caller = function(&mut stack, "Caller");
    let api = stack.add(
        "Api",
        RestApi::new("users").default_authorization(RestAuthorization::Iam),
    );
    let get = api.route(&mut stack, "GET", "/users/{id}", &f);
    let any = api.route(&mut stack, "ANY", "/files/{path+}", &f);
    let root = api.route(&mut stack, "get", "/", &f);
    grants::api::invoke(&mut stack, &caller, &get).unwrap();
    any.grant_invoke(&mut stack, &caller).unwrap();
    root.grant_invoke(&mut stack, &caller).unwrap();
    let synth = stack.synth().unwrap();
    assert!(synth.warnings().is_empty(), "{:?}", synth.warnings());
    let mut got = invoke_resources(synth.json(), "CallerRole");
    got.sort_by_key(|v| v.to_string());
    let mut want = vec![
        arn("Api", "*/GET/users/*"),
        arn("Api", "*/*/files/*"),
        arn("Api", "*/GET/"),
    ];
    want.sort_by_key(|v| v.to_string());
    assert_eq!(got, want);
}

#[test]
fn an_api_grant_covers_every_method() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Handler");
    let caller = function(&mut stack, "Caller");
    let api = stack.add(
        "Api",
        RestApi::new("users").default_authorization(RestAuthorization::Iam),
    );
    api.route(&mut stack, "GET", "/users", &f);
    api.grant_invoke(&mut stack, &caller).unwrap();
    let synth = stack.synth().unwrap();
    assert!(synth.warnings().is_empty(), "{:?}", synth.warnings());
    assert_eq!(
        invoke_resources(synth.json(), "CallerRole"),
        vec![arn("Api", "*")]
    );
}

#[test]
fn a_grant_on_a_method_that_is_not_iam_authorized_is_a_warning() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Handler");
    let caller = function(&mut stack, "Caller");
    let api = stack.add("Api", RestApi::new("users"));
    let get = api.route(&mut stack, "GET", "/users", &f);
    get.grant_invoke(&mut stack, &caller).unwrap();
    let w = warnings(&stack);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("ApiUsersGet")
            && w[0].contains("Caller")
            && w[0].contains("\"NONE\"")
            && w[0].contains("does nothing"),
        "{}",
        w[0]
    );
    // The same grant given twice is one warning.
    get.grant_invoke(&mut stack, &caller).unwrap();
    assert_eq!(warnings(&stack).len(), 1);
    // Authorization set after the grant counts: the check reads the final template.
    get.authorization(&mut stack, RestAuthorization::Iam);
    assert!(warnings(&stack).is_empty());
    // And so does an override, applied only at synth.
    stack
        .resource(get.handle())
        .override_property("AuthorizationType", "NONE");
    assert_eq!(warnings(&stack).len(), 1);
}

#[test]
fn an_api_grant_with_no_iam_authorized_method_is_a_warning() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "Handler");
    let caller = function(&mut stack, "Caller");
    let api = stack.add("Api", RestApi::new("users"));
    let get = api.route(&mut stack, "GET", "/users", &f);
    api.grant_invoke(&mut stack, &caller).unwrap();
    let w = warnings(&stack);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("every method of API `Api`"), "{}", w[0]);
    get.authorization(&mut stack, RestAuthorization::Iam);
    assert!(warnings(&stack).is_empty());
}

#[test]
fn apis_outside_the_stack_are_granted_by_id() {
    let mut stack = Stack::new("App");
    let caller = function(&mut stack, "Caller");
    grants::api::invoke(&mut stack, &caller, ApiTarget::by_id("a1b2c3d4e5")).unwrap();
    let route = ApiTarget::by_route(ApiKind::Rest, "f6g7h8i9j0", "DELETE", "/a/{x}/b").unwrap();
    grants::api::invoke(&mut stack, &caller, route).unwrap();
    let synth = stack.synth().unwrap();
    let prefix = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:";
    let mut got = invoke_resources(synth.json(), "CallerRole");
    got.sort_by_key(|v| v.to_string());
    assert_eq!(
        got,
        vec![
            json!({ "Fn::Sub": format!("{prefix}a1b2c3d4e5/*") }),
            json!({ "Fn::Sub": format!("{prefix}f6g7h8i9j0/*/DELETE/a/*/b") }),
        ]
    );
    let e = ApiTarget::by_route(ApiKind::Rest, "x", "ANY", "$default").unwrap_err();
    assert!(e.fix.contains("/{proxy+}"), "{e:?}");
}

#[cfg(feature = "apigatewayv2")]
mod http {
    use super::*;
    use nephos::constructs::{HttpApi, HttpAuthorization};

    #[test]
    fn http_route_grants_name_the_route_and_default_covers_the_api() {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "Handler");
        let caller = function(&mut stack, "Caller");
        let api = stack.add(
            "Http",
            HttpApi::new("items").default_authorization(HttpAuthorization::Iam),
        );
        let get = api.route(&mut stack, "GET", "/items/{id}", &f);
        let any = api.route(&mut stack, "ANY", "/items", &f);
        let fallback = api.route(&mut stack, "ANY", "$default", &f);
        grants::api::invoke(&mut stack, &caller, &get).unwrap();
        any.grant_invoke(&mut stack, &caller).unwrap();
        fallback.grant_invoke(&mut stack, &caller).unwrap();
        let synth = stack.synth().unwrap();
        assert!(synth.warnings().is_empty(), "{:?}", synth.warnings());
        let mut got = invoke_resources(synth.json(), "CallerRole");
        got.sort_by_key(|v| v.to_string());
        let mut want = vec![
            arn("Http", "*/GET/items/*"),
            arn("Http", "*/*/items"),
            arn("Http", "*"),
        ];
        want.sort_by_key(|v| v.to_string());
        assert_eq!(got, want);
    }

    #[test]
    fn http_grants_that_api_gateway_does_not_check_are_warnings() {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "Handler");
        let caller = function(&mut stack, "Caller");
        let api = stack.add("Http", HttpApi::new("items"));
        let get = api.route(&mut stack, "GET", "/items", &f);
        get.grant_invoke(&mut stack, &caller).unwrap();
        api.grant_invoke(&mut stack, &caller).unwrap();
        let w = warnings(&stack);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w.iter()
                .any(|w| w.contains("route `GET /items` (`HttpItemsGet`)"))
        );
        assert!(w.iter().any(|w| w.contains("every route of API `Http`")));
        get.authorization(&mut stack, HttpAuthorization::Iam);
        assert!(warnings(&stack).is_empty());
    }
}

fn invoke_grants(stack: &mut Stack, _: &Param<Str>) {
    let f = function(stack, "Handler");
    let caller = function(stack, "Caller");
    let api = stack.add(
        "Api",
        RestApi::new("users").default_authorization(RestAuthorization::Iam),
    );
    api.route(stack, "GET", "/users/{id}", &f)
        .grant_invoke(stack, &caller);
    api.grant_invoke(stack, &caller);
    grants::api::invoke(stack, &caller, ApiTarget::by_id("a1b2c3d4e5"));
    #[cfg(feature = "apigatewayv2")]
    {
        use nephos::constructs::{HttpApi, HttpAuthorization};
        let http = stack.add(
            "Http",
            HttpApi::new("items").default_authorization(HttpAuthorization::Iam),
        );
        http.route(stack, "ANY", "$default", &f)
            .grant_invoke(stack, &caller);
        http.route(stack, "DELETE", "/items/{id}", &f)
            .grant_invoke(stack, &caller);
    }
}

#[test]
fn invoke_grants_pass_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::ApiInvokeGrants", invoke_grants)]);
}
