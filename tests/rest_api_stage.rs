//! REST API stage options: access logs (a log group, a REST format), throttling and X-Ray
//! tracing, written into the stage the deployment creates, and the formats API Gateway
//! refuses. (The account's CloudWatch role REST logging needs is documented on
//! `RestApi::access_logs`; it is per account and region, not per stack.)

use nephos::Stack;
use nephos::constructs::{
    AccessLogFormat, AccessLogs, Code, Function, LogField, RestApi, Runtime, Throttle,
};
use serde_json::{Value as J, json};

fn stack_with(api: RestApi) -> Stack {
    let mut stack = Stack::new("App");
    let f = stack.add(
        "Handler",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    let api = stack.add("Api", api);
    api.route(&mut stack, "GET", "/users", &f);
    stack
}

fn deployment(t: &J) -> (String, J) {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(id, _)| id.starts_with("ApiDeployment"))
        .map(|(id, r)| (id.clone(), r.clone()))
        .expect("a deployment")
}

#[test]
fn stage_options_reach_the_stage_the_deployment_creates() {
    let stack = stack_with(
        RestApi::new("users")
            .access_logs(
                AccessLogs::new(AccessLogFormat::json([
                    LogField::RequestId,
                    LogField::HttpMethod,
                    LogField::ResourcePath,
                ]))
                .retention_days(7),
            )
            .throttle(Throttle::new(20.0, 40))
            .xray_tracing(),
    );
    let t = stack.synth().unwrap().json().clone();
    let (_, d) = deployment(&t);
    let stage = &d["Properties"]["StageDescription"];
    assert_eq!(stage["TracingEnabled"], true);
    assert_eq!(stage["ThrottlingBurstLimit"], 40);
    assert_eq!(stage["ThrottlingRateLimit"], 20.0);
    assert_eq!(
        stage["AccessLogSetting"]["DestinationArn"],
        json!({"Fn::GetAtt": ["ApiAccessLogs", "Arn"]})
    );
    let format: J = serde_json::from_str(stage["AccessLogSetting"]["Format"].as_str().unwrap())
        .expect("a JSON line");
    assert_eq!(
        format,
        json!({
            "requestId": "$context.requestId",
            "httpMethod": "$context.httpMethod",
            "resourcePath": "$context.resourcePath"
        })
    );
    assert_eq!(
        t["Resources"]["ApiAccessLogs"]["Properties"]["RetentionInDays"],
        7
    );
    assert_eq!(t["Resources"]["ApiAccessLogs"]["DeletionPolicy"], "Retain");
    nephos::assertions::Assertions::from_stack(&stack).assert_no_cycles();
}

#[test]
fn without_stage_options_the_deployment_has_no_stage_description() {
    let t = stack_with(RestApi::new("users"))
        .synth()
        .unwrap()
        .json()
        .clone();
    assert!(
        deployment(&t).1["Properties"]
            .get("StageDescription")
            .is_none()
    );
    assert!(t["Resources"].get("ApiAccessLogs").is_none());
}

#[test]
fn a_stage_option_change_makes_a_new_deployment() {
    let a = stack_with(RestApi::new("users"))
        .synth()
        .unwrap()
        .json()
        .clone();
    let b = stack_with(RestApi::new("users").xray_tracing())
        .synth()
        .unwrap()
        .json()
        .clone();
    assert_ne!(deployment(&a).0, deployment(&b).0);
}

#[test]
fn rest_formats_api_gateway_refuses_are_synth_errors() {
    for (format, wanted) in [
        (
            AccessLogFormat::json([LogField::RequestId, LogField::RouteKey]),
            "not a variable of REST APIs",
        ),
        (AccessLogFormat::json([LogField::Status]), "request ID"),
        // The HTTP API standard names the route key, which REST APIs do not have.
        (AccessLogFormat::standard(), "`LogField::ResourcePath`"),
    ] {
        let err = stack_with(RestApi::new("users").access_logs(AccessLogs::new(format)))
            .synth()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(wanted) && err.contains("StageDescription"),
            "{wanted}: {err}"
        );
    }
    let err = stack_with(RestApi::new("users").throttle(Throttle::new(-5.0, 1)))
        .synth()
        .unwrap_err()
        .to_string();
    assert!(err.contains("0 or more"), "{err}");
}
