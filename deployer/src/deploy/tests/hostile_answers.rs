//! Hostile CloudFormation answers through [`Checked`], the seam every real client is wrapped
//! in: a change set, a stack or events outside what CloudFormation ever answers stop the
//! decision (nothing executed), and what reaches the terminal holds no raw control byte.

use super::*;
use crate::cfn::answers::{Checked, MAX_TEXT};
use crate::cfn::model::{ChangeDetail, Output};
use crate::output::escape::EscapingWriter;

/// Like `with_engine!`, over `Checked(fake)`, writing through the escaping writer every
/// byte of the real terminal passes.
async fn deploy_checked(
    fake: FakeCfn,
    req: StackRequest,
    opts: DeployOptions,
) -> (Checked<FakeCfn>, String, Result<Outcome, EngineError>) {
    let checked = Checked(fake);
    let mut out = Vec::new();
    let result = {
        let mut w = EscapingWriter::new(&mut out, false);
        let mut reporter = TextReporter::with_zone(&mut w, Style::plain(), jiff::tz::TimeZone::UTC);
        let facts = TableFacts(vec![(TABLE, vec!["TableName"])]);
        let prompter = FixedAnswer(Some(true));
        let mut e = Engine {
            cfn: &checked,
            staging: None,
            iam: None,
            prompter: &prompter,
            reporter: &mut reporter,
            facts: &facts,
            retry: RetryPolicy::IMMEDIATE,
            poll: PollPolicy::IMMEDIATE,
            interrupt: Interrupt::new(),
        };
        e.deploy(&req, &opts).await
    };
    (checked, String::from_utf8_lossy(&out).into_owned(), result)
}

fn no_raw_control(s: &str) {
    assert!(
        !s.chars()
            .any(|c| c != '\n' && crate::output::escape::is_unsafe(c)),
        "raw control character in {s:?}"
    );
}

/// An update whose change set holds `change`.
fn update_with(change: ResourceChange) -> (FakeCfn, StackRequest) {
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
        stack(StackStatus::UpdateComplete),
    ])
    .with_template(&template("a").to_string())
    .with_change_sets(vec![complete(vec![change])]);
    let mut new = template("a");
    new["Resources"]["Queue"]["Properties"] = json!({"DelaySeconds": 5});
    (fake, request(new))
}

