//! CORS: one typed [`Cors`] for REST APIs, HTTP APIs and (converted) function URLs, one
//! check for all ([`Cors::problems`]), and allow-credentials, expose-headers and max-age
//! written where each API takes them.

#![cfg(feature = "apigatewayv2")]

use std::time::Duration;

use nephos::Stack;
use nephos::constructs::{
    Code, Cors, CorsMethod, Function, FunctionRef, FunctionUrlOptions, HttpApi, RestApi, Runtime,
    UrlAuth, UrlCors,
};
use serde_json::json;

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add(
        "F",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    )
}

fn errors(stack: &Stack) -> String {
    match stack.synth() {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

fn http(cors: Cors) -> Stack {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", HttpApi::new("x").cors(cors));
    api.route(&mut stack, "GET", "/a", &f);
    stack
}

fn rest(cors: Cors) -> Stack {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("x").cors(cors));
    api.route(&mut stack, "GET", "/a", &f);
    stack
}

#[test]
fn an_http_apis_cors_is_checked_like_a_rest_apis() {
    // The attacker's case: no scheme, `*` among origins, a header with a space.
    let bad = Cors::new(["example.com", "*"])
        .allow_methods([CorsMethod::Get])
        .allow_headers(["bad header"]);
    for (which, stack) in [("HTTP", http(bad.clone())), ("REST", rest(bad))] {
        let e = errors(&stack);
        assert!(
            e.contains(&format!("the {which} API's CORS")),
            "{which}: {e}"
        );
        assert!(
            e.contains("\"example.com\" is not an origin"),
            "{which}: {e}"
        );
        assert!(
            e.contains("`*` is given beside other origins"),
            "{which}: {e}"
        );
        assert!(
            e.contains("\"bad header\" is not a header name"),
            "{which}: {e}"
        );
    }
}

#[test]
fn credentials_with_any_origin_and_a_max_age_out_of_bounds_are_refused() {
    let any_with_credentials = Cors::new(["*"]).allow_credentials();
    let too_old = Cors::new(["https://a.example.com"]).max_age(Duration::from_secs(86_401));
    let twice = Cors::new(["https://a.example.com"]).allow_methods([
        CorsMethod::Get,
        CorsMethod::Get,
        CorsMethod::Unnamed,
    ]);
    for build in [http, rest] {
        assert!(
            errors(&build(any_with_credentials.clone()))
                .contains("credentials are allowed with the origin `*`")
        );
        assert!(
            errors(&build(too_old.clone()))
                .contains("is not a whole number of seconds from 0 to 86400")
        );
        let e = errors(&build(twice.clone()));
        assert!(e.contains("the method `GET` is given twice"), "{e}");
        assert!(
            e.contains("the method `*` is given beside other methods"),
            "{e}"
        );
    }
}

#[test]
fn an_http_api_writes_credentials_exposed_headers_and_max_age() {
    let cors = Cors::new(["https://app.example.com"])
        .allow_methods([CorsMethod::Get, CorsMethod::Post])
        .allow_headers(["Authorization"])
        .expose_headers(["X-Request-Id"])
        .allow_credentials()
        .max_age(Duration::from_secs(600));
    let t = http(cors).synth().unwrap();
    assert_eq!(
        t.json()["Resources"]["Api"]["Properties"]["CorsConfiguration"],
        json!({
            "AllowCredentials": true,
            "AllowHeaders": ["Authorization"],
            "AllowMethods": ["GET", "POST"],
            "AllowOrigins": ["https://app.example.com"],
            "ExposeHeaders": ["X-Request-Id"],
            "MaxAge": 600
        })
    );
}

#[test]
fn a_rest_preflight_answers_credentials_exposed_headers_and_max_age() {
    let cors = Cors::new(["https://app.example.com"])
        .allow_methods([CorsMethod::Get])
        .expose_headers(["X-Request-Id"])
        .allow_credentials()
        .max_age(Duration::from_secs(600));
    let t = rest(cors).synth().unwrap();
    let params = &t.json()["Resources"]["ApiAOptions"]["Properties"]["Integration"]["IntegrationResponses"]
        [0]["ResponseParameters"];
    assert_eq!(
        params["method.response.header.Access-Control-Allow-Credentials"],
        "'true'"
    );
    assert_eq!(
        params["method.response.header.Access-Control-Max-Age"],
        "'600'"
    );
    assert_eq!(
        params["method.response.header.Access-Control-Expose-Headers"],
        "'X-Request-Id'"
    );
    assert_eq!(
        params["method.response.header.Access-Control-Allow-Methods"],
        "'GET'"
    );
}

#[test]
fn any_origin_keeps_its_methods_and_a_function_url_takes_the_same_settings() {
    let t = rest(Cors::any_origin()).synth().unwrap();
    let params = &t.json()["Resources"]["ApiAOptions"]["Properties"]["Integration"]["IntegrationResponses"]
        [0]["ResponseParameters"];
    assert_eq!(
        params["method.response.header.Access-Control-Allow-Methods"],
        "'GET,POST,PUT,DELETE,OPTIONS'"
    );

    // One value for the three surfaces: the URL's CORS from the same `Cors` (without
    // `OPTIONS`, which a function URL does not list).
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let cors = Cors::any_origin().max_age(Duration::from_secs(60));
    assert!(cors.problems().is_empty());
    f.url(
        &mut stack,
        FunctionUrlOptions {
            auth: UrlAuth::Iam,
            cors: Some(UrlCors::from(cors)),
        },
    );
    let t = stack.synth().unwrap();
    assert_eq!(
        t.json()["Resources"]["FUrl"]["Properties"]["Cors"],
        json!({
            "AllowHeaders": ["Content-Type", "Authorization"],
            "AllowMethods": ["GET", "POST", "PUT", "DELETE"],
            "AllowOrigins": ["*"],
            "MaxAge": 60
        })
    );
}
