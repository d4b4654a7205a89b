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
            // Compiled handlers are named by a hash of their crate's sources and
            // Cargo.lock, which changes with every handler edit or dependency bump, not
            // with the infrastructure; so it is redacted. Source assets keep theirs.
            let filters = if name == "users_api_native" {
                vec![(
                    r"assets/[0-9a-f]{64}\.zip",
                    "assets/[compiled handler sha256].zip",
                )]
            } else {
                vec![]
            };
            insta::with_settings!({
                snapshot_path => "../snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
                filters => filters,
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
