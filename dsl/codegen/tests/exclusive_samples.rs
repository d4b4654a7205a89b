//! The round-trip samples set every property but keep one alternative of every exclusive
//! group (`oneOf`/`requiredXor` of two or more sets, `dependentExcluded`), for every type
//! of the bundle, so synth (which refuses two alternatives set together) accepts them;
//! and the exclusive rules are counted, so a change in the data shows up here.

use nephos_codegen::combinations::{self, is_exclusive};
use nephos_codegen::roundtrip::sample_objects;
use nephos_codegen::{build_all, schemas};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_sample_keeps_one_alternative_of_each_exclusive_group() {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    let models = build_all(&schemas, &extras).expect("every schema builds");
    let mut broken = Vec::new();
    let mut checked = 0;
    for (t, model) in &models {
        let schema = &schemas[t];
        let rules: Vec<_> = combinations::of(schema)
            .into_iter()
            .filter(is_exclusive)
            .collect();
        if rules.is_empty() {
            continue;
        }
        for (path, set) in sample_objects(model, schema) {
            for rule in rules.iter().filter(|r| r.path == path) {
                checked += 1;
                let full = |s: &Vec<String>| s.iter().all(|p| set.contains(p));
                let bad = match rule.rule {
                    "Excluded" => {
                        full(&rule.sets[0]) && rule.sets[1].iter().any(|p| set.contains(p))
                    }
                    // Exactly one: none set would be refused as missing.
                    _ => rule.sets.iter().filter(|s| full(s)).count() != 1,
                };
                if bad {
                    broken.push(format!("{t} {path:?}: {} {:?}", rule.rule, rule.sets));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} exclusive rules met a sample");
    assert!(
        broken.is_empty(),
        "{} broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

/// The number of exclusive rules the vendored schemas state: a refresh that changes it
/// shows up here (update the count after reading the diff of `facts_data.rs`).
#[test]
fn the_exclusive_rules_are_counted() {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let mut types = 0;
    let mut rules = 0;
    for schema in schemas.values() {
        let n = combinations::of(schema)
            .iter()
            .filter(|c| is_exclusive(c))
            .count();
        rules += n;
        types += usize::from(n > 0);
    }
    assert_eq!((rules, types), (254, 157));
}
