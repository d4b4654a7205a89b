//! HTTP API (v2) routes: route keys as API Gateway takes them (`$default` included),
//! invoke permissions matching the ARN API Gateway presents, refused routes as synth
//! errors with the fix. (In the root package, which enables the `apigatewayv2` feature.)

use nephos::constructs::{Code, Function, HttpApi, Runtime};
use nephos::{Handle, Stack};
use serde_json::Value as J;

fn stack_with(routes: &[(&str, &str)]) -> Stack {
    let mut stack = Stack::new("Http");
    let f = stack.add(
        "Handler",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    let api = stack.add("Api", HttpApi::new("items"));
    for (m, p) in routes {
        api.route(&mut stack, m, p, &f);
    }
    stack
}

fn of_type(t: &J, type_name: &str, prop: &str) -> Vec<(String, J)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == type_name)
        .map(|(id, r)| (id.clone(), r["Properties"][prop].clone()))
        .collect()
}

#[test]
fn route_keys_and_permissions_follow_api_gateway() {
    let stack = stack_with(&[
        ("GET", "/items/{id}"),
        ("ANY", "/files/{proxy+}"),
        ("ANY", "$default"),
        ("delete", "/items/{id}"),
    ]);
    let t = stack.synth().unwrap().json().clone();
    let keys: Vec<(String, J)> = of_type(&t, "AWS::ApiGatewayV2::Route", "RouteKey");
    assert_eq!(
        keys,
        [
            ("ApiDefaultRoute", "$default"),
            ("ApiFilesProxyAny", "ANY /files/{proxy+}"),
            ("ApiItemsIdDelete", "DELETE /items/{id}"),
            ("ApiItemsIdGet", "GET /items/{id}"),
        ]
        .map(|(id, k)| (id.to_string(), J::from(k)))
    );
    let prefix = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/";
    let arns: Vec<(String, J)> = of_type(&t, "AWS::Lambda::Permission", "SourceArn");
    assert_eq!(
        arns,
        [
            ("ApiDefaultRoutePermission", "$default"),
            ("ApiFilesProxyAnyPermission", "*/files/*"),
            ("ApiItemsIdDeletePermission", "DELETE/items/*"),
            ("ApiItemsIdGetPermission", "GET/items/*"),
        ]
        .map(|(id, tail)| (
            id.to_string(),
            serde_json::json!({ "Fn::Sub": format!("{prefix}{tail}") })
        ))
    );
}

