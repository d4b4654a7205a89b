//! End to end against moto: the review tells the whole truth.
//!
//! - A DynamoDB table's `KeySchema` change (a replacement only the AWS service spec knows;
//!   the registry schema does not list it as create-only) is marked as a replacement by
//!   `nephos diff` and refused by `nephos deploy`, with and without `--method direct`; the
//!   table and its items are still there afterwards.
//! - A parameter change (`--parameter Env=prod`) is a change: `diff` shows it and exits 2,
//!   and when it flows into a queue's name it is refused as a replacement.
//! - `"5"` and `5` are the same value: no changes, exit 0.
//!
//! The items are written and read with the AWS CLI of the project venv (moto's own).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Moto, root};
use serde_json::{Value, json};

/// Writes `template` to a file of its own; returns its path.
fn write(name: &str, template: &Value) -> String {
    let dir = std::env::temp_dir().join(format!("nephos-e2e-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path: PathBuf = dir.join(format!("{name}.json"));
    std::fs::write(&path, template.to_string()).expect("template written");
    path.to_string_lossy().into_owned()
}

fn table(key: &str) -> Value {
    json!({"Resources": {"Users": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": "e2e-review-users",
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}]}}}})
}

/// Runs the venv's AWS CLI against moto; returns its parsed JSON output.
fn aws(moto: &Moto, args: &[&str]) -> Value {
    let out = Command::new(root().join(".venv/bin/aws"))
        .args([
            "--endpoint-url",
            &moto.endpoint,
            "--region",
            "us-east-1",
            "--output",
            "json",
        ])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1")
        .output()
        .expect("the venv's aws CLI runs");
    assert!(
        out.status.success(),
        "aws {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn args<'a>(cmd: &[&'a str], template: &'a str, stack: &'a str) -> Vec<&'a str> {
    let mut a = cmd.to_vec();
    a.extend(["--template", template, "--stack-name", stack]);
    a
}

#[tokio::test]
async fn a_key_schema_change_is_a_replacement_refused_with_and_without_change_sets() {
    let moto = Moto::start();
    let (before, after) = (
        write("keys-before", &table("user_id")),
        write("keys-after", &table("id")),
    );
    let stack = "e2e-review-keys";
    moto.nephos(&args(&["deploy", "--yes"], &before, stack))
        .await
        .expect(0);
    aws(
        &moto,
        &[
            "dynamodb",
            "put-item",
            "--table-name",
            "e2e-review-users",
            "--item",
            r#"{"user_id": {"S": "u1"}}"#,
        ],
    );

    let r = moto.nephos(&args(&["diff"], &after, stack)).await.expect(2);
    assert!(
        r.out
            .contains("[~] AWS::DynamoDB::Table Users (requires replacement)"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("KeySchema forces a new resource"),
        "{}",
        r.out
    );
    assert!(r.out.contains("1 to replace"), "{}", r.out);
    let r = moto
        .nephos(&args(&["--output", "json", "diff"], &after, stack))
        .await
        .expect(2);
    let doc: Value = serde_json::from_str(&r.out).expect("diff JSON");
    assert_eq!(
        doc["stacks"][0]["diff"]["resources"][0]["action"],
        json!("replace"),
        "{}",
        r.out
    );
    assert_eq!(
        doc["stacks"][0]["summary"]["replaced"],
        json!(1),
        "{}",
        r.out
    );

    for method in [&[][..], &["--method", "direct"][..]] {
        let mut cmd = vec!["deploy", "--yes"];
        cmd.extend_from_slice(method);
        let r = moto.nephos(&args(&cmd, &after, stack)).await.expect(1);
        assert!(
            r.out.contains("refused: these changes would lose data"),
            "{method:?}: {}",
            r.out
        );
        assert!(
            r.out
                .contains("Users (AWS::DynamoDB::Table) would be replaced: KeySchema"),
            "{method:?}: {}",
            r.out
        );
    }

    let described = aws(
        &moto,
        &[
            "dynamodb",
            "describe-table",
            "--table-name",
            "e2e-review-users",
        ],
    );
    assert_eq!(
        described["Table"]["KeySchema"][0]["AttributeName"],
        json!("user_id")
    );
    let items = aws(
        &moto,
        &["dynamodb", "scan", "--table-name", "e2e-review-users"],
    );
    assert_eq!(items["Count"], json!(1), "{items}");
    assert_eq!(items["Items"][0]["user_id"]["S"], json!("u1"));
}

#[tokio::test]
async fn a_parameter_change_is_reviewed_and_a_replacement_it_causes_is_refused() {
    let moto = Moto::start();
    let t = write(
        "param",
        &json!({
            "Parameters": {"Env": {"Type": "String"}},
            "Resources": {"Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "q-${Env}"}}}}
        }),
    );
    let stack = "e2e-review-param";
    let dev = ["--parameter", "Env=dev"];
    let prod = ["--parameter", "Env=prod"];
    moto.nephos(&args(
        &["deploy", "--yes", "--method", "direct", dev[0], dev[1]],
        &t,
        stack,
    ))
    .await
    .expect(0);

    moto.nephos(&args(&["diff", dev[0], dev[1]], &t, stack))
        .await
        .expect(0);
    let r = moto
        .nephos(&args(&["diff", prod[0], prod[1]], &t, stack))
        .await
        .expect(2);
    assert!(r.out.contains("[~] Env: dev → prod"), "{}", r.out);
    assert!(
        r.out
            .contains("QueueName: q-dev → q-prod (requires replacement)"),
        "{}",
        r.out
    );
    assert!(r.out.contains("1 parameter changed"), "{}", r.out);
    let r = moto
        .nephos(&args(
            &["--output", "json", "diff", prod[0], prod[1]],
            &t,
            stack,
        ))
        .await
        .expect(2);
    let doc: Value = serde_json::from_str(&r.out).expect("diff JSON");
    assert_eq!(doc["changes"], json!(true));
    assert_eq!(
        doc["stacks"][0]["diff"]["parameters"][0],
        json!({"name": "Env", "kind": "modified", "old": "dev", "new": "prod"})
    );

    let r = moto
        .nephos(&args(
            &["deploy", "--yes", "--method", "direct", prod[0], prod[1]],
            &t,
            stack,
        ))
        .await
        .expect(1);
    assert!(
        r.out
            .contains("Jobs (AWS::SQS::Queue) would be replaced: QueueName"),
        "{}",
        r.out
    );
    let params = aws(
        &moto,
        &["cloudformation", "describe-stacks", "--stack-name", stack],
    );
    assert_eq!(
        params["Stacks"][0]["Parameters"][0]["ParameterValue"],
        json!("dev"),
        "the stack was not updated"
    );
}

#[tokio::test]
async fn a_number_written_as_a_string_is_no_change() {
    let moto = Moto::start();
    let q = |delay: Value| json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": delay, "VisibilityTimeout": 30}}}});
    let (v1, v2) = (write("num", &q(json!(5))), write("text", &q(json!("5"))));
    let stack = "e2e-review-text";
    moto.nephos(&args(
        &["deploy", "--yes", "--method", "direct"],
        &v1,
        stack,
    ))
    .await
    .expect(0);
    let r = moto.nephos(&args(&["diff"], &v2, stack)).await.expect(0);
    assert!(r.out.contains("no changes"), "{}", r.out);
}
