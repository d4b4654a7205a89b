//! The hostile corpus of issue 9 (sections 1, 2 and 6) end to end, against moto where moto
//! can show the situation (the rest is in `deployer/src/deploy/tests/hostile.rs`, through
//! the seam). Each case asserts the exit code, the message's key words and, where data is
//! involved, that the bucket is still there afterwards (S3 `HeadBucket` and the stack's
//! resources).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::Moto;
use nephos_cli::cfn::seam::{CloudFormation, Staging};
use nephos_cli::cfn::status::StackStatus;
use serde_json::{Value, json};

/// Writes `body` to a file of its own; returns its path.
fn file(name: &str, body: &str) -> String {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("nephos-hostile-data-loss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, body).expect("template written");
    path.to_string_lossy().into_owned()
}

/// A template with the bucket `bucket` (logical ID `Ledger`) and a queue.
fn with_bucket(bucket: &str) -> Value {
    json!({"Resources": {
        "Ledger": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": bucket}},
        "Q": {"Type": "AWS::SQS::Queue"}}})
}

/// The same stack without the bucket.
fn without_bucket() -> Value {
    json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}})
}

async fn run(moto: &Moto, args: &[&str]) -> common::Run {
    moto.nephos(args).await
}

/// Asserts the bucket still exists, in S3 and in the stack.
async fn bucket_survives(moto: &Moto, stack: &str, bucket: &str) {
    let c = moto.clients().await;
    assert_eq!(
        c.staging.bucket_exists(bucket).await.ok(),
        Some(true),
        "bucket {bucket} is gone"
    );
    let resources = c.cfn.stack_resources(stack).await.expect("stack resources");
    assert!(
        resources.iter().any(|r| r.logical_id == "Ledger"),
        "{resources:?}"
    );
}

fn says(r: &common::Run, words: &[&str]) {
    let all = format!("{}\n{}", r.out, r.err);
    for w in words {
        assert!(all.contains(w), "{w:?} not in:\n{all}");
    }
}

/// Case 28: a stack deployed by another tool with a template nephos may not read (a YAML
/// integer wider than 64 bits, which CloudFormation accepts). `deploy` and `destroy` stop;
/// the bucket stays. If the readers learn to read it, the removal itself is refused: the
/// bucket stays either way, which is what is asserted first.
#[tokio::test]
async fn a_stack_whose_template_nephos_may_not_read_keeps_its_bucket() {
    let moto = Moto::start();
    let stack = "s-oob";
    let yaml = "Resources:\n  Ledger:\n    Type: AWS::S3::Bucket\n    Metadata:\n      Build: 123456789012345678901234567890\n    Properties:\n      BucketName: ledger-oob\n";
    let c = moto.clients().await;
    c.cfn
        .0
        .create_stack()
        .stack_name(stack)
        .template_body(yaml)
        .send()
        .await
        .expect("CreateStack by another tool");
    let new = file("oob-new.json", &without_bucket().to_string());
    for method in ["change-set", "direct"] {
        let r = run(
            &moto,
            &[
                "deploy",
                "--template",
                &new,
                "--stack-name",
                stack,
                "--yes",
                "--method",
                method,
            ],
        )
        .await
        .expect(1);
        bucket_survives(&moto, stack, "ledger-oob").await;
        let all = format!("{}{}", r.out, r.err);
        assert!(
            all.contains("cannot read the deployed template")
                || all.contains("Ledger (AWS::S3::Bucket) would be removed"),
            "{method}: {all}"
        );
        says(&r, &["--allow-data-loss"]);
    }
    let r = run(&moto, &["destroy", stack, "--yes"]).await;
    if r.out.contains("cannot read the deployed template") {
        assert_eq!(r.code, 1);
        says(&r, &["--allow-data-loss"]);
        bucket_survives(&moto, stack, "ledger-oob").await;
    }
}

