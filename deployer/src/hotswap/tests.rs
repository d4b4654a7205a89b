//! The hotswap decisions through the scripted seams: what is updated in place, what falls
//! back to CloudFormation (with nothing written), and what a failed update says.

use std::time::Duration;

use serde_json::{Value, json};

use super::apply::{Attempt, HotswapBackends, Settle, attempt};
use super::fake::FakeLambda;
use crate::cfn::model::StackResource;
use crate::cfn::retry::RetryPolicy;
use crate::cfn::status::{ResourceStatus, StackStatus};
use crate::deploy::engine::StackRequest;
use crate::deploy::fake::FakeStaging;
use crate::deploy::fake::{FakeCfn, stack};
use crate::deploy::interrupt::Interrupt;

pub(super) const NOW: Settle = Settle {
    every: Duration::ZERO,
    limit: Duration::from_secs(5),
};

pub(super) fn deployed() -> Value {
    json!({"Parameters": {"Stage": {"Type": "String"}},
      "Resources": {
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
            "Code": {"S3Bucket": {"Fn::Sub": "nephos-staging-${AWS::AccountId}-${AWS::Region}"},
                     "S3Key": "assets/aaa.zip"},
            "Environment": {"Variables": {"TABLE": {"Ref": "Table"}, "STAGE": {"Ref": "Stage"}}},
            "MemorySize": 128,
            "Role": {"Fn::GetAtt": ["Role", "Arn"]}}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST"}}},
      "Outputs": {"Name": {"Value": {"Ref": "Fn"}}}})
}

pub(super) fn resource(logical: &str, physical: Option<&str>, ty: &str) -> StackResource {
    StackResource {
        logical_id: logical.into(),
        physical_id: physical.map(str::to_owned),
        resource_type: ty.into(),
        status: ResourceStatus::UpdateComplete,
    }
}

pub(super) fn cfn_with(status: StackStatus, fn_physical: Option<&str>) -> FakeCfn {
    let mut s = stack(status);
    if let Some(s) = s.as_mut() {
        s.parameters = vec![("Stage".into(), "dev".into())];
    }
    FakeCfn::new(vec![s])
        .with_template(&deployed().to_string())
        .with_resources(vec![
            resource("Fn", fn_physical, "AWS::Lambda::Function"),
            resource("Role", Some("api-Role-1"), "AWS::IAM::Role"),
            resource("Table", Some("api-Table-9"), "AWS::DynamoDB::Table"),
        ])
}

pub(super) fn request(template: Value) -> StackRequest {
    StackRequest {
        stack_name: "api".into(),
        template_body: template.to_string(),
        template,
        parameters: Default::default(),
        tags: Default::default(),
        termination_protection: false,
        assets: Vec::new(),
        assembly_dir: Default::default(),
    }
}

pub(super) fn edited(f: impl FnOnce(&mut Value)) -> Value {
    let mut t = deployed();
    f(&mut t);
    t
}

pub(super) async fn run(
    cfn: &FakeCfn,
    lambda: &FakeLambda,
    req: &StackRequest,
) -> crate::error::Result<Attempt> {
    let staging = FakeStaging::default();
    let b = HotswapBackends {
        cfn,
        staging: &staging,
        lambda,
    };
    run_on(b, req).await
}

/// A hotswap over any backends, with no pause between reads, no Ctrl-C and approval given.
pub(super) async fn run_on(
    b: HotswapBackends<'_>,
    req: &StackRequest,
) -> crate::error::Result<Attempt> {
    attempt(
        b,
        &RetryPolicy::IMMEDIATE,
        NOW,
        req,
        &Interrupt::new(),
        &|_| Ok(()),
    )
    .await
}

#[tokio::test]
async fn a_code_and_environment_change_updates_the_function_in_place_and_writes_nothing_to_cloudformation()
 {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    let new = edited(|t| {
        let p = &mut t["Resources"]["Fn"]["Properties"];
        p["Code"]["S3Key"] = json!("assets/bbb.zip");
        p["Environment"]["Variables"]["MODE"] = json!("v2");
    });
    let got = run(&cfn, &lambda, &request(new))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let Attempt::Hotswapped { functions, .. } = got else {
        panic!("expected a hotswap: {got:?}");
    };
    assert_eq!(functions.len(), 1);
    assert_eq!(functions[0].changed, ["Code", "Environment"]);
    let calls = lambda.calls();
    assert_eq!(
        calls,
        [
            r#"UpdateFunctionCode api-Fn-123 S3 { bucket: "nephos-staging-123456789012-eu-west-1", key: "assets/bbb.zip", version: None }"#,
            "GetFunctionConfiguration api-Fn-123",
            r#"UpdateFunctionConfiguration api-Fn-123 ConfigUpdate { environment: Some({"MODE": "v2", "STAGE": "dev", "TABLE": "api-Table-9"}), memory_size: None, timeout: None, description: None, handler: None, runtime: None }"#,
            "GetFunctionConfiguration api-Fn-123",
        ]
    );
    assert!(cfn.write_calls().is_empty(), "{:?}", cfn.write_calls());
}

