//! What a new user meets first, over the scripted fakes (issue 15): `nephos status` says
//! when a hotswap left the stack's functions out of line with its template (and fails
//! closed when the markers cannot be read); `nephos bootstrap` says when the staging
//! bucket's name is taken by another account.

use super::tests_support::{NoIam, context};

use super::status::{StatusArgs, run};
use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::model::StackResource;
use crate::cfn::status::{ResourceStatus, StackStatus};
use crate::context::Backends;
use crate::deploy::fake::{FakeCfn, FakeStaging, stack};
use crate::hotswap::fake::FakeLambda;
use crate::output::Format;

fn function(logical: &str, physical: &str) -> StackResource {
    StackResource {
        logical_id: logical.into(),
        physical_id: Some(physical.into()),
        resource_type: "AWS::Lambda::Function".into(),
        status: ResourceStatus::UpdateComplete,
    }
}

/// `nephos status api` over the fakes: (exit code, stdout).
async fn status(lambda: &FakeLambda, format: Format) -> (i32, String) {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)]).with_resources(vec![
        function("Handler", "api-Handler-1"),
        function("Worker", "api-Worker-1"),
    ]);
    let staging = FakeStaging::default();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let backends = Backends {
        cfn: &fake,
        staging: &staging,
        iam: &NoIam,
    };
    let code = {
        let mut ctx = context(&mut out, &mut err, backends);
        let args = StatusArgs {
            stack: "api".into(),
            events: 10,
            wait: false,
        };
        run(&args, format, &mut ctx, backends, Some(lambda))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    (code, String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test]
async fn a_hotswapped_function_is_shown_as_drift_with_the_deploy_that_reconciles_it() {
    let lambda = FakeLambda::new(&[]);
    let (code, out) = status(&lambda, Format::Text).await;
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("hotswap"), "no marker, no drift: {out}");

    lambda
        .markers
        .lock()
        .unwrap()
        .insert("api-Worker-1".into(), "Code Environment".into());
    let (code, out) = status(&lambda, Format::Text).await;
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("api: drifted from its deployed template by a hotswap")
            && out.contains("~ Worker (api-Worker-1): Code, Environment hotswapped")
            && out.contains("`nephos deploy api` (without --hotswap)"),
        "{out}"
    );
    assert!(!out.contains("Handler (api-Handler-1)"), "{out}");

    let (_, out) = status(&lambda, Format::Json).await;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["hotswapped"]["functions"][0]["logicalId"], "Worker",
        "{v}"
    );
    assert_eq!(
        v["hotswapped"]["functions"][0]["properties"],
        serde_json::json!(["Code", "Environment"])
    );
}

#[tokio::test]
async fn markers_that_cannot_be_read_are_said_and_the_status_fails() {
    let lambda = FakeLambda::new(&[]).failing_with(
        "GetFunction",
        CfnError::new(ErrorKind::AccessDenied, "not authorized to GetFunction"),
    );
    let (code, out) = status(&lambda, Format::Text).await;
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("whether a hotswap changed its functions is not known")
            && out.contains("lambda:GetFunction"),
        "{out}"
    );
    let (code, out) = status(&lambda, Format::Json).await;
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["hotswapped"]["functions"].is_null(), "{v}");
    assert!(
        v["hotswapped"]["unknown"]
            .as_str()
            .unwrap()
            .contains("GetFunction"),
        "{v}"
    );
}

/// Issue 15: a staging bucket name owned by another account (S3's 403 to this account as
/// the expected owner) failed the bootstrap stack after CloudFormation created it, with
/// CloudFormation's "already exists". It is refused first, saying why and what to do.
#[tokio::test]
async fn bootstrap_refuses_a_bucket_name_owned_elsewhere_before_creating_anything() {
    let fake = FakeCfn::new(vec![None]);
    let staging = FakeStaging {
        bucket: Some(Err(CfnError::new(ErrorKind::AccessDenied, "Forbidden"))),
        ..FakeStaging::default()
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let backends = Backends {
        cfn: &fake,
        staging: &staging,
        iam: &NoIam,
    };
    let args = crate::commands::bootstrap::BootstrapArgs {
        stack_name: "nephos-bootstrap".into(),
        role: false,
        role_policies: Vec::new(),
        yes: true,
    };
    let e = {
        let mut ctx = context(&mut out, &mut err, backends);
        crate::commands::bootstrap::run(&args, Format::Text, &mut ctx, backends)
            .await
            .expect_err("bootstrapped")
    };
    let text = e.to_string();
    assert!(
        text.contains("the staging bucket name nephos-staging-123456789012-")
            && text.contains("is taken")
            && text.contains("another account owns"),
        "{text}"
    );
    let next = e.next_step().unwrap_or_default();
    assert!(
        next.contains("no option for another name") && next.contains("another region"),
        "{next}"
    );
    assert_eq!(
        fake.write_calls(),
        Vec::<String>::new(),
        "nothing was created"
    );
}
