//! REST API stages as resources of their own (throttling, cache cluster, tracing, access
//! logs; several stages; per-method throttling and caching), and usage plans with API
//! keys. Each test checks what a regression would change: where the stage is created,
//! the settings each stage holds, the `DependsOn` a plan needs, and the synth errors for
//! what API Gateway refuses. The last test runs cfn-lint over the templates.

use std::time::Duration;

use nephos::assertions::Assertions;
use nephos::constructs::{
    AccessLogFormat, AccessLogs, CacheSize, Code, Function, FunctionRef, LogField, Quota, RestApi,
    RestStage, Runtime, Throttle, UsagePlan,
};
use nephos::{Handle, Stack};
use serde_json::{Value as J, json};

fn function(stack: &mut Stack) -> FunctionRef {
    stack.add(
        "F",
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

fn props<'a>(t: &'a J, id: &str) -> &'a J {
    &t["Resources"][id]["Properties"]
}

fn deployment_id(t: &J) -> String {
    t["Resources"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| k.starts_with("ApiDeployment"))
        .unwrap()
        .clone()
}

fn of_type(t: &J, ty: &str) -> usize {
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == ty)
        .count()
}

#[test]
fn without_stage_options_the_deployment_creates_the_stage_as_before() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("x").stage("dev"));
    api.route(&mut stack, "GET", "/", &f);
    let t = template(&stack);
    assert_eq!(props(&t, &deployment_id(&t))["StageName"], "dev");
    assert_eq!(of_type(&t, "AWS::ApiGateway::Stage"), 0);
}

#[test]
fn stage_options_make_the_stage_a_resource_pointing_at_the_deployment() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add(
        "Api",
        RestApi::new("x").stage_options(
            RestStage::new()
                .throttle(Throttle::new(100.0, 200))
                .cache_cluster(CacheSize::Gb1_6)
                .tracing()
                .access_logs(AccessLogs::new(AccessLogFormat::standard())),
        ),
    );
    api.route(&mut stack, "GET", "/users", &f);
    let t = template(&stack);
    let deployment = deployment_id(&t);
    assert!(
        props(&t, &deployment).get("StageName").is_none(),
        "{}",
        props(&t, &deployment)
    );
    let stage = props(&t, "ApiStage");
    assert_eq!(stage["StageName"], "prod");
    assert_eq!(stage["DeploymentId"], json!({"Ref": deployment}));
    assert_eq!(stage["RestApiId"], json!({"Ref": "Api"}));
    assert_eq!(stage["TracingEnabled"], true);
    assert_eq!(stage["CacheClusterEnabled"], true);
    assert_eq!(stage["CacheClusterSize"], "1.6");
    assert_eq!(
        stage["MethodSettings"],
        json!([{"HttpMethod": "*", "ResourcePath": "/*", "ThrottlingBurstLimit": 200, "ThrottlingRateLimit": 100.0}])
    );
    assert_eq!(
        stage["AccessLogSetting"]["DestinationArn"],
        json!({"Fn::GetAtt": ["ApiAccessLogs", "Arn"]})
    );
    let format = stage["AccessLogSetting"]["Format"].as_str().unwrap();
    // REST variables: the resource path, not the HTTP API's route key.
    assert!(
        format.contains("\"resourcePath\":\"$context.resourcePath\""),
        "{format}"
    );
    assert!(
        format.contains("$context.integration.error") && !format.contains("routeKey"),
        "{format}"
    );
    assert_eq!(props(&t, "ApiAccessLogs")["RetentionInDays"], 30);
    assert_eq!(t["Resources"]["ApiAccessLogs"]["DeletionPolicy"], "Retain");
    Assertions::from_stack(&stack).assert_no_cycles();
    // The stage is the API's: it takes the API's condition.
    let c = stack.condition("On", nephos::equals(nephos::aws::region(), "eu-west-1"));
    let h = api.handle().clone();
    stack.resource(&h).condition(&c);
    stack.resource(api.deployment()).condition(&c);
    let t = template(&stack);
    assert_eq!(t["Resources"]["ApiStage"]["Condition"], "On");
    assert_eq!(t["Resources"]["ApiAccessLogs"]["Condition"], "On");
}

