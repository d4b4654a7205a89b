//! The engine against scripted CloudFormation answers that follow the AWS documentation:
//! one test per stack state and transition the emulator cannot show.

use serde_json::{Value, json};

use super::approval::ApprovalPolicy;
use super::destroy::DestroyOptions;
use super::engine::{DeployOptions, Engine, EngineError, StackRequest};
use super::fake::{FakeCfn, complete, ev, pending, stack, stack_ev};
use super::interrupt::Interrupt;
use super::outcome::Outcome;
use super::poll::PollPolicy;
use crate::cfn::error::{CfnError, ErrorKind};
use crate::cfn::model::{ChangeSet, ResourceChange, Stack};
use crate::cfn::retry::RetryPolicy;
use crate::cfn::status::{ChangeSetStatus, ExecutionStatus, ResourceStatus, StackStatus};
use crate::diff::facts::TableFacts;
use crate::output::prompt::FixedAnswer;
use crate::output::style::Style;
use crate::progress::text::TextReporter;

const QUEUE: &str = "AWS::SQS::Queue";
const TABLE: &str = "AWS::DynamoDB::Table";

fn template(table_name: &str) -> Value {
    json!({"Resources": {
        "Queue": {"Type": QUEUE},
        "Table": {"Type": TABLE, "Properties": {"TableName": table_name}}}})
}

/// The plan step's input for `req` over `stack`, whose deployed template is `deployed`:
/// change set `cs1`, a no-change review shown.
fn plan_input<'r>(
    req: &'r StackRequest,
    stack: Option<&'r Stack>,
    deployed: &'r Value,
) -> crate::deploy::steps::plan::PlanInput<'r> {
    crate::deploy::steps::plan::PlanInput {
        req,
        stack,
        deployed,
        change_set: crate::deploy::steps::plan::PlanRequest {
            change_set_name: "cs1",
            role_arn: None,
            description: "test",
        },
        show_no_changes: true,
    }
}

fn request(t: Value) -> StackRequest {
    StackRequest {
        stack_name: "api".into(),
        template_body: t.to_string(),
        template: t,
        ..Default::default()
    }
}

/// The options of the tests about stack states, which replace the table freely: its
/// replacement is allowed so they test what they are about (the data-loss tests use
/// [`strict`]).
fn options() -> DeployOptions {
    DeployOptions {
        allow_replace: vec!["Table".into()],
        ..strict()
    }
}

/// Options with no data loss allowed.
fn strict() -> DeployOptions {
    DeployOptions {
        approval: ApprovalPolicy::Never,
        execute: true,
        change_set_name: "cs1".into(),
        ..Default::default()
    }
}

/// Builds an engine over `fake` and evaluates `body` with it; returns the text output too.
macro_rules! with_engine {
    ($fake:expr, $answer:expr, $interrupt:expr, |$e:ident| $body:expr) => {{
        let mut out = Vec::new();
        let result = {
            let mut reporter =
                TextReporter::with_zone(&mut out, Style::plain(), jiff::tz::TimeZone::UTC);
            let facts = TableFacts(vec![(TABLE, vec!["TableName"])]);
            let prompter = FixedAnswer($answer);
            #[allow(unused_mut)]
            let mut $e = Engine {
                cfn: $fake,
                staging: None,
                iam: None,
                prompter: &prompter,
                reporter: &mut reporter,
                facts: &facts,
                retry: RetryPolicy::IMMEDIATE,
                poll: PollPolicy::IMMEDIATE,
                interrupt: $interrupt,
            };
            $body
        };
        (String::from_utf8_lossy(&out).into_owned(), result)
    }};
}

/// Runs a deploy against `fake`, answering approval questions with `answer`.
async fn deploy(
    fake: &FakeCfn,
    req: StackRequest,
    opts: DeployOptions,
    answer: Option<bool>,
) -> (String, Result<Outcome, EngineError>) {
    with_engine!(fake, answer, Interrupt::new(), |e| e
        .deploy(&req, &opts)
        .await)
}

fn with_outputs(status: StackStatus) -> Option<Stack> {
    stack(status).map(|mut s| {
        s.outputs = vec![crate::cfn::model::Output {
            key: "Url".into(),
            value: "https://x".into(),
            ..Default::default()
        }];
        s
    })
}

