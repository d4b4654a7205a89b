//! End to end against moto: a change set an earlier nephos run left behind (killed before
//! its cleanup) is listed by `diff` and `deploy` with commands that work, and never deleted.

mod common;

use common::Moto;
use serde_json::json;

const STACK: &str = "e2e-leftovers";

#[tokio::test]
async fn a_change_set_left_by_a_killed_run_is_listed_and_kept() {
    let moto = Moto::start();
    let t = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
    let dir = std::env::temp_dir().join(format!("nephos-e2e-leftovers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("t.json");
    std::fs::write(&path, t.to_string()).expect("template");
    let path = path.to_string_lossy().into_owned();
    let source = ["--template", path.as_str(), "--stack-name", STACK];
    let run = |cmd: &'static str, extra: &'static [&'static str]| {
        let args: Vec<&str> = std::iter::once(cmd)
            .chain(source.iter().copied())
            .chain(extra.iter().copied())
            .collect();
        let moto = &moto;
        async move { moto.nephos(&args).await }
    };
    run("deploy", &["--yes"]).await.expect(0);

    // What a run killed between CreateChangeSet and its cleanup leaves: a change set under
    // nephos's name pattern; and one of someone else's, which is not nephos's business.
    let c = moto.clients().await;
    let mut t2 = t.clone();
    t2["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    for name in ["nephos-1764570000000", "theirs"] {
        c.cfn
            .0
            .create_change_set()
            .stack_name(STACK)
            .change_set_name(name)
            .change_set_type(aws_sdk_cloudformation::types::ChangeSetType::Update)
            .template_body(t2.to_string())
            .send()
            .await
            .expect("CreateChangeSet");
    }

    let d = run("diff", &[]).await.expect(0);
    let e = run("deploy", &["--yes"]).await.expect(0);
    for r in [&d, &e] {
        let all = format!("{}{}", r.out, r.err);
        assert!(all.contains("earlier nephos runs"), "{all}");
        assert!(all.contains("nephos-1764570000000"), "{all}");
        assert!(!all.contains("theirs"), "not nephos's: {all}");
        assert!(
            all.contains(&format!(
                "`aws cloudformation delete-change-set --stack-name {STACK} --change-set-name nephos-1764570000000`"
            )),
            "{all}"
        );
    }
    // Never deleted by nephos; the printed delete command works as printed.
    let left = c
        .cfn
        .0
        .list_change_sets()
        .stack_name(STACK)
        .send()
        .await
        .expect("ListChangeSets");
    let names: Vec<&str> = left
        .summaries()
        .iter()
        .filter_map(|s| s.change_set_name())
        .collect();
    assert!(names.contains(&"nephos-1764570000000"), "{names:?}");
    c.cfn
        .0
        .delete_change_set()
        .stack_name(STACK)
        .change_set_name("nephos-1764570000000")
        .send()
        .await
        .expect("the printed delete works");
    let r = run("diff", &[]).await.expect(0);
    assert!(
        !format!("{}{}", r.out, r.err).contains("earlier nephos runs"),
        "{r:?}"
    );
}
