//! `minProperties`/`maxProperties` on objects with fixed properties, over the whole
//! vendored bundle: where they become set-count checks, how many there are (a refresh that
//! changes them shows up here), and that every round-trip sample keeps within them.

use std::path::{Path, PathBuf};

use nephos_codegen::model::{CheckSpec, ResourceModel};
use nephos_codegen::roundtrip::sample_objects;
use nephos_codegen::{build_all, schemas};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The set-count checks of `model` at `path`, as `(min?, n, names)`.
fn set_checks<'m>(model: &'m ResourceModel, path: &str) -> Vec<(bool, u64, &'m [String])> {
    model
        .constraints
        .iter()
        .filter(|(p, _)| p == path)
        .filter_map(|(_, c)| match c {
            CheckSpec::MinSet(n, of) => Some((true, *n, of.as_slice())),
            CheckSpec::MaxSet(n, of) => Some((false, *n, of.as_slice())),
            _ => None,
        })
        .collect()
}

#[test]
fn set_counts_are_read_counted_and_kept_by_the_samples() {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    let models = build_all(&schemas, &extras).expect("every schema builds");

    // A one-of-23 object in list items, and a bound beside a `$ref` (the definition's
    // properties count).
    let transformer = &models["AWS::Logs::Transformer"];
    let processors = set_checks(transformer, "TransformerConfig/*");
    assert_eq!(
        processors
            .iter()
            .map(|(min, n, of)| (*min, *n, of.len()))
            .collect::<Vec<_>>(),
        [(true, 1, 23), (false, 1, 23)]
    );
    assert_eq!(processors[0].2[0], "AddKeys");
    let insight = &models["AWS::SecurityHub::Insight"];
    assert!(
        matches!(set_checks(insight, "Filters")[..], [(false, 10, of)] if of.len() > 10),
        "{:?}",
        set_checks(insight, "Filters")
    );
    // A bound on one `oneOf` alternative of a merged struct is not read (it would refuse
    // the other alternative).
    assert!(set_checks(&models["AWS::CloudFormation::GuardHook"], "TargetFilters").is_empty());

    let mut types = 0;
    let mut checks = 0;
    let mut broken = Vec::new();
    for (t, model) in &models {
        let here = model
            .constraints
            .iter()
            .filter(|(_, c)| matches!(c, CheckSpec::MinSet(..) | CheckSpec::MaxSet(..)))
            .count();
        if here == 0 {
            continue;
        }
        types += 1;
        checks += here;
        for (path, set) in sample_objects(model, &schemas[t]) {
            let path = path.join("/").replace("{}", "*");
            for (min, n, of) in set_checks(model, &path) {
                let count = of.iter().filter(|p| set.contains(*p)).count() as u64;
                if (min && count < n) || (!min && count > n) {
                    let bound = if min { "at least" } else { "at most" };
                    broken.push(format!("{t} {path}: sets {count}, not {bound} {n}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    // The vendored schemas bound 24 objects: 23 with their own fixed properties (2 of them
    // `oneOf` alternatives, left unread; 1 with `minProperties: 0`, which refuses
    // nothing) and 1 beside a `$ref`. The 21 read become 48 checks in 11 types, one at
    // every path a type reaches them (a refresh that changes them shows up here).
    assert_eq!((checks, types), (48, 11));
}
