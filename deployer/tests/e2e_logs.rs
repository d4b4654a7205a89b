//! `nephos logs` end to end on the emulator: the log group is found from the deployed
//! stack (here through the function's `LoggingConfig`, a `Ref` to the stack's log group),
//! and lines put into it are shown, escaped, filtered and bounded in time.

mod common;

use common::{Moto, fixture_template, write_template};
use serde_json::Value;

const STACK: &str = "logs-e2e";

/// The users API fixture with its function pointed at the stack's own log group, as
/// nephos's `Function` construct does for an unnamed function.
fn template_with_logging_config() -> String {
    let mut t = fixture_template("users-api.json");
    t["Resources"]["Handler"]["Properties"]["LoggingConfig"] =
        serde_json::json!({"LogGroup": {"Ref": "HandlerLogs"}});
    write_template("logs-e2e.json", &t)
}

fn now_ms() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(d.as_millis()).unwrap()
}

#[tokio::test]
async fn logs_shows_the_lines_in_the_functions_group_escaped_and_filtered() {
    let moto = Moto::start();
    moto.upload_handler_code().await;
    let template = template_with_logging_config();
    moto.deploy_template(&template, STACK).await;
    let group = moto.physical_id(STACK, "HandlerLogs").await;
    let c = moto.clients().await;

    // Before any line, the group exists but is empty: nothing is shown.
    let r = moto.nephos(&["logs", STACK]).await.expect(0);
    assert!(r.out.is_empty(), "{}", r.out);
    assert!(r.err.contains(&group), "{}", r.err);

    // The function cannot run on the emulator: the test writes its lines.
    c.logs
        .0
        .0
        .create_log_stream()
        .log_group_name(&group)
        .log_stream_name("2026/12/01/[$LATEST]abc")
        .send()
        .await
        .unwrap();
    let event = |ms: i64, m: &str| {
        aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
            .timestamp(ms)
            .message(m)
            .build()
            .unwrap()
    };
    let now = now_ms();
    c.logs
        .0
        .0
        .put_log_events()
        .log_group_name(&group)
        .log_stream_name("2026/12/01/[$LATEST]abc")
        .log_events(event(now - 3 * 3600 * 1000, "too old for --since 1h\n"))
        .log_events(event(now - 1000, "START RequestId: 1\n"))
        .log_events(event(
            now - 500,
            "ERROR boom \u{1b}[2J\u{1b}]0;pwned\u{7}\n",
        ))
        .send()
        .await
        .unwrap();

    let r = moto
        .nephos(&["logs", STACK, "Handler", "--since", "1h"])
        .await
        .expect(0);
    let lines: Vec<&str> = r.out.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.out);
    assert!(
        lines[0].ends_with("2026/12/01/[$LATEST]abc START RequestId: 1"),
        "{}",
        r.out
    );
    assert!(
        lines[1].contains("ERROR boom \\x1b[2J\\x1b]0;pwned\\x07"),
        "{}",
        r.out
    );
    assert!(!r.out.contains('\u{1b}'));

    let r = moto
        .nephos(&["logs", STACK, "--since", "1h", "--filter", "ERROR"])
        .await
        .expect(0);
    assert_eq!(r.out.lines().count(), 1, "{}", r.out);
    assert!(r.out.contains("ERROR boom"), "{}", r.out);

    let r = moto
        .nephos(&["logs", STACK, "--since", "1h", "--output", "json"])
        .await
        .expect(0);
    let first: Value = serde_json::from_str(r.out.lines().next().unwrap()).unwrap();
    assert_eq!(first["message"], "START RequestId: 1");

    // Following ends at --timeout and shows each line once.
    let r = moto
        .nephos(&["logs", STACK, "--since", "1h", "--follow", "--timeout", "3"])
        .await
        .expect(0);
    assert_eq!(r.out.lines().count(), 2, "{}", r.out);

    // An unknown function is named with the ones there are, and the command that works.
    let r = moto.nephos(&["logs", STACK, "Nope"]).await.expect(1);
    assert!(
        r.err.contains("no function `Nope`; its functions: Handler"),
        "{}",
        r.err
    );
    assert!(
        r.err.contains(&format!("`nephos logs {STACK} Handler`")),
        "{}",
        r.err
    );

    // A stack that does not exist says so and what to do, before any other call.
    let r = moto.nephos(&["logs", "no-such-stack"]).await.expect(1);
    assert!(
        r.err.contains("stack no-such-stack does not exist")
            && r.err.contains("`nephos list`")
            && r.err.contains("`nephos deploy no-such-stack`"),
        "{}",
        r.err
    );
}

/// A function that never logged has no log group yet: `logs` says so and how to see its
/// first lines.
#[tokio::test]
async fn logs_of_a_function_that_never_logged_says_how_to_see_its_first_lines() {
    let moto = Moto::start();
    moto.upload_handler_code().await;
    let template = write_template("logs-e2e-quiet.json", &fixture_template("users-api.json"));
    moto.deploy_template(&template, "logs-e2e-quiet").await;
    let r = moto.nephos(&["logs", "logs-e2e-quiet"]).await.expect(0);
    assert!(r.out.is_empty(), "{}", r.out);
    assert!(
        r.err.contains("does not exist yet")
            && r.err
                .contains("`nephos logs logs-e2e-quiet Handler --follow`"),
        "{}",
        r.err
    );
}
