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

/// ID properties the registry leaves without a format, typed by the generator's ID rules
/// (`dsl/codegen/src/build/id_kinds.rs`): a VPC's ID as an Auto Scaling group's subnet, a
/// security group's as an RDS proxy's. Run with `--features ec2,autoscaling,rds`.
#[cfg(all(feature = "ec2", feature = "autoscaling", feature = "rds"))]
#[test]
fn ids_of_another_kind_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail_ids/*.rs");
}
