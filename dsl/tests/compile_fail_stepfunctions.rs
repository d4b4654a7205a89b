//! Step Functions mistakes that do not compile (trybuild; the expected errors are the
//! `.stderr` files beside each case in `tests/compile_fail_stepfunctions/`). Run with
//! `--features stepfunctions` (scripts/test.sh does).
#![cfg(all(feature = "stepfunctions", feature = "dynamodb"))]

#[test]
fn step_functions_mistakes_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail_stepfunctions/*.rs");
}
