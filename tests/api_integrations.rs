//! API Gateway integrations besides Lambda proxy, on HTTP and REST APIs: Step Functions
//! `StartExecution`, EventBridge `PutEvents`, DynamoDB `PutItem`/`GetItem`/`Query` (REST),
//! HTTP proxy and mock (REST). Each test checks what a regression would change: the
//! integration's shape, the role's one action on its one target (and its condition), the
//! templates' escaping, the deployment's coverage, and the synth errors for what API
//! Gateway or the service refuses. The last test runs cfn-lint over the templates.

use nephos::assertions::Assertions;
use nephos::constructs::{
    DynamoDbAction, DynamoValue, HttpApi, HttpProxy, Key, MockResponse, Projection, PutEvents,
    RequestValue, RestApi, StartExecution, Table, TableRef,
};
use nephos::kinds::StepFunctionsStateMachineArn;
use nephos::{Handle, Stack, Value};
use serde_json::{Value as J, json};

const MACHINE: &str = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";

fn machine() -> Value<StepFunctionsStateMachineArn> {
    Value::literal(MACHINE)
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

fn props<'a>(t: &'a J, id: &str) -> &'a J {
    &t["Resources"][id]["Properties"]
}

/// The statements of a role's inline policies.
fn statements(t: &J, role: &str) -> Vec<J> {
    props(t, role)["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn notes(stack: &mut Stack) -> TableRef {
    stack.add(
        "Notes",
        Table::new(Key::string("id")).global_index(
            "byAuthor",
            Key::string("author"),
            None,
            Projection::All,
        ),
    )
}

#[test]
fn http_start_execution_maps_its_parameters_through_a_role_for_that_machine_only() {
    let mut stack = Stack::new("App");
    let api = stack.add("Http", HttpApi::new("orders"));
    api.route_to(
        &mut stack,
        "POST",
        "/orders",
        StartExecution::new(machine())
            .execution_name(RequestValue::Header("Idempotency-Key".into())),
    );
    let t = template(&stack);
    let i = props(&t, "HttpOrdersPostIntegration");
    assert_eq!(i["IntegrationSubtype"], "StepFunctions-StartExecution");
    assert_eq!(i["IntegrationType"], "AWS_PROXY");
    assert_eq!(i["PayloadFormatVersion"], "1.0");
    assert_eq!(
        i["RequestParameters"],
        json!({
            "Input": "$request.body",
            "Name": "$request.header.Idempotency-Key",
            "StateMachineArn": MACHINE
        })
    );
    let role = i["CredentialsArn"]["Fn::GetAtt"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(role.ends_with("StartRole"), "{role}");
    let s = statements(&t, &role);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0]["Action"], json!(["states:StartExecution"]));
    assert_eq!(s[0]["Resource"], json!([MACHINE]));
    assert_eq!(
        props(&t, &role)["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        json!(["apigateway.amazonaws.com"])
    );
}

#[test]
fn put_events_role_is_scoped_to_its_bus_and_source_and_owned_by_the_bus() {
    let mut stack = Stack::new("App");
    let bus = stack.add("Orders", nephos::events::EventBus::new("orders"));
    let api = stack.add("Http", HttpApi::new("orders"));
    api.route_to(
        &mut stack,
        "POST",
        "/orders",
        PutEvents::new("shop.orders", "OrderPlaced").bus(bus.arn()),
    );
    let t = template(&stack);
    let i = props(&t, "HttpOrdersPostIntegration");
    assert_eq!(i["IntegrationSubtype"], "EventBridge-PutEvents");
    assert_eq!(i["RequestParameters"]["Source"], "shop.orders");
    assert_eq!(i["RequestParameters"]["DetailType"], "OrderPlaced");
    assert_eq!(i["RequestParameters"]["Detail"], "$request.body");
    assert_eq!(
        i["RequestParameters"]["EventBusName"],
        json!({"Fn::GetAtt": ["Orders", "Arn"]})
    );
    let s = statements(&t, "HttpOrdersPutEventsRole");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0]["Action"], json!(["events:PutEvents"]));
    assert_eq!(s[0]["Resource"], json!([{"Fn::GetAtt": ["Orders", "Arn"]}]));
    assert_eq!(
        s[0]["Condition"],
        json!({"StringEquals": {"events:source": "shop.orders"}})
    );
    // The integration is part of the bus too: a condition on the bus alone reaches it,
    // and the route (the API's) is then refused for referring to it.
    let c = stack.condition(
        "WithBus",
        nephos::equals(nephos::aws::region(), "eu-west-1"),
    );
    stack.resource(&bus).condition(&c);
    let e = error(&stack);
    assert!(
        e.contains("refers to `HttpOrdersPostIntegration`")
            && e.contains("only when condition `WithBus`"),
        "{e}"
    );
    // With the API under the same condition, every part takes it.
    let api_handle = api.handle().clone();
    stack.resource(&api_handle).condition(&c);
    let t = template(&stack);
    assert_eq!(
        t["Resources"]["HttpOrdersPutEventsRole"]["Condition"],
        "WithBus"
    );
    assert_eq!(
        t["Resources"]["HttpOrdersPostIntegration"]["Condition"],
        "WithBus"
    );
}