/// A bucket removed from the template, a condition newly placed on it, both with
/// `--method direct` (the offline review only): refused, the bucket stays; the stack
/// policy set during a change-set deploy is put back to the stack's own afterwards.
#[tokio::test]
async fn removals_and_possible_removals_of_a_bucket_are_refused_and_policies_restored() {
    let moto = Moto::start();
    let stack = "s-cond";
    let v0 = file("cond-v0.json", &with_bucket("ledger-cond").to_string());
    run(
        &moto,
        &[
            "deploy",
            "--template",
            &v0,
            "--stack-name",
            stack,
            "--yes",
            "--method",
            "direct",
        ],
    )
    .await
    .expect(0);

    let gone = file("cond-gone.json", &without_bucket().to_string());
    let r = run(
        &moto,
        &[
            "deploy",
            "--template",
            &gone,
            "--stack-name",
            stack,
            "--yes",
            "--method",
            "direct",
        ],
    )
    .await
    .expect(1);
    says(
        &r,
        &[
            "Ledger (AWS::S3::Bucket) would be removed",
            "--allow-replace Ledger",
        ],
    );
    bucket_survives(&moto, stack, "ledger-cond").await;

    let mut cond = with_bucket("ledger-cond");
    cond["Conditions"] = json!({"Never": {"Fn::Equals": ["a", "b"]}});
    cond["Resources"]["Ledger"]["Condition"] = json!("Never");
    let cond = file("cond-never.json", &cond.to_string());
    let r = run(
        &moto,
        &[
            "deploy",
            "--template",
            &cond,
            "--stack-name",
            stack,
            "--yes",
            "--method",
            "direct",
        ],
    )
    .await
    .expect(1);
    says(&r, &["Ledger", "would be removed"]);
    bucket_survives(&moto, stack, "ledger-cond").await;

    // A change-set deploy that keeps the bucket: nephos's denials are set for the update and
    // the stack's own policy (none: allow-all) is put back.
    let mut v1 = with_bucket("ledger-cond");
    v1["Resources"]["T"] = json!({"Type": "AWS::SNS::Topic"});
    let v1 = file("cond-v1.json", &v1.to_string());
    // moto's change sets never say Replacement, so its Modify of the queue counts as a
    // possible replacement (the gate does not trust the offline in-place prediction):
    // allowed here, the bucket stays denied.
    run(
        &moto,
        &[
            "deploy",
            "--template",
            &v1,
            "--stack-name",
            stack,
            "--yes",
            "--allow-replace",
            "Q",
        ],
    )
    .await
    .expect(0);
    let c = moto.clients().await;
    let policy = c.cfn.get_stack_policy(stack).await.expect("GetStackPolicy");
    let doc: Value = serde_json::from_str(policy.as_deref().unwrap_or("null")).expect("policy");
    assert_eq!(
        doc,
        json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "Update:*", "Resource": "*"}]})
    );
    bucket_survives(&moto, stack, "ledger-cond").await;
}

