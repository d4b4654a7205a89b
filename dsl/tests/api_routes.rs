//! API Gateway routes: every change to a REST API reaches its stage through a new
//! deployment (and only a change does), invoke permissions match the ARNs API Gateway
//! presents, and routes API Gateway would refuse are synth errors with the fix.

use nephos::Stack;
use nephos::assertions::Assertions;
use nephos::constructs::{Code, Function, FunctionRef, RestApi, Runtime};
use serde_json::Value as J;

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(
            Runtime::Python312,
            "index.handler",
            Code::inline("def handler(e, c): pass"),
        ),
    )
}

fn json(stack: &Stack) -> J {
    let t = Assertions::from_stack(stack);
    t.assert_no_cycles();
    t.json().clone()
}

/// The logical IDs of the template's resources of `type_name`.
fn ids_of(t: &J, type_name: &str) -> Vec<String> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == type_name)
        .map(|(id, _)| id.clone())
        .collect()
}

fn deployment(t: &J) -> String {
    let ids = ids_of(t, "AWS::ApiGateway::Deployment");
    assert_eq!(ids.len(), 1, "one deployment: {ids:?}");
    ids[0].clone()
}

/// The users API of case 02: one route, then a second.
fn api_with(routes: &[(&str, &str)], stage: &str) -> Stack {
    let mut stack = Stack::new("Api");
    let f = function(&mut stack, "Handler");
    let api = stack.add("Api", RestApi::new("demo").stage(stage));
    for (m, p) in routes {
        api.route(&mut stack, m, p, &f);
    }
    stack
}

#[test]
fn a_new_route_makes_a_new_deployment_that_the_stage_serves() {
    let one = json(&api_with(&[("GET", "/users")], "prod"));
    let two = json(&api_with(&[("GET", "/users"), ("POST", "/orders")], "prod"));
    let (d1, d2) = (deployment(&one), deployment(&two));
    assert!(d1.starts_with("ApiDeployment") && d2.starts_with("ApiDeployment"));
    assert_ne!(d1, d2, "adding a route must replace the deployment");
    // The new deployment is created after the new method, for the same stage.
    assert_eq!(
        two["Resources"][&d2]["DependsOn"],
        serde_json::json!([
            "ApiOrdersPost",
            "ApiOrdersResource",
            "ApiUsersGet",
            "ApiUsersResource"
        ])
    );
    assert_eq!(two["Resources"][&d2]["Properties"]["StageName"], "prod");
    // The proxy integration's URI is API Gateway's Lambda invocation path.
    assert_eq!(
        two["Resources"]["ApiOrdersPost"]["Properties"]["Integration"]["Uri"],
        serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Handler.Arn}/invocations"})
    );
}

#[test]
fn the_same_api_gives_the_same_deployment_whatever_the_order() {
    let a = api_with(&[("GET", "/users"), ("POST", "/orders")], "prod");
    let b = api_with(&[("POST", "/orders"), ("GET", "/users")], "prod");
    let (ta, tb) = (a.synth().unwrap(), b.synth().unwrap());
    assert_eq!(ta.to_json_pretty(), tb.to_json_pretty());
    assert_eq!(ta.to_json_pretty(), a.synth().unwrap().to_json_pretty());
}

#[test]
fn every_part_of_the_api_definition_changes_the_deployment_and_nothing_else_does() {
    let base = deployment(&json(&api_with(&[("GET", "/users")], "prod")));

    // Another method on the same path.
    let other_method = deployment(&json(&api_with(&[("PUT", "/users")], "prod")));
    assert_ne!(base, other_method);

    // Another stage.
    assert_ne!(
        base,
        deployment(&json(&api_with(&[("GET", "/users")], "v2")))
    );

    // Another integration target: same route, another function.
    let mut s = Stack::new("Api");
    function(&mut s, "Handler");
    let g = function(&mut s, "Other");
    s.add("Api", RestApi::new("demo").stage("prod"))
        .route(&mut s, "GET", "/users", &g);
    assert_ne!(base, deployment(&json(&s)));

    // Another API in the same stack is not part of this one.
    let mut s = api_with(&[("GET", "/users")], "prod");
    let f = function(&mut s, "Second");
    s.add("Other", RestApi::new("other"))
        .route(&mut s, "GET", "/x", &f);
    assert!(ids_of(&json(&s), "AWS::ApiGateway::Deployment").contains(&base));

    // An authorizer added with the generated types, referring to the API.
    let mut s = Stack::new("Api");
    let f = function(&mut s, "Handler");
    let rest = s.add("Api", RestApi::new("demo").stage("prod"));
    rest.route(&mut s, "GET", "/users", &f);
    s.add(
        "ApiAuthorizer",
        nephos::apigateway::Authorizer::new("jwt", rest.api_id(), "TOKEN")
            .identity_source("method.request.header.Authorization")
            .authorizer_uri(f.arn()),
    );
    assert_ne!(
        base,
        deployment(&json(&s)),
        "an authorizer is part of the API"
    );

    // A resource outside the API leaves the deployment alone.
    let mut s = api_with(&[("GET", "/users")], "prod");
    s.add(
        "Table",
        nephos::constructs::Table::new(nephos::constructs::Key::string("id")),
    );
    assert_eq!(base, deployment(&json(&s)));
}

