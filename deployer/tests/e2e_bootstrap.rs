//! End to end against moto: `bootstrap` makes the staging bucket, then a template over
//! 51,200 bytes and an app's assets go through it.

mod common;

use common::Moto;
use serde_json::{Map, json};

const BUCKET: &str = "nephos-staging-123456789012-us-east-1";

#[tokio::test]
async fn bootstrap_then_large_templates_and_assets_go_through_the_staging_bucket() {
    let moto = Moto::start();
    let dir = std::env::temp_dir().join(format!("nephos-e2e-bootstrap-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");

    // Without the bucket, a large template cannot be deployed, and the error says why.
    let mut resources = Map::new();
    for i in 0..300 {
        resources.insert(
            format!("Queue{i}"),
            json!({"Type": "AWS::SQS::Queue", "Properties": {"Tags": [{"Key": "pad", "Value": "x".repeat(150)}]}}),
        );
    }
    let large = dir.join("large.json");
    std::fs::write(&large, json!({"Resources": resources}).to_string()).expect("large template");
    let large = large.display().to_string();
    let deploy_large = [
        "deploy",
        "--template",
        &large,
        "--stack-name",
        "large",
        "--yes",
    ];
    let r = moto.nephos(&deploy_large).await.expect(1);
    assert!(r.err.contains("run `nephos bootstrap` first"), "{}", r.err);

    // Bootstrap is a stack of its own, and running it again changes nothing.
    let r = moto.nephos(&["bootstrap", "--yes"]).await.expect(0);
    assert!(
        r.out.contains("✓ nephos-bootstrap: CREATE_COMPLETE"),
        "{}",
        r.out
    );
    let r = moto.nephos(&["bootstrap", "--yes"]).await.expect(0);
    assert!(r.out.contains("already bootstrapped"), "{}", r.out);

    let r = moto.nephos(&deploy_large).await.expect(0);
    assert!(r.out.contains("large: template is"), "{}", r.out);
    assert!(r.out.contains("✓ large: CREATE_COMPLETE"), "{}", r.out);

    // An assembly with an asset: uploaded once, under its content-addressed key.
    let asset = b"print('hello')\n";
    let sha = nephos_cli::deploy::staging::sha256_hex(asset);
    std::fs::write(dir.join("handler.py"), asset).expect("asset");
    std::fs::write(
        dir.join("App.template.json"),
        json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}).to_string(),
    )
    .expect("template");
    let key = format!("assets/{sha}.py");
    let manifest = json!({"version": 1, "stacks": [{"id": "App", "stackName": "with-assets",
        "templateFile": "App.template.json",
        "assets": [{"sha256": sha, "path": "handler.py", "objectKey": key}]}]});
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).expect("manifest");
    let assembly = dir.display().to_string();
    let r = moto
        .nephos(&["deploy", "--assembly", &assembly, "--yes"])
        .await
        .expect(0);
    assert!(
        r.out.contains("assets: 1 uploaded, 0 already in"),
        "{}",
        r.out
    );
    let c = moto.clients().await;
    let obj = c
        .staging
        .0
        .s3
        .get_object()
        .bucket(BUCKET)
        .key(&key)
        .send()
        .await
        .expect("the asset is in the bucket");
    let body = obj.body.collect().await.expect("body").into_bytes();
    assert_eq!(&body[..], asset);

    // A template that changes, so that each deploy reaches the upload step.
    let with_queues = |n: usize| {
        let queues: Map<String, serde_json::Value> = (0..n)
            .map(|i| {
                (
                    if i == 0 {
                        "Q".to_owned()
                    } else {
                        format!("Q{i}")
                    },
                    json!({"Type": "AWS::SQS::Queue"}),
                )
            })
            .collect();
        std::fs::write(
            dir.join("App.template.json"),
            json!({"Resources": queues}).to_string(),
        )
        .expect("template");
    };
    // Deployed again: the object under the key is checked (its SHA-256 checksum, which
    // the upload gave S3) and found to be the asset.
    // moto answers an untouched queue with "replacement conditional", which the data-loss
    // gate refuses (it cannot tell); this test is about the asset, so Q is allowed.
    with_queues(2);
    let r = moto
        .nephos(&[
            "deploy",
            "--assembly",
            &assembly,
            "--yes",
            "--allow-replace",
            "Q",
        ])
        .await
        .expect(0);
    assert!(r.out.contains("0 uploaded, 1 already in"), "{}", r.out);

    // Other bytes under the content-addressed key (written without a checksum, so they
    // are read and hashed): the deploy stops, naming the asset and both hashes.
    let tampered = b"print('pwned')\n";
    c.staging
        .0
        .s3
        .put_object()
        .bucket(BUCKET)
        .key(&key)
        .body(tampered.to_vec().into())
        .send()
        .await
        .expect("tampered");
    with_queues(3);
    let r = moto
        .nephos(&[
            "deploy",
            "--assembly",
            &assembly,
            "--yes",
            "--allow-replace",
            "Q",
        ])
        .await
        .expect(1);
    let held = nephos_cli::deploy::staging::sha256_hex(tampered);
    for part in [
        "asset handler.py",
        "other bytes under its key",
        &held,
        &sha,
        "aws s3 rm",
    ] {
        assert!(r.err.contains(part), "{part}: {}", r.err);
    }

    let _ = std::fs::remove_dir_all(&dir);
}
