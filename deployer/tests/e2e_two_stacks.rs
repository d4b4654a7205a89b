//! End to end against moto: an assembly of two stacks, one exporting a value the other
//! imports, deployed in dependency order and destroyed dependants first.

mod common;

use common::{Moto, fixture};

#[tokio::test]
async fn an_export_and_its_import_deploy_in_order_and_destroy_in_reverse() {
    let moto = Moto::start();
    let dir = fixture("two-stack");
    // moto 5.2.5 resolves exports and imports only for stacks made with CreateStack and
    // UpdateStack, never through change sets, so this app deploys with `--method direct`.
    let r = moto
        .nephos(&["deploy", "--assembly", &dir, "--yes", "--method", "direct"])
        .await
        .expect(0);
    // The manifest lists the consumer first; its dependency makes the producer go first.
    let events = r
        .out
        .find("✓ e2e-events: CREATE_COMPLETE")
        .expect("events deployed");
    let consumer = r
        .out
        .find("✓ e2e-consumer: CREATE_COMPLETE")
        .expect("consumer deployed");
    assert!(events < consumer, "{}", r.out);

    // The producer's output and export are readable; the consumer resolved the import.
    let r = moto.nephos(&["outputs", "e2e-events"]).await.expect(0);
    assert!(
        r.out.starts_with("TopicArn = arn:aws:sns:us-east-1:"),
        "{}",
        r.out
    );
    assert!(
        r.out.trim_end().ends_with("(export e2e-events-topic-arn)"),
        "{}",
        r.out
    );
    let arn = r
        .out
        .split_whitespace()
        .nth(2)
        .unwrap_or_default()
        .to_owned();
    let r = moto
        .nephos(&["outputs", "e2e-consumer", "--output", "json"])
        .await
        .expect(0);
    let imported: serde_json::Value = serde_json::from_str(&r.out).expect("outputs JSON");
    assert_eq!(imported["ImportedTopic"], arn.as_str(), "{}", r.out);
    let c = moto.clients().await;
    let exports = c.cfn.0.list_exports().send().await.expect("exports");
    assert!(
        exports
            .exports()
            .iter()
            .any(|e| e.name() == Some("e2e-events-topic-arn"))
    );

    // Both unchanged now: the diff says so for each, exit 0.
    let r = moto.nephos(&["diff", "--assembly", &dir]).await.expect(0);
    assert_eq!(r.out.matches("no changes").count(), 2, "{}", r.out);

    let r = moto
        .nephos(&["destroy", "--assembly", &dir, "--yes"])
        .await
        .expect(0);
    let consumer = r
        .out
        .find("✓ e2e-consumer: destroyed")
        .expect("consumer destroyed");
    let events = r
        .out
        .find("✓ e2e-events: destroyed")
        .expect("events destroyed");
    assert!(consumer < events, "{}", r.out);
    let r = moto.nephos(&["list"]).await.expect(0);
    assert_eq!(r.out.trim(), "no stacks");
}