/// Case 09: for a new stack, `deploy --no-execute` then `deploy --change-set NAME` creates
/// it; `diff --change-set` on a stack left for review leaves that review alone.
#[tokio::test]
async fn the_review_flow_of_a_new_stack_works_and_pending_reviews_are_kept() {
    let moto = Moto::start();
    let ok = file("review.json", &with_bucket("ledger-review").to_string());
    let r = run(
        &moto,
        &[
            "deploy",
            "--template",
            &ok,
            "--stack-name",
            "s-review",
            "--no-execute",
        ],
    )
    .await
    .expect(0);
    let name = r
        .out
        .split("--change-set ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| c.is_whitespace() || c == '`').next())
        .unwrap_or_else(|| panic!("no change set name in:\n{}", r.out))
        .to_owned();
    run(
        &moto,
        &[
            "deploy",
            "--template",
            &ok,
            "--stack-name",
            "s-review",
            "--change-set",
            &name,
            "--yes",
        ],
    )
    .await
    .expect(0);
    let c = moto.clients().await;
    let s = c
        .cfn
        .describe_stack("s-review")
        .await
        .expect("DescribeStacks");
    assert_eq!(s.map(|s| s.status), Some(StackStatus::CreateComplete));
    assert_eq!(
        c.staging.bucket_exists("ledger-review").await.ok(),
        Some(true)
    );

    // Someone's review left pending: a plain deploy refuses to delete it, and so does diff.
    run(
        &moto,
        &[
            "deploy",
            "--template",
            &ok,
            "--stack-name",
            "s-review2",
            "--no-execute",
        ],
    )
    .await
    .expect(0);
    let r = run(
        &moto,
        &[
            "deploy",
            "--template",
            &ok,
            "--stack-name",
            "s-review2",
            "--yes",
        ],
    )
    .await
    .expect(1);
    says(&r, &["waiting for review", "--change-set"]);
    let _ = run(
        &moto,
        &[
            "diff",
            "--template",
            &ok,
            "--stack-name",
            "s-review2",
            "--change-set",
        ],
    )
    .await;
    let pending = c
        .cfn
        .list_change_sets("s-review2")
        .await
        .expect("ListChangeSets");
    assert!(!pending.is_empty(), "the pending review was deleted");
    assert!(
        c.cfn
            .describe_stack("s-review2")
            .await
            .expect("DescribeStacks")
            .is_some(),
        "the stack under review was deleted"
    );

    // The refusal's next step for a stack in review is `nephos destroy`: it works as
    // printed, without --allow-data-loss (a stack in review holds no resources).
    says(
        &r,
        &["`nephos destroy --template ", "--stack-name s-review2`"],
    );
    let r = run(&moto, &["destroy", "s-review2", "--yes"])
        .await
        .expect(0);
    says(
        &r,
        &[StackStatus::ReviewInProgress.as_str(), "holds no resources"],
    );
    assert!(
        c.cfn
            .describe_stack("s-review2")
            .await
            .expect("DescribeStacks")
            .is_none_or(|s| s.status == StackStatus::DeleteComplete),
        "the stack in review was not deleted"
    );

    // A reviewed change set that does not exist: said so, with how to find or make one,
    // and nothing executed.
    let r = run(
        &moto,
        &[
            "deploy",
            "--template",
            &ok,
            "--stack-name",
            "s-review",
            "--change-set",
            "nosuch",
            "--yes",
        ],
    )
    .await
    .expect(1);
    says(
        &r,
        &[
            "change set nosuch does not exist",
            "list-change-sets --stack-name s-review",
            "nephos deploy --no-execute",
        ],
    );
}

/// Case 07: an undeclared `--parameter` key is an error, unless explicitly ignored.
#[tokio::test]
async fn an_undeclared_parameter_is_an_error_unless_ignored() {
    let moto = Moto::start();
    let t = json!({"Parameters": {"Environment": {"Type": "String", "Default": "dev"}},
        "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
    let t = file("params.json", &t.to_string());
    let base = [
        "deploy",
        "--template",
        &t,
        "--stack-name",
        "s-params",
        "--yes",
    ];
    let r = run(
        &moto,
        &[&base[..], &["--parameter", "environment=prod"]].concat(),
    )
    .await
    .expect(1);
    says(
        &r,
        &[
            "environment (did you mean Environment?)",
            "--ignore-unknown-params",
        ],
    );
    let c = moto.clients().await;
    assert!(
        c.cfn
            .describe_stack("s-params")
            .await
            .expect("DescribeStacks")
            .is_none(),
        "nothing was deployed"
    );
    let r = run(
        &moto,
        &[
            &base[..],
            &["--parameter", "environment=prod", "--ignore-unknown-params"],
        ]
        .concat(),
    )
    .await
    .expect(0);
    says(&r, &["--parameter environment ignored"]);
}

fn nephos_bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nephos"));
    c.env_clear()
        .env("HOME", "/nonexistent")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    c
}

/// Case 08 and its kin: contradicting flags are errors before anything is read or called.
#[test]
fn contradicting_flags_are_errors() {
    let t = file("flags.json", &without_bucket().to_string());
    let cases: [(&[&str], i32, &str); 4] = [
        (
            &["--no-execute", "--change-set", "cs"],
            1,
            "cannot be used with",
        ),
        (&["--change-set", "cs", "--force"], 1, "cannot be used with"),
        (
            &["--no-execute", "--method", "direct"],
            1,
            "--no-execute cannot be used with --method direct",
        ),
        (
            &["--change-set", "cs", "--method", "direct"],
            1,
            "--change-set cannot be used with --method direct",
        ),
    ];
    for (flags, code, words) in cases {
        let out = nephos_bin()
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            // Nothing may be called: an endpoint that refuses connections would show it.
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .args(["deploy", "--template", &t, "--stack-name", "s-flags"])
            .args(flags)
            .output()
            .expect("nephos runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{flags:?}: {err}");
        assert!(err.contains(words), "{flags:?}: {err}");
    }
}
