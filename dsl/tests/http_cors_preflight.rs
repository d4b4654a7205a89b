//! HTTP APIs with CORS: a preflight `OPTIONS` request caught by an authorized `ANY` or
//! `$default` route reaches its authorizer without credentials and is refused, so the
//! stack is refused at synth unless a public `OPTIONS` route takes the preflights. Needs
//! `--features apigatewayv2`.
#![cfg(feature = "apigatewayv2")]

use nephos::Stack;
use nephos::constructs::{
    Code, Cors, CorsMethod, Function, FunctionRef, HttpApi, HttpApiRef, HttpAuthorization,
    HttpAuthorizer, Runtime,
};

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn jwt() -> HttpAuthorization {
    HttpAuthorization::authorizer(HttpAuthorizer::jwt(
        "Users",
        "https://issuer.example.com",
        ["client"],
    ))
}

fn cors() -> Cors {
    Cors::new(["https://app.example.com"])
        .allow_methods([CorsMethod::Get, CorsMethod::Post])
        .allow_headers(["Authorization"])
}

/// A stack with an HTTP API (CORS as given, the default authorization a JWT authorizer).
fn api(with_cors: bool) -> (Stack, HttpApiRef, FunctionRef) {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "A");
    let mut api = HttpApi::new("h").default_authorization(jwt());
    if with_cors {
        api = api.cors(cors());
    }
    let h = stack.add("H", api);
    (stack, h, f)
}

#[test]
fn authorized_any_route_with_cors_is_refused_naming_the_options_route() {
    let (mut stack, h, f) = api(true);
    h.route(&mut stack, "ANY", "/{proxy+}", &f);
    let err = stack.synth().expect_err("refused").to_string();
    assert!(err.contains("ANY /{proxy+}"), "{err}");
    assert!(err.contains("authorization `JWT`"), "{err}");
    assert!(err.contains("`OPTIONS /{proxy+}`"), "{err}");
}

#[test]
fn a_public_options_route_on_the_path_takes_the_preflights() {
    let (mut stack, h, f) = api(true);
    h.route(&mut stack, "ANY", "/{proxy+}", &f);
    // Added after the `ANY` route: the check sees the whole API.
    h.route(&mut stack, "OPTIONS", "/{proxy+}", &f)
        .authorization(&mut stack, HttpAuthorization::None);
    stack.synth().expect("accepted");
}

#[test]
fn an_authorized_options_route_does_not_take_them() {
    let (mut stack, h, f) = api(true);
    h.route(&mut stack, "ANY", "/items", &f);
    h.route(&mut stack, "OPTIONS", "/items", &f);
    let err = stack.synth().expect_err("refused").to_string();
    assert!(
        err.contains("ANY /items") && err.contains("`OPTIONS /items`"),
        "{err}"
    );
}

#[test]
fn per_route_authorization_counts_and_public_or_single_method_routes_pass() {
    // A public API whose `ANY` route is authorized by the route itself.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "A");
    let h = stack.add("H", HttpApi::new("h").cors(cors()));
    h.route(&mut stack, "ANY", "/items/{id}", &f)
        .authorization(&mut stack, HttpAuthorization::Iam);
    let err = stack.synth().expect_err("refused").to_string();
    assert!(
        err.contains("authorization `AWS_IAM`") && err.contains("`OPTIONS /items/{id}`"),
        "{err}"
    );

    // An authorized `GET` route does not catch `OPTIONS`; a public `ANY` route lets it
    // through to the target.
    let (mut stack, h, f) = api(true);
    h.route(&mut stack, "GET", "/items", &f);
    h.route(&mut stack, "ANY", "/open", &f)
        .authorization(&mut stack, HttpAuthorization::None);
    stack.synth().expect("accepted");

    // Without CORS there is no preflight to answer.
    let (mut stack, h, f) = api(false);
    h.route(&mut stack, "ANY", "/{proxy+}", &f);
    stack.synth().expect("accepted");
}

#[test]
fn an_authorized_default_route_needs_the_greedy_options_route() {
    let (mut stack, h, f) = api(true);
    h.route(&mut stack, "ANY", "$default", &f);
    let err = stack.synth().expect_err("refused").to_string();
    assert!(
        err.contains("`$default`") && err.contains("`OPTIONS /{proxy+}`"),
        "{err}"
    );

    let (mut stack, h, f) = api(true);
    h.route(&mut stack, "ANY", "$default", &f);
    h.route(&mut stack, "OPTIONS", "/{proxy+}", &f)
        .authorization(&mut stack, HttpAuthorization::None);
    stack.synth().expect("accepted");
}

/// A Lambda authorizer refuses the preflight only when its identity sources are headers
/// the preflight lacks (API Gateway answers 401 without calling it); with a query-string
/// source it runs and may allow the preflight, so the API is taken. A public `OPTIONS`
/// route takes the preflights whatever its path parameters are named.
#[test]
fn lambda_authorizers_by_identity_source_and_path_parameters_by_shape() {
    use nephos::constructs::IdentitySource;
    let with = |source: IdentitySource| {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "A");
        let auth = function(&mut stack, "Auth");
        let h = stack.add(
            "H",
            HttpApi::new("h")
                .cors(cors())
                .default_authorization(HttpAuthorization::authorizer(
                    HttpAuthorizer::lambda("Gate", &auth).identity_sources([source]),
                )),
        );
        h.route(&mut stack, "ANY", "/items/{id}", &f);
        (stack, h, f)
    };
    let (stack, _, _) = with(IdentitySource::authorization_header());
    let err = stack.synth().expect_err("refused").to_string();
    assert!(err.contains("authorization `CUSTOM`"), "{err}");
    let (stack, _, _) = with(IdentitySource::Query("token".into()));
    stack
        .synth()
        .expect("a query-string source runs the authorizer on the preflight");

    let (mut stack, h, f) = with(IdentitySource::authorization_header());
    h.route(&mut stack, "OPTIONS", "/items/{itemId}", &f)
        .authorization(&mut stack, HttpAuthorization::None);
    stack
        .synth()
        .expect("OPTIONS /items/{itemId} takes the preflights of ANY /items/{id}");
}
