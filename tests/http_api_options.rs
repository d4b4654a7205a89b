//! HTTP API options beyond Lambda routes: route handles, authorizers (JWT, Lambda, IAM,
//! none; a default and per-route overrides), SQS-SendMessage and HTTP proxy
//! integrations, access logs, throttling, and the queue trigger's polling options. Each
//! test checks the statements, resources, `DependsOn` and synth errors a regression would
//! change. (In the root package, which enables `apigatewayv2` and `cognito`.)

use std::time::Duration;

use nephos::assertions::Assertions;
use nephos::constructs::{
    AccessLogFormat, AccessLogs, Code, Function, FunctionRef, HttpApi, HttpAuthorization,
    HttpAuthorizer, HttpProxy, IdentitySource, LambdaResponse, LogField, Queue, QueueRef,
    RequestValue, Runtime, SqsSendMessage, SqsTrigger, Throttle,
};
use nephos::{Handle, Stack};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack, id: &str) -> FunctionRef {
    stack.add(
        id,
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

fn error(stack: &Stack) -> String {
    stack.synth().expect_err("synth should fail").to_string()
}

fn jwt() -> HttpAuthorizer {
    HttpAuthorizer::jwt("Users", "https://issuer.example.com", ["client-1"])
}

fn props<'a>(t: &'a J, id: &str) -> &'a J {
    &t["Resources"][id]["Properties"]
}

#[test]
fn route_returns_a_handle_with_its_key_and_resource() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let api = stack.add("Api", HttpApi::new("x"));
    let r = api.route(&mut stack, "get", "/items/{id}", &f);
    assert_eq!(r.route_key(), "GET /items/{id}");
    assert_eq!(r.resource_ref().logical_id(), "ApiItemsIdGet");
    assert_eq!(r.handle().resource_ref().logical_id(), "ApiItemsIdGet");
}

#[test]
fn the_default_authorizer_reaches_every_route_and_is_added_once() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let api = stack.add(
        "Api",
        HttpApi::new("x").default_authorization(HttpAuthorization::authorizer(jwt())),
    );
    api.route(&mut stack, "GET", "/a", &f);
    api.route(&mut stack, "POST", "/b", &f);
    let t = template(&stack);
    for id in ["ApiAGet", "ApiBPost"] {
        assert_eq!(props(&t, id)["AuthorizationType"], "JWT", "{id}");
        assert_eq!(
            props(&t, id)["AuthorizerId"],
            json!({"Ref": "ApiUsersAuthorizer"})
        );
    }
    let a = Assertions::from_stack(&stack);
    a.resource_count_is("AWS::ApiGatewayV2::Authorizer", 1);
    a.assert_no_cycles();
    let auth = props(&t, "ApiUsersAuthorizer");
    assert_eq!(auth["AuthorizerType"], "JWT");
    assert_eq!(
        auth["JwtConfiguration"],
        json!({"Audience": ["client-1"], "Issuer": "https://issuer.example.com"})
    );
    assert_eq!(
        auth["IdentitySource"],
        json!(["$request.header.Authorization"])
    );
}

#[test]
fn a_route_overrides_the_default_with_none_or_iam() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let api = stack.add(
        "Api",
        HttpApi::new("x").default_authorization(HttpAuthorization::with_scopes(jwt(), ["read"])),
    );
    api.route(&mut stack, "GET", "/open", &f)
        .authorization(&mut stack, HttpAuthorization::None);
    api.route(&mut stack, "GET", "/admin", &f)
        .authorization(&mut stack, HttpAuthorization::Iam);
    api.route(&mut stack, "GET", "/read", &f);
    let t = template(&stack);
    let open = props(&t, "ApiOpenGet");
    assert_eq!(open["AuthorizationType"], "NONE");
    assert!(open.get("AuthorizerId").is_none() && open.get("AuthorizationScopes").is_none());
    let admin = props(&t, "ApiAdminGet");
    assert_eq!(admin["AuthorizationType"], "AWS_IAM");
    assert!(admin.get("AuthorizerId").is_none());
    assert_eq!(
        props(&t, "ApiReadGet")["AuthorizationScopes"],
        json!(["read"])
    );
}

#[test]
fn routes_without_a_default_are_public() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let api = stack.add("Api", HttpApi::new("x"));
    api.route(&mut stack, "GET", "/a", &f);
    let t = template(&stack);
    assert!(props(&t, "ApiAGet").get("AuthorizationType").is_none());
    Assertions::from_stack(&stack).resource_count_is("AWS::ApiGatewayV2::Authorizer", 0);
}

