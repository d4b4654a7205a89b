//! `deploy --hotswap` end to end on the emulator: a change to a function's code and
//! environment is applied through the Lambda API with no stack update (the stack's
//! `LastUpdatedTime` and events stay as they were, the function's `CodeSha256` and
//! variables change); a change hotswap cannot make goes through CloudFormation.

mod common;

use std::time::Instant;

use common::{CODE_BUCKET, Moto, fixture_template, write_template};
use serde_json::Value;

const STACK: &str = "hotswap-e2e";

/// A zip holding one handler file, made with Python's zipfile (moto needs Python anyway).
fn zip_with(path: &std::path::Path, body: &str) {
    let status = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\nz.writestr('index.py', sys.argv[2])\nz.close()",
        ])
        .arg(path)
        .arg(body)
        .status()
        .expect("python3 runs");
    assert!(status.success());
}

struct Seen {
    updated: Option<String>,
    events: usize,
    sha: String,
    env: std::collections::HashMap<String, String>,
}

async fn seen(moto: &Moto, function: &str) -> Seen {
    let c = moto.clients().await;
    let stack = c
        .cfn
        .0
        .describe_stacks()
        .stack_name(STACK)
        .send()
        .await
        .unwrap();
    let stack = &stack.stacks()[0];
    let events = c
        .cfn
        .0
        .describe_stack_events()
        .stack_name(STACK)
        .send()
        .await
        .unwrap();
    let f = c
        .lambda
        .0
        .0
        .get_function_configuration()
        .function_name(function)
        .send()
        .await
        .unwrap();
    Seen {
        updated: stack.last_updated_time().map(|t| t.to_string()),
        events: events.stack_events().len(),
        sha: f.code_sha256().unwrap_or_default().to_owned(),
        env: f
            .environment()
            .and_then(|e| e.variables())
            .cloned()
            .unwrap_or_default(),
    }
}