fn source_arns(t: &J) -> Vec<(String, String)> {
    ids_of(t, "AWS::Lambda::Permission")
        .into_iter()
        .map(|id| {
            let arn = t["Resources"][&id]["Properties"]["SourceArn"]["Fn::Sub"]
                .as_str()
                .unwrap()
                .to_string();
            (id, arn)
        })
        .collect()
}

#[test]
fn rest_permissions_match_the_arn_api_gateway_presents() {
    // Case 05: path parameters and greedy paths as `*`, `ANY` as `*`.
    let stack = api_with(
        &[
            ("GET", "/users/{id}"),
            ("ANY", "/items/{proxy+}"),
            ("GET", "/"),
            ("post", "/a/{x}/b/{y}"),
        ],
        "prod",
    );
    let arns = source_arns(&json(&stack));
    let prefix = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/";
    let expect = [
        ("ApiAXBYPostPermission", "POST/a/*/b/*"),
        ("ApiGetPermission", "GET/"),
        ("ApiItemsProxyAnyPermission", "*/items/*"),
        ("ApiUsersIdGetPermission", "GET/users/*"),
    ];
    assert_eq!(
        arns,
        expect
            .iter()
            .map(|(id, tail)| (id.to_string(), format!("{prefix}{tail}")))
            .collect::<Vec<_>>()
    );
}

#[test]
fn routes_api_gateway_refuses_are_synth_errors_with_the_fix() {
    for (method, path, fix) in [
        (
            "FETCH",
            "/users",
            "use one of ANY, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
        ),
        ("GET", "users", "write `/users`"),
        ("GET", "/users/", "remove the extra `/`"),
        ("GET", "/{proxy+}/more", "put the greedy parameter"),
        ("GET", "/users/x{id}", "a path parameter is a whole segment"),
        ("ANY", "$default", "route method `ANY` on `/{proxy+}`"),
    ] {
        let stack = api_with(&[(method, path)], "prod");
        let err = stack.synth().expect_err(path).to_string();
        assert!(
            err.contains(&format!("resource `Api`: route `{method} {path}`")) && err.contains(fix),
            "{method} {path}: {err}"
        );
    }
}

#[test]
fn a_route_added_twice_is_reused_and_paths_sharing_a_logical_id_are_refused() {
    // The same route to the same function is the wiring already there (to another
    // function it is refused: `construct_faults_merge`).
    assert!(
        api_with(&[("GET", "/users"), ("get", "/users")], "prod")
            .synth()
            .is_ok()
    );
    let err = api_with(&[("GET", "/users/{id}"), ("GET", "/users/id")], "prod")
        .synth()
        .expect_err("collision")
        .to_string();
    assert!(
        err.contains(
            "the paths `/users/id` and `/users/{id}` both give the logical ID `ApiUsersIdResource`"
        ),
        "{err}"
    );
    assert!(
        !err.contains("added twice") && !err.contains("used twice"),
        "one error, no follow-on: {err}"
    );
    // The same path under two verbs shares its resource.
    assert!(
        api_with(&[("GET", "/users/{id}"), ("PUT", "/users/{id}")], "prod")
            .synth()
            .is_ok()
    );
}

/// The deployment of a users API whose function is `function`.
fn deployment_of(function: Function) -> String {
    let mut s = Stack::new("Api");
    let f = s.add("Handler", function);
    s.add("Api", RestApi::new("demo"))
        .route(&mut s, "GET", "/users/{id}", &f);
    deployment(&json(&s))
}

