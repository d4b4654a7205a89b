//! End to end against moto: a DynamoDB table whose create-only `TableName` changes is
//! refused (the stack is left as it was, no change set behind), then allowed with
//! `--allow-replace Table`.
//!
//! moto's change sets carry no `Replacement` or `Details`, so the refusal here rests on the
//! offline prediction from the schema's `createOnlyProperties`, which the output says.

mod common;

use std::path::PathBuf;

use common::Moto;
use serde_json::json;

const STACK: &str = "e2e-safety";

/// Writes a one-table template to a file of its own; returns its path.
fn table_template(table_name: &str) -> PathBuf {
    let t = json!({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}}});
    let dir = std::env::temp_dir().join(format!("nephos-e2e-safety-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{table_name}.json"));
    std::fs::write(&path, t.to_string()).expect("template written");
    path
}

/// The physical ID (for a table: its name) of the stack's `Table`.
async fn table_name(moto: &Moto, when: &str) -> String {
    let c = moto.clients().await;
    let res = c
        .cfn
        .0
        .describe_stack_resources()
        .stack_name(STACK)
        .send()
        .await
        .expect("DescribeStackResources");
    res.stack_resources()
        .iter()
        .find(|r| r.logical_resource_id() == Some("Table"))
        .and_then(|r| r.physical_resource_id())
        .unwrap_or_else(|| {
            panic!(
                "{when}: no physical id for Table in {:?}",
                res.stack_resources()
            )
        })
        .to_owned()
}

#[tokio::test]
async fn a_table_replacement_is_refused_then_allowed() {
    let moto = Moto::start();
    let v1 = table_template("e2e-users-a");
    let v2 = table_template("e2e-users-b");
    let (v1, v2) = (v1.to_string_lossy(), v2.to_string_lossy());
    let with = |extra: &[&'static str], t: &str| -> Vec<String> {
        extra
            .iter()
            .map(|s| (*s).to_owned())
            .chain([
                "--template".into(),
                t.to_owned(),
                "--stack-name".into(),
                STACK.into(),
            ])
            .collect()
    };
    let run = |args: Vec<String>| {
        let moto = &moto;
        async move {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            moto.nephos(&a).await
        }
    };

    let r = run(with(&["deploy", "--yes"], &v1)).await.expect(0);
    assert!(
        r.out.contains(&format!("✓ {STACK}: CREATE_COMPLETE")),
        "{}",
        r.out
    );
    assert_eq!(table_name(&moto, "after the create").await, "e2e-users-a");

    // The offline diff marks the line, in text and in JSON.
    let r = run(with(&["diff"], &v2)).await.expect(2);
    assert!(
        r.out.contains("⚠ data loss: Table (AWS::DynamoDB::Table) would be replaced: TableName forces a new resource (predicted from the template)"),
        "{}",
        r.out
    );
    let r = run(with(&["--output", "json", "diff"], &v2))
        .await
        .expect(2);
    let doc: serde_json::Value = serde_json::from_str(&r.out).expect("diff JSON");
    assert_eq!(
        doc["stacks"][0]["diff"]["dataLoss"][0]["cause"],
        json!("TableName"),
        "{}",
        r.out
    );

    // Deploying it is refused; nothing changed and no change set is left behind.
    let r = run(with(&["deploy", "--yes"], &v2)).await.expect(1);
    assert!(
        r.out.contains(&format!(
            "✗ {STACK}: refused: these changes would lose data; the stack was not changed"
        )),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("  - Table (AWS::DynamoDB::Table) would be replaced: TableName forces a new resource (predicted from the template); UpdateReplacePolicy Delete (the default): the resource and its data would be deleted\n"),
        "{}",
        r.out
    );
    assert!(r.out.contains("--allow-replace Table"), "{}", r.out);
    assert_eq!(table_name(&moto, "after the refusal").await, "e2e-users-a");
    assert!(deployed_template(&moto).await.contains("e2e-users-a"));
    assert_eq!(moto.pending_change_sets(STACK).await, 0);

    // Allowed by name, it deploys.
    let r = run(with(&["deploy", "--yes", "--allow-replace", "Table"], &v2))
        .await
        .expect(0);
    assert!(
        r.out.contains(&format!("✓ {STACK}: UPDATE_COMPLETE")),
        "{}",
        r.out
    );
    // moto 5.2.5 loses track of a replaced table in DescribeStackResources (it lists one
    // nameless resource), so the new name is checked in the deployed template.
    assert!(deployed_template(&moto).await.contains("e2e-users-b"));
}

/// The deployed template body (`GetTemplate`).
async fn deployed_template(moto: &Moto) -> String {
    let c = moto.clients().await;
    c.cfn
        .0
        .get_template()
        .stack_name(STACK)
        .send()
        .await
        .expect("GetTemplate")
        .template_body()
        .unwrap_or_default()
        .to_owned()
}
