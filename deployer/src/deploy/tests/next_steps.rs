//! Every next step the deployer prints must work as printed: each `nephos ...` command in
//! one parses with nephos's own command line, and each flag a step says to rerun with is
//! one the command takes. The steps are collected from the functions that make them, for
//! every status and stage they cover, and from deploys through the seam.

use clap::Parser;

use super::*;
use crate::cfn::status::{ExecutionStatus, StackStatus};
use crate::cli::Cli;
use crate::deploy::approval::Answer;
use crate::deploy::destroy::{DestroyProgress, unknown_status};
use crate::deploy::steps::gate::not_approved;
use crate::deploy::steps::plan::not_executable;
use crate::deploy::steps::scope::{Reached, Scope};
use crate::deploy::steps::settle::{StateAction, decide};

/// The next steps an outcome says.
fn steps_of(o: &Outcome) -> Vec<String> {
    match o {
        Outcome::Refused {
            reason, next_step, ..
        } => vec![reason.clone(), next_step.clone()],
        Outcome::Interrupted { resume, .. } => vec![resume.clone()],
        Outcome::Failed(f) => vec![f.next_step.clone()],
        _ => Vec::new(),
    }
}

fn at(status: StackStatus) -> Stack {
    Stack {
        name: "api".into(),
        status,
        ..Default::default()
    }
}

/// Every next step made without a deploy: one per status and stage.
fn made_directly() -> Vec<String> {
    let mut out = Vec::new();
    let mut statuses: Vec<StackStatus> = StackStatus::KNOWN.to_vec();
    statuses.push("SOMETHING_NEW".into());
    for st in &statuses {
        if let StateAction::Refuse { reason, next_step } = decide(Some(&at(st.clone()))) {
            out.extend([reason, next_step]);
        }
        if let Some(o) = unknown_status(&at(st.clone())) {
            out.extend(steps_of(&o));
        }
    }
    let mut executions: Vec<ExecutionStatus> = ExecutionStatus::KNOWN.to_vec();
    executions.push("SOMETHING_NEW".into());
    for ex in executions {
        let cs = ChangeSet {
            execution_status: ex,
            ..Default::default()
        };
        if let Some(r) = not_executable("api", "cs1", &cs) {
            out.extend([r.reason, r.next_step]);
        }
    }
    for answer in [Answer::No, Answer::NoTerminal, Answer::Interrupted] {
        out.extend(not_approved("api", answer).iter().flat_map(steps_of));
    }
    for reached in [
        Reached::Nothing,
        Reached::ChangeSet,
        Reached::Kept,
        Reached::Executed,
        Reached::MaybeExecuted,
    ] {
        for before in [None, Some(None), Some(Some(StackStatus::UpdateComplete))] {
            let scope = Scope {
                reached,
                change_set: "cs1".into(),
                kind: None,
                status_before: before,
            };
            for deleted in [None, Some(true), Some(false)] {
                out.push(scope.after_failure("api", deleted));
            }
        }
    }
    for status in [None, Some(StackStatus::UpdateComplete)] {
        for (delete_requested, delete_unknown) in [(false, false), (true, false), (false, true)] {
            let progress = DestroyProgress {
                status: status.clone(),
                delete_requested,
                delete_unknown,
            };
            out.push(progress.after_failure("api"));
        }
    }
    out
}

/// The backticked `nephos ...` commands in `text`.
fn commands(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|c| c.starts_with("nephos "))
        .map(str::to_owned)
        .collect()
}

/// The flags `text` says to rerun with (`rerun with --x`, `--y`, `or --z`).
fn rerun_flags(text: &str) -> Vec<String> {
    let Some(i) = text.find("rerun with") else {
        return Vec::new();
    };
    text[i..]
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .take_while(|w| !w.ends_with(';') && !w.ends_with('.'))
        .filter(|w| w.starts_with("--"))
        .map(|w| w.trim_end_matches([',', ';', '.']).to_owned())
        .collect()
}

fn parses(command: &str) -> Result<(), String> {
    let argv: Vec<&str> = command.split_whitespace().collect();
    Cli::try_parse_from(&argv)
        .map(|_| ())
        .map_err(|e| format!("`{command}`: {e}"))
}

