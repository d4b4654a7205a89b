//! The account's API Gateway CloudWatch Logs role for REST API access logs
//! (`RestApi::cloud_watch_role`): created with its account setting and waited for by the
//! stages, kept unless told otherwise, one per stack; a logging stage without a choice is
//! a synth warning; cfn-lint over a stack using it.

use nephos::constructs::{
    AccessLogFormat, AccessLogs, CloudWatchRole, Code, Function, RemovalPolicy, RestApi, RestStage,
    Runtime,
};
use nephos::{Param, Stack, kind::Str};
use serde_json::json;

mod roundtrip_support;

fn logging() -> RestStage {
    RestStage::new().access_logs(AccessLogs::new(AccessLogFormat::standard()))
}

/// Adds the API `id` with one route (an API without methods cannot be deployed).
fn add(stack: &mut Stack, id: &str, api: RestApi) {
    let f = stack.add(
        &format!("{id}Handler"),
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")),
    );
    let api = stack.add(id, api);
    api.route(stack, "GET", "/", &f);
}

/// The synth warnings about the account's CloudWatch Logs role.
fn warnings(stack: &Stack) -> Vec<String> {
    let t = stack.synth().expect("synth");
    t.warnings()
        .iter()
        .map(|w| w.to_string())
        .filter(|w| w.contains("CloudWatch Logs role"))
        .collect()
}

#[test]
fn a_logging_stage_without_a_role_choice_is_a_warning() {
    let mut stack = Stack::new("App");
    add(
        &mut stack,
        "Api",
        RestApi::new("a").stage_options(logging()),
    );
    let w = warnings(&stack);
    assert_eq!(w.len(), 1, "{w:?}");

    let mut stack = Stack::new("App");
    add(
        &mut stack,
        "Api",
        RestApi::new("a")
            .stage_options(logging())
            .cloud_watch_role(CloudWatchRole::Existing),
    );
    assert!(warnings(&stack).is_empty());
    let t = stack.synth().unwrap();
    assert!(t.json()["Resources"].get("ApiAccount").is_none());

    // No access logs, no warning.
    let mut stack = Stack::new("App");
    add(
        &mut stack,
        "Api",
        RestApi::new("a").stage_options(RestStage::new().tracing()),
    );
    assert!(warnings(&stack).is_empty());
}

#[test]
fn create_adds_the_role_and_account_setting_that_the_stages_wait_for() {
    let mut stack = Stack::new("App");
    add(
        &mut stack,
        "Api",
        RestApi::new("a")
            .stage_options(logging())
            .add_stage("canary", logging())
            .cloud_watch_role(CloudWatchRole::create()),
    );
    assert!(warnings(&stack).is_empty());
    let t = stack.synth().unwrap();
    let r = &t.json()["Resources"];
    assert_eq!(r["ApiAccount"]["Type"], "AWS::ApiGateway::Account");
    assert_eq!(
        r["ApiAccount"]["Properties"]["CloudWatchRoleArn"],
        json!({"Fn::GetAtt": ["ApiCloudWatchRole", "Arn"]})
    );
    let role = &r["ApiCloudWatchRole"];
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        json!(["apigateway.amazonaws.com"])
    );
    assert!(
        role["Properties"]["ManagedPolicyArns"]
            .to_string()
            .contains("AmazonAPIGatewayPushToCloudWatchLogs")
    );
    for id in ["ApiAccount", "ApiCloudWatchRole"] {
        assert_eq!(r[id]["DeletionPolicy"], "Retain", "{id}");
    }
    for stage in ["ApiStage", "ApiCanaryStage"] {
        assert!(
            r[stage]["DependsOn"].to_string().contains("ApiAccount"),
            "{stage}: {}",
            r[stage]
        );
    }
}

#[test]
fn the_removal_policy_is_the_users_and_one_stack_sets_the_role_once() {
    let mut stack = Stack::new("App");
    add(
        &mut stack,
        "Api",
        RestApi::new("a")
            .stage_options(logging())
            .cloud_watch_role(CloudWatchRole::Create(RemovalPolicy::Destroy)),
    );
    let t = stack.synth().unwrap();
    assert_eq!(
        t.json()["Resources"]["ApiAccount"]["DeletionPolicy"],
        "Delete"
    );

    let mut stack = Stack::new("App");
    for id in ["A", "B"] {
        add(
            &mut stack,
            id,
            RestApi::new(id)
                .stage_options(logging())
                .cloud_watch_role(CloudWatchRole::create()),
        );
    }
    let e = stack.synth().expect_err("two account settings").to_string();
    assert!(
        e.contains("already sets the account's API Gateway CloudWatch Logs role"),
        "{e}"
    );
}

fn linted(stack: &mut Stack, _: &Param<Str>) {
    add(
        stack,
        "Api",
        RestApi::new("a")
            .stage_options(logging())
            .cloud_watch_role(CloudWatchRole::create()),
    );
}

#[test]
fn the_cloud_watch_role_passes_cfn_lint() {
    roundtrip_support::run(&[("Nephos::Proof::RestApiLogs", linted)]);
}