#[test]
fn route_returns_the_route_for_its_authorizer() {
    let mut stack = Stack::new("Http");
    let f = stack.add(
        "Handler",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    let api = stack.add("Api", HttpApi::new("items"));
    let route = api.route(&mut stack, "GET", "/items", &f);
    assert_eq!(route.resource_ref().logical_id(), "ApiItemsGet");
}

#[test]
fn refused_routes_name_the_api_and_the_fix() {
    for (method, path, fix) in [
        ("GET", "$default", "route method `ANY` on `$default`"),
        ("TRACE", "/items", "use one of ANY, DELETE"),
        ("GET", "/items/{proxy+}/x", "put the greedy parameter"),
        ("GET", "items", "write `/items`"),
    ] {
        let err = stack_with(&[(method, path)])
            .synth()
            .expect_err(path)
            .to_string();
        assert!(
            err.contains(&format!("resource `Api`: route `{method} {path}`")) && err.contains(fix),
            "{method} {path}: {err}"
        );
    }
}

#[test]
fn an_authorizers_ref_is_accepted_as_its_id() {
    // `Ref` of an HTTP API authorizer returns its ID (the AWS service spec's
    // `cfnRefIdentifier`), so the handle's `reference()` has the ID's kind.
    let mut stack = Stack::new("Http");
    let api = stack.add("Api", HttpApi::new("items"));
    let authorizer = stack.add(
        "Jwt",
        nephos::apigatewayv2::Authorizer::new(api.api_id(), "JWT", "jwt")
            .identity_source(vec!["$request.header.Authorization"]),
    );
    let route = nephos::apigatewayv2::Route::new(api.api_id(), "GET /me")
        .authorization_type("JWT")
        .authorizer_id(authorizer.reference());
    stack.add("MeRoute", route);
    let t = stack.synth().unwrap().json().clone();
    assert_eq!(
        t["Resources"]["MeRoute"]["Properties"]["AuthorizerId"],
        serde_json::json!({"Ref": "Jwt"})
    );
}

#[test]
fn a_route_key_added_twice_is_reused_for_one_function_and_refused_for_two() {
    let once = stack_with(&[("GET", "/items")])
        .synth()
        .unwrap()
        .json()
        .clone();
    let twice = stack_with(&[("GET", "/items"), ("GET", "/items")])
        .synth()
        .expect("the same route to the same function is reused")
        .json()
        .clone();
    assert_eq!(once, twice);
    let mut stack = Stack::new("Http");
    let f = stack.add(
        "Handler",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    let other = stack.add(
        "Other",
        Function::new(Runtime::Python312, "index.handler", Code::inline("y")),
    );
    let api = stack.add("Api", HttpApi::new("items"));
    api.route(&mut stack, "GET", "/items", &f);
    api.route(&mut stack, "GET", "/items", &other);
    let err = stack.synth().expect_err("two functions").to_string();
    assert!(
        err.contains("resource `Api`: route `GET /items` is added twice")
            && err.contains("`Other`"),
        "{err}"
    );
    assert!(
        !err.contains("used twice"),
        "one error, no follow-on: {err}"
    );
}

#[test]
fn route_ids_stand_for_one_route_key_whatever_the_order() {
    // Keys whose letters and digits coincide are refused, naming both, in either order.
    for (a, b) in [
        ("/a_b", "/a-b"),
        ("/a/b", "/a_b"),
        ("/items/{id}", "/items/id"),
    ] {
        let one = stack_with(&[("GET", a), ("GET", b)])
            .synth()
            .expect_err(a)
            .to_string();
        let two = stack_with(&[("GET", b), ("GET", a)])
            .synth()
            .expect_err(b)
            .to_string();
        let mut keys = [format!("GET {a}"), format!("GET {b}")];
        keys.sort();
        let expect = format!(
            "the routes `{}` and `{}` both give the logical ID",
            keys[0], keys[1]
        );
        assert!(one.contains(&expect) && one == two, "{one}\n{two}");
        assert!(!one.contains("used twice"), "{one}");
    }
    // `$default`, the root and `/default` are three routes with three IDs.
    let t = stack_with(&[("ANY", "$default"), ("ANY", "/default"), ("ANY", "/")])
        .synth()
        .unwrap()
        .json()
        .clone();
    let ids: Vec<String> = of_type(&t, "AWS::ApiGatewayV2::Route", "RouteKey")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, ["ApiAny", "ApiDefaultAny", "ApiDefaultRoute"]);
}

#[test]
fn one_invoke_permission_covers_every_route_of_a_function() {
    let mut stack = Stack::new("Http");
    let f = stack.add(
        "Handler",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    let api = stack.add("Api", HttpApi::new("items").one_invoke_permission());
    for i in 0..70 {
        api.route(&mut stack, "GET", &format!("/r{i}"), &f);
    }
    let t = stack.synth().unwrap().json().clone();
    assert_eq!(
        of_type(&t, "AWS::Lambda::Permission", "SourceArn"),
        [(
            "ApiHandlerPermission".to_string(),
            serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*"})
        )]
    );
}

#[test]
fn the_stage_auto_deploys_so_no_deployment_can_go_stale() {
    // An HTTP API's changes reach its stage only by a deployment; with `AutoDeploy`,
    // API Gateway makes one on every change, so the construct needs none of its own.
    let t = stack_with(&[("GET", "/items")])
        .synth()
        .unwrap()
        .json()
        .clone();
    let stages = of_type(&t, "AWS::ApiGatewayV2::Stage", "AutoDeploy");
    assert_eq!(stages, [("ApiDefaultStage".to_string(), J::Bool(true))]);
    assert_eq!(
        of_type(&t, "AWS::ApiGatewayV2::Stage", "StageName")[0].1,
        "$default"
    );
    assert!(of_type(&t, "AWS::ApiGatewayV2::Deployment", "ApiId").is_empty());
}