#[test]
fn the_default_bus_is_the_accounts_and_aws_sources_are_refused() {
    let mut stack = Stack::new("App");
    let api = stack.add("Api", RestApi::new("shop"));
    api.route_to(
        &mut stack,
        "POST",
        "/orders",
        PutEvents::new("shop.orders", "OrderPlaced"),
    );
    let t = template(&stack);
    let s = statements(&t, "ApiDefaultBusPutEventsRole");
    assert_eq!(
        s[0]["Resource"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"}])
    );

    for (source, detail_type, expect) in [
        ("aws.orders", "OrderPlaced", "aws."),
        ("shop orders", "OrderPlaced", "letters, digits"),
        ("shop.orders", "", "1 to 128"),
        ("shop.orders", "Order$Placed", "mapping template"),
    ] {
        let mut stack = Stack::new("App");
        let api = stack.add("Api", RestApi::new("shop"));
        api.route_to(
            &mut stack,
            "POST",
            "/orders",
            PutEvents::new(source, detail_type),
        );
        let e = error(&stack);
        assert!(
            e.contains(expect) && e.contains("POST /orders"),
            "{source} {detail_type}: {e}"
        );
    }
}

#[test]
fn rest_put_events_escapes_the_body_calls_json_1_1_and_answers_500_on_a_failed_entry() {
    let mut stack = Stack::new("App");
    let api = stack.add("Api", RestApi::new("shop"));
    api.route_to(
        &mut stack,
        "POST",
        "/orders",
        PutEvents::new("shop.orders", "OrderPlaced"),
    );
    let t = template(&stack);
    let i = &props(&t, "ApiOrdersPost")["Integration"];
    assert_eq!(i["Type"], "AWS");
    assert_eq!(i["IntegrationHttpMethod"], "POST");
    assert_eq!(
        i["Uri"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:events:action/PutEvents"})
    );
    assert_eq!(i["PassthroughBehavior"], "NEVER");
    assert_eq!(
        i["RequestParameters"]["integration.request.header.X-Amz-Target"],
        "'AWSEvents.PutEvents'"
    );
    let req = i["RequestTemplates"]["application/json"]["Fn::Sub"]
        .as_str()
        .unwrap();
    assert!(
        req.contains(r#""Detail":"$util.escapeJavaScript($input.body).replaceAll("\\'","'")""#),
        "{req}"
    );
    assert!(
        req.contains(r#""Source":"shop.orders","DetailType":"OrderPlaced""#),
        "{req}"
    );
    let ok = &i["IntegrationResponses"][0]["ResponseTemplates"]["application/json"];
    assert!(
        ok.as_str()
            .unwrap()
            .contains("FailedEntryCount') > 0)#set($context.responseOverride.status = 500)")
    );
    assert_eq!(
        props(&t, "ApiOrdersPost")["MethodResponses"],
        json!([{"StatusCode": "200"}, {"StatusCode": "400"}, {"StatusCode": "500"}])
    );
}

#[test]
fn rest_start_execution_hides_service_errors_behind_fixed_messages() {
    let mut stack = Stack::new("App");
    let api = stack.add("Api", RestApi::new("orders"));
    api.route_to(
        &mut stack,
        "POST",
        "/orders/{id}",
        StartExecution::new(machine()).execution_name(RequestValue::PathParameter("id".into())),
    );
    let t = template(&stack);
    let i = &props(&t, "ApiOrdersIdPost")["Integration"];
    let req = i["RequestTemplates"]["application/json"].as_str().unwrap();
    assert!(
        req.starts_with(&format!(
            "{{\"stateMachineArn\":\"{MACHINE}\",\"input\":\"$util.escapeJavaScript($input.body)"
        )),
        "{req}"
    );
    assert!(
        req.contains(r#""name":"$util.escapeJavaScript($input.params().path.get('id'))"#),
        "{req}"
    );
    let responses = i["IntegrationResponses"].as_array().unwrap();
    assert_eq!(responses[1]["SelectionPattern"], "4\\d{2}");
    assert_eq!(responses[1]["StatusCode"], "400");
    assert_eq!(responses[2]["SelectionPattern"], "5\\d{2}");
    assert_eq!(
        responses[2]["ResponseTemplates"]["application/json"],
        "{\"message\":\"internal error\"}"
    );
    // The deployment covers the method and waits for it.
    let a = Assertions::from_stack(&stack);
    a.assert_no_cycles();
    let deployment = t["Resources"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| k.starts_with("ApiDeployment"))
        .unwrap()
        .clone();
    assert!(
        a.dependencies_of(&deployment)
            .contains(&"ApiOrdersIdPost".to_string())
    );

    // A fixed name starts one execution, then every request is refused.
    let mut stack = Stack::new("App");
    let api = stack.add("Api", RestApi::new("orders"));
    api.route_to(
        &mut stack,
        "POST",
        "/orders",
        StartExecution::new(machine()).execution_name(RequestValue::Fixed("nightly".into())),
    );
    assert!(error(&stack).contains("90 days"));
}

#[test]
fn dynamodb_actions_get_one_action_each_on_the_table_or_index() {
    let mut stack = Stack::new("App");
    let table = notes(&mut stack);
    let api = stack.add("Api", RestApi::new("notes"));
    let id = |v: RequestValue| DynamoValue::String(v);
    api.route_to(
        &mut stack,
        "POST",
        "/notes",
        DynamoDbAction::put_item(&table)
            .attribute("id", id(RequestValue::Context("requestId".into())))
            .attribute("author", id(RequestValue::BodyField("author".into())))
            .attribute(
                "stars",
                DynamoValue::Number(RequestValue::BodyField("stars".into())),
            ),
    );
    api.route_to(
        &mut stack,
        "GET",
        "/notes/{id}",
        DynamoDbAction::get_item(&table)
            .attribute("id", id(RequestValue::PathParameter("id".into()))),
    );
    api.route_to(
        &mut stack,
        "GET",
        "/authors/{name}/notes",
        DynamoDbAction::query(
            &table,
            "author",
            id(RequestValue::PathParameter("name".into())),
        )
        .index("byAuthor")
        .limit(25),
    );
    let t = template(&stack);
    let arn = json!({"Fn::GetAtt": ["Notes", "Arn"]});
    for (role, action) in [
        ("ApiNotesPutItemRole", "dynamodb:PutItem"),
        ("ApiNotesGetItemRole", "dynamodb:GetItem"),
        ("ApiNotesQueryRole", "dynamodb:Query"),
    ] {
        let s = statements(&t, role);
        assert_eq!(s.len(), 1, "{role}: {s:?}");
        assert_eq!(s[0]["Action"], json!([action]), "{role}");
        if action == "dynamodb:Query" {
            assert_eq!(
                s[0]["Resource"],
                json!([{"Fn::Sub": "${Notes.Arn}/index/byAuthor"}])
            );
        } else {
            assert_eq!(s[0]["Resource"], json!([arn]), "{role}");
        }
    }
    let put =
        props(&t, "ApiNotesPost")["Integration"]["RequestTemplates"]["application/json"]["Fn::Sub"]
            .as_str()
            .unwrap()
            .to_string();
    assert!(put.starts_with(r#"{"TableName":"${Notes}","Item":{"id":{"S":"$util.escapeJavaScript($context.requestId)"#), "{put}");
    assert!(
        put.contains(r#""stars":{"N":"$util.escapeJavaScript($input.path('$.stars'))"#),
        "{put}"
    );
    let query =
        props(&t, "ApiAuthorsNameNotesGet")["Integration"]["RequestTemplates"]["application/json"]
            ["Fn::Sub"]
            .as_str()
            .unwrap()
            .to_string();
    assert!(query.starts_with("#set($k = '#k'){"), "{query}");
    assert!(query.contains(r#""IndexName":"byAuthor","KeyConditionExpression":"$k = :v","ExpressionAttributeNames":{"$k":"author"}"#), "{query}");
    assert!(query.ends_with(r#","Limit":25}"#), "{query}");
    Assertions::from_stack(&stack).assert_no_cycles();
}

#[test]
fn dynamodb_keys_are_checked_against_the_tables_key_schema() {
    let check = |make: &dyn Fn(&TableRef) -> DynamoDbAction, expect: &str| {
        let mut stack = Stack::new("App");
        let table = notes(&mut stack);
        let api = stack.add("Api", RestApi::new("notes"));
        api.route_to(&mut stack, "POST", "/notes", make(&table));
        let e = error(&stack);
        assert!(e.contains(expect), "expected `{expect}` in:\n{e}");
    };
    let s = |v: &str| DynamoValue::String(RequestValue::BodyField(v.into()));
    check(
        &|t| DynamoDbAction::put_item(t).attribute("text", s("text")),
        "lacks the key attribute `id` (S)",
    );
    check(
        &|t| DynamoDbAction::put_item(t).attribute("id", DynamoValue::Number(RequestValue::Body)),
        "is of type S, not N",
    );
    check(
        &|t| {
            DynamoDbAction::get_item(t)
                .attribute("id", s("id"))
                .attribute("text", s("text"))
        },
        "`text`, which is not a key attribute",
    );
    check(
        &|t| DynamoDbAction::query(t, "author", s("a")).index("byTitle"),
        "has no index `byTitle`",
    );
    check(
        &|t| DynamoDbAction::query(t, "author", s("a")),
        "lacks the key attribute `id`",
    );
    check(
        &|t| {
            DynamoDbAction::put_item(t)
                .attribute("id", s("id"))
                .attribute("id", s("other"))
        },
        "given twice",
    );
    check(
        &|t| DynamoDbAction::put_item(t).attribute("a\"b", s("id")),
        "attribute name",
    );
    check(
        &|t| {
            DynamoDbAction::put_item(t).attribute(
                "id",
                DynamoValue::String(RequestValue::Header("X'Y".into())),
            )
        },
        "not a name API Gateway can map",
    );
    check(
        &|t| {
            DynamoDbAction::put_item(t).attribute(
                "id",
                DynamoValue::String(RequestValue::Fixed("#set".into())),
            )
        },
        "mapping template",
    );
    check(&|t| DynamoDbAction::put_item(t), "names no attribute");
}

#[test]
fn rest_http_proxy_maps_path_variables_and_mock_answers_fixed_json() {
    let mut stack = Stack::new("App");
    let api = stack.add("Api", RestApi::new("edge"));
    api.route_to(
        &mut stack,
        "ANY",
        "/legacy/{proxy+}",
        HttpProxy::new("https://legacy.example.com/{proxy}").timeout_ms(29_000),
    );
    api.route_to(
        &mut stack,
        "GET",
        "/ping",
        MockResponse::new(200).json(json!({"ok": true})),
    );
    let t = template(&stack);
    let m = props(&t, "ApiLegacyProxyAny");
    assert_eq!(
        m["RequestParameters"],
        json!({"method.request.path.proxy": true})
    );
    assert_eq!(m["Integration"]["Type"], "HTTP_PROXY");
    assert_eq!(m["Integration"]["IntegrationHttpMethod"], "ANY");
    assert_eq!(
        m["Integration"]["RequestParameters"],
        json!({"integration.request.path.proxy": "method.request.path.proxy"})
    );
    assert_eq!(m["Integration"]["TimeoutInMillis"], 29_000);
    let ping = props(&t, "ApiPingGet");
    assert_eq!(
        ping["Integration"]["RequestTemplates"]["application/json"],
        "{\"statusCode\": 200}"
    );
    assert_eq!(ping["MethodResponses"], json!([{"StatusCode": "200"}]));
    // No role for either.
    assert!(
        t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .all(|r| r["Type"] != "AWS::IAM::Role")
    );

    for (make, expect) in [
        (
            Box::new(|| HttpProxy::new("https://x.example.com/{id}").into())
                as Box<dyn Fn() -> nephos::constructs::RestIntegration>,
            "`{id}`, which is not a path parameter",
        ),
        (
            Box::new(|| {
                HttpProxy::new("https://x.example.com")
                    .timeout_ms(30_000)
                    .into()
            }),
            "50 to 29,000 ms",
        ),
        (
            Box::new(|| MockResponse::new(99).into()),
            "not an HTTP status",
        ),
        (
            Box::new(|| MockResponse::new(200).json(json!({"v": "$x"})).into()),
            "contains `$`",
        ),
    ] {
        let mut stack = Stack::new("App");
        let api = stack.add("Api", RestApi::new("edge"));
        api.route_to(&mut stack, "GET", "/items", make());
        let e = error(&stack);
        assert!(e.contains(expect), "expected `{expect}` in:\n{e}");
    }
    // An HTTP API takes up to 30 s.
    let mut stack = Stack::new("App");
    let api = stack.add("Http", HttpApi::new("edge"));
    api.route_to(
        &mut stack,
        "GET",
        "/items",
        HttpProxy::new("https://x.example.com").timeout_ms(30_000),
    );
    template(&stack);
}

#[test]
fn one_route_twice_is_one_method_and_one_role_and_another_target_is_refused() {
    let mut stack = Stack::new("App");
    let api = stack.add("Api", RestApi::new("orders"));
    let a = api.route_to(
        &mut stack,
        "POST",
        "/orders",
        StartExecution::new(machine()),
    );
    let b = api.route_to(
        &mut stack,
        "POST",
        "/orders",
        StartExecution::new(machine()),
    );
    assert_eq!(a.resource_ref().logical_id(), b.resource_ref().logical_id());
    let t = template(&stack);
    let roles = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::IAM::Role")
        .count();
    assert_eq!(roles, 1);
    api.route_to(
        &mut stack,
        "POST",
        "/orders",
        PutEvents::new("shop.orders", "OrderPlaced"),
    );
    let e = error(&stack);
    assert!(e.contains("route `POST /orders` is added twice"), "{e}");
}

#[test]
fn cfn_lint_accepts_every_integration() {
    let mut stack = Stack::new("Integrations");
    let table = notes(&mut stack);
    let bus = stack.add("Orders", nephos::events::EventBus::new("orders"));
    let rest = stack.add("Api", RestApi::new("shop"));
    let s = |v: RequestValue| DynamoValue::String(v);
    rest.route_to(
        &mut stack,
        "POST",
        "/events",
        PutEvents::new("shop.orders", "OrderPlaced").bus(bus.arn()),
    );
    rest.route_to(
        &mut stack,
        "POST",
        "/orders",
        StartExecution::new(machine()),
    );
    rest.route_to(
        &mut stack,
        "POST",
        "/notes",
        DynamoDbAction::put_item(&table)
            .attribute("id", s(RequestValue::Context("requestId".into()))),
    );
    rest.route_to(
        &mut stack,
        "GET",
        "/notes/{id}",
        DynamoDbAction::get_item(&table)
            .attribute("id", s(RequestValue::PathParameter("id".into()))),
    );
    rest.route_to(
        &mut stack,
        "GET",
        "/authors/{name}",
        DynamoDbAction::query(
            &table,
            "author",
            s(RequestValue::PathParameter("name".into())),
        )
        .index("byAuthor"),
    );
    rest.route_to(
        &mut stack,
        "ANY",
        "/legacy/{proxy+}",
        HttpProxy::new("https://legacy.example.com/{proxy}"),
    );
    rest.route_to(
        &mut stack,
        "GET",
        "/ping",
        MockResponse::new(200).json(json!({"ok": true})),
    );
    let http = stack.add("Http", HttpApi::new("shop"));
    http.route_to(
        &mut stack,
        "POST",
        "/events",
        PutEvents::new("shop.orders", "OrderPlaced"),
    );
    http.route_to(
        &mut stack,
        "POST",
        "/orders",
        StartExecution::new(machine()),
    );
    let t = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("api-integrations-lint");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("integrations.template.json");
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
    println!(
        "cfn-lint: 0 errors and warnings over {} resources",
        t.json()["Resources"].as_object().unwrap().len()
    );
}