#[test]
fn a_lambda_authorizer_gets_payload_2_simple_responses_and_its_own_permission() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let check = function(&mut stack, "Check");
    let api = stack.add("Api", HttpApi::new("x"));
    let auth = HttpAuthorizer::lambda("Tokens", &check);
    api.route(&mut stack, "GET", "/a", &f)
        .authorization(&mut stack, HttpAuthorization::authorizer(auth.clone()));
    api.route(&mut stack, "GET", "/b", &f)
        .authorization(&mut stack, HttpAuthorization::authorizer(auth));
    let t = template(&stack);
    let a = props(&t, "ApiTokensAuthorizer");
    assert_eq!(a["AuthorizerType"], "REQUEST");
    assert_eq!(a["AuthorizerPayloadFormatVersion"], "2.0");
    assert_eq!(a["EnableSimpleResponses"], true);
    assert_eq!(a["AuthorizerResultTtlInSeconds"], 300);
    assert_eq!(
        a["IdentitySource"],
        json!(["$request.header.Authorization"])
    );
    assert_eq!(
        a["AuthorizerUri"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Check.Arn}/invocations"})
    );
    assert_eq!(props(&t, "ApiAGet")["AuthorizationType"], "CUSTOM");
    // One permission, for this authorizer of this API only.
    let p = props(&t, "ApiTokensAuthorizerPermission");
    assert_eq!(p["Principal"], "apigateway.amazonaws.com");
    assert_eq!(p["FunctionName"], json!({"Fn::GetAtt": ["Check", "Arn"]}));
    assert_eq!(
        p["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/authorizers/${ApiTokensAuthorizer}"})
    );
    let asserts = Assertions::from_stack(&stack);
    asserts.resource_count_is("AWS::ApiGatewayV2::Authorizer", 1);
    asserts.assert_no_cycles();
}

#[test]
fn lambda_authorizer_options_are_written() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let check = function(&mut stack, "Check");
    let auth = HttpAuthorizer::lambda("Tokens", &check)
        .identity_sources([
            IdentitySource::Header("X-Token".into()),
            IdentitySource::Query("tenant".into()),
            IdentitySource::Context("identity.sourceIp".into()),
            IdentitySource::StageVariable("region".into()),
        ])
        .result_ttl(Duration::ZERO)
        .response(LambdaResponse::IamPolicy);
    let api = stack.add(
        "Api",
        HttpApi::new("x").default_authorization(HttpAuthorization::authorizer(auth)),
    );
    api.route(&mut stack, "GET", "/a", &f);
    let t = template(&stack);
    let a = props(&t, "ApiTokensAuthorizer");
    assert_eq!(
        a["IdentitySource"],
        json!([
            "$request.header.X-Token",
            "$request.querystring.tenant",
            "$context.identity.sourceIp",
            "$stageVariables.region"
        ])
    );
    assert_eq!(a["AuthorizerResultTtlInSeconds"], 0);
    assert_eq!(a["EnableSimpleResponses"], false);
}

#[test]
fn a_cognito_authorizer_takes_the_pools_issuer_and_the_clients_id() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let pool = stack.add("Pool", nephos::cognito::UserPool::new());
    let client = stack.add("Client", nephos::cognito::UserPoolClient::new(pool.id()));
    let api = stack.add(
        "Api",
        HttpApi::new("x").default_authorization(HttpAuthorization::authorizer(
            HttpAuthorizer::cognito("Users", &pool, &client),
        )),
    );
    api.route(&mut stack, "GET", "/a", &f);
    let t = template(&stack);
    assert_eq!(
        props(&t, "ApiUsersAuthorizer")["JwtConfiguration"],
        json!({
            "Audience": [{"Fn::GetAtt": ["Client", "ClientId"]}],
            "Issuer": {"Fn::Sub": "https://${Pool.ProviderURL}"}
        })
    );
}

