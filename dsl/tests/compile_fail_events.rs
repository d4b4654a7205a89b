//! EventBridge mistakes that do not compile (trybuild; the expected errors are the
//! `.stderr` files beside each case in `tests/compile_fail_events/`). Run with
//! `--features stepfunctions,events` (scripts/test.sh does).
#![cfg(all(feature = "events", feature = "stepfunctions", feature = "logs"))]

#[test]
fn event_bridge_mistakes_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail_events/*.rs");
}