fn elapsed_free(out: &str) -> String {
    // The wall time of a deploy is the one non-deterministic word of the output.
    out.lines()
        .map(|l| match l.find(" in ") {
            Some(i) if l.ends_with('s') && l.starts_with('✓') => {
                format!("{} in <elapsed>", &l[..i])
            }
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn throttled() -> CfnError {
    CfnError::from_service(Some("Throttling"), "Rate exceeded")
}

#[tokio::test]
async fn a_new_stack_is_created_through_a_create_change_set_and_followed_to_the_end() {
    let fake = FakeCfn::new(vec![
        None,
        stack(StackStatus::CreateInProgress),
        with_outputs(StackStatus::CreateComplete),
    ])
    .with_change_sets(vec![pending(), complete(vec![])])
    .with_events(vec![
        vec![stack_ev(1, ResourceStatus::ReviewInProgress)],
        vec![
            ev(3, "Queue", QUEUE, ResourceStatus::CreateInProgress, None),
            stack_ev(2, ResourceStatus::CreateInProgress),
            stack_ev(1, ResourceStatus::ReviewInProgress),
        ],
        vec![
            stack_ev(5, ResourceStatus::CreateComplete),
            ev(4, "Queue", QUEUE, ResourceStatus::CreateComplete, None),
            ev(3, "Queue", QUEUE, ResourceStatus::CreateInProgress, None),
            stack_ev(2, ResourceStatus::CreateInProgress),
            stack_ev(1, ResourceStatus::ReviewInProgress),
        ],
    ]);
    let (out, r) = deploy(&fake, request(template("users")), options(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(
        fake.writes(),
        ["CreateChangeSet CREATE", "ExecuteChangeSet"]
    );
    insta::assert_snapshot!(elapsed_free(&out));
}

#[tokio::test]
async fn an_in_progress_stack_is_waited_for_before_the_change_set_is_created() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&template("a").to_string())
    .with_change_sets(vec![complete(vec![])]);
    let (out, r) = deploy(
        &fake,
        request(template("a")),
        DeployOptions {
            force: true,
            ..options()
        },
        None,
    )
    .await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert!(
        out.starts_with("api: stack is UPDATE_IN_PROGRESS: waiting"),
        "{out}"
    );
    let calls = fake.calls.lock().map(|c| c.clone()).unwrap_or_default();
    let create = calls.iter().position(|c| c.starts_with("CreateChangeSet"));
    assert_eq!(calls.iter().filter(|c| *c == "DescribeStacks").count(), 6);
    assert!(
        create > Some(2),
        "the change set must come after the stack settled: {calls:?}"
    );
}

#[tokio::test]
async fn a_failed_create_reports_the_root_cause_not_the_cancellation_cascade() {
    let fake = FakeCfn::new(vec![
        None,
        stack(StackStatus::RollbackInProgress),
        stack(StackStatus::RollbackComplete),
    ])
    .with_events(vec![
        vec![],
        vec![
            stack_ev(6, ResourceStatus::RollbackComplete),
            ev(
                5,
                "Queue",
                QUEUE,
                ResourceStatus::CreateFailed,
                Some("Resource creation cancelled"),
            ),
            stack_ev(4, ResourceStatus::RollbackInProgress),
            ev(
                3,
                "Table",
                TABLE,
                ResourceStatus::CreateFailed,
                Some("users already exists"),
            ),
            ev(2, "Queue", QUEUE, ResourceStatus::CreateInProgress, None),
            stack_ev(1, ResourceStatus::CreateInProgress),
        ],
    ]);
    let (out, r) = deploy(&fake, request(template("users")), options(), None).await;
    let Ok(Outcome::Failed(report)) = r else {
        panic!("expected a failure, got {r:?}")
    };
    assert_eq!(
        report.root_cause.map(|e| e.logical_id).as_deref(),
        Some("Table")
    );
    assert_eq!(report.cancelled, 1);
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn a_rollback_complete_stack_is_deleted_and_created_again() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::RollbackComplete),
        stack(StackStatus::DeleteInProgress),
        None,
        stack(StackStatus::CreateComplete),
    ])
    // The failed create declared only a role: nothing of it can hold data.
    .with_template(&json!({"Resources": {"Role": {"Type": "AWS::IAM::Role"}}}).to_string());
    let (out, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(
        fake.writes(),
        [
            "GetTemplate",
            "DeleteStack",
            "CreateChangeSet CREATE",
            "ExecuteChangeSet"
        ]
    );
    assert!(
        out.contains("ROLLBACK_COMPLETE from an earlier failed create"),
        "{out}"
    );
}

#[tokio::test]
async fn a_review_in_progress_stack_is_deleted_and_created_again() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::ReviewInProgress),
        None,
        stack(StackStatus::CreateComplete),
    ]);
    let (out, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(
        fake.writes(),
        ["DeleteStack", "CreateChangeSet CREATE", "ExecuteChangeSet"]
    );
    assert!(
        out.contains(StackStatus::ReviewInProgress.as_str()),
        "{out}"
    );
}