#[test]
fn authorizers_api_gateway_refuses_are_synth_errors() {
    let cases: Vec<(HttpAuthorization, &str)> = vec![
        (
            HttpAuthorization::authorizer(HttpAuthorizer::jwt(
                "Users",
                "https://i.example.com",
                Vec::<&str>::new(),
            )),
            "at least one audience",
        ),
        (
            HttpAuthorization::authorizer(HttpAuthorizer::jwt(
                "Users",
                "http://i.example.com",
                ["c"],
            )),
            "is not an `https://` URL",
        ),
        (
            HttpAuthorization::authorizer(jwt().identity_sources([
                IdentitySource::authorization_header(),
                IdentitySource::Query("t".into()),
            ])),
            "exactly one identity source",
        ),
        (
            HttpAuthorization::authorizer(HttpAuthorizer::jwt("", "https://i.example.com", ["c"])),
            "1 to 128 characters",
        ),
        (
            HttpAuthorization::authorizer(
                jwt().identity_sources([IdentitySource::Header("a b".into())]),
            ),
            "is not a header",
        ),
        (
            HttpAuthorization::with_scopes(jwt(), ["two words"]),
            "white space",
        ),
    ];
    for (auth, wanted) in cases {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "F");
        let api = stack.add("Api", HttpApi::new("x").default_authorization(auth));
        api.route(&mut stack, "GET", "/a", &f);
        let err = error(&stack);
        assert!(err.contains(wanted), "{wanted}: {err}");
    }
}

#[test]
fn a_fifo_queue_needs_a_message_group() {
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new().fifo());
    let api = stack.add("Api", HttpApi::new("x"));
    api.route_to(&mut stack, "POST", "/jobs", SqsSendMessage::new(&q));
    let err = error(&stack);
    assert!(
        err.contains("FIFO") && err.contains("message_group_id"),
        "{err}"
    );
    // Without content-based deduplication, each message needs a deduplication ID.
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new().fifo());
    let api = stack.add("Api", HttpApi::new("x"));
    api.route_to(
        &mut stack,
        "POST",
        "/jobs",
        SqsSendMessage::new(&q).message_group_id(RequestValue::Header("X-Tenant".into())),
    );
    let err = error(&stack);
    assert!(err.contains("deduplication ID"), "{err}");
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new().fifo().content_based_deduplication());
    let api = stack.add("Api", HttpApi::new("x"));
    api.route_to(
        &mut stack,
        "POST",
        "/jobs",
        SqsSendMessage::new(&q).message_group_id(RequestValue::Header("X-Tenant".into())),
    );
    template(&stack);
}

/// Builds an authorization from the authorizer function of the case's stack.
type MakeAuthorization = Box<dyn Fn(&FunctionRef) -> HttpAuthorization>;

#[test]
fn lambda_authorizer_ttl_and_scopes_are_checked() {
    let cases: Vec<(MakeAuthorization, &str)> = vec![
        (
            Box::new(|c| {
                HttpAuthorization::authorizer(
                    HttpAuthorizer::lambda("T", c).result_ttl(Duration::from_secs(3601)),
                )
            }),
            "from 0 to 3600",
        ),
        (
            Box::new(|c| {
                HttpAuthorization::authorizer(HttpAuthorizer::lambda("T", c).identity_sources([]))
            }),
            "needs at least one identity source",
        ),
        (
            Box::new(|c| HttpAuthorization::with_scopes(HttpAuthorizer::lambda("T", c), ["s"])),
            "JWT authorizers only",
        ),
    ];
    for (auth, wanted) in cases {
        let mut stack = Stack::new("App");
        let f = function(&mut stack, "F");
        let c = function(&mut stack, "C");
        let api = stack.add("Api", HttpApi::new("x"));
        api.route(&mut stack, "GET", "/a", &f)
            .authorization(&mut stack, auth(&c));
        let err = error(&stack);
        assert!(err.contains(wanted), "{wanted}: {err}");
    }
    // Caching off needs no identity source.
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let c = function(&mut stack, "C");
    let api = stack.add("Api", HttpApi::new("x"));
    api.route(&mut stack, "GET", "/a", &f).authorization(
        &mut stack,
        HttpAuthorization::authorizer(
            HttpAuthorizer::lambda("T", &c)
                .identity_sources([])
                .result_ttl(Duration::ZERO),
        ),
    );
    template(&stack);
}

#[test]
fn two_authorizers_of_one_name_with_different_settings_are_refused() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let api = stack.add("Api", HttpApi::new("x"));
    api.route(&mut stack, "GET", "/a", &f)
        .authorization(&mut stack, HttpAuthorization::authorizer(jwt()));
    api.route(&mut stack, "GET", "/b", &f).authorization(
        &mut stack,
        HttpAuthorization::authorizer(HttpAuthorizer::jwt(
            "Users",
            "https://other.example.com",
            ["c"],
        )),
    );
    let err = error(&stack);
    assert!(
        err.contains("ApiUsersAuthorizer") && err.contains("different settings"),
        "{err}"
    );
}