fn handler() -> Function {
    Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
}

#[test]
fn replacing_the_integrated_function_makes_a_new_deployment() {
    let base = deployment_of(handler());
    // A new name replaces the function: a new ARN in the method's URI must reach the stage.
    assert_ne!(base, deployment_of(handler().name("renamed-fn")));
    assert_ne!(
        deployment_of(handler().name("renamed-fn")),
        deployment_of(handler().name("other-name"))
    );
    // An update in place keeps the ARN, and the deployment.
    assert_eq!(
        base,
        deployment_of(handler().description("new description"))
    );
    assert_eq!(base, deployment_of(handler().memory(512)));
}

#[test]
fn a_parameter_in_what_the_api_snapshots_is_a_warning() {
    let mut s = Stack::new("Api");
    let arn = s.parameter("FnArn", nephos::Parameter::string());
    let api = s.add("Api", RestApi::new("demo"));
    let root = api.handle().root_resource_id();
    s.add(
        "Method",
        nephos::apigateway::Method::new("GET", root, api.api_id())
            .authorization_type("NONE")
            .integration(
                nephos::apigateway::method::Integration::new(
                    nephos::apigateway::method::Type::AwsProxy,
                )
                .integration_http_method("POST")
                .uri(nephos::sub!("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${a}/invocations", a = &arn)),
            ),
    );
    let t = s.synth().unwrap();
    let w: Vec<String> = t.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|w| w.contains("depends on the parameter `FnArn`")
                && w.contains("redeploy the stage")),
        "{w:?}"
    );
    // A parameter as the stage name is the deployment's own setting: no warning.
    let mut s = Stack::new("Api");
    let stage = s.parameter("Stage", nephos::Parameter::string().default("dev"));
    let f = function(&mut s, "Handler");
    s.add("Api", RestApi::new("demo").stage(&stage))
        .route(&mut s, "GET", "/x", &f);
    let t = s.synth().unwrap();
    assert!(
        !t.warnings()
            .iter()
            .any(|w| w.to_string().contains("parameter")),
        "{:?}",
        t.warnings()
    );
}

#[test]
fn everything_the_deployment_covers_is_created_before_it() {
    let mut s = api_with(&[("GET", "/users")], "prod");
    let f = s.add("Other", handler());
    let api = s.add("Second", RestApi::new("second"));
    api.route(&mut s, "GET", "/x", &f);
    let root = api.handle().root_resource_id();
    let auth = s.add(
        "Auth",
        nephos::apigateway::Authorizer::new("auth", api.api_id(), "TOKEN")
            .identity_source("method.request.header.Authorization")
            .authorizer_uri(f.arn()),
    );
    s.add(
        "RawMethod",
        nephos::apigateway::Method::new("DELETE", root, api.api_id())
            .authorization_type("CUSTOM")
            .authorizer_id(auth.reference())
            .integration(nephos::apigateway::method::Integration::new(
                nephos::apigateway::method::Type::Mock,
            )),
    );
    let t = json(&s);
    let second = ids_of(&t, "AWS::ApiGateway::Deployment")
        .into_iter()
        .find(|d| d.starts_with("SecondDeployment"))
        .unwrap();
    assert_eq!(
        t["Resources"][&second]["DependsOn"],
        serde_json::json!(["Auth", "RawMethod", "SecondXGet", "SecondXResource"]),
        "every covered resource, in logical-ID order, and nothing of the other API"
    );
}

#[test]
fn a_conditional_method_changes_the_deployment_which_must_share_the_condition() {
    let build = |on_method: bool, on_deployment: bool| {
        let mut s = Stack::new("Api");
        let f = function(&mut s, "Handler");
        let env = s.parameter("Env", nephos::Parameter::string().default("dev"));
        let prod = s.condition("IsProd", nephos::equals(&env, "prod"));
        let api = s.add("Api", RestApi::new("demo"));
        let m = api.route(&mut s, "POST", "/users", &f);
        if on_method {
            s.resource(&m).condition(&prod);
        }
        if on_deployment {
            s.resource(api.deployment()).condition(&prod);
            s.resource(api.handle()).condition(&prod);
        }
        s
    };
    let err = build(true, false)
        .synth()
        .expect_err("unshared")
        .to_string();
    assert!(
        err.contains("resource `ApiUsersPost`: `ApiUsersPost` has the condition `IsProd`, but `ApiDeployment`")
            && err.contains("give `ApiDeployment` (for a REST API, `api.deployment()`) the same condition `IsProd`"),
        "{err}"
    );
    let shared = deployment(&json(&build(true, true)));
    let api_only = deployment(&json(&build(false, true)));
    assert_ne!(
        shared, api_only,
        "the method's condition is part of the hash"
    );
}