fn check(steps: &[String]) {
    let mut checked = 0;
    for step in steps {
        for c in commands(step) {
            parses(&c).unwrap_or_else(|e| panic!("{e}\nin: {step}"));
            checked += 1;
        }
        for flag in rerun_flags(step) {
            // A flag of deploy, or of destroy when the step is about destroying.
            let value = if flag == "--require-approval" {
                " never"
            } else {
                ""
            };
            let deploy = format!("nephos deploy api {flag}{value}");
            let destroy = format!("nephos destroy api {flag}{value}");
            assert!(
                parses(&deploy).is_ok() || parses(&destroy).is_ok(),
                "{flag} is no flag of deploy or destroy\nin: {step}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no command found in {steps:?}");
}

#[test]
fn every_next_step_made_for_a_status_or_stage_works_as_printed() {
    let steps = made_directly();
    assert!(steps.len() > 20, "{}", steps.len());
    check(&steps);
}

#[tokio::test]
async fn the_next_steps_of_deploys_through_the_seam_work_as_printed() {
    let mut steps = Vec::new();
    // A failed create holding a table, a stack in review with someone's change set, and
    // a failing call after the change set was created.
    let holding = FakeCfn::new(vec![stack(StackStatus::CreateFailed)])
        .with_template(&json!({"Resources": {"Table": {"Type": TABLE}}}).to_string())
        .with_resources(vec![crate::cfn::model::StackResource {
            logical_id: "Table".into(),
            physical_id: Some("t".into()),
            resource_type: TABLE.into(),
            status: ResourceStatus::CreateComplete,
        }]);
    let in_review =
        FakeCfn::new(vec![stack(StackStatus::ReviewInProgress)]).with_change_set_names(&["theirs"]);
    for fake in [holding, in_review] {
        let (_, r) = deploy(&fake, request(template("b")), options(), None).await;
        steps.extend(r.iter().flat_map(steps_of));
    }
    let failing = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .failing(
            "ExecuteChangeSet",
            vec![CfnError::new(ErrorKind::AccessDenied, "no"); 10],
        );
    let (_, r) = deploy(&failing, request(template("b")), options(), None).await;
    steps.extend(r.err().map(|e| e.to_string()));
    assert_eq!(steps.len(), 5, "{steps:?}");
    check(&steps);
}

/// The words a POSIX shell (bash) makes of `command`, run as a command line.
fn shell_words(command: &str) -> Vec<String> {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("printf '%s\\0' {command}"))
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "bash refused `{command}`: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn every_next_step_carries_the_runs_source_stack_and_profile_through_a_real_shell() {
    use crate::cli::Command;
    use crate::output::invocation::Invocation;
    let dir = std::env::temp_dir().join(format!("nephos-next-steps-{}", std::process::id()));
    let canary = dir.join("pwned");
    let _ = std::fs::remove_file(&canary);
    let hostile = format!(
        "a b'c\"d$HOME `x` $(touch {})\n\t\u{1b}[31m\u{202e}é",
        canary.display()
    );
    let param = format!("Env={hostile}");
    let mut steps = made_directly();
    let (_, r) = deploy(
        &FakeCfn::new(vec![stack(StackStatus::ReviewInProgress)])
            .with_change_set_names(&["theirs"]),
        request(template("b")),
        options(),
        None,
    )
    .await;
    steps.extend(r.iter().flat_map(steps_of));
    steps.push(crate::deploy::leftovers::notice("api", &["nephos-1".into()]).expect("a notice"));
    let runs: [&[&str]; 3] = [
        &[
            "deploy",
            "--template",
            &hostile,
            "--stack-name",
            "api",
            "--parameter",
            &param,
            "--tag",
            "team=a b",
            "--allow-replace",
            "Table",
            "--method",
            "direct",
            "--require-approval",
            "never",
            "--yes",
        ],
        &[
            "deploy",
            "api",
            "--app",
            &hostile,
            "--allow-data-loss",
            "--no-rollback",
            "--parameter",
            "A=1",
            "--parameter",
            &param,
            "--role-arn",
            &hostile,
        ],
        &["diff", "--assembly", &hostile],
    ];
    let mut checked = 0;
    let mut carried = 0;
    for run in runs {
        let argv: Vec<&str> = ["nephos", "--region", "eu-west-1", "--profile", &hostile]
            .into_iter()
            .chain(run.iter().copied())
            .collect();
        let cli = Cli::from_args(&argv).expect("the run's own command line");
        let inv = Invocation::of(&cli);
        for step in &steps {
            let done = inv.complete(step);
            // Nothing a terminal would act on is printed raw.
            assert!(
                !done.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{done:?}"
            );
            for c in done.split('`').skip(1).step_by(2) {
                let words = shell_words(c);
                let pair =
                    |flag: &str, v: &str| words.windows(2).any(|w| w[0] == flag && w[1] == v);
                assert!(pair("--profile", &hostile), "{c}\n{words:?}");
                assert!(pair("--region", "eu-west-1"), "{c}\n{words:?}");
                if words[0] != "nephos" {
                    checked += 1;
                    continue;
                }
                let again = Cli::try_parse_from(&words)
                    .unwrap_or_else(|e| panic!("`{c}` does not parse: {e}\nin: {step}"));
                assert_eq!(again.profile.as_deref(), Some(hostile.as_str()));
                let source = match &again.command {
                    Command::Deploy(a) => Some((&a.source, &a.stacks)),
                    Command::Diff(a) => Some((&a.source, &a.stacks)),
                    _ => None,
                };
                let original = match &cli.command {
                    Command::Deploy(a) => (&a.source, &a.stacks),
                    Command::Diff(a) => (&a.source, &a.stacks),
                    _ => unreachable!("the runs are deploys and diffs"),
                };
                // The run's own flags (F3): a pasted deploy does what the run did, and
                // approval is never carried.
                if let (Command::Deploy(a), Command::Deploy(b)) = (&again.command, &cli.command) {
                    let gives = |flag: &str| c.contains(flag);
                    assert_eq!(a.parameters, b.parameters, "{c}");
                    assert_eq!(a.tags, b.tags, "{c}");
                    if !gives("--allow-replace") {
                        assert_eq!(a.allow_replace, b.allow_replace, "{c}");
                    }
                    assert_eq!(a.allow_data_loss, b.allow_data_loss, "{c}");
                    assert_eq!(a.no_rollback, b.no_rollback, "{c}");
                    assert_eq!(a.role_arn, b.role_arn, "{c}");
                    assert_eq!(format!("{:?}", a.method), format!("{:?}", b.method), "{c}");
                    assert_eq!(
                        format!("{:?}", a.require_approval),
                        format!("{:?}", b.require_approval),
                        "{c}"
                    );
                    assert!(!a.yes, "approval carried into `{c}`");
                    carried += 1;
                }
                if let Some((s, stacks)) = source {
                    assert_eq!(s.app, original.0.app, "{c}");
                    assert_eq!(s.template, original.0.template, "{c}");
                    assert_eq!(s.assembly, original.0.assembly, "{c}");
                    assert_eq!(s.stack_name, original.0.stack_name, "{c}");
                    for st in original.1 {
                        assert!(stacks.contains(st), "{c}");
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
    assert!(carried > 10, "{carried}");
    assert!(!canary.exists(), "a printed command ran what a value held");
}