#[test]
fn sqs_send_message_gets_a_role_with_exactly_send_message_on_the_queue() {
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new());
    let api = stack.add("Api", HttpApi::new("x"));
    api.route_to(
        &mut stack,
        "POST",
        "/jobs",
        SqsSendMessage::new(&q)
            .message_group_id(RequestValue::Header("X-Tenant".into()))
            .delay_seconds(RequestValue::Fixed("5".into())),
    );
    api.route_to(
        &mut stack,
        "PUT",
        "/jobs/{id}",
        SqsSendMessage::new(&q).message_body(RequestValue::BodyField("job".into())),
    );
    let t = template(&stack);
    let i = props(&t, "ApiJobsPostIntegration");
    assert_eq!(i["IntegrationType"], "AWS_PROXY");
    assert_eq!(i["IntegrationSubtype"], "SQS-SendMessage");
    assert_eq!(i["PayloadFormatVersion"], "1.0");
    assert_eq!(
        i["CredentialsArn"],
        json!({"Fn::GetAtt": ["ApiJobsSendRole", "Arn"]})
    );
    assert_eq!(
        i["RequestParameters"],
        json!({
            "DelaySeconds": "5",
            "MessageBody": "$request.body",
            "MessageGroupId": "$request.header.X-Tenant",
            "QueueUrl": {"Ref": "Jobs"}
        })
    );
    assert_eq!(
        props(&t, "ApiJobsIdPutIntegration")["RequestParameters"]["MessageBody"],
        "$request.body.job"
    );
    let role = props(&t, "ApiJobsSendRole");
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": ["apigateway.amazonaws.com"]})
    );
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{
            "Action": ["sqs:SendMessage"],
            "Effect": "Allow",
            "Resource": [{"Fn::GetAtt": ["Jobs", "Arn"]}]
        }])
    );
    let a = Assertions::from_stack(&stack);
    // Both routes share the role; no function, so no permission.
    a.resource_count_is("AWS::IAM::Role", 1);
    a.resource_count_is("AWS::Lambda::Permission", 0);
    a.assert_no_cycles();
}

#[test]
fn sqs_send_message_to_an_encrypted_queue_may_use_its_key_through_sqs() {
    let mut stack = Stack::new("App");
    let key = nephos::Value::<nephos::kinds::KmsKeyArn>::literal(
        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    );
    let q = stack.add("Jobs", Queue::new().kms_key(key));
    let api = stack.add("Api", HttpApi::new("x"));
    api.route_to(&mut stack, "POST", "/jobs", SqsSendMessage::new(&q));
    let t = template(&stack);
    let statements =
        props(&t, "ApiJobsSendRole")["Policies"][0]["PolicyDocument"]["Statement"].clone();
    let text = statements.to_string();
    assert!(
        text.contains("kms:GenerateDataKey") && text.contains("kms:ViaService"),
        "{text}"
    );
    assert!(text.contains("\"sqs:SendMessage\""), "{text}");
}

type MakeIntegration = Box<dyn Fn(&QueueRef) -> SqsSendMessage>;

#[test]
fn service_integration_values_api_gateway_refuses_are_synth_errors() {
    let cases: Vec<(MakeIntegration, &str)> = vec![
        (
            Box::new(|q| SqsSendMessage::new(q).message_body(RequestValue::Header("a b".into()))),
            "not a name",
        ),
        (
            Box::new(|q| SqsSendMessage::new(q).delay_seconds(RequestValue::Fixed("901".into()))),
            "0 to 900",
        ),
        (
            Box::new(|q| SqsSendMessage::new(q).message_body(RequestValue::Fixed("$oops".into()))),
            "starts with `$`",
        ),
    ];
    for (make, wanted) in cases {
        let mut stack = Stack::new("App");
        let q = stack.add("Jobs", Queue::new());
        let api = stack.add("Api", HttpApi::new("x"));
        api.route_to(&mut stack, "POST", "/jobs", make(&q));
        let err = error(&stack);
        assert!(
            err.contains(wanted) && err.contains("ApiJobsPost"),
            "{wanted}: {err}"
        );
    }
}