#[tokio::test]
async fn hotswap_updates_the_function_through_lambda_without_a_stack_update() {
    let moto = Moto::start();
    moto.upload_handler_code().await;
    let v2 = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("hotswap-v2.zip");
    zip_with(&v2, "def handler(event, context):\n    return 'v2'\n");
    moto.put_object(CODE_BUCKET, "handler-v2.zip", std::fs::read(&v2).unwrap())
        .await;

    let base = fixture_template("users-api.json");
    let first = write_template("hotswap-v1.json", &base);
    moto.deploy_template(&first, STACK).await;
    let function = moto.physical_id(STACK, "Handler").await;
    let before = seen(&moto, &function).await;

    // New code (a literal key; the bucket stays a Ref to the deployed parameter) and a new
    // variable beside the one that refers to the table.
    let mut changed = base.clone();
    let handler = &mut changed["Resources"]["Handler"]["Properties"];
    handler["Code"]["S3Key"] = Value::from("handler-v2.zip");
    handler["Environment"]["Variables"]["MODE"] = Value::from("v2");
    let second = write_template("hotswap-v2.json", &changed);
    let start = Instant::now();
    let r = moto
        .nephos(&[
            "deploy",
            "--yes",
            "--hotswap",
            "--template",
            &second,
            "--stack-name",
            STACK,
        ])
        .await
        .expect(0);
    let took = start.elapsed();
    eprintln!(
        "hotswap deploy on moto: {:.3} s (command wall time)",
        took.as_secs_f64()
    );
    let all = format!("{}{}", r.out, r.err);
    assert!(all.contains("hotswapped 1 function in"), "{all}");
    assert!(all.contains("Handler (Code, Environment)"), "{all}");
    assert!(all.contains("The stack has drifted"), "{all}");
    assert!(
        all.contains("without --hotswap) to put the template back on them"),
        "{all}"
    );
    // The change itself is shown, old -> new.
    assert!(all.contains(r#"Handler.Environment: {"Variables":{"TABLE":{"Ref":"UsersTable"}}} -> {"Variables":{"MODE":"v2""#), "{all}");
    assert!(
        !all.contains("--hotswap --"),
        "the next step carries --hotswap: {all}"
    );

    let after = seen(&moto, &function).await;
    assert_eq!(after.updated, before.updated, "the stack was updated");
    assert_eq!(after.events, before.events, "the stack has new events");
    assert_ne!(after.sha, before.sha, "the code did not change");
    assert_eq!(after.env.get("MODE").map(String::as_str), Some("v2"));
    assert_eq!(after.env.get("TABLE"), before.env.get("TABLE"));
    assert!(before.env.get("TABLE").is_some_and(|t| !t.is_empty()));

    // The template deployed through CloudFormation is the first one, yet the function runs
    // other code: diff says so (exit 2) instead of "no changes" (atk15 B).
    let r = moto
        .nephos(&["diff", "--template", &first, "--stack-name", STACK])
        .await
        .expect(2);
    assert!(
        r.out
            .contains("drifted from its deployed template by a hotswap")
            && r.out.contains("~ Handler (")
            && r.out.contains("Code, Environment hotswapped"),
        "{}",
        r.out
    );
    let r = moto
        .nephos(&[
            "diff",
            "--template",
            &first,
            "--stack-name",
            STACK,
            "--output",
            "json",
        ])
        .await
        .expect(2);
    let v: Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["changes"], true, "{}", r.out);
    assert_eq!(
        v["stacks"][0]["hotswapped"][0]["logicalId"], "Handler",
        "{}",
        r.out
    );

    // atk15b 7: the code edit reverted and another change made, hotswapped again. The
    // templates differ only in the variable, yet the function ends on the new template's
    // code too, and the review says so.
    let mut reverted = base.clone();
    reverted["Resources"]["Handler"]["Properties"]["Environment"]["Variables"]["FOO"] =
        Value::from("bar");
    let fourth = write_template("hotswap-v1-foo.json", &reverted);
    let r = moto
        .nephos(&[
            "deploy",
            "--yes",
            "--hotswap",
            "--template",
            &fourth,
            "--stack-name",
            STACK,
        ])
        .await
        .expect(0);
    let all = format!("{}{}", r.out, r.err);
    assert!(all.contains("Handler (Code, Environment)"), "{all}");
    assert!(
        all.contains("Handler.Code: (hotswapped earlier) -> "),
        "{all}"
    );
    let mixed = seen(&moto, &function).await;
    assert_eq!(
        mixed.sha, before.sha,
        "the reverted code stayed live: {all}"
    );
    assert_eq!(mixed.env.get("FOO").map(String::as_str), Some("bar"));
    assert_eq!(mixed.env.get("MODE"), None, "{all}");
    assert_eq!(mixed.updated, before.updated, "the stack was updated");

    // Undoing the edit: CloudFormation sees no change, yet the deploy without --hotswap
    // puts the template's code and environment back through Lambda (issue 15, F1).
    let r = moto
        .nephos(&[
            "deploy",
            "--yes",
            "--template",
            &first,
            "--stack-name",
            STACK,
        ])
        .await
        .expect(0);
    let all = format!("{}{}", r.out, r.err);
    assert!(
        all.contains(
            "Handler was hotswapped earlier: Code, Environment restored from the template"
        ),
        "{all}"
    );
    let undone = seen(&moto, &function).await;
    assert_eq!(undone.sha, before.sha, "the hotswapped code stayed: {all}");
    assert_eq!(undone.env.get("MODE"), None, "{all}");
    assert_eq!(undone.updated, before.updated, "{all}");
    // In line again: the next deploy restores nothing.
    let r = moto
        .nephos(&[
            "deploy",
            "--yes",
            "--template",
            &first,
            "--stack-name",
            STACK,
        ])
        .await
        .expect(0);
    assert!(!format!("{}{}", r.out, r.err).contains("hotswapped earlier"));
    // And diff is quiet again.
    moto.nephos(&["diff", "--template", &first, "--stack-name", STACK])
        .await
        .expect(0);

    // A change hotswap cannot make (the template's description) goes through CloudFormation
    // and reconciles the stack with the new code.
    changed["Description"] = Value::from("users-api, second version");
    let third = write_template("hotswap-v3.json", &changed);
    let r = moto
        .nephos(&[
            "deploy",
            "--yes",
            "--hotswap",
            "--template",
            &third,
            "--stack-name",
            STACK,
        ])
        .await
        .expect(0);
    let all = format!("{}{}", r.out, r.err);
    assert!(
        all.contains("hotswap not possible (the template's Description changed): deploying through CloudFormation"),
        "{all}"
    );
    let last = seen(&moto, &function).await;
    assert!(last.events > after.events, "no stack update: {all}");
}
