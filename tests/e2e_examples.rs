//! Every example app deploys to the local emulator and is then exactly what is deployed:
//! synthesize in-process, `nephos bootstrap` (for assets), `nephos deploy --assembly`,
//! then `nephos diff` reports no change, and `nephos destroy` removes the stacks.
//!
//! The deploys use `--method direct`: moto 5.2.5 executes change sets without honouring
//! some dependencies (an API deployment before its methods) and publishes no outputs for
//! them; change-set deploys are covered by the deployer's own tests.

mod common;

#[path = "../deployer/tests/common/mod.rs"]
mod harness;

use harness::Moto;
use nephos_cli::cfn::status::StackStatus;

/// Examples the emulator cannot take, and why: checked elsewhere (snapshots, cfn-lint).
const EMULATOR_CANNOT_DEPLOY: &[(&str, &str)] = &[
    (
        "http_crud",
        "moto 5.2.5 has no AWS::ApiGatewayV2 resources; a Fn::GetAtt of one in Outputs makes CreateStack fail with HTTP 500",
    ),
    (
        "http_api_authorized",
        "moto 5.2.5 has no AWS::ApiGatewayV2 resources (API, authorizer, integration, route, stage); a Fn::GetAtt of one in Outputs makes CreateStack fail with HTTP 500",
    ),
];

#[tokio::test(flavor = "current_thread")]
async fn every_example_deploys_and_then_diffs_clean() {
    let moto = Moto::start();
    // Each region the examples deploy to needs its own staging bucket.
    let mut bootstrapped: Vec<String> = Vec::new();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-examples");
    let _ = std::fs::remove_dir_all(&dir);
    for (name, app) in common::examples() {
        if EMULATOR_CANNOT_DEPLOY.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let out = dir.join(name);
        let manifest = app.write(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
        let assembly = out.to_string_lossy().to_string();
        for stack in &manifest.stacks {
            let region = stack.region.clone().unwrap_or_else(|| "us-east-1".into());
            if !bootstrapped.contains(&region) {
                moto.nephos(&["bootstrap", "--yes", "--region", &region])
                    .await
                    .expect(0);
                bootstrapped.push(region);
            }
        }
        let deploy = moto
            .nephos(&[
                "deploy",
                "--assembly",
                &assembly,
                "--yes",
                "--method",
                "direct",
            ])
            .await;
        assert_eq!(
            deploy.code, 0,
            "{name} deploy:\n{}\n{}",
            deploy.out, deploy.err
        );
        for stack in &manifest.stacks {
            let region = stack.region.as_deref().unwrap_or("us-east-1");
            let clients = moto.clients_in(region).await;
            let described = clients
                .cfn
                .0
                .describe_stacks()
                .stack_name(&stack.stack_name)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{name}: {} not found: {e:?}", stack.stack_name));
            let status = described.stacks()[0]
                .stack_status()
                .map(|s| StackStatus::from(s.as_str()));
            assert_eq!(
                status,
                Some(StackStatus::CreateComplete),
                "{name}/{}",
                stack.stack_name
            );
        }
        let diff = moto.nephos(&["diff", "--assembly", &assembly]).await;
        assert_eq!(
            diff.code, 0,
            "{name} differs after deploy:\n{}\n{}",
            diff.out, diff.err
        );
        for stack in manifest.stacks.iter().rev() {
            let region = stack.region.as_deref().unwrap_or("us-east-1");
            moto.nephos(&["destroy", &stack.stack_name, "--yes", "--region", region])
                .await
                .expect(0);
        }
        // Retained resources (tables, buckets, log groups) outlive the stack by design;
        // clear them (and the staging buckets) so the next example can reuse their names.
        reset(&moto);
        bootstrapped.clear();
    }
}

/// Wipes moto's state (its `/moto-api/reset` endpoint).
fn reset(moto: &Moto) {
    use std::io::{Read, Write};
    let addr = moto.endpoint.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).expect("moto is up");
    s.write_all(
        format!("POST /moto-api/reset HTTP/1.0\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n")
            .as_bytes(),
    )
    .expect("reset request");
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200"),
        "moto reset: {answer}"
    );
}
