//! Function URLs, versions and aliases: the resources, permissions, grants and wiring
//! on an alias, the version ID following the code, and the synth errors.

use nephos::assertions::Assertions;
use nephos::constructs::{
    Alias, Code, Function, FunctionRef, FunctionUrlOptions, Queue, Runtime, UrlAuth, UrlCors,
    UrlMethod,
};
use nephos::{Handle, Stack};
use serde_json::{Value as J, json};

mod lint_support;

fn add(stack: &mut Stack, id: &str, source: &str) -> FunctionRef {
    stack.add(
        id,
        Function::new(Runtime::Python312, "index.handler", Code::inline(source)),
    )
}

fn synth(stack: &Stack) -> J {
    let t = Assertions::from_stack(stack);
    t.assert_no_cycles();
    t.json().clone()
}

fn errors(stack: &Stack) -> Vec<String> {
    stack
        .synth()
        .expect_err("errors expected")
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

fn version_id(source: &str, memory: i64) -> String {
    let mut stack = Stack::new("App");
    let f = stack.add(
        "Api",
        Function::new(Runtime::Python312, "index.handler", Code::inline(source)).memory(memory),
    );
    let v = f.version(&mut stack);
    synth(&stack);
    v.handle().resource_ref().logical_id().to_string()
}

#[test]
fn iam_url_has_no_permission_and_grants_invoke_function_url() {
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    let caller = add(&mut stack, "Caller", "y");
    f.url(&mut stack, FunctionUrlOptions::iam());
    f.grant_invoke_url(&mut stack, &caller);
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["ApiUrl"]["Properties"],
        json!({"AuthType": "AWS_IAM", "TargetFunctionArn": {"Fn::GetAtt": ["Api", "Arn"]}})
    );
    let a = Assertions::from_stack(&stack);
    a.resource_count_is("AWS::Lambda::Permission", 0);
    let s =
        t["Resources"]["CallerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
            .clone();
    // Since October 2025 the caller also needs `lambda:InvokeFunction`, through the URL only.
    assert_eq!(
        s,
        json!([
            {"Action": ["lambda:InvokeFunctionUrl"], "Effect": "Allow", "Resource": [{"Fn::GetAtt": ["Api", "Arn"]}]},
            {"Action": ["lambda:InvokeFunction"], "Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}, "Effect": "Allow", "Resource": [{"Fn::GetAtt": ["Api", "Arn"]}]}
        ])
    );
}

#[test]
fn grant_invoke_url_on_an_alias_adds_both_actions_on_the_alias() {
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    let caller = add(&mut stack, "Caller", "y");
    let v = f.version(&mut stack);
    let live = f.alias(&mut stack, Alias::new("live", &v));
    live.url(&mut stack, FunctionUrlOptions::iam());
    let added = live.grant_invoke_url(&mut stack, &caller);
    assert_eq!(added.len(), 2);
    let t = synth(&stack);
    let s = serde_json::to_string(
        &t["Resources"]["CallerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
    )
    .unwrap();
    assert!(s.contains("\"lambda:InvokeFunctionUrl\""), "{s}");
    assert!(
        s.contains("{\"Action\":[\"lambda:InvokeFunction\"],\"Condition\":{\"Bool\":{\"lambda:InvokedViaFunctionUrl\":\"true\"}}"),
        "{s}"
    );
    assert!(
        !s.contains("\"Fn::GetAtt\":[\"Api\",\"Arn\"]"),
        "on the alias only: {s}"
    );
}

#[test]
fn public_url_adds_both_permissions_with_the_url_scope_and_cors() {
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    f.url(
        &mut stack,
        FunctionUrlOptions {
            auth: UrlAuth::None,
            cors: Some(
                UrlCors::new()
                    .allow_origins(vec!["https://example.com"])
                    .allow_methods(vec![UrlMethod::Get, UrlMethod::Post])
                    .max_age(300),
            ),
        },
    );
    let t = stack
        .synth()
        .expect("the wildcard principal is suppressed with a reason");
    let j = t.json();
    assert_eq!(j["Resources"]["ApiUrl"]["Properties"]["AuthType"], "NONE");
    assert_eq!(
        j["Resources"]["ApiUrl"]["Properties"]["Cors"]["AllowMethods"],
        json!(["GET", "POST"])
    );
    assert_eq!(
        j["Resources"]["ApiUrlPermission"]["Properties"],
        json!({
            "Action": "lambda:InvokeFunctionUrl",
            "FunctionName": {"Fn::GetAtt": ["Api", "Arn"]},
            "FunctionUrlAuthType": "NONE",
            "Principal": "*"
        })
    );
    assert_eq!(
        j["Resources"]["ApiUrlInvokePermission"]["Properties"],
        json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": ["Api", "Arn"]},
            "InvokedViaFunctionUrl": true,
            "Principal": "*"
        })
    );
}

#[test]
fn url_cors_outside_the_schema_is_a_synth_error() {
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    f.url(
        &mut stack,
        FunctionUrlOptions {
            auth: UrlAuth::Iam,
            cors: Some(UrlCors::new().max_age(100_000)),
        },
    );
    let e = errors(&stack).join("\n");
    assert!(e.contains("ApiUrl") && e.contains("MaxAge"), "{e}");
}

#[test]
fn version_id_follows_the_code_and_settings() {
    let a = version_id("v1", 128);
    assert!(
        a.starts_with("ApiVersion") && a.len() == "ApiVersion".len() + 16,
        "{a}"
    );
    assert_eq!(a, version_id("v1", 128), "same code, same version");
    assert_ne!(a, version_id("v2", 128), "new code, new version");
    assert_ne!(a, version_id("v1", 256), "new settings, new version");
}

#[test]
fn version_twice_is_one_resource_and_points_at_the_function() {
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    let v1 = f.version(&mut stack);
    let v2 = f.version(&mut stack);
    assert_eq!(v1.handle(), v2.handle());
    let a = Assertions::from_stack(&stack);
    a.resource_count_is("AWS::Lambda::Version", 1);
    let id = v1.handle().resource_ref().logical_id().to_string();
    assert_eq!(
        a.json()["Resources"][&id]["Properties"],
        json!({"FunctionName": {"Ref": "Api"}})
    );
}

#[test]
fn overriding_a_hashed_property_after_versioning_is_refused() {
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    f.version(&mut stack);
    stack
        .resource(&f)
        .override_property("Code.ZipFile", "other");
    let e = errors(&stack).join("\n");
    assert!(e.contains("Code") && e.contains("published version"), "{e}");
}

#[test]
fn alias_points_at_the_version_with_provisioned_concurrency() {
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    let v = f.version(&mut stack);
    let live = f.alias(
        &mut stack,
        Alias::new("live", &v)
            .description("what users call")
            .provisioned_concurrency(3),
    );
    let t = synth(&stack);
    let vid = v.handle().resource_ref().logical_id().to_string();
    assert_eq!(
        t["Resources"]["ApiAliasLive"]["Properties"],
        json!({
            "Description": "what users call",
            "FunctionName": {"Ref": "Api"},
            "FunctionVersion": {"Fn::GetAtt": [vid, "Version"]},
            "Name": "live",
            "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 3}
        })
    );
    assert_eq!(live.alias_name(), "live");
}

#[test]
fn grants_wiring_and_url_work_on_an_alias() {
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    let caller = add(&mut stack, "Caller", "y");
    let v = f.version(&mut stack);
    let live = f.alias(&mut stack, Alias::new("live", &v));
    let jobs = stack.add("Jobs", Queue::new());
    live.grant_invoke(&mut stack, &caller);
    jobs.trigger(&mut stack, &live, 10);
    live.url(
        &mut stack,
        FunctionUrlOptions {
            auth: UrlAuth::None,
            cors: None,
        },
    );
    let a = Assertions::from_stack(&stack);
    a.assert_no_cycles();
    let t = a.json();
    // Invoking the alias is granted on the alias's ARN.
    assert_eq!(
        t["Resources"]["CallerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
            ["Resource"],
        json!([{"Ref": "ApiAliasLive"}])
    );
    // The mapping invokes the alias, and the consume grant went to the function's role.
    let m = &t["Resources"]["ApiAliasLiveJobsTrigger"];
    assert_eq!(
        m["Properties"]["FunctionName"],
        json!({"Ref": "ApiAliasLive"})
    );
    assert!(
        a.dependencies_of("ApiAliasLiveJobsTrigger")
            .contains(&"ApiRole".to_string())
    );
    assert!(
        t["Resources"]["ApiRole"]["Properties"]["Policies"]
            .to_string()
            .contains("sqs:ReceiveMessage")
    );
    // The URL is qualified by the alias and waits for it; the permissions name it.
    assert_eq!(
        t["Resources"]["ApiAliasLiveUrl"]["Properties"]["Qualifier"],
        "live"
    );
    assert!(
        a.dependencies_of("ApiAliasLiveUrl")
            .contains(&"ApiAliasLive".to_string())
    );
    assert_eq!(
        t["Resources"]["ApiAliasLiveUrlPermission"]["Properties"]["FunctionName"],
        json!({"Ref": "ApiAliasLive"})
    );
}

#[test]
fn alias_errors_name_the_alias_and_the_fix() {
    // Provisioned concurrency with SnapStart.
    let mut stack = Stack::new("App");
    let f = stack.add(
        "Api",
        Function::new(Runtime::Java21, "Handler", Code::inline("x")).snap_start(),
    );
    let v = f.version(&mut stack);
    f.alias(
        &mut stack,
        Alias::new("live", &v).provisioned_concurrency(1),
    );
    let e = errors(&stack).join("\n");
    assert!(e.contains("ApiAliasLive") && e.contains("SnapStart"), "{e}");

    // A version of another function; a name Lambda refuses; zero environments.
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    let g = add(&mut stack, "Other", "y");
    let gv = g.version(&mut stack);
    f.alias(&mut stack, Alias::new("live", &gv));
    let fv = f.version(&mut stack);
    f.alias(&mut stack, Alias::new("123", &fv));
    f.alias(
        &mut stack,
        Alias::new("zero", &fv).provisioned_concurrency(0),
    );
    let e = errors(&stack).join("\n");
    assert!(e.contains("a version of function `Other`"), "{e}");
    assert!(e.contains("ApiAlias123") && e.contains("Name"), "{e}");
    assert!(e.contains("0 provisioned"), "{e}");
}

/// The version ID of a function using a layer built from a directory with one file of
/// `content` (atk14b finding 2: the ID followed the reference's text, not the layer).
fn version_id_with_layer(name: &str, content: &str) -> String {
    let d = std::env::temp_dir().join(format!("nephos-fv-{}-{name}", std::process::id()));
    std::fs::create_dir_all(d.join("python")).unwrap();
    std::fs::write(d.join("python/dep.py"), content).unwrap();
    let mut stack = Stack::new("App");
    let layer = stack.add(
        "Ly",
        nephos::constructs::LayerVersion::from_dir(&d).compatible_runtimes([Runtime::Python312]),
    );
    let f = stack.add(
        "W",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")).layer(&layer),
    );
    let v = f.version(&mut stack);
    f.alias(&mut stack, Alias::new("live", &v));
    synth(&stack);
    v.handle().resource_ref().logical_id().to_string()
}

#[test]
fn new_layer_content_gives_a_new_version_id() {
    let a = version_id_with_layer("a", "A = 1");
    assert_eq!(a, version_id_with_layer("a2", "A = 1"), "same content");
    assert_ne!(a, version_id_with_layer("b", "A = 2"), "new layer content");
}

#[test]
fn a_function_referring_only_to_its_role_keeps_its_version_id() {
    // Grants change the role's policy: they must not change the version (order-free).
    let mut stack = Stack::new("App");
    let f = add(&mut stack, "Api", "x");
    let q = stack.add("Jobs", Queue::new());
    q.grant_send(&mut stack, &f);
    let with_grant = f.version(&mut stack);
    let mut plain = Stack::new("App");
    let g = add(&mut plain, "Api", "x");
    let without = g.version(&mut plain);
    assert_eq!(
        with_grant.handle().resource_ref().logical_id(),
        without.handle().resource_ref().logical_id()
    );
}

#[test]
fn provisioned_concurrency_above_the_reserved_concurrency_is_a_synth_error() {
    let stack_with = |provisioned: u32| {
        let mut stack = Stack::new("App");
        let f = stack.add(
            "W",
            Function::new(Runtime::Python312, "index.handler", Code::inline("x"))
                .reserved_concurrency(2),
        );
        let v = f.version(&mut stack);
        f.alias(
            &mut stack,
            Alias::new("live", &v).provisioned_concurrency(provisioned),
        );
        stack
    };
    let e = errors(&stack_with(5)).join("\n");
    assert!(
        e.contains("alias `live`") && e.contains("5 provisioned") && e.contains("of 2"),
        "{e}"
    );
    stack_with(2)
        .synth()
        .expect("equal to the reserved concurrency is allowed");
}

#[test]
fn async_invoke_options_reach_each_alias() {
    use nephos::constructs::{Destination, EventInvokeConfig};
    let mut stack = Stack::new("App");
    let failed = stack.add("Failed", Queue::new());
    let f = stack.add(
        "W",
        Function::new(Runtime::Python312, "index.handler", Code::inline("x")).async_invoke(
            EventInvokeConfig::new()
                .retry_attempts(0)
                .on_failure(Destination::Queue(failed.grant_target())),
        ),
    );
    let v = f.version(&mut stack);
    f.alias(&mut stack, Alias::new("live", &v));
    let t = synth(&stack);
    assert_eq!(
        t["Resources"]["WEventInvokeConfig"]["Properties"]["Qualifier"],
        "$LATEST"
    );
    let on_alias = &t["Resources"]["WAliasLiveEventInvokeConfig"];
    assert_eq!(on_alias["Properties"]["Qualifier"], "live");
    assert_eq!(on_alias["Properties"]["MaximumRetryAttempts"], 0);
    assert_eq!(
        on_alias["Properties"]["DestinationConfig"]["OnFailure"]["Destination"],
        json!({"Fn::GetAtt": ["Failed", "Arn"]})
    );
    let deps = on_alias["DependsOn"].to_string();
    assert!(deps.contains("WAliasLive"), "{deps}");
}

#[test]
fn a_public_url_on_an_alias_passes_cfn_lint_with_no_finding() {
    // The permissions name the alias by its `Ref`: a `DependsOn` on it as well was
    // redundant (two cfn-lint W3005 warnings).
    let mut stack = Stack::new("PublicAliasUrl");
    let f = add(&mut stack, "Api", "x");
    let v = f.version(&mut stack);
    let live = f.alias(&mut stack, Alias::new("live", &v));
    live.url(
        &mut stack,
        FunctionUrlOptions {
            auth: UrlAuth::None,
            cors: None,
        },
    );
    let t = synth(&stack);
    for permission in [
        "ApiAliasLiveUrlPermission",
        "ApiAliasLiveUrlInvokePermission",
    ] {
        assert_eq!(
            t["Resources"][permission]["Properties"]["FunctionName"],
            json!({"Ref": "ApiAliasLive"}),
            "{permission}"
        );
    }
    let found = lint_support::findings(&[&stack]);
    assert!(found.is_empty(), "cfn-lint:\n{}", found.join("\n"));
}
