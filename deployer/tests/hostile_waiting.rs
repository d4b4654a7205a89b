//! Hostile corpus, waiting: endpoints that never answer, closed ports, broken responses,
//! mutating calls without idempotency tokens, and `--timeout`. Each call is bounded and
//! each failure is one line naming the call and the endpoint.

mod hostile;

use std::time::Duration;

use hostile::*;
use nephos_cli::cfn::status::StackStatus;

const BOUND: Duration = Duration::from_secs(2);

#[tokio::test]
async fn list_against_a_silent_endpoint_ends_naming_the_call_and_endpoint() {
    let silent = Silent::start();
    let r = in_process(&silent.endpoint, BOUND, &["list"]).await;
    assert_refused(
        &r,
        &[
            "ListStacks failed",
            "no response from",
            &silent.endpoint,
            "within 2 s",
        ],
    );
    assert_eq!(r.err.lines().count(), 1, "{}", r.err);
}

#[tokio::test]
async fn status_against_a_silent_endpoint_names_describe_stacks() {
    let silent = Silent::start();
    let r = in_process(&silent.endpoint, BOUND, &["status", "s"]).await;
    assert_refused(
        &r,
        &[
            "s: DescribeStacks failed",
            "no response from",
            &silent.endpoint,
        ],
    );
}

#[tokio::test]
async fn deploy_against_a_silent_endpoint_stops_at_the_account_check() {
    let silent = Silent::start();
    let t = hostile::root().join("deployer/tests/fixtures/users-api.json");
    let t = t.to_string_lossy();
    let r = in_process(
        &silent.endpoint,
        BOUND,
        &["deploy", "--template", &t, "--stack-name", "s", "--yes"],
    )
    .await;
    assert_refused(&r, &["GetCallerIdentity failed", "no response from"]);
}

#[test]
fn list_against_a_closed_port_says_cannot_connect_without_a_debug_dump() {
    let ep = closed_port();
    let r = run(nephos(&ep), &["list"]);
    assert_refused(
        &r,
        &[
            "ListStacks failed",
            "cannot connect to",
            &ep,
            "connection refused",
        ],
    );
    assert_eq!(r.err.lines().count(), 1, "{}", r.err);
}

#[test]
fn outputs_against_a_closed_port_names_the_stack_and_call() {
    let ep = closed_port();
    let r = run(nephos(&ep), &["outputs", "app"]);
    assert_refused(&r, &["app: DescribeStacks failed", "cannot connect to"]);
}

#[test]
fn a_5xx_without_a_body_names_the_call_and_the_endpoint() {
    let s = Scripted::start(vec![(
        "ListStacks",
        Answer {
            status: 500,
            body: String::new(),
        },
    )]);
    let r = run(nephos(&s.endpoint), &["list"]);
    assert_refused(&r, &["ListStacks failed", "HTTP 500 from", &s.endpoint]);
}

#[test]
fn an_unparseable_success_response_says_so() {
    let s = Scripted::start(vec![(
        "ListStacks",
        Answer {
            status: 200,
            body: "<ListStacksResponse><oops".into(),
        },
    )]);
    let r = run(nephos(&s.endpoint), &["list"]);
    assert_refused(
        &r,
        &["ListStacks failed", "could not be parsed", "HTTP 200"],
    );
}

#[test]
fn a_status_call_failing_with_5xx_names_the_call() {
    let s = Scripted::start(vec![(
        "DescribeStacks",
        Answer {
            status: 503,
            body: "<html>busy</html>".into(),
        },
    )]);
    let r = run(nephos(&s.endpoint), &["status", "app"]);
    assert_refused(&r, &["app: DescribeStacks failed", "HTTP 503"]);
}