#[test]
fn http_proxy_passes_requests_through_and_checks_its_settings() {
    let mut stack = Stack::new("App");
    let api = stack.add("Api", HttpApi::new("x"));
    api.route_to(
        &mut stack,
        "GET",
        "/old/{proxy+}",
        HttpProxy::new("https://old.example.com/{proxy}").timeout_ms(5000),
    );
    api.route_to(
        &mut stack,
        "ANY",
        "/new",
        HttpProxy::new("https://new.example.com").method("post"),
    );
    let t = template(&stack);
    let i = props(&t, "ApiOldProxyGetIntegration");
    assert_eq!(i["IntegrationType"], "HTTP_PROXY");
    assert_eq!(i["IntegrationMethod"], "GET");
    assert_eq!(i["IntegrationUri"], "https://old.example.com/{proxy}");
    assert_eq!(i["PayloadFormatVersion"], "1.0");
    assert_eq!(i["TimeoutInMillis"], 5000);
    assert_eq!(
        props(&t, "ApiNewAnyIntegration")["IntegrationMethod"],
        "POST"
    );
    for (proxy, wanted) in [
        (HttpProxy::new("ftp://x.example.com"), "not an `http://`"),
        (
            HttpProxy::new("https://x.example.com").timeout_ms(10),
            "50 to 30,000",
        ),
        (
            HttpProxy::new("https://x.example.com").method("fetch"),
            "not an HTTP method",
        ),
    ] {
        let mut stack = Stack::new("App");
        let api = stack.add("Api", HttpApi::new("x"));
        api.route_to(&mut stack, "GET", "/a", proxy);
        assert!(error(&stack).contains(wanted), "{wanted}");
    }
}

#[test]
fn one_route_to_two_targets_is_refused_and_the_same_twice_reused() {
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new());
    let f = function(&mut stack, "F");
    let api = stack.add("Api", HttpApi::new("x"));
    let a = api.route_to(&mut stack, "POST", "/jobs", SqsSendMessage::new(&q));
    let b = api.route_to(&mut stack, "POST", "/jobs", SqsSendMessage::new(&q));
    assert_eq!(a.resource_ref(), b.resource_ref());
    template(&stack);
    api.route(&mut stack, "POST", "/jobs", &f);
    let err = error(&stack);
    assert!(
        err.contains("POST /jobs") && err.contains("added twice"),
        "{err}"
    );
    // The same route to the queue with other parameters is refused, not merged.
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new());
    let api = stack.add("Api", HttpApi::new("x"));
    api.route_to(&mut stack, "POST", "/jobs", SqsSendMessage::new(&q));
    api.route_to(
        &mut stack,
        "POST",
        "/jobs",
        SqsSendMessage::new(&q).message_body(RequestValue::Query("m".into())),
    );
    assert!(error(&stack).contains("different settings"));
}

#[test]
fn access_logs_go_to_a_retained_log_group_in_the_typed_format() {
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        HttpApi::new("x").access_logs(
            AccessLogs::new(AccessLogFormat::json([
                LogField::RequestId,
                LogField::Status,
            ]))
            .retention_days(90),
        ),
    );
    let t = template(&stack);
    let settings = &props(&t, "ApiDefaultStage")["AccessLogSettings"];
    assert_eq!(
        settings["DestinationArn"],
        json!({"Fn::GetAtt": ["ApiAccessLogs", "Arn"]})
    );
    let format = settings["Format"].as_str().unwrap();
    let parsed: J = serde_json::from_str(format).expect("the format is a JSON object");
    assert_eq!(
        parsed,
        json!({"requestId": "$context.requestId", "status": "$context.status"})
    );
    assert_eq!(props(&t, "ApiAccessLogs")["RetentionInDays"], 90);
    assert_eq!(t["Resources"]["ApiAccessLogs"]["DeletionPolicy"], "Retain");
    // Every standard field is a `$context` variable and the line parses as JSON.
    let standard: J = serde_json::from_str(&AccessLogFormat::standard().render()).unwrap();
    assert!(
        standard
            .as_object()
            .unwrap()
            .values()
            .all(|v| v.as_str().unwrap().starts_with("$context."))
    );
}

