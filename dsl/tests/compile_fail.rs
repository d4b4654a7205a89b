//! Mistakes the generated types turn into compile errors (trybuild; the expected errors
//! are the `.stderr` files beside each case in `tests/compile_fail/`).

#[test]
fn mistakes_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