#[tokio::test]
async fn each_update_is_waited_on_until_lambda_says_successful() {
    let cfn = cfn_with(StackStatus::CreateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["InProgress", "InProgress", "Successful"]);
    let new = edited(|t| t["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(256));
    let got = run(&cfn, &lambda, &request(new))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(got, Attempt::Hotswapped { .. }), "{got:?}");
    let reads = lambda
        .calls()
        .iter()
        .filter(|c| c.starts_with("GetFunctionConfiguration"))
        .count();
    assert_eq!(reads, 3);
    assert!(
        lambda.calls()[0].contains("memory_size: Some(256)"),
        "{:?}",
        lambda.calls()
    );
}

#[tokio::test]
async fn anything_else_falls_back_to_cloudformation_with_its_reason_and_no_write() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "a table property",
            |t| t["Resources"]["Table"]["Properties"]["BillingMode"] = json!("PROVISIONED"),
            "resource Table (AWS::DynamoDB::Table) changed",
        ),
        (
            "a new resource",
            |t| t["Resources"]["Queue"] = json!({"Type": "AWS::SQS::Queue"}),
            "resource Queue is added",
        ),
        (
            "the role",
            |t| t["Resources"]["Fn"]["Properties"]["Role"] = json!("arn:aws:iam::1:role/x"),
            "function Fn's property Role changed",
        ),
        (
            "an output",
            |t| t["Outputs"]["Other"] = json!({"Value": "x"}),
            "the template's Outputs changed",
        ),
        (
            "an attribute",
            |t| {
                t["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]["ARN"] =
                    json!({"Fn::GetAtt": ["Table", "Arn"]})
            },
            "function Fn's Environment: Fn::GetAtt cannot be resolved",
        ),
        (
            "a removed memory size",
            |t| {
                t["Resources"]["Fn"]["Properties"]
                    .as_object_mut()
                    .map(|p| p.remove("MemorySize"));
            },
            "function Fn's property MemorySize is removed",
        ),
        (
            "inline code",
            |t| t["Resources"]["Fn"]["Properties"]["Code"] = json!({"ZipFile": "print(1)"}),
            "function Fn's Code: names no S3 object",
        ),
        (
            "a DependsOn",
            |t| t["Resources"]["Fn"]["DependsOn"] = json!("Table"),
            "function Fn's DependsOn changed",
        ),
    ];
    for (what, edit, reason) in cases {
        let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
        let lambda = FakeLambda::new(&["Successful"]);
        let mut new = deployed();
        edit(&mut new);
        let got = run(&cfn, &lambda, &request(new))
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        match got {
            Attempt::Fallback(why) => assert!(why.contains(reason), "{what}: {why}"),
            other => panic!("{what}: expected a fallback, got {other:?}"),
        }
        assert!(lambda.calls().is_empty(), "{what}: {:?}", lambda.calls());
        assert!(cfn.write_calls().is_empty(), "{what}");
    }
}

#[tokio::test]
async fn the_stack_state_parameters_and_physical_id_decide_before_any_write() {
    let code_change =
        || edited(|t| t["Resources"]["Fn"]["Properties"]["Code"]["S3Key"] = json!("k2"));
    let lambda = FakeLambda::new(&["Successful"]);
    for (cfn, req, reason) in [
        (
            cfn_with(StackStatus::UpdateRollbackFailed, Some("p")),
            request(code_change()),
            "the stack is UPDATE_ROLLBACK_FAILED",
        ),
        (
            cfn_with(StackStatus::UpdateInProgress, Some("p")),
            request(code_change()),
            "the stack is UPDATE_IN_PROGRESS",
        ),
        (
            FakeCfn::new(vec![None]),
            request(code_change()),
            "does not exist yet",
        ),
        (
            cfn_with(StackStatus::UpdateComplete, None),
            request(code_change()),
            "function Fn has no physical ID",
        ),
        (
            cfn_with(StackStatus::UpdateComplete, Some("p")),
            request(deployed()),
            "nothing changed",
        ),
        (
            cfn_with(StackStatus::UpdateComplete, Some("p")),
            StackRequest {
                parameters: [("Stage".to_owned(), "prod".to_owned())]
                    .into_iter()
                    .collect(),
                ..request(code_change())
            },
            "the parameter Stage changes",
        ),
    ] {
        let got = run(&cfn, &lambda, &req)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            matches!(&got, Attempt::Fallback(w) if w.contains(reason)),
            "{reason}: {got:?}"
        );
    }
    assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
}

