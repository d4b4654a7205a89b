//! A write whose answer is lost after CloudFormation applied it (a 502 from a proxy in
//! front of a healthy endpoint): `nephos diff --change-set` reads back what the write did,
//! as `deploy` does, discards what it may have made, and says so with the stack, the call,
//! the state and the next step.

mod hostile;

use hostile::*;

#[test]
fn diff_change_set_reads_a_lost_create_change_set_back_and_discards_it() {
    let s = Scripted::start(vec![
        identity(),
        (
            "CreateChangeSet",
            Answer {
                status: 502,
                body: "<html>bad gateway</html>".into(),
            },
        ),
        // The change set exists: CloudFormation made it before the answer was lost.
        (
            "DescribeChangeSet",
            ok_xml(
                "DescribeChangeSet",
                "<Status>CREATE_PENDING</Status><ExecutionStatus>UNAVAILABLE</ExecutionStatus><Changes></Changes>",
            ),
        ),
        (
            "ListChangeSets",
            ok_xml("ListChangeSets", "<Summaries></Summaries>"),
        ),
        ("DeleteChangeSet", ok_xml("DeleteChangeSet", "")),
    ]);
    let t = "deployer/tests/fixtures/users-api.json";
    let r = run(
        nephos(&s.endpoint),
        &["diff", "--template", t, "--stack-name", "s", "--change-set"],
    );
    assert_eq!(r.code, 1, "{} {}", r.out, r.err);
    let actions = s.actions();
    assert!(
        actions.iter().any(|a| a == "DeleteChangeSet"),
        "the change set that may exist is discarded: {actions:?}"
    );
    for part in [
        "s: CreateChangeSet failed",
        "was deleted",
        "nothing was deployed",
        "rerun `nephos diff --change-set --template deployer/tests/fixtures/users-api.json --stack-name s`",
    ] {
        assert!(r.err.contains(part), "{part:?} missing from: {}", r.err);
    }
}