fn queue_change() -> ResourceChange {
    ResourceChange {
        action: "Modify".into(),
        logical_id: "Queue".into(),
        resource_type: QUEUE.into(),
        replacement: Some("False".into()),
        scope: vec!["Properties".into()],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_well_formed_change_set_still_deploys_through_the_checks() {
    let (fake, req) = update_with(queue_change());
    let (checked, out, r) = deploy_checked(fake, req, options()).await;
    assert!(matches!(r, Ok(Outcome::Deployed { .. })), "{r:?}\n{out}");
    assert_eq!(checked.0.count("ExecuteChangeSet"), 1);
}

#[tokio::test]
async fn a_change_set_outside_cloudformations_bounds_is_neither_judged_nor_executed() {
    let hostile: Vec<(&str, ResourceChange)> = vec![
        (
            "not a logical ID",
            ResourceChange {
                logical_id: "Queue\u{1b}[2K\u{202e}".into(),
                ..queue_change()
            },
        ),
        (
            "not a resource type name",
            ResourceChange {
                resource_type: "AWS::SQS::Queue\u{7}".into(),
                ..queue_change()
            },
        ),
        (
            "not one nephos knows",
            ResourceChange {
                scope: vec!["Frobnicate".into()],
                ..queue_change()
            },
        ),
        (
            "not one nephos knows",
            ResourceChange {
                details: vec![ChangeDetail {
                    target: "DelaySeconds".into(),
                    requires_recreation: Some("Sometimes".into()),
                    ..Default::default()
                }],
                ..queue_change()
            },
        ),
        (
            "entries (at most 1000)",
            ResourceChange {
                details: vec![ChangeDetail::default(); 1001],
                ..queue_change()
            },
        ),
    ];
    for (why, change) in hostile {
        let (fake, req) = update_with(change);
        let (checked, out, r) = deploy_checked(fake, req, options()).await;
        let Err(e) = &r else {
            panic!("{why}: {r:?}\n{out}")
        };
        let m = e.to_string();
        assert!(m.contains("DescribeChangeSet"), "{why}: {m}");
        assert!(m.contains(why), "{why}: {m}");
        assert!(
            !checked.0.writes().contains(&"ExecuteChangeSet".to_owned()),
            "{why}: {:?}",
            checked.0.writes()
        );
        no_raw_control(&m);
        no_raw_control(&out);
    }
    // Too many changes: more than a stack can hold removed and added.
    let (fake, req) = update_with(queue_change());
    let fake = fake.with_change_sets(vec![complete(vec![queue_change(); 1001])]);
    let (checked, _, r) = deploy_checked(fake, req, options()).await;
    assert!(
        r.as_ref()
            .is_err_and(|e| e.to_string().contains("Changes lists 1001 entries")),
        "{r:?}"
    );
    assert_eq!(checked.0.count("ExecuteChangeSet"), 0);
}

#[tokio::test]
async fn a_stack_outside_cloudformations_bounds_stops_the_deploy_before_any_write() {
    let hostile: Vec<(&str, Stack)> = vec![
        ("Outputs lists 201 entries", {
            let mut s = stack(StackStatus::UpdateComplete).unwrap();
            s.outputs = vec![
                Output {
                    key: "Url".into(),
                    value: "x".into(),
                    ..Default::default()
                };
                201
            ];
            s
        }),
        ("OutputKey", {
            let mut s = stack(StackStatus::UpdateComplete).unwrap();
            s.outputs = vec![Output {
                key: "U\u{1b}]0;pwned\u{7}".into(),
                value: "x".into(),
                ..Default::default()
            }];
            s
        }),
        ("ParameterValue is 5000 bytes long", {
            let mut s = stack(StackStatus::UpdateComplete).unwrap();
            s.parameters = vec![("Env".into(), "p".repeat(5000))];
            s
        }),
        ("ParameterKey", {
            let mut s = stack(StackStatus::UpdateComplete).unwrap();
            s.parameters = vec![("En\u{200b}v".into(), "prod".into())];
            s
        }),
    ];
    for (why, s) in hostile {
        let fake = FakeCfn::new(vec![Some(s)])
            .with_template(&template("a").to_string())
            .with_change_sets(vec![complete(vec![queue_change()])]);
        let mut new = template("a");
        new["Resources"]["Queue"]["Properties"] = json!({"DelaySeconds": 5});
        let (checked, out, r) = deploy_checked(fake, request(new), options()).await;
        let Err(e) = &r else {
            panic!("{why}: {r:?}\n{out}")
        };
        let m = e.to_string();
        assert!(
            m.contains("DescribeStacks") && m.contains(why),
            "{why}: {m}"
        );
        assert!(
            checked.0.writes().is_empty(),
            "{why}: {:?}",
            checked.0.writes()
        );
        no_raw_control(&m);
        no_raw_control(&out);
    }
}

#[tokio::test]
async fn a_huge_hostile_event_reason_is_cut_and_escaped_on_the_terminal() {
    let reason = format!("\u{1b}[2J\u{1b}]8;;http://x\u{7}{}", "r".repeat(1_000_000));
    let fake = FakeCfn::new(vec![
        None,
        stack(StackStatus::RollbackInProgress),
        stack(StackStatus::RollbackComplete),
    ])
    .with_events(vec![
        vec![],
        vec![
            stack_ev(3, ResourceStatus::RollbackComplete),
            ev(
                2,
                "Queue",
                QUEUE,
                ResourceStatus::CreateFailed,
                Some(&reason),
            ),
            stack_ev(1, ResourceStatus::CreateInProgress),
        ],
    ]);
    let (_, out, r) = deploy_checked(fake, request(template("a")), options()).await;
    let Ok(Outcome::Failed(report)) = &r else {
        panic!("{r:?}")
    };
    let cause = report
        .root_cause
        .as_ref()
        .and_then(|e| e.reason.clone())
        .unwrap_or_default();
    assert!(cause.chars().count() < MAX_TEXT + 100, "{}", cause.len());
    assert!(
        cause.contains("cut by nephos"),
        "{}",
        &cause[cause.len() - 60..]
    );
    assert!(out.len() < 3 * MAX_TEXT * 4, "{} bytes shown", out.len());
    no_raw_control(&out);
    assert!(out.contains("\\x1b[2J"), "{}", &out[..out.len().min(400)]);
}
