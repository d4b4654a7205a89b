//! Every example's templates, pinned byte for byte. Review changes with
//! `cargo insta review`.

mod common;

#[test]
fn example_templates_match_their_snapshots() {
    for (name, app) in common::examples() {
        let assembly = app
            .synth()
            .unwrap_or_else(|e| panic!("example {name} fails to synthesize:\n{e}"));
        for (file, text) in &assembly.templates {
            let snapshot = format!("{name}__{}", file.trim_end_matches(".template.json"));
            insta::with_settings!({
                snapshot_path => "../snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(snapshot, text);
            });
        }
    }
}

#[test]
fn examples_synthesize_identically_twice() {
    for ((name, first), (_, second)) in common::examples().into_iter().zip(common::examples()) {
        let a = first.synth().unwrap().templates;
        let b = second.synth().unwrap().templates;
        assert_eq!(a, b, "example {name} is not deterministic");
    }
}