#[test]
fn sibling_variable_path_parts_are_refused() {
    for (a, b) in [
        ("/users/{id}", "/users/{userId}"),
        ("/users/{id}", "/users/{proxy+}"),
        ("/users/{proxy+}", "/users/{rest+}"),
        ("/users/{id}/posts", "/users/{userId}/likes"),
    ] {
        for (first, second) in [(a, b), (b, a)] {
            let err = api_with(&[("GET", first), ("POST", second)], "prod")
                .synth()
                .expect_err(second)
                .to_string();
            assert!(
                err.contains("put two different variables at one level")
                    && err.contains("use one variable for both routes"),
                "{first} + {second}: {err}"
            );
        }
    }
    // One variable shared by several routes is fine.
    assert!(
        api_with(
            &[("GET", "/users/{id}"), ("GET", "/users/{id}/posts")],
            "prod"
        )
        .synth()
        .is_ok()
    );
}

#[test]
fn stage_names_follow_api_gateway() {
    for ok in ["prod", "dev-1", "a_b", &"s".repeat(128)] {
        assert!(api_with(&[("GET", "/x")], ok).synth().is_ok(), "{ok}");
    }
    for bad in ["", "my stage", "a/b", "$default", "dev.1", &"s".repeat(129)] {
        let err = api_with(&[("GET", "/x")], bad)
            .synth()
            .expect_err(bad)
            .to_string();
        assert!(
            err.contains("resource `ApiDeployment` property `StageName`: the stage name")
                && err.contains("1 to 128 letters, digits, `-` and `_`"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn logical_ids_stand_for_one_route_whatever_the_order() {
    for routes in [
        &[("POST", "/users"), ("GET", "/users/post")][..],
        &[("POST", "/users"), ("GET", "/users/post/permission")],
        &[("GET", "/deployment"), ("GET", "/")],
        &[("GET", "/"), ("GET", "/root")],
        &[("GET", "/users/options"), ("GET", "/users")],
    ] {
        let forward = api_with(routes, "prod");
        let reversed: Vec<_> = routes.iter().rev().copied().collect();
        let backward = api_with(&reversed, "prod");
        let (a, b) = (forward.synth(), backward.synth());
        let a = a.unwrap_or_else(|e| panic!("{routes:?}: {e}"));
        assert_eq!(
            a.to_json_pretty(),
            b.unwrap().to_json_pretty(),
            "{routes:?}"
        );
        let methods = ids_of(a.json(), "AWS::ApiGateway::Method");
        assert_eq!(methods.len(), routes.len(), "{routes:?}: {methods:?}");
    }
    // A segment without letters or digits would name nothing: refused once, alone.
    let err = api_with(&[("GET", "/"), ("GET", "/-")], "prod")
        .synth()
        .expect_err("/-")
        .to_string();
    assert!(
        err.contains("stack `Api` has 1 error")
            && err.contains("the segment `-` has no letter or digit"),
        "{err}"
    );
    // With CORS, too (its preflight methods share the namespace).
    let mut s = Stack::new("Api");
    let f = function(&mut s, "Handler");
    let api = s.add(
        "Api",
        RestApi::new("demo").cors(nephos::constructs::Cors::any_origin()),
    );
    api.route(&mut s, "GET", "/users/options", &f);
    api.route(&mut s, "GET", "/users", &f);
    api.route(&mut s, "GET", "/", &f);
    let t = json(&s);
    let mut methods = ids_of(&t, "AWS::ApiGateway::Method");
    methods.sort();
    assert_eq!(
        methods,
        [
            "ApiGet",
            "ApiOptions",
            "ApiUsersGet",
            "ApiUsersOptions",
            "ApiUsersOptionsGet",
            "ApiUsersOptionsOptions"
        ],
        "a preflight on every resource, the root included"
    );
}

#[test]
fn an_api_without_methods_is_refused() {
    let mut s = Stack::new("Api");
    s.add("Api", RestApi::new("demo"));
    let err = s.synth().expect_err("no methods").to_string();
    assert!(
        err.contains("resource `Api`: the REST API `Api` has no methods")
            && err.contains("add a route"),
        "{err}"
    );
}

#[test]
fn an_over_long_generated_id_names_the_route_and_what_to_shorten() {
    let long = format!("/{}", "a".repeat(300));
    let err = api_with(&[("GET", &long)], "prod")
        .synth()
        .expect_err("long")
        .to_string();
    assert!(
        err.contains(&format!(
            "resource `Api`: route `GET {long}` gives logical IDs of up to"
        )) && err
            .contains("give the API a shorter ID in `stack.add`, or shorten the path's segments"),
        "{err}"
    );
}

#[test]
fn many_routes_fit_lambdas_policy_with_one_permission_per_api() {
    let build = |one: bool| {
        let mut s = Stack::new("Api");
        let f = function(&mut s, "Handler");
        let mut api = RestApi::new("demo");
        if one {
            api = api.one_invoke_permission();
        }
        let api = s.add("Api", api);
        for i in 0..70 {
            api.route(&mut s, "GET", &format!("/r{i}"), &f);
        }
        s
    };
    let err = build(false).synth().expect_err("too many").to_string();
    assert!(
        err.contains(
            "property `FunctionName`: the 70 permissions on function `Handler` come to about"
        ) && err.contains("Lambda allows 20480 for a function's resource-based policy")
            && err.contains("`RestApi::one_invoke_permission`"),
        "{err}"
    );
    let t = json(&build(true));
    assert_eq!(
        source_arns(&t),
        [(
            "ApiHandlerPermission".to_string(),
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*"
                .to_string()
        )]
    );
}

fn cors_api(origins: &[&str]) -> Stack {
    let mut s = Stack::new("Api");
    let f = function(&mut s, "Handler");
    let api = s.add(
        "Api",
        RestApi::new("demo").cors(
            nephos::constructs::Cors::new(origins.iter().copied())
                .allow_methods([nephos::constructs::CorsMethod::Get]),
        ),
    );
    api.route(&mut s, "GET", "/a", &f);
    s
}

#[test]
fn rest_cors_with_several_origins_answers_one_origin_per_preflight() {
    let t = json(&cors_api(&[
        "https://a.example.com",
        "https://b.example.com:8443",
    ]));
    let response =
        &t["Resources"]["ApiAOptions"]["Properties"]["Integration"]["IntegrationResponses"][0];
    // One origin in the header (browsers refuse a list): the first, the others echoed.
    assert_eq!(
        response["ResponseParameters"]["method.response.header.Access-Control-Allow-Origin"],
        "'https://a.example.com'"
    );
    assert_eq!(
        response["ResponseParameters"]["method.response.header.Vary"],
        "'Origin'"
    );
    let template = response["ResponseTemplates"]["application/json"]
        .as_str()
        .expect("an echo template");
    assert!(
        template.contains("$origin == \"https://b.example.com:8443\"")
            && template.contains("responseOverride.header.Access-Control-Allow-Origin = $origin")
            && !template.contains("https://a.example.com"),
        "{template}"
    );
    // One origin: a plain header, no template.
    let t = json(&cors_api(&["https://a.example.com"]));
    let response =
        &t["Resources"]["ApiOptions"]["Properties"]["Integration"]["IntegrationResponses"][0];
    assert_eq!(
        response["ResponseParameters"]["method.response.header.Access-Control-Allow-Origin"],
        "'https://a.example.com'"
    );
    assert!(response.get("ResponseTemplates").is_none(), "{response}");
    // `*` beside origins, and text that is no origin (it would end the quotes), are refused.
    for (origins, expected) in [
        (
            &["*", "https://a.example.com"][..],
            "`*` is given beside other origins",
        ),
        (&["https://a.example.com'"][..], "is not an origin"),
        (
            &["https://a.example.com", "https://b\"||true"][..],
            "is not an origin",
        ),
        (&[][..], "no origin is allowed"),
    ] {
        let err = cors_api(origins).synth().expect_err("refused").to_string();
        assert!(
            err.contains(expected) && err.contains("stack `Api` has 1 error"),
            "{origins:?}: {err}"
        );
    }
}