#[test]
fn access_log_formats_api_gateway_refuses_are_synth_errors() {
    for (format, wanted) in [
        (AccessLogFormat::json([LogField::Status]), "request ID"),
        (AccessLogFormat::json([]), "request ID"),
        (
            AccessLogFormat::json([LogField::RequestId, LogField::Status, LogField::Status]),
            "given twice",
        ),
    ] {
        let mut stack = Stack::new("App");
        stack.add(
            "Api",
            HttpApi::new("x").access_logs(AccessLogs::new(format)),
        );
        let err = error(&stack);
        assert!(
            err.contains(wanted) && err.contains("ApiDefaultStage"),
            "{err}"
        );
    }
}

#[test]
fn throttling_per_stage_and_per_route_and_the_stage_waits_for_the_route() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let api = stack.add("Api", HttpApi::new("x").throttle(Throttle::new(100.0, 200)));
    api.route(&mut stack, "GET", "/a", &f)
        .throttle(&mut stack, Throttle::new(1.5, 3));
    api.route(&mut stack, "GET", "/b", &f)
        .throttle(&mut stack, Throttle::new(2.0, 4));
    api.route(&mut stack, "GET", "/c", &f);
    let t = template(&stack);
    let stage = props(&t, "ApiDefaultStage");
    assert_eq!(
        stage["DefaultRouteSettings"],
        json!({"ThrottlingBurstLimit": 200, "ThrottlingRateLimit": 100.0})
    );
    assert_eq!(
        stage["RouteSettings"],
        json!({
            "GET /a": {"ThrottlingBurstLimit": 3, "ThrottlingRateLimit": 1.5},
            "GET /b": {"ThrottlingBurstLimit": 4, "ThrottlingRateLimit": 2.0}
        })
    );
    let a = Assertions::from_stack(&stack);
    assert_eq!(
        t["Resources"]["ApiDefaultStage"]["DependsOn"],
        json!(["ApiAGet", "ApiBGet"])
    );
    a.assert_no_cycles();
    let mut stack = Stack::new("App");
    let f = function(&mut stack, "F");
    let api = stack.add("Api", HttpApi::new("x"));
    api.route(&mut stack, "GET", "/a", &f)
        .throttle(&mut stack, Throttle::new(-1.0, 3));
    assert!(error(&stack).contains("0 or more"));
    let mut stack = Stack::new("App");
    stack.add(
        "Api",
        HttpApi::new("x").throttle(Throttle::new(f64::NAN, 3)),
    );
    assert!(error(&stack).contains("0 or more"));
}

#[test]
fn queue_trigger_options_and_their_limits() {
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new());
    let f = function(&mut stack, "W");
    q.trigger_with(
        &mut stack,
        &f,
        SqsTrigger::new(100)
            .batching_window(Duration::from_secs(5))
            .max_concurrency(2)
            .report_batch_item_failures(),
    );
    let t = template(&stack);
    let m = props(&t, "WJobsTrigger");
    assert_eq!(m["BatchSize"], 100);
    assert_eq!(m["MaximumBatchingWindowInSeconds"], 5);
    assert_eq!(m["ScalingConfig"], json!({"MaximumConcurrency": 2}));
    assert_eq!(
        m["FunctionResponseTypes"],
        json!(["ReportBatchItemFailures"])
    );
    assert_eq!(
        t["Resources"]["WJobsTrigger"]["DependsOn"],
        json!(["WRole"])
    );
    // Without partial batch responses the property is absent (the whole batch retries).
    let mut stack = Stack::new("App");
    let q = stack.add("Jobs", Queue::new());
    let f = function(&mut stack, "W");
    q.trigger_with(&mut stack, &f, SqsTrigger::new(10));
    assert!(
        props(&template(&stack), "WJobsTrigger")
            .get("FunctionResponseTypes")
            .is_none()
    );
    for (trigger, wanted) in [
        (SqsTrigger::new(0), "outside 1 to 10,000"),
        (
            SqsTrigger::new(11),
            "batching window of at least one second",
        ),
        (
            SqsTrigger::new(5).batching_window(Duration::from_secs(301)),
            "from 0 to 300",
        ),
        (SqsTrigger::new(5).max_concurrency(1), "outside 2 to 1,000"),
    ] {
        let mut stack = Stack::new("App");
        let q = stack.add("Jobs", Queue::new());
        let f = function(&mut stack, "W");
        q.trigger_with(&mut stack, &f, trigger);
        let err = error(&stack);
        assert!(
            err.contains(wanted) && err.contains("WJobsTrigger"),
            "{wanted}: {err}"
        );
    }
}
