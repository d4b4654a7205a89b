//! A stack or change set that never leaves `*_IN_PROGRESS` / `CREATE_PENDING` (an emulator
//! after a 500 leaves them so) is not waited on forever: without `--timeout`, each wait has
//! a default bound. These tests use a zero bound (the same per-wait mechanism as the
//! 60-minute default) instead of a clock, so nothing here is timed.

use std::time::Duration;

use super::*;
use crate::deploy::interrupt::{DEFAULT_WAIT, WaitLimit};

fn bounded() -> Interrupt {
    let i = Interrupt::new();
    i.limit_each_wait(Duration::ZERO);
    i
}

#[tokio::test]
async fn an_update_stuck_in_progress_ends_at_the_bound_with_its_state_and_what_nephos_did_not_do() {
    // Executed, then UPDATE_IN_PROGRESS for ever.
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateInProgress),
    ])
    .with_template(&template("a").to_string())
    .with_change_sets(vec![complete(vec![])]);
    let mut new = template("a");
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    let req = request(new);
    let opts = strict();
    let i = bounded();
    let (out, r) = with_engine!(&fake, None, i.clone(), |e| e.deploy(&req, &opts).await);
    let Ok(Outcome::Interrupted {
        status,
        cancelled,
        resume,
        ..
    }) = &r
    else {
        panic!("{r:?}\n{out}");
    };
    assert_eq!(status, StackStatus::UpdateInProgress.as_str());
    assert!(!cancelled);
    assert!(
        resume.contains("cancelled or rolled back nothing"),
        "{resume}"
    );
    assert!(resume.contains("`nephos status api --wait`"), "{resume}");
    assert!(
        resume.contains("aws cloudformation cancel-update-stack --stack-name"),
        "{resume}"
    );
    assert!(resume.contains("default bound"), "{resume}");
    assert!(!i.is_triggered());
    assert!(!fake.writes().contains(&"CancelUpdateStack".to_owned()));
}

#[tokio::test]
async fn a_change_set_stuck_pending_ends_at_the_bound_and_nothing_is_executed() {
    let fake = FakeCfn::new(vec![stack(StackStatus::UpdateComplete)])
        .with_template(&template("a").to_string())
        .with_change_sets(vec![pending()]);
    let req = request(template("b"));
    let opts = options();
    let (out, r) = with_engine!(&fake, Some(true), bounded(), |e| e
        .deploy(&req, &opts)
        .await);
    let Ok(Outcome::Interrupted { status, resume, .. }) = &r else {
        panic!("{r:?}\n{out}");
    };
    assert_eq!(status, "change set pending");
    assert!(resume.contains("nothing was executed"), "{resume}");
    assert!(resume.contains("default bound"), "{resume}");
    assert!(!fake.writes().contains(&"ExecuteChangeSet".to_owned()));
}

#[test]
fn timeout_takes_seconds_or_none_and_the_default_is_the_aws_cli_waiters_hour() {
    assert_eq!(WaitLimit::parse("none"), Ok(WaitLimit::Never));
    assert_eq!(WaitLimit::parse("0"), Ok(WaitLimit::Never));
    assert_eq!(
        WaitLimit::parse("90"),
        Ok(WaitLimit::Total(Duration::from_secs(90)))
    );
    assert!(WaitLimit::parse("-1").is_err());
    // Issue 15: the units people type, within a bound.
    assert_eq!(
        WaitLimit::parse("10m"),
        Ok(WaitLimit::Total(Duration::from_secs(600)))
    );
    assert_eq!(
        WaitLimit::parse("1500ms"),
        Ok(WaitLimit::Total(Duration::from_millis(1500)))
    );
    assert_eq!(WaitLimit::parse("0s"), Ok(WaitLimit::Never));
    for bad in ["", "18446744073709551615", "367d", "1y", "-5m"] {
        assert!(WaitLimit::parse(bad).is_err(), "{bad:?}");
    }
    assert!(
        !WaitLimit::parse("\u{1b}[31m")
            .unwrap_err()
            .contains('\u{1b}')
    );
    assert_eq!(DEFAULT_WAIT, Duration::from_secs(3600));
}

#[tokio::test]
async fn a_delete_stuck_in_progress_ends_at_the_bound_and_says_nothing_was_cancelled() {
    // A queue only (nothing holding data), so destroy needs no --allow-data-loss.
    let only_queue = json!({"Resources": {"Queue": {"Type": QUEUE}}});
    let fake = FakeCfn::new(vec![
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::UpdateComplete),
        stack(StackStatus::DeleteInProgress),
    ])
    .with_template(&only_queue.to_string());
    let opts = crate::deploy::destroy::DestroyOptions {
        yes: true,
        ..Default::default()
    };
    let (out, r) = with_engine!(&fake, Some(true), bounded(), |e| e
        .destroy("api", &opts)
        .await);
    let Ok(Outcome::Interrupted { status, resume, .. }) = &r else {
        panic!("{r:?}\n{out}");
    };
    assert_eq!(status, StackStatus::DeleteInProgress.as_str());
    assert!(
        resume.contains("cancelled or rolled back nothing"),
        "{resume}"
    );
    assert!(resume.contains("`nephos status api --wait`"), "{resume}");
    assert_eq!(fake.count("DeleteStack"), 1);
}