/// A change of the function's code and of its timeout: two updates, code first.
fn code_and_timeout() -> Value {
    edited(|t| {
        let p = &mut t["Resources"]["Fn"]["Properties"];
        p["Code"]["S3Key"] = json!("k2");
        p["Timeout"] = json!(30);
    })
}

#[tokio::test]
async fn a_failed_update_stops_with_the_functions_state_and_the_way_back() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let new = code_and_timeout();
    let lambda = FakeLambda::new(&["Successful"]).failing("UpdateFunctionConfiguration");
    let e = run(&cfn, &lambda, &request(new.clone()))
        .await
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    assert!(
        e.contains(
            "hotswap of function Fn (api-Fn-123) in api failed: UpdateFunctionConfiguration"
        ),
        "{e}"
    );
    assert!(e.contains("its new code is in place"), "{e}");
    assert!(
        e.contains("LastUpdateStatus Successful, CodeSha256 c2hh"),
        "{e}"
    );
    assert!(
        e.contains("run `nephos deploy api` (without --hotswap)"),
        "{e}"
    );

    let lambda = FakeLambda::new(&["InProgress", "Failed"]);
    let e = run(&cfn, &lambda, &request(new))
        .await
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    assert!(e.contains("after UpdateFunctionCode: Lambda reports the update of api-Fn-123 as Failed: the code is not a zip"), "{e}");
    assert!(
        !lambda
            .calls()
            .iter()
            .any(|c| c.starts_with("UpdateFunctionConfiguration")),
        "{:?}",
        lambda.calls()
    );
    assert!(cfn.write_calls().is_empty());
}

/// A Lambda where the user presses Ctrl-C while nephos waits on the `at`-th read of a
/// function's state (the read itself never answers, as a slow call would not).
struct CtrlCAtRead {
    inner: FakeLambda,
    interrupt: Interrupt,
    at: usize,
    reads: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl crate::cfn::lambda::Lambda for CtrlCAtRead {
    async fn update_function_code(
        &self,
        name: &str,
        code: &crate::cfn::lambda::CodeLocation,
    ) -> Result<(), crate::cfn::error::CfnError> {
        self.inner.update_function_code(name, code).await
    }

    async fn update_function_configuration(
        &self,
        name: &str,
        update: &crate::cfn::lambda::ConfigUpdate,
    ) -> Result<(), crate::cfn::error::CfnError> {
        self.inner.update_function_configuration(name, update).await
    }

    async fn function_state(
        &self,
        name: &str,
    ) -> Result<Option<crate::cfn::lambda::FunctionState>, crate::cfn::error::CfnError> {
        let n = self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if n == self.at {
            self.interrupt.trigger();
            std::future::pending::<()>().await;
        }
        self.inner.function_state(name).await
    }

    async fn drift_marker(
        &self,
        name: &str,
    ) -> Result<Option<String>, crate::cfn::error::CfnError> {
        self.inner.drift_marker(name).await
    }

    async fn set_drift_marker(
        &self,
        name: &str,
        value: Option<&str>,
    ) -> Result<(), crate::cfn::error::CfnError> {
        self.inner.set_drift_marker(name, value).await
    }
}

#[tokio::test]
async fn ctrl_c_during_a_hotswap_stops_waiting_at_once_and_says_each_functions_state() {
    // Three functions whose code changes; Ctrl-C while the second one's update is awaited.
    let mut old = deployed();
    let function = old["Resources"]["Fn"].clone();
    let resources = old["Resources"].as_object_mut().map(std::mem::take);
    let mut resources = resources.unwrap_or_default();
    resources.remove("Fn");
    for id in ["Fa", "Fb", "Fc"] {
        resources.insert(id.into(), function.clone());
    }
    old["Resources"] = Value::Object(resources);
    let mut new = old.clone();
    for id in ["Fa", "Fb", "Fc"] {
        new["Resources"][id]["Properties"]["Code"]["S3Key"] = json!("assets/bbb.zip");
    }
    let mut s = stack(StackStatus::UpdateComplete);
    if let Some(s) = s.as_mut() {
        s.parameters = vec![("Stage".into(), "dev".into())];
    }
    let cfn = FakeCfn::new(vec![s])
        .with_template(&old.to_string())
        .with_resources(vec![
            resource("Fa", Some("api-Fa-1"), "AWS::Lambda::Function"),
            resource("Fb", Some("api-Fb-2"), "AWS::Lambda::Function"),
            resource("Fc", Some("api-Fc-3"), "AWS::Lambda::Function"),
            resource("Role", Some("api-Role-1"), "AWS::IAM::Role"),
            resource("Table", Some("api-Table-9"), "AWS::DynamoDB::Table"),
        ]);
    let interrupt = Interrupt::new();
    let lambda = CtrlCAtRead {
        inner: FakeLambda::new(&["Successful"]),
        interrupt: interrupt.clone(),
        at: 1,
        reads: Default::default(),
    };
    let staging = FakeStaging::default();
    let b = HotswapBackends {
        cfn: &cfn,
        staging: &staging,
        lambda: &lambda,
    };
    let slow = Settle {
        every: Duration::from_secs(60),
        limit: Duration::from_secs(3600),
    };
    let got = tokio::time::timeout(
        Duration::from_secs(5),
        attempt(
            b,
            &RetryPolicy::IMMEDIATE,
            slow,
            &request(new),
            &interrupt,
            &|_| Ok(()),
        ),
    )
    .await
    .unwrap_or_else(|_| panic!("Ctrl-C did not stop the wait promptly"));
    let e = got.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.starts_with("hotswap of api interrupted: updated: Fa; in progress: Fb (UpdateFunctionCode sent, Lambda had not said it was applied; see `aws lambda get-function-configuration --function-name api-Fb-2`); not started: Fc."), "{e}");
    assert!(
        e.contains("run `nephos deploy api` (without --hotswap)"),
        "{e}"
    );
    let calls = lambda.inner.calls();
    assert!(
        !calls.iter().any(|c| c.contains("api-Fc-3")),
        "Fc was touched after Ctrl-C: {calls:?}"
    );
    assert!(cfn.write_calls().is_empty());
}

