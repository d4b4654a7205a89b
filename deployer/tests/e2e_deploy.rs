//! End to end against moto: the users-api stack's whole life through `nephos`.

mod common;

use common::{Moto, fixture};
use nephos_cli::cfn::status::StackStatus;
use serde_json::Value;

#[tokio::test]
async fn users_api_deploys_diffs_updates_and_is_destroyed() {
    let moto = Moto::start();
    moto.upload_handler_code().await;
    let v1 = fixture("users-api.json");
    let v2 = fixture("users-api-v2.json");
    let src = |t: &str| {
        [
            "--template".to_string(),
            t.to_string(),
            "--stack-name".into(),
            "users-api".into(),
        ]
    };

    // A stack that does not exist diffs as all-added, exit 2.
    let s = src(&v1);
    let args: Vec<&str> = ["diff"]
        .into_iter()
        .chain(s.iter().map(String::as_str))
        .collect();
    let r = moto.nephos(&args).await.expect(2);
    assert!(r.out.contains("Stack users-api (new stack)"), "{}", r.out);
    assert!(
        r.out.contains(
            "Summary: 6 to add, 0 to update in place, 0 to replace, 0 may be replaced, 0 to remove"
        ),
        "{}",
        r.out
    );

    // Deploy it; the resources exist.
    let args: Vec<&str> = ["deploy", "--yes"]
        .into_iter()
        .chain(s.iter().map(String::as_str))
        .collect();
    let r = moto.nephos(&args).await.expect(0);
    assert!(r.out.contains("✓ users-api: CREATE_COMPLETE"), "{}", r.out);
    assert!(r.out.contains("Capabilities: CAPABILITY_IAM"), "{}", r.out);
    let c = moto.clients().await;
    let res = c
        .cfn
        .0
        .describe_stack_resources()
        .stack_name("users-api")
        .send()
        .await
        .expect("resources");
    let mut types: Vec<_> = res
        .stack_resources()
        .iter()
        .filter_map(|r| r.resource_type())
        .collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "AWS::DynamoDB::Table",
            "AWS::IAM::Role",
            "AWS::Lambda::EventSourceMapping",
            "AWS::Lambda::Function",
            "AWS::Logs::LogGroup",
            "AWS::SQS::Queue"
        ]
    );
    let role = res
        .stack_resources()
        .iter()
        .find(|r| r.logical_resource_id() == Some("HandlerRole"))
        .and_then(|r| r.physical_resource_id())
        .expect("role physical id")
        .to_owned();
    let got = c
        .iam
        .0
        .0
        .get_role()
        .role_name(&role)
        .send()
        .await
        .expect("the role exists in IAM");
    assert!(got.role().is_some());

    // Deploying the same template again is a no-op decided locally: no change set.
    let r = moto.nephos(&args).await.expect(0);
    assert!(
        r.out
            .contains("no changes (template, parameters and tags unchanged; nothing sent)"),
        "{}",
        r.out
    );
    // Forced: moto refuses CreateChangeSet as there is nothing to change, so no change set
    // was made and none is called deleted (AWS makes one that fails, which is deleted).
    let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
    let r = moto.nephos(&forced).await.expect(0);
    assert!(
        r.out
            .contains("no changes (CloudFormation found nothing to change)")
            || r.out
                .contains("no changes (the empty change set was deleted)"),
        "{}",
        r.out
    );
    assert_eq!(moto.pending_change_sets("users-api").await, 0);

    // The diff of v2 shows exactly the memory change, also when reconciled with a change set.
    let s2 = src(&v2);
    let diff2: Vec<&str> = ["diff"]
        .into_iter()
        .chain(s2.iter().map(String::as_str))
        .collect();
    let r = moto.nephos(&diff2).await.expect(2);
    let expected = "Target: account 123456789012, region us-east-1\nStack users-api\nResources\n[~] AWS::Lambda::Function Handler";
    assert!(r.out.starts_with(expected), "{}", r.out);
    assert!(r.out.contains(" └─ [~] MemorySize: 128 → 256"), "{}", r.out);
    assert!(
        r.out
            .contains("Summary: 0 to add, 1 to update in place, 0 to replace"),
        "{}",
        r.out
    );
    assert_eq!(
        r.out.matches("[~]").count(),
        2,
        "only the function and its property: {}",
        r.out
    );
    let with_cs: Vec<&str> = diff2
        .iter()
        .copied()
        .chain(["--change-set", "--output", "json"])
        .collect();
    let r = moto.nephos(&with_cs).await.expect(2);
    let json: Value = serde_json::from_str(&r.out).expect("diff JSON");
    assert_eq!(json["changes"], true);
    let resources = &json["stacks"][0]["diff"]["resources"];
    assert_eq!(resources.as_array().map(Vec::len), Some(1), "{}", r.out);
    assert_eq!(resources[0]["logicalId"], "Handler");
    assert_eq!(resources[0]["properties"][0]["path"], "MemorySize");
    assert_eq!(
        json["stacks"][0]["diff"]["changeSet"][0]["action"],
        "Modify"
    );
    assert_eq!(
        moto.pending_change_sets("users-api").await,
        0,
        "diff --change-set leaves no change set"
    );

    // Deploy the update; then the diff is empty.
    let deploy2: Vec<&str> = ["deploy", "--yes"]
        .into_iter()
        .chain(s2.iter().map(String::as_str))
        .collect();
    let r = moto.nephos(&deploy2).await.expect(0);
    assert!(r.out.contains("✓ users-api: UPDATE_COMPLETE"), "{}", r.out);
    moto.nephos(&diff2).await.expect(0);
    // moto never publishes the outputs of a stack deployed through change sets (its
    // ExecuteChangeSet does not rebuild them), so only the command's shape is checked here;
    // `e2e_two_stacks` reads the real outputs of a stack moto created directly.
    let r = moto
        .nephos(&["outputs", "users-api", "--output", "json"])
        .await
        .expect(0);
    let outputs: Value = serde_json::from_str(&r.out).expect("outputs JSON");
    assert!(outputs.is_object(), "{}", r.out);
    let r = moto.nephos(&["status", "users-api"]).await.expect(0);
    assert!(r.out.starts_with("users-api: UPDATE_COMPLETE"), "{}", r.out);
    let r = moto.nephos(&["list"]).await.expect(0);
    assert!(r.out.contains("users-api"), "{}", r.out);

    // Destroy needs confirmation; with --yes the stack is gone.
    moto.nephos(&["destroy", "users-api"]).await.expect(1);
    let r = moto
        .nephos(&["destroy", "users-api", "--yes"])
        .await
        .expect(0);
    assert!(r.out.contains("✓ users-api: destroyed"), "{}", r.out);
    let gone = c
        .cfn
        .0
        .describe_stacks()
        .stack_name("users-api")
        .send()
        .await;
    assert!(
        gone.is_err()
            || gone.is_ok_and(|o| o
                .stacks()
                .iter()
                .all(|s| s.stack_status().map(|x| StackStatus::from(x.as_str()))
                    == Some(StackStatus::DeleteComplete)))
    );
}
