//! End to end against moto: a REST API built with the `RestApi` construct is deployed
//! with one route, then with a second; the stage must then serve a new deployment, made
//! after the new method (issue 11, case 02: a stage left on its first deployment answers
//! 403 on every route added later).

mod common;

use std::path::PathBuf;

use aws_sdk_apigateway::config::{BehaviorVersion, Credentials, Region};
use common::Moto;
use nephos::constructs::{Code, Function, RestApi, Runtime};
use nephos::{App, Stack, StackSettings};

const STACK: &str = "e2e-api-redeploy";

/// The app with the given routes, written as an assembly into its own folder.
fn assembly(routes: &[(&str, &str)], tag: &str) -> PathBuf {
    let mut stack = Stack::new("Api");
    let f = stack.add(
        "Handler",
        Function::new(
            Runtime::Python312,
            "index.handler",
            Code::inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
        ),
    );
    let api = stack.add("Api", RestApi::new("e2e-redeploy").stage("live"));
    for (method, path) in routes {
        api.route(&mut stack, method, path, &f);
    }
    let mut app = App::new();
    app.stack(stack, StackSettings::new(STACK));
    let dir = std::env::temp_dir().join(format!(
        "nephos-e2e-api-redeploy-{}-{tag}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    app.write(&dir).expect("the app synthesizes");
    dir
}

async fn apigateway(moto: &Moto) -> aws_sdk_apigateway::Client {
    let config = aws_sdk_apigateway::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&moto.endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "e2e"))
        .build();
    aws_sdk_apigateway::Client::from_conf(config)
}

/// The API's id and the deployment its `live` stage serves.
async fn live_deployment(api: &aws_sdk_apigateway::Client) -> (String, String) {
    let apis = api.get_rest_apis().send().await.expect("GetRestApis");
    let id = apis
        .items()
        .iter()
        .find(|a| a.name() == Some("e2e-redeploy"))
        .and_then(|a| a.id())
        .expect("the API exists")
        .to_string();
    let stage = api
        .get_stage()
        .rest_api_id(&id)
        .stage_name("live")
        .send()
        .await
        .expect("GetStage live");
    (id, stage.deployment_id().expect("a deployment").to_string())
}

/// `(path, method)` pairs of the API's methods.
async fn methods(api: &aws_sdk_apigateway::Client, id: &str) -> Vec<(String, String)> {
    let resources = api
        .get_resources()
        .rest_api_id(id)
        .embed("methods")
        .send()
        .await
        .expect("GetResources");
    let mut out: Vec<(String, String)> = resources
        .items()
        .iter()
        .flat_map(|r| {
            let path = r.path().unwrap_or_default().to_string();
            r.resource_methods()
                .map(|m| m.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .map(move |m| (path.clone(), m))
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_route_added_later_reaches_the_stage_through_a_new_deployment() {
    let moto = Moto::start();
    let api = apigateway(&moto).await;

    let one = assembly(&[("GET", "/users")], "one");
    let dir = one.to_str().unwrap();
    moto.nephos(&["deploy", "--assembly", dir, "--yes", "--method", "direct"])
        .await
        .expect(0);
    let (id, first) = live_deployment(&api).await;
    assert_eq!(methods(&api, &id).await, [("/users".into(), "GET".into())]);

    let two = assembly(&[("GET", "/users"), ("POST", "/orders")], "two");
    let dir = two.to_str().unwrap();
    moto.nephos(&["deploy", "--assembly", dir, "--yes", "--method", "direct"])
        .await
        .expect(0);
    let (same_api, second) = live_deployment(&api).await;
    assert_eq!(same_api, id, "the API itself is updated, not replaced");
    assert_ne!(second, first, "the stage must serve a new deployment");
    api.get_deployment()
        .rest_api_id(&id)
        .deployment_id(&second)
        .send()
        .await
        .expect("the stage's deployment exists");
    assert_eq!(
        methods(&api, &id).await,
        [
            ("/orders".into(), "POST".into()),
            ("/users".into(), "GET".into())
        ]
    );

    // The deployed template's deployment is created after both methods, so the snapshot
    // the stage serves includes the new one.
    let r = moto.nephos(&["diff", "--assembly", dir]).await.expect(0);
    assert!(r.out.contains("no changes"), "{}", r.out);
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(two.join("Api.template.json")).expect("template"),
    )
    .expect("JSON");
    let deployment = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::ApiGateway::Deployment")
        .expect("a deployment");
    assert_eq!(
        deployment["DependsOn"],
        serde_json::json!([
            "ApiOrdersPost",
            "ApiOrdersResource",
            "ApiUsersGet",
            "ApiUsersResource"
        ])
    );

    // Deploying the same app again changes nothing: same deployment.
    moto.nephos(&["deploy", "--assembly", dir, "--yes", "--method", "direct"])
        .await
        .expect(0);
    assert_eq!(live_deployment(&api).await.1, second);

    let _ = std::fs::remove_dir_all(&one);
    let _ = std::fs::remove_dir_all(&two);
}