#[tokio::test]
async fn ctrl_c_before_the_first_update_changes_nothing() {
    let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
    let lambda = FakeLambda::new(&["Successful"]);
    let new = edited(|t| t["Resources"]["Fn"]["Properties"]["MemorySize"] = json!(256));
    let staging = FakeStaging::default();
    let b = HotswapBackends {
        cfn: &cfn,
        staging: &staging,
        lambda: &lambda,
    };
    let interrupt = Interrupt::new();
    interrupt.trigger();
    let e = attempt(
        b,
        &RetryPolicy::IMMEDIATE,
        NOW,
        &request(new),
        &interrupt,
        &|_| Ok(()),
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        e == "hotswap of api interrupted: not started: Fn. Nothing was changed",
        "{e}"
    );
    assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
}

/// The answers of Lambda and STS go through [`Checked`], as every real client does
/// (`aws::connect`): an answer outside what they ever say stops the hotswap before the
/// next write, and what is said of it holds no raw control character.
mod hostile_answers {
    use super::*;
    use crate::cfn::answers::Checked;
    use crate::cfn::lambda::{FunctionState, UpdateStatus};

    #[tokio::test]
    async fn a_function_state_lambda_never_answers_stops_before_the_next_update() {
        let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
        let lambda = FakeLambda::new(&["Successful"]);
        *lambda.states.lock().unwrap_or_else(|e| e.into_inner()) = [FunctionState {
            last_update: UpdateStatus::Successful,
            reason: None,
            code_sha256: Some("\u{1b}]0;pwned\u{7}".into()),
        }]
        .into();
        let checked = Checked(lambda);
        let staging = FakeStaging::default();
        let b = HotswapBackends {
            cfn: &cfn,
            staging: &staging,
            lambda: &checked,
        };
        let e = run_on(b, &request(code_and_timeout()))
            .await
            .err()
            .map(|e| e.0)
            .unwrap_or_default();
        assert!(
            e.contains(
                "GetFunctionConfiguration for api-Fn-123 answered what AWS never does: CodeSha256"
            ),
            "{e}"
        );
        assert!(!e.contains('\u{1b}'), "{e:?}");
        assert!(
            !checked
                .0
                .calls()
                .iter()
                .any(|c| c.starts_with("UpdateFunctionConfiguration")),
            "{:?}",
            checked.0.calls()
        );
        assert!(cfn.write_calls().is_empty());
    }

    #[tokio::test]
    async fn an_account_sts_never_answers_writes_nothing_to_lambda() {
        let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
        let lambda = FakeLambda::new(&["Successful"]);
        // STS answering an account that is no account ID.
        let staging = Checked(FakeStaging {
            account: Some("12345678901\u{1b}[2J".into()),
            ..FakeStaging::default()
        });
        let b = HotswapBackends {
            cfn: &cfn,
            staging: &staging,
            lambda: &lambda,
        };
        let got = run_on(b, &request(code_and_timeout())).await;
        let Ok(Attempt::Fallback(why)) = &got else {
            panic!("expected the normal deploy: {got:?}");
        };
        assert!(why.contains("not a 12-digit account ID"), "{why}");
        assert!(!why.contains('\u{1b}'), "{why:?}");
        assert!(lambda.calls().is_empty(), "{:?}", lambda.calls());
    }
}