#[tokio::test]
async fn update_rollback_failed_is_continued_when_approved() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateRollbackFailed),
        stack(StackStatus::UpdateRollbackInProgress),
        stack(StackStatus::UpdateRollbackComplete),
        stack(StackStatus::UpdateRollbackComplete),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&template("old").to_string())
    .with_events(vec![
        vec![],
        vec![
            stack_ev(2, ResourceStatus::UpdateRollbackComplete),
            stack_ev(1, ResourceStatus::UpdateRollbackInProgress),
        ],
    ]);
    let (_, r) = deploy(&fake, request(template("new")), options(), Some(true)).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(
        fake.writes(),
        [
            "ContinueUpdateRollback",
            "GetTemplate",
            "CreateChangeSet UPDATE",
            "GetStackPolicy",
            "GetTemplate",
            "SetStackPolicy",
            "ExecuteChangeSet",
            "SetStackPolicy"
        ]
    );
}

#[tokio::test]
async fn update_rollback_failed_is_refused_with_the_next_step_when_nobody_approves() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateRollbackFailed)]);
    let (out, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert!(fake.writes().is_empty());
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn termination_protection_is_synced_on_update_and_set_after_create() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string());
    let mut req = request(template("a"));
    req.termination_protection = true;
    let (out, r) = deploy(&fake, req.clone(), options(), None).await;
    assert!(
        matches!(
            r,
            Ok(Outcome::NoChanges {
                skipped_locally: true,
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(
        fake.writes(),
        ["GetTemplate", "UpdateTerminationProtection true"]
    );
    assert!(out.contains("termination protection turned on"));

    let fake = FakeCfn::new(vec![None, stack(StackStatus::CreateComplete)]);
    let (_, r) = deploy(&fake, req, options(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(
        fake.writes(),
        [
            "CreateChangeSet CREATE",
            "ExecuteChangeSet",
            "UpdateTerminationProtection true"
        ]
    );
}

#[tokio::test]
async fn destroy_refuses_a_protected_stack_without_calling_delete() {
    let mut protected = stack(StackStatus::CreateComplete);
    if let Some(s) = protected.as_mut() {
        s.termination_protection = true;
    }
    let fake = FakeCfn::new(vec![protected]);
    let opts = DestroyOptions {
        yes: true,
        role_arn: None,
        allow_data_loss: false,
    };
    let (out, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
        .destroy("api", &opts)
        .await);
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert_eq!(fake.count("DeleteStack"), 0);
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn destroy_lists_retained_resources_and_follows_the_delete() {
    let t = json!({"Resources": {"Table": {"Type": TABLE, "DeletionPolicy": "Retain"}, "Queue": {"Type": QUEUE}}});
    // Described to plan, again just before DeleteStack, then followed.
    let fake = FakeCfn::new(vec![
        stack(StackStatus::CreateComplete),
        stack(StackStatus::CreateComplete),
        stack(StackStatus::DeleteInProgress),
        None,
    ])
    .with_template(&t.to_string())
    .with_events(vec![
        vec![],
        vec![
            ev(2, "Table", TABLE, ResourceStatus::DeleteSkipped, None),
            stack_ev(1, ResourceStatus::DeleteInProgress),
        ],
    ]);
    let opts = DestroyOptions {
        yes: true,
        role_arn: None,
        allow_data_loss: false,
    };
    let (out, r) = with_engine!(&fake, None, Interrupt::new(), |e| e
        .destroy("api", &opts)
        .await);
    assert!(
        matches!(r, Ok(Outcome::Destroyed { ref retained, .. }) if retained == &["Table".to_string()]),
        "{r:?}"
    );
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn throttled_and_transient_calls_are_retried() {
    let fake = FakeCfn::new(vec![None, stack(StackStatus::CreateComplete)])
        .failing("DescribeStacks", vec![throttled(), throttled()])
        .failing(
            "DescribeStackEvents",
            vec![CfnError::new(ErrorKind::Transient, "connection reset")],
        )
        .failing("CreateChangeSet", vec![throttled()]);
    let (_, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(fake.count("CreateChangeSet"), 2);
}

#[tokio::test]
async fn persistent_throttling_fails_with_the_call_named() {
    let fake = FakeCfn::new(vec![None]).failing("DescribeStacks", vec![throttled(); 10]);
    let (_, r) = deploy(&fake, request(template("a")), options(), None).await;
    let e = r.err().map(|e| e.to_string()).unwrap_or_default();
    // The call and its error, then what it left and the next step.
    assert_eq!(
        e,
        "api: DescribeStacks failed: Throttling: Rate exceeded; no change set was made; see the stack's state with `nephos status api`; fix the cause above and run `nephos deploy` again"
    );
}

#[tokio::test]
async fn a_validation_error_is_not_retried() {
    let fake = FakeCfn::new(vec![None]).failing(
        "CreateChangeSet",
        vec![CfnError::from_service(
            Some("ValidationError"),
            "Template format error: unknown type",
        )],
    );
    let (_, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(r.is_err());
    assert_eq!(fake.count("CreateChangeSet"), 1);
}

#[tokio::test]
async fn an_empty_change_set_is_success_and_is_deleted() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![ChangeSet {
            status: ChangeSetStatus::Failed,
            status_reason: Some("The submitted information didn't contain changes. Submit different information to create a change set.".into()),
            ..Default::default()
        }]);
    let (out, r) = deploy(
        &fake,
        request(template("a")),
        DeployOptions {
            force: true,
            ..options()
        },
        None,
    )
    .await;
    assert!(
        matches!(
            r,
            Ok(Outcome::NoChanges {
                skipped_locally: false,
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(
        fake.writes(),
        ["GetTemplate", "CreateChangeSet UPDATE", "DeleteChangeSet"]
    );
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn an_unchanged_stack_is_skipped_without_a_change_set() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string());
    let (_, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(
        matches!(
            r,
            Ok(Outcome::NoChanges {
                skipped_locally: true,
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(fake.writes(), ["GetTemplate"]);
}

#[tokio::test]
async fn a_replacement_in_the_change_set_is_reviewed_and_needs_approval() {
    let change = ResourceChange {
        action: "Modify".into(),
        logical_id: "Table".into(),
        resource_type: TABLE.into(),
        replacement: Some("True".into()),
        policy_action: None,
        scope: vec!["Properties".into()],
        details: vec![crate::cfn::model::ChangeDetail {
            target: "Properties.TableName".into(),
            requires_recreation: Some("Always".into()),
            change_source: Some("DirectModification".into()),
            causing_entity: None,
        }],
    };
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("old").to_string())
        .with_change_sets(vec![complete(vec![change])]);
    let opts = DeployOptions {
        approval: ApprovalPolicy::AnyChange,
        ..options()
    };
    let (out, r) = deploy(&fake, request(template("new")), opts, None).await;
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert_eq!(
        fake.writes(),
        ["GetTemplate", "CreateChangeSet UPDATE", "DeleteChangeSet"]
    );
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn a_refused_create_leaves_no_review_in_progress_stack_behind() {
    let t = json!({"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}}});
    // The stack the create change set made: in review, holding only this run's change set.
    let fake = FakeCfn::new(vec![None, stack(StackStatus::ReviewInProgress)])
        .with_change_set_names(&["cs1"]);
    let opts = DeployOptions {
        approval: ApprovalPolicy::Broadening,
        ..options()
    };
    let (_, r) = deploy(&fake, request(t), opts, Some(false)).await;
    assert!(
        matches!(r, Ok(Outcome::Refused { ref reason, .. }) if reason.contains("not approved")),
        "{r:?}"
    );
    assert_eq!(
        fake.writes(),
        ["CreateChangeSet CREATE CAPABILITY_IAM", "DeleteStack"]
    );
}

#[tokio::test]
async fn a_failed_change_set_is_reported_and_cleaned_up() {
    let fake = FakeCfn::new(vec![None, stack(StackStatus::ReviewInProgress)])
        .with_change_set_names(&["cs1"])
        .with_change_sets(vec![ChangeSet {
            status: ChangeSetStatus::Failed,
            status_reason: Some("Parameters: [Missing] must have values".into()),
            ..Default::default()
        }]);
    let (out, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(matches!(r, Ok(Outcome::Failed(_))), "{r:?}");
    assert_eq!(fake.writes(), ["CreateChangeSet CREATE", "DeleteStack"]);
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn a_failed_update_rolls_back_and_says_what_to_do() {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateRollbackInProgress),
        stack(StackStatus::UpdateRollbackComplete),
    ])
    .with_template(&template("old").to_string())
    .with_events(vec![
        vec![stack_ev(1, ResourceStatus::CreateComplete)],
        vec![
            stack_ev(4, ResourceStatus::UpdateRollbackComplete),
            ev(
                3,
                "Table",
                TABLE,
                ResourceStatus::UpdateFailed,
                Some("Resource handler returned message: \"Access denied\""),
            ),
            stack_ev(2, ResourceStatus::UpdateInProgress),
            stack_ev(1, ResourceStatus::CreateComplete),
        ],
    ]);
    let (out, r) = deploy(&fake, request(template("new")), options(), None).await;
    assert!(
        matches!(r, Ok(Outcome::Failed(ref f)) if f.status == StackStatus::UpdateRollbackComplete.as_str()),
        "{r:?}"
    );
    insta::assert_snapshot!(out);
}

#[tokio::test]
async fn ctrl_c_stops_waiting_and_cancels_only_when_asked() {
    for cancel in [false, true] {
        let fake = FakeCfn::new(vec![
            stack(StackStatus::UpdateComplete),
            stack(StackStatus::UpdateComplete),
            stack(StackStatus::UpdateInProgress),
        ])
        .with_template(&template("old").to_string())
        .with_events(vec![
            vec![],
            vec![stack_ev(1, ResourceStatus::UpdateInProgress)],
        ]);
        let interrupt = Interrupt::new();
        interrupt.trigger();
        let req = request(template("new"));
        let opts = DeployOptions {
            cancel_on_interrupt: cancel,
            ..options()
        };
        let (out, r) = with_engine!(&fake, None, interrupt, |e| e.deploy(&req, &opts).await);
        assert!(
            matches!(r, Ok(Outcome::Interrupted { cancelled, .. }) if cancelled == cancel),
            "{r:?}"
        );
        assert_eq!(fake.count("CancelUpdateStack"), usize::from(cancel));
        assert!(out.contains("nephos status api --wait"), "{out}");
    }
}

#[tokio::test]
async fn no_execute_leaves_the_change_set_for_review() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("old").to_string());
    let (out, r) = deploy(
        &fake,
        request(template("new")),
        DeployOptions {
            execute: false,
            ..options()
        },
        None,
    )
    .await;
    assert!(matches!(r, Ok(Outcome::ChangeSetLeft { .. })), "{r:?}");
    assert_eq!(fake.writes(), ["GetTemplate", "CreateChangeSet UPDATE"]);
    assert!(out.contains("nephos deploy api --change-set cs1"), "{out}");
}

#[tokio::test]
async fn a_delete_failed_stack_is_refused() {
    let fake = FakeCfn::new(vec![stack(StackStatus::DeleteFailed)]);
    let (out, r) = deploy(&fake, request(template("a")), options(), None).await;
    assert!(matches!(r, Ok(Outcome::Refused { .. })), "{r:?}");
    assert!(out.contains("nephos destroy api"), "{out}");
}

#[tokio::test]
async fn the_direct_method_creates_and_updates_without_a_change_set() {
    let opts = DeployOptions {
        direct: true,
        ..options()
    };
    let fake = FakeCfn::new(vec![
        None,
        None,
        stack(StackStatus::CreateInProgress),
        stack(StackStatus::CreateComplete),
    ]);
    let (out, r) = deploy(&fake, request(template("a")), opts.clone(), None).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}");
    assert_eq!(fake.writes(), ["CreateStack"]);
    assert!(out.contains("change set (none: direct)"), "{out}");

    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .failing(
            "UpdateStack",
            vec![CfnError::from_service(
                Some("ValidationError"),
                "No updates are to be performed.",
            )],
        );
    let (_, r) = deploy(&fake, request(template("b")), opts, None).await;
    assert!(
        matches!(
            r,
            Ok(Outcome::NoChanges {
                skipped_locally: false,
                ..
            })
        ),
        "{r:?}"
    );
}

mod attack12;
mod deploy_time;
mod deployed_readback;
mod fail_closed;
mod fail_closed_refusals;
mod fail_closed_status;
mod hostile;
mod hostile_answers;
mod next_steps;
mod offline_first;
mod read_back;
mod review_truth;
mod reviewed;
mod safety;
mod steps;
mod unknown;
mod wait_bound;