#[test]
fn method_throttling_and_caching_merge_into_the_stages_that_take_them() {
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add(
        "Api",
        RestApi::new("x")
            .stage_options(RestStage::new().cache_cluster(CacheSize::Gb0_5))
            .add_stage("canary", RestStage::new()),
    );
    api.route(&mut stack, "GET", "/users/{id}", &f)
        .throttle(&mut stack, Throttle::new(5.0, 10))
        .cache(&mut stack, Duration::from_secs(60));
    api.route(&mut stack, "ANY", "/", &f)
        .throttle(&mut stack, Throttle::new(1.0, 2));
    let t = template(&stack);
    assert_eq!(
        props(&t, "ApiStage")["MethodSettings"],
        json!([
            {"HttpMethod": "GET", "ResourcePath": "/~1users~1{id}", "ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5.0,
             "CachingEnabled": true, "CacheTtlInSeconds": 60, "CacheDataEncrypted": true},
            {"HttpMethod": "*", "ResourcePath": "/", "ThrottlingBurstLimit": 2, "ThrottlingRateLimit": 1.0}
        ])
    );
    // The canary stage has no cache cluster: only the throttles reach it.
    let canary = props(&t, "ApiCanaryStage");
    assert_eq!(canary["StageName"], "canary");
    assert_eq!(
        canary["MethodSettings"],
        json!([
            {"HttpMethod": "GET", "ResourcePath": "/~1users~1{id}", "ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5.0},
            {"HttpMethod": "*", "ResourcePath": "/", "ThrottlingBurstLimit": 2, "ThrottlingRateLimit": 1.0}
        ])
    );
    assert_eq!(
        api.stage_url("canary").to_json()["Fn::Sub"],
        "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/canary/"
    );
}

/// A stack definition that synth should refuse, and the text its error holds.
type Refused = (Box<dyn Fn(&mut Stack)>, &'static str);

#[test]
fn stage_settings_api_gateway_refuses_are_synth_errors() {
    let cases: Vec<Refused> = vec![
        (
            Box::new(|stack: &mut Stack| {
                let f = function(stack);
                let api = stack.add("Api", RestApi::new("x"));
                api.route(stack, "GET", "/", &f)
                    .throttle(stack, Throttle::new(1.0, 1));
            }),
            "no stage resource",
        ),
        (
            Box::new(|stack: &mut Stack| {
                let f = function(stack);
                let api = stack.add("Api", RestApi::new("x").stage_options(RestStage::new()));
                api.route(stack, "GET", "/", &f)
                    .cache(stack, Duration::from_secs(60));
            }),
            "no stage of its API has a cache cluster",
        ),
        (
            Box::new(|stack: &mut Stack| {
                let f = function(stack);
                let api = stack.add(
                    "Api",
                    RestApi::new("x")
                        .stage_options(RestStage::new().cache_cluster(CacheSize::Gb237)),
                );
                api.route(stack, "GET", "/", &f)
                    .cache(stack, Duration::from_secs(3601));
            }),
            "0 to 3600",
        ),
        (
            Box::new(|stack: &mut Stack| {
                let f = function(stack);
                let api = stack.add("Api", RestApi::new("x").add_stage("prod", RestStage::new()));
                api.route(stack, "GET", "/", &f);
            }),
            "`prod` is given twice",
        ),
        (
            Box::new(|stack: &mut Stack| {
                let f = function(stack);
                let api = stack.add(
                    "Api",
                    RestApi::new("x").add_stage("can ary", RestStage::new()),
                );
                api.route(stack, "GET", "/", &f);
            }),
            "contains ` `",
        ),
        (
            Box::new(|stack: &mut Stack| {
                let f = function(stack);
                let api =
                    stack.add(
                        "Api",
                        RestApi::new("x").stage_options(RestStage::new().access_logs(
                            AccessLogs::new(AccessLogFormat::json([LogField::Status])),
                        )),
                    );
                api.route(stack, "GET", "/", &f);
            }),
            "request ID",
        ),
        (
            Box::new(|stack: &mut Stack| {
                let f = function(stack);
                let api = stack.add(
                    "Api",
                    RestApi::new("x")
                        .stage_options(RestStage::new().throttle(Throttle::new(f64::NAN, 1))),
                );
                api.route(stack, "GET", "/", &f);
            }),
            "not a number of requests per second",
        ),
    ];
    for (build, expect) in cases {
        let mut stack = Stack::new("App");
        build(&mut stack);
        let e = error(&stack);
        assert!(e.contains(expect), "expected `{expect}` in:\n{e}");
    }
}

#[test]
fn usage_plans_cover_every_stage_and_wait_for_them() {
    // The API's stage made by the deployment: the plan names it and waits for the deployment.
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("x"));
    api.route(&mut stack, "GET", "/prices", &f)
        .require_api_key(&mut stack);
    let plan = api.usage_plan(
        &mut stack,
        "Partners",
        UsagePlan::new()
            .throttle(Throttle::new(10.0, 20))
            .quota(Quota::per_month(1000)),
    );
    let key = plan.api_key(&mut stack, "Acme");
    assert_eq!(key.resource_ref().logical_id(), "ApiPartnersPlanAcmeKey");
    let t = template(&stack);
    assert_eq!(props(&t, "ApiPricesGet")["ApiKeyRequired"], true);
    let p = props(&t, "ApiPartnersPlan");
    assert_eq!(
        p["ApiStages"],
        json!([{"ApiId": {"Ref": "Api"}, "Stage": "prod"}])
    );
    assert_eq!(p["Throttle"], json!({"BurstLimit": 20, "RateLimit": 10.0}));
    assert_eq!(p["Quota"], json!({"Limit": 1000, "Period": "MONTH"}));
    assert_eq!(
        t["Resources"]["ApiPartnersPlan"]["DependsOn"],
        json!([deployment_id(&t)])
    );
    assert_eq!(props(&t, "ApiPartnersPlanAcmeKey")["Enabled"], true);
    assert!(props(&t, "ApiPartnersPlanAcmeKey").get("Value").is_none());
    assert_eq!(
        props(&t, "ApiPartnersPlanAcmeKeyLink"),
        &json!({"KeyId": {"Ref": "ApiPartnersPlanAcmeKey"}, "KeyType": "API_KEY", "UsagePlanId": {"Ref": "ApiPartnersPlan"}})
    );
    Assertions::from_stack(&stack).assert_no_cycles();

    // Stage resources: the plan refers to each, which orders it after them.
    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add(
        "Api",
        RestApi::new("x")
            .stage_options(RestStage::new())
            .add_stage("beta", RestStage::new()),
    );
    api.route(&mut stack, "GET", "/", &f);
    api.usage_plan(
        &mut stack,
        "Free",
        UsagePlan::new().quota(Quota::per_day(100)),
    );
    let t = template(&stack);
    assert_eq!(
        props(&t, "ApiFreePlan")["ApiStages"],
        json!([
            {"ApiId": {"Ref": "Api"}, "Stage": {"Ref": "ApiStage"}},
            {"ApiId": {"Ref": "Api"}, "Stage": {"Ref": "ApiBetaStage"}}
        ])
    );
    assert!(t["Resources"]["ApiFreePlan"].get("DependsOn").is_none());

    let mut stack = Stack::new("App");
    let f = function(&mut stack);
    let api = stack.add("Api", RestApi::new("x"));
    api.route(&mut stack, "GET", "/", &f);
    api.usage_plan(
        &mut stack,
        "--",
        UsagePlan::new().throttle(Throttle::new(-1.0, 1)),
    );
    let e = error(&stack);
    assert!(
        e.contains("no letter or digit") && e.contains("0 or more"),
        "{e}"
    );
}

#[test]
fn cfn_lint_accepts_stages_and_usage_plans() {
    let mut stack = Stack::new("Stages");
    let f = function(&mut stack);
    let api = stack.add(
        "Api",
        RestApi::new("x")
            .stage_options(
                RestStage::new()
                    .throttle(Throttle::new(100.0, 200))
                    .cache_cluster(CacheSize::Gb0_5)
                    .tracing()
                    .access_logs(AccessLogs::new(AccessLogFormat::standard())),
            )
            .add_stage("beta", RestStage::new().tracing()),
    );
    api.route(&mut stack, "GET", "/users/{id}", &f)
        .cache(&mut stack, Duration::from_secs(30))
        .throttle(&mut stack, Throttle::new(5.0, 10))
        .require_api_key(&mut stack);
    api.usage_plan(
        &mut stack,
        "Partners",
        UsagePlan::new().quota(Quota::per_day(100)),
    )
    .api_key(&mut stack, "Acme");
    let t = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("rest-api-stages-lint");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("stages.template.json");
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
