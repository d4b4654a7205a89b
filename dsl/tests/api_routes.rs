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
        serde_json::json!(["ApiOrdersPost", "ApiUsersGet"])
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
        ("ApiItemsProxyAnyPermission", "*/items/*"),
        ("ApiRootGetPermission", "GET/"),
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
fn a_route_added_twice_and_paths_sharing_a_logical_id_are_refused() {
    let err = api_with(&[("GET", "/users"), ("get", "/users")], "prod")
        .synth()
        .expect_err("duplicate")
        .to_string();
    assert!(
        err.contains("resource `Api`: route `GET /users` is added twice"),
        "{err}"
    );
    let err = api_with(&[("GET", "/users/{id}"), ("GET", "/users/id")], "prod")
        .synth()
        .expect_err("collision")
        .to_string();
    assert!(
        err.contains("the path segment `id` of `/users/id` gives the logical ID `ApiUsersId`, which another path segment of the API already has"),
        "{err}"
    );
    // The same path under two verbs shares its resource.
    assert!(
        api_with(&[("GET", "/users/{id}"), ("PUT", "/users/{id}")], "prod")
            .synth()
            .is_ok()
    );
}
