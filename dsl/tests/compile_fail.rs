//! Mistakes the generated types turn into compile errors (trybuild; the expected errors
//! are the `.stderr` files beside each case in `tests/compile_fail/`).

#[test]
fn mistakes_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}

/// Mis-wiring between services outside the default features (a security group's ID as a
/// subnet, a user pool's ARN as a certificate's): run with `--features ec2,cognito`.
#[cfg(all(
    feature = "ec2",
    feature = "cognito",
    feature = "lambda",
    feature = "apigateway"
))]
#[test]
fn mis_wiring_across_services_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail_services/*.rs");
}
