//! Grant targets of services outside the default features that do not compile
//! (trybuild; the expected errors are the `.stderr` files beside each case in
//! `tests/compile_fail_grants/`): a parameter's ARN as a secret, a secret's as a
//! parameter, a function's ARN as a state machine. Run with
//! `--features kms,secretsmanager,ssm,stepfunctions,...` (scripts/test.sh does).
#![cfg(all(
    feature = "secretsmanager",
    feature = "ssm",
    feature = "stepfunctions",
    feature = "lambda",
    feature = "iam",
    feature = "logs"
))]

#[test]
fn grant_targets_of_another_type_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail_grants/*.rs");
}
