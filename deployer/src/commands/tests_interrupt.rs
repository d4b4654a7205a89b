//! Ctrl-C means "stop before the next change" (issue 15, attack findings 1): whole commands
//! over the scripted fakes, with Ctrl-C pressed while a call is in flight. The seam's guard
//! (`cfn::halt`), installed by `commands::run`, must refuse every later write that starts a
//! change, and the command must say what was and was not changed and exit 130.

use super::tests_support::{NoIam, context};
use std::path::PathBuf;

use super::EXIT_INTERRUPTED;
use crate::cfn::status::StackStatus;
use crate::cli::Cli;
use crate::context::Backends;
use crate::deploy::fake::{FakeCfn, FakeStaging, stack};
use crate::deploy::interrupt::Interrupt;

/// A directory of its own holding `t.json`, one SQS queue.
fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nephos-sig-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("t.json"),
        r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#,
    )
    .expect("template");
    dir
}

/// Runs `nephos ARGS` in `dir` over the fakes; (exit code, stdout + stderr).
async fn nephos(
    fake: &FakeCfn,
    interrupt: &Interrupt,
    dir: PathBuf,
    args: &[&str],
) -> (i32, String) {
    let cli = Cli::from_args(std::iter::once("nephos").chain(args.iter().copied())).expect("args");
    let staging = FakeStaging::default();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = {
        let backends = Backends {
            cfn: fake,
            staging: &staging,
            iam: &NoIam,
        };
        let mut ctx = context(&mut out, &mut err, backends);
        ctx.cwd = dir.clone();
        ctx.interrupt = interrupt.clone();
        ctx.change_set_name = Some("cs1".into());
        super::run(cli, &mut ctx).await
    };
    let _ = std::fs::remove_dir_all(&dir);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&err)
    );
    (code, text)
}

/// atk finding 1: Ctrl-C while CreateChangeSet is in flight, with `--yes`: the change set
/// is computed and approved, but ExecuteChangeSet is never sent; the empty stack in review
/// this run made is deleted (its cleanup), and the result says nothing was changed.
#[tokio::test]
async fn ctrl_c_during_create_change_set_executes_nothing_and_cleans_up() {
    let interrupt = Interrupt::new();
    let fake = FakeCfn::new(vec![None, stack(StackStatus::ReviewInProgress)])
        .with_change_set_names(&["cs1"])
        .interrupting("CreateChangeSet", &interrupt);
    let dir = project("deploy");
    let (code, text) = nephos(
        &fake,
        &interrupt,
        dir,
        &[
            "deploy",
            "--template",
            "t.json",
            "--stack-name",
            "api",
            "--yes",
        ],
    )
    .await;
    assert_eq!(fake.count("ExecuteChangeSet"), 0, "{text}");
    assert_eq!(
        fake.write_calls(),
        ["CreateChangeSet", "DeleteStack"],
        "{text}"
    );
    assert!(
        text.contains(
            "interrupted before any change; nothing was changed (ExecuteChangeSet was not sent)"
        ),
        "{text}"
    );
    assert!(text.contains("change set cs1 deleted"), "{text}");
    assert_eq!(code, EXIT_INTERRUPTED, "{text}");
}

/// atk finding 1: Ctrl-C while `destroy --yes` reads the stack: DeleteStack is never sent.
#[tokio::test]
async fn ctrl_c_during_describe_stacks_deletes_nothing() {
    let interrupt = Interrupt::new();
    let t = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#;
    let fake = FakeCfn::new(vec![stack(StackStatus::CreateComplete)])
        .with_template(t)
        .interrupting("DescribeStacks", &interrupt);
    let dir = project("destroy");
    let (code, text) = nephos(&fake, &interrupt, dir, &["destroy", "api", "--yes"]).await;
    assert_eq!(fake.count("DeleteStack"), 0, "{text}");
    assert_eq!(fake.write_calls(), Vec::<String>::new(), "{text}");
    assert!(
        text.contains(
            "interrupted before any change; nothing was deleted (DeleteStack was not sent)"
        ),
        "{text}"
    );
    assert_eq!(code, EXIT_INTERRUPTED, "{text}");
}

/// Without Ctrl-C the same deploy executes its change set: the guard stops only what
/// follows an interrupt.
#[tokio::test]
async fn without_ctrl_c_the_same_deploy_executes() {
    let interrupt = Interrupt::new();
    let fake = FakeCfn::new(vec![
        None,
        stack(StackStatus::CreateInProgress),
        stack(StackStatus::CreateComplete),
    ]);
    let dir = project("control");
    let (code, text) = nephos(
        &fake,
        &interrupt,
        dir,
        &[
            "deploy",
            "--template",
            "t.json",
            "--stack-name",
            "api",
            "--yes",
        ],
    )
    .await;
    assert_eq!(fake.count("ExecuteChangeSet"), 1, "{text}");
    assert_eq!(code, super::EXIT_OK, "{text}");
}

/// atk finding 4: Ctrl-C while the app (or a handler build) runs. The child is stopped by
/// the SIGINT nephos passes on; the command says it was interrupted, not that the app
/// failed, changes nothing, and exits 130 like every other interrupted run.
#[tokio::test]
async fn ctrl_c_while_the_app_runs_exits_130_and_changes_nothing() {
    let interrupt = Interrupt::new();
    let fake = FakeCfn::new(vec![None]);
    let dir = project("app");
    // What a terminal's Ctrl-C does: nephos's handler sees it, and the app's group gets
    // SIGINT (here the app sends it to itself).
    interrupt.trigger();
    let (code, text) = nephos(
        &fake,
        &interrupt,
        dir,
        &["deploy", "--app", "sh -c 'kill -INT $$'", "--yes"],
    )
    .await;
    assert_eq!(fake.write_calls(), Vec::<String>::new(), "{text}");
    assert!(
        text.contains("interrupted (Ctrl-C) while the app"),
        "{text}"
    );
    assert!(!text.contains("failed"), "{text}");
    assert_eq!(code, EXIT_INTERRUPTED, "{text}");
}