#[test]
fn create_stack_carries_an_idempotency_token() {
    let s = Scripted::start(vec![
        identity(),
        ("CreateStack", error_xml("ValidationError", "stop here")),
    ]);
    let t = "deployer/tests/fixtures/users-api.json";
    let r = run(
        nephos(&s.endpoint),
        &[
            "deploy",
            "--template",
            t,
            "--stack-name",
            "s",
            "--yes",
            "--method",
            "direct",
        ],
    );
    assert_eq!(r.code, 1, "{} {}", r.out, r.err);
    let create = s
        .requests()
        .into_iter()
        .find(|q| q.action == "CreateStack")
        .unwrap_or_else(|| panic!("no CreateStack in {:?}", s.actions()));
    assert!(
        create.body.contains("ClientRequestToken=nephos-"),
        "{}",
        create.body
    );
}

#[test]
fn create_change_set_carries_a_client_token() {
    let s = Scripted::start(vec![
        identity(),
        ("CreateChangeSet", error_xml("ValidationError", "stop here")),
    ]);
    let t = "deployer/tests/fixtures/users-api.json";
    let r = run(
        nephos(&s.endpoint),
        &["deploy", "--template", t, "--stack-name", "s", "--yes"],
    );
    assert_eq!(r.code, 1, "{} {}", r.out, r.err);
    let create = s
        .requests()
        .into_iter()
        .find(|q| q.action == "CreateChangeSet")
        .unwrap_or_else(|| panic!("no CreateChangeSet in {:?}", s.actions()));
    assert!(
        create.body.contains("ClientToken=nephos-"),
        "{}",
        create.body
    );
}

#[test]
fn delete_stack_carries_an_idempotency_token() {
    let s = Scripted::start(vec![
        identity(),
        (
            "DescribeStacks",
            stack_xml("app", StackStatus::CreateComplete.as_str(), ""),
        ),
        (
            "GetTemplate",
            ok_xml(
                "GetTemplate",
                "<TemplateBody>{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}</TemplateBody>",
            ),
        ),
        (
            "ListStackResources",
            ok_xml(
                "ListStackResources",
                "<StackResourceSummaries></StackResourceSummaries>",
            ),
        ),
        ("DeleteStack", error_xml("ValidationError", "stop here")),
    ]);
    let r = run(nephos(&s.endpoint), &["destroy", "app", "--yes"]);
    assert_eq!(r.code, 1, "{} {}", r.out, r.err);
    let delete = s
        .requests()
        .into_iter()
        .find(|q| q.action == "DeleteStack")
        .unwrap_or_else(|| panic!("no DeleteStack in {:?}", s.actions()));
    assert!(
        delete.body.contains("ClientRequestToken=nephos-"),
        "{}",
        delete.body
    );
}

#[test]
fn timeout_bounds_the_wait_for_a_stack_that_never_settles_and_says_how_to_resume() {
    let s = Scripted::start(vec![
        (
            "DescribeStacks",
            stack_xml("app", StackStatus::UpdateInProgress.as_str(), ""),
        ),
        (
            "DescribeStackEvents",
            ok_xml("DescribeStackEvents", "<StackEvents></StackEvents>"),
        ),
    ]);
    let mut c = nephos(&s.endpoint);
    c.args(["status", "app", "--wait", "--timeout", "1"]);
    let mut child = c
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("nephos runs");
    // Not a speed assertion: a wait that --timeout does not end is a hang, cut here.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while child.try_wait().ok().flatten().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("--timeout 1 did not end the wait");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let r: Run = child.wait_with_output().expect("output").into();
    assert_eq!(r.code, 1, "{} {}", r.out, r.err);
    assert!(r.err.contains("--timeout 1 s reached"), "{}", r.err);
    // The way to resume names the stack, and nothing was cancelled.
    assert!(
        r.out.contains("`nephos status app --wait`"),
        "{} {}",
        r.out,
        r.err
    );
    assert!(r.err.contains("nothing is cancelled"), "{}", r.err);
    assert!(!r.err.contains("STACK"), "{}", r.err);
    assert!(
        !s.actions().iter().any(|a| a == "CancelUpdateStack"),
        "{:?}",
        s.actions()
    );
}
