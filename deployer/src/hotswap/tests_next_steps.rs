//! Every command a hotswap, its failure or interruption, or the reconcile after it prints
//! works as printed: completed with the run's arguments, it parses with nephos's own
//! command line (or is an AWS CLI command carrying the run's region and profile), names
//! the stack once, and never carries `--hotswap` (the way back goes through
//! CloudFormation).

use clap::Parser;

use super::fake::FakeLambda;
use super::plan::FunctionChange;
use super::reconcile::{Marked, mark_again, reconcile};
use super::tests::{NOW, cfn_with};
use crate::cfn::retry::RetryPolicy;
use crate::cfn::status::StackStatus;
use crate::cli::Cli;
use crate::deploy::fake::FakeStaging;
use crate::deploy::interrupt::Interrupt;
use crate::output::invocation::Invocation;

fn change(id: &str) -> FunctionChange {
    FunctionChange {
        logical_id: id.into(),
        physical_id: format!("api-{id}-1"),
        code: None,
        config: Default::default(),
        changed: vec!["MemorySize".into()],
        shown: vec!["MemorySize: 128 -> 512".into()],
    }
}

/// What reconcile says when restoring fails, when a property cannot be restored, and
/// when a marker cannot be written again.
async fn reconcile_messages() -> Vec<String> {
    let mut out = Vec::new();
    let staging = FakeStaging::default();
    for (marker, failing) in [
        ("MemorySize", "UpdateFunctionConfiguration"),
        ("Handler", ""),
    ] {
        let cfn = cfn_with(StackStatus::UpdateComplete, Some("api-Fn-123"));
        let lambda = FakeLambda::new(&["Successful"]).failing(failing);
        let before = [Marked {
            logical_id: "Fn".into(),
            physical_id: "api-Fn-123".into(),
            marker: marker.into(),
        }];
        let e = reconcile(
            &cfn,
            &staging,
            &lambda,
            &RetryPolicy::IMMEDIATE,
            NOW,
            "api",
            &before,
            &Interrupt::new(),
        )
        .await
        .expect_err("the fake refuses");
        out.push(e.to_string());
        if marker == "MemorySize" {
            let tagless = FakeLambda::new(&["Successful"]).failing("TagResource");
            out.extend(mark_again(&tagless, "api", &before).await);
        }
    }
    out
}

#[tokio::test]
async fn every_hotswap_and_reconcile_next_step_parses_and_names_the_stack_once() {
    let fs = [change("Fn"), change("Other")];
    let mut messages = vec![
        crate::commands::deploy::hotswapped("api", &fs, std::time::Duration::from_millis(900)),
        super::apply::interrupted("api", &fs, 1, Some("UpdateFunctionCode")).to_string(),
        super::apply::interrupted("api", &fs, 1, None).to_string(),
        super::apply::failure("api", &fs[1], &["Fn"], "throttled").to_string(),
    ];
    messages.extend(reconcile_messages().await);

    let runs: [&[&str]; 4] = [
        &[
            "deploy",
            "--template",
            "t.yaml",
            "--stack-name",
            "api",
            "--hotswap",
        ],
        &[
            "deploy",
            "api",
            "--template",
            "t.yaml",
            "--stack-name",
            "api",
            "--hotswap",
            "--yes",
        ],
        &["deploy", "api", "--app", "cargo run -q", "--hotswap"],
        &["watch", "--hotswap", "--app", "cargo run -q"],
    ];
    let mut checked = 0;
    for run in runs {
        let argv: Vec<&str> = ["nephos", "--region", "eu-west-1", "--profile", "dev"]
            .into_iter()
            .chain(run.iter().copied())
            .collect();
        let cli = Cli::from_args(&argv).expect("the run's own command line");
        let inv = Invocation::of(&cli);
        for m in &messages {
            let done = inv.complete(m);
            for c in done.split('`').skip(1).step_by(2) {
                let words = shlex::split(c).unwrap_or_else(|| panic!("`{c}` is no shell words"));
                let pair = |f: &str, v: &str| words.windows(2).any(|w| w[0] == f && w[1] == v);
                assert!(
                    pair("--region", "eu-west-1") && pair("--profile", "dev"),
                    "`{c}` in: {done}"
                );
                if words[0] == "aws" {
                    checked += 1;
                    continue;
                }
                let again = Cli::try_parse_from(&words)
                    .unwrap_or_else(|e| panic!("`{c}` does not parse: {e}\nin: {done}"));
                assert!(!words.iter().any(|w| w == "--hotswap"), "`{c}`");
                assert!(
                    !words.iter().any(|w| w == "--yes"),
                    "approval carried: `{c}`"
                );
                let times = words.iter().filter(|w| *w == "api").count();
                assert_eq!(times, 1, "the stack named {times} times: `{c}`");
                if let crate::cli::Command::Deploy(a) = &again.command {
                    let app = run.contains(&"--app");
                    assert_eq!(a.source.app.is_some(), app, "`{c}`");
                    assert_eq!(a.source.template.is_some(), !app, "`{c}`");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * 7, "{checked}");
}
