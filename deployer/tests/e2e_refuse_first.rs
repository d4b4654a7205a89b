//! End to end against moto (issue 12, F4): with two stacks, a removal the second stack's
//! template shows is refused before the first stack is deployed.

mod common;

use std::path::PathBuf;

use common::Moto;
use nephos_cli::cfn::status::StackStatus;
use serde_json::json;

/// Writes an assembly of stacks `e2e-f4-a` (a queue, `timeout` its visibility timeout) and
/// `e2e-f4-b` (a queue, and a table when `table`) under `dir`.
fn assembly(dir: &PathBuf, timeout: u32, table: bool) {
    std::fs::create_dir_all(dir).expect("assembly dir");
    let a = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue",
        "Properties": {"VisibilityTimeout": timeout}}}});
    let mut b = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
    if table {
        b["Resources"]["T"] = json!({"Type": "AWS::DynamoDB::Table", "Properties": {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}});
    }
    let manifest = json!({"version": 1, "stacks": [
        {"id": "A", "stackName": "e2e-f4-a", "templateFile": "A.template.json"},
        {"id": "B", "stackName": "e2e-f4-b", "templateFile": "B.template.json"}]});
    for (file, body) in [
        ("A.template.json", a),
        ("B.template.json", b),
        ("manifest.json", manifest),
    ] {
        std::fs::write(dir.join(file), body.to_string()).expect("write assembly file");
    }
}

#[tokio::test]
async fn a_later_stacks_certain_refusal_comes_before_the_first_stack_is_deployed() {
    let moto = Moto::start();
    let dir = std::env::temp_dir().join(format!("nephos-e2e-f4-{}", std::process::id()));
    let path = dir.to_string_lossy().into_owned();
    assembly(&dir, 30, true);
    moto.nephos(&["deploy", "--assembly", &path, "--yes"])
        .await
        .expect(0);
    // A changes in place; B drops its table.
    assembly(&dir, 60, false);
    let r = moto
        .nephos(&["deploy", "--assembly", &path, "--yes"])
        .await
        .expect(1);
    assert!(
        r.out.contains("T (AWS::DynamoDB::Table) would be removed"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("refused before the first write of this run"),
        "{}",
        r.out
    );
    // A was not touched: its template is still the first one, its status the create's.
    let c = moto.clients().await;
    let got = c
        .cfn
        .0
        .get_template()
        .stack_name("e2e-f4-a")
        .send()
        .await
        .expect("GetTemplate");
    let body = got.template_body().unwrap_or_default();
    assert!(!body.contains("60"), "{body}");
    let stacks = c
        .cfn
        .0
        .describe_stacks()
        .stack_name("e2e-f4-a")
        .send()
        .await
        .expect("DescribeStacks");
    let status = stacks.stacks()[0]
        .stack_status()
        .map(|s| StackStatus::from(s.as_str()));
    assert_eq!(status, Some(StackStatus::CreateComplete));
    let _ = std::fs::remove_dir_all(&dir);
}
